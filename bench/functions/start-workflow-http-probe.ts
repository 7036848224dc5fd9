/** Cold-start probe of `functions/start-workflow-http.ts` (the HTTP trigger starter, issue 16); see `process-jobs-probe.ts`. */
export { handler } from '../../functions/start-workflow-http';
export { getTemporalClient } from '../../functions/runtime/temporal-client';
