import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/build/bundle-function';
import { eventSourceMappingLogicalId, queueLogicalIds } from '../../infra/cloudformation/logical-ids';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { PROJECT_ROOT } from '../../infra/project-root';
import { QUEUES } from '../../jobs/queues';
import type { QueueDefinition } from '../../jobs/queues';
import { cfnLint, cfnLintErrors } from '../helpers/cfn-lint';

const run = promisify(execFile);

/** The smallest valid zip (an end-of-central-directory record): osls copies the artifacts, never reads them. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

interface EventSourceMapping {
  Type: string;
  Properties: Record<string, unknown>;
}

/**
 * A queue that opts in to provisioned pollers and a batching window (jobs/queues.json `eventSource`), packaged
 * by osls exactly as `npm run package` would — serverless.yml and its files copied to a folder of their own, with
 * the stack generated from the opted-in definition — so the shipped stack is left alone. Checks what osls
 * writes and that cfn-lint takes it.
 */
describe('a queue in provisioned mode, packaged by osls', () => {
  let dir: string;
  let mappings: Record<string, EventSourceMapping>;
  let templateFile: string;
  const definition: QueueDefinition = {
    ...QUEUES.jobs,
    visibilityTimeoutSeconds: 200,
    eventSource: { maximumBatchingWindowSeconds: 2, provisionedPollers: { minimum: 2, maximum: 20 } },
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'provisioned-pollers-'));
    await mkdir(path.join(dir, 'infra', 'cloudformation'), { recursive: true });
    await mkdir(path.join(dir, '.build', 'infra'), { recursive: true });
    for (const file of [
      'serverless.yml',
      'infra/cloudformation/built-stack.cjs',
      'infra/cloudformation/parameters.yml',
      'infra/cloudformation/callback.yml',
    ]) {
      await copyFile(path.join(PROJECT_ROOT, file), path.join(dir, file));
    }
    for (const fn of FUNCTION_ENTRIES) await writeFile(path.join(dir, '.build', `${fn.name}.zip`), EMPTY_ZIP);
    const stack = buildStackResources({ jobs: definition });
    await writeFile(path.join(dir, '.build', 'infra', 'stack.json'), JSON.stringify(stack));
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) delete env[name];
    await run(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'osls'), ['package'], { cwd: dir, env, timeout: 60_000 }).catch(
      (err: { stdout?: string; stderr?: string }) => {
        throw new Error(`osls package failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      },
    );
    templateFile = path.join(dir, '.serverless', 'cloudformation-template-update-stack.json');
    const template = JSON.parse(await readFile(templateFile, 'utf8')) as { Resources: Record<string, EventSourceMapping> };
    mappings = Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping'));
  }, 90_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('gives the job queue’s event source ProvisionedPollerConfig and its window, without a maximum concurrency', () => {
    const id = eventSourceMappingLogicalId('processJobs', queueLogicalIds('jobs').queue);
    const p = mappings[id]?.Properties;
    expect(p, `${id} in ${Object.keys(mappings).join(', ')}`).toBeDefined();
    expect(p?.ProvisionedPollerConfig).toEqual({ MinimumPollers: 2, MaximumPollers: 20 });
    expect(p?.MaximumBatchingWindowInSeconds).toBe(2);
    // Provisioned mode and maximum concurrency are mutually exclusive on an SQS event source.
    expect(p).not.toHaveProperty('ScalingConfig');
  });

  it('leaves the dead-letter function’s event source in standard mode with the consumer’s settings', () => {
    const id = eventSourceMappingLogicalId('deadLetter', queueLogicalIds('jobs').deadLetter);
    const p = mappings[id]?.Properties;
    expect(p).not.toHaveProperty('ProvisionedPollerConfig');
    expect(p?.ScalingConfig).toEqual({ MaximumConcurrency: expect.any(Number) });
    expect(p?.MaximumBatchingWindowInSeconds).toBe(0);
  });

  it('passes cfn-lint with no errors', async () => {
    expect(cfnLintErrors(await cfnLint(templateFile)), 'cfn-lint errors').toBe('');
  }, 60_000);
});
