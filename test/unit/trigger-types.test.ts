import { describe, expect, expectTypeOf, it } from 'vitest';
import { eventBridgeTrigger, httpTrigger, s3Trigger, sqsTrigger } from '../../jobs/define-trigger';
import type { S3TriggerEvent } from '../../jobs/define-trigger';
import { greetOnRequest, greetOnUpload } from '../../jobs/triggers';
import type { GreetInput } from '../../jobs/catalog';
import { defineWorkflow, greetingWorkflowContract } from '../../jobs/workflow-contracts';
import type { WorkflowOf } from '../../jobs/workflow-contracts';

const workflow = greetingWorkflowContract;
type Greeting = WorkflowOf<typeof workflow>;

describe('typed trigger contracts (checked by tsc in `npm test`)', () => {
  it("types a trigger's mapping by the workflow's parameters", () => {
    expectTypeOf(greetOnUpload.args).returns.toEqualTypeOf<[input: GreetInput]>();
    expectTypeOf(greetOnUpload.args).parameter(0).toEqualTypeOf<S3TriggerEvent>();
    expectTypeOf(greetOnRequest.args).parameter(0).toHaveProperty('body').toHaveProperty('requestId').toBeString();
  });

  it("rejects a mapping that does not produce the workflow's arguments", () => {
    s3Trigger({ workflow, name: 'ok', queue: 'uploads', args: (e) => [{ name: e.s3.object.key }] });
    // @ts-expect-error: a field the workflow's input does not have
    s3Trigger({ workflow, name: 'a', queue: 'uploads', args: (e) => [{ nickname: e.s3.object.key }] });
    // @ts-expect-error: the wrong type for the field
    s3Trigger({ workflow, name: 'b', queue: 'uploads', args: (e) => [{ name: e.s3.object.size }] });
    // @ts-expect-error: the input itself, not its argument list
    s3Trigger({ workflow, name: 'c', queue: 'uploads', args: (e) => ({ name: e.s3.object.key }) });
    // @ts-expect-error: one argument too many
    s3Trigger({ workflow, name: 'd', queue: 'uploads', args: (e) => [{ name: e.s3.object.key }, 1] });
  });

  it('takes the types of a workflow with several parameters from its contract', () => {
    const twoArgs = defineWorkflow<(job: string, input: unknown) => Promise<unknown>>({ workflowType: 'runJobWorkflow', taskQueue: 'q' });
    s3Trigger({ workflow: twoArgs, name: 'e', queue: 'uploads', args: (e) => ['greet', { name: e.s3.object.key }] });
    // @ts-expect-error: the first parameter is a string
    s3Trigger({ workflow: twoArgs, name: 'f', queue: 'uploads', args: (e) => [e.s3.object.size, {}] });
    // @ts-expect-error: a trigger typed for one workflow cannot name another
    s3Trigger<Parameters<Greeting>>({ workflow: twoArgs, name: 'g', queue: 'uploads', args: (e) => [{ name: e.s3.object.key }] });
  });

  it('types the event by its source, and its data by the parser the trigger names', () => {
    eventBridgeTrigger({
      workflow,
      name: 'h',
      queue: 'signups',
      pattern: { source: ['x'] },
      parseDetail: (detail) => ({ user: String((detail as { user?: unknown }).user) }),
      args: (event) => [{ name: event.detail.user }],
    });
    eventBridgeTrigger({
      workflow,
      name: 'i',
      queue: 'signups',
      pattern: { source: ['x'] },
      // @ts-expect-error: without a parser the detail is `unknown`
      args: (event) => [{ name: event.detail.name }],
    });
    sqsTrigger({
      workflow,
      name: 'j',
      queue: 'requests',
      parse: (body) => ({ who: body }),
      // @ts-expect-error: the business key must be a string
      businessKey: ({ record }) => record.attributes.ApproximateReceiveCount.length,
      args: ({ body }) => [{ name: body.who }],
    });
    sqsTrigger({
      workflow,
      name: 'k',
      queue: 'requests',
      parse: (body) => ({ who: body }),
      // @ts-expect-error: `body` is what `parse` returns
      args: ({ body }) => [{ name: body.name }],
    });
  });

  it('refuses a queue that jobs/queues.json does not declare as a trigger queue', () => {
    // @ts-expect-error: `jobs` is a job queue, not a trigger queue
    expect(() => s3Trigger({ workflow, name: 'l', queue: 'jobs', args: () => [{ name: 'x' }] })).not.toThrow();
  });

  it('refuses a name that cannot be part of a workflow id and a queue name', () => {
    expect(() => s3Trigger({ workflow, name: 'Bad Name', queue: 'uploads', args: () => [{ name: 'x' }] })).toThrow(
      /Trigger name "Bad Name" is not valid/,
    );
  });

  it('types an HTTP trigger by its parser and the workflow, and takes only the known auth modes', () => {
    httpTrigger({
      workflow,
      name: 'm',
      parse: (b) => ({ who: b }),
      args: ({ body, request }) => [{ name: `${body.who}@${request.rawPath}` }],
    });
    // @ts-expect-error: `body` is what `parse` returns
    httpTrigger({ workflow, name: 'n', parse: (b) => ({ who: b }), args: ({ body }) => [{ name: body.name }] });
    // @ts-expect-error: an auth mode that does not exist
    httpTrigger({ workflow, name: 'o', auth: 'basic', args: () => [{ name: 'x' }] });
  });
});
