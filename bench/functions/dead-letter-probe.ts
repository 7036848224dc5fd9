/** Cold-start probe of `functions/dead-letter.ts`; see `process-jobs-probe.ts`. */
export { handler } from '../../functions/dead-letter';
export { getTemporalClient } from '../../functions/runtime/temporal-client';
