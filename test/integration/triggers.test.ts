import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { closeTemporalClient } from '../../functions/runtime/temporal-client';
import { planTriggerRecord } from '../../functions/runtime/trigger-events';
import { createTriggerHandler } from '../../functions/runtime/trigger-handler';
import { createHttpTriggerHandler, httpSignature } from '../../functions/runtime/http-trigger-handler';
import { eventBridgeEventOf, s3ObjectCreatedNotification } from '../../infra/local/cloud-events';
import { createTriggerQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { freePort } from '../../infra/local/free-port';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import type { AnyTrigger } from '../../jobs/define-trigger';
import { eventBridgeTrigger, httpTrigger, s3Trigger, sqsTrigger } from '../../jobs/define-trigger';
import type { TriggerQueueName } from '../../jobs/queues';
import { createSqsClient } from '../../jobs/sqs-client';
import { parseGreetRequest, requireString } from '../../jobs/triggers';
import { defineWorkflow } from '../../jobs/workflow-contracts';
import { functionUrlEvent } from '../helpers/http-events';
import { sqsEvent, sqsRecord, testContext } from '../helpers/sqs-events';
import { TEST_WORKFLOWS_PATH, useGlobalServers } from '../helpers/test-env';

/**
 * The trigger starter on the real servers (Temporal dev server, the SQS emulator of the run), driven by the
 * local Lambda runner as Lambda's event source would drive it: every source starts exactly one workflow per
 * event under duplicate delivery, a poison event reaches the dead-letter queue, a Temporal outage leaves the
 * event for redelivery.
 */

const id = randomUUID().slice(0, 8);
const taskQueue = `tq-triggers-${id}`;
const workflow = defineWorkflow<(input: { name: string; holdMs?: number }) => Promise<string>>({
  workflowType: 'triggeredWorkflow',
  taskQueue,
});
// The first workflow of an event runs for a while, so that duplicates arrive while it is open.
const HOLD_MS = 1_500;
const TRIGGERS = {
  upload: s3Trigger({ name: 't-upload', queue: 'uploads', workflow, args: (e) => [{ name: e.s3.object.key, holdMs: HOLD_MS }] }),
  signup: eventBridgeTrigger({
    name: 't-signup',
    queue: 'signups',
    workflow,
    pattern: { source: ['test.accounts'] },
    parseDetail: (detail) => ({ name: requireString(detail, 'name') }),
    args: (e) => [{ name: e.detail.name, holdMs: HOLD_MS }],
  }),
  request: sqsTrigger({
    name: 't-request',
    queue: 'requests',
    workflow,
    parse: parseGreetRequest,
    businessKey: ({ body }) => body.requestId,
    args: ({ body }) => [{ name: body.name, holdMs: HOLD_MS }],
  }),
} as const;

let sqs: SQSClient;
let client: Client;
let connection: Connection;
let workerConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let queues: Record<TriggerQueueName, CreatedQueue>;
const runners: LambdaRunner[] = [];
/** Every record the starter reported, with its outcome. */
const reported: { record: SQSRecord; outcome: RecordOutcome }[] = [];

beforeAll(async () => {
  useGlobalServers();
  sqs = createSqsClient();
  queues = await createTriggerQueues(sqs, `trg-${id}`, { visibilityTimeoutSeconds: 20 });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({ connection: workerConnection, taskQueue, workflowsPath: TEST_WORKFLOWS_PATH });
  running = worker.run();
  const handler = createTriggerHandler({
    triggers: Object.values(TRIGGERS),
    prewarm: false,
    onOutcomes: (records, outcomes) => records.forEach((record, i) => reported.push({ record, outcome: outcomes[i] as RecordOutcome })),
  });
  for (const queue of Object.values(queues)) {
    runners.push(
      await startLambdaRunner({ sqs, queueUrl: queue.url, handler: handler as SqsLambdaHandler, concurrency: 4, timeoutMs: 10_000 }),
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  worker?.shutdown();
  await running;
  await workerConnection?.close();
  await connection?.close();
  await closeTemporalClient();
  sqs?.destroy();
});

const send = (queue: TriggerQueueName, body: string) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queues[queue].url, MessageBody: body }));

/** The workflow id the starter derives for `body` on `trigger`'s queue. */
function workflowIdFor(trigger: AnyTrigger, body: string): string {
  const plan = planTriggerRecord(trigger, sqsRecord(body));
  if (plan.kind !== 'start' || plan.starts.length !== 1) throw new Error('expected one start');
  return plan.starts[0]!.workflowId;
}

