/**
 * `npx tsx scripts/bench-container-start.ts [--runs N]`: cold start of a local process-jobs container, the way
 * containers used to start (the bootstrap's TypeScript source through the tsx loader, on the Node that runs
 * this script, importing `.build/process-jobs/index.mjs` with this process's environment) next to the way they
 * start now (`startLambdaContainer`: the unpacked zip, plain Node of the Lambda runtime's version, Lambda's
 * environment and heap flags). Fresh processes, round-robin, medians. Prints a markdown table of:
 * - start → ready: from asking for the container to its handler being imported (process start, loader,
 *   bootstrap, import) — what a cold start costs locally;
 * - import: the handler's import alone, as the bootstrap measures it;
 * - RSS once ready, from /proc.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processStatusBytes } from '../bench/process-cpu';
import { median } from '../bench/stats';
import { bundleFunction, FUNCTION_ENTRIES } from '../infra/build/bundle-function';
import { exited } from '../infra/local/child-process';
import { startLambdaContainer } from '../infra/local/lambda-container';
import type { FromContainer } from '../infra/local/lambda-container';
import { forwardedLocalEnv } from '../infra/local/lambda-environment';
import { applyLocalSigningKeys } from '../infra/local/local-signing-keys';
import { projectPath } from '../infra/project-root';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

interface Sample {
  readonly readyMs: number;
  readonly importMs: number;
  readonly rssBytes: number;
}

applyLocalSigningKeys();
// Nothing listens there: the function's module-scope connect fails in the background, as in both ways alike.
const functionEnv = {
  ...forwardedLocalEnv(),
  TEMPORAL_ADDRESS: '127.0.0.1:9',
  TEMPORAL_NAMESPACE: 'default',
  NODE_OPTIONS: '--enable-source-maps',
};
const fn = FUNCTION_ENTRIES.find((f) => f.name === 'process-jobs');
if (!fn) throw new Error('No process-jobs in FUNCTION_ENTRIES.');
const built = await bundleFunction(fn);

/** The way before: `fork(container-runtime.ts, { execArgv: ['--import', 'tsx', …] })` on this Node, this environment. */
async function oldWay(): Promise<Sample> {
  const started = performance.now();
  const child = fork(projectPath('infra/local/container-runtime.ts'), [], {
    execArgv: ['--import', 'tsx', '--enable-source-maps'],
    env: {
      ...process.env,
      ...functionEnv,
      AWS_LAMBDA_FUNCTION_NAME: 'processJobs',
      LAMBDA_TASK_ROOT: join(built.bundlePath, '..'),
      _HANDLER: 'index.handler',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const importMs = await new Promise<number>((resolveReady, reject) => {
    child.on('message', (m: FromContainer) => {
      if (m.type === 'ready') resolveReady(m.initMs);
      else if (m.type === 'init-error') reject(new Error(m.message));
    });
  });
  const readyMs = performance.now() - started;
  const rssBytes = processStatusBytes(child.pid as number, 'VmRSS') ?? NaN;
  child.kill('SIGKILL');
  await exited(child);
  return { readyMs, importMs, rssBytes };
}

async function newWay(): Promise<Sample> {
  const started = performance.now();
  const container = startLambdaContainer({
    artifact: built.zipPath,
    handler: 'index.handler',
    functionName: 'processJobs',
    timeoutMs: 25_000,
    memoryMb: 1024,
    env: functionEnv,
  });
  const importMs = await container.ready;
  const readyMs = performance.now() - started;
  const rssBytes = processStatusBytes(container.pid as number, 'VmRSS') ?? NaN;
  container.kill();
  await container.exited;
  return { readyMs, importMs, rssBytes };
}

const ways = { 'before: tsx loader, this Node, bundle path': oldWay, 'now: plain Node 24, unpacked zip': newWay } as const;
const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
// One of each first, not counted: the bootstrap build, tsx's cache and the page cache warm up.
for (const way of Object.values(ways)) await way();
for (let i = 0; i < runs; i += 1) {
  for (const [name, way] of Object.entries(ways)) samples[name]?.push(await way());
}
console.log(`process-jobs container cold start, median of ${runs} (parent Node ${process.version})\n`);
console.log('| container | start → ready (ms) | handler import (ms) | RSS once ready (MiB) |');
console.log('| --- | --- | --- | --- |');
for (const [name, list] of Object.entries(samples)) {
  const m = (pick: (s: Sample) => number): number => median(list.map(pick));
  console.log(
    `| ${name} | ${m((s) => s.readyMs).toFixed(0)} | ${m((s) => s.importMs).toFixed(0)} | ${(m((s) => s.rssBytes) / 2 ** 20).toFixed(1)} |`,
  );
}
