/**
 * What Lambda hands a function, built the one way every local part uses: the SQS event source's records
 * (the runner, the bench, the test helpers) and the invocation `Context` (the runner, the containers).
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** A Lambda handler for SQS events. */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** A received message's attributes in the shape Lambda's SQS event gives them (`stringValue`, `dataType`). */
export function lambdaMessageAttributes(message: Message): SQSRecord['messageAttributes'] {
  const attributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    attributes[name] = {
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return attributes;
}

/**
 * The `SQSRecord` Lambda's event source makes of a received message: every system attribute SQS returned
 * (`MessageGroupId` and `SequenceNumber` on FIFO queues among them) over defaults for the four every record
 * has, and the message attributes.
 */
export function sqsRecordOf(message: Message, queueArn: string, region = process.env.AWS_REGION ?? 'us-east-1'): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
      ...(message.Attributes as Partial<SQSRecord['attributes']> | undefined),
    },
    messageAttributes: lambdaMessageAttributes(message),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions {
  readonly functionName: string;
  /** Epoch ms the invocation times out at; `getRemainingTimeInMillis` counts down to it. */
  readonly deadline: number;
  /** @default 1024 */
  readonly memoryMb?: number;
  /** @default a random UUID */
  readonly requestId?: string;
  /** @default 'local' */
  readonly logStreamName?: string;
}

/** The `Context` of one invocation, as Lambda's Node.js runtime passes it. */
export function lambdaContext(options: LambdaContextOptions): Context {
  const { functionName, deadline } = options;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
