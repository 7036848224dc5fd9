import type { DataConverter } from '@temporalio/common';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { cachedSecret, secretRefFromEnv, secretRefreshMs } from '../../jobs/security/secret-source';
import type { CachedSecret } from '../../jobs/security/secret-source';
import { createCompletionClient } from './completion-client';
import type { CompletionClient } from './completion-client';
import { temporalConnectionConfig } from './config';
import { GrpcCode, grpcStatusOf } from './grpc-status';
import { openWorkflowService } from './workflow-service';
import type { WorkflowServiceClient } from './workflow-service';

/**
 * Idle time after which the cached connection is rebuilt before use: load balancers in front of Temporal
 * (AWS NLB: 350 s) drop idle TCP flows silently, and a frozen Lambda container can sit idle for minutes.
 */
export const IDLE_RECONNECT_MS = 300_000;

/** Longest a connect may take; a Lambda invocation has better use for its time than waiting longer. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The functions' Temporal client: the completion calls, and the connection under them. */
export interface TemporalClient extends CompletionClient {
  /** The WorkflowService calls themselves, for what is not a completion (the trigger starter's starts). */
  readonly service: WorkflowServiceClient;
  /** Closes the connection; calls in flight fail. */
  close(): void;
}

interface CachedClient {
  readonly client: Promise<TemporalClient>;
  /** The client once connected: warm callers take it without waiting on a promise or arming a timer. */
  ready?: TemporalClient;
  lastUsed: number;
}

let cached: CachedClient | undefined;
let dataConverter: DataConverter | undefined;
let connectCount = 0;

/** Sets the data converter of clients created from now on (same one the worker uses). */
export function setClientDataConverter(converter: DataConverter | undefined): void {
  dataConverter = converter;
}

let apiKeySecret: CachedSecret | undefined | null = null;
let tlsSecret: CachedSecret | undefined | null = null;

/** The API key secret (`TEMPORAL_API_KEY_SECRET_ARN` / `TEMPORAL_API_KEY_PARAMETER`), read once per container. */
function apiKeySource(): CachedSecret | undefined {
  if (apiKeySecret === null) {
    const ref = secretRefFromEnv('TEMPORAL_API_KEY');
    apiKeySecret = ref && cachedSecret(ref, secretRefreshMs());
  }
  return apiKeySecret;
}

/** The mTLS secret (`TEMPORAL_TLS_SECRET_ARN` / `TEMPORAL_TLS_PARAMETER`): JSON `{ clientCert, clientKey, serverCACert?, serverName? }`. */
function tlsSource(): CachedSecret | undefined {
  if (tlsSecret === null) {
    const ref = secretRefFromEnv('TEMPORAL_TLS');
    tlsSecret = ref && cachedSecret(ref, secretRefreshMs());
  }
  return tlsSecret;
}

/** Turns the mTLS secret's JSON into the client's TLS settings. @throws TypeError naming the missing field */
export function tlsFromSecret(json: string): TLSConfig {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new TypeError(
      'The Temporal mTLS secret is not JSON: expected { "clientCert": PEM, "clientKey": PEM, "serverCACert"?: PEM, "serverName"?: string }.',
    );
  }
  if (typeof raw.clientCert !== 'string' || typeof raw.clientKey !== 'string') {
    throw new TypeError('The Temporal mTLS secret needs "clientCert" and "clientKey" (PEM strings).');
  }
  return {
    clientCertPair: { crt: Buffer.from(raw.clientCert), key: Buffer.from(raw.clientKey) },
    serverRootCACertificate: typeof raw.serverCACert === 'string' ? Buffer.from(raw.serverCACert) : undefined,
    serverNameOverride: typeof raw.serverName === 'string' ? raw.serverName : undefined,
  };
}

/** The API key read from the secret; the connection reads it on every call, so rotation needs no reconnect. */
let secretApiKey = '';

/**
 * Opens the connection and checks it with GetSystemInfo (as Temporal's SDK does on connect; UNIMPLEMENTED
 * counts as an answer, as there), so a Temporal
 * that cannot be reached fails here, where {@link getTemporalClientBy} retries it, and not in the middle of
 * a record.
 */
async function connect(): Promise<TemporalClient> {
  const config = temporalConnectionConfig();
  connectCount += 1;
  const apiKey = apiKeySource();
  const tls = tlsSource();
  if (apiKey) secretApiKey = await apiKey.get();
  const connection = openWorkflowService({
    address: config.address,
    apiKey: apiKey ? () => secretApiKey : config.apiKey,
    tls: tls ? tlsFromSecret(await tls.get()) : config.tls,
    metadata: config.metadata,
  });
  try {
    await connection.service.getSystemInfo({}, { timeoutMs: CONNECT_TIMEOUT_MS });
  } catch (err) {
    // A server without GetSystemInfo (an old one, a proxy that passes only some calls) still answered.
    if (grpcStatusOf(err)?.code !== GrpcCode.Unimplemented) {
      connection.close();
      throw err;
    }
  }
  const client = createCompletionClient({ service: connection.service, namespace: config.namespace, dataConverter });
  return { ...client, service: connection.service, close: connection.close };
}

