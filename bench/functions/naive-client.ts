/**
 * Cold-start reference: what a naive function looks like — import `@temporalio/client`, connect at module
 * scope — bundled with esbuild's defaults for Node (no minify, no tree-shaking settings, CommonJS output).
 * The warm-call reference too: it answers the bench's `{ bench: 'raw-complete', tokens, result }` event with
 * `client.activity.complete` of Temporal's SDK on the same server, timing each call, as the bench function
 * answers it with the functions' own completion client.
 */
import { Client, Connection } from '@temporalio/client';

const client = Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' }).then(
  (connection) => new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' }),
);
client.catch(() => undefined);

/** The module-scope client, connected. */
export function getTemporalClient(): Promise<Client> {
  return client;
}

/** The bench's request to time bare completions: base64 task tokens of open activities and the result. */
interface RawCompleteEvent {
  readonly bench: 'raw-complete';
  readonly tokens: readonly string[];
  readonly result: unknown;
}

/** Lambda entry point: times the completions asked for, else waits for the client and reports nothing failed. */
export async function handler(event?: Partial<RawCompleteEvent>): Promise<{ batchItemFailures: [] } | { ms: number[] }> {
  const connected = await client;
  if (event?.bench !== 'raw-complete') return { batchItemFailures: [] };
  const ms: number[] = [];
  for (const token of event.tokens ?? []) {
    const bytes = new Uint8Array(Buffer.from(token, 'base64'));
    const started = performance.now();
    await connected.activity.complete(bytes, event.result);
    ms.push(performance.now() - started);
  }
  return { ms };
}
