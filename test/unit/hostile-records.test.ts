import { beforeAll, describe, expect, it } from 'vitest';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { temporalConnectCount } from '../../functions/runtime/temporal-client';
import { greetHandler } from '../../functions/handlers/greet';
import { applyLocalSigningKeys } from '../../infra/local/local-signing-keys';
import { JOB_MESSAGE_VERSION } from '../../jobs/job-message';
import type { JobMessage } from '../../jobs/job-message';
import { encodeJsonPayload } from '../../jobs/payloads';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { recordingLogger } from '../helpers/recording-logger';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { fakeTaskToken } from '../helpers/task-tokens';

// No server: Temporal and SQS point at a loopback port where nothing listens, so any record that gets as far
// as a network call gives up fast. What these tests prove happens before that, or despite it.
beforeAll(() => {
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    TEMPORAL_NAMESPACE: 'default',
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  applyLocalSigningKeys();
});

const context = (ms = 1_500) => testContext(ms);

async function aMessage(overrides: Partial<Record<keyof JobMessage, unknown>> = {}): Promise<string> {
  return JSON.stringify({
    v: JOB_MESSAGE_VERSION,
    job: 'greet',
    taskToken: fakeTaskToken().toString('base64'),
    namespace: 'default',
    workflowId: 'wf-1',
    activityId: '1',
    activityType: 'greet',
    attempt: 1,
    input: await encodeJsonPayload({ name: 'Ada' }),
    ...overrides,
  });
}

const deeplyNested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** The job function as deployed (greet), recording its log lines and outcomes; no prewarm, a short safety margin. */
function jobFunction() {
  const log = recordingLogger();
  const recorded = recordOutcomes();
  const handler = createSqsJobHandler({
    onOutcomes: recorded.onOutcomes,
    jobs: [greetHandler],
    prewarm: false,
    logger: log,
    safetyMarginMs: 200,
  });
  return { log, recorded, handler };
}

describe('hostile records cannot fail a batch (both functions)', () => {
  const bodies = async () => [`{"v":${deeplyNested(6_000)}}`, 'not json', await aMessage({ v: 'x'.repeat(200_000) })];

  it('the job function answers with batchItemFailures for every one, and its log lines stay short', async () => {
    const { log, recorded, handler } = jobFunction();
    const event = sqsEvent(await bodies());
    const response = await handler(event, context());
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(event.Records.map((r) => r.messageId));
    expect([...recorded.last.values()]).toEqual([RecordOutcome.Unreadable, RecordOutcome.Unreadable, RecordOutcome.Unreadable]);
    expect(Math.max(...log.lines.map((l) => JSON.stringify(l).length))).toBeLessThan(2_000);
  });

  it('the dead-letter function too', async () => {
    const log = recordingLogger();
    let outcomes: readonly RecordOutcome[] = [];
    const handler = createDeadLetterHandler({ prewarm: false, logger: log, safetyMarginMs: 200, onOutcomes: (_, o) => (outcomes = o) });
    const event = sqsEvent(await bodies());
    const response = await handler(event, context());
    expect(response.batchItemFailures).toHaveLength(3);
    expect(outcomes).toEqual([RecordOutcome.Unreadable, RecordOutcome.Unreadable, RecordOutcome.Unreadable]);
    expect(Math.max(...log.lines.map((l) => JSON.stringify(l).length))).toBeLessThan(2_000);
  });

  it.each([
    ['a 100 KiB job name', { job: 'j'.repeat(100 * 1024) }],
    ['heartbeatTimeoutMs 1e10 (overflows a timer)', { heartbeatTimeoutMs: 1e10 }],
    ['attempt 1e308', { attempt: 1e308 }],
    ['a non-finite-looking heartbeat', { heartbeatTimeoutMs: -1 }],
  ])('refuses %s as unreadable before any call', async (_what, overrides) => {
    const { log, recorded, handler } = jobFunction();
    const connects = temporalConnectCount();
    await handler(sqsEvent([await aMessage(overrides)]), context());
    expect([...recorded.last.values()]).toEqual([RecordOutcome.Unreadable]);
    expect(temporalConnectCount()).toBe(connects);
    expect(log.text().length).toBeLessThan(2_000);
  });
});

describe('the namespace check (fails closed)', () => {
  it('refuses a token of another namespace from the configured namespace id alone, without connecting', async () => {
    process.env.TEMPORAL_NAMESPACE_ID = 'the-real-namespace-id';
    try {
      const recorded = recordOutcomes();
      const handler = createSqsJobHandler({
        onOutcomes: recorded.onOutcomes,
        jobs: [greetHandler],
        prewarm: false,
        logger: recordingLogger(),
        safetyMarginMs: 200,
      });
      const connects = temporalConnectCount();
      await handler(sqsEvent([await aMessage()]), context(10_000));
      expect([...recorded.last.values()]).toEqual([RecordOutcome.Refused]);
      expect(temporalConnectCount()).toBe(connects);
    } finally {
      delete process.env.TEMPORAL_NAMESPACE_ID;
    }
  });

  it('leaves the record for later, handler not run, when the namespace id cannot be learnt', async () => {
    let ran = 0;
    const recorded = recordOutcomes();
    const handler = createSqsJobHandler({
      onOutcomes: recorded.onOutcomes,
      jobs: [{ ...greetHandler, run: () => (ran += 1) }],
      prewarm: false,
      logger: recordingLogger(),
      safetyMarginMs: 200,
    });
    const response = await handler(sqsEvent([await aMessage()]), context());
    expect([...recorded.last.values()]).toEqual([RecordOutcome.Retry]);
    expect(response.batchItemFailures).toHaveLength(1);
    expect(ran).toBe(0);
  });
});
