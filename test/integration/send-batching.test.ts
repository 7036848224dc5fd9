import { DeleteMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Message, SendMessageBatchRequest, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobQueues } from '../../infra/local/create-queues';
import { SendEntryFailedError } from '../../worker/errors';
import { SendBatcher } from '../../worker/send-batcher';
import { sqsJsonBatchSender } from '../../worker/sqs-json-batch-sender';
import { SQS_MAX_BATCH_BYTES } from '../../worker/send-batching';
import { signedMessageAttributes } from '../helpers/sqs-events';
import { runInProcessWorker } from '../helpers/in-process-worker';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

/** A batcher over `env.sqs` (the worker's own sender) that records every request it sends. */
function recordingBatcher(env: TestEnv, options: ConstructorParameters<typeof SendBatcher>[1] = {}) {
  const requests: SendMessageBatchRequest[] = [];
  const send = sqsJsonBatchSender(env.sqs);
  const batcher = new SendBatcher((request) => {
    requests.push(request);
    return send(request);
  }, options);
  return { batcher, requests };
}

/** Whether a job message carries the input text `refuse me` (in `attempt`, when given). */
function isRefused(body: string | undefined, attempt?: number): boolean {
  const message = JSON.parse(body ?? '{}') as { attempt?: number; input?: { data?: string } };
  const input = Buffer.from(message.input?.data ?? '', 'base64').toString('utf8');
  return input.includes('refuse me') && (attempt === undefined || message.attempt === attempt);
}

/**
 * The worker's `SendMessageBatch` coalescing against a real SQS endpoint (fauxqs here, ElasticMQ under
 * `npm run test:elasticmq`): many dispatches in few requests, each activity with its own result; a refused
 * entry fails only its sender; large messages go alone; FIFO ids travel per entry.
 */
