import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalFunction } from '../infra/local/dev-environment';
import type { RunningFunction } from '../infra/local/dev-environment';
import type { LocalFunction } from '../infra/local/local-functions';
import type { BenchEnvironment } from './environment';
import type { BenchInvocation } from './functions/bench-function';

/** Event source settings a phase changes from `serverless.yml`'s. */
export interface BenchFunctionOverrides {
  readonly maximumBatchingWindowSeconds?: number;
  readonly maximumConcurrency?: number;
}

/** The bench function running on the local Lambda runner. */
export interface RunningBenchFunction {
  readonly config: LocalFunction;
  readonly running: RunningFunction;
  /** Invocations logged so far (`from`: skip the first ones). */
  invocations(from?: number): BenchInvocation[];
  /** Stops polling, lets invocations in flight finish, stops the containers. */
  stop(): Promise<void>;
}

let started = 0;

/**
 * Runs the bench function the way `processJobs` runs — its memory, timeout, environment and SQS event source
 * from `serverless.yml` — with the bench function's zip and, where a phase needs it, another batching window or
 * concurrency. Each start logs to a file of its own in `dir`.
 */
export async function startBenchFunction(
  env: BenchEnvironment,
  artifact: string,
  dir: string,
  overrides: BenchFunctionOverrides = {},
): Promise<RunningBenchFunction> {
  started += 1;
  const log = join(dir, `invocations-${started}.jsonl`);
  const config: LocalFunction = {
    ...env.processJobs,
    name: 'benchFunction',
    artifact,
    events: env.processJobs.events.map((event) => ({ ...event, ...overrides })),
  };
  const running = await startLocalFunction(config, { sqs: env.runnerSqs, queues: env.stack.queues, env: env.functionEnv(log) });
  return {
    config,
    running,
    invocations: (from = 0) =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .slice(from)
            .map((line) => JSON.parse(line) as BenchInvocation)
        : [],
    stop: async () => {
      await Promise.all(running.runners.map((r) => r.stop()));
      await running.pool.stop();
    },
  };
}
