/**
 * One local "Lambda container": a child process that imports a function bundle once (module scope lives as
 * long as the process, as on Lambda) and runs invocations sent over IPC, one at a time.
 * Started by `container-pool.ts`; not meant to be run by hand.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-event';

/** Messages the pool sends to a container. */
export type ToContainer =
  | { readonly type: 'init'; readonly bundle: string; readonly functionName: string; readonly memoryMb: number; readonly timeoutMs: number }
  | { readonly type: 'invoke'; readonly id: number; readonly event: unknown; readonly deadline: number };

/** Messages a container sends to the pool. */
export type FromContainer =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly response: unknown; readonly requestId: string }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly requestId: string };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

let handler: Handler | undefined;
let settings: Extract<ToContainer, { type: 'init' }> | undefined;

function send(message: FromContainer): void {
  process.send?.(message);
}

process.on('message', (message: ToContainer) => {
  if (message.type === 'init') {
    settings = message;
    const started = performance.now();
    import(pathToFileURL(message.bundle).href).then(
      (module: { handler?: Handler }) => {
        if (typeof module.handler !== 'function') {
          send({ type: 'init-error', message: `${message.bundle} exports no "handler" function.` });
          return;
        }
        handler = module.handler;
        send({ type: 'ready', initMs: performance.now() - started });
      },
      (err: unknown) => send({ type: 'init-error', message: String((err as Error)?.stack ?? err) }),
    );
    return;
  }
  const requestId = randomUUID();
  if (!handler) {
    send({ type: 'error', id: message.id, message: 'invoked before init', requestId });
    return;
  }
  const context = lambdaContext({
    functionName: settings?.functionName ?? 'local',
    deadline: message.deadline,
    memoryMb: settings?.memoryMb,
    requestId,
    logStreamName: `local/${process.pid}`,
  });
  handler(message.event, context).then(
    (response) => send({ type: 'result', id: message.id, response: response ?? null, requestId }),
    (err: unknown) => send({ type: 'error', id: message.id, message: String((err as Error)?.message ?? err), requestId }),
  );
});

process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group; the pool decides when a container stops, so that
// invocations in flight can finish first.
process.on('SIGINT', () => undefined);