/** Waits until the starter has reported `count` records whose body is `body`, and returns their outcomes. */
async function outcomesOf(body: string, count: number, timeoutMs = 30_000): Promise<RecordOutcome[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = reported.filter((r) => r.record.body === body).map((r) => r.outcome);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many runs of workflow `workflowId` Temporal has (every run, open or closed). */
async function runsOf(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) n += 1;
  return n;
}

/** Delivers `body` `times` times at once, then once more after the workflow has completed: one run, one start. */
async function expectOneWorkflow(queue: TriggerQueueName, bodies: readonly string[], workflowId: string) {
  await Promise.all(bodies.map((b) => send(queue, b)));
  const result = await client.workflow
    .getHandle(workflowId)
    .result()
    .catch(async () => {
      // Not started yet when first asked; ask again once the starter has run.
      await outcomesOf(bodies[0]!, 1);
      return client.workflow.getHandle(workflowId).result();
    });
  expect(result).toMatch(/^Hello, /);
  await send(queue, bodies[0]!);
  const outcomes = (
    await Promise.all([...new Set(bodies)].map((b) => outcomesOf(b, bodies.filter((x) => x === b).length + (b === bodies[0] ? 1 : 0))))
  ).flat();
  expect(outcomes.filter((o) => o === RecordOutcome.Started)).toHaveLength(1);
  expect(outcomes.filter((o) => o === RecordOutcome.AlreadyStarted)).toHaveLength(bodies.length);
  expect(await runsOf(workflowId)).toBe(1);
}

describe('the trigger starter on the real servers', () => {
  it('starts one workflow for an S3 notification delivered three times at once and again after completion', async () => {
    const body = JSON.stringify(s3ObjectCreatedNotification({ bucket: 'uploads', key: `in/${randomUUID()}.txt`, size: 3, eTag: 'abc' }));
    await expectOneWorkflow('uploads', [body, body, body], workflowIdFor(TRIGGERS.upload, body));
  });

  it('starts one workflow for an EventBridge event delivered twice, and another for another event', async () => {
    const entry = { Source: 'test.accounts', DetailType: 'UserSignedUp', Detail: JSON.stringify({ name: 'Grace' }) };
    const body = JSON.stringify(eventBridgeEventOf(entry));
    await expectOneWorkflow('signups', [body, body], workflowIdFor(TRIGGERS.signup, body));
    const other = JSON.stringify(eventBridgeEventOf(entry));
    expect(workflowIdFor(TRIGGERS.signup, other)).not.toBe(workflowIdFor(TRIGGERS.signup, body));
  });

  it('starts one workflow for two messages with the same business key', async () => {
    const requestId = `r-${randomUUID()}`;
    const body = JSON.stringify({ requestId, name: 'Ada' });
    const resent = JSON.stringify({ name: 'Ada', requestId });
    await expectOneWorkflow('requests', [body, resent], workflowIdFor(TRIGGERS.request, body));
  });

  it('moves a poison message to the trigger dead-letter queue within seconds, starting nothing', async () => {
    const poison = `not json ${randomUUID()}`;
    await send('requests', poison);
    const deadline = Date.now() + 45_000;
    let dead: Message | undefined;
    while (!dead && Date.now() < deadline) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queues.requests.deadLetterUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      dead = Messages?.find((m) => m.Body === poison);
    }
    expect(dead?.Body).toBe(poison);
    expect(new Set(await outcomesOf(poison, 1))).toEqual(new Set([RecordOutcome.Unmappable]));
  });
});

