/**
 * The worker's CPU per job on the async path against the direct path, and nothing else: the bench worker, the
 * bench function on the local runner, and rounds of `--jobs` jobs alternating direct, async, direct, … as
 * `npm run bench` runs its throughput rounds (50 jobs a workflow, a warm-up of each path first). Prints each
 * round's worker CPU per job (`/proc/<pid>/stat`, the whole process: activities, workflow threads, the core
 * bridge), the worker's SQS requests per job, and the medians and their ratio. `--profile` also records a CPU
 * profile of the worker's main thread over the first round of each path (`.build/bench-worker-cpu/`) and prints where
 * each spent its time.
 *
 * `--paced` adds a third run to each round: the direct path again, its workflows started at the pace the async round
 * just ran at (its jobs a second), so the two are compared at the same job rate. A worker's CPU per job falls as its
 * job rate rises (fewer idle wake-ups a job), and unpinned, the async rounds run slower than the direct ones because
 * the emulated AWS side shares the machine's CPUs: this takes the rate out of the comparison.
 *
 * `--batching '{"lingerMs":3,"maxLingerMs":3}'` runs the worker with other send batching options; `--sender sdk` sends
 * through the AWS SDK (`sqsBatchSender`) instead of the default `sqsJsonBatchSender`.
 *
 * `npx tsx scripts/bench-worker-cpu.ts [--jobs 2000] [--rounds 5] [--profile] [--batching JSON] [--sender json|sdk] [--paced]` (~3 min with the defaults).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchFunction } from '../bench/bench-function';
import { startBenchEnvironment } from '../bench/environment';
import { formatProfileSummary, summarizeProfile } from '../bench/profile-summary';
import { median } from '../bench/stats';
import { processCpuMs } from '../bench/process-cpu';
import { measurePath } from '../bench/throughput';
import type { PathMeasurement } from '../bench/throughput';
import { bundleFunction } from '../infra/build/bundle-function';
import { PROJECT_ROOT, projectPath } from '../infra/project-root';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    batching: { type: 'string' },
    sender: { type: 'string', default: 'json' },
    paced: { type: 'boolean', default: false },
  },
});
// The bench worker inherits this process's environment.
if (values.batching !== undefined) process.env.BENCH_SEND_BATCHING = JSON.stringify(JSON.parse(values.batching));
if (values.sender !== 'json' && values.sender !== 'sdk') throw new Error('--sender is json (the default sender) or sdk (the AWS SDK).');
process.env.BENCH_SQS_SENDER = values.sender;
const jobs = Number(values.jobs);
const rounds = Number(values.rounds);
const log = (line: string): void => console.error(line);

const workerMsPerJob = (m: PathMeasurement): number => (m.cpuMs.worker ?? 0) / m.workload.jobs;

/** CPU ms of each thread of a process by thread name (`/proc/<pid>/task/<tid>/comm`), to see where a process's time goes. */
function threadCpuMs(pid: number): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const key = tid === String(pid) ? 'main thread' : name.replace(/[\d-]+$/, '');
      byName[key] = (byName[key] ?? 0) + (processCpuMs(pid, Number(tid)) ?? 0);
    } catch {
      // the thread ended in between
    }
  }
  return byName;
}

const describe = (m: PathMeasurement): string => {
  const sends = Object.entries(m.sqs.worker)
    .map(([op, n]) => `${op} ${(n / m.workload.jobs).toFixed(3)}`)
    .join(', ');
  const perSecond = (m.workload.jobs / m.workload.wallMs) * 1000;
  return `${workerMsPerJob(m).toFixed(3)} ms/job worker, ${perSecond.toFixed(0)} jobs/s${sends ? `, ${sends} a job` : ''}`;
};

const PROFILE_DIR = projectPath('.build/bench-worker-cpu');
const dir = await mkdtemp(join(tmpdir(), 'bench-worker-cpu-'));
const built = await bundleFunction({ name: 'bench-function', entry: 'bench/functions/bench-function.ts' }, PROJECT_ROOT);
const env = await startBenchEnvironment({ log });
try {
  const fn = await startBenchFunction(env, built.zipPath, dir);
  try {
    const results: Record<'direct' | 'async' | 'direct-paced', PathMeasurement[]> = { direct: [], async: [], 'direct-paced': [] };
    const runs = values.paced ? (['direct', 'async', 'direct-paced'] as const) : (['direct', 'async'] as const);
    for (let round = 1; round <= rounds; round += 1) {
      for (const run of runs) {
        const path = run === 'direct-paced' ? 'direct' : run;
        const asyncRound = results.async.at(-1);
        // The async round's pace: one workflow of 50 jobs every 50 ÷ (its jobs a second) seconds.
        const startIntervalMs =
          run === 'direct-paced' && asyncRound ? (50 * asyncRound.workload.wallMs) / asyncRound.workload.jobs : undefined;
        const profile =
          values.profile && round === 1 && run !== 'direct-paced' ? join(PROFILE_DIR, `${path}-worker.cpuprofile`) : undefined;
        const threadsBefore = threadCpuMs(env.worker.pid!);
        const m = await measurePath(env, {
          path,
          jobs,
          perWorkflow: 50,
          warmupJobs: round === 1 && run !== 'direct-paced' ? 100 : 0,
          fn: path === 'async' ? fn : undefined,
          idPrefix: `${run}-${env.runId}-${round}`,
          startIntervalMs,
          around: profile ? { before: () => env.worker.startProfile(), after: () => env.worker.stopProfile(profile) } : undefined,
        });
        if (m.workload.problems.length > 0) throw new Error(`jobs did not come back right: ${m.workload.problems.slice(0, 3).join('; ')}`);
        const threadsAfter = threadCpuMs(env.worker.pid!);
        results[run].push(m);
        const threads = Object.entries(threadsAfter)
          .map(([name, ms]) => [name, (ms - (threadsBefore[name] ?? 0)) / m.workload.jobs] as const)
          .filter(([, ms]) => ms >= 0.005)
          .sort(([, a], [, b]) => b - a)
          .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
          .join(', ');
        log(`round ${round} ${run}: ${describe(m)}\n  by thread, ms/job: ${threads}`);
        if (profile) console.log(`\n${formatProfileSummary(`${path} worker, round 1`, summarizeProfile(profile, 25))}\n`);
      }
    }
    const direct = median(results.direct.map(workerMsPerJob));
    const async = median(results.async.map(workerMsPerJob));
    const ratios = results.async.map((a, i) => workerMsPerJob(a) / workerMsPerJob(results.direct[i]!));
    console.log(
      `worker CPU per job, medians of ${rounds} rounds of ${jobs}: direct ${direct.toFixed(3)} ms, async ${async.toFixed(3)} ms, ` +
        `async ÷ direct ${(async / direct).toFixed(2)} (round by round: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    if (values.paced) {
      const paced = median(results['direct-paced'].map(workerMsPerJob));
      const pacedRatios = results.async.map((a, i) => workerMsPerJob(a) / workerMsPerJob(results['direct-paced'][i]!));
      console.log(
        `at the async rounds' pace: direct ${paced.toFixed(3)} ms, async ÷ direct ${(async / paced).toFixed(2)} ` +
          `(round by round: ${pacedRatios.map((r) => r.toFixed(2)).join(', ')})`,
      );
    }
  } finally {
    await fn.stop();
  }
} finally {
  await env.stop();
  await rm(dir, { recursive: true, force: true });
}
