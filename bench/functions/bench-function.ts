/**
 * The bench Lambda function: the project's runtime (`createSqsJobHandler` + `handleJob`) with one trivial
 * job, bundled like the real functions. Around the real handler it measures, for the benchmark only:
 * each invocation's duration (what Lambda bills), the Temporal calls the runtime made (by wrapping the
 * cached client's async-completion calls) and the outcome of each record. Each invocation appends one JSON
 * line to `$BENCH_LOG` and returns the same figures beside `batchItemFailures`.
 *
 * It also answers benchmark-only events: `{ bench: 'raw-complete', tokens, result }` completes those
 * activities with a bare `client.complete` on the same cached client, timing each call, so the
 * runtime's per-record overhead can be told apart from the RPC itself; `profile-start` / `profile-stop`
 * record a CPU profile of the container; `heap` collects garbage and reports the JS heap in use.
 */
import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleJob } from '../../functions/runtime/job-handler';
import { createLogger } from '../../functions/runtime/logger';
import type { RecordOutcome } from '../../functions/runtime/outcomes';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { getTemporalClient, temporalConnectCount } from '../../functions/runtime/temporal-client';
import type { TemporalClient } from '../../functions/runtime/temporal-client';
import { benchNoop, PRODUCED_BY_FUNCTION, runNoop } from '../bench-jobs';
import { startProfile } from '../profiler';
import type { RunningProfile } from '../profiler';

/** Async-completion calls the runtime can make; each is one Temporal API request. */
const TEMPORAL_CALLS = ['complete', 'fail', 'heartbeat', 'reportCancellation'] as const;
type TemporalCall = (typeof TEMPORAL_CALLS)[number];

/** What one invocation of the bench function measured. */
export interface BenchInvocation {
  readonly pid: number;
  readonly records: number;
  /** Handler duration, ms (Lambda bills it rounded up to the millisecond). */
  readonly ms: number;
  /** Temporal async-completion calls made during the invocation, by kind. */
  readonly temporalCalls: Readonly<Record<TemporalCall, number>>;
  /** Time spent inside those calls, ms (from the call to its settling, as the runtime awaits it). */
  readonly temporalMs: number;
  /** Records by outcome (`completed`, `retry`, …). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Connections this container has opened so far (should stay 1). */
  readonly connects: number;
}

/** The benchmark-only event timing bare completion RPCs. */
export interface RawCompleteEvent {
  readonly bench: 'raw-complete';
  /** Base64 task tokens of open activities. */
  readonly tokens: readonly string[];
  readonly result: unknown;
}

/** The answer to a {@link RawCompleteEvent}: each call's duration, ms. */
export interface RawCompleteResult {
  readonly ms: readonly number[];
}

/** Benchmark-only events that start and stop a CPU profile of this container (`npm run bench -- --profile`). */
export type ProfileEvent = { readonly bench: 'profile-start' } | { readonly bench: 'profile-stop'; readonly file: string };

/** Benchmark-only event: a full garbage collection, then the JS heap in use — what a leak would grow. */
export interface HeapEvent {
  readonly bench: 'heap';
}

/** The answer to a {@link HeapEvent}. */
export interface HeapResult {
  readonly heapUsedBytes: number;
}

function heapAfterGc(): HeapResult {
  // The container's flags are the local runner's; V8 still lets a running process expose gc().
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return { heapUsedBytes: process.memoryUsage().heapUsed };
}

let profile: RunningProfile | undefined;

async function onProfileEvent(event: ProfileEvent): Promise<{ readonly profiling: boolean }> {
  if (event.bench === 'profile-start') profile ??= await startProfile();
  else {
    await profile?.stop(event.file);
    profile = undefined;
  }
  return { profiling: profile !== undefined };
}

const calls: Record<TemporalCall, number> = { complete: 0, fail: 0, heartbeat: 0, reportCancellation: 0 };
let callMs = 0;
const counted = new WeakSet<TemporalClient>();

function countCalls(client: TemporalClient): TemporalClient {
  if (counted.has(client)) return client;
  counted.add(client);
  const activity = client as unknown as Record<TemporalCall, (...args: unknown[]) => Promise<unknown>>;
  for (const name of TEMPORAL_CALLS) {
    const original = activity[name].bind(activity);
    activity[name] = (...args) => {
      calls[name] += 1;
      const started = performance.now();
      const settled = (): void => {
        callMs += performance.now() - started;
      };
      const call = original(...args);
      call.then(settled, settled);
      return call;
    };
  }
  return client;
}

// Log lines are formatted as in production (LOG_LEVEL applies) but not written: a terminal would measure
// its own speed, and Lambda's log pipe is not something this machine can play.
// A container runs one invocation at a time, so the last batch's outcomes are the current invocation's.
let lastOutcomes: readonly RecordOutcome[] = [];
const jobs = createSqsJobHandler({
  jobs: [handleJob(benchNoop, (input) => runNoop(input, PRODUCED_BY_FUNCTION))],
  logger: createLogger({ function: 'bench' }, () => undefined),
  onOutcomes: (_records, outcomes) => {
    lastOutcomes = outcomes;
  },
});
getTemporalClient().then(countCalls, () => undefined);

async function rawComplete(event: RawCompleteEvent): Promise<RawCompleteResult> {
  const client = countCalls(await getTemporalClient());
  const ms: number[] = [];
  for (const token of event.tokens) {
    const bytes = new Uint8Array(Buffer.from(token, 'base64'));
    const started = performance.now();
    await client.complete(bytes, event.result, Date.now() + 30_000);
    ms.push(performance.now() - started);
  }
  return { ms };
}

/** Lambda entry point. */
export async function handler(
  event: SQSEvent | RawCompleteEvent | ProfileEvent | HeapEvent,
  context: Context,
): Promise<(SQSBatchResponse & { bench: BenchInvocation }) | RawCompleteResult | HeapResult | { readonly profiling: boolean }> {
  if ('bench' in event) {
    if (event.bench === 'raw-complete') return rawComplete(event);
    if (event.bench === 'heap') return heapAfterGc();
    return onProfileEvent(event);
  }
  await getTemporalClient().then(countCalls, () => undefined);
  const before = { ...calls };
  const callMsBefore = callMs;
  const started = performance.now();
  const response = await jobs(event, context);
  const ms = performance.now() - started;
  const outcomes: Record<string, number> = {};
  for (const outcome of lastOutcomes) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  const temporalCalls = Object.fromEntries(TEMPORAL_CALLS.map((k) => [k, calls[k] - before[k]])) as Record<TemporalCall, number>;
  const bench: BenchInvocation = {
    pid: process.pid,
    records: event.Records.length,
    ms,
    temporalCalls,
    temporalMs: callMs - callMsBefore,
    outcomes,
    connects: temporalConnectCount(),
  };
  if (process.env.BENCH_LOG) appendFileSync(process.env.BENCH_LOG, `${JSON.stringify(bench)}\n`);
  return { ...response, bench };
}
