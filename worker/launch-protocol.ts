/**
 * What a worker process and the process that launched it (`infra/local/worker-process.ts`) agree on: the
 * worker says it is polling over the IPC channel `fork` gives it, and fails at start-up, naming the variable,
 * when the launcher did not pass a setting. The production worker announces itself too; run on its own
 * (`npm run worker`) it has no channel and the announcement goes nowhere.
 */

/** The message a worker sends its launcher once it polls. */
export const WORKER_READY = { type: 'worker-ready' } as const;

/** Tells the launching process, if there is one, that the worker is polling its task queue. */
export function announceWorkerReady(): void {
  process.send?.(WORKER_READY);
}

/** Whether an IPC message is {@link WORKER_READY}. */
export function isWorkerReady(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === WORKER_READY.type;
}

/**
 * Reads a setting the launching process passes in the environment.
 * @param what what the value is, for the message when it is missing
 * @throws Error naming the variable and what it is for
 */
export function requiredEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${what}, which the process that starts this worker passes.`);
  return value;
}
