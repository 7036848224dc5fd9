import { ApplicationFailure } from '@temporalio/workflow';
import { JOBS } from '../jobs/catalog';
import type { GreetInput, GreetOutput } from '../jobs/catalog';
import { FailureType } from '../jobs/failure-types';
import { proxyJobs } from '../jobs/proxy-jobs';
import type { greetingWorkflowContract, WorkflowOf } from '../jobs/workflow-contracts';

const jobs = proxyJobs(JOBS);

/** Demo workflow: hands a `greet` job to Lambda through SQS and returns what the function produced. */
export async function greetingWorkflow(input: GreetInput): Promise<GreetOutput> {
  return jobs.greet(input);
}
// The triggers start it by its contract (jobs/workflow-contracts.ts): the signatures must agree.
greetingWorkflow satisfies WorkflowOf<typeof greetingWorkflowContract>;

/** Runs any one job of the catalog by name (`npm run job`, or the `temporal` CLI) and returns its output. */
export async function runJobWorkflow(job: string, input: unknown): Promise<unknown> {
  const call = (jobs as Record<string, ((input: unknown) => Promise<unknown>) | undefined>)[job];
  if (!call) {
    throw ApplicationFailure.nonRetryable(`Unknown job "${job}"; known jobs: ${Object.keys(JOBS).join(', ')}.`, FailureType.UnknownJob);
  }
  return call(input);
}
