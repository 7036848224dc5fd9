import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext, lambdaMessageAttributes, sqsRecordOf } from '../../infra/local/lambda-event';
import { parseSigningKeyRing, SIGNATURE_ATTRIBUTE, signWithKeyRing } from '../../jobs/security/message-signing';

/** The queue ARN of records built without one. */
export const TEST_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:test';

/** A realistic SQS record for `body`, as Lambda's event source builds it (fresh ids, first delivery). */
export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const message: Message = { MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body: body };
  return { ...sqsRecordOf(message, TEST_QUEUE_ARN, 'us-east-1'), ...overrides };
}

/** The `Context` of an invocation with `remainingMs` left before its timeout. */
export function testContext(remainingMs = 20_000): Context {
  return lambdaContext({ functionName: 'test-function', deadline: Date.now() + remainingMs });
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

/** An SQS event from received messages (or bare bodies), as the local runner builds it, signed unless told otherwise. */
export function sqsEvent(messages: readonly (Message | string)[], queueArn = TEST_QUEUE_ARN, options: SqsEventOptions = {}): SQSEvent {
  const sign = options.sign ?? true;
  return {
    Records: messages.map((m) => {
      const message: Message = typeof m === 'string' ? { Body: m } : m;
      const body = message.Body ?? '';
      return {
        ...sqsRecordOf(
          { ...message, MessageId: message.MessageId ?? randomUUID(), ReceiptHandle: message.ReceiptHandle ?? randomUUID() },
          queueArn,
          'us-east-1',
        ),
        messageAttributes: sign ? signatureAttribute(body) : lambdaMessageAttributes(message),
      };
    }),
  };
}

/** `MessageAttributes` for SendMessage that sign `body` as the worker does, for tests that play a trusted producer. */
export function signedMessageAttributes(body: string): Record<string, { DataType: string; StringValue: string }> {
  const attribute = signatureAttribute(body)[SIGNATURE_ATTRIBUTE];
  return { [SIGNATURE_ATTRIBUTE]: { DataType: 'String', StringValue: attribute?.stringValue as string } };
}
