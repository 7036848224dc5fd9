import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exited, stopChild } from './child-process';
import { ensureContainerBootstrap, LOCAL_RUNTIME_DIR } from './container-bootstrap';
import { lambdaNodeFlags, lambdaReservedEnv } from './lambda-environment';
import { ensureLambdaNode } from './lambda-node';
import { unpackArtifact } from './lambda-task-root';
import { adoptChild } from './process-reaper';

/** Lambda's limit on a function's init phase (runtime start and module scope). */
export const LAMBDA_INIT_TIMEOUT_MS = 10_000;

/** Containers stopped right now, continued when this process exits so that their IPC disconnect ends them. */
const FROZEN = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of FROZEN) child.kill('SIGCONT');
});

/** Messages a container's process is sent. */
export type ToContainer = { readonly type: 'invoke'; readonly id: number; readonly event: unknown; readonly deadline: number };

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

/** Thrown when a container fails to load its handler, overruns the init limit, or dies mid-invocation. */
export class LambdaContainerError extends Error {
  override readonly name = 'LambdaContainerError';
}

/** Options of {@link startLambdaContainer}. */
export interface LambdaContainerOptions {
  /** The function's deployment package, `.build/<name>.zip` (what `npm run package` deploys); unpacked for the container. */
  readonly artifact: string;
  /** `handler` in `serverless.yml`, e.g. `index.handler`. @default 'index.handler' */
  readonly handler?: string;
  readonly functionName: string;
  /** Function timeout; an invocation still running then is killed with its container, as on Lambda. */
  readonly timeoutMs: number;
  /** Sizes the V8 heap as Lambda does (see `lambdaNodeFlags`). @default 1024 */
  readonly memoryMb?: number;
  /**
   * The function's environment: its `serverless.yml` environment (with `NODE_OPTIONS`) and what the local
   * stack stands in for. Lambda's reserved variables are set on top; nothing else of this process's
   * environment is inherited.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Stop the process (SIGSTOP) whenever no invocation is in flight and resume it (SIGCONT) for the next,
   * as Lambda freezes an execution environment between invocations: timers, keepalives and sockets pause.
   * @default true
   */
  readonly freeze?: boolean;
  /** Init limit; the container is killed when its handler is not loaded by then. @default {@link LAMBDA_INIT_TIMEOUT_MS} */
  readonly initTimeoutMs?: number;
}

/** One local Lambda container: a process of its own that keeps its module scope between invocations. */
export interface LambdaContainer {
  readonly pid: number | undefined;
  /** Resolves with the init time (handler import), ms; rejects with {@link LambdaContainerError} when init fails. */
  readonly ready: Promise<number>;
  /** Resolves once the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** Whether the process is stopped (frozen) right now. */
  readonly frozen: boolean;
  /**
   * Runs one invocation (after `ready`), one at a time. A frozen container is thawed first; the timeout
   * counts from then.
   * @throws LambdaTimeoutError when it outlives the timeout (the container is then killed)
   * @throws LambdaContainerError when the container dies during it
   * @throws Error with the handler's message when the handler throws (the container stays usable)
   */
  invoke(event: unknown): Promise<unknown>;
  /** SIGKILL, as Lambda does to a container it retires or times out. */
  kill(): void;
  /** Thaws the process if frozen, then SIGTERM and SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts a container as Lambda starts an execution environment: the function's zip unpacked into a task
 * root of its own, the bootstrap (`container-runtime.ts`, as plain JavaScript) run by a bare `node` of the
 * Lambda runtime's version with the heap flags of its memory size, in the task root, with Lambda's reserved
 * environment. Init is limited to {@link LAMBDA_INIT_TIMEOUT_MS}.
 */
export function startLambdaContainer(options: LambdaContainerOptions): LambdaContainer {
  const { functionName, timeoutMs } = options;
  const memoryMb = options.memoryMb ?? 1024;
  const freeze = options.freeze ?? true;
  const nodeBin = ensureLambdaNode();
  const taskRoot = unpackArtifact(options.artifact);
  const reserved = lambdaReservedEnv({
    functionName,
    memoryMb,
    handler: options.handler ?? 'index.handler',
    taskRoot,
    runtimeDir: LOCAL_RUNTIME_DIR,
    nodeBin,
    region: options.env?.AWS_REGION ?? process.env.AWS_REGION,
  });
  const child: ChildProcess = fork(ensureContainerBootstrap(), [], {
    execPath: join(nodeBin, 'node'),
    execArgv: lambdaNodeFlags(memoryMb),
    cwd: taskRoot,
    env: { ...options.env, ...reserved },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  adoptChild(child);
  const isAlive = (): boolean => child.exitCode === null && child.signalCode === null;
  let frozen = false;
  const freezeNow = (): void => {
    if (freeze && isAlive() && !frozen) {
      child.kill('SIGSTOP');
      frozen = true;
      FROZEN.add(child);
    }
  };
  const thaw = (): void => {
    if (frozen && isAlive()) child.kill('SIGCONT');
    frozen = false;
    FROZEN.delete(child);
  };
  child.once('exit', () => FROZEN.delete(child));

  const initTimeoutMs = options.initTimeoutMs ?? LAMBDA_INIT_TIMEOUT_MS;
  const ready = new Promise<number>((resolveReady, reject) => {
    const done = (): void => {
      clearTimeout(initTimer);
      child.off('message', onMessage);
    };
    const onMessage = (message: FromContainer): void => {
      if (message.type === 'ready') {
        done();
        freezeNow();
        resolveReady(message.initMs);
      } else if (message.type === 'init-error') {
        done();
        child.kill('SIGKILL');
        reject(new LambdaContainerError(`${functionName} failed to initialise: ${message.message}`));
      }
    };
    const initTimer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(
        new LambdaContainerError(
          `${functionName} did not initialise within Lambda's ${initTimeoutMs / 1000} s init limit; its container was killed. ` +
            'Move slow work out of module scope (or make it lazy).',
        ),
      );
    }, initTimeoutMs);
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      done();
      reject(new LambdaContainerError(`${functionName} container exited during init (${signal ?? `code ${code}`}).`));
    });
  });
  // Whoever awaits `ready` sees the failure; this only keeps an unawaited one from being reported as unhandled.
  ready.catch(() => undefined);
  let nextId = 0;

  const invokeReady = (event: unknown): Promise<unknown> => {
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
        freezeNow();
        if (message.type === 'result') resolveInvoke(message.response);
        else reject(new Error(message.message));
      };
      const onExit = (code: number | null, signal: string | null): void => {
        finish();
        reject(new LambdaContainerError(`${functionName} container died mid-invocation (${signal ?? code}).`));
      };
      thaw();
      // The timeout starts at the thaw: time spent frozen between invocations is not the function's.
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
  // Lambda holds an invocation until init is done; so does this, and a failed init fails it.
  const invoke = async (event: unknown): Promise<unknown> => {
    await ready;
    return invokeReady(event);
  };

  return {
    pid: child.pid,
    ready,
    exited: exited(child),
    get frozen() {
      return frozen;
    },
    invoke,
    kill: () => {
      if (isAlive()) child.kill('SIGKILL');
    },
    stop: (graceMs) => {
      // A stopped process keeps SIGTERM pending until it is continued.
      thaw();
      return stopChild(child, graceMs);
    },
  };
}
