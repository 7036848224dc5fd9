import { connect, constants } from 'node:http2';
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders, SecureClientSessionOptions } from 'node:http2';
import { GrpcCallError, GrpcCode } from './grpc-status';

/** Options of {@link GrpcChannel}. */
export interface GrpcChannelOptions {
  /** `host:port` of the server. */
  readonly address: string;
  /** TLS options for `node:http2`'s connect; plaintext (h2c) when absent. */
  readonly tls?: SecureClientSessionOptions;
  /** A PING every this often while a connection is open, and before the first call after this long idle. */
  readonly keepaliveIntervalMs: number;
  /** A connection whose PING is not answered in this time is dropped (calls on it fail UNAVAILABLE). */
  readonly keepaliveTimeoutMs: number;
  /** Largest response message accepted. @default 4 MiB, gRPC's default */
  readonly maxResponseBytes?: number;
}

/** Per-call options of {@link GrpcChannel.unary}. */
export interface UnaryCallOptions {
  /** The call's deadline, sent as `grpc-timeout` and enforced here: DEADLINE_EXCEEDED once it has passed. */
  readonly timeoutMs?: number;
  /** Aborting it cancels the call (CANCELLED). */
  readonly signal?: AbortSignal;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** gRPC's mapping of an HTTP status without a gRPC status (the gRPC-over-HTTP/2 spec). */
function codeOfHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.Internal;
    case 401:
      return GrpcCode.Unauthenticated;
    case 403:
      return GrpcCode.PermissionDenied;
    case 404:
      return GrpcCode.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.Unavailable;
    default:
      return GrpcCode.Unknown;
  }
}

/** `grpc-message` is percent-encoded; a malformed one is shown as sent. */
function decodeGrpcMessage(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** HTTP/2's error codes by number (RFC 9113, section 7), as Node names them. */
const HTTP2_ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
] as const;

const http2ErrorName = (code: number): string => (HTTP2_ERROR_NAMES[code] ? `NGHTTP2_${HTTP2_ERROR_NAMES[code]}` : String(code));

/** The gRPC status of a stream reset by the peer or the connection, as grpc-js reports it. */
function statusOfReset(rstCode: number): GrpcCallError {
  if (rstCode === constants.NGHTTP2_REFUSED_STREAM) return new GrpcCallError(GrpcCode.Unavailable, 'Stream refused by server');
  if (rstCode === constants.NGHTTP2_CANCEL) return new GrpcCallError(GrpcCode.Cancelled, 'Call cancelled');
  if (rstCode === constants.NGHTTP2_ENHANCE_YOUR_CALM)
    return new GrpcCallError(GrpcCode.ResourceExhausted, 'Bandwidth exhausted or memory limit exceeded');
  if (rstCode === constants.NGHTTP2_INADEQUATE_SECURITY) return new GrpcCallError(GrpcCode.PermissionDenied, 'Protocol not secure enough');
  return new GrpcCallError(
    GrpcCode.Internal,
    `Received RST_STREAM with code ${rstCode} (stream closed with error code ${http2ErrorName(rstCode)})`,
  );
}

/** One 5-byte-prefixed, uncompressed gRPC message. */
function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/**
 * A gRPC channel for unary calls over one HTTP/2 connection (`node:http2`, nothing else loaded), made
 * again when it is lost. It does what the functions' calls need and no more: deadlines (`grpc-timeout` and
 * a local timer), cancellation, the status from trailers or a trailers-only answer, HTTP statuses and stream
 * resets mapped to gRPC codes as gRPC's spec and grpc-js map them, keepalive PINGs, and a fresh connection
 * after GOAWAY, an error or a PING that was not answered.
 *
 * Why not a library: docs/benchmarks.md measured Connect's gRPC transport at ~20 ms more cold start and about
 * twice the warm call time of this call over `node:http2`, for features (streaming, compression, the
 * Connect and gRPC-web protocols) the functions never use.
 */
