import { describe, expect, it } from 'vitest';
import { JobMessageError, JobMessageProblem } from '../../jobs/errors';
import {
  decodeJobMessage,
  encodeJobMessage,
  JOB_MESSAGE_MAX_BODY_BYTES,
  JOB_MESSAGE_VERSION,
  SQS_MAX_MESSAGE_BYTES,
} from '../../jobs/job-message';
import type { JobMessage } from '../../jobs/job-message';
import { encodeJsonPayload } from '../../jobs/payloads';
import { isWellFormedTaskToken } from '../../jobs/task-token';
import { fakeTaskToken } from '../helpers/task-tokens';

const TOKEN = fakeTaskToken().toString('base64');

async function aMessage(overrides: Partial<JobMessage> = {}): Promise<JobMessage> {
  return {
    v: JOB_MESSAGE_VERSION,
    job: 'greet',
    taskToken: TOKEN,
    namespace: 'default',
    workflowId: 'wf-1',
    runId: 'run-1',
    activityId: '1',
    activityType: 'greet',
    attempt: 1,
    idempotencyKey: 'wf-1/1',
    deadline: new Date(Date.now() + 60_000).toISOString(),
    heartbeatTimeoutMs: 10_000,
    input: await encodeJsonPayload({ name: 'Ada' }),
    ...overrides,
  };
}

function problemOf(body: string): JobMessageProblem {
  try {
    decodeJobMessage(body);
  } catch (err) {
    expect(err).toBeInstanceOf(JobMessageError);
    expect((err as Error).message).not.toContain(TOKEN);
    return (err as JobMessageError).problem;
  }
  throw new Error('decoded without error');
}

describe('job message contract v1', () => {
  it('round-trips a message and decodes the token to bytes', async () => {
    const message = await aMessage();
    const decoded = decodeJobMessage(encodeJobMessage(message));
    expect(decoded).toMatchObject({ ...message, taskTokenBytes: new Uint8Array(fakeTaskToken()) });
  });

  it('accepts a message without token (completion by ids) and derives the idempotency key', async () => {
    const { taskToken: _t, idempotencyKey: _k, ...rest } = await aMessage();
    const decoded = decodeJobMessage(JSON.stringify(rest));
    expect(decoded.taskTokenBytes).toBeUndefined();
    expect(decoded.idempotencyKey).toBe('wf-1/1');
  });

  it.each([
    ['not JSON', () => 'hello', JobMessageProblem.NotJson],
    ['a JSON array', () => '[1,2]', JobMessageProblem.NotJson],
    ['an unknown version', (m: JobMessage) => JSON.stringify({ ...m, v: 2 }), JobMessageProblem.UnsupportedVersion],
    ['no version', (m: JobMessage) => JSON.stringify({ ...m, v: undefined }), JobMessageProblem.UnsupportedVersion],
    ['no workflowId', (m: JobMessage) => JSON.stringify({ ...m, workflowId: undefined }), JobMessageProblem.MissingField],
    ['an empty job', (m: JobMessage) => JSON.stringify({ ...m, job: '' }), JobMessageProblem.MissingField],
    ['attempt 0', (m: JobMessage) => JSON.stringify({ ...m, attempt: 0 }), JobMessageProblem.MissingField],
    ['a bad deadline', (m: JobMessage) => JSON.stringify({ ...m, deadline: 'soon' }), JobMessageProblem.MissingField],
    ['an input that is not a payload', (m: JobMessage) => JSON.stringify({ ...m, input: { name: 'Ada' } }), JobMessageProblem.MissingField],
    [
      'a base64 token that is not a protobuf message',
      (m: JobMessage) => JSON.stringify({ ...m, taskToken: Buffer.from('not a token').toString('base64') }),
      JobMessageProblem.BadToken,
    ],
    ['a token that is not base64', (m: JobMessage) => JSON.stringify({ ...m, taskToken: `${TOKEN}!` }), JobMessageProblem.BadToken],
    ['an oversize body', (m: JobMessage) => JSON.stringify({ ...m, pad: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) }), JobMessageProblem.TooLarge],
  ])('rejects %s with a clear problem that never quotes the token', async (_name, make, problem) => {
    expect(problemOf(make(await aMessage()))).toBe(problem);
  });

  it('refuses to encode a message over the SQS limit and says what to do', async () => {
    const message = await aMessage({ input: await encodeJsonPayload({ blob: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) }) });
    expect(() => encodeJobMessage(message)).toThrow(/over the 1047552 a job message body may have.*pass a reference/);
  });

  it('takes a body of exactly the cap (1 MiB less the attribute reserve) and refuses one byte more, both ways', async () => {
    expect(SQS_MAX_MESSAGE_BYTES).toBe(1_048_576);
    expect(JOB_MESSAGE_MAX_BODY_BYTES).toBe(SQS_MAX_MESSAGE_BYTES - 1_024);
    const ofBodyBytes = async (bytes: number): Promise<JobMessage> => {
      const base = await aMessage();
      const overhead = Buffer.byteLength(JSON.stringify({ ...base, input: { ...base.input, data: '' } }), 'utf8');
      return { ...base, input: { ...base.input, data: 'A'.repeat(bytes - overhead) } };
    };
    const atCap = encodeJobMessage(await ofBodyBytes(JOB_MESSAGE_MAX_BODY_BYTES));
    expect(Buffer.byteLength(atCap, 'utf8')).toBe(JOB_MESSAGE_MAX_BODY_BYTES);
    expect(decodeJobMessage(atCap).workflowId).toBe('wf-1');
    const over = JSON.stringify(await ofBodyBytes(JOB_MESSAGE_MAX_BODY_BYTES + 1));
    expect(() => encodeJobMessage(JSON.parse(over) as JobMessage)).toThrow(JobMessageError);
    expect(problemOf(over)).toBe(JobMessageProblem.TooLarge);
  });
});

