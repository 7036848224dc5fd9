/**
 * The local Temporal dev server's start-up when a port is taken between its pick and the server's bind (several
 * servers start side by side in the test suite): a server on ports picked by us is started again on fresh ones;
 * one on a port the caller fixed is not, and the error says why it exited (the CLI writes that on stdout).
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type * as FreePortModule from '../../infra/local/free-port';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTemporalDevServer } from '../../infra/local/temporal-dev-server';
import type { TemporalDevServer } from '../../infra/local/temporal-dev-server';

// The first port the dev server module asks for can be forced to a taken one; later ones are really free.
const forced = vi.hoisted(() => ({ ports: [] as number[] }));
vi.mock('../../infra/local/free-port', async (importOriginal) => {
  const real = await importOriginal<typeof FreePortModule>();
  return { ...real, freePort: async () => forced.ports.shift() ?? real.freePort() };
});

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('startTemporalDevServer when a port is taken', () => {
  let holder: Server | undefined;
  let started: TemporalDevServer | undefined;
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    holder?.close();
    holder = undefined;
  });

  it('starts again on fresh ports when a port it picked was taken before the server bound it', async () => {
    // Prepare: the frontend port it picks first is already in use
    const taken = await occupiedPort();
    holder = taken.server;
    forced.ports.push(taken.port);
    const log: string[] = [];

    // Act
    started = await startTemporalDevServer({ log: (line) => log.push(line) });

    // Assess: the first server exited on the taken port, the second serves on another
    expect(started.address).not.toBe(`127.0.0.1:${taken.port}`);
    expect(log.filter((line) => line.includes('Starting it again on other ports'))).toHaveLength(1);
    expect(log.join('\n')).toContain(`${taken.port}`);
  });

  it('does not move a port the caller fixed, and says why the server exited', async () => {
    const taken = await occupiedPort();
    holder = taken.server;
    const log: string[] = [];
    await expect(startTemporalDevServer({ port: taken.port, log: (line) => log.push(line) })).rejects.toThrow(
      /exited with code \d+ during start-up: .*address already in use/,
    );
    expect(log.filter((line) => line.includes('Starting it again'))).toEqual([]);
  });
});
