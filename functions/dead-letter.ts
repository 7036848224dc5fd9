import { JOBS } from '../jobs/catalog';
import { STORED_PAYLOAD_PREFIX } from '../jobs/payload-store/claim-check-codec';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { createDeadLetterHandler } from './runtime/dead-letter-handler';
import { mapStackTracesLazily } from './runtime/source-mapped-stacks';

// Source-mapped stack traces, the map read at the first stack instead of at cold start.
mapStackTracesLazily(import.meta.url);

/** Lambda entry point for the dead-letter queues: fails dead-lettered activities as `DeadLettered`. */
export const handler = createDeadLetterHandler({
  dataConverter: dataConverterFromEnv(process.env, { keyPrefix: STORED_PAYLOAD_PREFIX.results }),
  completionByIdJobs: Object.values(JOBS)
    .filter((job) => job.allowCompletionById)
    .map((job) => job.name),
});
