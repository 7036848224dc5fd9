import { LambdaContainerError, LambdaTimeoutError, startLambdaContainer } from './lambda-container';
import type { LambdaContainer, LambdaContainerOptions } from './lambda-container';

/** Options of {@link createContainerPool}: those of each container, and how many may run. */
export interface ContainerPoolOptions extends LambdaContainerOptions {
  /** Most containers at once (the event source's maximumConcurrency). */
  readonly maxContainers: number;
}

/** Counters of a pool, for tests and the live view. */
export interface ContainerPoolStats {
  containersStarted: number;
  invocations: number;
  timeouts: number;
  /** Init time (handler import) of every container started, ms. */
  readonly initMs: number[];
  /** Duration of the latest invocations (up to 1,000), ms: from the container's thaw to its answer. */
  readonly invocationMs: number[];
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

/** A container as the pool sees it. */
interface Slot {
  readonly container: LambdaContainer;
  busy: boolean;
  retired: boolean;
}

/**
 * Creates a pool of local Lambda containers for one function (its zip): an idle warm container takes each
 * invocation, a new one starts while fewer than `maxContainers` exist, and otherwise the invocation waits for
 * one to be released, as invocations wait for Lambda's concurrency.
 */
export function createContainerPool(options: ContainerPoolOptions): ContainerPool {
  const slots = new Set<Slot>();
  const waiting: ((slot: Slot) => void)[] = [];
  const stats: ContainerPoolStats = { containersStarted: 0, invocations: 0, timeouts: 0, initMs: [], invocationMs: [] };
  let stopped = false;

  const remove = (slot: Slot): void => {
    slots.delete(slot);
    slot.container.kill();
    const next = waiting.shift();
    if (next) void acquire().then(next);
  };

  const start = (): Slot => {
    const container = startLambdaContainer(options);
    stats.containersStarted += 1;
    container.ready.then(
      (initMs) => stats.initMs.push(initMs),
      () => undefined,
    );
    const slot: Slot = { container, busy: true, retired: false };
    void container.exited.then(() => slots.delete(slot));
    slots.add(slot);
    return slot;
  };

  const acquire = (): Promise<Slot> => {
    for (const slot of slots) {
      if (!slot.busy && !slot.retired) {
        slot.busy = true;
        return Promise.resolve(slot);
      }
    }
    if (slots.size < options.maxContainers) return Promise.resolve(start());
    return new Promise((resolveWait) => waiting.push(resolveWait));
  };

  const release = (slot: Slot): void => {
    slot.busy = false;
    if (slot.retired || stopped) {
      remove(slot);
      return;
    }
    const next = waiting.shift();
    if (next) {
      slot.busy = true;
      next(slot);
    }
  };

  const invoke = async (event: unknown): Promise<unknown> => {
    if (stopped) throw new LambdaContainerError('The container pool is stopped.');
    const slot = await acquire();
    try {
      await slot.container.ready;
    } catch (err) {
      remove(slot);
      throw err;
    }
    stats.invocations += 1;
    const started = performance.now();
    try {
      const response = await slot.container.invoke(event);
      if (stats.invocationMs.push(performance.now() - started) > 1_000) stats.invocationMs.shift();
      release(slot);
      return response;
    } catch (err) {
      if (err instanceof LambdaTimeoutError) stats.timeouts += 1;
      // A timed-out or dead container goes; one whose handler threw stays warm, as on Lambda.
      if (err instanceof LambdaTimeoutError || err instanceof LambdaContainerError) remove(slot);
      else release(slot);
      throw err;
    }
  };

  return {
    invoke,
    stats,
    pids: () => [...slots].map((slot) => slot.container.pid ?? -1),
    recycle: () => {
      for (const slot of slots) {
        slot.retired = true;
        if (!slot.busy) remove(slot);
      }
    },
    stop: async (graceMs = 10_000) => {
      stopped = true;
      await Promise.all(
        [...slots].map(async (slot) => {
          if (slot.busy) await Promise.race([slot.container.exited, new Promise((r) => setTimeout(r, graceMs))]);
          await slot.container.stop(2_000);
        }),
      );
    },
  };
}
