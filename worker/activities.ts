import { createHash } from 'node:crypto';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '../jobs/queues';
import type { AnyJob } from '../jobs/define-job';
import { JobMessageError } from '../jobs/errors';
import { FailureType } from '../jobs/failure-types';
import { encodeJobMessage, idempotencyKeyOf, JOB_MESSAGE_VERSION } from '../jobs/job-message';
import type { JobMessage } from '../jobs/job-message';
import { encodeJsonPayload } from '../jobs/payloads';
import { jobMessageSignerFromEnv, SIGNATURE_ATTRIBUTE } from '../jobs/security/message-signing';
import type { JobMessageSigner } from '../jobs/security/message-signing';
import { SendBatcher } from './send-batcher';
import type { SendBatchFn, SendBatchingOptions } from './send-batcher';
import { sqsJsonBatchSender } from './sqs-json-batch-sender';

/** What the dispatching activities need. */
export interface JobActivitiesOptions {
  /** The jobs to register; one dispatching activity each, named after the job. */
  readonly jobs: Readonly<Record<string, AnyJob>>;
  /** SQS client used to send job messages. */
  readonly sqs: SQSClient;
  /** URL of each logical queue the jobs use. */
  readonly queueUrls: Readonly<Partial<Record<QueueName, string>>>;
  /**
   * The worker's data converter, so job input in SQS is encoded exactly as Temporal payloads are.
   * @default Temporal's default converter, no codecs
   */
  readonly dataConverter?: DataConverter;
  /**
   * Signs every job message; the functions refuse what it did not sign.
   * @default {@link jobMessageSignerFromEnv} (`JOB_SIGNING_KEYS_SECRET_ARN`, `JOB_SIGNING_KEYS_PARAMETER` or `JOB_SIGNING_KEYS`)
   */
  readonly signer?: JobMessageSigner;
  /**
   * How the activities' messages are coalesced into `SendMessageBatch` requests (linger, batch and memory
   * limits), or a batcher to share.
   * @default a batcher of its own with {@link SendBatchingOptions}' defaults (a 3 ms linger, up to 40 ms under heavy traffic, 10 entries, 1 MiB)
   */
  readonly batching?: SendBatchingOptions | SendBatcher;
  /**
   * Makes each `SendMessageBatch` request (not used when `batching` is a batcher, which has its own).
   * `sqsBatchSender(sqs)` sends through the AWS SDK's middleware stack instead, for middleware of your own on `sqs`.
   * @default {@link sqsJsonBatchSender}(`sqs`): the request made directly with the client's credentials, region and endpoint
   */
  readonly sendBatch?: SendBatchFn;
}

/**
 * FIFO queues need a group and a deduplication id: one group per workflow keeps a workflow's jobs in order,
 * and the attempt-scoped id makes a re-sent attempt (activity retried by the worker) deduplicate.
 */
export function fifoAttributes(queueUrl: string, message: JobMessage): { MessageGroupId?: string; MessageDeduplicationId?: string } {
  if (!queueUrl.endsWith('.fifo')) return {};
  const dedup = createHash('sha256').update(`${message.namespace}/${message.idempotencyKey}/${message.attempt}`).digest('hex');
  return { MessageGroupId: message.workflowId.slice(0, 128), MessageDeduplicationId: dedup };
}

/** Computes the attempt's deadline: the earlier of its start-to-close and schedule-to-close deadlines. */
function attemptDeadline(info: Context['info'], now: number): string | undefined {
  const candidates: number[] = [];
  if (info.startToCloseTimeoutMs > 0) candidates.push(now + info.startToCloseTimeoutMs);
  if (info.scheduleToCloseTimeoutMs > 0) candidates.push(info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs);
  return candidates.length === 0 ? undefined : new Date(Math.min(...candidates)).toISOString();
}

/**
 * The error that leaves an activity open for its function to complete, made without a stack trace. The SDK
 * reads every activity error's `stack` as it finishes (to tell an abort), and formatting a captured stack —
 * through source maps when they are on — cost more worker CPU per job than building the job message. The
 * error is control flow, never logged, so its stack says nothing.
 */
function completeAsyncError(): CompleteAsyncError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CompleteAsyncError();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Creates one dispatching activity per job. Each sends the job message (task token, ids, input payload) to
 * the job's queue and leaves the activity open for the Lambda function to complete. The activities' sends
 * share one {@link SendBatcher}: concurrent dispatches go out together in `SendMessageBatch` requests.
 *
 * @throws ApplicationFailure (non-retryable, type `JobInputTooLarge`) when the message would exceed SQS's limit.
 */
export function createJobActivities(options: JobActivitiesOptions): Record<string, (input: unknown) => Promise<never>> {
  const activities: Record<string, (input: unknown) => Promise<never>> = {};
  const signer = options.signer ?? jobMessageSignerFromEnv();
  const batcher =
    options.batching instanceof SendBatcher
      ? options.batching
      : new SendBatcher(options.sendBatch ?? sqsJsonBatchSender(options.sqs), options.batching);
  for (const job of Object.values(options.jobs)) {
    const queueUrl = options.queueUrls[job.queue];
    if (!queueUrl) {
      throw new TypeError(`No queue URL for queue "${job.queue}" of job "${job.name}": pass it in queueUrls.`);
    }
    activities[job.name] = async (input: unknown): Promise<never> => {
      const { info } = Context.current();
      const workflow = info.workflowExecution;
      if (!workflow) throw ApplicationFailure.nonRetryable(`Job "${job.name}" must be called from a workflow.`, FailureType.NotInWorkflow);
      const message: JobMessage = {
        v: JOB_MESSAGE_VERSION,
        job: job.name,
        taskToken: info.base64TaskToken,
        namespace: info.namespace,
        workflowId: workflow.workflowId,
        runId: workflow.runId,
        activityId: info.activityId,
        activityType: info.activityType,
        attempt: info.attempt,
        idempotencyKey: idempotencyKeyOf(workflow.workflowId, info.activityId),
        deadline: attemptDeadline(info, Date.now()),
        heartbeatTimeoutMs: info.heartbeatTimeoutMs || undefined,
        input: await encodeJsonPayload(input, options.dataConverter),
      };
      let body: string;
      try {
        body = encodeJobMessage(message);
      } catch (err) {
        if (err instanceof JobMessageError) throw ApplicationFailure.nonRetryable(err.message, FailureType.JobInputTooLarge);
        throw err;
      }
      const signature = await signer.sign(body);
      // Coalesced with the other activities' messages into SendMessageBatch; this await settles with this
      // message's own entry, so a refused entry fails this activity and no other.
      await batcher.send(queueUrl, {
        MessageBody: body,
        MessageAttributes: { [SIGNATURE_ATTRIBUTE]: { DataType: 'String', StringValue: signature } },
        ...fifoAttributes(queueUrl, message),
      });
      Context.current().log.info('job dispatched', { job: job.name, queue: job.queue });
      throw completeAsyncError();
    };
  }
  return activities;
}
