import { greet } from '../../jobs/catalog';
import { handleJob } from '../runtime/job-handler';

/** Marks results of this function, so a workflow (and a test) can tell where its result came from. */
export const PRODUCED_BY = 'lambda:process-jobs';

/** Handler of the demo `greet` job. */
export const greetHandler = handleJob(greet, async ({ name }) => ({
  greeting: `Hello, ${name}!`,
  producedBy: PRODUCED_BY,
}));