describe('job messages sent in batches on a real queue', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ worker: false });
  });
  afterAll(() => env?.stop());

  it('dispatches 20 concurrent jobs in fewer requests, and each workflow gets its own result', async () => {
    // Prepare: a worker whose dispatches linger long enough to be coalesced whatever the machine's load.
    const { batcher, requests } = recordingBatcher(env, { lingerMs: 200 });

    // Act
    const results = await runInProcessWorker(
      env,
      async () => {
        const handles = await Promise.all(Array.from({ length: 20 }, (_, i) => env.start('echoWorkflow', `job ${i}`)));
        return Promise.all(handles.map((h) => h.result() as Promise<{ echoed: string }>));
      },
      batcher,
    );

    // Assess
    expect(results.map((r) => r.echoed)).toEqual(Array.from({ length: 20 }, (_, i) => `JOB ${i}`));
    const entries = requests.map((r) => r.Entries?.length ?? 0);
    expect(entries.reduce((a, b) => a + b, 0)).toBe(20);
    expect(requests.length).toBeLessThan(20);
    expect(Math.max(...entries)).toBeLessThanOrEqual(10);
  });

  it('fails, through Temporal, only the activity whose entry was refused; its retry and the others complete', async () => {
    // Prepare: a sender that answers Failed for the first attempt of one job's entry and sends the rest.
    const send = sqsJsonBatchSender(env.sqs);
    const requests: SendMessageBatchRequest[] = [];
    const batcher = new SendBatcher(
      async (request) => {
        requests.push(request);
        const refused = (request.Entries ?? []).filter((e) => isRefused(e.MessageBody, 1));
        const rest = (request.Entries ?? []).filter((e) => !refused.includes(e));
        const result = rest.length > 0 ? await send({ ...request, Entries: rest }) : { Successful: [], Failed: [] };
        const failed = refused.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false, Message: 'injected' }));
        return { ...result, Failed: [...(result.Failed ?? []), ...failed] };
      },
      { lingerMs: 200 },
    );

    // Act
    const texts = ['keep 1', 'refuse me', 'keep 2', 'keep 3'];
    const results = await runInProcessWorker(
      env,
      async () => {
        const handles = await Promise.all(texts.map((text) => env.start('echoWorkflow', text)));
        return Promise.all(handles.map((h) => h.result() as Promise<{ echoed: string; attempt: number }>));
      },
      batcher,
    );

    // Assess
    expect(results.map((r) => [r.echoed, r.attempt])).toEqual([
      ['KEEP 1', 1],
      ['REFUSE ME', 2],
      ['KEEP 2', 1],
      ['KEEP 3', 1],
    ]);
    expect(requests.flatMap((r) => r.Entries ?? []).filter((e) => isRefused(e.MessageBody))).toHaveLength(2);
  });

  it("fails only the entry SQS refused; the batch's other messages are on the queue", async () => {
    // Prepare: a character SQS does not allow in a message (U+0000) in the middle entry.
    const queue = (await createJobQueues(env.sqs, `t-refuse-${Date.now()}`)).jobs;
    const { batcher, requests } = recordingBatcher(env, { lingerMs: 50 });
    const bodies = ['first', 'bad \u0000 character', 'third'];

    // Act
    const results = await Promise.allSettled(bodies.map((body) => batcher.send(queue.url, { MessageBody: body })));

    // Assess
    expect(requests).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason as SendEntryFailedError;
    expect(reason).toBeInstanceOf(SendEntryFailedError);
    // AWS and fauxqs answer InvalidMessageContents; ElasticMQ InvalidAttributeValue. Either way the entry's own.
    expect(reason.code).toMatch(/^Invalid(MessageContents|AttributeValue)$/);
    const received = await env.receive(queue.url, 3, 2);
    expect(received.map((m) => m.Body).sort()).toEqual(['first', 'third']);
  });

  it('fails every entry of a request that failed as a whole (no such queue), and nothing else', async () => {
    const queue = (await createJobQueues(env.sqs, `t-whole-${Date.now()}`)).jobs;
    const { batcher } = recordingBatcher(env, { lingerMs: 20 });
    const missing = `${queue.url}-does-not-exist`;
    const results = await Promise.allSettled([
      batcher.send(missing, { MessageBody: 'a' }),
      batcher.send(missing, { MessageBody: 'b' }),
      batcher.send(queue.url, { MessageBody: 'elsewhere' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBe((results[1] as PromiseRejectedResult).reason);
    expect((results[0] as PromiseRejectedResult).reason).not.toBeInstanceOf(SendEntryFailedError);
    expect((await env.receive(queue.url, 1, 2)).map((m) => m.Body)).toEqual(['elsewhere']);
  });

  it('keeps every request within 1 MiB: 400 KiB messages go two at a time, a message near 1 MiB alone', async () => {
    // Prepare
    const queue = (await createJobQueues(env.sqs, `t-large-${Date.now()}`)).jobs;
    const { batcher, requests } = recordingBatcher(env, { lingerMs: 50 });
    const body = (tag: string, bytes: number) => tag + 'x'.repeat(bytes - tag.length);
    const sizes = [400_000, 400_000, 400_000, SQS_MAX_BATCH_BYTES - 1_024, 1_000];

    // Act
    const sent = await Promise.all(
      sizes.map((bytes, i) => {
        const text = body(String(i), bytes);
        return batcher.send(queue.url, { MessageBody: text, MessageAttributes: signedMessageAttributes(text) });
      }),
    );

    // Assess
    expect(sent.every((s) => typeof s.messageId === 'string')).toBe(true);
    expect(requests.map((r) => r.Entries!.length)).toEqual([2, 1, 1, 1]);
    const received = await env.receive(queue.url, 5, 5);
    expect(received.map((m) => m.Body!.length).sort((a, b) => a - b)).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('keeps group and deduplication ids per entry on a FIFO queue, in order', async () => {
    // Prepare
    const fifo = (await createJobQueues(env.sqs, `t-fifo-${Date.now()}`, { fifo: true })).jobs;
    const { batcher, requests } = recordingBatcher(env, { lingerMs: 50 });

    // Act
    await Promise.all(
      ['a1', 'b1', 'a2', 'b2'].map((body) =>
        batcher.send(fifo.url, { MessageBody: body, MessageGroupId: `group-${body[0]}`, MessageDeduplicationId: `dedup-${body}` }),
      ),
    );
    // The same deduplication id again, within SQS's 5-minute window: accepted, not delivered twice.
    await batcher.send(fifo.url, { MessageBody: 'a1', MessageGroupId: 'group-a', MessageDeduplicationId: 'dedup-a1' });

    // Assess
    expect(requests[0]!.Entries!.map((e) => [e.MessageGroupId, e.MessageDeduplicationId])).toEqual([
      ['group-a', 'dedup-a1'],
      ['group-b', 'dedup-b1'],
      ['group-a', 'dedup-a2'],
      ['group-b', 'dedup-b2'],
    ]);
    // A group's next message is delivered once the one before it is deleted.
    const received: Message[] = [];
    for (let round = 0; round < 10 && received.length < 4; round++) {
      const got = await env.receive(fifo.url, 10, 1);
      for (const m of got) await env.sqs.send(new DeleteMessageCommand({ QueueUrl: fifo.url, ReceiptHandle: m.ReceiptHandle }));
      received.push(...got);
    }
    const byGroup = (group: string) => received.filter((m) => m.Attributes?.MessageGroupId === group).map((m) => m.Body);
    expect(byGroup('group-a')).toEqual(['a1', 'a2']);
    expect(byGroup('group-b')).toEqual(['b1', 'b2']);
    expect(received).toHaveLength(4);
  });

  it('puts on the queue what the AWS SDK puts there for the same request, and fails a request as a whole as the SDK names it', async () => {
    // Prepare: string and binary attributes, a delay, characters outside ASCII; the same entries through both senders.
    const queue = (await createJobQueues(env.sqs, `t-same-${Date.now()}`)).jobs;
    const entries: SendMessageBatchRequestEntry[] = [
      { Id: '0', MessageBody: 'plain', MessageAttributes: { Kind: { DataType: 'String', StringValue: 'a' } } },
      {
        Id: '1',
        MessageBody: 'ünïcödé ✓ "quoted" \\ back',
        MessageAttributes: {
          Blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250, 255]) },
          Count: { DataType: 'Number', StringValue: '42' },
        },
      },
      { Id: '2', MessageBody: 'delayed', DelaySeconds: 1 },
    ];
    const ours = sqsJsonBatchSender(env.sqs);

    // Act
    const byUs = await ours({ QueueUrl: queue.url, Entries: entries.map((e) => ({ ...e, MessageBody: `ours ${e.MessageBody}` })) });
    const bySdk = await env.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries.map((e) => ({ ...e, MessageBody: `sdk ${e.MessageBody}` })) }),
    );
    const received = await env.receive(queue.url, 6, 5);
    const missing = `${queue.url}-does-not-exist`;
    const ourError = await ours({ QueueUrl: missing, Entries: [{ Id: '0', MessageBody: 'x' }] }).then(
      () => new Error('sent to a queue that does not exist'),
      (err: unknown) => err as Error,
    );
    const sdkError = await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: missing, Entries: [{ Id: '0', MessageBody: 'x' }] })).then(
      () => new Error('sent to a queue that does not exist'),
      (err: unknown) => err as Error,
    );

    // Assess
    expect(byUs.Successful?.map((e) => e.Id).sort()).toEqual(['0', '1', '2']);
    expect(bySdk.Successful?.map((e) => e.Id).sort()).toEqual(['0', '1', '2']);
    const view = (m: Message) => ({
      body: m.Body!.replace(/^(ours|sdk) /, ''),
      attributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          [v.DataType, v.StringValue, v.BinaryValue && Buffer.from(v.BinaryValue).toString('hex')],
        ]),
      ),
    });
    const from = (who: string) =>
      received
        .filter((m) => m.Body!.startsWith(`${who} `))
        .map(view)
        .sort((a, b) => a.body.localeCompare(b.body));
    expect(from('ours')).toHaveLength(3);
    expect(from('ours')).toEqual(from('sdk'));
    expect(from('ours').find((m) => m.body.startsWith('ünï'))?.attributes.Blob).toEqual([
      'Binary',
      undefined,
      '0001 02faff'.replace(' ', ''),
    ]);
    expect(ourError.message).not.toBe('sent to a queue that does not exist');
    expect(ourError.name).toBe(sdkError.name);
    expect(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']).toContain(ourError.name);
  });
});
