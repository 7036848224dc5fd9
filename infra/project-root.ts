import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where `package.json` is), whatever the current directory. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A path inside the project, from segments relative to its root. */
export function projectPath(...segments: string[]): string {
  return resolve(PROJECT_ROOT, ...segments);
}
