import { spawn } from 'node:child_process';
import { stopChild } from '../../infra/local/child-process';
import { freePort } from '../../infra/local/free-port';
import { adoptChild } from '../../infra/local/process-reaper';

/** A running moto server: a local AWS API (Secrets Manager, SSM, CloudFormation and what it deploys) for tests. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `moto_server` (PyPI `moto[server]`, installed by scripts/setup.ts from requirements-dev.txt) on a free
 * loopback port and waits until it answers.
 * @throws Error saying how to install it when it is missing
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child = adoptChild(spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`moto_server could not start (${err.message}): run "python3 -m pip install -r requirements-dev.txt".`)),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await Promise.race([fetch(`${endpoint}/moto-api/`), spawnError]);
      if (response.ok) break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stopChild(child, 1_000);
        throw new Error(`moto_server did not answer: ${(err as Error).message} ${stderr}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { endpoint, stop: () => stopChild(child, 5_000) };
}