/**
 * Picks up a rotated API key without a redeploy: once the refresh interval has passed, re-reads the secret;
 * the live connection sends the new key from its next call. A no-op without an API key secret.
 */
export async function refreshTemporalCredentials(now = Date.now()): Promise<void> {
  const source = apiKeySource();
  if (source) secretApiKey = await source.get(now);
}

/**
 * The Temporal client of this container: created once and reused by every later invocation.
 * A failed connect is not cached, so the next call tries again; a connection idle longer than
 * {@link IDLE_RECONNECT_MS} is closed and rebuilt.
 */
export function getTemporalClient(now = Date.now()): Promise<TemporalClient> {
  if (cached && now - cached.lastUsed > IDLE_RECONNECT_MS) {
    const stale = cached.client;
    cached = undefined;
    void stale.then((c) => c.close()).catch(() => undefined);
  }
  if (!cached) {
    const entry: CachedClient = { client: connect(), lastUsed: now };
    entry.client.then(
      (client) => (entry.ready = client),
      () => {
        if (cached === entry) cached = undefined;
      },
    );
    cached = entry;
  }
  cached.lastUsed = now;
  return cached.client;
}

/** Starts connecting during Lambda init so the first invocation does not wait from scratch. Never throws. */
export function prewarmTemporalClient(): void {
  getTemporalClient().catch(() => undefined);
}

/** How many connections this container has opened; for tests and benchmarks. */
export function temporalConnectCount(): number {
  return connectCount;
}

/** Closes and forgets the cached client (tests, graceful shutdown). */
export async function closeTemporalClient(): Promise<void> {
  const entry = cached;
  cached = undefined;
  apiKeySecret = null;
  tlsSecret = null;
  if (entry) await entry.client.then((c) => c.close()).catch(() => undefined);
}

/** Thrown when the client cannot be had by the deadline; carries the last connect error's name and message. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
}

/** Thrown when the connection settings themselves are wrong (a malformed mTLS secret, an unreadable secret). */
export class TemporalConfigurationError extends Error {
  override readonly name = 'TemporalConfigurationError';
}

/** First pause between two connect attempts; doubles up to {@link MAX_CONNECT_BACKOFF_MS}. */
export const FIRST_CONNECT_BACKOFF_MS = 200;
/** Longest pause between two connect attempts. */
export const MAX_CONNECT_BACKOFF_MS = 2_000;

/**
 * The cached client, connecting again with backoff until `deadlineMs` when a connect fails — a Temporal
 * blip during a cold start costs the batch a few seconds, not a trip back to the queue for the whole
 * visibility timeout. Errors in the settings (a malformed TLS secret, a secret that cannot be read) are not
 * retried: they throw {@link TemporalConfigurationError} at once.
 * @throws TemporalUnreachableError when no connect succeeded by the deadline
 */
export async function getTemporalClientBy(
  deadlineMs: number,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<TemporalClient> {
  // Warm path: a connected client not idle too long is the answer, with no deadline timer to arm and clear.
  const now = Date.now();
  if (cached?.ready && now - cached.lastUsed <= IDLE_RECONNECT_MS) {
    cached.lastUsed = now;
    return cached.ready;
  }
  let backoff = FIRST_CONNECT_BACKOFF_MS;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A connect in flight may outlive the deadline (its own timeout is 5 s); it stays cached for the next caller.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TemporalUnreachableError('Could not connect to Temporal by the deadline.')),
          Math.max(0, deadlineMs - Date.now()),
        );
      });
      return await Promise.race([getTemporalClient(), late]);
    } catch (err) {
      if (err instanceof TemporalUnreachableError) throw err;
      const { name, message } = err as Error;
      if (err instanceof TypeError || name === 'SecretUnavailableError') {
        throw new TemporalConfigurationError(`The Temporal connection settings are wrong (${name}): ${message}`);
      }
      if (Date.now() + backoff >= deadlineMs)
        throw new TemporalUnreachableError(`Could not connect to Temporal by the deadline (${name}: ${message}).`);
      await sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_CONNECT_BACKOFF_MS);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Namespace ids by namespace name: configured (`TEMPORAL_NAMESPACE_ID`) or learnt from Temporal once per container. */
const namespaceIds = new Map<string, string>();

/**
 * The id of namespace `name`, for refusing tokens minted in another one. From `TEMPORAL_NAMESPACE_ID` when set
 * (no call at all), else from the first successful DescribeNamespace, kept for the container's life (a
 * namespace's id never changes); `getClient` is called only then.
 * @throws whatever DescribeNamespace threw: the caller fails closed and leaves the record for later
 */
export async function namespaceIdOf(
  name: string,
  getClient: () => Promise<CompletionClient>,
  deadlineMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const known = namespaceIds.get(name) ?? env.TEMPORAL_NAMESPACE_ID;
  if (known) return known;
  const client = await getClient();
  const id = await client.namespaceId(name, deadlineMs);
  if (!id) throw new Error(`DescribeNamespace returned no id for namespace "${name}".`);
  namespaceIds.set(name, id);
  return id;
}
