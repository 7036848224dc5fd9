/**
 * `npx tsx scripts/bench-init-variants.ts [--runs N]`: what was tried for process-jobs' cold start. Builds
 * variants of the process-jobs probe (same entry, other esbuild settings or flags) and measures their init —
 * import + the module-scope Temporal client connected — in fresh `node` processes, round-robin, next to the
 * naive @temporalio/client bundle `npm run bench` uses as its reference. Prints a markdown table. Under
 * Node ≥ 22.1 (the Lambda runtime's major: `npx tsx scripts/with-lambda-node.ts npx tsx
 * scripts/bench-init-variants.ts`) it also measures a pre-filled V8 compile cache.
 * Run `npm run bench` first: the naive bundle is the benchmark's.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { measureInitOnce, measureInits } from '../bench/cold-start';
import { median } from '../bench/stats';
import { startBenchTemporalServer } from '../bench/temporal-server';
import { functionBuildOptions, RUNTIME_PROVIDED } from '../infra/build/bundle-function';
import { applyLocalSigningKeys } from '../infra/local/local-signing-keys';
import { projectPath } from '../infra/project-root';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const dir = projectPath('.build/bench-init-variants');

// The options `npm run build` bundles the functions with; each variant changes one thing of them.
const asBuilt: BuildOptions = functionBuildOptions('bench/functions/process-jobs-probe.ts');
const SECRET_READERS: readonly string[] = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'];

await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });

const variants: Record<string, { options: BuildOptions; ext?: string; flags?: boolean; what: string }> = {
  'as built': {
    options: {},
    what: 'infra/build/bundle-function.ts options (the secret readers imported lazily and left to the runtime), serverless.yml NODE_OPTIONS',
  },
  'no --enable-source-maps': { options: {}, flags: false, what: 'the same bundle, run without NODE_OPTIONS' },
  'AWS SDK secret readers bundled': {
    options: { external: RUNTIME_PROVIDED.filter((name) => !SECRET_READERS.includes(name)) },
    what: 'before they were left to the SDK the Lambda Node.js runtime ships: still imported lazily, but in the bundle',
  },
  'CommonJS builds of deps': { options: { mainFields: ['main', 'module'] }, what: 'before "prefer packages’ ES module builds"' },
  unminified: { options: { minify: false }, what: 'minify off' },
  'CommonJS output': { options: { format: 'cjs', banner: {} }, ext: 'cjs', what: 'format cjs, loaded with require' },
  'client only, built as the functions': {
    options: { entryPoints: ['bench/functions/naive-client.ts'] },
    what: 'the naive entry with the project’s options',
  },
  'gRPC floor': {
    options: { entryPoints: ['bench/functions/grpc-floor.ts'] },
    what: '@grpc/grpc-js alone, one GetSystemInfo call, no Temporal protos',
  },
};
const bundles: Record<string, string> = {};
const flagless: Record<string, boolean> = {};
for (const [name, v] of Object.entries(variants)) {
  const outfile = join(dir, name.replace(/\W+/g, '-'), `index.${v.ext ?? 'mjs'}`);
  if (v.flags !== false) await build({ ...asBuilt, ...v.options, outfile });
  bundles[name] = v.flags === false ? (bundles['as built'] as string) : outfile;
  flagless[name] = v.flags === false;
}
bundles['naive reference'] = projectPath('.build/bench-naive-client/index.cjs');

// Node ≥ 22.1 can keep V8's compiled code on disk (NODE_COMPILE_CACHE): a cache built once and shipped with
// the artifact would spare every cold start most of its compiling. Measured here with a cache filled by
// one run of the same bundle, on the Node that runs this script.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const compileCache = major > 22 || (major === 22 && minor >= 1) ? join(dir, 'compile-cache') : undefined;
const COMPILE_CACHE_VARIANT = 'V8 compile cache, filled beforehand';
const ALL_CHEAP_VARIANT = 'compile cache + no source maps';

// The functions refuse to start without a signing key ring; the probes inherit this one.
applyLocalSigningKeys();
const server = await startBenchTemporalServer(() => undefined);
try {
  const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'warn' };
  const asBuiltBundle = bundles['as built'] as string;
  const sets: { bundles: Record<string, string>; flags: string[]; env: Record<string, string> }[] = [
    { bundles: Object.fromEntries(Object.entries(bundles).filter(([name]) => !flagless[name])), flags: ['--enable-source-maps'], env },
    { bundles: Object.fromEntries(Object.entries(bundles).filter(([name]) => flagless[name])), flags: [], env },
  ];
  if (compileCache) {
    const cached = { ...env, NODE_COMPILE_CACHE: compileCache };
    await measureInitOnce(asBuiltBundle, { env: cached, nodeFlags: ['--enable-source-maps'], cwd: dir });
    sets.push({ bundles: { [COMPILE_CACHE_VARIANT]: asBuiltBundle }, flags: ['--enable-source-maps'], env: cached });
    await measureInitOnce(asBuiltBundle, { env: cached, nodeFlags: [], cwd: dir });
    sets.push({ bundles: { [ALL_CHEAP_VARIANT]: asBuiltBundle }, flags: [], env: cached });
  }
  // Round-robin over every variant, so that a slow moment of the machine lands on all of them alike.
  const samples: Record<string, { initMs: number[]; importMs: number[] }> = {};
  for (let run = 0; run < runs; run += 1) {
    for (const set of sets) {
      const one = await measureInits(set.bundles, 1, { env: set.env, nodeFlags: set.flags, cwd: dir });
      for (const [name, r] of Object.entries(one)) {
        samples[name] ??= { initMs: [], importMs: [] };
        samples[name].initMs.push(r.initMs);
        samples[name].importMs.push(r.importMs);
      }
    }
  }
  const results: Record<string, { initMs: number; importMs: number }> = {};
  for (const [name, sample] of Object.entries(samples))
    results[name] = { initMs: median(sample.initMs), importMs: median(sample.importMs) };
  const naive = results['naive reference']?.initMs ?? Number.NaN;
  console.log(`Node ${process.version}${compileCache ? '' : ' (no compile cache before 22.1: that variant is left out)'}\n`);
  console.log(`| variant | what | init, ms (median of ${runs}) | import, ms | ÷ naive |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, r] of Object.entries(results)) {
    const what =
      variants[name]?.what ??
      (name === COMPILE_CACHE_VARIANT
        ? 'as built, NODE_COMPILE_CACHE filled by one earlier run'
        : name === ALL_CHEAP_VARIANT
          ? 'as built, compile cache filled, run without NODE_OPTIONS'
          : 'esbuild defaults, CommonJS, loaded with require');
    console.log(`| ${name} | ${what} | ${r.initMs.toFixed(0)} | ${r.importMs.toFixed(0)} | ${(r.initMs / naive).toFixed(2)} |`);
  }
} finally {
  await server.stop();
}
