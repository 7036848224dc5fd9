/**
 * `npm run worker`: the Temporal worker for production. Runs the workflow bundle built ahead of time
 * (`npm run build:worker`), reads its settings from the environment (see `worker/config.ts`), and on
 * SIGTERM / SIGINT stops polling, lets activities in flight finish, and exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/worker';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { createSqsClient } from '../jobs/sqs-client';
import { readWorkerConfig } from './config';
import { TASK_QUEUE } from './constants';
import { announceWorkerReady } from './launch-protocol';
import { createJobWorker } from './worker';

const bundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? '.build/worker/workflow-bundle.js';
if (!existsSync(bundlePath)) {
  throw new Error(`No workflow bundle at ${bundlePath}: run "npm run build:worker" first, or set WORKFLOW_BUNDLE_PATH.`);
}
const config = readWorkerConfig(process.env, TASK_QUEUE);
const logLevel = (process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
// One JSON line per entry (the SDK's default prints each entry's attributes as a multi-line object).
const errorsAsText = (_key: string, value: unknown): unknown =>
  value instanceof Error ? `${value.name}: ${value.message}` : typeof value === 'bigint' ? String(value) : value;
Runtime.install({
  logger: new DefaultLogger(
    (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(logLevel) ? logLevel : 'INFO') as LogLevel,
    ({ level, message, meta }) => console.log(JSON.stringify({ level, message, ...meta }, errorsAsText)),
  ),
});
const connection = await NativeConnection.connect(config.connection);
const sqs = createSqsClient();
try {
  const worker = await createJobWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    sqs,
    queueUrls: config.queueUrls,
    workflowBundle: { code: readFileSync(bundlePath, 'utf8') },
    dataConverter: dataConverterFromEnv(),
  });
  // The SDK's runtime turns SIGTERM/SIGINT into a graceful shutdown: run() resolves once drained.
  const running = worker.run();
  console.log(`worker polling ${config.taskQueue} in ${config.namespace} at ${config.temporalAddress}`);
  announceWorkerReady();
  await running;
  console.log('worker drained and stopped');
} finally {
  sqs.destroy();
  await connection.close();
}
