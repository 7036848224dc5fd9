import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { zipFiles } from './zip-files';

/** A Lambda function to bundle: its name (also its folder and zip name under `.build/`) and entry module. */
export interface FunctionEntry {
  /** Kebab-case name; `serverless.yml` points each function's `package.artifact` at `.build/<name>.zip`. */
  readonly name: string;
  /** TypeScript module exporting `handler`. */
  readonly entry: string;
}

/** The functions `serverless.yml` deploys. */
export const FUNCTION_ENTRIES: readonly FunctionEntry[] = [
  { name: 'process-jobs', entry: 'functions/process-jobs.ts' },
  { name: 'dead-letter', entry: 'functions/dead-letter.ts' },
];

/** Where bundles, zips and the generated stack resources go (git-ignored). */
export const BUILD_DIR = '.build';

/** esbuild target of the bundles; must match `provider.runtime` in `serverless.yml` (`nodejs22.x`). */
export const BUNDLE_TARGET = 'node22';

/** What {@link bundleFunction} wrote. */
export interface BuiltFunction {
  readonly name: string;
  /** `.build/<name>/index.mjs` */
  readonly bundlePath: string;
  /** `.build/<name>.zip`: `index.mjs` and its source map. */
  readonly zipPath: string;
  readonly bundleBytes: number;
  readonly zipBytes: number;
}

// Some dependencies are CommonJS and call `require` for Node built-ins; in an ES module bundle esbuild's
// shim needs a real `require` in scope to do that.
/**
 * Packages left out of the bundles because the Lambda runtime ships them (AWS SDK v3 in nodejs22.x). Only
 * clients that load lazily: the secret readers (bundled they cost ~60 ms of init and ~250 KiB of zip,
 * docs/benchmarks.md) and SQS, used only to set the redelivery delay of records left on the queue.
 */
export const RUNTIME_PROVIDED = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-sqs'] as const;

/** Gives an ES module bundle a real `require` for CommonJS dependencies that load Node built-ins. */
export const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Bundles one function into a minified, tree-shaken ES module (`index.mjs`, handler `index.handler`) with a
 * source map (file and line numbers only, no sources: the map stays small and the code stays out of the
 * package), then zips exactly those two files. Each file appears by an atomic rename, so a build running at
 * the same time (`npm run dev` rebuilding while `npm run package` runs) never reads a half-written one.
 */
export async function bundleFunction(fn: FunctionEntry, root: string): Promise<BuiltFunction> {
  const outDir = path.join(root, BUILD_DIR, fn.name);
  const workDir = path.join(root, BUILD_DIR, `.${fn.name}-${randomUUID()}`);
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [fn.entry],
      outfile: path.join(workDir, 'index.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: BUNDLE_TARGET,
      // ES module builds first: esbuild tree-shakes them far better than CommonJS (the AWS SDK's clients
      // shrink by half), which keeps each zip well under 1 MB.
      mainFields: ['module', 'main'],
      external: [...RUNTIME_PROVIDED],
      minify: true,
      treeShaking: true,
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      banner: { js: REQUIRE_BANNER },
      logLevel: 'warning',
    });
    const code = await readFile(path.join(workDir, 'index.mjs'));
    const map = await readFile(path.join(workDir, 'index.mjs.map'));
    const zip = zipFiles([
      { name: 'index.mjs', data: code },
      { name: 'index.mjs.map', data: map },
    ]);
    await writeFile(path.join(workDir, 'function.zip'), zip);
    const bundlePath = path.join(outDir, 'index.mjs');
    const zipPath = path.join(root, BUILD_DIR, `${fn.name}.zip`);
    await mkdir(outDir, { recursive: true });
    await rename(path.join(workDir, 'index.mjs.map'), `${bundlePath}.map`);
    await rename(path.join(workDir, 'index.mjs'), bundlePath);
    await rename(path.join(workDir, 'function.zip'), zipPath);
    return { name: fn.name, bundlePath, zipPath, bundleBytes: code.length, zipBytes: zip.length };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
