import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exited } from '../../infra/local/child-process';
import { DEV_STATE_FILE } from '../../infra/local/dev-state';
import { outputWaiter } from '../helpers/process-output';
import { ensureTemporalCli } from '../../infra/local/temporal-cli';
import { DEMO_WORKFLOW, TASK_QUEUE } from '../../worker/constants';

const run = promisify(execFile);

/** Every descendant pid of `pid`, from /proc via ps. */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run dev', () => {
  let dev: ChildProcess | undefined;
  let output = '';
  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      dev.kill('SIGKILL');
      await exited(dev);
    }
  });

  const waitFor = outputWaiter(
    () => output,
    () => dev,
  );

  it('starts everything, serves a job started with the temporal CLI, reloads on change, and stops on SIGTERM leaving nothing behind', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'pretty' };
    for (const name of ['TEMPORAL_ADDRESS', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL']) delete env[name];
    dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    dev.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    dev.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(/watching functions/, 120_000);
    const address = (await waitFor(/Temporal\s+(127\.0\.0\.1:\d+)/, 1_000))[1] as string;
    expect(output).toMatch(/Temporal Web UI http:\/\/127\.0\.0\.1:\d+/);
    // Two Function URLs on loopback ports: the callback function's, open (its URLs' HMAC authenticates), and the HTTP starter's.
    expect(output).toMatch(/function callback .* URL http:\/\/127\.0\.0\.1:\d+\/<token>\[\/fail\|\/heartbeat\] \(NONE\)/);
    expect(output).toMatch(/function startWorkflowHttp .* URL http:\/\/127\.0\.0\.1:\d+ \((AWS_IAM|NONE)\)/);

    const cli = await ensureTemporalCli();
    const { stdout } = await run(
      cli,
      [
        'workflow',
        'execute',
        '--address',
        address,
        '--task-queue',
        TASK_QUEUE,
        '--type',
        DEMO_WORKFLOW,
        '--workflow-id',
        `cli-${Date.now()}`,
        '--input',
        '{"name":"Ada"}',
      ],
      { timeout: 60_000 },
    );
    expect(stdout).toContain('Hello, Ada!');
    expect(stdout).toContain('lambda:process-jobs');

    // A 5 MiB input from a file, by hand as in the README: it travels through the payload bucket on fauxqs' S3.
    // The state file (it may hold the run's throwaway HMAC secret) is readable by its owner only.
    expect(statSync(DEV_STATE_FILE).mode & 0o777).toBe(0o600);

    const [, bucket, s3Endpoint] = /S3 payloads\s+(\S+) on (http:\/\/127\.0\.0\.1:\d+)/.exec(output) ?? [];
    expect(bucket).toBeTruthy();
    const inputFile = join(mkdtempSync(join(tmpdir(), 'job-input-')), 'big.json');
    writeFileSync(inputFile, JSON.stringify({ name: 'Ada'.padEnd(5 * 1024 * 1024, '.') }));
    const jobEnv: NodeJS.ProcessEnv = { ...env, PATH: process.env.PATH };
    // This dev environment's servers, named: other tests run `npm run dev` at the same time, and the state file
    // that `npm run job` reads by default belongs to whichever started first.
    Object.assign(jobEnv, { TEMPORAL_ADDRESS: address, PAYLOAD_BUCKET: bucket, AWS_ENDPOINT_URL_S3: s3Endpoint });
    jobEnv.AWS_REGION ??= 'us-east-1';
    jobEnv.AWS_ACCESS_KEY_ID ??= 'local';
    jobEnv.AWS_SECRET_ACCESS_KEY ??= 'local';
    const job = await run(process.execPath, ['--import', 'tsx', 'scripts/job.ts', 'greet', '--input-file', inputFile], {
      env: jobEnv,
      timeout: 90_000,
      maxBuffer: 1024 * 1024,
    });
    expect(job.stdout).toMatch(/input: 5242\d{3} bytes from/);
    expect(job.stdout).toContain('"greeting": "Hello, Ada...');
    expect(job.stdout).toMatch(/characters in all/);

    utimesSync('functions/handlers/greet.ts', new Date(), new Date());
    await waitFor(/functions reloaded/, 60_000);
    utimesSync('worker/workflows.ts', new Date(), new Date());
    await waitFor(/worker reloaded/, 60_000);

    const tree = await descendants(dev.pid ?? -1);
    expect(tree.length).toBeGreaterThanOrEqual(3);
    dev.kill('SIGTERM');
    await exited(dev);
    expect(dev.exitCode).toBe(0);
    expect(output).toMatch(/\[dev\] stopped/);
    // Helpers such as esbuild's service process end when their parent's pipes close: give them a moment.
    const deadline = Date.now() + 10_000;
    while (tree.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(tree.filter(alive)).toEqual([]);
  }, 240_000);
});
