import type { Client } from '@temporalio/client';
import { mapConcurrent } from '../functions/runtime/map-concurrent';
import { PRODUCED_BY_ACTIVITY, PRODUCED_BY_FUNCTION, PRODUCED_BY_LAMBDA_WORKER } from './bench-jobs';
import type { BenchJobTiming, BenchPath, BenchWorkflowInput } from './workflows';

/** What a batch of bench workflows should do. */
export interface WorkloadOptions {
  readonly client: Client;
  readonly taskQueue: string;
  readonly path: BenchPath;
  /** Jobs in all. */
  readonly jobs: number;
  /** Jobs per workflow. */
  readonly perWorkflow: number;
  readonly mode: BenchWorkflowInput['mode'];
  /** Prefix of the workflow ids; must be unique in the run. */
  readonly idPrefix: string;
  /** Workflow starts in flight at once. @default 16 */
  readonly startConcurrency?: number;
  /**
   * Start workflow `w` no earlier than `w × startIntervalMs` after the first, to run the jobs at a set pace
   * instead of all at once. @default 0 (all at once)
   */
  readonly startIntervalMs?: number;
  /** Longest a workflow may run. @default 5 minutes */
  readonly timeoutMs?: number;
}

/** How a workload went. */
export interface WorkloadResult {
  /** Jobs asked for. */
  readonly jobs: number;
  /** Jobs whose result came back right (its own index, produced by the expected side). */
  readonly completed: number;
  /** Problems, one line each (wrong results, failed workflows). */
  readonly problems: readonly string[];
  /** Wall-clock time from the first workflow start to the last result, ms (this process's clock). */
  readonly wallMs: number;
  /** Every job's workflow-time timings, for latency and steady-rate figures. */
  readonly timings: readonly BenchJobTiming[];
}

/**
 * Starts `jobs / perWorkflow` bench workflows (at most `startConcurrency` starts in flight), waits for all,
 * and checks every job's result: index `i` came back as `i`, produced by the side the path names.
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const workflows = Math.ceil(options.jobs / options.perWorkflow);
  const expectedBy = { async: PRODUCED_BY_FUNCTION, direct: PRODUCED_BY_ACTIVITY, 'lambda-worker': PRODUCED_BY_LAMBDA_WORKER }[
    options.path
  ];
  const problems: string[] = [];
  const timings: BenchJobTiming[] = [];
  let completed = 0;
  const results: Promise<void>[] = [];
  const started = performance.now();
  await mapConcurrent(
    Array.from({ length: workflows }, (_, w) => w),
    options.startConcurrency ?? 16,
    async (w) => {
      const due = started + w * (options.startIntervalMs ?? 0) - performance.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      const first = w * options.perWorkflow;
      const input: BenchWorkflowInput = {
        path: options.path,
        first,
        count: Math.min(options.perWorkflow, options.jobs - first),
        mode: options.mode,
      };
      const handle = await options.client.workflow.start('benchWorkflow', {
        taskQueue: options.taskQueue,
        workflowId: `${options.idPrefix}-${w}`,
        args: [input],
        workflowExecutionTimeout: options.timeoutMs ?? 300_000,
      });
      results.push(
        (handle.result() as Promise<BenchJobTiming[]>).then(
          (jobs) => {
            jobs.forEach((job, k) => {
              const i = first + k;
              if (job.result.i !== i || job.result.by !== expectedBy)
                problems.push(`${handle.workflowId}: job ${i} returned ${JSON.stringify(job.result)}`);
              else completed += 1;
              timings.push(job);
            });
            if (jobs.length !== input.count) problems.push(`${handle.workflowId}: ${jobs.length} results for ${input.count} jobs`);
          },
          (err: unknown) => {
            const cause = (err as Error & { cause?: Error }).cause;
            problems.push(`${handle.workflowId}: ${cause?.message ?? (err as Error).message}`);
          },
        ),
      );
    },
  );
  await Promise.all(results);
  return { jobs: options.jobs, completed, problems, wallMs: performance.now() - started, timings };
}
