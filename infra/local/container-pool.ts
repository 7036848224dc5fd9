import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './child-process';
import type { FromContainer, ToContainer } from './lambda-container';

const CONTAINER_ENTRY = fileURLToPath(new URL('./lambda-container.ts', import.meta.url));

/** Options of {@link createContainerPool}. */
export interface ContainerPoolOptions {
  /** Path of the bundled function (`index.mjs`), the same file `npm run package` zips. */
  readonly bundle: string;
  readonly functionName: string;
  /** Function timeout; an invocation still running then is killed with its container, as on Lambda. */
  readonly timeoutMs: number;
  /** @default 1024 */
  readonly memoryMb?: number;
  /** Most containers at once (the event source's maximumConcurrency). */
  readonly maxContainers: number;
  /** Environment of the containers, on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown when an invocation outlives the function timeout. */
export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/** Thrown when a container fails to load its bundle or dies mid-invocation. */
export class LambdaContainerError extends Error {
  override readonly name = 'LambdaContainerError';
}

/** Counters of a pool, for tests and the live view. */
export interface ContainerPoolStats {
  containersStarted: number;
  invocations: number;
  timeouts: number;
  /** Init time (bundle import) of every container started, ms. */
  readonly initMs: number[];
}

/** Local Lambda containers of one function: one process each, reused while warm. */
export interface ContainerPool {
  /** Runs one invocation in a warm container, or a new one while fewer than `maxContainers` exist. */
  invoke(event: unknown): Promise<unknown>;
  /** Retires every container (after its invocation in flight); the next invocations start fresh ones. */
  recycle(): void;
  /** pids of the live containers. */
  pids(): number[];
  readonly stats: ContainerPoolStats;
  /** Stops every container; invocations in flight are allowed to finish up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

interface Container {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  busy: boolean;
  retired: boolean;
}

/** Creates a pool of local Lambda containers for one bundled function. */
export function createContainerPool(options: ContainerPoolOptions): ContainerPool {
  const containers = new Set<Container>();
  const waiting: ((c: Container) => void)[] = [];
  const stats: ContainerPoolStats = { containersStarted: 0, invocations: 0, timeouts: 0, initMs: [] };
  let nextId = 0;
  let stopped = false;

  const remove = (container: Container): void => {
    containers.delete(container);
    if (container.child.exitCode === null && container.child.signalCode === null) container.child.kill('SIGKILL');
    const next = waiting.shift();
    if (next) void acquire().then(next);
  };

  const start = (): Container => {
    const child = fork(CONTAINER_ENTRY, [], {
      execArgv: ['--import', 'tsx', '--enable-source-maps'],
      env: { ...process.env, ...options.env, AWS_LAMBDA_FUNCTION_NAME: options.functionName },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    stats.containersStarted += 1;
    const ready = new Promise<void>((resolveReady, reject) => {
      const onMessage = (message: FromContainer): void => {
        if (message.type === 'ready') {
          stats.initMs.push(message.initMs);
          child.off('message', onMessage);
          resolveReady();
        } else if (message.type === 'init-error') {
          child.off('message', onMessage);
          reject(new LambdaContainerError(`${options.functionName} failed to initialise: ${message.message}`));
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new LambdaContainerError(`${options.functionName} container exited during init (code ${code}).`)));
    });
    const init: ToContainer = {
      type: 'init',
      bundle: options.bundle,
      functionName: options.functionName,
      memoryMb: options.memoryMb ?? 1024,
      timeoutMs: options.timeoutMs,
    };
    child.send(init);
    const container: Container = { child, ready, busy: true, retired: false };
    child.once('exit', () => containers.delete(container));
    containers.add(container);
    return container;
  };

  const acquire = (): Promise<Container> => {
    for (const c of containers) {
      if (!c.busy && !c.retired) {
        c.busy = true;
        return Promise.resolve(c);
      }
    }
    if (containers.size < options.maxContainers) return Promise.resolve(start());
    return new Promise((resolveWait) => waiting.push(resolveWait));
  };

  const release = (container: Container): void => {
    container.busy = false;
    if (container.retired || stopped) {
      remove(container);
      return;
    }
    const next = waiting.shift();
    if (next) {
      container.busy = true;
      next(container);
    }
  };

  const invoke = async (event: unknown): Promise<unknown> => {
    if (stopped) throw new LambdaContainerError('The container pool is stopped.');
    const container = await acquire();
    try {
      await container.ready;
    } catch (err) {
      remove(container);
      throw err;
    }
    const id = (nextId += 1);
    stats.invocations += 1;
    const deadline = Date.now() + options.timeoutMs;
    return new Promise<unknown>((resolveInvoke, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        container.child.off('message', onMessage);
        container.child.off('exit', onExit);
      };
      const onMessage = (message: FromContainer): void => {
        if ((message.type !== 'result' && message.type !== 'error') || message.id !== id) return;
        finish();
        release(container);
        if (message.type === 'result') resolveInvoke(message.response);
        else reject(new Error(message.message));
      };
      const onExit = (code: number | null, signal: string | null): void => {
        finish();
        remove(container);
        reject(new LambdaContainerError(`${options.functionName} container died mid-invocation (${signal ?? code}).`));
      };
      const timer = setTimeout(() => {
        finish();
        stats.timeouts += 1;
        remove(container);
        reject(new LambdaTimeoutError(`${options.functionName} timed out after ${options.timeoutMs} ms; its container was killed.`));
      }, options.timeoutMs);
      container.child.on('message', onMessage);
      container.child.once('exit', onExit);
      const message: ToContainer = { type: 'invoke', id, event, deadline };
      container.child.send(message);
    });
  };

  return {
    invoke,
    stats,
    pids: () => [...containers].map((c) => c.child.pid ?? -1),
    recycle: () => {
      for (const c of containers) {
        c.retired = true;
        if (!c.busy) remove(c);
      }
    },
    stop: async (graceMs = 10_000) => {
      stopped = true;
      const all = [...containers];
      await Promise.all(
        all.map(async (c) => {
          if (c.busy) await Promise.race([new Promise((r) => c.child.once('exit', r)), new Promise((r) => setTimeout(r, graceMs))]);
          await stopChild(c.child, 2_000);
        }),
      );
    },
  };
}
