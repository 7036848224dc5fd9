/**
 * `npx tsx scripts/bench-wake-cost.ts`: what this machine charges a thread for waking up. Runs a little work
 * after a timer of 0, 1, 3 and 20 ms, and the same work back to back, and prints the CPU time (user + system)
 * an iteration costs. On the 2-core VM of docs/benchmarks.md a wake-up costs tens to hundreds of µs and
 * code right after it runs slower than hot, so a process's CPU per job depends on how often it goes idle and
 * wakes, not only on the code it runs: why the worker's SQS requests (each answer wakes it) cost more in the
 * worker than in a tight loop. Medians of `--rounds` rounds.
 */
import { parseArgs } from 'node:util';
import { median } from '../bench/stats';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** About `units` × 0.5 µs of JSON work when hot. */
function work(units: number): number {
  let length = 0;
  for (let i = 0; i < units; i++) length += JSON.stringify({ i, text: 'x'.repeat(50) }).length;
  return length;
}

/** CPU µs an iteration costs over `n` iterations of `iteration`. */
async function cpuPerIteration(n: number, iteration: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await iteration();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

for (const units of [1, 100]) {
  const hotSamples: number[] = [];
  for (let r = 0; r < rounds; r++) hotSamples.push(await cpuPerIteration(2_000, () => work(units)));
  const hot = median(hotSamples);
  const cells = [`work ${units === 1 ? '~0.5' : '~50'} µs: back to back ${hot.toFixed(1)} µs`];
  for (const ms of [0, 1, 3, 20]) {
    const n = ms >= 20 ? 100 : 400;
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) samples.push(await cpuPerIteration(n, async () => (await sleep(ms), work(units))));
    cells.push(`after a ${ms} ms timer ${median(samples).toFixed(1)} µs`);
  }
  console.log(`${cells.join(' | ')} (CPU an iteration, median of ${rounds})`);
}
