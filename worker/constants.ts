/** Task queue the demo worker polls and the demo workflows run on. */
export const TASK_QUEUE = 'lambda-jobs';

/** Workflow type of the demo; start it with the `temporal` CLI as `greetingWorkflow`. */
export const DEMO_WORKFLOW = 'greetingWorkflow';

/** Workflow type that runs one job by name: `runJobWorkflow(job, input)`. */
export const RUN_JOB_WORKFLOW = 'runJobWorkflow';
