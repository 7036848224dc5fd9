import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited } from '../../infra/local/child-process';
import { outputWaiter } from '../helpers/process-output';
import { greetOnCall } from '../../jobs/triggers';

/**
 * `npm run trigger -- http …` through npm, against a real `npm run dev` (its own Temporal dev server, fauxqs, the
 * bundled HTTP starter behind its local Function URL, the worker): the script signs as the URL expects, prints the
 * workflow id and the workflow's result.
 */

const run = promisify(execFile);

/** The test run's own servers are in the environment; `npm run dev` must start its own. */
function ownServersEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'pretty' };
  for (const name of ['TEMPORAL_ADDRESS', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3']) delete env[name];
  return env;
}

describe('npm run trigger -- http', () => {
  let dev: ChildProcess | undefined;
  let output = '';
  let url = '';
  let temporalAddress = '';

  const waitFor = outputWaiter(
    () => output,
    () => dev,
  );

  /** `npm run trigger -- http <body> …` naming this dev environment's servers (the state file may be another's). */
  const trigger = (body: string, ...args: string[]) =>
    run('npm', ['run', '--silent', 'trigger', '--', 'http', body, '--url', url, ...args], {
      env: { ...ownServersEnv(), TEMPORAL_ADDRESS: temporalAddress },
      timeout: 90_000,
    });

  beforeAll(async () => {
    // Its own process group, so that the stop below reaches npm's child (the script) as a terminal's would.
    dev = spawn('npm', ['run', 'dev'], { env: ownServersEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    dev.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    dev.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(/watching functions/, 150_000);
    temporalAddress = (await waitFor(/Temporal\s+(127\.0\.0\.1:\d+)/, 1_000))[1] as string;
    url = (await waitFor(/startWorkflowHttp.*URL (http:\/\/127\.0\.0\.1:\d+) \(AWS_IAM\)/, 1_000))[1] as string;
  }, 180_000);

  afterAll(async () => {
    if (dev?.pid && dev.exitCode === null) {
      process.kill(-dev.pid, 'SIGTERM');
      await Promise.race([exited(dev), new Promise((r) => setTimeout(r, 25_000))]);
      if (dev.exitCode === null) process.kill(-dev.pid, 'SIGKILL');
    }
  }, 30_000);

  it('starts the workflow with a signed request, prints its id and result, and acknowledges the same request again', async () => {
    const requestId = `r-${randomUUID()}`;
    const body = JSON.stringify({ requestId, name: 'Ada' });
    const workflowId = `${greetOnCall.name}/key/${requestId}`;

    const first = await trigger(body);
    expect(first.stdout).toContain(`workflow ${workflowId} started (${greetOnCall.name}, HTTP 200)`);
    expect(first.stdout).toContain('"greeting": "Hello, Ada!"');

    const again = await trigger(body, '--no-wait');
    expect(again.stdout).toContain(`workflow ${workflowId} already started for this request (${greetOnCall.name}, HTTP 200)`);
    expect(again.stdout).not.toContain('Hello');
  });

  it('is what gets through: the same URL refuses an unsigned call', async () => {
    const response = await fetch(`${url}/${greetOnCall.name}`, { method: 'POST', body: JSON.stringify({ requestId: 'x', name: 'Ada' }) });
    expect(response.status).toBe(403);
  });
});
