/**
 * `npm run job -- <job> '<json input>'`: starts a workflow that runs one job on the running `npm run dev`
 * environment (or on `TEMPORAL_ADDRESS`) and prints its result.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { readDevState } from '../infra/local/dev-state';
import { JOBS } from '../jobs/catalog';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { RUN_JOB_WORKFLOW, TASK_QUEUE } from '../worker/constants';

const [job, rawInput = '{}'] = process.argv.slice(2);
if (!job || !(job in JOBS)) {
  console.error(`Usage: npm run job -- <job> '<json input>'   (jobs: ${Object.keys(JOBS).join(', ')})`);
  process.exit(2);
}
let input: unknown;
try {
  input = JSON.parse(rawInput);
} catch {
  console.error(`The input must be JSON, e.g. '{"name":"Ada"}'; got: ${rawInput}`);
  process.exit(2);
}
const address = process.env.TEMPORAL_ADDRESS ?? readDevState().temporalAddress;
const connection = await Connection.connect({ address });
try {
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default', dataConverter: dataConverterFromEnv() });
  const workflowId = `job-${job}-${randomUUID().slice(0, 8)}`;
  console.log(`running ${job} as workflow ${workflowId} on ${address}…`);
  const result = await client.workflow.execute(RUN_JOB_WORKFLOW, { taskQueue: TASK_QUEUE, workflowId, args: [job, input] });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await connection.close();
}
