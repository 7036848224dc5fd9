/**
 * `npm run build:worker`: bundles the workflows ahead of time (so the production worker does not bundle at
 * start-up) and compiles the worker entry into `.build/worker/main.mjs`, with npm packages left external.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/worker';

const started = Date.now();
await mkdir('.build/worker', { recursive: true });
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { info: () => undefined, warn: console.warn, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined } });
await writeFile('.build/worker/workflow-bundle.js', code);
await build({
  entryPoints: ['worker/main.ts'],
  outfile: '.build/worker/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`worker built in ${Date.now() - started} ms: .build/worker/main.mjs, .build/worker/workflow-bundle.js (${code.length} bytes)`);
