import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaMessageAttributes } from '../../infra/local/lambda-runner';
import { parseSigningKeyRing, SIGNATURE_ATTRIBUTE, signWithKeyRing } from '../../jobs/security/message-signing';

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

/** The `JobSignature` attribute of `body` under this process's key ring (`JOB_SIGNING_KEYS`), in Lambda's shape. */
export function signatureAttribute(body: string): SQSRecord['messageAttributes'] {
  const ring = process.env.JOB_SIGNING_KEYS;
  if (!ring) throw new Error('JOB_SIGNING_KEYS is not set: call useGlobalServers() (or applyLocalSigningKeys()) first.');
  return {
    [SIGNATURE_ATTRIBUTE]: {
      stringValue: signWithKeyRing(parseSigningKeyRing(ring), body),
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    },
  };
}

/** Options of {@link sqsEvent}. */
export interface SqsEventOptions {
  /**
   * Sign every body with this process's key ring, as a trusted producer would: tests that change a body to
   * reach another row of the outcome table keep a valid signature. `false` keeps the attributes as received
   * (none for bare bodies), to test what the functions do with unsigned or forged messages.
   * @default true
   */
  readonly sign?: boolean;
}

/** An SQS event from received messages (or bare bodies). */
export function sqsEvent(
  messages: readonly (Message | string)[],
  queueArn = 'arn:aws:sqs:us-east-1:000000000000:test',
  options: SqsEventOptions = {},
): SQSEvent {
  const sign = options.sign ?? true;
  return {
    Records: messages.map((m) => {
      const body = typeof m === 'string' ? m : (m.Body ?? '');
      const messageAttributes = sign ? signatureAttribute(body) : typeof m === 'string' ? {} : lambdaMessageAttributes(m);
      return typeof m === 'string'
        ? sqsRecord(m, { eventSourceARN: queueArn, messageAttributes })
        : sqsRecord(body, {
            messageId: m.MessageId ?? randomUUID(),
            receiptHandle: m.ReceiptHandle ?? '',
            eventSourceARN: queueArn,
            messageAttributes,
            attributes: { ...sqsRecord('').attributes, ...(m.Attributes as SQSRecord['attributes'] | undefined) },
          });
    }),
  };
}

/** `MessageAttributes` for SendMessage that sign `body` as the worker does, for tests that play a trusted producer. */
export function signedMessageAttributes(body: string): Record<string, { DataType: string; StringValue: string }> {
  const attribute = signatureAttribute(body)[SIGNATURE_ATTRIBUTE];
  return { [SIGNATURE_ATTRIBUTE]: { DataType: 'String', StringValue: attribute?.stringValue as string } };
}
