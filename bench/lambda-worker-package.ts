import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR } from '../infra/build/bundle-function';
import { zipFiles } from '../infra/build/zip-files';
import type { ZipEntry } from '../infra/build/zip-files';
import { writeFileAtomic } from '../infra/write-file-atomic';
import type { BenchBundle } from './build-bench';

/** The one native target the local containers (and an x86_64 Lambda) load; other platforms' binaries stay out. */
const NATIVE_TARGET = 'x86_64-unknown-linux-gnu';

/**
 * Files of an installed package that a deployment leaves out: the core bridge's Rust sources and build
 * scripts (it ships a prebuilt binary per platform) and the prebuilt binaries of other platforms.
 */
function leftOut(pkg: string, relative: string): boolean {
  if (pkg !== '@temporalio/core-bridge') return false;
  const top = relative.split('/')[0];
  if (top === 'sdk-core' || top === 'src' || top === 'bridge-macros' || top === 'scripts' || top?.startsWith('Cargo')) return true;
  return top === 'releases' && !relative.startsWith(`releases/${NATIVE_TARGET}/`);
}

/** The package's production dependency closure, as npm installs it (hoisted, from this project's `node_modules`). */
export function dependencyClosure(root: string, from: string): string[] {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    let pkg: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8')) as typeof pkg;
    } catch {
      continue; // an optional dependency for another platform, not installed here
    }
    seen.add(name);
    queue.push(...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }));
  }
  return [...seen].sort();
}

function filesOf(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...filesOf(dir, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

/**
 * Packages the lambda-worker function the way a Lambda zip with dependencies is laid out: the handler,
 * bundled by esbuild with every package left external (`index.mjs`), next to a `node_modules` holding
 * `@temporalio/lambda-worker`'s production dependency closure — the whole worker, webpack included, which the
 * worker loads eagerly — and the core bridge's native binary for x86_64 Linux only. A single bundle does not
 * work: the core bridge finds its binary by a path relative to its own file.
 */
export async function buildLambdaWorkerFunction(root: string): Promise<BenchBundle & { readonly packages: number }> {
  const name = 'bench-lambda-worker';
  const bundlePath = path.join(root, BUILD_DIR, name, 'index.mjs');
  const { outputFiles } = await build({
    absWorkingDir: root,
    entryPoints: ['bench/functions/lambda-worker.ts'],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    logLevel: 'warning',
    write: false,
  });
  const code = outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild wrote no ${bundlePath}.`);
  const entries: ZipEntry[] = [{ name: 'index.mjs', data: Buffer.from(code) }];
  const packages = dependencyClosure(root, '@temporalio/lambda-worker');
  let unzippedBytes = code.length;
  for (const pkg of packages) {
    const dir = path.join(root, 'node_modules', pkg);
    for (const relative of filesOf(dir)) {
      if (leftOut(pkg, relative)) continue;
      const file = path.join(dir, relative);
      unzippedBytes += statSync(file).size;
      entries.push({ name: `node_modules/${pkg}/${relative}`, data: readFileSync(file) });
    }
  }
  const zip = zipFiles(entries);
  const zipPath = path.join(root, BUILD_DIR, `${name}.zip`);
  await writeFileAtomic(zipPath, zip);
  await writeFileAtomic(bundlePath, code);
  return {
    name: 'lambda-worker',
    bundlePath,
    zipPath,
    zipBytes: zip.length,
    unzippedBytes,
    codeBytes: code.length,
    packages: packages.length,
  };
}
