import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file aside and renames it into place (creating its folder), so that a reader never sees a
 * half-written file: `npm run dev` rebuilding while `npm run package` runs, osls reading the stack file
 * during a build, a benchmark interrupted while saving its results.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  // Same folder, so the rename stays on one file system and is atomic.
  const aside = join(dir, `.${basename(file)}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(aside, data);
    await rename(aside, file);
  } catch (err) {
    await rm(aside, { force: true });
    throw err;
  }
}
