import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool, Http1ProtocolError, Http1TimeoutError } from '../../worker/http1-pool';
import { makeTestCertificates } from '../helpers/test-certificates';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const urlOf = (server: NetServer | HttpServer, scheme = 'http', host = '127.0.0.1') =>
  new URL(`${scheme}://${host}:${(server.address() as AddressInfo).port}`);

async function listening<T extends NetServer | HttpServer>(server: T): Promise<T> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    server.close();
    (server as HttpServer).closeAllConnections?.();
  });
  return server;
}

/** A Node HTTP server that records each request and the connection it came on. */
async function nodeServer(answer: (body: string, res: ServerResponse) => void) {
  const seen: { body: string; connection: number; headers: IncomingHttpHeaders }[] = [];
  const connections = new WeakMap<Socket, number>();
  let opened = 0;
  const server = createHttpServer((req, res) => {
    let connection = connections.get(req.socket);
    if (connection === undefined) connections.set(req.socket, (connection = opened += 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ body, connection: connection!, headers: req.headers });
      answer(body, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  return { server: await listening(server), seen, opened: () => opened };
}

/** A TCP server that hands each request's bytes to `onRequest` with the socket, to answer with whatever bytes a test needs. */
async function rawServer(onRequest: (socket: Socket, request: string, index: number) => void) {
  let index = 0;
  let connections = 0;
  const server = createNetServer((socket) => {
    connections += 1;
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = buffered.slice(0, end + 4 + length);
        buffered = buffered.slice(end + 4 + length);
        onRequest(socket, request, index++);
      }
    });
    socket.on('error', () => undefined);
  });
  return { server: await listening(server), connections: () => connections };
}

/** The error `answer` fails with; a test failure when it does not fail. */
async function failureOf(answer: Promise<unknown>): Promise<Error & { code?: string }> {
  const result = await answer.then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  if (!result) throw new Error('the request was answered; it should have failed');
  return result;
}

const post = (body = 'ping') => ({ method: 'POST', path: '/q', headers: { 'content-type': 'text/plain' }, body });

