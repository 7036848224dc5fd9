/**
 * What one job message costs the sender's CPU in the AWS SDK, by how many messages share a request:
 * `SendMessage`, and `SendMessageBatch` with 1, 3 and 10 entries, each with ten requests in flight (as
 * concurrent dispatching activities have), against fauxqs in a process of its own. Messages of 900 bytes with a
 * signature attribute, like a job message. Two repetitions; the first warms the JIT up.
 *
 * `npx tsx scripts/bench-send-batching.ts [--messages N]` (default 3,000 per row; ~20 s).
 */
import { parseArgs } from 'node:util';
import { CreateQueueCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { applyLocalAwsEnv } from '../infra/local/local-aws-env';
import { startLocalSqsServer } from '../infra/local/sqs-server';
import { createSqsClient } from '../jobs/sqs-client';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '3000' } } });
const MESSAGES = Number(values.messages);
const IN_FLIGHT = 10;

const server = await startLocalSqsServer();
applyLocalAwsEnv(server.endpoint);
const sqs = createSqsClient();
try {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `send-batching-${Date.now()}` }));
  const body = 'x'.repeat(900);
  const attributes = { JobSignature: { DataType: 'String', StringValue: `hmac-sha256.k1.${'a'.repeat(43)}` } };
  const request = (entries: number): Promise<unknown> =>
    entries === 0
      ? sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: attributes }))
      : sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: Array.from({ length: entries }, (_, i) => ({ Id: String(i), MessageBody: body, MessageAttributes: attributes })),
          }),
        );

  /** CPU ms of this process per message, sending with `entries` per request (0: SendMessage). */
  const cpuPerMessage = async (entries: number): Promise<number> => {
    const perRequest = Math.max(1, entries);
    const start = process.cpuUsage();
    for (let sent = 0; sent < MESSAGES;) {
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < IN_FLIGHT && sent < MESSAGES; i++, sent += perRequest) requests.push(request(entries));
      await Promise.all(requests);
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / MESSAGES;
  };

  for (const repetition of [1, 2]) {
    for (const entries of [0, 1, 3, 10]) {
      const ms = await cpuPerMessage(entries);
      const label = entries === 0 ? 'SendMessage' : `SendMessageBatch of ${entries}`;
      console.log(`repetition ${repetition}, ${label}: ${ms.toFixed(3)} ms CPU per message`);
    }
  }
} finally {
  sqs.destroy();
  await server.stop();
}
