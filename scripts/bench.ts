/**
 * `npm run bench`: the async path (worker → SQS → local Lambda runner → handler → complete) and the same job
 * as a plain activity in the worker, side by side on the local stack: throughput, latency, cold start, warm
 * overhead, memory, cost per million jobs. Writes `bench/results.json` and `bench/results.md` and prints
 * the table. Targets are reported as pass/miss and never fail the run; a job that does not come back right does.
 *
 * Flags: `--quick` (a small run, the CI check), `--jobs N`, `--rounds N`, `--cold-starts N`,
 * `--out DIR` (default `bench/`), `--profile` (CPU profiles into `.build/bench-profiles/`, summarized at the end),
 * `--render-only` (rewrite results.md from the results.json in `--out`, running nothing; priced models recomputed).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stepFunctionsCallbackModel } from '../bench/cost';
import type { Prices } from '../bench/cost';
import { formatProfileSummary, summarizeProfile } from '../bench/profile-summary';
import { computeTargets, renderMarkdown } from '../bench/report';
import type { BenchResults } from '../bench/results';
import { runBench, SETTINGS } from '../bench/run-bench';
import type { BenchSettings } from '../bench/run-bench';
import { projectPath } from '../infra/project-root';
import { writeFileAtomic } from '../infra/write-file-atomic';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    jobs: { type: 'string' },
    rounds: { type: 'string' },
    'cold-starts': { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
  },
});

function count(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number ≥ ${min}, got "${raw}".`);
  return n;
}

const mode = values.quick ? 'quick' : 'full';
const defaults = SETTINGS[mode];
const settings: BenchSettings = {
  ...defaults,
  jobs: count('jobs', values.jobs, defaults.jobs, 1),
  rounds: count('rounds', values.rounds, defaults.rounds, 1),
  coldStartRuns: count('cold-starts', values['cold-starts'], defaults.coldStartRuns, 1),
};
const outDir = resolve(values.out ?? projectPath('bench'));
const profileDir = values.profile ? projectPath('.build/bench-profiles') : undefined;

async function writeResults(results: BenchResults): Promise<string> {
  const markdown = renderMarkdown(results);
  await writeFileAtomic(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(join(outDir, 'results.md'), `# Benchmark results\n\n${markdown}`);
  return markdown;
}

if (values['render-only']) {
  const saved = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as BenchResults;
  // Models are priced, not measured: recompute them from the saved counts and the current price list.
  const prices = JSON.parse(await readFile(projectPath('bench/prices.json'), 'utf8')) as Prices;
  const stepFunctionsCallback = stepFunctionsCallbackModel(saved.cost, prices);
  const cost = stepFunctionsCallback ? { ...saved.cost, models: { ...saved.cost.models, stepFunctionsCallback } } : saved.cost;
  console.log(await writeResults({ ...saved, cost, targets: computeTargets(saved) }));
  process.exit(0);
}

const started = Date.now();
const log = (line: string): void => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
if (profileDir) await rm(profileDir, { recursive: true, force: true });
const results = await runBench({ mode, settings, log, profileDir });
const markdown = await writeResults(results);
console.log(`\n${markdown}`);
log(`Wrote ${join(outDir, 'results.json')} and results.md.`);
if (profileDir) {
  for (const file of (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    console.log(`\n${formatProfileSummary(file, summarizeProfile(join(profileDir, file)))}`);
  }
  log(`CPU profiles in ${profileDir} (open them in Chrome DevTools, or: npx tsx scripts/bench-profile.ts <file>).`);
}
if (results.correctness.completed !== results.correctness.jobs) {
  console.error(
    `${results.correctness.jobs - results.correctness.completed} jobs did not come back right:\n  ${results.correctness.problems.slice(0, 20).join('\n  ')}`,
  );
  process.exitCode = 1;
}