describe('Http1Pool', () => {
  it('sends a request as one HTTP/1.1 message and reads a Content-Length answer, reusing the connection', async () => {
    // Prepare
    const { server, seen } = await nodeServer((body, res) =>
      res.writeHead(201, { 'X-Length': String(body.length), 'set-cookie': ['a=1', 'b=2'] }).end(`got ${body}`),
    );
    const pool = new Http1Pool(urlOf(server));

    // Act
    const first = await pool.request(post('héllo'));
    const second = await pool.request(post('again'));

    // Assess
    expect(first.status).toBe(201);
    expect(first.body.toString('utf8')).toBe('got héllo');
    expect(first.headers['x-length']).toBe('5');
    expect(first.headers['set-cookie']).toBe('a=1, b=2');
    expect(second.body.toString()).toBe('got again');
    expect(seen.map((s) => s.connection)).toEqual([1, 1]);
    expect(seen[0]!.headers.host).toBe(urlOf(server).host);
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength('héllo')));
  });

  it('reads chunked answers, trailers included, and answers that arrive a byte at a time after a 100 Continue', async () => {
    // Prepare
    const answers = [
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nx-trailer: t\r\n\r\n',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n',
    ];
    const { server, connections } = await rawServer((socket, _request, index) => {
      const bytes = Buffer.from(answers[index]!);
      if (index !== 1) return void socket.write(bytes);
      let at = 0;
      const drip = (): void => {
        if (at < bytes.length) socket.write(bytes.subarray(at, (at += 1)), () => setImmediate(drip));
      };
      drip();
    });
    const pool = new Http1Pool(urlOf(server));

    // Act
    const bodies: string[] = [];
    for (let i = 0; i < answers.length; i += 1) bodies.push((await pool.request(post())).body.toString());

    // Assess
    expect(bodies).toEqual(['hello, world', 'abc', 'xyz']);
    expect(connections()).toBe(1);
  });

  it('opens a new connection after an answer that closes its own, and reads a body framed by the end of the connection', async () => {
    // Prepare
    const { server, connections } = await rawServer((socket, _request, index) => {
      if (index === 0) socket.write('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok');
      else socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
    });
    const pool = new Http1Pool(urlOf(server));

    // Act
    const first = await pool.request(post());
    const second = await pool.request(post());
    const third = await pool.request(post());

    // Assess
    expect([first.body.toString(), second.body.toString(), third.body.toString()]).toEqual(['ok', 'until the end', 'until the end']);
    expect(connections()).toBe(3);
  });

  it('does not use a connection the server closed while it was idle', async () => {
    // Prepare: the server closes each connection 50 ms after answering
    const { server, seen } = await nodeServer((_body, res) => {
      const socket = res.socket;
      res.end('ok');
      setTimeout(() => socket?.destroy(), 50);
    });
    const pool = new Http1Pool(urlOf(server));

    // Act
    await pool.request(post('1'));
    await new Promise((r) => setTimeout(r, 150));
    const afterClose = await pool.request(post('2'));

    // Assess
    expect(afterClose.body.toString()).toBe('ok');
    expect(seen.map((s) => s.connection)).toEqual([1, 2]);
  });

  it('closes a connection idle for longer than idleTimeoutMs instead of reusing it', async () => {
    // Prepare
    const { server, seen } = await nodeServer((_body, res) => res.end('ok'));
    const pool = new Http1Pool(urlOf(server), { idleTimeoutMs: 100 });

    // Act
    await pool.request(post('1'));
    await pool.request(post('2'));
    await new Promise((r) => setTimeout(r, 200));
    await pool.request(post('3'));

    // Assess
    expect(seen.map((s) => s.connection)).toEqual([1, 1, 2]);
  });

  it('keeps the shipped idle limit (4 s): reuses a connection idle for 3 s, not one idle for 4.5 s', async () => {
    // Prepare: the pool's defaults, a server that keeps connections a minute
    const { server, seen } = await nodeServer((_body, res) => res.end('ok'));
    const pool = new Http1Pool(urlOf(server));

    // Act
    await pool.request(post('1'));
    await new Promise((r) => setTimeout(r, 3_000));
    await pool.request(post('2'));
    await new Promise((r) => setTimeout(r, 4_500));
    await pool.request(post('3'));

    // Assess
    expect(seen.map((s) => s.connection)).toEqual([1, 1, 2]);
  });

  it('opens at most maxSockets connections; further requests wait their turn and all are answered', async () => {
    // Prepare: answers come 20 ms after each request
    let inFlight = 0;
    let mostInFlight = 0;
    const { server, seen } = await nodeServer((body, res) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end(body);
      }, 20);
    });
    const pool = new Http1Pool(urlOf(server), { maxSockets: 2 });

    // Act
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => pool.request(post(String(i)))));

    // Assess
    expect(answers.map((a) => a.body.toString())).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(mostInFlight).toBe(2);
    expect(new Set(seen.map((s) => s.connection)).size).toBe(2);
  });

  it('fails a request whose connection stays silent for timeoutMs, and one whose connection is cut mid-answer', async () => {
    // Prepare
    const { server } = await rawServer((socket, request) => {
      if (request.endsWith('cut')) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
        setTimeout(() => socket.destroy(), 20);
      }
    });
    const pool = new Http1Pool(urlOf(server), { timeoutMs: 200 });

    // Act
    const started = Date.now();
    const silent = await failureOf(pool.request(post('silent')));
    const silentMs = Date.now() - started;
    const cut = await failureOf(pool.request(post('cut')));

    // Assess
    expect(silent).toBeInstanceOf(Http1TimeoutError);
    expect(silentMs).toBeGreaterThanOrEqual(190);
    expect(cut.code).toBe('ECONNRESET');
  });

  it('refuses an answer that is not HTTP/1.x, a chunk longer than its size says, or one larger than maxAnswerBytes, and drops that connection', async () => {
    // Prepare
    const { server, connections } = await rawServer((socket, request) => {
      if (request.endsWith('garbage')) socket.write('SSH-2.0-OpenSSH\r\n\r\n');
      else if (request.endsWith('bad-chunk')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n');
      else if (request.endsWith('big')) socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n${'x'.repeat(5000)}`);
      else socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    const pool = new Http1Pool(urlOf(server), { maxAnswerBytes: 1024 });

    // Act
    const garbage = await pool.request(post('garbage')).catch((e: unknown) => e);
    const big = await pool.request(post('big')).catch((e: unknown) => e);
    const badChunk = await pool.request(post('bad-chunk')).catch((e: unknown) => e);
    const fine = await pool.request(post('fine'));

    // Assess
    expect(garbage).toBeInstanceOf(Http1ProtocolError);
    expect(big).toBeInstanceOf(Http1ProtocolError);
    expect((big as Error).message).toContain('1024');
    expect(badChunk).toBeInstanceOf(Http1ProtocolError);
    expect(fine.body.toString()).toBe('ok');
    expect(connections()).toBe(4);
  });

  it('refuses a header holding a line break before anything is sent', async () => {
    const { server, connections } = await rawServer(() => undefined);
    const pool = new Http1Pool(urlOf(server));

    await expect(pool.request({ ...post(), headers: { 'x-evil': 'a\r\nx-injected: 1' } })).rejects.toThrow(TypeError);
    expect(connections()).toBe(0);
  });

  it('speaks HTTPS: checks the certificate against Node’s trust store, or the CA it is given', async () => {
    // Prepare: a certificate a throwaway CA signed for localhost
    const certs = makeTestCertificates('localhost');
    const server = await listening(createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (_req, res) => res.end('secret')));
    const url = urlOf(server, 'https', 'localhost');

    // Act
    const untrusted = await failureOf(new Http1Pool(url).request(post()));
    const trusted = await new Http1Pool(url, { tls: { ca: certs.ca } }).request(post());

    // Assess
    expect(untrusted.code).toMatch(/CERT|SIGNATURE|ISSUER/);
    expect(trusted.body.toString()).toBe('secret');
  });

  it('lets the process exit while connections are idle', async () => {
    // Prepare
    const { server } = await nodeServer((_body, res) => res.end('ok'));
    const script = `import { Http1Pool } from './worker/http1-pool.ts';
      const answer = await new Http1Pool(new URL(${JSON.stringify(urlOf(server).href)})).request({ method: 'GET', path: '/', headers: {}, body: '' });
      console.log(answer.status);`;

    // Act
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((r) => child.on('exit', r));

    // Assess: it exits on its own, long before the server's 60 s keep-alive or the pool's 30 s timeout
    expect(code).toBe(0);
    expect(out.trim()).toBe('200');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