describe('task token shape check', () => {
  it('accepts protobuf-shaped bytes and rejects text, truncation and emptiness', () => {
    expect(isWellFormedTaskToken(fakeTaskToken())).toBe(true);
    expect(isWellFormedTaskToken(Buffer.from('token'))).toBe(false);
    expect(isWellFormedTaskToken(fakeTaskToken().subarray(0, 5))).toBe(false);
    expect(isWellFormedTaskToken(new Uint8Array())).toBe(false);
  });
});

describe('job message bounds (hostile numbers, keys and sizes)', () => {
  it.each([
    ['attempt 1e308', { attempt: 1e308 }],
    ['attempt past int32', { attempt: 2 ** 31 }],
    ['heartbeatTimeoutMs 1e10', { heartbeatTimeoutMs: 1e10 }],
    ['heartbeatTimeoutMs NaN-ish (a string)', { heartbeatTimeoutMs: '5' }],
    ['a 100 KiB job name', { job: 'j'.repeat(100 * 1024) }],
  ])('refuses %s', async (_what, overrides) => {
    expect(problemOf(JSON.stringify({ ...(await aMessage()), ...overrides }))).toBe(JobMessageProblem.MissingField);
  });

  it('describes an unsupported version without serialising it (deep or huge values)', async () => {
    const deep = `{"v":${'['.repeat(6_000)}${']'.repeat(6_000)}}`;
    expect(problemOf(deep)).toBe(JobMessageProblem.UnsupportedVersion);
    try {
      decodeJobMessage(JSON.stringify({ ...(await aMessage()), v: 'x'.repeat(200_000) }));
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });

  it('keeps "__proto__" and "constructor" metadata keys as plain entries', async () => {
    const message = await aMessage();
    const body = JSON.stringify(message).replace('"metadata":{', '"metadata":{"__proto__":"eA==","constructor":"eQ==",');
    const decoded = decodeJobMessage(body);
    expect(Object.getPrototypeOf(decoded.input.metadata)).toBeNull();
    expect(decoded.input.metadata['__proto__']).toBe('eA==');
    expect(decoded.input.metadata.constructor).toBe('eQ==');
  });
});
