import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../project-root';

const run = promisify(execFile);

/** CLI version the project installs: the newest tag `go install` accepts (later tags carry a `replace`). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
/** Oldest Temporal server (as bundled in the CLI) whose dev server the project accepts from PATH. */
export const MIN_SERVER_VERSION = [1, 27, 0] as const;

/** Folder the project caches its Temporal CLI in; git-ignored. Override with `TEMPORAL_CLI_DIR`. */
export function temporalCliDir(): string {
  return process.env.TEMPORAL_CLI_DIR ?? join(PROJECT_ROOT, '.tools', `temporal-${TEMPORAL_CLI_VERSION}`);
}

/** Thrown when no Temporal CLI can be found or installed; says what to do instead. */
export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

/** Parses `temporal --version` output and tells whether its bundled server is new enough. */
export function isServerVersionSupported(versionOutput: string): boolean {
  const match = /Server (\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!match) return false;
  const found = match.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i += 1) {
    const a = found[i] ?? 0;
    const b = MIN_SERVER_VERSION[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

async function versionOf(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 15_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function findOnPath(): Promise<string | undefined> {
  const output = await versionOf('temporal');
  return output && isServerVersionSupported(output) ? 'temporal' : undefined;
}

async function installWithGo(dir: string, log: (line: string) => void): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${bin} (first run only, a few minutes)…`);
  await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod' },
    timeout: 30 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return join(bin, 'temporal');
}

async function installFromRelease(dir: string, log: (line: string) => void): Promise<string> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const cpu = arch() === 'x64' ? 'amd64' : arch();
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${os}&arch=${cpu}`;
  log(`Go not found; downloading the Temporal CLI v${TEMPORAL_CLI_VERSION} release archive…`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download of ${url} answered HTTP ${response.status}`);
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const archive = join(dir, 'temporal.tar.gz');
  await writeFile(archive, Buffer.from(await response.arrayBuffer()));
  await run('tar', ['-xzf', archive, '-C', bin, 'temporal']);
  await rm(archive);
  await chmod(join(bin, 'temporal'), 0o755);
  return join(bin, 'temporal');
}

async function hasGo(): Promise<boolean> {
  try {
    await run('go', ['version'], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a Temporal CLI or installs one, in this order: `TEMPORAL_CLI` if set; a `temporal` on PATH whose
 * server is new enough; the project's cached build; `go install` of v{@link TEMPORAL_CLI_VERSION} into the
 * cache; the official release archive. A second call finds the cached build and does not rebuild.
 *
 * @returns the command to run the CLI with
 * @throws TemporalCliUnavailableError when none of these work, saying how to provide one
 */
export async function ensureTemporalCli(log: (line: string) => void = () => undefined): Promise<string> {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  const onPath = await findOnPath();
  if (onPath) return onPath;
  const dir = temporalCliDir();
  const cachedBinary = join(dir, 'bin', 'temporal');
  if (existsSync(cachedBinary) && (await versionOf(cachedBinary))) return cachedBinary;
  try {
    return (await hasGo()) ? await installWithGo(dir, log) : await installFromRelease(dir, log);
  } catch (err) {
    throw new TemporalCliUnavailableError(
      `Could not install the Temporal CLI (${(err as Error).message.split('\n')[0]}). ` +
        `Install Go and run "npm run setup", or put a Temporal CLI (server ≥ ${MIN_SERVER_VERSION.join('.')}) ` +
        'on PATH, or set TEMPORAL_CLI to its path.',
    );
  }
}
