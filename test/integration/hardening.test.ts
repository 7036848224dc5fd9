import { createServer, connect as connectTcp } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { ActivityFailure, ServerFailure, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { handleJob } from '../../functions/runtime/job-handler';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { closeTemporalClient, temporalConnectCount } from '../../functions/runtime/temporal-client';
import { freePort } from '../../infra/local/free-port';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, report, takeJobMessages, waitFor } from '../helpers/reliability';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { echo } from '../helpers/test-jobs';

/** The dev server's blob size error limit (`limit.blobSize.error`, 2 MiB by default). */
const BLOB_SIZE_ERROR_LIMIT = 2 * 1024 * 1024;
/** The dev server's gRPC receive limit: Go gRPC's default, 4 MiB. */
const GRPC_MAX_RECEIVE = 4 * 1024 * 1024;

type JobBody = Record<string, unknown> & { taskToken: string; workflowId: string };

/** A TCP proxy on `port` that forwards every connection to `target` (`host:port`), as Temporal coming up late. */
async function startTcpProxy(port: number, target: string): Promise<{ close(): Promise<void> }> {
  const at = target.lastIndexOf(':');
  const host = target.slice(0, at);
  const targetPort = Number(target.slice(at + 1));
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((downstream) => {
    const upstream = connectTcp(targetPort, host);
    track(downstream);
    track(upstream);
    downstream.on('error', () => upstream.destroy());
    upstream.on('error', () => downstream.destroy());
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Issue 11, defects 12, 7 and 10, on the real Temporal dev server: how the function classifies what Temporal
 * answers (a token it cannot take, a result over its limits) and a connect that fails before Temporal is up.
 */
describe('hardening: Temporal’s answers and late connects (issue 11)', () => {
  let env: TestEnv;
  const log = recordingLogger();
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
  });
  afterAll(async () => {
    await env?.stop();
  });

  /**
   * Starts echo workflows and takes their job messages off the queue, in order; any other message (one an
   * earlier test left for redelivery) is given back at once. When the test ends the workflows are terminated and
   * the messages deleted, so nothing of this test comes back in another.
   */
  async function dispatchEchoes(texts: readonly string[]): Promise<{ handles: WorkflowHandle[]; messages: Message[] }> {
    const handles = await Promise.all(texts.map((text) => env.start('echoWorkflow', text)));
    onTestFinished(() => Promise.all(handles.map((h) => h.terminate('test done').catch(() => undefined))).then(() => undefined));
    const messages = await takeJobMessages(
      env.sqs,
      env.queue.url,
      env.receive,
      handles.map((h) => h.workflowId),
    );
    onTestFinished(async () => {
      for (const m of messages)
        await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: m.ReceiptHandle })).catch(() => undefined);
    });
    return { handles, messages };
  }

  /** A token of this namespace (its real id in field 1) that the rest of Temporal's TaskToken cannot use. */
  async function tokenWith(rest: Buffer): Promise<string> {
    const id = (await env.client.workflowService.describeNamespace({ namespace: 'default' })).namespaceInfo?.id ?? '';
    expect(id.length).toBeGreaterThan(0);
    return Buffer.concat([Buffer.from([0x0a, Buffer.byteLength(id)]), Buffer.from(id), rest]).toString('base64');
  }

  // Defect 12. The server answers INVALID_ARGUMENT for both: a varint in field 2 (workflow_id) is kept by Go's
  // protobuf as an unknown field, so the token parses and the check after it fails; invalid UTF-8 in field 2
  // is what the server cannot deserialize at all. Before the fix both were `retry`, five times, then the DLQ.
  it.each([
    { what: 'field 2 as a varint', rest: Buffer.from([0x10, 0x01]), reason: 'WorkflowId is not set on request.' },
    { what: 'field 2 not UTF-8', rest: Buffer.from([0x12, 0x02, 0xff, 0xfe]), reason: 'Error deserializing task token.' },
  ])('rejects a token of this namespace that Temporal cannot use ($what), logged with Temporal’s reason', async ({ rest, reason }) => {
    const { messages } = await dispatchEchoes(['unusable token']);
    const [message] = messages as [Message];
    const body = JSON.parse(message.Body ?? '{}') as JobBody;
    const forged = { ...message, Body: JSON.stringify({ ...body, taskToken: await tokenWith(rest) }) };

    const response = await env.invoke([forged]);

    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Rejected]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: message.MessageId }]);
    const lines = log.lines.filter((l) => l.fields.messageId === message.MessageId);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('left for the dead-letter queue'),
        fields: expect.objectContaining({ code: 3, reason }),
      }),
    );
    expect(lines.filter((l) => /redelivery/.test(l.message))).toEqual([]);
  });

  // Defect 7, what the dev server really does with a result between its blob size limit (2 MiB) and its gRPC
  // receive limit (4 MiB): it answers OK and fails the activity itself, non-retryably, as a ServerFailure.
  // The runtime's ResultTooLarge path is not reached; the record is acknowledged and the job runs once.
  it('a result over the blob size limit fails the workflow once, non-retryably, and is not redelivered', async () => {
    const size = Math.round(BLOB_SIZE_ERROR_LIMIT * 1.2);
    const { handles, messages } = await dispatchEchoes(['big result']);
    const [handle] = handles as [WorkflowHandle];
    let calls = 0;
    const outcomes = recordOutcomes();
    const handler = createSqsJobHandler({
      onOutcomes: outcomes.onOutcomes,
      prewarm: false,
      logger: log,
      jobs: [
        handleJob(echo, async (_input, ctx) => {
          calls += 1;
          return { echoed: 'x'.repeat(size), by: 'hardening', attempt: ctx.attempt };
        }),
      ],
    });

    const response = await handler(sqsEvent(messages, env.queue.arn), testContext(20_000));

    expect(response.batchItemFailures).toEqual([]);
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (err as WorkflowFailedError).cause as ActivityFailure;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(activityFailure.cause).toBeInstanceOf(ServerFailure);
    expect(activityFailure.cause).toMatchObject({ message: 'Complete result exceeds size limit.', nonRetryable: true });
    expect(await activityEvents(handle)).toMatchObject({ started: 1, failed: 1, completed: 0 });
    expect(calls).toBe(1);
    report('hardening-result-over-blob-limit', {
      resultBytes: size,
      outcome: outcomes.last.get(messages[0]?.MessageId ?? ''),
      failure: 'ServerFailure',
    });
  });

  // Defect 7 above the gRPC limit: the server refuses the request with RESOURCE_EXHAUSTED ("grpc: received
  // message larger than max (… vs. 4194304)"). The SDK's retry interceptor used to retry it (sleeping 1.7 s,
  // 2.9 s, 4.9 s… whatever the deadline) and the runtime then classed it `retry`: the job ran again on every
  // delivery, reached the workflow as DeadLettered, and the invocation outlived its remaining time.
  it('a result over the gRPC receive limit fails the workflow as ResultTooLarge, acknowledged', async () => {
    const size = Math.round(GRPC_MAX_RECEIVE * 1.1);
    const { handles, messages } = await dispatchEchoes(['bigger result']);
    const [handle] = handles as [WorkflowHandle];
    const outcomes = recordOutcomes();
    const handler = createSqsJobHandler({
      onOutcomes: outcomes.onOutcomes,
      prewarm: false,
      logger: log,
      jobs: [handleJob(echo, async (_input, ctx) => ({ echoed: 'x'.repeat(size), by: 'hardening', attempt: ctx.attempt }))],
    });
    const started = Date.now();
    const response = await handler(sqsEvent(messages, env.queue.arn), testContext(6_000));
    const invocationMs = Date.now() - started;
    report('hardening-result-over-grpc-limit', {
      resultBytes: size,
      outcome: outcomes.last.get(messages[0]?.MessageId ?? ''),
      remainingMs: 6_000,
      invocationMs,
    });
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Failed]);
    expect(response.batchItemFailures).toEqual([]);
    expect(invocationMs).toBeLessThan(6_000);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(((err as WorkflowFailedError).cause as ActivityFailure).cause).toMatchObject({ type: 'ResultTooLarge', nonRetryable: true });
  });

  // Defect 10. Before the fix the first connect error was the batch's answer: every record came back `retry` and
  // waited for redelivery although Temporal was up moments later. The proxy comes up only once the first connect
  // has failed (a second has started): one connect waits up to its 5 s timeout while gRPC reconnects underneath,
  // so a Temporal back within those 5 s (say at 2 s) is reached by the first connect and would pass the old code.
  it('keeps connecting within the invocation and completes the batch once Temporal is reachable', async () => {
    const { handles, messages } = await dispatchEchoes(['late 1', 'late 2', 'late 3']);
    const realAddress = inject('temporalAddress');
    const port = await freePort();
    let proxy: { close(): Promise<void> } | undefined;
    await closeTemporalClient();
    const connectsBefore = temporalConnectCount();
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
    try {
      const started = Date.now();
      const invocation = env.invoke(messages, 20_000);
      await waitFor(
        'a failed connect and 2 s of Temporal being away',
        () => temporalConnectCount() >= connectsBefore + 2 && Date.now() - started >= 2_000,
        15_000,
        20,
      );
      const proxyAfterMs = Date.now() - started;
      const connectsBeforeProxy = temporalConnectCount() - connectsBefore;
      proxy = await startTcpProxy(port, realAddress);
      const response = await invocation;
      const invocationMs = Date.now() - started;

      expect(messages.map((m) => env.outcomes.last.get(m.MessageId ?? ''))).toEqual([
        RecordOutcome.Completed,
        RecordOutcome.Completed,
        RecordOutcome.Completed,
      ]);
      expect(response.batchItemFailures).toEqual([]);
      expect(invocationMs).toBeLessThan(20_000);
      const results = await Promise.all(handles.map((h) => h.result()));
      expect(results.map((r) => (r as { echoed: string }).echoed).sort()).toEqual(['LATE 1', 'LATE 2', 'LATE 3']);
      report('hardening-late-connect', {
        records: messages.length,
        proxyAfterMs,
        connectsBeforeProxy,
        connects: temporalConnectCount() - connectsBefore,
        invocationMs,
      });
    } finally {
      await closeTemporalClient();
      process.env.TEMPORAL_ADDRESS = realAddress;
      await proxy?.close();
    }
  });
});
