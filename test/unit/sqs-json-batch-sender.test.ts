import { createHash, createHmac } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../jobs/sqs-client';
import { SEND_MESSAGE_BATCH_CHANNEL, SqsRequestError, sqsJsonBatchSender, withMd5Checked } from '../../worker/sqs-json-batch-sender';
import { makeTestCertificates } from '../helpers/test-certificates';

/** What the test endpoint received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'hang-up';

/** A loopback HTTP endpoint that answers each request with the next of `answers` (the last one repeats). */
async function endpoint(answers: Answer[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(received.length - 1, answers.length - 1)]!;
      if (answer === 'hang-up') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', ...answer.headers });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const client = (url: string, extra: Record<string, unknown> = {}) =>
  createSqsClient({ endpoint: url, region: 'eu-west-1', credentials: CREDENTIALS, ...extra });
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const accepted = (bodies: string[]) => ({
  Successful: bodies.map((body, i) => ({ Id: String(i), MessageId: `m-${i}`, MD5OfMessageBody: md5(body) })),
  Failed: [],
});
const request = (bodies: string[]) => ({
  QueueUrl: 'http://queue.example/123/jobs',
  Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })),
});

/** SigV4 recomputed from the received request, by the spec, without the signer under test. */
function expectedSignature(r: Received): string {
  const auth = String(r.headers.authorization);
  const [, scope, signedHeaders] = /Credential=[^/]+\/([^,]+), SignedHeaders=([^,]+), Signature=/.exec(auth)!;
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map((h) => `${h}:${String(r.headers[h]).trim()}\n`)
    .join('');
  const canonical = ['POST', r.path, '', canonicalHeaders, signedHeaders, createHash('sha256').update(r.body).digest('hex')].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', r.headers['x-amz-date'], scope, createHash('sha256').update(canonical).digest('hex')].join(
    '\n',
  );
  const [date, region, service] = scope!.split('/');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date!), region!), service!), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('sqsJsonBatchSender', () => {
  it('posts SendMessageBatch in AWS JSON 1.0 to the client’s endpoint, signed with SigV4 for sqs in its region', async () => {
    const { url, received } = await endpoint([{ status: 200, body: accepted(['a', 'ü b']) }]);
    const send = sqsJsonBatchSender(client(url));

    const result = await send(request(['a', 'ü b']));

    expect(result.Successful?.map((e) => e.MessageId)).toEqual(['m-0', 'm-1']);
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r!.path).toBe('/');
    expect(r!.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    expect(r!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(r!.headers['x-amz-security-token']).toBe('session-token');
    expect(JSON.parse(r!.body)).toEqual(request(['a', 'ü b']));
    expect(String(r!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sqs\/aws4_request, /);
    expect(String(r!.headers.authorization)).toContain(`Signature=${expectedSignature(r!)}`);
  });

  it('speaks HTTPS to an https endpoint, checking its certificate: refused with an unknown CA, accepted with the agent given', async () => {
    // Prepare: an HTTPS endpoint whose certificate a throwaway CA signed for localhost
    const certs = makeTestCertificates('localhost');
    const server = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(accepted(['a']))));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server as unknown as Server);
    const url = `https://localhost:${(server.address() as AddressInfo).port}`;

    // Act
    const untrusted = await sqsJsonBatchSender(client(url), { retryDelayMs: () => 1 })(request(['a'])).catch(
      (e: unknown) => e as SqsRequestError,
    );
    const trusted = await sqsJsonBatchSender(client(url), { httpsAgent: new HttpsAgent({ ca: certs.ca }) })(request(['a']));

    // Assess
    expect(untrusted).toBeInstanceOf(SqsRequestError);
    // A certificate it cannot trust is not retried (as the SDK), and says so.
    expect((untrusted as SqsRequestError).name).toMatch(/CERT|SIGNATURE|ISSUER/);
    expect((untrusted as SqsRequestError).$metadata.attempts).toBe(1);
    expect(trusted.Successful?.map((e) => e.MessageId)).toEqual(['m-0']);
  });

  it('sends binary attribute values as base64', async () => {
    const { url, received } = await endpoint([{ status: 200, body: accepted(['x']) }]);
    await sqsJsonBatchSender(client(url))({
      QueueUrl: 'q',
      Entries: [{ Id: '0', MessageBody: 'x', MessageAttributes: { B: { DataType: 'Binary', BinaryValue: Buffer.from([0, 255, 1]) } } }],
    });
    expect(
      (JSON.parse(received[0]!.body) as { Entries: { MessageAttributes: { B: { BinaryValue: string } } }[] }).Entries[0]!.MessageAttributes
        .B.BinaryValue,
    ).toBe('AP8B');
  });

  it('retries throttling, 5xx and a dropped connection up to the client’s maxAttempts, then succeeds', async () => {
    const { url, received } = await endpoint([
      { status: 400, body: { __type: 'com.amazonaws.sqs#RequestThrottled', message: 'slow down' } },
      'hang-up',
      { status: 200, body: accepted(['a']) },
    ]);
    const result = await sqsJsonBatchSender(client(url), { retryDelayMs: () => 1 })(request(['a']));
    expect(result.Successful).toHaveLength(1);
    expect(received).toHaveLength(3);
  });

  it('gives up after maxAttempts (3 unless the client says otherwise) with the last error', async () => {
    const { url, received } = await endpoint([{ status: 503, body: { __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'down' } }]);
    const error = await sqsJsonBatchSender(client(url), { retryDelayMs: () => 1 })(request(['a'])).catch((e: unknown) => e);
    expect(received).toHaveLength(3);
    expect(error).toBeInstanceOf(SqsRequestError);
    expect((error as SqsRequestError).name).toBe('ServiceUnavailable');
    expect((error as SqsRequestError).$metadata).toMatchObject({ httpStatusCode: 503, attempts: 3 });
    expect((error as SqsRequestError).$fault).toBe('server');

    const five = await endpoint([{ status: 500, body: 'oops' }]);
    await sqsJsonBatchSender(client(five.url, { maxAttempts: 5 }), { retryDelayMs: () => 1 })(request(['a'])).catch(() => undefined);
    expect(five.received).toHaveLength(5);
  });

  it('retries with its shipped backoff too (the tests above shorten it): three attempts, then the error', async () => {
    const { url, received } = await endpoint([{ status: 503, body: { __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'down' } }]);
    const error = await sqsJsonBatchSender(client(url))(request(['a'])).catch((e: unknown) => e as SqsRequestError);
    expect(received).toHaveLength(3);
    expect((error as SqsRequestError).$metadata.attempts).toBe(3);
  });

  it('fails a request with no answer after its shipped 30 s as TimeoutError, and a shortened timeout the same way', async () => {
    // Prepare: an endpoint that takes requests and never answers
    const silent = createNetServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    servers.push(silent as unknown as Server);
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

    // Act: one attempt each, so the timeout alone decides
    const shortStart = Date.now();
    const short = await sqsJsonBatchSender(client(url, { maxAttempts: 1 }), { requestTimeoutMs: 300 })(request(['a'])).catch(
      (e: unknown) => e,
    );
    const shortMs = Date.now() - shortStart;
    const shippedStart = Date.now();
    const shipped = await sqsJsonBatchSender(client(url, { maxAttempts: 1 }))(request(['a'])).catch((e: unknown) => e);
    const shippedMs = Date.now() - shippedStart;

    // Assess
    for (const error of [short, shipped]) {
      expect(error).toBeInstanceOf(SqsRequestError);
      expect((error as SqsRequestError).name).toBe('TimeoutError');
    }
    expect(shortMs).toBeGreaterThanOrEqual(290);
    expect(shortMs).toBeLessThan(5_000);
    expect(shippedMs).toBeGreaterThanOrEqual(29_900);
    expect(shippedMs).toBeLessThan(40_000);
  });

  it('does not retry what the request got wrong, and names it as the SDK does', async () => {
    const { url, received } = await endpoint([
      {
        status: 400,
        body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
        headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender', 'x-amzn-requestid': 'req-1' },
      },
    ]);
    const error = (await sqsJsonBatchSender(client(url), { retryDelayMs: () => 1 })(request(['a'])).catch(
      (e: unknown) => e,
    )) as SqsRequestError;
    expect(received).toHaveLength(1);
    expect(error.name).toBe('QueueDoesNotExist');
    expect(error.queryErrorCode).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(error.$metadata).toEqual({ httpStatusCode: 400, requestId: 'req-1', attempts: 1 });
    expect(error.$fault).toBe('client');
    expect(error.message).toContain('The specified queue does not exist.');
  });

  it('fails only the entry whose body arrived with another MD5, unless the client turned the check off', async () => {
    const answer = {
      Successful: [
        { Id: '0', MessageId: 'm-0', MD5OfMessageBody: md5('a') },
        { Id: '1', MessageId: 'm-1', MD5OfMessageBody: md5('not b') },
      ],
    };
    const checked = await endpoint([{ status: 200, body: answer }]);
    const result = await sqsJsonBatchSender(client(checked.url))(request(['a', 'b']));
    expect(result.Successful?.map((e) => e.Id)).toEqual(['0']);
    expect(result.Failed).toEqual([expect.objectContaining({ Id: '1', Code: 'InvalidMD5', SenderFault: false })]);

    const unchecked = await endpoint([{ status: 200, body: answer }]);
    const trusting = await sqsJsonBatchSender(client(unchecked.url, { md5: false }))(request(['a', 'b']));
    expect(trusting.Successful?.map((e) => e.Id)).toEqual(['0', '1']);
    expect(
      withMd5Checked(request(['a']), { Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: md5('a') }], Failed: [] }).Failed,
    ).toEqual([]);
  });

  it('publishes each answered or failed request on its diagnostics channel', async () => {
    const seen: unknown[] = [];
    const listener = (event: unknown) => seen.push(event);
    subscribe(SEND_MESSAGE_BATCH_CHANNEL, listener);
    try {
      const ok = await endpoint([{ status: 200, body: accepted(['a']) }]);
      await sqsJsonBatchSender(client(ok.url))(request(['a']));
      const bad = await endpoint([{ status: 403, body: { __type: 'com.amazon.coral.service#AccessDeniedException', message: 'no' } }]);
      await sqsJsonBatchSender(client(bad.url))(request(['b'])).catch(() => undefined);
    } finally {
      unsubscribe(SEND_MESSAGE_BATCH_CHANNEL, listener);
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ request: request(['a']), result: { Successful: [{ MessageId: 'm-0' }] } });
    expect(seen[1]).toMatchObject({ request: request(['b']), error: { name: 'AccessDeniedException' } });
  });
});
