import { createClient } from '@connectrpc/connect';
import type { Client as ServiceClient, Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { version as SDK_VERSION } from '@temporalio/common/package.json';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { WorkflowService } from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/service_pb';

/** The WorkflowService calls the functions make (the subset in `jobs/temporal-api/proto`). */
export type WorkflowServiceClient = ServiceClient<typeof WorkflowService>;

/**
 * Keepalive of the HTTP/2 connection, as Temporal's SDK sets it: a PING every 30 s while it is open, and
 * a connection that has not answered one within 15 s is dropped. After a freeze (Lambda between
 * invocations) the first call on a connection idle longer than the interval PINGs it first, so a
 * connection the network dropped meanwhile is replaced instead of swallowing the call.
 */
export const KEEPALIVE_INTERVAL_MS = 30_000;
/** How long a PING may go unanswered before the connection is dropped. */
export const KEEPALIVE_TIMEOUT_MS = 15_000;

const ignoreLateError = (): void => undefined;

/**
 * Connect's HTTP/2 session manager, made safe against a known crash (connect-es issue 1768, unreleased fix):
 * when a GOAWAY reaches an idle connection — Temporal restarting, a load balancer dropping an idle flow, a
 * container thawed after a freeze — the manager destroys the session, Node raises that error only once the
 * socket has closed, and if the manager has moved on to a new connection meanwhile nobody listens for it and
 * the process dies. Every session that carries a call gets a listener that ignores such late errors; the
 * manager's own listeners still see every error while it uses the session.
 */
export class GuardedHttp2SessionManager extends Http2SessionManager {
  private readonly guarded = new WeakSet<object>();

  override async request(...args: Parameters<Http2SessionManager['request']>): ReturnType<Http2SessionManager['request']> {
    const stream = await super.request(...args);
    const session = stream.session;
    if (session && !this.guarded.has(session)) {
      this.guarded.add(session);
      session.on('error', ignoreLateError);
    }
    return stream;
  }
}

/** Options of {@link openWorkflowService}. */
export interface WorkflowServiceOptions {
  /** `host:port` of the Temporal frontend. */
  readonly address: string;
  /** TLS settings; `true` for TLS with Node's roots. @default TLS when there is an API key, else plaintext */
  readonly tls?: TLSConfig | boolean;
  /** Read before every call, so a rotated key is sent from the next call on. @default no Authorization header */
  readonly apiKey?: string | (() => string);
  /** Extra gRPC metadata sent with every call. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** An open connection to Temporal's WorkflowService. */
export interface WorkflowServiceConnection {
  readonly service: WorkflowServiceClient;
  /** Closes the HTTP/2 connection; calls in flight fail. */
  close(): void;
}

const toBuffer = (value: Uint8Array | string | undefined): Buffer | undefined => (value === undefined ? undefined : Buffer.from(value));

/** Node's TLS options for a Temporal TLS config: custom root, client certificate (mTLS), server name. */
function tlsOptions(tls: TLSConfig | true) {
  if (tls === true) return {};
  return {
    ca: toBuffer(tls.serverRootCACertificate ?? undefined),
    cert: toBuffer(tls.clientCertPair?.crt),
    key: toBuffer(tls.clientCertPair?.key),
    servername: tls.serverNameOverride,
  };
}

/**
 * What Temporal's TypeScript SDK says it is: the server keys some behaviour to the client's name and version,
 * and the functions send what that SDK sends (its data and failure converters make the payloads).
 */
const CLIENT_HEADERS = { 'client-name': 'temporal-typescript', 'client-version': SDK_VERSION } as const;

/**
 * Sets the headers of every call as Temporal's SDK does: its name and version, the profile's metadata, the
 * API key as a bearer token, and `temporal-namespace` with the request's namespace (Temporal Cloud routes
 * API-key calls by it).
 */
function headersInterceptor(options: WorkflowServiceOptions): Interceptor {
  const { apiKey } = options;
  const metadata = { ...CLIENT_HEADERS, ...options.metadata };
  return (next) => (req) => {
    for (const [name, value] of Object.entries(metadata)) req.header.set(name, value);
    const key = typeof apiKey === 'function' ? apiKey() : apiKey;
    if (key) req.header.set('authorization', `Bearer ${key}`);
    const namespace = (req.message as { namespace?: unknown }).namespace;
    if (typeof namespace === 'string' && namespace) req.header.set('temporal-namespace', namespace);
    return next(req);
  };
}

/**
 * Opens a gRPC (HTTP/2) connection to Temporal's WorkflowService that knows only the messages the functions
 * send, so loading it builds no descriptors of the rest of the Temporal API. TLS follows Temporal's rule:
 * on when configured, and by default when an API key is given. The connection itself is made lazily, at the
 * first call.
 */
export function openWorkflowService(options: WorkflowServiceOptions): WorkflowServiceConnection {
  const tls = options.tls ?? (options.apiKey !== undefined ? true : undefined);
  const useTls = tls !== undefined && tls !== false;
  const baseUrl = `${useTls ? 'https' : 'http'}://${options.address}`;
  const nodeOptions = useTls ? tlsOptions(tls) : {};
  const sessionManager = new GuardedHttp2SessionManager(
    baseUrl,
    { pingIntervalMs: KEEPALIVE_INTERVAL_MS, pingTimeoutMs: KEEPALIVE_TIMEOUT_MS, pingIdleConnection: true },
    nodeOptions,
  );
  const transport = createGrpcTransport({
    baseUrl,
    sessionManager,
    interceptors: [headersInterceptor(options)],
    // Temporal answers small messages; not offering compression keeps responses cheap to read.
    acceptCompression: [],
  });
  return {
    service: createClient(WorkflowService, transport),
    close: () => sessionManager.abort(),
  };
}
