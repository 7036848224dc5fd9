import { CONSUMERS, QUEUES } from '../../jobs/queues';
import type { ConsumerName, QueueConsumer, QueueDefinition } from '../../jobs/queues';
import { functionAlarms, queueAlarms } from './alarm-resources';
import { checkQueueDefinitions } from './check-definitions';
import { functionRole, workerOutputs, workerPolicy } from './iam-resources';
import { getAtt, RETAIN } from './intrinsics';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { functionLogicalIds, queueLogicalIds } from './logical-ids';
import { queuePolicies } from './queue-policies';
import { queueOutputs, queueResources } from './queue-resources';

/** An SQS event of a function in `serverless.yml` (osls's shape). */
export interface SqsEventSource {
  readonly sqs: {
    readonly arn: CfnValue;
    readonly batchSize: number;
    readonly maximumBatchingWindow?: number;
    readonly functionResponseType: 'ReportBatchItemFailures';
    readonly maximumConcurrency: number;
  };
}

/** What `serverless.yml` reads from `.build/infra/stack.json`. */
export interface GeneratedStack {
  /** Per function: its timeout and its SQS events. */
  readonly functions: Readonly<Record<ConsumerName, { readonly timeout: number; readonly events: readonly SqsEventSource[] }>>;
  /** Merged into the template by osls (`resources:`). */
  readonly resources: {
    readonly Resources: Readonly<Record<string, CfnResource>>;
    readonly Outputs: Readonly<Record<string, CfnOutput>>;
    /** Attributes osls adds to resources it generates itself, by logical id (osls's `resources.extensions`). */
    readonly extensions: Readonly<Record<string, Pick<CfnResource, 'DeletionPolicy' | 'UpdateReplacePolicy'>>>;
  };
}

function eventSource(queueArn: CfnValue, consumer: QueueConsumer, fifo: boolean): SqsEventSource {
  return {
    sqs: {
      arn: queueArn,
      batchSize: consumer.batchSize,
      // FIFO event sources take no batching window.
      ...(fifo ? {} : { maximumBatchingWindow: consumer.maximumBatchingWindowSeconds }),
      functionResponseType: 'ReportBatchItemFailures',
      maximumConcurrency: consumer.maximumConcurrency,
    },
  };
}

/**
 * Everything of the deployed stack that follows from `jobs/queues.json`: per job queue its queue,
 * dead-letter queue, their queue policies, alarms, outputs and the two functions' SQS events; the functions'
 * roles; the worker's managed policy and outputs; `Retain` on the log groups osls creates. The parameters,
 * the Temporal connection policy, the signing secret and the alarm topic are in `parameters.yml`.
 *
 * @throws QueueDefinitionError when a definition is unsafe to deploy (see {@link checkQueueDefinitions}).
 */
export function buildStackResources(
  queues: Readonly<Record<string, QueueDefinition>> = QUEUES,
  consumers: Readonly<Record<ConsumerName, QueueConsumer>> = CONSUMERS,
): GeneratedStack {
  checkQueueDefinitions(queues, consumers);
  const entries = Object.entries(queues);
  const jobQueueArns = entries.map(([queue]) => getAtt(queueLogicalIds(queue).queue, 'Arn'));
  const deadLetterArns = entries.map(([queue]) => getAtt(queueLogicalIds(queue).deadLetter, 'Arn'));
  const Resources: Record<string, CfnResource> = {
    ...functionRole('processJobs', 'processJobs: consumes the job queues.', jobQueueArns),
    ...functionRole('deadLetter', 'deadLetter: consumes the dead-letter queues.', deadLetterArns),
    ...workerPolicy(jobQueueArns),
    ...functionAlarms('processJobs'),
    ...functionAlarms('deadLetter'),
  };
  const Outputs: Record<string, CfnOutput> = { ...workerOutputs() };
  for (const [queue, definition] of entries) {
    Object.assign(Resources, queueResources(queue, definition), queuePolicies(queue), queueAlarms(queue, definition));
    Object.assign(Outputs, queueOutputs(queue));
  }
  const eventsOf = (consumer: QueueConsumer, arns: readonly CfnValue[]): SqsEventSource[] =>
    entries.map(([, definition], i) => eventSource(arns[i]!, consumer, definition.fifo ?? false));
  return {
    functions: {
      processJobs: { timeout: consumers.processJobs.timeoutSeconds, events: eventsOf(consumers.processJobs, jobQueueArns) },
      deadLetter: { timeout: consumers.deadLetter.timeoutSeconds, events: eventsOf(consumers.deadLetter, deadLetterArns) },
    },
    resources: {
      Resources,
      Outputs,
      // Logs outlive the functions: kept when the stack is deleted, to read what happened before.
      extensions: Object.fromEntries(
        (Object.keys(consumers) as ConsumerName[]).map((fn) => [functionLogicalIds(fn).logGroup, { ...RETAIN }]),
      ),
    },
  };
}
