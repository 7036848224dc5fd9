import { crc32, inflateRawSync } from 'node:zlib';
import type { ZipEntry } from './zip-files';

const END_OF_DIRECTORY = 0x06054b50;
const CENTRAL_RECORD = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATE = 8;
/** End-of-directory record without its comment; the comment may follow, up to 64 KiB. */
const END_BYTES = 22;

/** Thrown when an archive is not one {@link unzipFiles} can read. */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

function endOfDirectory(zip: Buffer): number {
  for (let at = zip.length - END_BYTES; at >= Math.max(0, zip.length - END_BYTES - 0xffff); at -= 1) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new ZipFormatError('No end-of-central-directory record: not a zip archive, or a truncated one. Rebuild it (npm run build).');
}

/**
 * Reads every file of a zip archive into memory: the counterpart of `zipFiles`, for the archives it writes
 * and any other plain one (stored or deflated entries, no encryption, no ZIP64). Entries are found through
 * the central directory, as unzip tools do, and each file's CRC-32 is checked. Folder entries are skipped.
 *
 * @throws ZipFormatError when the archive is damaged or uses a feature not supported here
 * @example
 * ```ts
 * for (const { name, data } of unzipFiles(readFileSync('.build/process-jobs.zip'))) console.log(name, data.length);
 * ```
 */
export function unzipFiles(zip: Buffer): ZipEntry[] {
  const end = endOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(at) !== CENTRAL_RECORD) throw new ZipFormatError(`Central-directory record ${i} is damaged.`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new ZipFormatError(`${name} is encrypted; Lambda packages are not.`);
    if (zip.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new ZipFormatError(`The local header of ${name} is damaged.`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === STORED) data = Buffer.from(raw);
    else if (method === DEFLATE) data = inflateRawSync(raw);
    else throw new ZipFormatError(`${name} uses compression method ${method}; only stored (0) and deflate (8) are supported.`);
    if (data.length !== size || crc32(data) !== crc)
      throw new ZipFormatError(`${name} fails its size or CRC-32 check: the archive is damaged.`);
    entries.push({ name, data });
  }
  return entries;
}
