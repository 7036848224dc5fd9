/** `npm run build:worker`: pre-builds the workflow bundle and the worker entry (see worker/build.ts). */
import { buildWorker, WORKER_BUILD } from '../worker/build';

const started = Date.now();
const bytes = await buildWorker();
console.log(`worker built in ${Date.now() - started} ms: ${WORKER_BUILD.entry}, ${WORKER_BUILD.workflowBundle} (${bytes} bytes)`);
