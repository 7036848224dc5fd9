/**
 * `npx tsx scripts/bench-large-payloads.ts [--json]`: latency and cost per job of large inputs (issue 17) on the
 * local stack — a Temporal dev server, fauxqs (SQS and S3), the worker and the job function in this process
 * behind the local Lambda runner, with the claim check on at its default threshold (256 KiB).
 *
 * For a 100 KiB, a 1 MiB and a 5 MiB input to `greet` (whose result is as large as its input), it runs jobs one
 * after the other and measures the workflow's latency as the client sees it (start → result: the input stored,
 * read and re-stored at each hop, the result likewise) and counts the S3 requests and bytes the codecs made, per
 * job. The cost per million jobs prices S3 requests and storage (held for the bucket's expiry) from
 * `bench/prices.json`, and the SQS requests, counted as SQS bills them (each 64 KiB chunk of a message is a request).
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { startLambdaRunner } from '../infra/local/lambda-runner';
import type { SqsLambdaHandler } from '../infra/local/lambda-event';
import { startLocalStack } from '../infra/local/local-stack';
import { PAYLOAD_BUCKET } from '../infra/payload-bucket';
import { projectPath } from '../infra/project-root';
import { greetHandler } from '../functions/handlers/greet';
import { createSqsJobHandler } from '../functions/runtime/sqs-job-handler';
import { closeTemporalClient } from '../functions/runtime/temporal-client';
import { createClaimCheckCodec, DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES, STORED_PAYLOAD_PREFIX } from '../jobs/payload-store/claim-check-codec';
import { s3PayloadStore } from '../jobs/payload-store/payload-store';
import type { PayloadStore } from '../jobs/payload-store/payload-store';
import { createSqsClient } from '../jobs/sqs-client';
import { createJobWorker } from '../worker/worker';
import { RUN_JOB_WORKFLOW } from '../worker/constants';

const KiB = 1024;
const SIZES = [
  { label: '100 KiB', bytes: 100 * KiB, jobs: 20 },
  { label: '1 MiB', bytes: 1024 * KiB, jobs: 10 },
  { label: '5 MiB', bytes: 5 * 1024 * KiB, jobs: 6 },
];
const SQS_CHUNK = 64 * KiB;

interface Prices {
  readonly sqs: { readonly perMillionRequests: number };
  readonly s3?: { readonly perMillionPut: number; readonly perMillionGet: number; readonly perGbMonth: number; readonly source: string };
}

interface Counts {
  puts: number;
  gets: number;
  putBytes: number;
  getBytes: number;
  /** Distinct objects written (the key is the content's digest: the same bytes rewrite the same object), and their bytes. */
  objects: number;
  objectBytes: number;
}

