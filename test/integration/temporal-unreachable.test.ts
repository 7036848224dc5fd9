import { describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { freePort } from '../../infra/local/free-port';
import { encodeJobMessage, JOB_MESSAGE_VERSION } from '../../jobs/job-message';
import { encodeJsonPayload } from '../../jobs/payloads';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { TEST_HANDLERS } from '../helpers/test-jobs';
import { fakeTaskToken } from '../helpers/task-tokens';

describe('Temporal unreachable', () => {
  it('leaves the record for redelivery within the invocation’s time instead of losing it', async () => {
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
    const outcomes = recordOutcomes();
    const handler = createSqsJobHandler({ onOutcomes: outcomes.onOutcomes, jobs: TEST_HANDLERS, prewarm: false });
    const body = encodeJobMessage({
      v: JOB_MESSAGE_VERSION,
      job: 'test.echo',
      taskToken: fakeTaskToken().toString('base64'),
      namespace: 'default',
      workflowId: 'wf',
      activityId: '1',
      activityType: 'test.echo',
      attempt: 1,
      idempotencyKey: 'wf/1',
      input: await encodeJsonPayload({ text: 'x' }),
    });
    const event = sqsEvent([body]);
    const started = Date.now();
    const response = await handler(event, testContext(8_000));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Retry]);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
