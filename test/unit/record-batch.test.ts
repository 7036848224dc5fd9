import { describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { batchItemFailuresOf, processBatch } from '../../functions/runtime/record-batch';
import { sqsRecord } from '../helpers/sqs-events';

const fifo = (body: string, group: string): SQSRecord => {
  const record = sqsRecord(body);
  return { ...record, attributes: { ...record.attributes, MessageGroupId: group } as SQSRecord['attributes'] };
};

const options = (run: (r: SQSRecord) => Promise<string>) => ({
  concurrency: 4,
  run,
  crashed: 'crashed',
  onCrash: () => undefined,
  blocked: 'blocked',
  leftOnQueue: (o: string) => o !== 'ok',
});

describe('processBatch', () => {
  it('keeps any throw in its record’s lane: a RangeError, a non-Error, a synchronous throw', async () => {
    const records = ['ok', 'range', 'string', 'sync', 'ok'].map((b) => sqsRecord(b));
    const crashes: string[] = [];
    const outcomes = await processBatch(records, {
      ...options(async () => 'ok'),
      run: (r) => {
        if (r.body === 'sync') throw new TypeError('sync');
        return r.body === 'ok' ? Promise.resolve('ok') : Promise.reject(r.body === 'range' ? new RangeError('deep') : 'not an error');
      },
      onCrash: (r) => {
        crashes.push(r.body);
        if (r.body === 'string') throw new Error('the logger itself failed');
      },
    });
    expect(outcomes).toEqual(['ok', 'crashed', 'crashed', 'crashed', 'ok']);
    expect(crashes.sort()).toEqual(['range', 'string', 'sync']);
    expect(batchItemFailuresOf(records, outcomes, (o) => o !== 'ok').map((f) => f.itemIdentifier)).toEqual(
      [records[1], records[2], records[3]].map((r) => r?.messageId),
    );
  });

  it('runs a FIFO group in order and blocks the rest of the group after its first left-on-queue record', async () => {
    const records = [fifo('a1', 'A'), fifo('b1', 'B'), fifo('a2-fails', 'A'), fifo('b2', 'B'), fifo('a3', 'A'), fifo('b3', 'B')];
    const seen: string[] = [];
    const outcomes = await processBatch(
      records,
      options(async (r) => {
        seen.push(r.body);
        await new Promise((resolve) => setTimeout(resolve, r.body.startsWith('a') ? 5 : 1));
        return r.body.endsWith('fails') ? 'retry' : 'ok';
      }),
    );
    expect(outcomes).toEqual(['ok', 'ok', 'retry', 'ok', 'blocked', 'ok']);
    expect(seen.filter((b) => b.startsWith('a'))).toEqual(['a1', 'a2-fails']);
    expect(seen.filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
  });

  it('runs standard-queue records concurrently, each in its own lane', async () => {
    let inFlight = 0;
    let most = 0;
    const records = Array.from({ length: 8 }, (_, i) => sqsRecord(String(i)));
    await processBatch(
      records,
      options(async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
        return 'retry';
      }),
    );
    expect(most).toBe(4);
  });
});