/** Wraps a store so every request and byte is counted. */
function counted(store: PayloadStore, counts: Counts): PayloadStore {
  const keys = new Set<string>();
  return {
    bucket: store.bucket,
    put: async (key, bytes) => {
      counts.puts += 1;
      counts.putBytes += bytes.length;
      if (!keys.has(key)) {
        keys.add(key);
        counts.objects += 1;
        counts.objectBytes += bytes.length;
      }
      await store.put(key, bytes);
    },
    get: async (key) => {
      const bytes = await store.get(key);
      counts.gets += 1;
      counts.getBytes += bytes.length;
      return bytes;
    },
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** SQS requests of one job as billed: a send and a receive of the message (64 KiB chunks each) and a delete. */
function sqsRequestsPerJob(inputBytes: number): number {
  // Inline, the input rides base64 in the body (~4/3 of it plus ~1 KiB of fields); by reference, the body is ~1 KiB.
  const body = inputBytes + 64 <= DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES ? Math.ceil(((inputBytes + 64) * 4) / 3) + 1024 : 1024;
  return 2 * Math.ceil(body / SQS_CHUNK) + 1;
}

const json = process.argv.includes('--json');
const prices = JSON.parse(readFileSync(projectPath('bench/prices.json'), 'utf8')) as Prices;
Runtime.install({ logger: new DefaultLogger('WARN') });
process.env.LOG_LEVEL ??= 'warn';
const stack = await startLocalStack({ stage: 'bench-large' });
const bucket = process.env.PAYLOAD_BUCKET;
if (!bucket) throw new Error('The local stack created no payload bucket (no S3 endpoint): run without AWS_ENDPOINT_URL_SQS set.');
const counts: Counts = { puts: 0, gets: 0, putBytes: 0, getBytes: 0, objects: 0, objectBytes: 0 };
const store = counted(s3PayloadStore({ bucket }), counts);
const sideConverter = (keyPrefix: string): DataConverter => ({ payloadCodecs: [createClaimCheckCodec({ store, keyPrefix })] });
const sqs = createSqsClient();
const taskQueue = `bench-large-${Date.now()}`;
const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress });
const worker = await createJobWorker({
  connection: workerConnection,
  taskQueue,
  sqs,
  queueUrls: { jobs: stack.queues.jobs.url },
  dataConverter: sideConverter(STORED_PAYLOAD_PREFIX.inputs),
});
const running = worker.run();
const handler = createSqsJobHandler({ jobs: [greetHandler], dataConverter: sideConverter(STORED_PAYLOAD_PREFIX.results), prewarm: false });
const runner = await startLambdaRunner({ sqs, queueUrl: stack.queues.jobs.url, handler: handler as SqsLambdaHandler, concurrency: 2 });
const connection = await Connection.connect({ address: stack.temporalAddress });
const client = new Client({ connection, dataConverter: sideConverter(STORED_PAYLOAD_PREFIX.inputs) });

const rows: Record<string, unknown>[] = [];
try {
  for (const size of SIZES) {
    const run = async (i: number): Promise<number> => {
      const name = `${i}`.padEnd(size.bytes, 'x');
      const started = performance.now();
      await client.workflow.execute(RUN_JOB_WORKFLOW, {
        taskQueue,
        workflowId: `large-${size.bytes}-${i}-${Date.now()}`,
        args: ['greet', { name }],
      });
      return performance.now() - started;
    };
    await run(-1); // warm-up: first workflow of this size, connections to S3
    const before = { ...counts };
    const latencies: number[] = [];
    for (let i = 0; i < size.jobs; i += 1) latencies.push(await run(i));
    latencies.sort((a, b) => a - b);
    const per = (n: number): number => n / size.jobs;
    const puts = per(counts.puts - before.puts);
    const gets = per(counts.gets - before.gets);
    const storedBytes = per(counts.objectBytes - before.objectBytes);
    const sqsRequests = sqsRequestsPerJob(size.bytes);
    const months = PAYLOAD_BUCKET.expirationDays / 30;
    const s3 = prices.s3;
    const costPerMillion = {
      s3Requests: s3 ? puts * s3.perMillionPut + gets * s3.perMillionGet : NaN,
      s3Storage: s3 ? ((storedBytes * 1e6) / 1024 ** 3) * s3.perGbMonth * months : NaN,
      sqs: sqsRequests * prices.sqs.perMillionRequests,
    };
    rows.push({
      input: size.label,
      jobs: size.jobs,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      s3Puts: puts,
      s3Gets: gets,
      objects: per(counts.objects - before.objects),
      storedMiB: +(storedBytes / 1024 ** 2).toFixed(2),
      sqsRequests,
      usdS3RequestsPerM: +costPerMillion.s3Requests.toFixed(2),
      usdS3StoragePerM: +costPerMillion.s3Storage.toFixed(2),
      usdSqsPerM: +costPerMillion.sqs.toFixed(2),
    });
  }
} finally {
  await runner.stop();
  worker.shutdown();
  await running;
  await workerConnection.close();
  await connection.close();
  await closeTemporalClient();
  sqs.destroy();
  await stack.stop();
}

if (json)
  console.log(JSON.stringify({ threshold: DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES, expirationDays: PAYLOAD_BUCKET.expirationDays, rows }));
else {
  console.log(`claim check at ${DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES} bytes; objects kept ${PAYLOAD_BUCKET.expirationDays} days`);
  console.table(rows);
}
