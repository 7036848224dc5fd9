import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaWorkerOf } from '../../bench/report';
import type { BenchResults } from '../../bench/results';
import { STARTER_BUNDLES } from '../../bench/phases';
import { FUNCTION_ENTRIES } from '../../infra/build/bundle-function';
import { LAMBDA_NODE_VERSION } from '../../infra/local/lambda-node';
import { PROJECT_ROOT } from '../../infra/project-root';

/** Every number under `value`, with its path; `null` (how JSON writes NaN) counts as a missing number. */
function numbers(value: unknown, path = ''): [string, number | null][] {
  if (value === null) return [[path, null]];
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * `npm run bench -- --quick` as CI runs it: a correctness check that cannot fail on timing. It asserts that
 * every job came back with its own result and that every section of results.json holds numbers — never how
 * big they are.
 */
describe('npm run bench -- --quick', () => {
  let out: string;
  let results: BenchResults;
  let markdown: string;
  let exitCode: number | null;
  let output = '';

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-quick-'));
    // The benchmark starts its own Temporal dev server and SQS endpoint, not the suite's shared ones, so that
    // the server's counters hold only its own calls.
    const env = { ...process.env };
    for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL']) delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--out', out], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exitCode = await new Promise((resolveExit) => child.once('exit', resolveExit));
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as BenchResults;
    markdown = await readFile(join(out, 'results.md'), 'utf8');
  }, 300_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('exits 0 and every job returns its own result, produced by the side its path names', () => {
    expect(exitCode, output.slice(-3000)).toBe(0);
    expect(results.correctness.problems).toEqual([]);
    // The worker ran on the Node of the Lambda runtime (bench/worker-process.ts), not on the one running the bench.
    expect(results.machine.workerNode).toBe(`v${LAMBDA_NODE_VERSION}`);
    expect(results.correctness.jobs).toBeGreaterThan(0);
    expect(results.correctness.completed).toBe(results.correctness.jobs);
    const pinned = results.throughput.pinned;
    const pinnedPaths = pinned && 'ratio' in pinned ? [pinned.direct, pinned.async] : [];
    for (const path of [results.throughput.direct, results.throughput.async, results.throughput.asyncWindow0, ...pinnedPaths]) {
      expect(path.completed).toBe(path.jobsPerRound * path.rounds);
    }
  });

  it('runs the lambda-worker path too: its jobs ran in its containers and its figures are numbers', () => {
    const lambdaWorker = results.lambdaWorker;
    expect(lambdaWorker && 'skipped' in lambdaWorker ? lambdaWorker.skipped : undefined).toBeUndefined();
    const measured = lambdaWorkerOf(results)!;
    expect(measured.throughput.jobs).toBeGreaterThan(0);
    expect(measured.throughput.invocations).toBeGreaterThan(0);
    expect(measured.throughput.jobsPerInvocation).toBeGreaterThan(0);
    expect(measured.latency.jobs).toBeGreaterThan(0);
    expect(measured.coldStart.invocations).toBeGreaterThan(0);
    expect(measured.asyncColdStart).toBeDefined();
    // Its workloads count in the run's correctness (asserted above): every job came back from a lambda-worker container.
    const found = numbers(measured);
    expect(found.filter(([, n]) => n === null || !Number.isFinite(n)).map(([p]) => `lambdaWorker.${p}`)).toEqual([]);
  });

  it('fills every section with numbers', () => {
    for (const section of ['throughput', 'latency', 'coldStart', 'warmOverhead', 'memory', 'cost'] as const) {
      const found = numbers(results[section]);
      expect(found.length, section).toBeGreaterThan(0);
      expect(found.filter(([, n]) => n === null || !Number.isFinite(n)).map(([p]) => `${section}.${p}`)).toEqual([]);
    }
    // Every deployed function, the trigger starters among them, beside the two references.
    expect(Object.keys(results.coldStart.bundles).sort()).toEqual(
      [...FUNCTION_ENTRIES.map((fn) => fn.name), 'bare-handler', 'naive-client'].sort(),
    );
    expect(Object.keys(results.coldStart.startersToProcessJobs ?? {}).sort()).toEqual([...STARTER_BUNDLES].sort());
    for (const name of STARTER_BUNDLES) expect(markdown, name).toMatch(new RegExp(`${name} \\d+ ms init \\([\\d.]+ × process-jobs'`));
    expect(results.latency.async.n).toBeGreaterThan(0);
    expect(results.latency.direct.n).toBeGreaterThan(0);
    expect(results.warmOverhead.handlerMs.n).toBeGreaterThan(0);
    // The completion call timed inside each invocation: part of it, and the rest is the runtime's own work.
    const w = results.warmOverhead;
    expect(w.handlerRpcMs?.n).toBe(w.handlerMs.n);
    expect(w.beyondRpcMs!.p50).toBeGreaterThan(0);
    expect(w.handlerRpcMs!.p50 + w.beyondRpcMs!.p50).toBeLessThanOrEqual(w.handlerMs.max);
    expect(w.handlerRpcMs!.p50).toBeGreaterThan(w.beyondRpcMs!.p50);
    expect(results.memory.peakRssBytes).toBeGreaterThan(0);
    expect(results.cost.perJob.temporalActions).toBeDefined();
    expect(results.cost.perMillionJobs.total).toBeGreaterThan(0);
  });

  it('judges every target and writes the markdown table', () => {
    expect(results.targets.map((t) => t.name)).toEqual([
      'throughput async ÷ direct',
      'throughput async ÷ direct, pinned',
      'worker CPU per job, async ÷ direct',
      'added p50 latency over direct',
      'process-jobs init ÷ naive client bundle',
      'process-jobs zip',
      'process-jobs RSS when ready ÷ bare handler',
      'warm per-record overhead beyond the complete RPC',
      'complete RPC warm p50, functions’ client ÷ @temporalio/client',
      'cold start to first job completed, async ÷ lambda-worker',
      'Lambda GB-s per job, async ÷ lambda-worker',
    ]);
    expect(results.warmOverhead.sdkCompleteMs.n).toBe(results.warmOverhead.rawCompleteMs.n);
    for (const target of results.targets) expect(typeof target.met).toBe('boolean');
    expect(markdown).toContain('| target | goal | measured | result |');
    expect(markdown).toContain('| three paths | async (ours) | direct | lambda-worker');
  });
});
