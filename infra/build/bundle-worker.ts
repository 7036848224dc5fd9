import { build } from 'esbuild';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker';
import { projectPath } from '../project-root';
import { writeFileAtomic } from '../write-file-atomic';

/** Where {@link bundleWorker} writes, relative to the project root (the production worker's working directory). */
export const WORKER_BUILD = { entry: '.build/worker/main.mjs', workflowBundle: '.build/worker/workflow-bundle.js' } as const;

const quiet = {
  info: () => undefined,
  warn: console.warn,
  error: console.error,
  debug: () => undefined,
  trace: () => undefined,
  log: () => undefined,
};

/**
 * Bundles the workflows ahead of time (so the production worker does not bundle at start-up) and compiles
 * the worker entry (`worker/main.ts`) into {@link WORKER_BUILD}`.entry`, npm packages left external.
 * @returns the workflow bundle's size in bytes
 */
export async function bundleWorker(): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  await writeFileAtomic(projectPath(WORKER_BUILD.workflowBundle), code);
  await build({
    absWorkingDir: projectPath(),
    entryPoints: ['worker/main.ts'],
    outfile: projectPath(WORKER_BUILD.entry),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return code.length;
}
