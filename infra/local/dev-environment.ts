import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName, TriggerQueueName } from '../../jobs/queues';
import type { CreatedQueue } from './create-queues';
import { startFunctionUrlServer } from './function-url-server';
import type { FunctionUrlServer } from './function-url-server';
import { createSqsClient } from '../../jobs/sqs-client';
import { createContainerPool } from './container-pool';
import type { ContainerPool } from './container-pool';
import { forwardedLocalEnv } from './lambda-environment';
import { startLambdaRunner } from './lambda-runner';
import type { LambdaRunner } from './lambda-runner';
import type { SqsLambdaHandler } from './lambda-event';
import { startLocalStack } from './local-stack';
import { PROJECT_ROOT } from '../project-root';
import type { LocalStack, LocalStackOptions } from './local-stack';
import { loadLocalFunctions } from './local-functions';
import type { LocalFunction } from './local-functions';
import { startWorkerProcess } from './worker-process';
import type { WorkerProcess } from './worker-process';

/**
 * Where the local processJobs containers write each callback URL they hand out (`<workflowId>.<activityId>.url`),
 * for `npm run dev` to print and `npm start -- --callback` to pick up. Emptied at every start.
 */
export const CALLBACK_URL_DIR = join(PROJECT_ROOT, '.build', 'local', 'callback-urls');

/** The callback function's name in `serverless.yml`: its Function URL is the base of every callback URL. */
export const CALLBACK_FUNCTION = 'callback';

/** Options of {@link startDevEnvironment}. */
export interface DevEnvironmentOptions extends LocalStackOptions {
  /** Extra environment for the function containers (e.g. `LOG_FORMAT`, `LOG_LEVEL`). */
  readonly functionEnv?: Readonly<Record<string, string>>;
  /** Worker log level. @default INFO */
  readonly workerLogLevel?: string;
  /** Where the worker's output goes. @default inherit */
  readonly workerStdio?: 'inherit' | 'ignore';
  /** Called when an invocation fails as a whole (timeout, crash). */
  readonly onInvocationError?: (fn: string, err: unknown) => void;
  /** Freeze idle function containers between invocations, as Lambda does (`npm run dev -- --no-freeze` turns it off). @default true */
  readonly freeze?: boolean;
}

/** One deployed-like function running locally. */
export interface RunningFunction {
  readonly config: LocalFunction;
  readonly pool: ContainerPool;
  readonly runners: readonly LambdaRunner[];
  /** Its Function URL on a loopback port, when `serverless.yml` gives it one. */
  readonly urlServer?: FunctionUrlServer;
}

/** Everything `npm run dev` and `npm start` run. */
export interface DevEnvironment {
  readonly stack: LocalStack;
  readonly functions: readonly RunningFunction[];
  readonly worker: WorkerProcess;
  /** Rebuilds the function zips and retires every warm container; new ones run the new zips (watch mode). */
  reloadFunctions(): Promise<void>;
  /** Stops polling, lets invocations in flight finish (up to `graceMs`), drains the worker, stops servers. */
  stop(graceMs?: number): Promise<void>;
}

/** What {@link startLocalFunction} needs besides the function. */
export interface LocalFunctionDeps {
  readonly sqs: SQSClient;
  /** The queues the function's event sources name. */
  readonly queues: Readonly<Partial<Record<QueueName | TriggerQueueName, CreatedQueue>>>;
  /**
   * Environment of its containers, on top of the function's own plain-string environment, which is on top of
   * what the local stack forwards from this process (`FORWARDED_LOCAL_ENV`: AWS credentials and endpoints,
   * `TEMPORAL_*`, the local key rings, log settings).
   */
  readonly env?: Readonly<Record<string, string>>;
  readonly onInvocationError?: (err: unknown) => void;
  /** Freeze idle containers between invocations. @default true */
  readonly freeze?: boolean;
}

/**
 * Runs one function the way Lambda would: a pool of per-process containers running its unpacked zip (up to
 * the sum of its event sources' maximumConcurrency, frozen between invocations) and one event source per SQS
 * event, with its batch size, batching window, concurrency and response type.
 */
