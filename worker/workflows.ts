import { JOBS } from '../jobs/catalog';
import type { GreetInput, GreetOutput } from '../jobs/catalog';
import { proxyJobs } from '../jobs/proxy-jobs';

const { greet } = proxyJobs(JOBS);

/** Demo workflow: hands a `greet` job to Lambda through SQS and returns what the function produced. */
export async function greetingWorkflow(input: GreetInput): Promise<GreetOutput> {
  return greet(input);
}
