import { startFauxqs } from 'fauxqs';

/** A running local SQS endpoint. */
export interface LocalSqsServer {
  /** `http://127.0.0.1:port`, for `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  /** Stops the server. */
  stop(): Promise<void>;
}

/** Starts fauxqs (an SQS emulator with visibility timeouts, long polling and DLQ redrive) on a free loopback port. */
export async function startLocalSqsServer(): Promise<LocalSqsServer> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
