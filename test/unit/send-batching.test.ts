import { describe, expect, it } from 'vitest';
import { SendEntryFailedError } from '../../worker/errors';
import {
  batchIsFull,
  entryOutcomes,
  GAP_SMOOTHING,
  lingerFor,
  messageBytes,
  MESSAGES_WORTH_WAITING_FOR,
  NO_ARRIVALS,
  noteArrival,
  SQS_BATCH_LIMITS,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_BATCH_ENTRIES,
  takeForBatch,
} from '../../worker/send-batching';

const MiB = 1_048_576;

describe('the size of a message as SQS counts it', () => {
  it('counts the body in UTF-8 bytes plus each attribute name, type and value', () => {
    // Prepare
    const message = {
      MessageBody: 'héllo',
      MessageAttributes: { JobSignature: { DataType: 'String', StringValue: 'sig' } },
    };

    // Act
    const bytes = messageBytes(message);

    // Assess
    expect(bytes).toBe(6 + 'JobSignature'.length + 'String'.length + 3);
  });

  it('counts a binary attribute by its length', () => {
    expect(messageBytes({ MessageBody: '', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: new Uint8Array(7) } } })).toBe(
      1 + 6 + 7,
    );
  });
});

describe('which messages the next batch takes', () => {
  it('takes up to ten small messages, in order', () => {
    expect(takeForBatch([])).toBe(0);
    expect(takeForBatch([100, 100, 100])).toBe(3);
    expect(takeForBatch(Array.from({ length: 25 }, () => 100))).toBe(SQS_MAX_BATCH_ENTRIES);
  });

  it('keeps a batch within 1 MiB in total: a message that does not fit starts the next batch', () => {
    expect(takeForBatch([400_000, 400_000, 400_000])).toBe(2);
    expect(takeForBatch([SQS_MAX_BATCH_BYTES - 10, 10, 1])).toBe(2);
    expect(takeForBatch([SQS_MAX_BATCH_BYTES - 10, 11])).toBe(1);
  });

  it('sends a message near 1 MiB alone, and still sends one over any limit (SQS answers for it)', () => {
    expect(takeForBatch([MiB - 100, 200])).toBe(1);
    expect(takeForBatch([MiB + 5, 200])).toBe(1);
  });

  it('follows smaller limits when configured', () => {
    expect(takeForBatch([1, 1, 1, 1], { maxEntries: 3, maxBytes: 100 })).toBe(3);
    expect(takeForBatch([60, 50], { maxEntries: 3, maxBytes: 100 })).toBe(1);
  });

  it('never takes more than fits, for any sizes', () => {
    for (let run = 0; run < 200; run++) {
      const sizes = Array.from({ length: 1 + (run % 17) }, (_, i) => ((run * 7919 + i * 104_729) % 600_000) + 1);
      const taken = takeForBatch(sizes);
      const bytes = sizes.slice(0, taken).reduce((a, b) => a + b, 0);
      expect(taken).toBeGreaterThanOrEqual(1);
      expect(taken).toBeLessThanOrEqual(SQS_MAX_BATCH_ENTRIES);
      if (taken > 1) expect(bytes).toBeLessThanOrEqual(SQS_MAX_BATCH_BYTES);
    }
  });
});

describe('when a waiting batch must go', () => {
  it('goes when full of entries, or when the next message would push it over the byte limit', () => {
    expect(batchIsFull(0, 0, MiB * 2)).toBe(false);
    expect(batchIsFull(9, 900, 100)).toBe(false);
    expect(batchIsFull(10, 1_000, 100)).toBe(true);
    expect(batchIsFull(1, 600_000, 500_000)).toBe(true);
    expect(batchIsFull(1, 500_000, 500_000, SQS_BATCH_LIMITS)).toBe(false);
  });
});

describe("mapping SQS's answer onto each entry", () => {
  it('gives each successful entry its own message id, and each failed entry its own error', () => {
    // Act
    const outcomes = entryOutcomes('https://q/jobs', 3, {
      Successful: [
        { Id: '2', MessageId: 'm-2', MD5OfMessageBody: '' },
        { Id: '0', MessageId: 'm-0', MD5OfMessageBody: '', SequenceNumber: '7' },
      ],
      Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true, Message: 'bad character' }],
    });

    // Assess
    expect(outcomes[0]).toEqual({ ok: true, sent: { messageId: 'm-0', sequenceNumber: '7' } });
    expect(outcomes[2]).toEqual({ ok: true, sent: { messageId: 'm-2', sequenceNumber: undefined } });
    const failed = outcomes[1]!;
    if (failed.ok) throw new Error('entry 1 should have failed');
    const error = failed.error as SendEntryFailedError;
    expect(error).toBeInstanceOf(SendEntryFailedError);
    expect(error).toMatchObject({ code: 'InvalidMessageContents', senderFault: true, queueUrl: 'https://q/jobs' });
    expect(error.message).toMatch(/InvalidMessageContents, sender fault\): bad character/);
  });

  it('fails an entry SQS did not answer for rather than passing it as sent', () => {
    const outcomes = entryOutcomes('https://q/jobs', 2, { Successful: [{ Id: '0', MessageId: 'm-0', MD5OfMessageBody: '' }], Failed: [] });
    expect(outcomes[0]!.ok).toBe(true);
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: 'MissingFromResponse' } });
  });
});

describe('the linger a batch waits, by the pace of its queue', () => {
  const lingers = { lingerMs: 3, maxLingerMs: 40 };

  it('is the short linger for a queue that has seen one message or none', () => {
    expect(lingerFor(NO_ARRIVALS, lingers)).toBe(3);
    expect(lingerFor(noteArrival(NO_ARRIVALS, 1_000), lingers)).toBe(3);
  });

  it('is the longer linger once enough messages would arrive in it to be worth waiting for', () => {
    // Prepare: messages 5 ms apart, eight of them in 40 ms
    let pace = NO_ARRIVALS;

    // Act
    for (let t = 0; t <= 50; t += 5) pace = noteArrival(pace, t);

    // Assess
    expect(pace.meanGapMs).toBeCloseTo(5);
    expect(40 / pace.meanGapMs).toBeGreaterThanOrEqual(MESSAGES_WORTH_WAITING_FOR);
    expect(lingerFor(pace, lingers)).toBe(40);
  });

  it('keeps the short linger for traffic too sparse to fill half a batch: 10 ms apart, four in 40 ms', () => {
    let pace = NO_ARRIVALS;
    for (let t = 0; t <= 200; t += 10) pace = noteArrival(pace, t);
    expect(lingerFor(pace, lingers)).toBe(3);
  });

  it('goes back to the short linger as soon as a quiet spell follows a burst', () => {
    let pace = NO_ARRIVALS;
    for (let t = 0; t <= 20; t += 1) pace = noteArrival(pace, t);
    expect(lingerFor(pace, lingers)).toBe(40);
    pace = noteArrival(pace, 20 + 1_000);
    expect(pace.meanGapMs).toBeGreaterThan(GAP_SMOOTHING * 1_000);
    expect(lingerFor(pace, lingers)).toBe(3);
  });

  it('never waits less than the short linger, and a clock that steps back counts as no gap', () => {
    expect(lingerFor({ meanGapMs: 0 }, { lingerMs: 50, maxLingerMs: 40 })).toBe(50);
    expect(noteArrival({ meanGapMs: 4, lastArrivalMs: 100 }, 90).meanGapMs).toBeCloseTo(3.2);
  });
});
