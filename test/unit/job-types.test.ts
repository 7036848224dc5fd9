import { describe, expectTypeOf, it } from 'vitest';
import { greet } from '../../jobs/catalog';
import type { GreetInput, GreetOutput } from '../../jobs/catalog';
import type { JobInput, JobOutput } from '../../jobs/define-job';
import type { JobCallers } from '../../jobs/proxy-jobs';
import { AWAIT_CALLBACK, handleJob } from '../../functions/runtime/job-handler';

describe('typed job contracts (checked by tsc in `npm test`)', () => {
  it('derives input and output types from the definition', () => {
    expectTypeOf<JobInput<typeof greet>>().toEqualTypeOf<GreetInput>();
    expectTypeOf<JobOutput<typeof greet>>().toEqualTypeOf<GreetOutput>();
    expectTypeOf<JobCallers<{ greet: typeof greet }>['greet']>().returns.resolves.toEqualTypeOf<GreetOutput>();
  });

  it('accepts a handler returning the job’s output and rejects any other', () => {
    handleJob(greet, async ({ name }) => ({ greeting: name, producedBy: 'x' }));
    // @ts-expect-error: a handler must return the job's output type
    handleJob(greet, async () => ({ greeting: 42 }));
    // @ts-expect-error: the input is typed too
    handleJob(greet, async ({ nickname }) => ({ greeting: nickname, producedBy: 'x' }));
  });

  it('accepts AWAIT_CALLBACK in place of the output, and no look-alike', () => {
    handleJob(greet, async () => AWAIT_CALLBACK);
    // @ts-expect-error: an empty object is neither the output nor the marker
    handleJob(greet, async () => ({}));
  });
});
