import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { greetHandler } from './handlers/greet';
import { createSqsJobHandler } from './runtime/sqs-job-handler';

/** Lambda entry point for the job queue: runs every job this project declares. */
export const handler = createSqsJobHandler({ jobs: [greetHandler], dataConverter: dataConverterFromEnv() });
