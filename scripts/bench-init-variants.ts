/**
 * `npx tsx scripts/bench-init-variants.ts [--runs N]`: what was tried for process-jobs' cold start. Builds
 * variants of the process-jobs probe (same entry, other esbuild settings or flags) and measures their init —
 * import + the module-scope Temporal client connected — in fresh `node` processes, round-robin, next to the
 * naive @temporalio/client bundle `npm run bench` uses as its reference. Prints a markdown table.
 * Run `npm run bench` (or `npm run build`) first: the naive bundle is the benchmark's.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { BUNDLE_TARGET } from './build/bundle-function';
import { measureInits } from '../bench/cold-start';
import { startBenchTemporalServer } from '../bench/temporal-server';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.build/bench-init-variants');
const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

// The options of scripts/build/bundle-function.ts, which each variant changes one thing of.
const asBuilt: BuildOptions = {
  absWorkingDir: root,
  entryPoints: ['bench/functions/process-jobs-probe.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: BUNDLE_TARGET,
  mainFields: ['module', 'main'],
  minify: true,
  treeShaking: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  banner: { js: REQUIRE_BANNER },
  logLevel: 'warning',
};

await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const stub = join(dir, 'aws-sdk-stub.mjs');
await writeFile(stub, 'export class SecretsManagerClient {} export class GetSecretValueCommand {} export class SSMClient {} export class GetParameterCommand {}\n');
const variants: Record<string, { options: BuildOptions; ext?: string; flags?: boolean; what: string }> = {
  'as built': { options: {}, what: 'scripts/build/bundle-function.ts options, serverless.yml NODE_OPTIONS' },
  'no --enable-source-maps': { options: {}, flags: false, what: 'the same bundle, run without NODE_OPTIONS' },
  'AWS SDK clients stubbed': { options: { alias: { '@aws-sdk/client-secrets-manager': stub, '@aws-sdk/client-ssm': stub } }, what: 'the most lazy-loading the secret readers could save' },
  'CommonJS builds of deps': { options: { mainFields: ['main', 'module'] }, what: 'before "prefer packages’ ES module builds"' },
  unminified: { options: { minify: false }, what: 'minify off' },
  'CommonJS output': { options: { format: 'cjs', banner: {} }, ext: 'cjs', what: 'format cjs, loaded with require' },
  'client only, built as the functions': { options: { entryPoints: ['bench/functions/naive-client.ts'] }, what: 'the naive entry with the project’s options' },
  'gRPC floor': { options: { entryPoints: ['bench/functions/grpc-floor.ts'] }, what: '@grpc/grpc-js alone, one GetSystemInfo call, no Temporal protos' },
};
const bundles: Record<string, string> = {};
const flagless: Record<string, boolean> = {};
for (const [name, v] of Object.entries(variants)) {
  const outfile = join(dir, name.replace(/\W+/g, '-'), `index.${v.ext ?? 'mjs'}`);
  if (v.flags !== false) await build({ ...asBuilt, ...v.options, outfile });
  bundles[name] = v.flags === false ? (bundles['as built'] as string) : outfile;
  flagless[name] = v.flags === false;
}
bundles['naive reference'] = join(root, '.build/bench-naive-client/index.cjs');

const server = await startBenchTemporalServer(() => undefined);
try {
  const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'warn' };
  const withFlags = Object.fromEntries(Object.entries(bundles).filter(([name]) => !flagless[name]));
  const without = Object.fromEntries(Object.entries(bundles).filter(([name]) => flagless[name]));
  // One round-robin over everything: the flagless run is interleaved by running both sets per round.
  const results: Record<string, { initMs: number; importMs: number }> = {};
  const samples: Record<string, { initMs: number[]; importMs: number[] }> = {};
  for (let run = 0; run < runs; run += 1) {
    for (const [set, flags] of [[withFlags, ['--enable-source-maps']], [without, []]] as const) {
      const one = await measureInits(set, 1, { env, nodeFlags: flags, cwd: dir });
      for (const [name, r] of Object.entries(one)) {
        samples[name] ??= { initMs: [], importMs: [] };
        samples[name].initMs.push(r.initMs);
        samples[name].importMs.push(r.importMs);
      }
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  for (const [name, s] of Object.entries(samples)) results[name] = { initMs: median(s.initMs), importMs: median(s.importMs) };
  const naive = results['naive reference']?.initMs ?? Number.NaN;
  console.log(`| variant | what | init, ms (median of ${runs}) | import, ms | ÷ naive |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, r] of Object.entries(results)) {
    const what = variants[name]?.what ?? 'esbuild defaults, CommonJS, loaded with require';
    console.log(`| ${name} | ${what} | ${r.initMs.toFixed(0)} | ${r.importMs.toFixed(0)} | ${(r.initMs / naive).toFixed(2)} |`);
  }
} finally {
  await server.stop();
}
