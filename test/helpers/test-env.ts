import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { applyLocalAwsEnv } from '../../infra/local/local-aws-env';
import { applyLocalSigningKeys } from '../../infra/local/local-signing-keys';
import type { QueueDefinition } from '../../jobs/queues';
import { createSqsClient } from '../../jobs/sqs-client';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import type { SqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { closeTemporalClient } from '../../functions/runtime/temporal-client';
import type { Logger } from '../../functions/runtime/logger';
import { createJobWorker } from '../../worker/worker';
import { recordOutcomes } from './outcome-recorder';
import type { OutcomeRecorder } from './outcome-recorder';
import { RELIABILITY_HANDLERS, RELIABILITY_JOBS, TEST_HANDLERS, TEST_JOBS } from './test-jobs';
import { sqsEvent, testContext } from './sqs-events';

/** Options of {@link startTestEnv}. */
export interface TestEnvOptions {
  /** Run a local Lambda runner on the job queue. @default true */
  readonly runner?: boolean;
  readonly dataConverter?: DataConverter;
  readonly queueOverrides?: Partial<QueueDefinition>;
  /** Temporal frontend (`host:port`) for the client, the worker and the test function. @default the global setup's */
  readonly temporalAddress?: string;
  /** Run an in-process worker on the environment's task queue. @default true */
  readonly worker?: boolean;
  /** Logger of the test function. @default JSON lines on stdout */
  readonly logger?: Logger;
}

/** A worker on its own task queue, its own queues, a test function and (optionally) a runner. */
export interface TestEnv {
  readonly client: Client;
  readonly sqs: SQSClient;
  readonly queue: CreatedQueue;
  readonly taskQueue: string;
  readonly handler: SqsJobHandler;
  /** What the test function reported through its `onOutcomes` hook (`last`: the last batch's outcomes). */
  readonly outcomes: OutcomeRecorder;
  readonly runner?: LambdaRunner;
  /** Starts a workflow of `test-workflows.ts` and returns its handle. */
  start(workflow: string, ...args: unknown[]): ReturnType<Client['workflow']['start']>;
  /** Receives up to `max` messages from a queue, waiting up to `seconds`. */
  receive(queueUrl: string, max?: number, seconds?: number): Promise<Message[]>;
  /** Invokes the test function with these messages as one batch. */
  invoke(messages: readonly (Message | string)[], remainingMs?: number): ReturnType<SqsJobHandler>;
  stop(): Promise<void>;
}

const WORKFLOWS = fileURLToPath(new URL('./test-workflows.ts', import.meta.url));

/** Path of the test workflows module, for workers started outside {@link startTestEnv}. */
export const TEST_WORKFLOWS_PATH = WORKFLOWS;

let runtimeInstalled = false;

/** Installs the worker runtime with a logger of the test's; call before {@link startTestEnv}. */
export function installRuntimeLogger(logger: DefaultLogger): void {
  Runtime.install({ logger });
  runtimeInstalled = true;
}

/**
 * Points this test file at the servers of the global setup. Quiets the worker's logs unless the test
 * installed the runtime itself (to capture them) with {@link installRuntimeLogger}.
 */
export function useGlobalServers(): void {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
  process.env.TEMPORAL_NAMESPACE = 'default';
  applyLocalAwsEnv(inject('sqsEndpoint'));
  applyLocalSigningKeys();
}

/** Builds an isolated environment on the global servers; independent of other test files. */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  useGlobalServers();
  const address = options.temporalAddress ?? inject('temporalAddress');
  process.env.TEMPORAL_ADDRESS = address;
  const id = randomUUID().slice(0, 8);
  const sqs = createSqsClient();
  const queue = (await createJobQueues(sqs, `t-${id}`, options.queueOverrides)).jobs;
  const taskQueue = `tq-${id}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: options.dataConverter });
  let workerConnection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  let worker: Worker | undefined;
  if (options.worker ?? true) {
    workerConnection = await NativeConnection.connect({ address });
    worker = await createJobWorker({
      connection: workerConnection,
      taskQueue,
      sqs,
      queueUrls: { jobs: queue.url },
      jobs: { ...TEST_JOBS, ...RELIABILITY_JOBS },
      workflowsPath: WORKFLOWS,
      dataConverter: options.dataConverter,
    });
    running = worker.run();
  }
  const outcomes = recordOutcomes();
  const handler = createSqsJobHandler({
    jobs: [...TEST_HANDLERS, ...RELIABILITY_HANDLERS],
    dataConverter: options.dataConverter,
    prewarm: false,
    logger: options.logger,
    onOutcomes: outcomes.onOutcomes,
  });
  const runner =
    options.runner === false
      ? undefined
      : await startLambdaRunner({ sqs, queueUrl: queue.url, handler: handler as SqsLambdaHandler, concurrency: 2 });
  return {
    client,
    sqs,
    queue,
    taskQueue,
    handler,
    outcomes,
    runner,
    start: (workflow, ...args) => client.workflow.start(workflow, { taskQueue, workflowId: `${workflow}-${randomUUID()}`, args }),
    receive: async (queueUrl, max = 10, seconds = 5) => {
      const deadline = Date.now() + seconds * 1000;
      const got: Message[] = [];
      while (got.length < max && Date.now() < deadline) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: max - got.length,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        got.push(...(Messages ?? []));
      }
      return got;
    },
    invoke: (messages, remainingMs = 20_000) => handler(sqsEvent(messages, queue.arn), testContext(remainingMs)),
    stop: async () => {
      await runner?.stop();
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
      await workerConnection?.close();
      await connection.close();
      await closeTemporalClient();
      sqs.destroy();
    },
  };
}

export type { SQSEvent };