export async function startLocalFunction(fn: LocalFunction, deps: LocalFunctionDeps): Promise<RunningFunction> {
  const pool = createContainerPool({
    artifact: fn.artifact,
    handler: fn.handler,
    functionName: fn.name,
    timeoutMs: fn.timeoutSeconds * 1000,
    memoryMb: fn.memoryMb,
    // A function behind a Function URL only: its reserved concurrency, else a couple of containers, serve its requests.
    maxContainers: fn.events.reduce((sum, e) => sum + e.maximumConcurrency, 0) || (fn.url ? (fn.reservedConcurrency ?? 2) : 0),
    env: { ...forwardedLocalEnv(), ...fn.environment, ...deps.env },
    freeze: deps.freeze,
  });
  const invoke: SqsLambdaHandler = async (event) => (await pool.invoke(event)) as Awaited<ReturnType<SqsLambdaHandler>>;
  // Without ReportBatchItemFailures Lambda ignores the response: a returned batch is deleted whole.
  const invokeIgnoringResponse: SqsLambdaHandler = async (event, context) => {
    await invoke(event, context);
  };
  const runners: LambdaRunner[] = [];
  for (const event of fn.events) {
    const queue = deps.queues[event.queue];
    if (!queue) throw new Error(`${fn.name} consumes queue "${event.queue}", which the local stack has not created.`);
    runners.push(
      await startLambdaRunner({
        sqs: deps.sqs,
        queueUrl: event.deadLetter ? queue.deadLetterUrl : queue.url,
        handler: event.functionResponseType === 'ReportBatchItemFailures' ? invoke : invokeIgnoringResponse,
        batchSize: event.batchSize,
        maximumBatchingWindowSeconds: event.maximumBatchingWindowSeconds,
        concurrency: event.maximumConcurrency,
        ...(event.provisionedPollers ? { pollers: event.provisionedPollers.minimum } : {}),
        functionName: fn.name,
        onError: deps.onInvocationError,
      }),
    );
  }
  const urlServer = fn.url ? await startFunctionUrlServer({ invoke: (event) => pool.invoke(event), authType: fn.url.authType }) : undefined;
  return { config: fn, pool, runners, ...(urlServer ? { urlServer } : {}) };
}

/**
 * Starts the local stack, the bundled functions (each container its own process, settings from
 * `serverless.yml`), one event source per queue they consume, and the worker process.
 */
export async function startDevEnvironment(options: DevEnvironmentOptions = {}): Promise<DevEnvironment> {
  const stack = await startLocalStack(options);
  const sqs = createSqsClient();
  const started: RunningFunction[] = [];
  let worker: WorkerProcess | undefined;
  try {
    await rm(CALLBACK_URL_DIR, { recursive: true, force: true });
    await mkdir(CALLBACK_URL_DIR, { recursive: true });
    // The callback function first: the functions that hand out callback URLs (processJobs) put them after its
    // address (CALLBACK_BASE_URL; in the cloud, its Function URL) and write each under CALLBACK_URL_DIR, where
    // `npm run dev` prints it from. No other URL is a callback base, startWorkflowHttp's included.
    const functions = (await loadLocalFunctions()).sort(
      (a, b) => Number(b.name === CALLBACK_FUNCTION) - Number(a.name === CALLBACK_FUNCTION),
    );
    const callbackEnv: Record<string, string> = {};
    for (const fn of functions) {
      const running = await startLocalFunction(fn, {
        sqs,
        queues: { ...stack.queues, ...stack.triggerQueues },
        env: { TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_NAMESPACE: stack.namespace, ...callbackEnv, ...options.functionEnv },
        onInvocationError: (err) => options.onInvocationError?.(fn.name, err),
        freeze: options.freeze,
      });
      started.push(running);
      if (fn.name === CALLBACK_FUNCTION && running.urlServer) {
        Object.assign(callbackEnv, { CALLBACK_BASE_URL: running.urlServer.url, CALLBACK_URL_DIR });
      }
    }
    const queueUrls = Object.fromEntries(Object.entries(stack.queues).map(([q, c]) => [q, c.url])) as Record<QueueName, string>;
    worker = await startWorkerProcess({
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      queueUrls,
      stdio: options.workerStdio,
      logLevel: options.workerLogLevel,
    });
  } catch (err) {
    for (const f of started) {
      await f.urlServer?.stop();
      for (const r of f.runners) await r.stop();
      await f.pool.stop(0);
    }
    sqs.destroy();
    await stack.stop();
    throw err;
  }
  const runningWorker = worker;
  return {
    stack,
    functions: started,
    worker: runningWorker,
    reloadFunctions: async () => {
      await loadLocalFunctions({ rebuild: true });
      for (const f of started) f.pool.recycle();
    },
    stop: async (graceMs = 10_000) => {
      await Promise.all(started.flatMap((f) => [...f.runners.map((r) => r.stop()), f.urlServer?.stop()]));
      await Promise.all(started.map((f) => f.pool.stop(graceMs)));
      await runningWorker.stop();
      sqs.destroy();
      await stack.stop();
    },
  };
}
