import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import { loadLocalFunctions } from '../infra/local/local-functions';
import type { LocalFunction } from '../infra/local/local-functions';
import { startLocalStack } from '../infra/local/local-stack';
import type { LocalStack } from '../infra/local/local-stack';
import { createSqsClient } from '../jobs/sqs-client';
import { countSqsRequests } from './sqs-counter';
import type { SqsRequestCounts } from './sqs-counter';
import { startBenchTemporalServer } from './temporal-server';
import type { BenchTemporalServer } from './temporal-server';
import { startBenchWorker } from './worker-process';
import type { BenchWorker } from './worker-process';

/** Options of {@link startBenchEnvironment}. */
export interface BenchEnvironmentOptions {
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** Everything the phases share: servers, queues, the bench worker, a client, and the function settings. */
export interface BenchEnvironment {
  readonly runId: string;
  readonly stack: LocalStack;
  /** Prometheus endpoint of the Temporal dev server, when this run started it. */
  readonly temporalMetricsUrl?: string;
  /** pid of the Temporal dev server, when this run started it. */
  readonly temporalServerPid?: number;
  /** Dynamic config of that server (none with an external one). */
  readonly temporalDynamicConfig: Readonly<Record<string, string>>;
  readonly client: Client;
  readonly worker: BenchWorker;
  /** Task queue of the bench worker. */
  readonly taskQueue: string;
  /** SQS client the local Lambda runners use; every request through it is counted in {@link runnerSqsCounts}. */
  readonly runnerSqs: SQSClient;
  readonly runnerSqsCounts: SqsRequestCounts;
  /** SQS client for the benchmark's own reads and deletes, not counted. */
  readonly sqs: SQSClient;
  /** `processJobs` as `serverless.yml` declares it (memory, timeout, environment, event source settings). */
  readonly processJobs: LocalFunction;
  /** Environment of the bench function's containers; `BENCH_LOG` names the file each invocation appends to. */
  functionEnv(benchLog: string): Record<string, string>;
  /** Stops the worker, the client and every server this run started. */
  stop(): Promise<void>;
}

/**
 * Starts a Temporal dev server of the run's own (so its metrics count only this run; `TEMPORAL_ADDRESS`
 * overrides it), the local stack's SQS and queues under a stage of the run's own, and the bench worker.
 */
export async function startBenchEnvironment(options: BenchEnvironmentOptions): Promise<BenchEnvironment> {
  const runId = randomUUID().slice(0, 8);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => options.log(`while stopping: ${String(err)}`));
  };
  try {
    let server: BenchTemporalServer | undefined;
    if (!process.env.TEMPORAL_ADDRESS) {
      server = await startBenchTemporalServer(options.log);
      stops.push(() => server!.stop());
      process.env.TEMPORAL_ADDRESS = server.address;
    }
    const stack = await startLocalStack({ stage: `bench-${runId}`, log: options.log });
    stops.push(() => stack.stop());
    const [processJobs] = (await loadLocalFunctions()).filter((f) => f.name === 'processJobs');
    if (!processJobs) throw new Error('serverless.yml has no processJobs function.');
    const connection = await Connection.connect({ address: stack.temporalAddress });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: stack.namespace });
    const runnerSqs = createSqsClient();
    const runnerSqsCounts = countSqsRequests(runnerSqs);
    const sqs = createSqsClient();
    stops.push(async () => {
      runnerSqs.destroy();
      sqs.destroy();
    });
    const taskQueue = `bench-${runId}`;
    options.log('Starting the bench worker (bundles the bench workflows)…');
    const worker = await startBenchWorker({
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      taskQueue,
      queueUrl: stack.queues.jobs.url,
    });
    stops.push(() => worker.stop());
    return {
      runId,
      stack,
      temporalMetricsUrl: server?.metricsUrl,
      temporalServerPid: server?.process.pid,
      temporalDynamicConfig: server?.dynamicConfig ?? {},
      client,
      worker,
      taskQueue,
      runnerSqs,
      runnerSqsCounts,
      sqs,
      processJobs,
      functionEnv: (benchLog) => ({
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_NAMESPACE: stack.namespace,
        // Production's level: the runtime formats its per-job lines (the bench function discards them).
        LOG_LEVEL: 'info',
        BENCH_LOG: benchLog,
      }),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
