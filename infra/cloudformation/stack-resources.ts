import type { AnyHttpTrigger, AnyTrigger } from '../../jobs/define-trigger';
import { batchingWindowOf, CONSUMERS, QUEUES, TRIGGER_CONSUMER, TRIGGER_QUEUES } from '../../jobs/queues';
import type { ConsumerName, FunctionName, QueueConsumer, QueueDefinition, TriggerQueueDefinition } from '../../jobs/queues';
import { HTTP_TRIGGERS, TRIGGERS } from '../../jobs/triggers';
import { functionAlarms, queueAlarms } from './alarm-resources';
import { checkQueueDefinitions } from './check-definitions';
import { functionRole, workerOutputs, workerPolicy } from './iam-resources';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from '../../jobs/payload-store/claim-check-codec';
import { PAYLOAD_BUCKET } from '../payload-bucket';
import { getAtt, RETAIN } from './intrinsics';
import {
  functionPayloadStatements,
  payloadBucketOutputs,
  payloadBucketResources,
  workerPayloadStatements,
} from './payload-bucket-resources';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { eventSourceMappingLogicalId, functionLogicalIds, queueLogicalIds } from './logical-ids';
import { queuePolicies } from './queue-policies';
import { queueOutputs, queueResources } from './queue-resources';
import { checkTriggers, HTTP_STARTER, HTTP_STARTER_TIMEOUT_SECONDS, httpStarterResources, triggerResources } from './trigger-resources';

/** An SQS event of a function in `serverless.yml` (osls's shape). */
export interface SqsEventSource {
  readonly sqs: {
    readonly arn: CfnValue;
    readonly batchSize: number;
    readonly maximumBatchingWindow?: number;
    readonly functionResponseType: 'ReportBatchItemFailures';
    /** Absent on an event source in provisioned mode, which takes no maximum concurrency. */
    readonly maximumConcurrency?: number;
  };
}

/** What `resources.extensions` may add to a resource osls generates. */
type ResourceExtension = Pick<CfnResource, 'DeletionPolicy' | 'UpdateReplacePolicy'> & { readonly Properties?: Record<string, unknown> };

/** What `serverless.yml` reads from `.build/infra/stack.json`. */
export interface GeneratedStack {
  /** Per function: its timeout and its SQS events. */
  readonly functions: Readonly<Record<FunctionName, { readonly timeout: number; readonly events: readonly SqsEventSource[] }>>;
  /** The payload bucket's settings that `serverless.yml` reads as parameter defaults (`infra/payload-bucket.ts`). */
  readonly payloadBucket: { readonly expirationDays: number; readonly offloadThresholdBytes: number };
  /** The HTTP starter (`startWorkflowHttp`): its timeout and its Function URL setting (osls's `url`). */
  readonly httpFunction: { readonly timeout: number; readonly url: true | { readonly authorizer: 'aws_iam' } };
  /** Merged into the template by osls (`resources:`). */
  readonly resources: {
    readonly Resources: Readonly<Record<string, CfnResource>>;
    readonly Outputs: Readonly<Record<string, CfnOutput>>;
    /** Attributes osls adds to resources it generates itself, by logical id (osls's `resources.extensions`). */
    readonly extensions: Readonly<Record<string, ResourceExtension>>;
  };
}

/**
 * The SQS event of a function on one queue. `definition` carries the queue's event-source opt-ins; it is
 * given only for `processJobs` on a job queue (the dead-letter function's events take the consumer's settings).
 */
function eventSource(queueArn: CfnValue, consumer: QueueConsumer, fifo: boolean, definition?: QueueDefinition): SqsEventSource {
  const provisioned = definition?.eventSource?.provisionedPollers !== undefined;
  return {
    sqs: {
      arn: queueArn,
      batchSize: consumer.batchSize,
      // FIFO event sources take no batching window.
      ...(fifo ? {} : { maximumBatchingWindow: batchingWindowOf(definition ?? {}, consumer) }),
      functionResponseType: 'ReportBatchItemFailures',
      // Provisioned mode and maximum concurrency are mutually exclusive on an SQS event source.
      ...(provisioned ? {} : { maximumConcurrency: consumer.maximumConcurrency }),
    },
  };
}

/**
 * `ProvisionedPollerConfig` of the job function's event source on each queue that opts in. osls's `sqs` event
 * has no such setting, so it is added to the event source mapping osls generates, through `resources.extensions`.
 */
function provisionedPollerExtensions(entries: readonly [string, QueueDefinition][]): Record<string, ResourceExtension> {
  return Object.fromEntries(
    entries.flatMap(([queue, definition]) => {
      const pollers = definition.eventSource?.provisionedPollers;
      if (!pollers) return [];
      const id = eventSourceMappingLogicalId('processJobs', queueLogicalIds(queue).queue);
      return [[id, { Properties: { ProvisionedPollerConfig: { MinimumPollers: pollers.minimum, MaximumPollers: pollers.maximum } } }]];
    }),
  );
}

