import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../infra/build/bundle-function';
import { zipFiles } from '../../infra/build/zip-files';
import { LambdaContainerError, startLambdaContainer } from '../../infra/local/lambda-container';
import type { LambdaContainer, LambdaContainerOptions } from '../../infra/local/lambda-container';
import { forwardedLocalEnv, lambdaNodeFlags } from '../../infra/local/lambda-environment';
import { ensureLambdaNode, LAMBDA_NODE_VERSION } from '../../infra/local/lambda-node';
import { loadLocalFunctions } from '../../infra/local/local-functions';
import type { LocalFunction } from '../../infra/local/local-functions';
import { PROJECT_ROOT } from '../../infra/project-root';
import type { ProbeProcess } from '../fixtures/probe-function';

/** The process state letter of `/proc/<pid>/stat`: `T` stopped, `S` sleeping, `R` running. */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The state once a signal just sent has taken effect (delivery is asynchronous). */
async function settledState(pid: number): Promise<string> {
  for (let i = 0; i < 50 && processState(pid) !== 'T'; i += 1) await sleep(10);
  return processState(pid);
}

/**
 * A local Lambda container runs the function's zip as Lambda does: unpacked, by a bare `node` of the Lambda
 * runtime's version, with the handler named in serverless.yml, Lambda's environment and heap flags, an init
 * limit, and frozen between invocations.
 */
