import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureLambdaNode } from '../infra/local/lambda-node';
import { median } from './stats';

/** One fresh process's figures, ms since the process started unless said otherwise. */
export interface InitSample {
  /** Node's own start-up, up to the first line of the probe. */
  readonly bootMs: number;
  /** `import()` of the bundle: parse, compile and run module scope. */
  readonly importMs: number;
  /** From the start of the import until the module-scope Temporal client is connected and ready to call. */
  readonly initMs: number;
  /** Spawn to exit as seen by the parent. */
  readonly processMs: number;
  /** Resident set size once ready, bytes. */
  readonly rssBytes: number;
}

/** Medians over the fresh processes of one bundle. */
export interface InitResult {
  readonly runs: number;
  readonly bootMs: number;
  readonly importMs: number;
  readonly initMs: number;
  readonly processMs: number;
  readonly rssBytes: number;
  readonly samples: readonly InitSample[];
}

/**
 * Runs in a fresh `node`: loads the bundle as Lambda's Node.js runtime would (an ES module with `import()`,
 * a CommonJS file with `require`, which spares it the export scan `import()` of CommonJS does), awaits its
 * `getTemporalClient()` (a bundle that connects at module scope hands back that same connection) and prints
 * the timings as one JSON line.
 */
const PROBE = `
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const file = resolve(process.argv[1]);
const t0 = performance.now();
const mod = file.endsWith('.cjs') ? createRequire(import.meta.url)(file) : await import(pathToFileURL(file).href);
const imported = performance.now();
const get = mod.getTemporalClient ?? mod.default?.getTemporalClient;
if (typeof get !== 'function') throw new Error(file + ' exports no getTemporalClient');
await get();
const ready = performance.now();
process.stdout.write(JSON.stringify({ bootMs: t0, importMs: imported - t0, initMs: ready - t0, rssBytes: process.memoryUsage().rss }) + '\\n');
process.exit(0);
`;

/** Options of {@link measureInit}. */
export interface MeasureInitOptions {
  /** Environment of the fresh process (`TEMPORAL_ADDRESS`, …), on top of this one's. */
  readonly env: Readonly<Record<string, string>>;
  /** Node flags, e.g. `--enable-source-maps` as `serverless.yml` sets in `NODE_OPTIONS`. */
  readonly nodeFlags?: readonly string[];
  /** Extra flags for this one process, e.g. `--cpu-prof`. */
  readonly extraFlags?: readonly string[];
  readonly cwd?: string;
}

/**
 * Starts one fresh `node` process of the Lambda runtime's version (whatever Node runs the bench) on
 * `bundlePath` and returns what it measured.
 */
export function measureInitOnce(bundlePath: string, options: MeasureInitOptions): Promise<InitSample> {
  const node = join(ensureLambdaNode(), 'node');
  const started = performance.now();
  return new Promise((resolveSample, reject) => {
    const child = spawn(
      node,
      [...(options.nodeFlags ?? []), ...(options.extraFlags ?? []), '--input-type=module', '-e', PROBE, bundlePath],
      {
        env: { ...process.env, NODE_OPTIONS: '', ...options.env },
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`init probe of ${bundlePath} failed (code ${code}): ${err.slice(-1500)}`));
        return;
      }
      const parsed = JSON.parse(line) as Omit<InitSample, 'processMs'>;
      resolveSample({ ...parsed, processMs: performance.now() - started });
    });
  });
}

/**
 * Measures the init of several bundles, `runs` fresh processes each, round-robin (bundle A, B, C, A, B, C…)
 * so that a slow moment of the machine lands on every bundle alike. Returns medians per bundle.
 */
export async function measureInits(
  bundles: Readonly<Record<string, string>>,
  runs: number,
  options: MeasureInitOptions,
): Promise<Record<string, InitResult>> {
  const samples: Record<string, InitSample[]> = Object.fromEntries(Object.keys(bundles).map((k) => [k, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const [name, path] of Object.entries(bundles)) samples[name]?.push(await measureInitOnce(path, options));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        runs: list.length,
        bootMs: median(list.map((s) => s.bootMs)),
        importMs: median(list.map((s) => s.importMs)),
        initMs: median(list.map((s) => s.initMs)),
        processMs: median(list.map((s) => s.processMs)),
        rssBytes: median(list.map((s) => s.rssBytes)),
        samples: list,
      },
    ]),
  );
}
