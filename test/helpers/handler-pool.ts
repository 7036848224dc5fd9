import type { SQSRecord } from 'aws-lambda';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import type { RegisteredJob } from '../../functions/runtime/job-handler';
import type { Logger } from '../../functions/runtime/logger';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import type { SqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { RELIABILITY_HANDLERS, TEST_HANDLERS } from './test-jobs';

/** Options of {@link createHandlerPool}. */
export interface HandlerPoolOptions {
  /** @default the test function's handlers and the reliability ones */
  readonly jobs?: readonly RegisteredJob[];
  readonly logger?: Logger;
}

/** One record's trip through the function, as the pool saw it. */
export interface Delivery {
  readonly messageId: string;
  readonly receiveCount: number;
  readonly outcome: RecordOutcome;
  /** Epoch ms the invocation that carried it returned. */
  readonly at: number;
}

/** Like Lambda's containers: one handler instance per concurrent invocation, with every record's outcome kept. */
export interface HandlerPool {
  /** The handler to give a runner (or to call by hand). */
  readonly handler: SqsLambdaHandler;
  /** Every record delivered so far, in the order invocations returned. */
  readonly deliveries: readonly Delivery[];
  /** Handler instances created (concurrent invocations at the peak). */
  readonly containers: number;
  /** How many deliveries ended with each outcome. */
  counts(): Record<RecordOutcome, number>;
  /** Outcomes of one message, delivery by delivery. */
  outcomesOf(messageId: string): RecordOutcome[];
}

/**
 * Creates a {@link HandlerPool}. An idle instance takes each invocation, as an idle container would; every
 * instance reports its batches' outcomes through its `onOutcomes` hook, and all share this process's
 * Temporal client.
 */
export function createHandlerPool(options: HandlerPoolOptions = {}): HandlerPool {
  const idle: SqsJobHandler[] = [];
  const deliveries: Delivery[] = [];
  let containers = 0;
  const record = (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]): void => {
    const at = Date.now();
    records.forEach((r, i) =>
      deliveries.push({
        messageId: r.messageId,
        receiveCount: Number(r.attributes.ApproximateReceiveCount),
        outcome: outcomes[i] as RecordOutcome,
        at,
      }),
    );
  };
  const handler: SqsLambdaHandler = async (event, context) => {
    let instance = idle.pop();
    if (!instance) {
      instance = createSqsJobHandler({
        jobs: options.jobs ?? [...TEST_HANDLERS, ...RELIABILITY_HANDLERS],
        logger: options.logger,
        prewarm: false,
        onOutcomes: record,
      });
      containers += 1;
    }
    try {
      return await instance(event, context);
    } finally {
      idle.push(instance);
    }
  };
  return {
    handler,
    deliveries,
    get containers() {
      return containers;
    },
    counts: () => {
      const counts = Object.fromEntries(Object.values(RecordOutcome).map((o) => [o, 0])) as Record<RecordOutcome, number>;
      for (const d of deliveries) counts[d.outcome] += 1;
      return counts;
    },
    outcomesOf: (messageId) => deliveries.filter((d) => d.messageId === messageId).map((d) => d.outcome),
  };
}
