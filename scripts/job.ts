/**
 * `npm run job -- <job> '<json input>'` or `npm run job -- <job> --input-file <path>`: starts a workflow that runs
 * one job on the running `npm run dev` environment (or on `TEMPORAL_ADDRESS`) and prints its result. An input
 * over the claim-check threshold goes to the payload bucket (`PAYLOAD_BUCKET`, or the dev environment's) and
 * travels by reference; the result is printed whole unless it is over 4 KiB, then its size and start.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { readDevState } from '../infra/local/dev-state';
import type { DevState } from '../infra/local/dev-state';
import { JOBS } from '../jobs/catalog';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { RUN_JOB_WORKFLOW, TASK_QUEUE } from '../worker/constants';

const USAGE = `Usage: npm run job -- <job> '<json input>' | npm run job -- <job> --input-file <path to JSON>   (jobs: ${Object.keys(JOBS).join(', ')})`;
const PRINTED_RESULT_CHARS = 4_096;

const args = process.argv.slice(2);
const [job] = args;
if (!job || !(job in JOBS)) {
  console.error(USAGE);
  process.exit(2);
}
const fileFlag = args.indexOf('--input-file');
let rawInput: string;
let source: string;
if (fileFlag >= 0) {
  const path = args[fileFlag + 1];
  if (!path) {
    console.error(USAGE);
    process.exit(2);
  }
  try {
    rawInput = readFileSync(path, 'utf8');
  } catch (err) {
    console.error(`Cannot read the input file ${path}: ${(err as Error).message}`);
    process.exit(2);
  }
  source = path;
} else {
  rawInput = args[1] ?? '{}';
  source = 'the command line';
}
let input: unknown;
try {
  input = JSON.parse(rawInput);
} catch {
  // Never echo a whole file: it may be megabytes.
  console.error(`The input from ${source} must be JSON, e.g. '{"name":"Ada"}'; it starts with: ${rawInput.slice(0, 80)}`);
  process.exit(2);
}

let devState: DevState | undefined;
const dev = (): DevState => (devState ??= readDevState());
const address = process.env.TEMPORAL_ADDRESS ?? dev().temporalAddress;
if (!process.env.PAYLOAD_BUCKET && !process.env.TEMPORAL_ADDRESS) {
  // The dev environment's bucket on fauxqs, so a large input can be started by hand against `npm run dev`.
  const { payloadBucket, s3Endpoint } = dev();
  if (payloadBucket && s3Endpoint) {
    process.env.PAYLOAD_BUCKET = payloadBucket;
    process.env.AWS_ENDPOINT_URL_S3 ??= s3Endpoint;
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
}
const connection = await Connection.connect({ address });
try {
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default', dataConverter: dataConverterFromEnv() });
  const workflowId = `job-${job}-${randomUUID().slice(0, 8)}`;
  console.log(`running ${job} as workflow ${workflowId} on ${address} (input: ${Buffer.byteLength(rawInput)} bytes from ${source})…`);
  const result = await client.workflow.execute(RUN_JOB_WORKFLOW, { taskQueue: TASK_QUEUE, workflowId, args: [job, input] });
  const printed = JSON.stringify(result, null, 2) ?? 'undefined';
  console.log(
    printed.length <= PRINTED_RESULT_CHARS ? printed : `${printed.slice(0, PRINTED_RESULT_CHARS)}… (${printed.length} characters in all)`,
  );
} finally {
  await connection.close();
}
