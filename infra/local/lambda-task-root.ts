import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { unzipFiles } from '../build/unzip-files';
import { PROJECT_ROOT } from '../project-root';

/** Where the local Lambda emulation keeps what it derives from the build: task roots, the container bootstrap. */
export const LOCAL_LAMBDA_DIR = join(PROJECT_ROOT, '.build', 'local');

const TASK_PREFIX = 'task-';

/**
 * Unpacks a function's deployment package (`.build/<name>.zip`) into a folder of its own, as Lambda unpacks
 * it into `/var/task`: `.build/local/<name>/task-<hash of the zip>/`. The folder is named by the zip's
 * content, so a rebuilt zip gets a fresh folder (the next container picks it up, warm ones keep theirs), an
 * unchanged one is reused, and several processes unpacking at once agree (each writes aside and renames).
 * Task roots of older zips are removed.
 *
 * Only what is in the zip is there: a file the build left out fails locally as it would on Lambda.
 * @returns the task root (`LAMBDA_TASK_ROOT`)
 * @throws Error saying to run `npm run build` when the zip is missing
 */
export function unpackArtifact(zipPath: string): string {
  if (!existsSync(zipPath)) throw new Error(`No deployment package at ${zipPath}: run \`npm run build\` (or bundleFunction) first.`);
  const zip = readFileSync(zipPath);
  const hash = createHash('sha256').update(zip).digest('hex').slice(0, 16);
  const functionDir = join(LOCAL_LAMBDA_DIR, basename(zipPath).replace(/\.zip$/, ''));
  const taskRoot = join(functionDir, `${TASK_PREFIX}${hash}`);
  if (!existsSync(taskRoot)) {
    const aside = join(functionDir, `.${TASK_PREFIX}${hash}.${process.pid}-${randomUUID().slice(0, 8)}`);
    for (const { name, data } of unzipFiles(zip)) {
      const file = resolve(aside, name);
      if (!file.startsWith(aside + sep)) throw new Error(`${zipPath} holds ${name}, a path outside the task root.`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data, { mode: 0o644 });
    }
    mkdirSync(aside, { recursive: true });
    try {
      renameSync(aside, taskRoot);
    } catch (err) {
      // Another process unpacked the same zip first: its folder holds the same files.
      rmSync(aside, { recursive: true, force: true });
      if (!existsSync(taskRoot)) throw err;
    }
  }
  for (const entry of readdirSync(functionDir)) {
    if (entry.startsWith(TASK_PREFIX) && entry !== basename(taskRoot)) {
      // A container still running from an older task root keeps its files open; Linux frees them at its exit.
      rmSync(join(functionDir, entry), { recursive: true, force: true });
    }
  }
  return taskRoot;
}
