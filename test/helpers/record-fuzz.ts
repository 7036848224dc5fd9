import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { greetHandler } from '../../functions/handlers/greet';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { RecordOutcome, REDELIVERED_OUTCOMES } from '../../functions/runtime/outcomes';
import { createLogger } from '../../functions/runtime/logger';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { encodeJsonPayload } from '../../jobs/payloads';
import { recordOutcomes } from './outcome-recorder';
import { batchArbitrary, INPUT, materialize, NAMESPACE, RING } from './record-fuzz-batches';
import type { Expectation } from './record-fuzz-batches';
import type { FuzzBatch } from './record-fuzz-batches';
import { testContext } from './sqs-events';

export { DEFAULT_ADMITTED_SHARE } from './record-fuzz-batches';
export type { FuzzBatch } from './record-fuzz-batches';

/** Remaining time every fuzzed invocation is given, ms: short, so a record that reaches the Temporal connect gives up soon. */
export const FUZZ_REMAINING_MS = 400;
/** Safety margin of the fuzzed handlers, ms: their Temporal calls must end by remaining time minus this. */
export const FUZZ_SAFETY_MARGIN_MS = 100;
/** How late past its deadline an invocation may return (event-loop and GC pauses on a busy machine), ms. */
export const DEADLINE_SLACK_MS = 250;
/** How long past its deadline a handler that has not returned is declared hung, so a campaign never stalls, ms. */
const HUNG_AFTER_MS = 10_000;
/** Longest log line allowed, UTF-8 bytes. */
export const MAX_LOG_LINE_BYTES = 4_096;

/** The two functions, fuzzed alike. */
export const FUZZED_FUNCTIONS = ['process-jobs', 'dead-letter'] as const;
/** One of {@link FUZZED_FUNCTIONS}. */
export type FuzzedFunction = (typeof FUZZED_FUNCTIONS)[number];

type Invoke = (event: SQSEvent) => Promise<{ response: SQSBatchResponse; outcomes: readonly RecordOutcome[] | string }>;

/** Outcome counts by function. */
export type OutcomeTally = Record<FuzzedFunction, Partial<Record<RecordOutcome, number>>>;

/** Thrown when a batch breaks an invariant; its message says which and how. */
export class InvariantViolationError extends Error {
  override readonly name = 'InvariantViolationError';
}

/** Limits of {@link createRecordFuzz} that a campaign may loosen to look past a known violation. */
export interface RecordFuzzLimits {
  /** Longest log line allowed, UTF-8 bytes. @default {@link MAX_LOG_LINE_BYTES} */
  readonly maxLogLineBytes?: number;
}

/** A prepared fuzzing session: the two handlers, their captured log lines, and the tally. */
export interface RecordFuzz {
  /** Runs one batch through both functions and checks every invariant. @throws InvariantViolationError */
  check(batch: FuzzBatch): Promise<void>;
  /** Outcomes seen so far, by function. */
  readonly tally: OutcomeTally;
  /** Slowest invocation so far, ms. */
  readonly slowestMs: number;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Points this process at ports where nothing listens (Temporal and SQS), gives it a signing key ring with a
 * previous key, and logs at every level. `AWS_MAX_ATTEMPTS=1`: the best-effort ChangeMessageVisibility call
 * then fails at once instead of spending the SDK's retries (30–130 ms a batch until its retry quota is spent).
 */
async function prepareEnvironment(env: NodeJS.ProcessEnv): Promise<void> {
  for (const name of Object.keys(env))
    if (/^(TEMPORAL_|JOB_SIGNING_KEYS|AWS_)|^(LOG_FORMAT|POWERTOOLS_LOG_LEVEL)$/.test(name)) delete env[name];
  Object.assign(env, {
    TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`,
    TEMPORAL_NAMESPACE: NAMESPACE,
    JOB_SIGNING_KEYS: JSON.stringify(RING),
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${await closedPort()}`,
    AWS_ACCESS_KEY_ID: 'fuzz',
    AWS_SECRET_ACCESS_KEY: 'fuzz',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    LOG_LEVEL: 'debug',
  });
}

function violation(fn: FuzzedFunction, what: string): never {
  throw new InvariantViolationError(`${fn}: ${what}`);
}

function checkInvocation(
  fn: FuzzedFunction,
  event: SQSEvent,
  expected: readonly Expectation[],
  response: SQSBatchResponse,
  outcomes: readonly RecordOutcome[],
  lines: readonly string[],
  maxLogLineBytes: number,
): void {
  const ids = event.Records.map((r) => r.messageId);
  const known = new Set<string>(Object.values(RecordOutcome));
  if (outcomes.length !== ids.length || !outcomes.every((o) => known.has(o)))
    violation(fn, `outcomes ${JSON.stringify(outcomes)} for ${ids.length} records`);
  const failures = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  const leftOnQueue = ids.filter((_, i) => REDELIVERED_OUTCOMES.has(outcomes[i] as RecordOutcome));
  if (
    new Set(failures).size !== failures.length ||
    failures.length !== leftOnQueue.length ||
    !leftOnQueue.every((id) => failures.includes(id))
  ) {
    violation(
      fn,
      `batchItemFailures ${JSON.stringify(failures)} are not the records left on the queue (outcomes ${JSON.stringify(outcomes)})`,
    );
  }
  const blockedBy = new Map<string, boolean>();
  expected.forEach((e, i) => {
    const outcome = outcomes[i] as RecordOutcome;
    if (!e.signed && outcome !== RecordOutcome.Refused && outcome !== RecordOutcome.Blocked)
      violation(fn, `record ${i} has no valid signature but ended ${outcome}`);
    const blocked = e.group !== undefined && blockedBy.get(e.group) === true;
    if ((outcome === RecordOutcome.Blocked) !== blocked)
      violation(fn, `record ${i} of group ${e.group ?? '(none)'} ended ${outcome}; outcomes ${JSON.stringify(outcomes)}`);
    if (e.group !== undefined && REDELIVERED_OUTCOMES.has(outcome)) blockedBy.set(e.group, true);
  });
  const secrets = expected.flatMap((e) => e.secrets);
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    if (bytes > maxLogLineBytes) violation(fn, `a log line of ${bytes} bytes: ${line.slice(0, 300)}…`);
    if (line.includes('\n')) violation(fn, `a log line spans lines: ${line.slice(0, 300)}`);
    const leaked = secrets.find((s) => line.includes(s));
    if (leaked) violation(fn, `a log line carries a task token or job input (${leaked.slice(0, 24)}…): ${line.slice(0, 300)}`);
  }
}

