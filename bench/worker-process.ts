import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, stopChild } from '../infra/local/child-process';
import { ensureLambdaNode } from '../infra/local/lambda-node';
import { launchWorkerProcess } from '../infra/local/worker-process';
import type { SqsRequestCounts } from './sqs-counter';

/** Messages the bench sends to its worker. */
export type ToBenchWorker =
  | { readonly type: 'sqs-counts' }
  | { readonly type: 'profile-start' }
  | { readonly type: 'profile-stop'; readonly file: string }
  | { readonly type: 'node-version' }
  | { readonly type: 'stop' };

/** Messages the bench worker sends back (besides the ready announcement every worker makes). */
export type FromBenchWorker =
  | { readonly type: 'sqs-counts'; readonly counts: SqsRequestCounts }
  | { readonly type: 'profile'; readonly done: boolean }
  | { readonly type: 'node-version'; readonly version: string };

/** Options of {@link startBenchWorker}. */
export interface BenchWorkerOptions {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** URL of the job queue the dispatching activity sends to. */
  readonly queueUrl: string;
  /** Longest to wait for the worker to bundle its workflows and start polling. @default 120000 */
  readonly startTimeoutMs?: number;
}

/** The bench worker process. */
export interface BenchWorker {
  readonly pid: number | undefined;
  /** The Node.js it runs on (`process.version`), as it reports it. */
  nodeVersion(): Promise<string>;
  /** SQS requests the worker has made so far (its dispatching activity's `SendMessage`s). */
  sqsCounts(): Promise<SqsRequestCounts>;
  /** Starts a CPU profile of the worker's main thread (its activities; workflows run in worker threads). */
  startProfile(): Promise<void>;
  /** Stops it and writes the `.cpuprofile`. */
  stopProfile(file: string): Promise<void>;
  /** Drains the worker and waits for its process to exit. */
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/**
 * The Node.js the bench worker runs on: the project's copy of the Lambda runtime's major (`.tools/`), today's
 * active LTS, so the worker is measured on the Node a deployment would choose rather than on whatever runs the
 * bench (Node 20, past its end of life, still runs the tests). Both paths share the worker, so the ratios compare
 * like with like.
 */
export function benchWorkerNode(): string {
  return join(ensureLambdaNode(), 'node');
}

/**
 * Starts `bench/worker-main.ts` on {@link benchWorkerNode} in a process of its own and waits until it polls. Besides the ready
 * announcement, the bench talks to it over the same IPC channel: SQS counts, CPU profiles, and `stop` (it
 * ignores SIGINT, so a terminal's Ctrl-C does not tear it down under a run).
 */
export async function startBenchWorker(options: BenchWorkerOptions): Promise<BenchWorker> {
  const child = await launchWorkerProcess({
    name: 'the bench worker',
    entry: ENTRY,
    execPath: benchWorkerNode(),
    env: {
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace,
      BENCH_TASK_QUEUE: options.taskQueue,
      BENCH_QUEUE_URL: options.queueUrl,
    },
    readyTimeoutMs: options.startTimeoutMs,
  });
  const ask = <T extends FromBenchWorker['type']>(request: ToBenchWorker, answer: T): Promise<Extract<FromBenchWorker, { type: T }>> =>
    new Promise((resolveAnswer, reject) => {
      const onMessage = (message: FromBenchWorker): void => {
        if (message.type !== answer) return;
        child.off('message', onMessage);
        resolveAnswer(message as Extract<FromBenchWorker, { type: T }>);
      };
      child.on('message', onMessage);
      if (!child.connected) reject(new Error('The bench worker is gone.'));
      else child.send(request);
    });
  return {
    pid: child.pid,
    nodeVersion: async () => (await ask({ type: 'node-version' }, 'node-version')).version,
    sqsCounts: async () => (await ask({ type: 'sqs-counts' }, 'sqs-counts')).counts,
    startProfile: async () => {
      await ask({ type: 'profile-start' }, 'profile');
    },
    stopProfile: async (file) => {
      await ask({ type: 'profile-stop', file }, 'profile');
    },
    stop: async () => {
      if (child.connected) child.send({ type: 'stop' } satisfies ToBenchWorker);
      const drained = await Promise.race([exited(child).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      if (!drained) await stopChild(child, 2_000);
    },
  };
}
