import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';

/** An HTTP answer, read whole. */
export interface Http1Answer {
  readonly status: number;
  /** Header names in lower case; a repeated header's values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** One request: a small body held in memory, as AWS's JSON APIs send. */
export interface Http1Request {
  readonly method: string;
  /** Path and query, as sent on the request line. */
  readonly path: string;
  /** Sent as given; `host` and `content-length` are added when missing. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Options of {@link Http1Pool}. */
export interface Http1PoolOptions {
  /** Most connections open at once; more requests wait for one to be free. @default 50 */
  readonly maxSockets?: number;
  /**
   * A connection with no traffic for this long while a request waits fails it (`Http1TimeoutError`), and
   * an idle connection this old is closed.
   * @default 30,000
   */
  readonly timeoutMs?: number;
  /** A connection idle for longer than this is not used again (closed), as servers close idle ones. @default 4,000 */
  readonly idleTimeoutMs?: number;
  /** Settings of `https:` connections (`ca`, `cert`, `key`, …). @default Node's trust store (`NODE_EXTRA_CA_CERTS` applies) */
  readonly tls?: ConnectionOptions;
  /** Largest answer (head and body) taken before the connection is dropped. @default 16 MiB */
  readonly maxAnswerBytes?: number;
}

/** No traffic on the connection for the pool's `timeoutMs` while a request waited for its answer. */
export class Http1TimeoutError extends Error {
  override readonly name = 'Http1TimeoutError';
  /** As Node names a connection that timed out. */
  readonly code = 'ETIMEDOUT';
}

/** The server's answer is not HTTP/1.x as this pool reads it, or is larger than `maxAnswerBytes`. */
export class Http1ProtocolError extends Error {
  override readonly name = 'Http1ProtocolError';
  readonly code = 'HPE_INVALID_ANSWER';
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const MAX_HEAD_BYTES = 64 * 1024;
const UNSAFE_HEADER_VALUE = /[\r\n\0]/;

/** The parts of an answer known once its head is read. */
interface Head {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly keepAlive: boolean;
  /** `chunked`, a byte count, or `close` (the body runs to the end of the connection). */
  readonly framing: 'chunked' | 'close' | number;
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (!statusLine) throw new Http1ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Http1ProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const status = Number(statusLine[2]);
  const connection = (headers.connection ?? '').toLowerCase();
  const keepAlive = statusLine[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  let framing: Head['framing'];
  if (status < 200 || status === 204 || status === 304) framing = 0;
  else if (headers['transfer-encoding'] !== undefined) {
    if (!/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding']))
      throw new Http1ProtocolError(`unsupported transfer-encoding ${headers['transfer-encoding']}`);
    framing = 'chunked';
  } else if (headers['content-length'] !== undefined) {
    if (!/^\d+$/.test(headers['content-length'])) throw new Http1ProtocolError(`bad content-length ${headers['content-length']}`);
    framing = Number(headers['content-length']);
  } else framing = 'close';
  return { status, headers, keepAlive: keepAlive && framing !== 'close', framing };
}

/**
 * Reads one answer from the bytes of a connection as they arrive. `feed` returns the answer once it is whole
 * (interim 1xx answers skipped); `ended` is called when the server closes the connection.
 */
class AnswerReader {
  private buffered: Buffer = Buffer.alloc(0);
  private head: Head | undefined;
  /** Where the next unread chunk-size line starts (chunked bodies). */
  private chunkAt = 0;
  private readonly chunks: Buffer[] = [];
  private received = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether any byte of the answer has arrived (a request whose connection died before that may not have reached the server's handler). */
  get started(): boolean {
    return this.received > 0;
  }

  feed(data: Buffer): { answer: Http1Answer; keepAlive: boolean } | undefined {
    this.received += data.length;
    if (this.received > this.maxBytes) throw new Http1ProtocolError(`answer larger than ${this.maxBytes} bytes`);
    this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
    for (;;) {
      if (!this.head) {
        const end = this.buffered.indexOf(HEAD_END);
        if (end < 0) {
          if (this.buffered.length > MAX_HEAD_BYTES) throw new Http1ProtocolError(`answer head larger than ${MAX_HEAD_BYTES} bytes`);
          return undefined;
        }
        const head = parseHead(this.buffered.toString('latin1', 0, end));
        this.buffered = this.buffered.subarray(end + HEAD_END.length);
        if (head.status < 200) continue; // 100 Continue, 103 Early Hints: the answer follows
        this.head = head;
      }
      const { framing } = this.head;
      if (framing === 'close') {
        this.chunks.push(this.buffered);
        this.buffered = Buffer.alloc(0);
        return undefined;
      }
      if (typeof framing === 'number') {
        if (this.buffered.length < framing) return undefined;
        if (this.buffered.length > framing) throw new Http1ProtocolError('bytes after the answer');
        return this.done(this.buffered);
      }
      return this.readChunks();
    }
  }

  /** The server closed the connection: the end of a body framed by the connection, else an answer cut short. */
  ended(): { answer: Http1Answer; keepAlive: boolean } | undefined {
    if (this.head?.framing === 'close') return this.done(Buffer.concat(this.chunks));
    return undefined;
  }

  private readChunks(): { answer: Http1Answer; keepAlive: boolean } | undefined {
    for (;;) {
      const lineEnd = this.buffered.indexOf(CRLF, this.chunkAt);
      if (lineEnd < 0) return undefined;
      const sizeText = this.buffered.toString('latin1', this.chunkAt, lineEnd).split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new Http1ProtocolError(`bad chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        // Trailers (ignored) end with an empty line.
        const trailersEnd = this.buffered.indexOf(CRLF, lineEnd + CRLF.length);
        if (trailersEnd < 0) return undefined;
        if (trailersEnd !== lineEnd + CRLF.length) {
          const end = this.buffered.indexOf(HEAD_END, lineEnd);
          if (end < 0) return undefined;
          if (end + HEAD_END.length !== this.buffered.length) throw new Http1ProtocolError('bytes after the answer');
        } else if (trailersEnd + CRLF.length !== this.buffered.length) throw new Http1ProtocolError('bytes after the answer');
        return this.done(Buffer.concat(this.chunks));
      }
      const dataStart = lineEnd + CRLF.length;
      if (this.buffered.length < dataStart + size + CRLF.length) return undefined;
      if (this.buffered[dataStart + size] !== 0x0d || this.buffered[dataStart + size + 1] !== 0x0a)
        throw new Http1ProtocolError(`chunk of ${size} bytes not followed by CRLF`);
      this.chunks.push(this.buffered.subarray(dataStart, dataStart + size));
      this.chunkAt = dataStart + size + CRLF.length;
    }
  }

  private done(body: Buffer): { answer: Http1Answer; keepAlive: boolean } {
    const head = this.head!;
    return { answer: { status: head.status, headers: head.headers, body }, keepAlive: head.keepAlive };
  }
}

/** A connection of the pool and the exchange it carries, if any. */
interface Connection {
  readonly socket: Socket;
  exchange?: {
    readonly reader: AnswerReader;
    readonly resolve: (answer: Http1Answer) => void;
    readonly reject: (err: Error) => void;
  };
  idleSince: number;
}

/**
 * Keep-alive HTTP/1.1 connections to one origin, one request at a time on each, for small request and answer
 * bodies held in memory. What it leaves out of `node:http` is what costs a request/answer exchange most of its
 * CPU there (streams for both bodies, per-request listeners, the parser's objects, agent bookkeeping): a
 * request is one socket write and its answer is read from the socket's own `data` events. What it does not do:
 * proxies, `Expect: 100-continue`, pipelining, streaming bodies, HTTP/2.
 *
 * @example
 * ```ts
 * const pool = new Http1Pool(new URL('https://sqs.eu-west-1.amazonaws.com'));
 * const answer = await pool.request({ method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{}' });
 * ```
 */
export class Http1Pool {
  private readonly idle: Connection[] = [];
  /** Requests waiting for a connection, first come first served: each is handed a freed connection, or `undefined` when one closed (room to open another). */
  private readonly waiting: ((connection: Connection | undefined) => void)[] = [];
  private open = 0;
  private readonly maxSockets: number;
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly origin: URL,
    private readonly options: Http1PoolOptions = {},
  ) {
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:')
      throw new Error(`Http1Pool speaks http: and https:, not ${origin.protocol}`);
    this.maxSockets = options.maxSockets ?? 50;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 4_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? 16 * 1024 * 1024;
    this.host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
  }

  /**
   * Sends `request` on an idle connection (or a new one) and resolves with the whole answer, whatever its status.
   * @throws Http1TimeoutError when the connection is silent for `timeoutMs` while the answer is awaited
   * @throws Http1ProtocolError when the answer is not HTTP/1.x or too large
   * @throws Error with Node's `code` (`ECONNREFUSED`, `ECONNRESET`, a TLS code such as `UNABLE_TO_VERIFY_LEAF_SIGNATURE`) when the connection fails
   */
  async request(request: Http1Request): Promise<Http1Answer> {
    const head = this.headOf(request);
    const connection = await this.acquire();
    return new Promise<Http1Answer>((resolve, reject) => {
      connection.exchange = { reader: new AnswerReader(this.maxAnswerBytes), resolve, reject };
      connection.socket.ref();
      connection.socket.write(head + request.body);
    });
  }

  private headOf(request: Http1Request): string {
    let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
    let hasHost = false;
    let hasLength = false;
    for (const name in request.headers) {
      const value = request.headers[name]!;
      if (UNSAFE_HEADER_VALUE.test(value) || UNSAFE_HEADER_VALUE.test(name))
        throw new TypeError(`header ${JSON.stringify(name)} holds a line break or NUL`);
      const lower = name.toLowerCase();
      hasHost ||= lower === 'host';
      hasLength ||= lower === 'content-length';
      head += `${name}: ${value}\r\n`;
    }
    if (!hasHost) head += `host: ${this.origin.host}\r\n`;
    if (!hasLength) head += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
    return `${head}\r\n`;
  }

  /** A connection for one exchange: the most recently used idle one not idle too long, else a new one once fewer than `maxSockets` are open. */
  private async acquire(): Promise<Connection> {
    for (;;) {
      const now = Date.now();
      let connection: Connection | undefined;
      while ((connection = this.idle.pop())) {
        if (!connection.socket.destroyed && now - connection.idleSince <= this.idleTimeoutMs) return connection;
        connection.socket.destroy();
      }
      if (this.open < this.maxSockets) return this.connect();
      const handed = await new Promise<Connection | undefined>((r) => this.waiting.push(r));
      if (handed) return handed;
    }
  }

  private connect(): Promise<Connection> {
    this.open += 1;
    const secure = this.origin.protocol === 'https:';
    const socket = secure
      ? tlsConnect({
          ...this.options.tls,
          host: this.host,
          port: this.port,
          servername: this.options.tls?.servername ?? (isIP(this.host) ? undefined : this.host),
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    const connection: Connection = { socket, idleSince: 0 };
    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      const connected = (): void => {
        settled = true;
        socket.off('error', failed);
        this.watch(connection);
        resolve(connection);
      };
      const failed = (err: Error): void => {
        if (settled) return;
        settled = true;
        socket.off(secure ? 'secureConnect' : 'connect', connected);
        socket.destroy();
        this.closed();
        reject(err);
      };
      socket.once(secure ? 'secureConnect' : 'connect', connected);
      socket.once('error', failed);
      socket.once('timeout', () => failed(new Http1TimeoutError(`no connection to ${this.origin.host} in ${this.timeoutMs} ms`)));
    });
  }

  /** The connection's lasting listeners: they hand its bytes and its end to the exchange it carries, if any. */
  private watch(connection: Connection): void {
    const { socket } = connection;
    socket.removeAllListeners('timeout');
    const fail = (err: Error): void => {
      const exchange = connection.exchange;
      connection.exchange = undefined;
      socket.destroy();
      exchange?.reject(err);
    };
    socket.on('data', (data: Buffer) => {
      const exchange = connection.exchange;
      if (!exchange) return fail(new Http1ProtocolError('bytes on an idle connection'));
      let whole: ReturnType<AnswerReader['feed']>;
      try {
        whole = exchange.reader.feed(data);
      } catch (err) {
        return fail(err as Error);
      }
      if (whole) this.finish(connection, whole);
    });
    socket.on('end', () => {
      const exchange = connection.exchange;
      const whole = exchange?.reader.ended();
      if (whole) this.finish(connection, { answer: whole.answer, keepAlive: false });
      else fail(Object.assign(new Error('the server closed the connection before its answer was whole'), { code: 'ECONNRESET' }));
    });
    socket.on('timeout', () => fail(new Http1TimeoutError(`no answer from ${this.origin.host} in ${this.timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('close', () => {
      fail(Object.assign(new Error('the connection closed before its answer was whole'), { code: 'ECONNRESET' }));
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
      this.closed();
    });
  }

  private finish(connection: Connection, { answer, keepAlive }: { answer: Http1Answer; keepAlive: boolean }): void {
    const exchange = connection.exchange!;
    connection.exchange = undefined;
    if (!keepAlive) connection.socket.destroy();
    else {
      const next = this.waiting.shift();
      if (next) next(connection);
      else {
        connection.idleSince = Date.now();
        connection.socket.unref();
        this.idle.push(connection);
      }
    }
    exchange.resolve(answer);
  }

  private closed(): void {
    this.open -= 1;
    this.waiting.shift()?.(undefined);
  }
}
