import { createServer } from 'node:http2';
import type { Http2Server } from 'node:http2';

/** A bare HTTP/2 endpoint that answers every gRPC call UNIMPLEMENTED and records what it was sent. */
export interface RecordingGrpcServer {
  readonly address: string;
  /** Each call: its method path and its `authorization`, `temporal-namespace` and `client-name` headers. */
  readonly calls: { readonly path: string; readonly authorization?: string; readonly namespace?: string; readonly clientName?: string }[];
  stop(): Promise<void>;
}

/** Starts a {@link RecordingGrpcServer} on a free loopback port. */
export async function startRecordingGrpcServer(): Promise<RecordingGrpcServer> {
  const calls: RecordingGrpcServer['calls'] = [];
  const server: Http2Server = createServer();
  server.on('stream', (stream, headers) => {
    calls.push({
      path: String(headers[':path']),
      authorization: headers.authorization as string | undefined,
      namespace: headers['temporal-namespace'] as string | undefined,
      clientName: headers['client-name'] as string | undefined,
    });
    stream.on('data', () => undefined);
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'not here' },
      { endStream: true },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
