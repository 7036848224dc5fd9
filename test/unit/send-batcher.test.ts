import type { SendMessageBatchRequest, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SendBatcherClosedError, SendEntryFailedError } from '../../worker/errors';
import { resolveSendBatchingOptions, SendBatcher } from '../../worker/send-batcher';

const QUEUE = 'https://sqs.local/000000000000/jobs';

/** A fake SQS: records every request; answers each after `gate` opens (if given), with `answer`'s result. */
function fakeSqs(answer: (request: SendMessageBatchRequest) => SendMessageBatchResult | Error = acceptAll) {
  const requests: SendMessageBatchRequest[] = [];
  let open: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  return {
    requests,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      open();
      gate = undefined;
    },
    send: async (request: SendMessageBatchRequest): Promise<SendMessageBatchResult> => {
      requests.push(request);
      if (gate) await gate;
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

function acceptAll(request: SendMessageBatchRequest): SendMessageBatchResult {
  return {
    Successful: (request.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.MessageBody}`, MD5OfMessageBody: '' })),
    Failed: [],
  };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('send batcher', () => {
  it('coalesces sends made together into one SendMessageBatch, each caller getting its own message id', async () => {
    // Prepare
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 5 });

    // Act
    const sent = await Promise.all(['a', 'b', 'c'].map((body) => batcher.send(QUEUE, { MessageBody: body })));

    // Assess
    expect(sqs.requests).toHaveLength(1);
    expect(sqs.requests[0]!.Entries!.map((e) => [e.Id, e.MessageBody])).toEqual([
      ['0', 'a'],
      ['1', 'b'],
      ['2', 'c'],
    ]);
    expect(sent.map((s) => s.messageId)).toEqual(['m-a', 'm-b', 'm-c']);
  });

  it('sends a full batch of ten at once, without waiting for the linger', async () => {
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 60_000 });
    const sends = Array.from({ length: 23 }, (_, i) => batcher.send(QUEUE, { MessageBody: String(i) }));
    await tick();
    expect(sqs.requests.map((r) => r.Entries!.length)).toEqual([10, 10]);
    await batcher.close();
    expect(sqs.requests.map((r) => r.Entries!.length)).toEqual([10, 10, 3]);
    expect((await Promise.all(sends)).map((s) => s.messageId)).toEqual(Array.from({ length: 23 }, (_, i) => `m-${i}`));
  });

  it('sends a lone message on a queue with nothing in flight at once, and one behind a request in flight after the linger', async () => {
    // Prepare
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 20 });

    // Act: a lone message; then, while its request is unanswered and traffic is still light, two more
    sqs.hold();
    const first = batcher.send(QUEUE, { MessageBody: 'x' });
    await tick(5);
    const requestsAfterFirst = sqs.requests.length;
    await tick(30);
    const behind = [batcher.send(QUEUE, { MessageBody: 'y' }), batcher.send(QUEUE, { MessageBody: 'z' })];
    await tick(5);
    const requestsBeforeLinger = sqs.requests.length;
    sqs.release();
    await Promise.all([first, ...behind]);

    // Assess
    expect(requestsAfterFirst).toBe(1);
    expect(requestsBeforeLinger).toBe(1);
    expect(sqs.requests.map((r) => r.Entries!.map((e) => e.MessageBody))).toEqual([['x'], ['y', 'z']]);
  });

  it('sends a burst after a quiet spell in batches, not a request a message (shipped lingers)', async () => {
    // Prepare: SQS answering in 5 ms; the queue quiet for half a second after one message
    const requests: number[] = [];
    const slowSqs = async (request: SendMessageBatchRequest): Promise<SendMessageBatchResult> => {
      requests.push(request.Entries!.length);
      await tick(5);
      return acceptAll(request);
    };
    const batcher = new SendBatcher(slowSqs);
    await batcher.send(QUEUE, { MessageBody: 'before' });
    await tick(500);
    requests.length = 0;

    // Act: 30 messages 1 ms apart
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      sends.push(batcher.send(QUEUE, { MessageBody: String(i) }));
      await tick(1);
    }
    await Promise.all(sends);

    // Assess: the first goes at once (with what came within its turn); the rest gather behind the requests in flight
    expect(requests[0]).toBeLessThanOrEqual(2);
    expect(requests.reduce((a, b) => a + b, 0)).toBe(30);
    expect(requests.length).toBeLessThanOrEqual(12);
  });

  it('keeps each queue in batches of its own', async () => {
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1 });
    await Promise.all([
      batcher.send(QUEUE, { MessageBody: '1' }),
      batcher.send(`${QUEUE}-2`, { MessageBody: '2' }),
      batcher.send(QUEUE, { MessageBody: '3' }),
    ]);
    expect(sqs.requests.map((r) => [r.QueueUrl, r.Entries!.map((e) => e.MessageBody)])).toEqual([
      [QUEUE, ['1', '3']],
      [`${QUEUE}-2`, ['2']],
    ]);
  });

  it('sends large messages alone: no batch goes over 1 MiB', async () => {
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1 });
    const big = 'x'.repeat(700_000);
    await Promise.all([
      batcher.send(QUEUE, { MessageBody: `${big}1` }),
      batcher.send(QUEUE, { MessageBody: 'small' }),
      batcher.send(QUEUE, { MessageBody: `${big}2` }),
    ]);
    expect(sqs.requests.map((r) => r.Entries!.map((e) => e.MessageBody!.length))).toEqual([[700_001, 5], [700_001]]);
  });

  it('keeps FIFO group and deduplication ids on each entry', async () => {
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1 });
    const fifo = `${QUEUE}.fifo`;
    await Promise.all([
      batcher.send(fifo, { MessageBody: 'a', MessageGroupId: 'wf-1', MessageDeduplicationId: 'd-a' }),
      batcher.send(fifo, { MessageBody: 'b', MessageGroupId: 'wf-2', MessageDeduplicationId: 'd-b' }),
    ]);
    expect(sqs.requests[0]!.Entries).toEqual([
      { Id: '0', MessageBody: 'a', MessageGroupId: 'wf-1', MessageDeduplicationId: 'd-a' },
      { Id: '1', MessageBody: 'b', MessageGroupId: 'wf-2', MessageDeduplicationId: 'd-b' },
    ]);
  });

  it('fails only the caller whose entry SQS refused', async () => {
    // Prepare
    const sqs = fakeSqs((request) => {
      const { Successful = [] } = acceptAll(request);
      return {
        Successful: Successful.filter((s) => s.Id !== '1'),
        Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true, Message: 'no' }],
      };
    });
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1 });

    // Act
    const results = await Promise.allSettled(['a', 'b', 'c'].map((body) => batcher.send(QUEUE, { MessageBody: body })));

    // Assess
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason as SendEntryFailedError;
    expect(reason).toBeInstanceOf(SendEntryFailedError);
    expect(reason.code).toBe('InvalidMessageContents');
  });

  it("fails every entry of a batch whose request failed, and only that batch's", async () => {
    const boom = new Error('throttled');
    let calls = 0;
    const sqs = fakeSqs((request) => (++calls === 1 ? boom : acceptAll(request)));
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1, maxEntries: 2 });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((body) => batcher.send(QUEUE, { MessageBody: body })));
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.value.messageId))).toEqual([boom, boom, 'm-c']);
  });

  it('holds at most maxPendingMessages: further sends wait until SQS answers (backpressure)', async () => {
    // Prepare
    const sqs = fakeSqs();
    sqs.hold();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 0, maxEntries: 2, maxPendingMessages: 4 });

    // Act
    const sends = Array.from({ length: 9 }, (_, i) => batcher.send(QUEUE, { MessageBody: String(i) }));
    await tick(5);

    // Assess
    expect(batcher.pending).toMatchObject({ messages: 4, waitingForRoom: 5 });
    expect(sqs.requests.flatMap((r) => r.Entries!.map((e) => e.MessageBody))).toEqual(['0', '1', '2', '3']);
    sqs.release();
    const sent = await Promise.all(sends);
    expect(sent.map((s) => s.messageId)).toEqual(Array.from({ length: 9 }, (_, i) => `m-${i}`));
    expect(batcher.pending).toEqual({ messages: 0, bytes: 0, waitingForRoom: 0 });
  });

  it('holds at most maxPendingBytes, but always lets one message in when nothing is pending', async () => {
    const sqs = fakeSqs();
    sqs.hold();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 0, maxPendingBytes: 10 });
    const first = batcher.send(QUEUE, { MessageBody: 'x'.repeat(50) });
    const second = batcher.send(QUEUE, { MessageBody: 'y' });
    await tick(5);
    expect(batcher.pending).toMatchObject({ messages: 1, bytes: 50, waitingForRoom: 1 });
    sqs.release();
    await Promise.all([first, second]);
    expect(sqs.requests).toHaveLength(2);
  });

  it('refuses sends after close, and close sends what was waiting', async () => {
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 60_000 });
    const waiting = batcher.send(QUEUE, { MessageBody: 'w' });
    await tick();
    await batcher.close();
    await expect(waiting).resolves.toMatchObject({ messageId: 'm-w' });
    await expect(batcher.send(QUEUE, { MessageBody: 'late' })).rejects.toBeInstanceOf(SendBatcherClosedError);
  });

  it('documents its defaults and refuses options out of range', () => {
    expect(resolveSendBatchingOptions()).toEqual({
      lingerMs: 3,
      maxLingerMs: 40,
      maxEntries: 10,
      maxBatchBytes: 1_048_576,
      maxPendingMessages: 1_000,
      maxPendingBytes: 64 * 1_048_576,
    });
    expect(() => resolveSendBatchingOptions({ maxEntries: 11 })).toThrow(/maxEntries must be between 1 and 10/);
    expect(() => resolveSendBatchingOptions({ lingerMs: -1 })).toThrow(RangeError);
    expect(() => resolveSendBatchingOptions({ maxBatchBytes: 2_000_000 })).toThrow(RangeError);
    expect(resolveSendBatchingOptions({ lingerMs: 50 }).maxLingerMs).toBe(50);
    expect(() => resolveSendBatchingOptions({ lingerMs: 10, maxLingerMs: 5 })).toThrow(/maxLingerMs must be between 10 and 60000/);
  });

  it('keeps the short linger for two workflows running jobs one after another (the latency case)', async () => {
    // Prepare: the defaults (3 ms, 40 ms under heavy traffic)
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send);
    const waits: number[] = [];

    // Act: two producers, each sending its next job ~25 ms after the last was sent (an async job's p50)
    const producer = async (name: string): Promise<void> => {
      for (let i = 0; i < 12; i++) {
        const started = Date.now();
        await batcher.send(QUEUE, { MessageBody: `${name}${i}` });
        waits.push(Date.now() - started);
        await tick(25);
      }
    };
    await Promise.all([producer('a'), producer('b')]);

    // Assess: the median send waited about the short linger, not the 40 ms one. (Producers that wait for their
    // own sends cannot hold the longer linger anyway: waiting it slows them below the pace that engages it.)
    const sorted = [...waits].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(12);
  });

  it('waits the longer linger while messages keep coming, and only the short one for a message after a quiet spell', async () => {
    // Prepare
    const sqs = fakeSqs();
    const batcher = new SendBatcher(sqs.send, { lingerMs: 1, maxLingerMs: 200 });

    // Act: 30 messages a few ms apart, then one alone after half a second of quiet
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      sends.push(batcher.send(QUEUE, { MessageBody: String(i) }));
      await tick(2);
    }
    await Promise.all(sends);
    const busyRequests = sqs.requests.length;
    await tick(500);
    const started = Date.now();
    await batcher.send(QUEUE, { MessageBody: 'alone' });
    const loneWaitMs = Date.now() - started;

    // Assess: with the 1 ms linger alone the 30 would have taken about 30 requests
    expect(busyRequests).toBeLessThanOrEqual(6);
    expect(sqs.requests.at(-1)!.Entries!.map((e) => e.MessageBody)).toEqual(['alone']);
    expect(loneWaitMs).toBeLessThan(100);
  });
});
