/**
 * Makes the local stack's child processes die with the process that started them, however it ends: a clean
 * exit, a crash, or SIGKILL, which no handler of ours can see. One small guardian process per parent (see
 * `process-reaper-main.cjs`) holds the read end of a pipe from the parent; the kernel closes the pipe when the
 * parent is gone, and the guardian then SIGKILLs every child still adopted. Every spawn site of the local stack
 * (Temporal dev server, worker processes, Lambda containers, ElasticMQ, moto) adopts its child.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const REAPER_ENTRY = fileURLToPath(new URL('./process-reaper-main.cjs', import.meta.url));

/** Options of {@link adoptPid} and {@link adoptChild}. */
export interface AdoptOptions {
  /**
   * Kill the process's whole group too: for a child started with `detached: true`, which leads a group of its
   * own, so that whatever it started dies with it.
   * @default false
   */
  readonly group?: boolean;
}

/** pid → group flag of every process adopted and not yet released; sent again to a replacement guardian. */
const adopted = new Map<number, boolean>();
let reaper: ChildProcess | undefined;

function startReaper(): ChildProcess {
  const env = { ...process.env };
  // A loader such as tsx would only slow the guardian down; it is plain JavaScript.
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [REAPER_ENTRY], {
    env,
    stdio: ['pipe', 'ignore', 'inherit'],
    // Its own process group: a terminal's Ctrl-C must not end it before the graceful stop has run.
    detached: true,
  });
  // Neither the guardian nor the pipe keeps this process alive; the pipe closes when this process ends.
  child.unref();
  (child.stdin as Socket).unref();
  child.stdin?.on('error', () => undefined);
  child.once('exit', () => {
    if (reaper === child) reaper = undefined;
  });
  for (const [pid, group] of adopted) child.stdin?.write(`adopt ${pid} ${group ? 1 : 0}\n`);
  return child;
}

function tell(line: string): void {
  reaper ??= startReaper();
  reaper.stdin?.write(`${line}\n`);
}

/**
 * Has the guardian SIGKILL process `pid` (and its group, with `group`) as soon as this process is gone, for
 * whatever reason. Call the returned function once the process has ended, so that a later process given the
 * same pid is safe (on Linux the guardian also checks the process's start time).
 *
 * @returns release: the guardian forgets the process
 * @example
 * ```ts
 * const release = adoptPid(pid, { group: true });
 * // … once it has exited:
 * release();
 * ```
 */
export function adoptPid(pid: number, options: AdoptOptions = {}): () => void {
  const group = options.group ?? false;
  adopted.set(pid, group);
  tell(`adopt ${pid} ${group ? 1 : 0}`);
  return () => {
    if (adopted.delete(pid)) reaper?.stdin?.write(`release ${pid}\n`);
  };
}

/**
 * {@link adoptPid} for a child this process spawned, released when it exits. Call it right after `spawn` or
 * `fork`; a child that failed to spawn (no pid) is ignored.
 * @returns `child`, so that a spawn can be wrapped
 *
 * @example
 * ```ts
 * const child = spawn(cli, args, { detached: true });
 * adoptChild(child, { group: true });
 * ```
 */
export function adoptChild<T extends ChildProcess>(child: T, options: AdoptOptions = {}): T {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return child;
  const release = adoptPid(child.pid, options);
  child.once('exit', release);
  return child;
}
