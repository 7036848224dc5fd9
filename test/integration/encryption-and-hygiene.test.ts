import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityFailure, ApplicationFailure } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createLogger } from '../../functions/runtime/logger';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { AES_GCM_ENCODING, createAesGcmCodec, parseKeyRing } from '../../jobs/security/aes-gcm-codec';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { TEST_HANDLERS } from '../helpers/test-jobs';
import { installRuntimeLogger, startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const SECRET = `plaintext-${randomBytes(6).toString('hex')}`;
const ringJson = (key: string) => JSON.stringify({ current: 'k1', keys: { k1: key } });
const KEY = randomBytes(32).toString('base64');
// The converter every side builds in production, from an inline key ring.
const converter = dataConverterFromEnv({ PAYLOAD_KEYS: ringJson(KEY) });

describe('end-to-end payload encryption, and no token or payload in any log', () => {
  const logLines: string[] = [];
  const tokens = new Set<string>();
  let env: TestEnv;
  beforeAll(async () => {
    process.env.LOG_LEVEL = 'debug';
    installRuntimeLogger(new DefaultLogger('DEBUG', (entry) => logLines.push(`${entry.message} ${JSON.stringify(entry.meta ?? {})}`)));
    env = await startTestEnv({
      runner: false,
      dataConverter: converter,
      queueOverrides: { visibilityTimeoutSeconds: 1 },
      logger: createLogger({}, (line) => logLines.push(line)),
    });
  });
  afterAll(() => env?.stop());

  async function dispatch(text: string, workflow = 'echoWorkflow') {
    const handle = await env.start(workflow, text);
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message?.Body) throw new Error('no job message');
    tokens.add(JSON.parse(message.Body).taskToken as string);
    return { handle, message };
  }

  it('keeps input and result encrypted in SQS and in the workflow history, and the workflow gets the right result', async () => {
    const { handle, message } = await dispatch(SECRET);
    expect(message.Body).not.toContain(SECRET);
    expect(Buffer.from(JSON.parse(message.Body!).input.data, 'base64').toString('latin1')).not.toContain(SECRET);
    expect((await env.invoke([message])).batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: SECRET.toUpperCase() });
    const history = await handle.fetchHistory();
    const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain(SECRET.toUpperCase());
  });

  it("seals a handler error's message and stack trace in the history, and the workflow still reads them", async () => {
    const text = `${SECRET}-failure`;
    const { handle, message } = await dispatch(text, 'catchFailureWorkflow');
    expect((await env.invoke([message])).batchItemFailures).toEqual([]);
    const seen = (await handle.result()) as { message: string; type: string; stack: string };
    expect(seen).toMatchObject({ message: text, type: 'Error' });
    expect(seen.stack).toContain(text);
    const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
    const failure = history.events?.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(failure?.applicationFailureInfo?.type).toBe('Error');
    expect(failure?.message).not.toContain(SECRET);
    expect(failure?.stackTrace ?? '').not.toContain(SECRET);
    expect(new TextDecoder().decode(failure?.encodedAttributes?.metadata?.encoding)).toBe(AES_GCM_ENCODING);
    const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(bytes).not.toContain(SECRET);
  });

  it('keeps a failure the workflow does not catch sealed in the workflow failure too; the client reads it', async () => {
    const reason = `${SECRET}-refused`;
    const { handle, message } = await dispatch(reason, 'refuseWorkflow');
    expect((await env.invoke([message])).batchItemFailures).toEqual([]);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure).toMatchObject({ message: reason, type: 'Refused', nonRetryable: true, details: [{ code: 42 }] });
    const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionFailedEventAttributes)).toBe(true);
    const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(bytes).not.toContain(SECRET);
  });

  it('fails clearly with a wrong key and loses nothing: the record stays and completes once the key is right', async () => {
    const { handle, message } = await dispatch(`${SECRET}-2`);
    const wrongOutcomes = recordOutcomes();
    const wrong = createSqsJobHandler({
      onOutcomes: wrongOutcomes.onOutcomes,
      jobs: TEST_HANDLERS,
      prewarm: false,
      dataConverter: { payloadCodecs: [createAesGcmCodec(() => parseKeyRing(ringJson(randomBytes(32).toString('base64'))))] },
      logger: createLogger({}, (line) => logLines.push(line)),
    });
    const response = await wrong(sqsEvent([message], env.queue.arn), testContext(10_000));
    expect(response.batchItemFailures).toHaveLength(1);
    expect([...wrongOutcomes.last.values()]).toEqual([RecordOutcome.Unreadable]);
    expect(logLines.some((l) => l.includes('PayloadDecryptionError'))).toBe(true);
    const redelivered = await env.receive(env.queue.url, 10, 5);
    const again = redelivered.find((m) => m.MessageId === message.MessageId);
    expect(again?.Body).toBe(message.Body);
    expect((await env.invoke([again!])).batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: `${SECRET}-2`.toUpperCase() });
  });

  it('wrote no task token and no payload content into any log line of the worker or the function', async () => {
    const { handle, message } = await dispatch(`${SECRET}-3`);
    const body = JSON.parse(message.Body!) as Record<string, unknown>;
    // Poison variants of a real message: their error logs must not leak the token either.
    await env.invoke([
      JSON.stringify({ ...body, namespace: 'elsewhere' }),
      JSON.stringify({ ...body, v: 9 }),
      JSON.stringify({ ...body, job: 'nope.nope' }),
    ]);
    // Clean-up only: the last variant carries the real token, and its UnknownJob failure may already have ended the
    // workflow (then there is nothing to terminate). What this test asserts is the logs.
    await handle.terminate('done').catch(() => undefined);
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    for (const token of tokens) {
      const leaking = logLines.filter((l) => l.includes(token));
      expect(leaking.map((l) => l.slice(0, 300))).toEqual([]);
      expect(all).not.toContain(token);
      expect(all).not.toContain(Buffer.from(token, 'base64').toString('hex'));
    }
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET.toUpperCase());
  });
});
