import { STORED_PAYLOAD_PREFIX } from '../jobs/payload-store/claim-check-codec';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { approvalHandler } from './handlers/approval';
import { greetHandler } from './handlers/greet';
import { createSqsJobHandler } from './runtime/sqs-job-handler';
import { mapStackTracesLazily } from './runtime/source-mapped-stacks';

// Source-mapped stack traces, the map read at the first stack instead of at cold start.
mapStackTracesLazily(import.meta.url);

/** Lambda entry point for the job queue: runs every job this project declares. */
export const handler = createSqsJobHandler({
  jobs: [greetHandler, approvalHandler],
  dataConverter: dataConverterFromEnv(process.env, { keyPrefix: STORED_PAYLOAD_PREFIX.results }),
});
