/**
 * What runs inside one local "Lambda container" process: imports a function bundle once (module scope lives
 * as long as the process, as on Lambda) and runs the invocations sent over IPC, one at a time, as Lambda's
 * runtime interface does. Started by `lambda-container.ts`; not meant to be run by hand.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-event';
import type { FromContainer, ToContainer } from './lambda-container';

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
