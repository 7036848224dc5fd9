/**
 * Cold-start reference: what a naive function looks like — import `@temporalio/client`, connect at module
 * scope — bundled with esbuild's defaults for Node (no minify, no tree-shaking settings, CommonJS output).
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

/** Lambda entry point: waits for the client and reports nothing failed. */
export async function handler(): Promise<{ batchItemFailures: [] }> {
  await client;
  return { batchItemFailures: [] };
}
