import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { temporalConnectionConfig } from './config';

/**
 * Idle time after which the cached connection is rebuilt before use: load balancers in front of Temporal
 * (AWS NLB: 350 s) drop idle TCP flows silently, and a frozen Lambda container can sit idle for minutes.
 */
export const IDLE_RECONNECT_MS = 300_000;

/** Longest a connect may take; a Lambda invocation has better use for its time than waiting longer. */
export const CONNECT_TIMEOUT_MS = 5_000;

interface CachedClient {
  readonly client: Promise<Client>;
  lastUsed: number;
}

let cached: CachedClient | undefined;
let dataConverter: DataConverter | undefined;
let connectCount = 0;

/** Sets the data converter of clients created from now on (same one the worker uses). */
export function setClientDataConverter(converter: DataConverter | undefined): void {
  dataConverter = converter;
}

async function connect(): Promise<Client> {
  const { address, namespace } = temporalConnectionConfig();
  connectCount += 1;
  const connection = await Connection.connect({ address, connectTimeout: CONNECT_TIMEOUT_MS });
  return new Client({ connection, namespace, dataConverter });
}

/**
 * The Temporal client of this container: created once and reused by every later invocation.
 * A failed connect is not cached, so the next call tries again; a connection idle longer than
 * {@link IDLE_RECONNECT_MS} is closed and rebuilt.
 */
export function getTemporalClient(now = Date.now()): Promise<Client> {
  if (cached && now - cached.lastUsed > IDLE_RECONNECT_MS) {
    const stale = cached.client;
    cached = undefined;
    void stale.then((c) => c.connection.close()).catch(() => undefined);
  }
  if (!cached) {
    const entry: CachedClient = { client: connect(), lastUsed: now };
    entry.client.catch(() => {
      if (cached === entry) cached = undefined;
    });
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
  if (entry) await entry.client.then((c) => c.connection.close()).catch(() => undefined);
}
