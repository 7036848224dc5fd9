import * as v from 'valibot';
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

/** Input of the demo `approval` job. */
export interface ApprovalInput {
  /** What is asked for, in a sentence. */
  readonly request: string;
}

/**
 * Output of the demo `approval` job, as a schema: the callback function checks every body against it. Valibot
 * because it is small (the function bundles only the validators used), has no dependencies, and speaks
 * Standard Schema, which is all the runtime asks of a schema (zod or arktype would do as well).
 */
export const ApprovalOutput = v.object({
  approved: v.boolean(),
  by: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  comment: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});

/** Output of the demo `approval` job. */
export type ApprovalOutput = v.InferOutput<typeof ApprovalOutput>;

/** Demo job finished from outside: its handler hands out a callback URL, and a person's `POST` completes it. */
export const approval = defineJob<ApprovalInput, ApprovalOutput>({
  name: 'approval',
  queue: 'jobs',
  startToCloseTimeout: '1 hour',
  retry: { maximumAttempts: 1 },
  output: ApprovalOutput,
});

/** Every job this project declares, keyed by name. */
export const JOBS = { greet, approval } as const;

/** The jobs whose callback URLs the callback function accepts. */
export const CALLBACK_JOBS = [approval] as const;
