import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { stopChild } from '../infra/local/child-process';
import { freePort } from '../infra/local/free-port';
import { ensureTemporalCli } from '../infra/local/temporal-cli';

/**
 * Dynamic config of the benchmark's dev server. The dev server reads history's transfer queue at most 20
 * times a second (`history.transferProcessorMaxPollRPS`), so under steady traffic every workflow and
 * activity task waits ~45 ms for the next read: both paths' latencies then sit at ~100 ms and the
 * difference between them disappears in that tick. A production cluster does not wait so; the benchmark
 * lifts the limit and says so in its results.
 */
export const BENCH_DYNAMIC_CONFIG: Readonly<Record<string, string>> = {
  'history.transferProcessorMaxPollRPS': '10000',
};

/** The benchmark's Temporal dev server. */
export interface BenchTemporalServer {
  readonly address: string;
  /** Its Prometheus endpoint. */
  readonly metricsUrl: string;
  readonly process: ChildProcess;
  /** The dynamic config it runs with. */
  readonly dynamicConfig: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` like the local stack does (`infra/local/temporal-dev-server.ts`: the same
 * CLI, loopback, in-memory, headless) plus {@link BENCH_DYNAMIC_CONFIG}, and waits until it answers.
 */
export async function startBenchTemporalServer(log: (line: string) => void, timeoutMs = 60_000): Promise<BenchTemporalServer> {
  const cli = await ensureTemporalCli(log);
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--headless', '--log-level', 'error'];
  for (const [key, value] of Object.entries(BENCH_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${value}`);
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Temporal dev server exited (code ${child.exitCode}): ${stderr}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        break;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        await stopChild(child, 2_000);
        throw new Error(`The Temporal dev server at ${address} did not answer in time: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  log(`Temporal dev server on ${address} (${Object.entries(BENCH_DYNAMIC_CONFIG).map(([k, v]) => `${k}=${v}`).join(', ')})`);
  return { address, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, process: child, dynamicConfig: BENCH_DYNAMIC_CONFIG, stop: () => stopChild(child) };
}
