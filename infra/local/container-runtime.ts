/**
 * The bootstrap of one local "Lambda container" process, as Lambda's Node.js runtime does it: at start it
 * loads the handler named by `_HANDLER` from `LAMBDA_TASK_ROOT` (module scope lives as long as the process),
 * then runs the invocations sent over IPC, one at a time. Bundled to plain JavaScript by
 * `container-bootstrap.ts` and run by a bare `node` (`lambda-container.ts`); not meant to be run by hand.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-event';
import type { FromContainer, ToContainer } from './lambda-container';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** The extensions Lambda's Node.js runtime tries for a handler's module, in its order. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

function send(message: FromContainer): void {
  process.send?.(message);
}

/**
 * Resolves `_HANDLER` as Lambda does: `path/to/module.export` — the module is everything up to the first dot
 * after the last slash, looked up in the task root as `.js`, `.mjs`, then `.cjs`; the rest is the export
 * (dots reach into nested objects).
 */
async function loadHandler(taskRoot: string, spec: string): Promise<Handler> {
  const slash = spec.lastIndexOf('/');
  const dot = spec.indexOf('.', slash + 1);
  if (dot < 0)
    throw new Error(
      `Runtime.MalformedHandlerName: "${spec}" is not of the form <file>.<export> (e.g. index.handler); fix \`handler\` in serverless.yml.`,
    );
  const modulePath = spec.slice(0, dot);
  const exportPath = spec.slice(dot + 1);
  const file = MODULE_EXTENSIONS.map((ext) => join(taskRoot, modulePath + ext)).find((f) => existsSync(f));
  if (!file) {
    throw new Error(
      `Runtime.ImportModuleError: no ${modulePath}.js, .mjs or .cjs in the task root ${taskRoot} (handler "${spec}"): ` +
        'check that the build puts that file in the zip, or fix `handler` in serverless.yml.',
    );
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const handler = exportPath.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], module);
  if (typeof handler !== 'function') {
    throw new Error(`Runtime.HandlerNotFound: ${spec} is undefined or not exported by ${file}; export a function named "${exportPath}".`);
  }
  return handler as Handler;
}

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 1024);
const logStreamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local';
const started = performance.now();
let handler: Handler | undefined;

loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? 'index.handler').then(
  (loaded) => {
    handler = loaded;
    send({ type: 'ready', initMs: performance.now() - started });
  },
  (err: unknown) => send({ type: 'init-error', message: String((err as Error)?.stack ?? err) }),
);

process.on('message', (message: ToContainer) => {
  const requestId = randomUUID();
  if (!handler) {
    send({ type: 'error', id: message.id, message: 'invoked before init', requestId });
    return;
  }
  const context = lambdaContext({ functionName, deadline: message.deadline, memoryMb, requestId, logStreamName });
  handler(message.event, context).then(
    (response) => send({ type: 'result', id: message.id, response: response ?? null, requestId }),
    (err: unknown) => send({ type: 'error', id: message.id, message: String((err as Error)?.message ?? err), requestId }),
  );
});

process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group; the pool decides when a container stops, so that
// invocations in flight can finish first.
process.on('SIGINT', () => undefined);
