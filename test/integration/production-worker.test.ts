import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createJobQueues } from '../../infra/local/create-queues';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { exited } from '../../infra/local/child-process';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { closeTemporalClient } from '../../functions/runtime/temporal-client';
import { greetHandler } from '../../functions/handlers/greet';
import { createSqsClient } from '../../jobs/sqs-client';
import { DEMO_WORKFLOW } from '../../worker/constants';
import { useGlobalServers } from '../helpers/test-env';

const run = promisify(execFile);

describe('npm run worker (pre-built workflow bundle, config from the environment)', () => {
  const sqs = createSqsClient();
  let runner: LambdaRunner | undefined;
  let connection: Connection;
  beforeAll(async () => {
    useGlobalServers();
    await run('npx', ['tsx', 'scripts/build-worker.ts']);
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '' });
  });
  afterAll(async () => {
    await runner?.stop();
    await connection?.close();
    await closeTemporalClient();
    sqs.destroy();
  });

  it('fails at start with every missing setting named', async () => {
    const result = await run('node', ['.build/worker/main.mjs'], { env: { PATH: process.env.PATH } }).catch((e: { stderr: string }) => e);
    expect((result as { stderr: string }).stderr).toMatch(/TEMPORAL_ADDRESS[\s\S]*JOB_QUEUE_URL_JOBS[\s\S]*JOB_SIGNING_KEYS_SECRET_ARN/);
  });

  it('serves the demo workflow and drains on SIGTERM', async () => {
    const queues = await createJobQueues(sqs, `prod-${randomUUID().slice(0, 6)}`);
    const taskQueue = `prod-${randomUUID()}`;
    const worker = spawn('node', ['.build/worker/main.mjs'], {
      env: { ...process.env, LOG_LEVEL: 'INFO', TEMPORAL_TASK_QUEUE: taskQueue, JOB_QUEUE_URL_JOBS: queues.jobs.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    worker.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    const handler = createSqsJobHandler({ jobs: [greetHandler], prewarm: false });
    runner = await startLambdaRunner({ sqs, queueUrl: queues.jobs.url, handler: handler as SqsLambdaHandler });
    const client = new Client({ connection });
    const result = await client.workflow.execute(DEMO_WORKFLOW, {
      taskQueue,
      workflowId: `prod-${randomUUID()}`,
      args: [{ name: 'Prod' }],
    });
    expect(result).toEqual({ greeting: 'Hello, Prod!', producedBy: 'lambda:process-jobs' });
    worker.kill('SIGTERM');
    await exited(worker);
    expect(worker.exitCode).toBe(0);
    expect(output).toContain('worker drained and stopped');
    // One line per job step, with the ids and never the token (issue 11, 13: it used to be a 14-line object).
    const dispatched = output.split('\n').filter((line) => line.includes('job dispatched'));
    expect(dispatched).toHaveLength(1);
    expect(JSON.parse(dispatched[0] as string)).toMatchObject({
      level: 'INFO',
      message: 'job dispatched',
      job: 'greet',
      activityId: '1',
      attempt: 1,
    });
    expect(dispatched[0]).not.toMatch(/taskToken/);
  });
});
