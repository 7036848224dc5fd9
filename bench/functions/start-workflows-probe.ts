/** Cold-start probe of `functions/start-workflows.ts` (the trigger starter, issue 16); see `process-jobs-probe.ts`. */
export { handler } from '../../functions/start-workflows';
export { getTemporalClient } from '../../functions/runtime/temporal-client';
