/**
 * Cold-start probe of `functions/process-jobs.ts`: the same entry, bundled the same way, plus the runtime's
 * `getTemporalClient` so a fresh process can await the module-scope client being connected.
 */
export { handler } from '../../functions/process-jobs';
export { getTemporalClient } from '../../functions/runtime/temporal-client';
