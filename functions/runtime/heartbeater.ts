import type { CompletionClient } from './completion-client';
import { callTemporal, TemporalAnswer } from './activity-completion';
import type { ActivityTarget } from './activity-completion';
import type { Logger } from './logger';

/** Share of the heartbeat timeout between two heartbeats: three chances before the timeout fires. */
export const HEARTBEAT_FRACTION = 0.3;

/** Why the heartbeater stopped the handler. */
export type HeartbeatStop =
  typeof TemporalAnswer.Cancelled | typeof TemporalAnswer.Paused | typeof TemporalAnswer.Reset | typeof TemporalAnswer.NotFound;

/** A running heartbeat loop for one job. */
export interface Heartbeater {
  /** Records the latest progress details; sent with the next heartbeat. */
  record(details: unknown): void;
  /** Resolves with the reason when Temporal says the job must stop. */
  readonly stopped: Promise<HeartbeatStop>;
  /** Ends the loop and waits for a heartbeat in flight, so nothing is left running. */
  close(): Promise<void>;
}

/** Options of {@link startHeartbeater}. */
export interface HeartbeaterOptions {
  readonly client: CompletionClient;
  readonly target: ActivityTarget;
  /** The activity's heartbeat timeout; no heartbeats are sent without one. */
  readonly heartbeatTimeoutMs?: number;
  /** Epoch ms each heartbeat call must finish by. */
  readonly callDeadline: () => number;
  readonly log: Logger;
}

/**
 * Heartbeats the activity every {@link HEARTBEAT_FRACTION} of its heartbeat timeout with the latest details,
 * and reports cancellation, pause, reset or a vanished attempt through `stopped`.
 */
export function startHeartbeater(options: HeartbeaterOptions): Heartbeater {
  let details: unknown;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;
  let resolveStop: (reason: HeartbeatStop) => void = () => undefined;
  const stopped = new Promise<HeartbeatStop>((r) => {
    resolveStop = r;
  });
  const timeout = options.heartbeatTimeoutMs;

  const beat = async (): Promise<void> => {
    try {
      const answer = await callTemporal(options.client, options.target, options.callDeadline(), (calls) => calls.heartbeat(details));
      if (answer !== TemporalAnswer.Ok) {
        closed = true;
        resolveStop(answer);
        return;
      }
      options.log.info('job heartbeat');
    } catch (err) {
      options.log.warn('job heartbeat failed; will try again', { error: (err as Error).name });
    }
    if (!closed) schedule();
  };
  const schedule = (): void => {
    timer = setTimeout(
      () => {
        inFlight = beat();
      },
      Math.max(100, (timeout ?? 0) * HEARTBEAT_FRACTION),
    );
  };
  if (timeout && timeout > 0) schedule();

  return {
    record: (next) => {
      details = next;
    },
    stopped,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
