import { constants } from 'node:os';

/** The signals that ask a local-stack script to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What asked the script to stop: one of {@link STOP_SIGNALS}, or its parent process going away. */
export type StopReason = (typeof STOP_SIGNALS)[number] | 'parent gone';

/** Options of {@link onStopRequest}. */
export interface StopRequestOptions {
  /**
   * How often to check whether the parent process is still there.
   * @default 500
   */
  readonly parentPollMs?: number;
}

/**
 * Calls `stop` once, on the first request to stop this process: SIGINT (Ctrl-C), SIGTERM (a process manager),
 * SIGHUP (its terminal closed), or its parent process gone. The last one matters under `npm run`: npm passes
 * SIGINT and SIGTERM on to the script but dies of SIGHUP without a word to it, and a SIGKILLed npm tells nobody;
 * the script then finds itself re-parented. Later requests are swallowed, so a second Ctrl-C does not cut the
 * graceful stop short (the process reaper still cleans up if this process is SIGKILLed).
 *
 * @returns a function that removes the handlers
 * @example
 * ```ts
 * onStopRequest((reason) => {
 *   log(`${reason}: stopping…`);
 *   void env.stop().then(() => process.exit(0));
 * });
 * ```
 */
export function onStopRequest(stop: (reason: StopReason) => void, options: StopRequestOptions = {}): () => void {
  let requested = false;
  const request = (reason: StopReason): void => {
    if (requested) return;
    requested = true;
    clearInterval(parentWatch);
    stop(reason);
  };
  const handlers = STOP_SIGNALS.map((signal) => [signal, () => request(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) request('parent gone');
  }, options.parentPollMs ?? 500);
  parentWatch.unref();
  return () => {
    clearInterval(parentWatch);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/** The exit code a shell reports for a process ended by `reason`: 128 + the signal's number (SIGHUP's when the parent went). */
export function stopExitCode(reason: StopReason): number {
  return 128 + constants.signals[reason === 'parent gone' ? 'SIGHUP' : reason];
}
