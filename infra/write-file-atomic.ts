import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file aside and renames it into place (creating its folder), so that a reader never sees a
 * half-written file: `npm run dev` rebuilding while `npm run package` runs, osls reading the stack file
 * during a build, a benchmark interrupted while saving its results. `mode` applies from the file's creation (it
 * is never readable by others in between), e.g. `0o600` for a file holding a secret.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { readonly mode?: number } = {}): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  // Same folder, so the rename stays on one file system and is atomic.
  const aside = join(dir, `.${basename(file)}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(aside, data, { mode: options.mode });
    await rename(aside, file);
  } catch (err) {
    await rm(aside, { force: true });
    throw err;
  }
}
