import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, stopChild } from './child-process';
import { adoptChild } from './process-reaper';

const RUNTIME_ENTRY = fileURLToPath(new URL('./container-runtime.ts', import.meta.url));

/** Messages a container's process is sent. */
export type ToContainer =
  | { readonly type: 'init'; readonly bundle: string; readonly functionName: string; readonly memoryMb: number; readonly timeoutMs: number }
  | { readonly type: 'invoke'; readonly id: number; readonly event: unknown; readonly deadline: number };

/** Messages a container's process sends back. */
export type FromContainer =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly response: unknown; readonly requestId: string }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly requestId: string };

/** Thrown when an invocation outlives the function timeout. */
export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/** Thrown when a container fails to load its bundle or dies mid-invocation. */
export class LambdaContainerError extends Error {
  override readonly name = 'LambdaContainerError';
}

/** Options of {@link startLambdaContainer}. */
export interface LambdaContainerOptions {
  /** Path of the bundled function (`index.mjs`), the same file `npm run package` zips. */
  readonly bundle: string;
  readonly functionName: string;
  /** Function timeout; an invocation still running then is killed with its container, as on Lambda. */
  readonly timeoutMs: number;
  /** @default 1024 */
  readonly memoryMb?: number;
  /** Environment of the container, on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
}

/** One local Lambda container: a process of its own that keeps its module scope between invocations. */
export interface LambdaContainer {
  readonly pid: number | undefined;
  /** Resolves with the init time (bundle import), ms; rejects with {@link LambdaContainerError} when init fails. */
  readonly ready: Promise<number>;
  /** Resolves once the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /**
   * Runs one invocation (after `ready`), one at a time.
   * @throws LambdaTimeoutError when it outlives the timeout (the container is then killed)
   * @throws LambdaContainerError when the container dies during it
   * @throws Error with the handler's message when the handler throws (the container stays usable)
   */
  invoke(event: unknown): Promise<unknown>;
  /** SIGKILL, as Lambda does to a container it retires or times out. */
  kill(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

/** Starts a container process and sends it its bundle to import; see `container-runtime.ts`. */
export function startLambdaContainer(options: LambdaContainerOptions): LambdaContainer {
  const { functionName, timeoutMs } = options;
  const child: ChildProcess = fork(RUNTIME_ENTRY, [], {
    execArgv: ['--import', 'tsx', '--enable-source-maps'],
    env: { ...process.env, ...options.env, AWS_LAMBDA_FUNCTION_NAME: functionName },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  adoptChild(child);
  const isAlive = (): boolean => child.exitCode === null && child.signalCode === null;
  const ready = new Promise<number>((resolveReady, reject) => {
    const onMessage = (message: FromContainer): void => {
      if (message.type === 'ready') {
        child.off('message', onMessage);
        resolveReady(message.initMs);
      } else if (message.type === 'init-error') {
        child.off('message', onMessage);
        reject(new LambdaContainerError(`${functionName} failed to initialise: ${message.message}`));
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new LambdaContainerError(`${functionName} container exited during init (code ${code}).`)));
  });
  // Whoever awaits `ready` sees the failure; this only keeps an unawaited one from being reported as unhandled.
  ready.catch(() => undefined);
  const init: ToContainer = { type: 'init', bundle: options.bundle, functionName, memoryMb: options.memoryMb ?? 1024, timeoutMs };
  child.send(init);
  let nextId = 0;

  const invoke = (event: unknown): Promise<unknown> => {
    const id = (nextId += 1);
    return new Promise<unknown>((resolveInvoke, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (message: FromContainer): void => {
        if ((message.type !== 'result' && message.type !== 'error') || message.id !== id) return;
        finish();
        if (message.type === 'result') resolveInvoke(message.response);
        else reject(new Error(message.message));
      };
      const onExit = (code: number | null, signal: string | null): void => {
        finish();
        reject(new LambdaContainerError(`${functionName} container died mid-invocation (${signal ?? code}).`));
      };
      const timer = setTimeout(() => {
        finish();
        if (isAlive()) child.kill('SIGKILL');
        reject(new LambdaTimeoutError(`${functionName} timed out after ${timeoutMs} ms; its container was killed.`));
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      const message: ToContainer = { type: 'invoke', id, event, deadline: Date.now() + timeoutMs };
      child.send(message);
    });
  };

  return {
    pid: child.pid,
    ready,
    exited: exited(child),
    invoke,
    kill: () => {
      if (isAlive()) child.kill('SIGKILL');
    },
    stop: (graceMs) => stopChild(child, graceMs),
  };
}
