import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { ContainerPool } from '../infra/local/container-pool';

/** Options of {@link startLambdaWorkerInvoker}. */
export interface LambdaWorkerInvokerOptions {
  readonly client: Client;
  readonly namespace: string;
  /** The task queue the Serverless Worker serves (activity tasks). */
  readonly taskQueue: string;
  /** The function's containers. */
  readonly pool: ContainerPool;
  /** Most invocations at once (the function's concurrency). */
  readonly maxConcurrency: number;
  /** How often the task queue is looked at, ms. @default 100 */
  readonly intervalMs?: number;
  /** Tasks one invocation is counted on to take at once (the worker's activity slots). @default 2 */
  readonly tasksPerInvocation?: number;
}

/** One invocation the invoker made. */
export interface InvokerInvocation {
  /** Epoch ms when it was asked of the pool. */
  readonly invokedAt: number;
  /** Whether it started a new container (its init is billed with it). */
  readonly cold: boolean;
  /** Epoch ms when it ended. */
  endedAt?: number;
  error?: string;
}

/** The running invoker. */
export interface LambdaWorkerInvoker {
  readonly invocations: readonly InvokerInvocation[];
  /** Invocations in flight. */
  inFlight(): number;
  /** Stops looking at the queue and waits for the invocations in flight to end. */
  stop(): Promise<void>;
}

/**
 * Plays Temporal's part for a Serverless Worker on the local stack: it watches the task queue's backlog
 * (`DescribeTaskQueue` with `reportStats`) and, while tasks wait, invokes the function until
 * `ceil(backlog / tasksPerInvocation)` invocations are in flight (at most `maxConcurrency`), one more per look.
 * With one waiting task and nothing in flight that is the documented trigger (a task arrives and no worker is
 * polling); the scale-out rule and the look interval are ours, not Temporal's, whose policy is not published.
 */
export function startLambdaWorkerInvoker(options: LambdaWorkerInvokerOptions): LambdaWorkerInvoker {
  const invocations: InvokerInvocation[] = [];
  const pending = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const invoke = (): void => {
    const cold = options.pool.stats.containersStarted;
    const record: InvokerInvocation = { invokedAt: Date.now(), cold: false };
    invocations.push(record);
    const done = options.pool.invoke({}).then(
      () => undefined,
      (err: unknown) => {
        record.error = String(err);
      },
    );
    (record as { cold: boolean }).cold = options.pool.stats.containersStarted > cold;
    const tracked = done.finally(() => {
      record.endedAt = Date.now();
      pending.delete(tracked);
    });
    pending.add(tracked);
  };

  const backlog = async (): Promise<number> => {
    const response = await options.client.workflowService.describeTaskQueue({
      namespace: options.namespace,
      taskQueue: { name: options.taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    return Number(response.stats?.approximateBacklogCount ?? 0);
  };

  const look = async (): Promise<void> => {
    if (stopped) return;
    try {
      const wanted = Math.min(options.maxConcurrency, Math.ceil((await backlog()) / (options.tasksPerInvocation ?? 2)));
      if (pending.size < wanted && !stopped) invoke();
    } catch {
      // The next look tries again.
    }
    if (!stopped) timer = setTimeout(() => void look(), options.intervalMs ?? 100);
  };
  void look();

  return {
    invocations,
    inFlight: () => pending.size,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...pending]);
    },
  };
}
