import { describe, expect, it } from 'vitest';
import { fifoAttributes } from '../../worker/activities';
import type { JobMessage } from '../../jobs/job-message';

const message = { namespace: 'default', workflowId: 'wf-1', idempotencyKey: 'wf-1/1', attempt: 1 } as JobMessage;

describe('FIFO send attributes', () => {
  it('sends nothing extra to a standard queue', () => {
    expect(fifoAttributes('https://sqs/123/jobs', message)).toEqual({});
  });

  it('groups by workflow and deduplicates per attempt on a FIFO queue', () => {
    const first = fifoAttributes('https://sqs/123/orders.fifo', message);
    expect(first.MessageGroupId).toBe('wf-1');
    expect(first.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(fifoAttributes('https://sqs/123/orders.fifo', message)).toEqual(first);
    expect(fifoAttributes('https://sqs/123/orders.fifo', { ...message, attempt: 2 }).MessageDeduplicationId).not.toBe(
      first.MessageDeduplicationId,
    );
  });
});