describe('a local Lambda container', () => {
  let fn: LocalFunction;
  const containers: LambdaContainer[] = [];
  const start = (overrides: Partial<LambdaContainerOptions> = {}): LambdaContainer => {
    const container = startLambdaContainer({
      artifact: fn.artifact,
      handler: fn.handler,
      functionName: fn.name,
      timeoutMs: fn.timeoutSeconds * 1000,
      memoryMb: fn.memoryMb,
      env: { ...forwardedLocalEnv(), ...fn.environment },
      ...overrides,
    });
    containers.push(container);
    return container;
  };
  const describeProcess = async (container: LambdaContainer): Promise<ProbeProcess> =>
    (await container.invoke({ probe: 'process' })) as ProbeProcess;

  beforeAll(async () => {
    await bundleFunction({ name: 'test-probe', entry: 'test/fixtures/probe-function.ts' });
    [fn] = (await loadLocalFunctions({ file: join(PROJECT_ROOT, 'test/fixtures/probe-serverless.yml') })) as [LocalFunction];
  });
  afterAll(async () => {
    await Promise.all(containers.map((c) => c.stop(1_000)));
  });

  it('runs the unpacked zip on plain node of the Lambda major, no loader, with the heap flags of its memory size', async () => {
    const container = start();
    await container.ready;
    const probe = await describeProcess(container);
    expect(probe.version.split('.')[0]).toBe(`v${LAMBDA_NODE_VERSION.split('.')[0]}`);
    expect(probe.execArgv).toEqual(lambdaNodeFlags(512));
    expect(probe.execArgv.join(' ')).not.toMatch(/--import|--loader|--require|tsx/);
    expect(probe.cwd).toMatch(/\/\.build\/local\/test-probe\/task-[0-9a-f]{16}$/);
    // NODE_OPTIONS from serverless.yml applies as an environment variable, as on Lambda.
    expect(probe.env.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(probe.sourceMapsEnabled).toBe(true);
  });

  it('sets Lambda’s reserved environment and the function’s own, and nothing else of this process’s', async () => {
    process.env.NOT_FOR_CONTAINERS = 'parent only';
    const container = start();
    delete process.env.NOT_FOR_CONTAINERS;
    const probe = await describeProcess(container);
    expect(probe.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'probe',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/probe',
      AWS_LAMBDA_LOG_STREAM_NAME: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      AWS_REGION: expect.any(String),
      AWS_DEFAULT_REGION: expect.any(String),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: probe.cwd,
      LAMBDA_RUNTIME_DIR: join(PROJECT_ROOT, '.build/local/runtime'),
      _HANDLER: 'index.handler',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: expect.stringMatching(/node-24\.\d+\.\d+\/node_modules\/node-[a-z0-9-]+\/bin:/),
      FROM_PROVIDER: 'yes-provider',
    });
    expect(probe.logStreamName).toBe(probe.env.AWS_LAMBDA_LOG_STREAM_NAME);
    expect(probe.env.NOT_FOR_CONTAINERS).toBeUndefined();
    expect(probe.env.VITEST).toBeUndefined();
  });

  it('sizes the V8 heap from memorySize', async () => {
    const small = start({ memoryMb: 256 });
    const large = start({ memoryMb: 2048 });
    const [s, l] = await Promise.all([describeProcess(small), describeProcess(large)]);
    const mb = (bytes: number): number => bytes / 2 ** 20;
    // Old space = memory − memory/10, plus the young generation V8 adds (a few semi-spaces of memory/20).
    expect(mb(s.heapSizeLimit)).toBeGreaterThanOrEqual(256 - 25);
    expect(mb(s.heapSizeLimit)).toBeLessThanOrEqual(256 * 1.25);
    expect(mb(l.heapSizeLimit)).toBeGreaterThanOrEqual(2048 - 204);
    expect(mb(l.heapSizeLimit)).toBeLessThanOrEqual(2048 * 1.25);
    // Exactly what a bare node of that version gets from Lambda's flags for that memory size.
    const node = join(ensureLambdaNode(), 'node');
    const limitWith = (memoryMb: number): number =>
      Number(execFileSync(node, [...lambdaNodeFlags(memoryMb), '-p', 'v8.getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
    expect(s.heapSizeLimit).toBe(limitWith(256));
    expect(l.heapSizeLimit).toBe(limitWith(2048));
    console.log(`heap_size_limit: 256 MB → ${mb(s.heapSizeLimit).toFixed(0)} MiB, 2048 MB → ${mb(l.heapSizeLimit).toFixed(0)} MiB`);
  });

  it('fails init when the handler’s file, a file it imports, or its export is not in the zip', async () => {
    const dir = join(PROJECT_ROOT, '.build', 'test-broken');
    await mkdir(dir, { recursive: true });
    const zip = async (name: string, files: Record<string, string>): Promise<string> => {
      const file = join(dir, `${name}.zip`);
      await writeFile(file, zipFiles(Object.entries(files).map(([n, code]) => ({ name: n, data: Buffer.from(code) }))));
      return file;
    };
    const noIndex = start({ artifact: await zip('test-broken-no-index', { 'other.mjs': 'export const handler = async () => 1;' }) });
    await expect(noIndex.ready).rejects.toThrow(/Runtime\.ImportModuleError: no index\.js, \.mjs or \.cjs in the task root/);
    const missingImport = start({
      artifact: await zip('test-broken-import', { 'index.mjs': "import { x } from './helper.mjs'; export const handler = async () => x;" }),
    });
    await expect(missingImport.ready).rejects.toThrow(/Cannot find module .*helper\.mjs/);
    const noExport = start({ artifact: await zip('test-broken-export', { 'index.mjs': 'export const other = async () => 1;' }) });
    await expect(noExport.ready).rejects.toThrow(/Runtime\.HandlerNotFound: index\.handler is undefined or not exported/);
    const cjs = start({ artifact: await zip('test-cjs', { 'index.cjs': 'exports.handler = async () => "from cjs";' }) });
    expect(await cjs.invoke({})).toBe('from cjs');
  });

  it('kills a container whose init overruns Lambda’s 10 s limit', async () => {
    const started = Date.now();
    const slow = start({ env: { ...fn.environment, PROBE_INIT_SLEEP_MS: '12000' } });
    await expect(slow.ready).rejects.toThrow(LambdaContainerError);
    await expect(slow.ready).rejects.toThrow(/did not initialise within Lambda's 10 s init limit/);
    const tookMs = Date.now() - started;
    await slow.exited;
    expect(tookMs).toBeGreaterThanOrEqual(10_000);
    expect(tookMs).toBeLessThan(11_500);
  }, 30_000);

  it('is frozen between invocations (its timers stand still), runs again at the next, and the timeout counts from the thaw', async () => {
    const container = start({ timeoutMs: 1_000 });
    await container.ready;
    const pid = container.pid as number;
    expect(await settledState(pid)).toBe('T');
    const first = await describeProcess(container);
    expect(await settledState(pid)).toBe('T');
    expect(container.frozen).toBe(true);
    // Frozen longer than the function timeout: neither the timeout nor the module's 100 ms interval runs.
    await sleep(1_500);
    expect(await settledState(pid)).toBe('T');
    const second = await describeProcess(container);
    expect(second.invocation).toBe(first.invocation + 1);
    expect(second.ticks - first.ticks).toBeLessThanOrEqual(2);
    expect(second.remainingMs).toBeGreaterThan(800);
    expect(await settledState(pid)).toBe('T');
  });

  it('runs on when freezing is off', async () => {
    const container = start({ freeze: false });
    const first = await describeProcess(container);
    await sleep(1_000);
    expect(processState(container.pid as number)).not.toBe('T');
    const second = await describeProcess(container);
    expect(second.ticks - first.ticks).toBeGreaterThanOrEqual(7);
  });

  it('stops gracefully while frozen: SIGTERM reaches it, no SIGKILL needed', async () => {
    const container = start();
    await describeProcess(container);
    expect(await settledState(container.pid as number)).toBe('T');
    const started = Date.now();
    await container.stop(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
