/**
 * ElasticMQ's start-up when its port is taken between the pick and the JVM's bind (servers start side by side in
 * the test suite): whatever else answers on that port is never taken for the server started here; a port picked
 * here is picked again, a port the caller fixed fails with the reason.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type * as FreePortModule from '../../infra/local/free-port';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startElasticMqServer } from '../../infra/local/elasticmq-server';
import type { ElasticMqServer } from '../../infra/local/elasticmq-server';

// The first port the module asks for can be forced to a taken one; later ones are really free.
const forced = vi.hoisted(() => ({ ports: [] as number[] }));
vi.mock('../../infra/local/free-port', async (importOriginal) => {
  const real = await importOriginal<typeof FreePortModule>();
  return { ...real, freePort: async () => forced.ports.shift() ?? real.freePort() };
});

/** Another "SQS" already on a port: it answers 200 to every request, as a second ElasticMQ or fauxqs would. */
async function impostor(): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end('<ListQueuesResponse><ListQueuesResult></ListQueuesResult></ListQueuesResponse>'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('startElasticMqServer when its port is taken', () => {
  let holder: Server | undefined;
  let started: ElasticMqServer | undefined;
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    holder?.close();
    holder = undefined;
  });

  it('starts again on another port when the one it picked was taken, and never serves the other server', async () => {
    // Prepare
    const taken = await impostor();
    holder = taken.server;
    forced.ports.push(taken.port);
    const log: string[] = [];

    // Act
    started = await startElasticMqServer({ log: (line) => log.push(line) });

    // Assess: the server answering is the one started here, on another port
    expect(started.endpoint).not.toBe(`http://127.0.0.1:${taken.port}`);
    expect(log.filter((line) => line.includes(`could not bind port ${taken.port}`))).toHaveLength(1);
    const queues = await fetch(started.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues',
    });
    expect(queues.status).toBe(200);
    // The start-up marker queue is gone once it has told the server apart.
    expect(await queues.text()).not.toContain('start-marker');
  });

  it('fails on a port the caller fixed when another server holds it, and says the port is taken', async () => {
    const taken = await impostor();
    holder = taken.server;
    await expect(startElasticMqServer({ port: taken.port })).rejects.toThrow(new RegExp(`port ${taken.port} is taken`));
  });
});
