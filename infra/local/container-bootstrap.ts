import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { BUNDLE_TARGET } from '../build/bundle-function';
import { LOCAL_LAMBDA_DIR } from './lambda-task-root';

/** `LAMBDA_RUNTIME_DIR` of local containers: where their bootstrap lives, as Lambda's `/var/runtime`. */
export const LOCAL_RUNTIME_DIR = join(LOCAL_LAMBDA_DIR, 'runtime');

const RUNTIME_SOURCE = fileURLToPath(new URL('./container-runtime.ts', import.meta.url));

let built: string | undefined;

/**
 * Bundles `container-runtime.ts` (and the `lambda-event.ts` code it shares with the rest of the local
 * stack) into plain JavaScript, `.build/local/runtime/bootstrap.mjs`, so that a container is a bare `node`
 * with no loader, as on Lambda. Built once per process (about 20 ms), written aside and renamed so that
 * processes building at once never load a half-written file.
 * @returns the bootstrap's path
 */
export function ensureContainerBootstrap(): string {
  if (built) return built;
  const file = join(LOCAL_RUNTIME_DIR, 'bootstrap.mjs');
  const { outputFiles } = buildSync({
    entryPoints: [RUNTIME_SOURCE],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: BUNDLE_TARGET,
    write: false,
    outfile: file,
    logLevel: 'warning',
  });
  const code = outputFiles.find((o) => o.path === file);
  if (!code) throw new Error(`esbuild wrote no ${file}.`);
  mkdirSync(LOCAL_RUNTIME_DIR, { recursive: true });
  const aside = `${file}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFileSync(aside, code.contents);
    renameSync(aside, file);
  } catch (err) {
    rmSync(aside, { force: true });
    throw err;
  }
  built = file;
  return file;
}
