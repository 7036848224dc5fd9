import { defineJob } from './define-job';

/** Input of the demo `greet` job. */
export interface GreetInput {
  /** Who to greet. */
  readonly name: string;
}

/** Output of the demo `greet` job. */
export interface GreetOutput {
  /** The greeting the function built. */
  readonly greeting: string;
  /** Which function produced the result, so a test can tell it did not come from elsewhere. */
  readonly producedBy: string;
}

/** Demo job: the function greets someone by name. */
export const greet = defineJob<GreetInput, GreetOutput>({
  name: 'greet',
  queue: 'jobs',
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
});

/** Every job this project declares, keyed by name. */
export const JOBS = { greet } as const;
