/**
 * The least a gRPC unary call over `node:http2` needs, for scripts/bench-client-stacks.ts: one session, each
 * call a stream carrying one 5-byte length-prefixed message, the status read from `grpc-status` in the trailers
 * (or in the headers of a trailers-only answer). No reconnect, deadlines, keepalive, TLS, compression or
 * retries: the floor any library is measured against, not a client to ship.
 */
import { connect } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';

/** A call that ended in a status other than OK. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`gRPC status ${code}: ${details}`);
    this.name = 'GrpcStatusError';
  }
}

let session: ClientHttp2Session | undefined;

function sessionTo(address: string): ClientHttp2Session {
  if (!session || session.closed || session.destroyed) {
    session = connect(`http://${address}`);
    session.on('error', () => (session = undefined));
  }
  return session;
}

/** Sends `message` (already encoded) to `path` and resolves with the answer's message bytes. */
export function grpcUnary(address: string, path: string, message: Uint8Array): Promise<Uint8Array> {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return new Promise((resolveCall, reject) => {
    const stream = sessionTo(address).request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let status: IncomingHttpHeaders = {};
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) status = headers;
    });
    stream.on('trailers', (trailers) => (status = trailers));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      const code = Number(status['grpc-status'] ?? 2);
      if (code !== 0) {
        reject(new GrpcStatusError(code, decodeURIComponent(String(status['grpc-message'] ?? ''))));
        return;
      }
      const body = Buffer.concat(chunks);
      resolveCall(body.subarray(5, 5 + body.readUInt32BE(1)));
    });
    stream.end(frame);
  });
}
