import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../infra/project-root';

const run = promisify(execFile);

/** Where `osls package` writes the templates and its state. */
export const PACKAGE_DIR = path.join(PROJECT_ROOT, '.serverless');

/** The template osls deploys to the stack: every resource, output and parameter. */
export const UPDATE_TEMPLATE = path.join(PACKAGE_DIR, 'cloudformation-template-update-stack.json');

/** The template osls creates the stack with on a first deploy: only its deployment bucket. */
export const CREATE_TEMPLATE = path.join(PACKAGE_DIR, 'cloudformation-template-create-stack.json');

/** What `npm run package` produced, as osls deploy reads it back from `.serverless/`. */
export interface PackagedService {
  /** `cloudformation-template-create-stack.json`: the stack's first version (the deployment bucket). */
  readonly createTemplate: CloudFormationTemplate;
  /** `cloudformation-template-update-stack.json`: the whole service. */
  readonly updateTemplate: CloudFormationTemplate;
  /** The stack name osls deploys to (`provider.stackName`). */
  readonly stackName: string;
  /** The region the service was packaged for. */
  readonly region: string;
  /** The S3 key prefix of this package's uploads in the deployment bucket (`package.artifactDirectoryName`). */
  readonly artifactDirectoryName: string;
  /** Each function's zip on disk, keyed by its name in `serverless.yml`. */
  readonly artifacts: Readonly<Record<string, string>>;
}

/** A CloudFormation template as JSON, loosely typed: tests pick what they check. */
export interface CloudFormationTemplate {
  readonly Parameters?: Record<string, { Type: string; Default?: string; AllowedPattern?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

interface ServerlessState {
  service: { provider: { stackName?: string; region: string }; functions: Record<string, { package?: { artifact?: string } }> };
  package: { artifactDirectoryName: string };
}

/** How long a packaging may hold the lock before another test file takes it over. */
const STALE_LOCK_MS = 180_000;

/** Across test files (separate processes) of one worktree: a lock directory and the run that last packaged. */
function lockPaths(): { lock: string; stamp: string } {
  const id = createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 12);
  const base = path.join(tmpdir(), `temporal-lambda-async-package-${id}`);
  return { lock: `${base}.lock`, stamp: `${base}.run` };
}

/** The environment without AWS credentials: packaging must work offline, as `npm run package` promises. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) delete env[name];
  return env;
}

/** Whether the lock's holder is gone: its process ended (a killed run), or it has held the lock too long. */
async function lockIsStale(lock: string): Promise<boolean> {
  const held = await stat(lock).catch(() => undefined);
  if (!held) return false;
  if (Date.now() - held.mtimeMs > STALE_LOCK_MS) return true;
  const pid = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function withPackageLock<T>(action: () => Promise<T>): Promise<T> {
  const { lock } = lockPaths();
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await lockIsStale(lock)) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await action();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function currentRunId(): string | undefined {
  try {
    return inject('testRunId');
  } catch {
    return undefined;
  }
}

/**
 * Packages the service as `npm run package` does (build, then `osls package`, offline, with no AWS credentials
 * in the environment) once per test run, and reads back what it wrote. Test files that call it in the same
 * `vitest run` share one packaging: the first packages under a lock, the others wait for it and reuse it
 * (two packagings at once would overwrite each other's `.build/` and `.serverless/`).
 * @throws Error with the output of `npm run package` when packaging fails
 */
export async function packageService(): Promise<PackagedService> {
  const runId = currentRunId();
  await withPackageLock(async () => {
    const { stamp } = lockPaths();
    const packagedBy = await readFile(stamp, 'utf8').catch(() => '');
    const template = await stat(UPDATE_TEMPLATE).catch(() => undefined);
    if (runId !== undefined && packagedBy === runId && template) return;
    await rm(stamp, { force: true });
    await run('npm', ['run', 'package'], { cwd: PROJECT_ROOT, env: offlineEnv(), timeout: 110_000, maxBuffer: 16 * 1024 * 1024 }).catch(
      (err: { stdout?: string; stderr?: string }) => {
        throw new Error(`npm run package failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      },
    );
    if (runId !== undefined) await writeFile(stamp, runId);
  });
  return readPackagedService();
}

async function readPackagedService(): Promise<PackagedService> {
  const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;
  const state = await readJson<ServerlessState>(path.join(PACKAGE_DIR, 'serverless-state.json'));
  const artifacts = Object.fromEntries(
    Object.entries(state.service.functions).map(([name, fn]) => {
      const artifact = fn.package?.artifact;
      if (!artifact) throw new Error(`serverless.yml: function ${name} has no package.artifact; the deploy test needs its zip.`);
      return [name, path.resolve(PROJECT_ROOT, artifact)];
    }),
  );
  const stackName = state.service.provider.stackName;
  if (!stackName) throw new Error('serverless.yml sets no provider.stackName; the tests read the stack name from it.');
  return {
    createTemplate: await readJson<CloudFormationTemplate>(CREATE_TEMPLATE),
    updateTemplate: await readJson<CloudFormationTemplate>(UPDATE_TEMPLATE),
    stackName,
    region: state.service.provider.region,
    artifactDirectoryName: state.package.artifactDirectoryName,
    artifacts,
  };
}
