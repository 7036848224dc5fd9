import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { TRIGGERS } from '../jobs/triggers';
import { createTriggerHandler } from './runtime/trigger-handler';
import { mapStackTracesLazily } from './runtime/source-mapped-stacks';

// Source-mapped stack traces, the map read at the first stack instead of at cold start.
mapStackTracesLazily(import.meta.url);

/** Lambda entry point for the trigger queues: starts one workflow per cloud event (S3, EventBridge, SQS). */
export const handler = createTriggerHandler({ triggers: Object.values(TRIGGERS), dataConverter: dataConverterFromEnv() });