/**
 * Prepares the environment (no server: Temporal and SQS on closed ports) and creates both functions' handlers
 * as production does, but with captured logs, no prewarm, and a short remaining time per invocation.
 */
export async function createRecordFuzz(options: RecordFuzzLimits = {}): Promise<RecordFuzz> {
  const maxLogLineBytes = options.maxLogLineBytes ?? MAX_LOG_LINE_BYTES;
  await prepareEnvironment(process.env);
  const payload = await encodeJsonPayload(INPUT);
  const lines: string[] = [];
  const logger = createLogger({}, (line) => lines.push(line));
  const common = { logger, prewarm: false, safetyMarginMs: FUZZ_SAFETY_MARGIN_MS };
  const jobOutcomes = recordOutcomes();
  const jobs = createSqsJobHandler({ ...common, jobs: [greetHandler], onOutcomes: jobOutcomes.onOutcomes });
  let deadLettered: { records: readonly SQSRecord[]; outcomes: readonly RecordOutcome[] }[] = [];
  const deadLetter = createDeadLetterHandler({ ...common, onOutcomes: (records, outcomes) => deadLettered.push({ records, outcomes }) });
  const invokers: Record<FuzzedFunction, Invoke> = {
    'process-jobs': async (event) => {
      const before = jobOutcomes.batches;
      const response = await jobs(event, testContext(FUZZ_REMAINING_MS));
      if (jobOutcomes.batches === before) return { response, outcomes: 'no outcomes reported' };
      if (jobOutcomes.last.size !== event.Records.length)
        return { response, outcomes: `${jobOutcomes.last.size} outcomes for ${event.Records.length} records` };
      return { response, outcomes: event.Records.map((r) => jobOutcomes.last.get(r.messageId) as RecordOutcome) };
    },
    'dead-letter': async (event) => {
      deadLettered = [];
      const response = await deadLetter(event, testContext(FUZZ_REMAINING_MS));
      const [reported, ...more] = deadLettered;
      if (!reported || more.length > 0) return { response, outcomes: `onOutcomes called ${deadLettered.length} times` };
      if (reported.records.length !== event.Records.length || reported.records.some((r, i) => r !== event.Records[i]))
        return { response, outcomes: 'onOutcomes got other records' };
      return { response, outcomes: reported.outcomes };
    },
  };
  const tally: OutcomeTally = { 'process-jobs': {}, 'dead-letter': {} };
  let slowestMs = 0;
  const bound = FUZZ_REMAINING_MS - FUZZ_SAFETY_MARGIN_MS + DEADLINE_SLACK_MS;
  return {
    tally,
    get slowestMs() {
      return slowestMs;
    },
    async check(batch) {
      for (const fn of FUZZED_FUNCTIONS) {
        const { event, expected } = materialize(batch, payload);
        lines.length = 0;
        const started = performance.now();
        let result: Awaited<ReturnType<Invoke>>;
        let watchdog: NodeJS.Timeout | undefined;
        try {
          const hung = new Promise<never>((_, reject) => {
            watchdog = setTimeout(
              () => reject(new InvariantViolationError(`${fn}: the handler had not returned ${HUNG_AFTER_MS} ms after its deadline`)),
              bound + HUNG_AFTER_MS,
            );
          });
          result = await Promise.race([invokers[fn](event), hung]);
        } catch (err) {
          if (err instanceof InvariantViolationError) throw err;
          violation(fn, `the handler threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
        } finally {
          clearTimeout(watchdog);
        }
        const elapsed = performance.now() - started;
        slowestMs = Math.max(slowestMs, elapsed);
        if (elapsed > bound)
          violation(
            fn,
            `returned after ${Math.round(elapsed)} ms, past its deadline (${bound - DEADLINE_SLACK_MS} ms) plus ${DEADLINE_SLACK_MS} ms`,
          );
        if (typeof result.outcomes === 'string') violation(fn, result.outcomes);
        checkInvocation(fn, event, expected, result.response, result.outcomes, lines, maxLogLineBytes);
        for (const outcome of result.outcomes) tally[fn][outcome] = (tally[fn][outcome] ?? 0) + 1;
      }
    },
  };
}

// ---- Running a campaign ------------------------------------------------------------------------------------

/** Options of {@link runRecordFuzz}. */
export interface RecordFuzzOptions extends RecordFuzzLimits {
  /** Batches to generate; each runs through both functions. */
  readonly cases: number;
  /** Seed of the generator; the same seed (and `path`) replays the same cases. */
  readonly seed: number;
  /** Replays a counterexample from the path fast-check reported, instead of searching. */
  readonly path?: string;
  /** See {@link BatchArbitraryOptions.admittedShare}. @default {@link DEFAULT_ADMITTED_SHARE} */
  readonly admittedShare?: number;
  /** Told after every batch checked (progress reports). */
  readonly onCase?: (done: number) => void;
}

/** What a campaign found. */
export interface RecordFuzzResult {
  readonly cases: number;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly slowestMs: number;
  readonly tally: OutcomeTally;
  /** The shrunk counterexample, when an invariant broke. */
  readonly counterexample?: { readonly batch: string; readonly error: string; readonly path: string; readonly shrinks: number };
}

/**
 * Runs `cases` fuzzed batches through both functions and checks every invariant, shrinking the first
 * counterexample to a minimal batch. Call once per process: it rewrites the environment (see
 * {@link createRecordFuzz}).
 */
export async function runRecordFuzz(options: RecordFuzzOptions): Promise<RecordFuzzResult> {
  const fuzz = await createRecordFuzz(options);
  let done = 0;
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(batchArbitrary({ admittedShare: options.admittedShare }), async (batch) => {
      await fuzz.check(batch);
      options.onCase?.(++done);
    }),
    { numRuns: options.cases, seed: options.seed, path: options.path },
  );
  const result = {
    cases: details.numRuns,
    seed: details.seed,
    elapsedMs: performance.now() - started,
    slowestMs: fuzz.slowestMs,
    tally: fuzz.tally,
  };
  if (!details.failed) return result;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const batch = details.counterexample ? fc.stringify(details.counterexample[0]) : '(none: the run was interrupted)';
  return { ...result, counterexample: { batch, error, path: details.counterexamplePath ?? '', shrinks: details.numShrinks } };
}

/** A campaign's summary as printed by `npm run fuzz` and by the unit test on failure. */
export function formatFuzzReport(result: RecordFuzzResult): string {
  const counts = (fn: FuzzedFunction) =>
    Object.entries(result.tally[fn])
      .sort(([, a], [, b]) => (b as number) - (a as number))
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
  const lines = [
    `record fuzz: ${result.cases} cases (batches through both functions), seed ${result.seed}, ${(result.elapsedMs / 1000).toFixed(1)} s`,
    ...FUZZED_FUNCTIONS.map((fn) => `  ${fn.padEnd(12)} ${counts(fn) || 'no outcomes'}`),
    `  slowest invocation ${Math.round(result.slowestMs)} ms (deadline ${FUZZ_REMAINING_MS - FUZZ_SAFETY_MARGIN_MS} ms + ${DEADLINE_SLACK_MS} ms slack)`,
  ];
  const found = result.counterexample;
  if (!found) return [...lines, '  no counterexample'].join('\n');
  return [
    ...lines,
    `COUNTEREXAMPLE after ${found.shrinks} shrinks: ${found.error}`,
    `  batch: ${found.batch}`,
    `  replay: npm run fuzz -- --seed ${result.seed} --path ${found.path}`,
  ].join('\n');
}
