import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';
import { stopChild } from './child-process';
import { freePort } from './free-port';
import { adoptChild } from './process-reaper';

/** Options of {@link startTemporalDevServer}. */
export interface TemporalDevServerOptions {
  /**
   * Serve the Web UI.
   * @default false
   */
  readonly ui?: boolean;
  /**
   * File for persistent state, so workflows survive a restart of the server.
   * @default none: state is in memory
   */
  readonly dbFilename?: string;
  /**
   * gRPC port; a fixed one lets a restarted server keep its address.
   * @default a free port
   */
  readonly port?: number;
  /**
   * Longest to wait for the server to answer.
   * @default 60000
   */
  readonly startTimeoutMs?: number;
  /**
   * Dynamic config values (`--dynamic-config-value KEY=VALUE`), each value a JSON literal.
   * @default none
   */
  readonly dynamicConfig?: Readonly<Record<string, string>>;
  /** Where progress lines go. @default nowhere */
  readonly log?: (line: string) => void;
}

/** A running Temporal dev server. */
export interface TemporalDevServer {
  /** `127.0.0.1:port` of the gRPC frontend. */
  readonly address: string;
  /** Namespace created by the dev server. */
  readonly namespace: string;
  /** Web UI address, when the UI is on. */
  readonly uiUrl?: string;
  /** The server's Prometheus endpoint. */
  readonly metricsUrl: string;
  /** The server process. */
  readonly process: ChildProcess;
  /** Stops the server and waits until it has exited. */
  stop(): Promise<void>;
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Temporal dev server exited with code ${child.exitCode}: ${stderr().slice(-2000)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Starts `temporal server start-dev` on a loopback port (installing the CLI first if needed) and waits until
 * its frontend answers.
 *
 * @example
 * ```ts
 * const server = await startTemporalDevServer();
 * // … use server.address …
 * await server.stop();
 * ```
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli(options.log);
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  const metricsPort = await freePort();
  args.push('--http-port', String(await freePort()), '--metrics-port', String(metricsPort));
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${value}`);
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = await freePort();
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  } else {
    args.push('--headless');
  }
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);

  // Own process group: a terminal's Ctrl-C reaches our process, which stops the server after the rest; the
  // reaper kills it if our process dies without stopping it.
  const child = adoptChild(spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true }), { group: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-10_000);
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, child, options.startTimeoutMs ?? 60_000, () => stderr);
  } catch (err) {
    await stopChild(child, 2_000);
    throw err;
  }
  options.log?.(`Temporal dev server on ${address}${uiUrl ? `, Web UI ${uiUrl}` : ''}`);
  return {
    address,
    namespace: 'default',
    uiUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    process: child,
    stop: () => stopChild(child),
  };
}
