import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@aws-sdk/client-sqs';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { handleJob } from '../../functions/runtime/job-handler';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { recordingLogger } from '../helpers/recording-logger';
import { sleep } from '../helpers/reliability';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { echo, observed } from '../helpers/test-jobs';

/**
 * Two places where the runtime once disagreed with docs/message-contract.md, found by the reliability work
 * and fixed since (see docs/reliability.md); these tests keep them fixed.
 */
describe('reliability: contract gaps found and fixed', () => {
  let env: TestEnv;
  const log = recordingLogger();
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
  });
  afterAll(() => env?.stop());

  async function dispatchEcho(text: string): Promise<{ message: Message; body: Record<string, unknown> & { taskToken: string } }> {
    await env.start('echoWorkflow', text);
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message?.Body) throw new Error('the worker sent no job message');
    return { message, body: JSON.parse(message.Body) as Record<string, unknown> & { taskToken: string } };
  }

  /** A genuine task token of this server whose namespace id is swapped for the `temporal-system` namespace's. */
  async function tokenFromAnotherNamespace(token: string): Promise<string> {
    const service = env.client.workflowService;
    const own = (await service.describeNamespace({ namespace: 'default' })).namespaceInfo?.id ?? '';
    const other = (await service.describeNamespace({ namespace: 'temporal-system' })).namespaceInfo?.id ?? '';
    const bytes = Buffer.from(token, 'base64');
    const at = bytes.indexOf(Buffer.from(own));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(other).toHaveLength(own.length);
    Buffer.from(other).copy(bytes, at);
    return bytes.toString('base64');
  }

  it('never acknowledges a message whose token belongs to another namespace (nothing lost)', async () => {
    const { message, body } = await dispatchEcho('foreign token');
    const forged = { ...message, Body: JSON.stringify({ ...body, taskToken: await tokenFromAnotherNamespace(body.taskToken) }) };
    const response = await env.invoke([forged]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: message.MessageId }]);
  });

  // Contract: "another namespace … → refused, log at error, left → DLQ after maxReceiveCount".
  // It used to run the handler, meet INVALID_ARGUMENT on complete, and be classed `retry`.
  it('refuses a token from another namespace, logged at error, without running the handler', async () => {
    const { message, body } = await dispatchEcho('foreign token, classified');
    const forged = { ...message, Body: JSON.stringify({ ...body, taskToken: await tokenFromAnotherNamespace(body.taskToken) }) };
    const calls = observed.echoCalls;
    await env.invoke([forged]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Refused]);
    expect(log.at('error').filter((l) => l.fields.messageId === message.MessageId)).toHaveLength(1);
    expect(observed.echoCalls).toBe(calls);
  });

  // Contract: the handler's signal aborts when the attempt times out in Temporal (`deadline`). A deadline more
  // than 2^31-1 ms (24.8 days) away used to overflow the expiry timer, which Node then fired after 1 ms.
  it('does not abort a job whose attempt deadline is more than 24.8 days away', async () => {
    const { message, body } = await dispatchEcho('long deadline');
    let abortedWhileRunning: boolean | undefined;
    const handler = createSqsJobHandler({
      prewarm: false,
      logger: recordingLogger(),
      jobs: [
        handleJob(echo, async ({ text }, ctx) => {
          await sleep(50);
          abortedWhileRunning = ctx.signal.aborted;
          return { echoed: text, by: 'gap-test', attempt: ctx.attempt };
        }),
      ],
    });
    const farDeadline = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const event = sqsEvent([{ ...message, Body: JSON.stringify({ ...body, deadline: farDeadline }) }], env.queue.arn);
    await handler(event, testContext(10_000));
    expect(abortedWhileRunning).toBe(false);
  });
});
