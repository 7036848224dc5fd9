import path from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from '../project-root';
import { writeFileAtomic } from '../write-file-atomic';
import { assertNoUnwantedPackages } from './bundle-contents';
import { builtinsViaRequire } from './builtins-via-require';
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
  { name: 'start-workflows', entry: 'functions/start-workflows.ts' },
  { name: 'start-workflow-http', entry: 'functions/start-workflow-http.ts' },
  { name: 'callback', entry: 'functions/callback.ts' },
];

/** Where bundles, zips and the generated stack resources go (git-ignored). */
export const BUILD_DIR = '.build';

/** esbuild target of the bundles; must match `provider.runtime` in `serverless.yml` (`nodejs24.x`). */
export const BUNDLE_TARGET = 'node24';

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

/**
 * Packages left out of the bundles because the Lambda runtime ships them (AWS SDK v3 in nodejs24.x). Only
 * clients that load lazily: the secret readers (bundled they cost ~60 ms of init and ~250 KiB of zip,
 * docs/benchmarks.md), SQS, used only to set the redelivery delay of records left on the queue, and S3, used
 * only when a payload is over the claim-check threshold (`jobs/payload-store/`).
 */
export const RUNTIME_PROVIDED = [
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-ssm',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-s3',
] as const;

/**
 * Gives an ES module bundle a real `require`: some dependencies are CommonJS and `require` Node built-ins,
 * which esbuild's shim can only do with a real `require` in scope; every built-in is loaded through it
 * ({@link builtinsViaRequire}).
 */
export const REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * The esbuild options every function is bundled with: a minified, tree-shaken ES module (handler
 * `index.handler`) with a source map of file and line numbers only (no sources: the map stays small and the
 * code stays out of the package). `outfile` is the caller's; `scripts/bench-init-variants.ts` builds its
 * variants from these too.
 */
export function functionBuildOptions(entry: string, root: string = PROJECT_ROOT): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
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
    plugins: [builtinsViaRequire()],
    logLevel: 'warning',
  };
}

/**
 * Bundles one function with {@link functionBuildOptions} into `.build/<name>/index.mjs` and its source map,
 * then zips exactly those two files into `.build/<name>.zip`. Each file appears by an atomic rename, so a
 * build running at the same time (`npm run dev` rebuilding while `npm run package` runs) never reads a
 * half-written one. Nothing is written when the bundle contains a package the functions must not load.
 * @throws UnwantedPackageError naming the package and the imports that brought it in
 */
export async function bundleFunction(fn: FunctionEntry, root: string = PROJECT_ROOT): Promise<BuiltFunction> {
  const bundlePath = path.join(root, BUILD_DIR, fn.name, 'index.mjs');
  const zipPath = path.join(root, BUILD_DIR, `${fn.name}.zip`);
  const { outputFiles, metafile } = await build({
    ...functionBuildOptions(fn.entry, root),
    outfile: bundlePath,
    write: false,
    metafile: true,
  });
  assertNoUnwantedPackages(fn.name, metafile);
  const output = (file: string): Uint8Array => {
    const found = outputFiles.find((o) => o.path === file);
    if (!found) throw new Error(`esbuild wrote no ${file}.`);
    return found.contents;
  };
  const code = output(bundlePath);
  const map = output(`${bundlePath}.map`);
  const zip = zipFiles([
    { name: 'index.mjs', data: Buffer.from(code) },
    { name: 'index.mjs.map', data: Buffer.from(map) },
  ]);
  await writeFileAtomic(`${bundlePath}.map`, map);
  await writeFileAtomic(bundlePath, code);
  await writeFileAtomic(zipPath, zip);
  return { name: fn.name, bundlePath, zipPath, bundleBytes: code.length, zipBytes: zip.length };
}