/**
 * Everything of the deployed stack that follows from `jobs/queues.json` and `jobs/triggers.ts`: per job queue its queue,
 * dead-letter queue, their queue policies, alarms, outputs and the two functions' SQS events; the functions'
 * roles; the worker's managed policy and outputs; the payload bucket (claim check) and its grants; per trigger its
 * queues, bucket or rule (`trigger-resources.ts`) and the starter function's role, alarms and events; `Retain` on
 * the log groups osls creates. The parameters,
 * the Temporal connection policy, the signing secret and the alarm topic are in `parameters.yml`.
 *
 * @throws QueueDefinitionError when a definition is unsafe to deploy (see {@link checkQueueDefinitions}).
 */
export function buildStackResources(
  queues: Readonly<Record<string, QueueDefinition>> = QUEUES,
  consumers: Readonly<Record<ConsumerName, QueueConsumer>> = CONSUMERS,
  triggers: readonly AnyTrigger[] = Object.values(TRIGGERS),
  triggerQueues: Readonly<Record<string, TriggerQueueDefinition>> = TRIGGER_QUEUES,
  starter: QueueConsumer = TRIGGER_CONSUMER,
  httpTriggers: readonly AnyHttpTrigger[] = Object.values(HTTP_TRIGGERS),
): GeneratedStack {
  checkQueueDefinitions(queues, consumers);
  checkTriggers(triggers, triggerQueues, starter);
  const entries = Object.entries(queues);
  const jobQueueArns = entries.map(([queue]) => getAtt(queueLogicalIds(queue).queue, 'Arn'));
  const deadLetterArns = entries.map(([queue]) => getAtt(queueLogicalIds(queue).deadLetter, 'Arn'));
  const Resources: Record<string, CfnResource> = {
    ...functionRole('processJobs', 'processJobs: consumes the job queues.', jobQueueArns, functionPayloadStatements()),
    ...functionRole('deadLetter', 'deadLetter: consumes the dead-letter queues.', deadLetterArns),
    ...workerPolicy(jobQueueArns, workerPayloadStatements()),
    ...payloadBucketResources(),
    ...functionAlarms('processJobs'),
    ...functionAlarms('deadLetter'),
    // The callback function (serverless.yml, infra/cloudformation/callback.yml): its throttle is deliberate.
    ...functionAlarms(
      'callback',
      'requests past its reserved concurrency were answered 429 without reaching Temporal: a flood of requests, or more ' +
        'outsiders at once than reserved. Read its log group; raise reservedConcurrency in serverless.yml if the load is legitimate.',
    ),
  };
  const Outputs: Record<string, CfnOutput> = { ...workerOutputs(), ...payloadBucketOutputs() };
  for (const [queue, definition] of entries) {
    Object.assign(Resources, queueResources(queue, definition), queuePolicies(queue), queueAlarms(queue, definition));
    Object.assign(Outputs, queueOutputs(queue));
  }
  const triggerQueueArns = triggers.map((t) => getAtt(queueLogicalIds(t.queue).queue, 'Arn'));
  if (triggers.length > 0) {
    Object.assign(
      Resources,
      functionRole('startWorkflows', 'startWorkflows: consumes the trigger queues.', triggerQueueArns),
      functionAlarms('startWorkflows'),
    );
  }
  const http = httpStarterResources(httpTriggers);
  Object.assign(Resources, http.resources);
  for (const trigger of triggers) {
    const { resources, outputs } = triggerResources(trigger, triggerQueues[trigger.queue]!);
    Object.assign(Resources, resources);
    Object.assign(Outputs, outputs);
  }
  const jobEvents = entries.map(([, definition], i) =>
    eventSource(jobQueueArns[i]!, consumers.processJobs, definition.fifo ?? false, definition),
  );
  const deadLetterEvents = entries.map(([, definition], i) =>
    eventSource(deadLetterArns[i]!, consumers.deadLetter, definition.fifo ?? false),
  );
  return {
    functions: {
      processJobs: { timeout: consumers.processJobs.timeoutSeconds, events: jobEvents },
      deadLetter: { timeout: consumers.deadLetter.timeoutSeconds, events: deadLetterEvents },
      startWorkflows: { timeout: starter.timeoutSeconds, events: triggerQueueArns.map((arn) => eventSource(arn, starter, false)) },
    },
    payloadBucket: { expirationDays: PAYLOAD_BUCKET.expirationDays, offloadThresholdBytes: DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES },
    httpFunction: { timeout: HTTP_STARTER_TIMEOUT_SECONDS, url: http.url },
    resources: {
      Resources,
      Outputs,
      // Logs outlive the functions: kept when the stack is deleted, to read what happened before.
      extensions: {
        ...Object.fromEntries(
          ([...Object.keys(consumers), 'startWorkflows', HTTP_STARTER] as FunctionName[]).map((fn) => [
            functionLogicalIds(fn).logGroup,
            { ...RETAIN },
          ]),
        ),
        ...provisionedPollerExtensions(entries),
      },
    },
  };
}
