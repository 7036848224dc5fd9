import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { readClaimCheckReference } from '../../jobs/payload-store/claim-check-codec';

/** What an operator sees of a dead-lettered message: ids and counts, never the token or the input. */
export interface DeadLetterSummary {
  readonly messageId: string;
  readonly job?: string;
  readonly workflowId?: string;
  readonly activityId?: string;
  readonly attempt?: number;
  readonly receiveCount: number;
  readonly ageSeconds: number;
  /**
   * Where the input is stored when it travelled by reference (claim check): `s3://<bucket>/<key> (<size> bytes)`.
   * The reference only: the listing never reads the object.
   */
  readonly storedInput?: string;
  /** Why the body could not be read as a job message, if it could not. */
  readonly unreadable?: string;
}

function summarise(message: Message, now: number): DeadLetterSummary {
  const attributes = message.Attributes ?? {};
  const base = {
    messageId: message.MessageId ?? '?',
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
    ageSeconds: Math.round((now - Number(attributes.SentTimestamp ?? now)) / 1000),
  };
  try {
    const body = JSON.parse(message.Body ?? '') as Record<string, unknown>;
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return {
      ...base,
      job: text(body.job),
      workflowId: text(body.workflowId),
      activityId: text(body.activityId),
      attempt: typeof body.attempt === 'number' ? body.attempt : undefined,
      storedInput: storedInputOf(body.input),
    };
  } catch {
    return { ...base, unreadable: 'not JSON' };
  }
}

/** The claim-check reference of a job message's input, described; `undefined` when the input is inline. */
function storedInputOf(input: unknown): string | undefined {
  const { metadata, data } = (input ?? {}) as { metadata?: Record<string, unknown>; data?: unknown };
  if (typeof metadata?.encoding !== 'string' || typeof data !== 'string') return undefined;
  const payload = { metadata: { encoding: Buffer.from(metadata.encoding, 'base64') }, data: Buffer.from(data, 'base64') };
  try {
    const reference = readClaimCheckReference(payload);
    return reference && `s3://${reference.bucket}/${reference.key} (${reference.size} bytes)`;
  } catch {
    return 'malformed reference';
  }
}

/**
 * Lists the messages of a dead-letter queue without consuming them: each is received with a short
 * visibility timeout and made visible again at once.
 */
export async function listDeadLetters(sqs: SQSClient, deadLetterUrl: string, max = 100): Promise<DeadLetterSummary[]> {
  const seen = new Map<string, DeadLetterSummary>();
  const handles: Message[] = [];
  for (let round = 0; round < Math.ceil(max / 10) + 1 && seen.size < max; round += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 5,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages) {
      seen.set(m.MessageId ?? '', summarise(m, Date.now()));
      handles.push(m);
    }
  }
  for (let i = 0; i < handles.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: deadLetterUrl,
        Entries: handles.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
  return [...seen.values()];
}

/**
 * Moves every message of a dead-letter queue back to its source queue: sent to the source first, then
 * deleted from the dead-letter queue, so a failure in between duplicates (which the runtime tolerates)
 * rather than loses. @returns how many were moved
 */
export async function redriveDeadLetters(sqs: SQSClient, deadLetterUrl: string, sourceUrl: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return moved;
    for (const m of Messages) {
      await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: m.Body ?? '', MessageAttributes: m.MessageAttributes }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: m.ReceiptHandle }));
      moved += 1;
    }
  }
}
