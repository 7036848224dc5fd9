import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { QueueName } from '../../jobs/queues';
import { queueUrlVariable } from '../../worker/config';
import { isWorkerReady } from '../../worker/launch-protocol';
import { bundleWorker, WORKER_BUILD } from '../build/bundle-worker';
import { PROJECT_ROOT, projectPath } from '../project-root';
import { exited, stopChild } from './child-process';
import { adoptChild } from './process-reaper';

/** Options of {@link launchWorkerProcess}. */
export interface WorkerLaunchOptions {
  /** Name in error messages, e.g. `the bench worker`. */
  readonly name: string;
  /** The worker's entry module; a `.ts` entry runs through tsx. */
  readonly entry: string;
  /** Environment of the worker, on top of this process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Node flags besides tsx's. @default none */
  readonly nodeFlags?: readonly string[];
  /** The `node` binary to run it on. @default this process's (`process.execPath`) */
  readonly execPath?: string;
  /**
   * Where its stdout and stderr go. `pipe` leaves stdout to the caller (`child.stdout`) and keeps the end of
   * stderr for the error when start-up fails.
   * @default 'inherit'
   */
  readonly output?: 'inherit' | 'ignore' | 'pipe';
  /** A process group of its own: a terminal's Ctrl-C then reaches only this process, which drains the worker. @default false */
  readonly detached?: boolean;
  /** Longest to wait for the worker to poll. @default 120000 */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts a worker in a process of its own (with an IPC channel) and resolves once it announces that it polls
 * (`announceWorkerReady` in `worker/launch-protocol.ts`). The one way the local stack, the bench and the tests
 * start worker processes.
 * @throws Error when the worker exits or stays silent first; the process is then stopped
 */
export async function launchWorkerProcess(options: WorkerLaunchOptions): Promise<ChildProcess> {
  const output = options.output ?? 'inherit';
  const child = fork(options.entry, [], {
    cwd: PROJECT_ROOT,
    ...(options.execPath ? { execPath: options.execPath } : {}),
    execArgv: [...(options.entry.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', output, output, 'ipc'],
    detached: options.detached ?? false,
  });
  adoptChild(child, { group: options.detached ?? false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  try {
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} did not start polling within ${timeoutMs} ms.`)), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited during start-up (${signal ?? `code ${code}`})${stderr ? `: ${stderr}` : '.'}`));
      });
      const onMessage = (message: unknown): void => {
        if (!isWorkerReady(message)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolveReady();
      };
      child.on('message', onMessage);
    });
  } catch (err) {
    await stopChild(child, 2_000);
    throw err;
  }
  return child;
}

/** Options of {@link startWorkerProcess}. */
export interface WorkerProcessOptions {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  /** @default the worker's own default task queue */
  readonly taskQueue?: string;
  /** Worker log level (`LOG_LEVEL`). @default this process's LOG_LEVEL, else INFO */
  readonly logLevel?: string;
  /** Where the worker's output goes. @default inherit */
  readonly stdio?: 'inherit' | 'ignore';
}

/** The production worker (`.build/worker/main.mjs`) running as a child process. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** Rebuilds the worker and restarts it (watch mode). */
  restart(): Promise<void>;
  /** SIGTERM: the worker drains and exits. */
  stop(): Promise<void>;
}

/** Builds the worker ahead of time and starts it as `npm run worker` would, configured for the local stack; resolves once it polls. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
    ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
  };
  for (const [queue, url] of Object.entries(options.queueUrls)) env[queueUrlVariable(queue as QueueName)] = url;
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    await bundleWorker();
    child = await launchWorkerProcess({
      name: 'the worker',
      entry: projectPath(WORKER_BUILD.entry),
      nodeFlags: ['--enable-source-maps'],
      env,
      output: options.stdio ?? 'inherit',
      // Own process group: a terminal's Ctrl-C goes to the dev environment, which then drains the worker.
      detached: true,
    });
  };
  await launch();
  return {
    get pid() {
      return child.pid;
    },
    restart: async () => {
      await stopChild(child, 15_000);
      await launch();
    },
    stop: async () => {
      await stopChild(child, 15_000);
      await exited(child);
    },
  };
}
