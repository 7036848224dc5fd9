import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle, ActivityFailure, ApplicationFailure } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const SECRET = 'plaintext-that-must-not-leak';

/** XOR "encryption": enough to prove the codec covers SQS and results, not a real cipher. */
const xorCodec: PayloadCodec = {
  async encode(payloads: Payload[]) {
    return payloads.map((p) => ({
      metadata: {
        encoding: new TextEncoder().encode('binary/xor'),
        inner: new TextEncoder().encode(
          JSON.stringify(Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))),
        ),
      },
      data: Uint8Array.from(p.data ?? [], (b) => b ^ 0x5a),
    }));
  },
  async decode(payloads: Payload[]) {
    return payloads.map((p) => {
      if (new TextDecoder().decode(p.metadata?.encoding) !== 'binary/xor') return p;
      const inner = JSON.parse(new TextDecoder().decode(p.metadata?.inner)) as Record<string, string>;
      return {
        metadata: Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Uint8Array.from(p.data ?? [], (b) => b ^ 0x5a),
      };
    });
  },
};

describe('a payload codec shared by worker, SQS message and function', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, dataConverter: { payloadCodecs: [xorCodec] } });
  });
  afterAll(() => env?.stop());

  it('encodes the input in SQS and decodes the result in the workflow', async () => {
    const handle = await env.start('echoWorkflow', SECRET);
    const [message] = await env.receive(env.queue.url, 1, 10);
    expect(message?.Body).toBeDefined();
    expect(message?.Body).not.toContain(SECRET);
    expect(Buffer.from(JSON.parse(message?.Body ?? '{}').input.data, 'base64').toString()).not.toContain(SECRET);
    const response = await env.invoke([message!]);
    expect(response.batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toEqual({ echoed: SECRET.toUpperCase(), by: 'test-function', attempt: 1 });
  });

  it('rejects at dispatch an input over the SQS limit, non-retryably, without sending it', async () => {
    const handle = await env.start('echoWorkflow', 'x'.repeat(800_000));
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure.type).toBe('JobInputTooLarge');
    expect(failure.nonRetryable).toBe(true);
    expect(await env.receive(env.queue.url, 1, 1)).toEqual([]);
  });
});

/** Polls the history until a workflow task has failed; returns that failure. */
async function firstWorkflowTaskFailure(handle: WorkflowHandle, seconds = 15): Promise<temporal.api.failure.v1.IFailure | undefined> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const { events } = await handle.fetchHistory();
    const failed = events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
    if (failed) return failed;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

describe('with a key ring, a workflow started by a client without it (as by the temporal CLI)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    const ring = JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    env = await startTestEnv({ runner: false, dataConverter: dataConverterFromEnv({ PAYLOAD_KEYS: ring }) });
  });
  afterAll(() => env?.stop());

  it('is refused by the worker: its workflow task fails with PlaintextPayloadError and no job is sent', async () => {
    const plainClient = new Client({ connection: env.client.connection });
    const handle = await plainClient.workflow.start('echoWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `plain-${randomUUID()}`,
      args: [SECRET],
    });
    try {
      const failure = await firstWorkflowTaskFailure(handle);
      expect(failure?.message).toMatch(/not encrypted.*json\/plain.*same key ring/s);
      expect(failure?.message).not.toContain(SECRET);
      expect(await env.receive(env.queue.url, 1, 1)).toEqual([]);
    } finally {
      await handle.terminate('plaintext input refused, as expected');
    }
  });
});
