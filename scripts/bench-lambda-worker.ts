/**
 * `npx tsx scripts/bench-lambda-worker.ts [--jobs 2000] [--latency-jobs 200] [--concurrency 10] [--timeout 20] [--out file.json]`:
 * the lambda-worker path of issue 15 alone (`bench/lambda-worker-phase.ts`; `npm run bench` runs it in full
 * mode): the bench's trivial job as an activity run by `@temporalio/lambda-worker`'s handler in the local
 * Lambda containers, invoked by an emulation of Temporal's Serverless Worker invocation, against the bench's
 * Temporal dev server. Prints the result as JSON (and writes it to `--out`). ~2 minutes on 2 cores.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Prices } from '../bench/cost';
import { bundleFunction } from '../infra/build/bundle-function';
import { startBenchEnvironment } from '../bench/environment';
import { buildLambdaWorkerFunction } from '../bench/lambda-worker-package';
import { measureLambdaWorker } from '../bench/lambda-worker-phase';
import { PROJECT_ROOT, projectPath } from '../infra/project-root';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    'latency-jobs': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const log = (line: string): void => console.error(line);

const dir = await mkdtemp(join(tmpdir(), 'bench-lambda-worker-'));
log('Building the lambda-worker function (handler + node_modules)…');
const built = await buildLambdaWorkerFunction(PROJECT_ROOT);
const benchFunction = await bundleFunction({ name: 'bench-function', entry: 'bench/functions/bench-function.ts' }, PROJECT_ROOT);
const prices = JSON.parse(await readFile(projectPath('bench/prices.json'), 'utf8')) as Prices;
const env = await startBenchEnvironment({ log });
try {
  const { workloads, ...result } = await measureLambdaWorker(env, {
    zipPath: built.zipPath,
    benchFunctionZip: benchFunction.zipPath,
    jobs: Number(values.jobs),
    latencyJobs: Number(values['latency-jobs']),
    concurrency: Number(values.concurrency),
    timeoutMs: Number(values.timeout) * 1000,
    prices,
    dir,
    log,
  });
  const problems = workloads.flatMap((w) => w.problems);
  const text = JSON.stringify(
    {
      at: new Date().toISOString(),
      loadAverage: (await import('node:os')).loadavg()[0],
      function: { zipBytes: built.zipBytes, unzippedBytes: built.unzippedBytes, packages: built.packages },
      ...result,
      correctness: { jobs: workloads.reduce((a, w) => a + w.jobs, 0), completed: workloads.reduce((a, w) => a + w.completed, 0), problems },
    },
    null,
    2,
  );
  console.log(text);
  if (values.out) await writeFile(values.out, `${text}\n`);
} finally {
  await env.stop();
  await rm(dir, { recursive: true, force: true });
}
