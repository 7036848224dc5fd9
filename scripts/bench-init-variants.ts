/**
 * `npx tsx scripts/bench-init-variants.ts [--runs N]`: what was tried for process-jobs' cold start. Builds
 * variants of the process-jobs probe (same entry, other esbuild settings or flags) and measures their init —
 * import + the module-scope Temporal client connected — in fresh `node` processes, round-robin, next to the
 * naive @temporalio/client bundle `npm run bench` uses as its reference. Prints a markdown table. Under
 * Node ≥ 22.1 (the Lambda runtime's major: `npx tsx scripts/with-lambda-node.ts npx tsx
 * scripts/bench-init-variants.ts`) it also measures a pre-filled V8 compile cache.
 * Run `npm run bench` first: the naive bundle is the benchmark's.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
import { BUNDLE_TARGET, REQUIRE_BANNER } from './build/bundle-function';
import { measureInitOnce, measureInits } from '../bench/cold-start';
import { median } from '../bench/stats';
import { startBenchTemporalServer } from '../bench/temporal-server';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.build/bench-init-variants');

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

// Node ≥ 22.1 can keep V8's compiled code on disk (NODE_COMPILE_CACHE): a cache built once and shipped with
// the artifact would spare every cold start most of its compiling. Measured here with a cache filled by
// one run of the same bundle, on the Node that runs this script.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const compileCache = major > 22 || (major === 22 && minor >= 1) ? join(dir, 'compile-cache') : undefined;
const COMPILE_CACHE_VARIANT = 'V8 compile cache, filled beforehand';
const ALL_CHEAP_VARIANT = 'SDK lazy and external + compile cache + no source maps';

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
    const lean = bundles['AWS SDK clients lazy and external'];
    if (lean) {
      await measureInitOnce(lean, { env: cached, nodeFlags: [], cwd: dir });
      sets.push({ bundles: { [ALL_CHEAP_VARIANT]: lean }, flags: [], env: cached });
    }
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
  for (const [name, sample] of Object.entries(samples)) results[name] = { initMs: median(sample.initMs), importMs: median(sample.importMs) };
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
          ? 'the three changes that need no new client, together'
          : 'esbuild defaults, CommonJS, loaded with require');
    console.log(`| ${name} | ${what} | ${r.initMs.toFixed(0)} | ${r.importMs.toFixed(0)} | ${(r.initMs / naive).toFixed(2)} |`);
  }
} finally {
  await server.stop();
}
