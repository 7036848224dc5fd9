/**
 * The functions' gRPC channel (functions/runtime/grpc-channel.ts) against real `node:http2` servers that
 * answer as gRPC servers, proxies and broken networks do. The happy path against Temporal itself is what every
 * other integration and reliability test runs on.
 */
import { createServer as createTcpServer, connect as tcpConnect } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import { constants, createSecureServer, createServer } from 'node:http2';
import type { Http2Server, IncomingHttpHeaders, ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcChannel } from '../../functions/runtime/grpc-channel';
import { GrpcCallError, GrpcCode, isRetryableStatus } from '../../functions/runtime/grpc-status';
import { makeTestCertificates } from '../helpers/test-certificates';
import { KEEPALIVE_INTERVAL_MS, KEEPALIVE_TIMEOUT_MS, openWorkflowService } from '../../functions/runtime/workflow-service';

const PATH = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';
type Answer = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer) => void;

interface TestServer {
  readonly address: string;
  readonly sessions: ServerHttp2Session[];
  readonly calls: IncomingHttpHeaders[];
  answer: Answer;
  stop(): Promise<void>;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const framed = (message: Uint8Array): Buffer => {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
};

async function startServer(answer: Answer): Promise<TestServer> {
  const server: Http2Server = createServer();
  const state: TestServer = {
    address: '',
    sessions: [],
    calls: [],
    answer,
    stop: async () => {
      for (const session of state.sessions) session.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('session', (session) => state.sessions.push(session));
  server.on('stream', (stream, headers) => {
    state.calls.push(headers);
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => state.answer(stream, headers, Buffer.concat(chunks)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (state as { address: string }).address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  stops.push(state.stop);
  return state;
}

/** Answers OK with the request's own message echoed back. */
const echo: Answer = (stream, _headers, body) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(body);
};

function channelTo(address: string, keepalive = { keepaliveIntervalMs: KEEPALIVE_INTERVAL_MS, keepaliveTimeoutMs: KEEPALIVE_TIMEOUT_MS }) {
  const channel = new GrpcChannel({ address, ...keepalive });
  stops.push(async () => channel.close());
  return channel;
}

async function callError(call: Promise<unknown>): Promise<GrpcCallError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrpcCallError);
  return err as GrpcCallError;
}

describe('the functions’ gRPC channel', () => {
  it('sends one framed message with the call’s headers and deadline, and returns the answer’s message', async () => {
    const server = await startServer(echo);
    const channel = channelTo(server.address);
    const answer = await channel.unary(PATH, Buffer.from('hello'), { 'client-name': 'temporal-typescript' }, { timeoutMs: 2_500 });
    expect(Buffer.from(answer).toString()).toBe('hello');
    const [headers] = server.calls;
    expect(headers?.[':path']).toBe(PATH);
    expect(headers?.['content-type']).toBe('application/grpc+proto');
    expect(headers?.te).toBe('trailers');
    expect(headers?.['grpc-timeout']).toBe('2500m');
    expect(headers?.['client-name']).toBe('temporal-typescript');
  });

  it('reuses one connection for calls in a row', async () => {
    const server = await startServer(echo);
    const channel = channelTo(server.address);
    for (let i = 0; i < 5; i += 1) await channel.unary(PATH, Buffer.from([i]), {});
    expect(server.sessions).toHaveLength(1);
  });

  it('surfaces a trailers-only status with its percent-encoded message decoded', async () => {
    const server = await startServer((stream) =>
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'workflow%20not%20found%3A%20%E2%9C%93' },
        { endStream: true },
      ),
    );
    const err = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(err.code).toBe(GrpcCode.NotFound);
    expect(err.details).toBe('workflow not found: ✓');
    expect(err.message).toBe('NOT_FOUND: workflow not found: ✓');
  });

  it('maps an HTTP error without a gRPC status (a proxy’s 503) to UNAVAILABLE, which is retried', async () => {
    const server = await startServer((stream) => stream.respond({ ':status': 503 }, { endStream: true }));
    const err = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(err.code).toBe(GrpcCode.Unavailable);
    expect(isRetryableStatus(err)).toBe(true);
  });

  it('maps stream resets as grpc-js does: REFUSED_STREAM → UNAVAILABLE, PROTOCOL_ERROR → a retryable INTERNAL', async () => {
    const server = await startServer((stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM));
    const refused = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(refused.code).toBe(GrpcCode.Unavailable);
    server.answer = (stream) => stream.close(constants.NGHTTP2_PROTOCOL_ERROR);
    const reset = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(reset.code).toBe(GrpcCode.Internal);
    expect(reset.details).toMatch(/RST_STREAM with code 1.*NGHTTP2_PROTOCOL_ERROR/);
    expect(isRetryableStatus(reset)).toBe(true);
  });

  it('fails a call that ends without a status INTERNAL (retryable), and a truncated message INTERNAL', async () => {
    const server = await startServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end(framed(Buffer.from('x')));
    });
    const noStatus = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(noStatus.code).toBe(GrpcCode.Internal);
    expect(isRetryableStatus(noStatus)).toBe(true);
    server.answer = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed(Buffer.from('hello')).subarray(0, 7));
    };
    const truncated = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}));
    expect(truncated.details).toMatch(/truncated/);
  });

  it('answers DEADLINE_EXCEEDED when the server says nothing by the deadline, and cancels the stream', async () => {
    let cancelled = false;
    const server = await startServer((stream) => stream.on('close', () => (cancelled = stream.rstCode === constants.NGHTTP2_CANCEL)));
    const started = Date.now();
    const err = await callError(channelTo(server.address).unary(PATH, Buffer.alloc(0), {}, { timeoutMs: 300 }));
    expect(err.code).toBe(GrpcCode.DeadlineExceeded);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => cancelled).toBe(true);
  });

  it('cancels a call when its signal aborts', async () => {
    const server = await startServer(() => undefined);
    const abort = new AbortController();
    const call = channelTo(server.address).unary(PATH, Buffer.alloc(0), {}, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await callError(call)).code).toBe(GrpcCode.Cancelled);
  });

  it('fails UNAVAILABLE (retried) when nothing listens', async () => {
    const server = await startServer(echo);
    const address = server.address;
    await server.stop();
    stops.pop();
    const err = await callError(channelTo(address).unary(PATH, Buffer.alloc(0), {}));
    expect(err.code).toBe(GrpcCode.Unavailable);
    expect(err.details).toMatch(/ECONNREFUSED/);
  });

  it('moves to a new connection after GOAWAY, and a late error of the old one does not end the process', async () => {
    const server = await startServer(echo);
    const channel = channelTo(server.address);
    await channel.unary(PATH, Buffer.from('a'), {});
    const first = server.sessions[0] as ServerHttp2Session;
    first.goaway(constants.NGHTTP2_NO_ERROR);
    await new Promise((r) => setTimeout(r, 100));
    await channel.unary(PATH, Buffer.from('b'), {});
    expect(server.sessions).toHaveLength(2);
    // The client side of a connection the channel let go of may still raise an error (connect-es issue 1768
    // crashed processes so): the channel keeps listening on every connection it made.
    first.destroy(new Error('late'), constants.NGHTTP2_INTERNAL_ERROR);
    await new Promise((r) => setTimeout(r, 100));
    expect(Buffer.from(await channel.unary(PATH, Buffer.from('c'), {})).toString()).toBe('c');
  });

  it('replaces a connection that went silent (a dropped NAT entry): the PING before the first call after an idle spell finds it out', async () => {
    const server = await startServer(echo);
    // A TCP proxy that can stop forwarding, the way a middlebox that dropped the flow behaves.
    let silent = false;
    const sockets: Socket[] = [];
    const proxy: TcpServer = createTcpServer((client) => {
      const [host, port] = server.address.split(':');
      const upstream = tcpConnect(Number(port), host);
      sockets.push(client, upstream);
      client.on('data', (d) => silent || upstream.write(d));
      upstream.on('data', (d) => silent || client.write(d));
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    stops.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
    });
    // Shortened keepalive; the shipped values are checked below and by the freeze reliability scenarios.
    const channel = channelTo(`127.0.0.1:${(proxy.address() as { port: number }).port}`, {
      keepaliveIntervalMs: 400,
      keepaliveTimeoutMs: 300,
    });
    await channel.unary(PATH, Buffer.from('a'), {});
    silent = true;
    await new Promise((r) => setTimeout(r, 500));
    const lost = await callError(channel.unary(PATH, Buffer.from('b'), {}, { timeoutMs: 5_000 }));
    expect(lost.code).toBe(GrpcCode.Unavailable);
    expect(isRetryableStatus(lost)).toBe(true);
    silent = false;
    expect(Buffer.from(await channel.unary(PATH, Buffer.from('c'), {})).toString()).toBe('c');
    expect(server.sessions).toHaveLength(2);
  });

  it('ships Temporal’s SDK keepalive: a PING every 30 s, 15 s to answer', () => {
    expect(KEEPALIVE_INTERVAL_MS).toBe(30_000);
    expect(KEEPALIVE_TIMEOUT_MS).toBe(15_000);
  });
});

