/**
 * `npx tsx scripts/bench-client-stacks.ts [--runs N] [--calls N]`: the completion client's candidate stacks
 * side by side (issue 14). Regenerates the code of `bench/client-stacks/protos/` (a subset of the upstream
 * Temporal protos) with `buf generate` (`@bufbuild/protoc-gen-es`) and `pbjs -t static-module`, bundles each
 * stack of `bench/client-stacks/` with the functions' esbuild options, starts a Temporal dev server and runs
 * each bundle in fresh processes of the Lambda runtime's Node, round-robin: import, first call answered
 * (a `RespondActivityTaskCompleted` the server refuses), RSS, then `--calls` warm calls. Prints a markdown table
 * of medians.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { median } from '../bench/stats';
import { startBenchTemporalServer } from '../bench/temporal-server';
import { functionBuildOptions } from '../infra/build/bundle-function';
import { zipFiles } from '../infra/build/zip-files';
import { ensureLambdaNode } from '../infra/local/lambda-node';
import { projectPath } from '../infra/project-root';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, calls: { type: 'string', default: '200' } },
});
const runs = Number(values.runs);
const calls = Number(values.calls);
const STACKS_DIR = 'bench/client-stacks';
const dir = projectPath('.build/bench-client-stacks');

/** The stacks, each an entry of `bench/client-stacks/` exporting `ready`, `complete` and `heartbeat`. */
const STACKS: Record<string, { entry: string; what: string }> = {
  '(a) connect-es': {
    entry: 'connect-es.ts',
    what: '`@bufbuild/protobuf` v2 + `@connectrpc/connect` + `@connectrpc/connect-node` (`createGrpcTransport`)',
  },
  '(b) protobufjs + grpc-js': {
    entry: 'protobufjs-grpc-js.ts',
    what: 'static `protobufjs` code (`pbjs -t static-module`) + `@grpc/grpc-js`',
  },
  '(c) protobuf-es + http2': { entry: 'es-http2.ts', what: '`@bufbuild/protobuf` v2 + a hand-written unary call over `node:http2`' },
  '@temporalio/client': { entry: 'temporalio-client.ts', what: 'reference: `Connection` + `Client`, full proto tree, as today' },
  '@grpc/grpc-js alone': { entry: 'grpc-js-floor.ts', what: 'reference: request encoded by hand once, no protobuf library' },
  'node:http2 alone': { entry: 'http2-floor.ts', what: 'reference: hand-written call, request encoded by hand once' },
  'bare module': { entry: 'bare.ts', what: 'reference: no dependencies, no call' },
};

/** Runs in a fresh `node`: the figures of one bundle as one JSON line. */
const PROBE = `
import { pathToFileURL } from 'node:url';
const [file, calls] = [process.argv[1], Number(process.argv[2])];
const t0 = performance.now();
const mod = await import(pathToFileURL(file).href);
const imported = performance.now();
await mod.ready();
const ready = performance.now();
const rssBytes = process.memoryUsage().rss;
await mod.heartbeat();
const warm = [];
for (let i = 0; i < calls; i += 1) {
  const start = performance.now();
  await mod.complete();
  warm.push(performance.now() - start);
}
warm.sort((a, b) => a - b);
const at = (p) => warm[Math.min(warm.length - 1, Math.floor(p * warm.length))];
process.stdout.write(JSON.stringify({ importMs: imported - t0, firstCallMs: ready - imported, initMs: ready - t0, rssBytes, warmP50Ms: at(0.5), warmP90Ms: at(0.9) }) + '\\n');
process.exit(0);
`;

interface StackSample {
  readonly importMs: number;
  readonly firstCallMs: number;
  readonly initMs: number;
  readonly rssBytes: number;
  readonly warmP50Ms: number;
  readonly warmP90Ms: number;
}

