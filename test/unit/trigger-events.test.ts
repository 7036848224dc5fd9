import { describe, expect, it } from 'vitest';
import { MAX_READABLE_WORKFLOW_ID, planTriggerRecord, workflowIdOf } from '../../functions/runtime/trigger-events';
import type { WorkflowStart } from '../../functions/runtime/trigger-events';
import { eventBridgeEventOf, s3ObjectCreatedNotification, s3TestEvent } from '../../infra/local/cloud-events';
import { sqsTrigger } from '../../jobs/define-trigger';
import { UnmappableEventError } from '../../jobs/errors';
import { greetOnRequest, greetOnSignup, greetOnUpload } from '../../jobs/triggers';
import { greetingWorkflowContract } from '../../jobs/workflow-contracts';
import { sqsRecord } from '../helpers/sqs-events';

const starts = (plan: ReturnType<typeof planTriggerRecord>): readonly WorkflowStart[] => (plan.kind === 'start' ? plan.starts : []);
const object = { bucket: 'uploads', key: 'inbox/Ada Lovelace.txt', size: 5, eTag: '"abc"', sequencer: '0065A1B2C3D4E5F601' };

describe('planTriggerRecord: S3 notifications', () => {
  it('derives the workflow id from bucket, key and sequencer, and maps the key to the arguments', () => {
    const [start] = starts(planTriggerRecord(greetOnUpload, sqsRecord(JSON.stringify(s3ObjectCreatedNotification(object)))));
    expect(start?.workflowId).toBe('greet-on-upload/s3/uploads/inbox/Ada+Lovelace.txt@0065A1B2C3D4E5F601');
    expect(start?.args).toEqual([{ name: 'Ada Lovelace' }]);
  });

  it('uses the version id of a versioned bucket, and gives a redelivered notification the same id', () => {
    const body = JSON.stringify(s3ObjectCreatedNotification({ ...object, versionId: 'v1' }));
    const once = starts(planTriggerRecord(greetOnUpload, sqsRecord(body)));
    const again = starts(planTriggerRecord(greetOnUpload, sqsRecord(body)));
    expect(once[0]?.workflowId).toMatch(/@v1$/);
    expect(again[0]?.workflowId).toBe(once[0]?.workflowId);
  });

  it('ignores the test event, removals, and keys outside the prefix or suffix', () => {
    expect(planTriggerRecord(greetOnUpload, sqsRecord(JSON.stringify(s3TestEvent('uploads'))))).toMatchObject({ kind: 'ignore' });
    const removed = s3ObjectCreatedNotification({ ...object, eventName: 'ObjectRemoved:Delete' });
    expect(planTriggerRecord(greetOnUpload, sqsRecord(JSON.stringify(removed)))).toMatchObject({ kind: 'ignore' });
    const png = s3ObjectCreatedNotification({ ...object, key: 'a.png' });
    expect(planTriggerRecord(greetOnUpload, sqsRecord(JSON.stringify(png)))).toMatchObject({ kind: 'ignore' });
  });

  it('reads a notification that came through SNS', () => {
    const wrapped = {
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:us-east-1:0:t',
      Message: JSON.stringify(s3ObjectCreatedNotification(object)),
    };
    expect(starts(planTriggerRecord(greetOnUpload, sqsRecord(JSON.stringify(wrapped))))).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'hello'],
    ['no Records', '{}'],
    ['no object', JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }] })],
  ])('refuses a body with %s', (_, body) => {
    expect(() => planTriggerRecord(greetOnUpload, sqsRecord(body))).toThrow(UnmappableEventError);
  });
});

describe('planTriggerRecord: EventBridge events', () => {
  const entry = { Source: 'demo.accounts', DetailType: 'UserSignedUp', Detail: JSON.stringify({ name: 'Grace' }) };

  it('derives the workflow id from the event id and types the detail by the parser', () => {
    const event = eventBridgeEventOf(entry);
    const [start] = starts(planTriggerRecord(greetOnSignup, sqsRecord(JSON.stringify(event))));
    expect(start).toMatchObject({ workflowId: `greet-on-signup/eventbridge/${event.id}`, args: [{ name: 'Grace' }] });
  });

  it('refuses a detail the parser refuses, naming the field and not its value', () => {
    const event = eventBridgeEventOf({ ...entry, Detail: JSON.stringify({ name: 42, secret: 'hunter2' }) });
    expect(() => planTriggerRecord(greetOnSignup, sqsRecord(JSON.stringify(event)))).toThrow(/the detail parser: field "name"/);
    try {
      planTriggerRecord(greetOnSignup, sqsRecord(JSON.stringify(event)));
    } catch (err) {
      expect((err as Error).message).not.toMatch(/hunter2|42/);
    }
  });

  it('refuses an event without an id', () => {
    const { id: _, ...event } = eventBridgeEventOf(entry);
    expect(() => planTriggerRecord(greetOnSignup, sqsRecord(JSON.stringify(event)))).toThrow(/has no "id"/);
  });
});

describe('planTriggerRecord: messages from other systems', () => {
  it('derives the workflow id from the business key when the trigger names one', () => {
    const a = sqsRecord(JSON.stringify({ requestId: 'r-1', name: 'Ada' }));
    const b = sqsRecord(JSON.stringify({ requestId: 'r-1', name: 'Ada' }));
    expect(a.messageId).not.toBe(b.messageId);
    expect(starts(planTriggerRecord(greetOnRequest, a))[0]?.workflowId).toBe('greet-on-request/key/r-1');
    expect(starts(planTriggerRecord(greetOnRequest, b))[0]?.workflowId).toBe('greet-on-request/key/r-1');
  });

  it('derives it from the message id otherwise', () => {
    const plain = sqsTrigger({ name: 'plain', queue: 'requests', workflow: greetingWorkflowContract, args: () => [{ name: 'x' }] });
    const record = sqsRecord('{}');
    expect(starts(planTriggerRecord(plain, record))[0]?.workflowId).toBe(`plain/sqs/${record.messageId}`);
  });

  it('keeps only the error name of a mapping that throws something else', () => {
    const leaky = sqsTrigger({
      name: 'leaky',
      queue: 'requests',
      workflow: greetingWorkflowContract,
      args: ({ body }) => {
        throw new RangeError(`bad ${JSON.stringify(body)}`);
      },
    });
    expect(() => planTriggerRecord(leaky, sqsRecord('{"card":"4111"}'))).toThrow(/^the mapping threw RangeError$/);
  });

  it('refuses a body the parser refuses', () => {
    expect(() => planTriggerRecord(greetOnRequest, sqsRecord('{"name":"Ada"}'))).toThrow(/field "requestId"/);
  });
});

describe('workflowIdOf', () => {
  it('hashes the tail of an identity too long to stay readable', () => {
    const long = workflowIdOf({ name: 't' }, 's3', `b/${'k'.repeat(1_000)}@1`);
    expect(long.length).toBeLessThanOrEqual(MAX_READABLE_WORKFLOW_ID);
    expect(long).toMatch(/^t\/s3\/b\/k+…sha256:[0-9a-f]{64}$/);
    expect(workflowIdOf({ name: 't' }, 's3', `b/${'k'.repeat(1_000)}@2`)).not.toBe(long);
  });
});
