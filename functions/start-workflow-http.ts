import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { HTTP_TRIGGERS } from '../jobs/triggers';
import { createHttpTriggerHandler } from './runtime/http-trigger-handler';
import { mapStackTracesLazily } from './runtime/source-mapped-stacks';

// Source-mapped stack traces, the map read at the first stack instead of at cold start.
mapStackTracesLazily(import.meta.url);

/** Lambda entry point of the starter's Function URL: starts the workflow of the HTTP trigger at `/<name>`. */
export const handler = createHttpTriggerHandler({ triggers: Object.values(HTTP_TRIGGERS), dataConverter: dataConverterFromEnv() });