describe('openWorkflowService', () => {
  it('encodes the request, sends Temporal’s headers with the API key read at each call, and decodes the answer', async () => {
    // Answers every call with an empty message (every field at its default).
    const server = await startServer((stream) => echo(stream, {}, Buffer.from(framed(new Uint8Array()))));
    let key = 'first';
    const { service, close } = openWorkflowService({ address: server.address, apiKey: () => key, tls: false, metadata: { team: 'a' } });
    stops.push(async () => close());
    const answer = await service.describeNamespace({ namespace: 'ns-1' });
    expect(answer.$typeName).toBe('temporal.api.workflowservice.v1.DescribeNamespaceResponse');
    key = 'rotated';
    await service.describeNamespace({ namespace: 'ns-2' });
    expect(server.calls.map((h) => [h[':path'], h.authorization, h['temporal-namespace'], h['client-name'], h.team])).toEqual([
      ['/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace', 'Bearer first', 'ns-1', 'temporal-typescript', 'a'],
      ['/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace', 'Bearer rotated', 'ns-2', 'temporal-typescript', 'a'],
    ]);
  });

  it('speaks mTLS with a custom root and server name, and fails UNAVAILABLE without the client certificate', async () => {
    const certs = makeTestCertificates();
    const server = createSecureServer({
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    });
    const sessions: ServerHttp2Session[] = [];
    server.on('session', (s) => sessions.push(s));
    server.on('stream', (stream) => {
      stream.on('error', () => undefined);
      stream.on('data', () => undefined);
      stream.on('end', () => echo(stream, {}, framed(new Uint8Array())));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stops.push(async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const serverTls = { serverRootCACertificate: Buffer.from(certs.ca), serverNameOverride: certs.serverName };

    const mtls = openWorkflowService({
      address,
      tls: { ...serverTls, clientCertPair: { crt: Buffer.from(certs.clientCert), key: Buffer.from(certs.clientKey) } },
    });
    stops.push(async () => mtls.close());
    const answer = await mtls.service.getSystemInfo({}, { timeoutMs: 5_000 });
    expect(answer.$typeName).toBe('temporal.api.workflowservice.v1.GetSystemInfoResponse');

    const noClientCert = openWorkflowService({ address, tls: serverTls });
    stops.push(async () => noClientCert.close());
    const refused = await callError(noClientCert.service.getSystemInfo({}, { timeoutMs: 5_000 }));
    expect([GrpcCode.Unavailable, GrpcCode.Internal]).toContain(refused.code);

    // The server's name is checked: without the override the certificate does not match 127.0.0.1.
    const wrongName = openWorkflowService({ address, tls: { serverRootCACertificate: Buffer.from(certs.ca) } });
    stops.push(async () => wrongName.close());
    const mismatch = await callError(wrongName.service.getSystemInfo({}, { timeoutMs: 5_000 }));
    expect(mismatch.code).toBe(GrpcCode.Unavailable);
    expect(mismatch.details).toMatch(/altnames|IP/i);
  });
});