function runProbe(node: string, bundle: string, env: Record<string, string>): Promise<StackSample> {
  return new Promise((resolveSample, reject) => {
    // serverless.yml sets NODE_OPTIONS=--enable-source-maps; the probes run with it too.
    const child = spawn(node, ['--enable-source-maps', '--input-type=module', '-e', PROBE, bundle, String(calls)], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`probe of ${bundle} failed (code ${code}): ${err.slice(-1500)}`));
      else resolveSample(JSON.parse(line) as StackSample);
    });
  });
}

/** Regenerates `bench/client-stacks/generated/` from the proto subset. */
function generate(): void {
  const bin = projectPath('node_modules/.bin');
  const cwd = projectPath(STACKS_DIR);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  execFileSync(join(bin, 'buf'), ['generate'], { cwd, env, stdio: 'inherit' });
  const pbjsOut = 'generated/pbjs/temporal.js';
  const pbjsFlags = ['-t', 'static-module', '-w', 'es6', '--es6', '--no-create', '--no-verify', '--no-convert', '--no-delimited'];
  const protoFile = 'protos/temporal/api/workflowservice/v1/request_response.proto';
  execFileSync(join(bin, 'pbjs'), [...pbjsFlags, '-p', 'protos', '-o', pbjsOut, protoFile], { cwd, env, stdio: 'inherit' });
  execFileSync(join(bin, 'pbts'), ['-o', pbjsOut.replace(/\.js$/, '.d.ts'), pbjsOut], { cwd, env, stdio: 'inherit' });
}

await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
generate();

const bundles: Record<string, string> = {};
const sizes: Record<string, { bundleBytes: number; zipBytes: number }> = {};
for (const [name, stack] of Object.entries(STACKS)) {
  const outfile = join(dir, name.replace(/\W+/g, '-').replace(/^-|-$/g, ''), 'index.mjs');
  await build({ ...functionBuildOptions(`${STACKS_DIR}/${stack.entry}`), outfile });
  const code = await readFile(outfile);
  const map = await readFile(`${outfile}.map`);
  const zip = zipFiles([
    { name: 'index.mjs', data: code },
    { name: 'index.mjs.map', data: map },
  ]);
  bundles[name] = outfile;
  sizes[name] = { bundleBytes: code.length, zipBytes: zip.length };
}

const node = join(ensureLambdaNode(), 'node');
const nodeVersion = execFileSync(node, ['--version']).toString().trim();
const server = await startBenchTemporalServer(() => undefined);
try {
  const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default' };
  const samples: Record<string, StackSample[]> = {};
  // Round-robin, so that a slow moment of the machine lands on every stack alike.
  for (let run = 0; run < runs; run += 1) {
    for (const [name, bundle] of Object.entries(bundles)) (samples[name] ??= []).push(await runProbe(node, bundle, env));
  }
  const med = (name: string, key: keyof StackSample): number => median((samples[name] ?? []).map((s) => s[key]));
  const kib = (bytes: number): string => (bytes / 1024).toFixed(0);
  console.log(`Node ${nodeVersion}, ${runs} fresh processes per stack (medians), ${calls} warm calls each, ${new Date().toISOString()}\n`);
  console.log(
    '| stack | what | zip, KiB | bundle, KiB | import, ms | first call, ms | init (import + first call), ms | RSS ready, MiB | warm call p50, ms | warm p90, ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, stack] of Object.entries(STACKS)) {
    const size = sizes[name] as { bundleBytes: number; zipBytes: number };
    const noCall = name === 'bare module';
    const warm = (key: 'warmP50Ms' | 'warmP90Ms'): string => (noCall ? '—' : med(name, key).toFixed(2));
    console.log(
      `| ${name} | ${stack.what} | ${kib(size.zipBytes)} | ${kib(size.bundleBytes)} | ${med(name, 'importMs').toFixed(0)} | ${noCall ? '—' : med(name, 'firstCallMs').toFixed(0)} | ${med(name, 'initMs').toFixed(0)} | ${(med(name, 'rssBytes') / 2 ** 20).toFixed(0)} | ${warm('warmP50Ms')} | ${warm('warmP90Ms')} |`,
    );
  }
} finally {
  await server.stop();
}
