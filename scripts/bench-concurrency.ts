/**
 * `npx tsx scripts/bench-concurrency.ts [--jobs N] [--concurrency 2,5,10,20]`: the async path's throughput
 * against the local runner's concurrency, with the configured batching window and with none, next to the
 * direct path in the same run (~4 minutes on 2 cores). Prints a markdown table: jobs/s, steady jobs/s, CPU
 * per job, records per invocation and ReceiveMessage calls per job. Run `npm run bench` first (it builds
 * the bench function).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchFunction } from '../bench/bench-function';
import { startBenchEnvironment } from '../bench/environment';
import { steadyRate } from '../bench/stats';
import { measurePath } from '../bench/throughput';
import type { PathMeasurement } from '../bench/throughput';
import { projectPath } from '../infra/project-root';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '2,5,10,20' } },
});
const jobs = Number(values.jobs);
const levels = values.concurrency.split(',').map(Number);
const artifact = projectPath('.build/bench-function.zip');

const row = (m: PathMeasurement): string => {
  const cpu = Object.values(m.cpuMs).reduce((a, b) => a + b, 0) / jobs;
  const perSecond = (jobs / m.workload.wallMs) * 1000;
  const steady = steadyRate(m.workload.timings.map((t) => t.doneAt));
  const records = m.invocations.length > 0 ? (jobs / m.invocations.length).toFixed(1) : '—';
  const receives = m.invocations.length > 0 ? ((m.sqs.runner.ReceiveMessage ?? 0) / jobs).toFixed(2) : '—';
  return `${perSecond.toFixed(0)} | ${steady.toFixed(0)} | ${cpu.toFixed(1)} | ${records} | ${receives}`;
};

const dir = await mkdtemp(join(tmpdir(), 'bench-concurrency-'));
const env = await startBenchEnvironment({ log: (line) => console.error(line) });
try {
  const direct = await measurePath(env, { path: 'direct', jobs, perWorkflow: 50, warmupJobs: 100, idPrefix: `direct-${env.runId}` });
  console.log(`${jobs} jobs per row, 50 per workflow; Node ${process.version}\n`);
  console.log(
    '| path | runner concurrency | batching window | jobs/s | steady | CPU per job, ms | records per invocation | ReceiveMessage per job |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| direct | — | — | ${row(direct)} |`);
  const configured = env.processJobs.events[0]?.maximumBatchingWindowSeconds ?? 0;
  for (const concurrency of levels) {
    for (const window of [...new Set([configured, 0])]) {
      const fn = await startBenchFunction(env, artifact, dir, { maximumConcurrency: concurrency, maximumBatchingWindowSeconds: window });
      try {
        const m = await measurePath(env, {
          path: 'async',
          jobs,
          perWorkflow: 50,
          warmupJobs: 100,
          fn,
          idPrefix: `async-${env.runId}-${concurrency}-${window}`,
        });
        if (m.workload.problems.length > 0) throw new Error(`jobs did not come back right: ${m.workload.problems.slice(0, 3).join('; ')}`);
        console.log(`| async | ${concurrency} | ${window} s | ${row(m)} |`);
      } finally {
        await fn.stop();
      }
    }
  }
} finally {
  await env.stop();
  await rm(dir, { recursive: true, force: true });
}
