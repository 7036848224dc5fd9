import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { QueueName } from '../../jobs/queues';
import { bundleWorker, WORKER_BUILD } from '../build/bundle-worker';
import { queueUrlVariable } from '../../worker/config';
import { exited, stopChild } from './child-process';

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

/** Builds the worker ahead of time and starts it as `npm run worker` would, configured for the local stack. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
    ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
  };
  for (const [queue, url] of Object.entries(options.queueUrls)) env[queueUrlVariable(queue as QueueName)] = url;
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    await bundleWorker();
    child = spawn(process.execPath, ['--enable-source-maps', WORKER_BUILD.entry], {
      env,
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
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
