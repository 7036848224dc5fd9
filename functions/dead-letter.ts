import { JOBS } from '../jobs/catalog';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { createDeadLetterHandler } from './runtime/dead-letter-handler';

/** Lambda entry point for the dead-letter queues: fails dead-lettered activities as `DeadLettered`. */
export const handler = createDeadLetterHandler({
  dataConverter: dataConverterFromEnv(),
  completionByIdJobs: Object.values(JOBS)
    .filter((job) => job.allowCompletionById)
    .map((job) => job.name),
});
