/** Task queue the demo worker polls and the demo workflows run on (declared with the workflow contracts). */
export { TASK_QUEUE } from '../jobs/workflow-contracts';

/** Workflow type of the demo; start it with the `temporal` CLI as `greetingWorkflow`. */
export const DEMO_WORKFLOW = 'greetingWorkflow';

/** Workflow type that runs one job by name: `runJobWorkflow(job, input)`. */
export const RUN_JOB_WORKFLOW = 'runJobWorkflow';
