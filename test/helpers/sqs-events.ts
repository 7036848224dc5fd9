import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** A realistic SQS record for `body`, as Lambda's event source builds it. */
export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'test', ApproximateFirstReceiveTimestamp: now },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
    awsRegion: 'us-east-1',
    ...overrides,
  };
}

/** An SQS event from received messages (or bare bodies). */
export function sqsEvent(messages: readonly (Message | string)[], queueArn = 'arn:aws:sqs:us-east-1:000000000000:test'): SQSEvent {
  return {
    Records: messages.map((m) =>
      typeof m === 'string'
        ? sqsRecord(m, { eventSourceARN: queueArn })
        : sqsRecord(m.Body ?? '', {
            messageId: m.MessageId ?? randomUUID(),
            receiptHandle: m.ReceiptHandle ?? '',
            eventSourceARN: queueArn,
          }),
    ),
  };
}
