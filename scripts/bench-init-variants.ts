/**
 * `npx tsx scripts/bench-init-variants.ts [--runs N]`: what was tried for process-jobs' cold start. Builds
 * variants of the process-jobs probe (same entry, other esbuild settings or flags) and measures their init —
 * import + the module-scope Temporal client connected — in fresh `node` processes, round-robin, next to the
 * naive @temporalio/client bundle `npm run bench` uses as its reference. Prints a markdown table.
 * Run `npm run bench` (or `npm run build`) first: the naive bundle is the benchmark's.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
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
/**
 * The change recommended for `jobs/security/secret-source.ts`, applied at build time only (the file itself
 * is not touched): its AWS SDK clients imported with `await import()` inside `readSecret`, so a function
 * without secrets never evaluates them. When the file no longer reads as expected the variant is skipped.
 */
const LAZY_SDK_EDITS: readonly [string, string][] = [
  ["import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';", "import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';"],
  ["import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';", "import type { SSMClient } from '@aws-sdk/client-ssm';"],
  ['secretsManager ??= new SecretsManagerClient({});', "const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');\n      secretsManager ??= new SecretsManagerClient({});"],
  ['ssm ??= new SSMClient({});', "const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');\n    ssm ??= new SSMClient({});"],
];
let lazySdkApplies = true;
const lazySdk: Plugin = {
  name: 'lazy-aws-sdk',
  setup(b) {
    b.onLoad({ filter: /jobs[\\/]security[\\/]secret-source\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to] of LAZY_SDK_EDITS) {
        if (!contents.includes(from)) lazySdkApplies = false;
        contents = contents.replace(from, to);
      }
      return { contents, loader: 'ts' };
    });
  },
};

const variants: Record<string, { options: BuildOptions; ext?: string; flags?: boolean; what: string }> = {
  'as built': { options: {}, what: 'scripts/build/bundle-function.ts options, serverless.yml NODE_OPTIONS' },
  'no --enable-source-maps': { options: {}, flags: false, what: 'the same bundle, run without NODE_OPTIONS' },
  'AWS SDK clients imported lazily': { options: { plugins: [lazySdk] }, what: 'the recommended change to jobs/security/secret-source.ts, applied at build time' },
  'AWS SDK clients lazy and external': {
    options: { plugins: [lazySdk], external: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'] },
    what: 'the same, and left to the SDK the Lambda Node.js runtime ships',
  },
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
if (!lazySdkApplies) {
  console.log('(jobs/security/secret-source.ts no longer reads as expected: the lazy-import variant is left out)');
  delete bundles['AWS SDK clients imported lazily'];
  delete bundles['AWS SDK clients lazy and external'];
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
