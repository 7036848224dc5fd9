import { PRODUCED_BY_ACTIVITY, runNoop } from './bench-jobs';
import type { NoopInput, NoopOutput } from './bench-jobs';
import { DIRECT_ACTIVITY } from './bench-jobs';

/** The direct path's plain activity: the trivial job run inside the worker, completed by the worker itself. */
export function createDirectActivities(): Record<string, (input: NoopInput) => Promise<NoopOutput>> {
  return { [DIRECT_ACTIVITY]: async (input) => runNoop(input, PRODUCED_BY_ACTIVITY) };
}
