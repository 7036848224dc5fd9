/** `npm run build:worker`: pre-builds the workflow bundle and the worker entry (see infra/build/bundle-worker.ts). */
import { bundleWorker, WORKER_BUILD } from '../infra/build/bundle-worker';

const started = Date.now();
const bytes = await bundleWorker();
console.log(`worker built in ${Date.now() - started} ms: ${WORKER_BUILD.entry}, ${WORKER_BUILD.workflowBundle} (${bytes} bytes)`);