export class GrpcChannel {
  private session: ClientHttp2Session | undefined;
  private lastActive = 0;
  /** Calls in flight: while there are some the connection keeps the process alive, else it does not. */
  private inFlight = 0;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: GrpcChannelOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** The open connection, or a new one; a draining (GOAWAY), closed or failed one is never reused. */
  private connection(): ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) {
      // After a freeze or a long quiet spell the connection may be dead without a word (a NAT or load
      // balancer dropped it): PING it beside the call, which then fails UNAVAILABLE and is retried on a new one.
      if (Date.now() - this.lastActive > this.options.keepaliveIntervalMs) this.ping(current);
      return current;
    }
    const { address, tls } = this.options;
    const session = tls ? connect(`https://${address}`, tls) : connect(`http://${address}`);
    this.session = session;
    this.lastActive = Date.now();
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    // An error of a connection this channel has moved on from must not end the process: always listened for.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    const keepalive = setInterval(() => this.ping(session), this.options.keepaliveIntervalMs);
    keepalive.unref();
    session.once('close', () => clearInterval(keepalive));
    // Idle connections must not keep the process alive (tests, scripts); a call in flight does.
    session.unref();
    return session;
  }

  /** PINGs `session`; one not answered within the keepalive timeout is destroyed. */
  private ping(session: ClientHttp2Session): void {
    if (session.closed || session.destroyed) return;
    this.lastActive = Date.now();
    const timer = setTimeout(() => session.destroy(), this.options.keepaliveTimeoutMs);
    timer.unref();
    const sent = session.ping((err) => {
      clearTimeout(timer);
      if (err) session.destroy();
      else this.lastActive = Date.now();
    });
    if (!sent) clearTimeout(timer);
  }

  /**
   * Makes one unary call: `path` is `/<package.Service>/<Method>`, `request` the encoded request message.
   * Resolves with the encoded response message.
   * @throws GrpcCallError with the call's gRPC status when it is not OK
   */
  unary(path: string, request: Uint8Array, headers: Readonly<Record<string, string>>, options: UnaryCallOptions = {}): Promise<Uint8Array> {
    const { timeoutMs, signal } = options;
    return new Promise<Uint8Array>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new GrpcCallError(GrpcCode.Cancelled, 'Call cancelled before it started'));
        return;
      }
      let session: ClientHttp2Session;
      let stream: ClientHttp2Stream;
      try {
        session = this.connection();
        stream = session.request({
          ...headers,
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/grpc+proto',
          te: 'trailers',
          ...(timeoutMs === undefined ? {} : { 'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m` }),
        });
      } catch (err) {
        reject(new GrpcCallError(GrpcCode.Unavailable, `Could not start the call: ${(err as Error).message}`));
        return;
      }

      this.inFlight += 1;
      session.ref();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const chunks: Buffer[] = [];
      let received = 0;
      let responseHeaders: IncomingHttpHeaders | undefined;
      let trailers: IncomingHttpHeaders | undefined;
      let streamError: Error | undefined;

      const onAbort = (): void => finish(new GrpcCallError(GrpcCode.Cancelled, 'Call cancelled'), constants.NGHTTP2_CANCEL);
      const finish = (result: GrpcCallError | Uint8Array, closeWith?: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (closeWith !== undefined && !stream.closed) stream.close(closeWith);
        this.inFlight -= 1;
        if (this.inFlight === 0 && !session.destroyed) session.unref();
        if (result instanceof GrpcCallError) reject(result);
        else resolve(result);
      };

      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          // A connect that never completed is not reused: the next call tries a new one.
          if (session.connecting) session.destroy();
          finish(new GrpcCallError(GrpcCode.DeadlineExceeded, 'Deadline exceeded'), constants.NGHTTP2_CANCEL);
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });

      stream.on('response', (h) => {
        responseHeaders = h;
        this.lastActive = Date.now();
      });
      stream.on('trailers', (t) => (trailers = t));
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > this.maxResponseBytes + 5) {
          finish(
            new GrpcCallError(GrpcCode.ResourceExhausted, `Received message larger than max (${received} vs. ${this.maxResponseBytes})`),
            constants.NGHTTP2_CANCEL,
          );
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (err) => (streamError = err));
      stream.on('close', () => finish(this.outcome(stream, responseHeaders, trailers, chunks, streamError)));
      stream.end(frame(request));
    });
  }

  /** The call's result once its stream has closed. */
  private outcome(
    stream: ClientHttp2Stream,
    headers: IncomingHttpHeaders | undefined,
    trailers: IncomingHttpHeaders | undefined,
    chunks: readonly Buffer[],
    streamError: Error | undefined,
  ): GrpcCallError | Uint8Array {
    if (!headers) {
      // A reset by the server has a status of its own; anything else (refused, lost, GOAWAY) means no server.
      const resetByPeer = !streamError || (streamError as NodeJS.ErrnoException).code === 'ERR_HTTP2_STREAM_ERROR';
      if (resetByPeer && stream.rstCode && stream.rstCode !== constants.NGHTTP2_NO_ERROR) return statusOfReset(stream.rstCode);
      const reason = streamError ? `${streamError.name}: ${streamError.message}` : 'the connection closed';
      return new GrpcCallError(GrpcCode.Unavailable, `No connection to the server (${reason})`);
    }
    // A trailers-only answer carries the status in its headers.
    const statusSource = trailers ?? (headers['grpc-status'] !== undefined ? headers : undefined);
    if (!statusSource) {
      const httpStatus = Number(headers[':status']);
      if (httpStatus !== 200) return new GrpcCallError(codeOfHttpStatus(httpStatus), `Received HTTP status code ${httpStatus}`);
      if (stream.rstCode && stream.rstCode !== constants.NGHTTP2_NO_ERROR) return statusOfReset(stream.rstCode);
      return new GrpcCallError(GrpcCode.Internal, 'Call ended without gRPC status (missing trailers)');
    }
    const code = Number(statusSource['grpc-status']);
    if (!Number.isInteger(code))
      return new GrpcCallError(GrpcCode.Unknown, `Malformed grpc-status "${String(statusSource['grpc-status'])}"`);
    if (code !== GrpcCode.Ok) return new GrpcCallError(code, decodeGrpcMessage(statusSource['grpc-message']));
    const body = Buffer.concat(chunks);
    if (body.length < 5) return new GrpcCallError(GrpcCode.Internal, 'The server answered OK without a message');
    if (body[0] !== 0) return new GrpcCallError(GrpcCode.Internal, 'The server sent a compressed message; none was offered');
    const length = body.readUInt32BE(1);
    if (body.length !== 5 + length) return new GrpcCallError(GrpcCode.Internal, 'The server sent a truncated or extra message');
    return body.subarray(5);
  }

  /** Closes the connection; calls in flight fail. */
  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }
}
