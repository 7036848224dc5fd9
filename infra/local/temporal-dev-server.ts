import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';
import { stopChild } from './child-process';
import { freePort, startOnPickedPorts } from './free-port';
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

/** Thrown when the server process exits before it answers: a port taken in between, a bad flag, a locked file. */
class ExitedDuringStartError extends Error {}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new ExitedDuringStartError(
        `Temporal dev server exited with code ${child.exitCode} during start-up: ${output().slice(-2000) || 'no output'}.`,
      );
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
 * its frontend answers. When it exits during start-up and its ports were picked here, it is started again on
 * fresh ports (twice at most): a free port can be taken between the pick and the server's bind, as happens when
 * several servers start side by side (the test suite), and the server then exits at once.
 *
 * @example
 * ```ts
 * const server = await startTemporalDevServer();
 * // … use server.address …
 * await server.stop();
 * ```
 * @throws Error with the end of the server's output when it exits during start-up or does not answer in time
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli(options.log);
  return startOnPickedPorts({
    fixedPort: options.port,
    start: () => startOnce(cli, options),
    portTaken: (err) => err instanceof ExitedDuringStartError,
    onRetry: (err) => options.log?.(`${err.message} Starting it again on other ports…`),
  });
}

async function startOnce(cli: string, options: TemporalDevServerOptions): Promise<TemporalDevServer> {
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
  // reaper kills it if our process dies without stopping it. Both streams are kept (the end of them): the CLI
  // reports some start-up failures on stdout.
  const child = adoptChild(spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }), { group: true });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-10_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, child, options.startTimeoutMs ?? 60_000, () => output);
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
