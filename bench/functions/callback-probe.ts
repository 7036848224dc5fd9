/** Cold-start probe of `functions/callback.ts`; see `process-jobs-probe.ts`. Built for every deployed function; the bench does not measure it yet. */
export { handler } from '../../functions/callback';
export { getTemporalClient } from '../../functions/runtime/temporal-client';