describe('the trigger starter while Temporal is down', () => {
  it('leaves the event for redelivery, and starts its workflow once Temporal is back', async () => {
    const stage = `trg-down-${id}`;
    const own = await createTriggerQueues(sqs, stage, { visibilityTimeoutSeconds: 20 });
    const handler = createTriggerHandler({ triggers: [TRIGGERS.request], prewarm: false });
    const body = JSON.stringify({ requestId: `down-${randomUUID()}`, name: 'Linus' });
    await sqs.send(new SendMessageCommand({ QueueUrl: own.requests.url, MessageBody: body }));
    const receive = async (): Promise<Message> => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: own.requests.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
        );
        if (Messages?.[0]) return Messages[0];
      }
      throw new Error('the message did not come back');
    };
    const address = process.env.TEMPORAL_ADDRESS;
    const first = await receive();
    try {
      process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
      await closeTemporalClient();
      const down = await handler(sqsEvent([first], own.requests.arn, { sign: false }), testContext(3_000));
      expect(down.batchItemFailures).toEqual([{ itemIdentifier: first.MessageId }]);
    } finally {
      process.env.TEMPORAL_ADDRESS = address;
      await closeTemporalClient();
    }
    const again = await receive();
    expect(again.MessageId).toBe(first.MessageId);
    expect(Number(again.Attributes?.ApproximateReceiveCount)).toBe(2);
    const up = await handler(sqsEvent([again], own.requests.arn, { sign: false }), testContext(10_000));
    expect(up.batchItemFailures).toEqual([]);
    expect(await client.workflow.getHandle(workflowIdFor(TRIGGERS.request, body)).result()).toBe('Hello, Linus!');
  });
});

describe('the HTTP trigger starter on the real Temporal server', () => {
  const call = httpTrigger({
    name: 't-call',
    workflow,
    parse: parseGreetRequest,
    businessKey: ({ body }) => body.requestId,
    args: ({ body }) => [{ name: body.name, holdMs: HOLD_MS }],
  });
  const partner = httpTrigger({ ...call, name: 't-partner', auth: 'hmac' });
  const secret = `secret-${randomUUID()}`;

  it('starts one workflow for the same request sent three times at once and again after completion', async () => {
    const handler = createHttpTriggerHandler({ triggers: [call], prewarm: false });
    const body = JSON.stringify({ requestId: `h-${randomUUID()}`, name: 'Ada' });
    const post = () => handler(functionUrlEvent({ path: '/t-call', body, iam: true }), testContext(10_000));
    const answers = (await Promise.all([post(), post(), post()])) as { statusCode: number; body: string }[];
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 202]);
    const { workflowId } = JSON.parse(answers[0]!.body) as { workflowId: string };
    expect(await client.workflow.getHandle(workflowId).result()).toBe('Hello, Ada!');
    expect(await post()).toMatchObject({ statusCode: 200 });
    expect(await runsOf(workflowId)).toBe(1);
  });

  it('waits for the result when asked (?wait=), and says the workflow still runs when the wait ends first', async () => {
    const handler = createHttpTriggerHandler({ triggers: [call], prewarm: false });
    const body = JSON.stringify({ requestId: `w-${randomUUID()}`, name: 'Grace' });
    const short = (await handler(functionUrlEvent({ path: '/t-call', body, iam: true, query: 'wait=0.2' }), testContext(10_000))) as {
      statusCode: number;
      body: string;
    };
    expect(short.statusCode).toBe(202);
    expect(JSON.parse(short.body)).toMatchObject({ started: true, status: 'running' });
    const long = (await handler(functionUrlEvent({ path: '/t-call', body, iam: true, query: 'wait=10' }), testContext(12_000))) as {
      statusCode: number;
      body: string;
    };
    expect(long.statusCode).toBe(200);
    expect(JSON.parse(long.body)).toMatchObject({ started: false, status: 'completed', result: 'Hello, Grace!' });
  });

  it('refuses unauthenticated calls, IAM or HMAC, and starts nothing', async () => {
    const iam = createHttpTriggerHandler({ triggers: [call], prewarm: false });
    const hmac = createHttpTriggerHandler({ triggers: [partner], prewarm: false, hmacSecret: () => secret });
    const requestId = `u-${randomUUID()}`;
    const body = JSON.stringify({ requestId, name: 'Mallory' });
    expect(await iam(functionUrlEvent({ path: '/t-call', body }), testContext())).toMatchObject({ statusCode: 401 });
    const forged = { 'X-Signature-Timestamp': String(Math.floor(Date.now() / 1000)), 'X-Signature': httpSignature('wrong', '0', body) };
    expect(await hmac(functionUrlEvent({ path: '/t-partner', body, headers: forged }), testContext())).toMatchObject({ statusCode: 401 });
    expect(await runsOf(`t-call/key/${requestId}`)).toBe(0);
    expect(await runsOf(`t-partner/key/${requestId}`)).toBe(0);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = { 'X-Signature-Timestamp': timestamp, 'X-Signature': httpSignature(secret, timestamp, body) };
    expect(await hmac(functionUrlEvent({ path: '/t-partner', body, headers: signed }), testContext(10_000))).toMatchObject({
      statusCode: 202,
    });
  });
});
