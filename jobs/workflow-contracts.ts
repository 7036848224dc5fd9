import type { GreetInput, GreetOutput } from './catalog';

/** A workflow function as Temporal's SDK types it: its parameters are the workflow's arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WorkflowFunction = (...args: any[]) => Promise<unknown>;

/**
 * What a starter must know of a workflow, declared where the functions can import it (they may not import
 * `worker/`): its type name, task queue and signature. The worker checks its function against the signature
 * (`satisfies`), so a trigger typed by the contract is typed by the workflow.
 */
export interface WorkflowContract<W extends WorkflowFunction> {
  /** Workflow type: the name the worker registers, its function's name. */
  readonly workflowType: string;
  /** Task queue of the worker that runs it. */
  readonly taskQueue: string;
  /** Phantom field carrying the signature; never set at run time. */
  readonly signature?: W;
}

/** The signature a workflow contract carries. */
export type WorkflowOf<C> = C extends WorkflowContract<infer W> ? W : never;

/** Declares a workflow contract. */
export function defineWorkflow<W extends WorkflowFunction>(contract: Omit<WorkflowContract<W>, 'signature'>): WorkflowContract<W> {
  return Object.freeze({ ...contract });
}

/** Task queue the demo worker polls and the demo workflows run on. */
export const TASK_QUEUE = 'lambda-jobs';

/** The demo workflow: hands a `greet` job to Lambda and returns what the function produced. */
export const greetingWorkflowContract = defineWorkflow<(input: GreetInput) => Promise<GreetOutput>>({
  workflowType: 'greetingWorkflow',
  taskQueue: TASK_QUEUE,
});
