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
 * Creates a {@link HandlerPool}. An idle instance takes each invocation, so `lastOutcomes` is read from the
 * instance that ran it, never overwritten by a concurrent invocation; all share the container's Temporal client.
 */
export function createHandlerPool(options: HandlerPoolOptions = {}): HandlerPool {
  const idle: SqsJobHandler[] = [];
  const deliveries: Delivery[] = [];
  let containers = 0;
  const handler: SqsLambdaHandler = async (event, context) => {
    let instance = idle.pop();
    if (!instance) {
      instance = createSqsJobHandler({ jobs: options.jobs ?? [...TEST_HANDLERS, ...RELIABILITY_HANDLERS], logger: options.logger, prewarm: false });
      containers += 1;
    }
    try {
      const response = await instance(event, context);
      const at = Date.now();
      for (const record of event.Records) {
        const outcome = instance.lastOutcomes.get(record.messageId);
        if (outcome) deliveries.push({ messageId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount), outcome, at });
      }
      return response;
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
