import { mkdir, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './worker';

/** Where {@link buildWorker} writes. */
export const WORKER_BUILD = { entry: '.build/worker/main.mjs', workflowBundle: '.build/worker/workflow-bundle.js' } as const;

const quiet = { info: () => undefined, warn: console.warn, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

/**
 * Bundles the workflows ahead of time (so the production worker does not bundle at start-up) and compiles
 * the worker entry into {@link WORKER_BUILD}`.entry`, npm packages left external.
 * @returns the workflow bundle's size in bytes
 */
export async function buildWorker(): Promise<number> {
  await mkdir('.build/worker', { recursive: true });
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  await writeFile(WORKER_BUILD.workflowBundle, code);
  await build({
    entryPoints: ['worker/main.ts'],
    outfile: WORKER_BUILD.entry,
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
