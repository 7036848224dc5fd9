import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR, bundleFunction, FUNCTION_ENTRIES } from '../infra/build/bundle-function';
import type { BuiltFunction } from '../infra/build/bundle-function';
import { zipFiles } from '../infra/build/zip-files';
import { writeFileAtomic } from '../infra/write-file-atomic';

/** A bundle the benchmark measures or runs. */
export interface BenchBundle {
  /** Short name used in the results (`process-jobs`, `naive-client`, …). */
  readonly name: string;
  /** The file a Lambda runtime would import. */
  readonly bundlePath: string;
  /** The deployment zip holding it (what local containers run, unpacked). */
  readonly zipPath: string;
  /** Zip size in bytes (the deployment artifact, source map included when there is one). */
  readonly zipBytes: number;
  /** Sum of the files in the zip, in bytes. */
  readonly unzippedBytes: number;
  /** The code file alone, in bytes. */
  readonly codeBytes: number;
}

/** Everything the benchmark builds. */
export interface BenchBuild {
  /** The deployed functions, built as `npm run build` builds them (`.build/<name>/index.mjs`). */
  readonly functions: readonly BenchBundle[];
  /** Each deployed function's entry plus an export of `getTemporalClient`, for cold-start timing. */
  readonly probes: Readonly<Record<string, BenchBundle>>;
  /** A trivial handler, bundled like the functions. */
  readonly bare: BenchBundle;
  /** A file importing `@temporalio/client` and connecting, bundled with esbuild's defaults. */
  readonly naive: BenchBundle;
  /** The bench function run by the local Lambda runner. */
  readonly benchFunction: BenchBundle;
}

async function toBenchBundle(name: string, built: BuiltFunction): Promise<BenchBundle> {
  const map = await readFile(`${built.bundlePath}.map`);
  return {
    name,
    bundlePath: built.bundlePath,
    zipPath: built.zipPath,
    zipBytes: built.zipBytes,
    unzippedBytes: built.bundleBytes + map.length,
    codeBytes: built.bundleBytes,
  };
}

/**
 * The naive reference: `bundle` and `platform: 'node'` (the least that runs on Node), every other option
 * esbuild's default — CommonJS, no minification, no source map. Written by atomic rename like the real ones.
 */
async function buildNaive(root: string): Promise<BenchBundle> {
  const name = 'bench-naive-client';
  const bundlePath = path.join(root, BUILD_DIR, name, 'index.cjs');
  const { outputFiles } = await build({
    absWorkingDir: root,
    entryPoints: ['bench/functions/naive-client.ts'],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    logLevel: 'warning',
    write: false,
  });
  const code = outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild wrote no ${bundlePath}.`);
  const zip = zipFiles([{ name: 'index.cjs', data: Buffer.from(code) }]);
  const zipPath = path.join(root, BUILD_DIR, `${name}.zip`);
  await writeFileAtomic(zipPath, zip);
  await writeFileAtomic(bundlePath, code);
  return { name: 'naive-client', bundlePath, zipPath, zipBytes: zip.length, unzippedBytes: code.length, codeBytes: code.length };
}

/** Builds the deployed functions (as `npm run build` does), their probes, the two references and the bench function. */
export async function buildBench(root: string): Promise<BenchBuild> {
  const functions: BenchBundle[] = [];
  for (const fn of FUNCTION_ENTRIES) functions.push(await toBenchBundle(fn.name, await bundleFunction(fn, root)));
  const probes: Record<string, BenchBundle> = {};
  for (const fn of FUNCTION_ENTRIES) {
    const built = await bundleFunction({ name: `bench-probe-${fn.name}`, entry: `bench/functions/${fn.name}-probe.ts` }, root);
    probes[fn.name] = await toBenchBundle(fn.name, built);
  }
  const bare = await toBenchBundle(
    'bare-handler',
    await bundleFunction({ name: 'bench-bare-handler', entry: 'bench/functions/bare-handler.ts' }, root),
  );
  const benchFunction = await toBenchBundle(
    'bench-function',
    await bundleFunction({ name: 'bench-function', entry: 'bench/functions/bench-function.ts' }, root),
  );
  return { functions, probes, bare, naive: await buildNaive(root), benchFunction };
}
