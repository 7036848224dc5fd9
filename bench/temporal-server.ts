import type { ChildProcess } from 'node:child_process';
import { startTemporalDevServer } from '../infra/local/temporal-dev-server';

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

/** Starts the local stack's dev server (`infra/local/temporal-dev-server.ts`) with {@link BENCH_DYNAMIC_CONFIG}. */
export async function startBenchTemporalServer(log: (line: string) => void, timeoutMs = 60_000): Promise<BenchTemporalServer> {
  const server = await startTemporalDevServer({ dynamicConfig: BENCH_DYNAMIC_CONFIG, startTimeoutMs: timeoutMs, log });
  log(
    `Temporal dev server on ${server.address} (${Object.entries(BENCH_DYNAMIC_CONFIG)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')})`,
  );
  return {
    address: server.address,
    metricsUrl: server.metricsUrl,
    process: server.process,
    dynamicConfig: BENCH_DYNAMIC_CONFIG,
    stop: server.stop,
  };
}
