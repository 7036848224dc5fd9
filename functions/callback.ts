import { CALLBACK_JOBS } from '../jobs/catalog';
import { STORED_PAYLOAD_PREFIX } from '../jobs/payload-store/claim-check-codec';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { createCallbackHandler } from './runtime/callback-handler';
import { mapStackTracesLazily } from './runtime/source-mapped-stacks';

mapStackTracesLazily(import.meta.url);

/**
 * Lambda entry point behind the callback Function URL: finishes activities whose handlers handed out a URL
 * (`ctx.callback`). It does not connect to Temporal at init: a request must prove its signature first.
 */
export const handler = createCallbackHandler({
  jobs: CALLBACK_JOBS,
  dataConverter: dataConverterFromEnv(process.env, { keyPrefix: STORED_PAYLOAD_PREFIX.results }),
});
