/**
 * Reference: `@temporalio/client` (`Connection` + `Client`, the full proto tree), as the functions use it today,
 * making the same calls through `client.activity`.
 */
import { Client, Connection } from '@temporalio/client';
import { ADDRESS, BOGUS_TASK_TOKEN, expectRefusal, NAMESPACE } from './probe-call';

const client = Connection.connect({ address: ADDRESS }).then((connection) => new Client({ connection, namespace: NAMESPACE }));
client.catch(() => undefined);
const RESULT = { jobId: 'bench-0000-0000', status: 'done', items: [1, 2, 3], note: 'x'.repeat(40) };
// The client translates gRPC errors into its own: NOT_FOUND becomes `ActivityNotFoundError`, any other status an
// `ActivityCompletionError` carrying only the server's message (here "Error deserializing task token", the
// INVALID_ARGUMENT the other stacks see).
const codeOf = (err: unknown): unknown => {
  const name = (err as Error | undefined)?.name;
  if (name === 'ActivityNotFoundError') return 5;
  if (name === 'ActivityCompletionError' && /task token/i.test((err as Error).message)) return 3;
  return (err as { code?: unknown } | undefined)?.code;
};

/** One completion call, refused as expected. */
export async function complete(): Promise<void> {
  const { activity } = await client;
  return expectRefusal(activity.complete(BOGUS_TASK_TOKEN, RESULT), codeOf);
}

/** One heartbeat call, refused as expected. */
export async function heartbeat(): Promise<void> {
  const { activity } = await client;
  return expectRefusal(activity.heartbeat(BOGUS_TASK_TOKEN, RESULT), codeOf);
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
