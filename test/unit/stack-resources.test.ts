import { describe, expect, it } from 'vitest';
import { QueueDefinitionError } from '../../infra/cloudformation/errors';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { checkTriggers } from '../../infra/cloudformation/trigger-resources';
import { CONSUMERS, physicalQueueNames, QUEUES, TRIGGER_CONSUMER, TRIGGER_QUEUES } from '../../jobs/queues';
import { greetOnRequest, greetOnSignup } from '../../jobs/triggers';
import type { QueueDefinition } from '../../jobs/queues';

const jobs: QueueDefinition = QUEUES.jobs;

describe('buildStackResources', () => {
  it('makes a FIFO job queue and dead-letter queue, named with .fifo, with no batching window', () => {
    const { resources, functions } = buildStackResources({ orders: { ...jobs, fifo: true } }, CONSUMERS);
    expect(resources.Resources.OrdersQueue?.Properties).toMatchObject({
      FifoQueue: true,
      QueueName: { 'Fn::Sub': '${AWS::StackName}-orders.fifo' },
    });
    expect(resources.Resources.OrdersDeadLetterQueue?.Properties).toMatchObject({
      FifoQueue: true,
      QueueName: { 'Fn::Sub': '${AWS::StackName}-orders-dlq.fifo' },
    });
    for (const fn of [functions.processJobs, functions.deadLetter]) expect(fn.events[0]?.sqs).not.toHaveProperty('maximumBatchingWindow');
    expect(physicalQueueNames('dev', 'orders', { fifo: true })).toEqual({ queue: 'dev-orders.fifo', deadLetter: 'dev-orders-dlq.fifo' });
  });

  it('gives each queue its own logical ids, events and outputs', () => {
    const { resources, functions } = buildStackResources({ jobs, 'image-resize': jobs }, CONSUMERS);
    expect(Object.keys(resources.Resources)).toEqual(
      expect.arrayContaining(['JobsQueue', 'ImageResizeQueue', 'ImageResizeDeadLetterQueue']),
    );
    expect(functions.processJobs.events).toHaveLength(2);
    expect(Object.keys(resources.Outputs)).toContain('ImageResizeQueueUrl');
  });

  it('refuses a visibility timeout under 6 × the function timeout + batching window, saying what to change', () => {
    const tooShort = { ...jobs, visibilityTimeoutSeconds: 60, deadLetter: { messageRetentionSeconds: 1_209_600 } };
    const error = (() => {
      try {
        buildStackResources({ jobs: tooShort }, CONSUMERS);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(QueueDefinitionError);
    const { problems } = error as QueueDefinitionError;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/queues\.jobs\.visibilityTimeoutSeconds is 60, under .* = 150: raise it/);
    expect(problems[1]).toMatch(/deadLetter\.visibilityTimeoutSeconds is not set/);
  });

  it('takes a queue’s batching window opt-in into its event source and into the visibility it needs', () => {
    const windowed: QueueDefinition = { ...jobs, eventSource: { maximumBatchingWindowSeconds: 20 } };
    const { functions } = buildStackResources({ jobs: windowed }, CONSUMERS);
    expect(functions.processJobs.events[0]?.sqs.maximumBatchingWindow).toBe(20);
    expect(functions.deadLetter.events[0]?.sqs.maximumBatchingWindow).toBe(CONSUMERS.deadLetter.maximumBatchingWindowSeconds);
    expect(() => buildStackResources({ jobs: { ...windowed, eventSource: { maximumBatchingWindowSeconds: 40 } } }, CONSUMERS)).toThrow(
      /visibilityTimeoutSeconds is 180, under .* = 190: raise it/,
    );
  });

  it('puts provisioned pollers on the job queue’s event source mapping and drops its maximum concurrency', () => {
    const { functions, resources } = buildStackResources(
      { jobs: { ...jobs, eventSource: { provisionedPollers: { minimum: 3, maximum: 30 } } } },
      CONSUMERS,
    );
    expect(functions.processJobs.events[0]?.sqs).not.toHaveProperty('maximumConcurrency');
    expect(functions.deadLetter.events[0]?.sqs.maximumConcurrency).toBe(CONSUMERS.deadLetter.maximumConcurrency);
    expect(resources.extensions.ProcessJobsEventSourceMappingSQSJobsQueue).toEqual({
      Properties: { ProvisionedPollerConfig: { MinimumPollers: 3, MaximumPollers: 30 } },
    });
    expect(buildStackResources({ jobs }, CONSUMERS).resources.extensions).not.toHaveProperty('ProcessJobsEventSourceMappingSQSJobsQueue');
  });

  it.each([
    [{ provisionedPollers: { minimum: 1, maximum: 10 } }, /provisionedPollers\.minimum is 1; SQS event sources take 2 to 200/],
    [{ provisionedPollers: { minimum: 5, maximum: 4 } }, /provisionedPollers\.maximum is 4; it must be at least the minimum/],
    [{ provisionedPollers: { minimum: 2, maximum: 2001 } }, /maximum is 2001; .* at most 2000/],
    [{ maximumBatchingWindowSeconds: 301 }, /maximumBatchingWindowSeconds is 301; Lambda accepts 0 to 300/],
  ])('refuses the event source opt-in %j, saying what Lambda accepts', (eventSource, message) => {
    expect(() => buildStackResources({ jobs: { ...jobs, visibilityTimeoutSeconds: 600, eventSource } }, CONSUMERS)).toThrow(message);
  });

  it('refuses a batching window on a FIFO queue', () => {
    expect(() =>
      buildStackResources({ jobs: { ...jobs, fifo: true, eventSource: { maximumBatchingWindowSeconds: 1 } } }, CONSUMERS),
    ).toThrow(/is FIFO: its event source takes no batching window/);
  });

  it('refuses fewer than five deliveries before dead-lettering', () => {
    expect(() => buildStackResources({ jobs: { ...jobs, maxReceiveCount: 2 } }, CONSUMERS)).toThrow(/maxReceiveCount is 2; use at least 5/);
  });

  it('gives every queue of every definition a queue policy and keeps the queues and the log groups', () => {
    const { resources } = buildStackResources({ jobs, 'image-resize': { ...jobs, fifo: true } }, CONSUMERS);
    for (const id of ['JobsQueue', 'JobsDeadLetterQueue', 'ImageResizeQueue', 'ImageResizeDeadLetterQueue']) {
      expect(resources.Resources[id], id).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(resources.Resources[`${id}Policy`], id).toMatchObject({
        Type: 'AWS::SQS::QueuePolicy',
        Properties: { Queues: [{ Ref: id }] },
      });
    }
    expect(resources.extensions).toEqual({
      ProcessJobsLogGroup: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      DeadLetterLogGroup: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      StartWorkflowsLogGroup: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      StartWorkflowHttpLogGroup: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    });
  });

  it('restricts sending to a job queue only under HasWorkerPrincipal, and to a dead-letter queue always', () => {
    const { Resources } = buildStackResources({ jobs }, CONSUMERS).resources;
    const statements = (id: string) => (Resources[id]!.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    expect(statements('JobsQueuePolicy')).toHaveLength(2);
    expect(statements('JobsQueuePolicy')[1]).toMatchObject({
      'Fn::If': ['HasWorkerPrincipal', { Sid: 'SendOnlyFromWorker' }, { Ref: 'AWS::NoValue' }],
    });
    expect(statements('JobsDeadLetterQueuePolicy')[1]).toMatchObject({ Sid: 'DenySendMessage', Effect: 'Deny', Action: 'sqs:SendMessage' });
  });

  it('outputs the worker policy and the signing key ring, both exported', () => {
    const { Outputs } = buildStackResources({ jobs }, CONSUMERS).resources;
    expect(Outputs.WorkerQueuePolicyArn?.Export).toEqual({ Name: { 'Fn::Sub': '${AWS::StackName}-WorkerQueuePolicyArn' } });
    expect(Outputs.JobSigningKeysSecretArn).toMatchObject({
      Value: { 'Fn::If': ['CreateJobSigningKeysSecret', { Ref: 'JobSigningKeysSecret' }, { Ref: 'JobSigningKeysSecretArn' }] },
      Export: { Name: { 'Fn::Sub': '${AWS::StackName}-JobSigningKeysSecretArn' } },
    });
  });

  it('refuses triggers that share a queue, a trigger queue named like a job queue, or one the file lacks', () => {
    const queues = { ...TRIGGER_QUEUES, jobs: TRIGGER_QUEUES.requests };
    const onJobs = { ...greetOnSignup, name: 'on-jobs', queue: 'jobs' } as unknown as typeof greetOnSignup;
    const elsewhere = { ...greetOnSignup, name: 'elsewhere', queue: 'nowhere' } as unknown as typeof greetOnSignup;
    const problems = () =>
      checkTriggers([greetOnRequest, { ...greetOnRequest, name: 'twin' }, onJobs, elsewhere], queues, TRIGGER_CONSUMER);
    expect(problems).toThrow(QueueDefinitionError);
    expect(problems).toThrow(
      /share queue "requests"[\s\S]*triggerQueues.jobs has the name of a job queue[\s\S]*no "nowhere" under triggerQueues/,
    );
  });

  it('adds a starter role, events on the trigger queues only, and a bucket or rule per trigger', () => {
    const { resources, functions } = buildStackResources({ jobs }, CONSUMERS);
    expect(functions.startWorkflows.events.map((e) => e.sqs.arn)).toEqual(
      ['uploads', 'signups', 'requests'].map((q) => ({ 'Fn::GetAtt': [`${q[0]!.toUpperCase()}${q.slice(1)}Queue`, 'Arn'] })),
    );
    expect(resources.Resources.StartWorkflowsRole?.Type).toBe('AWS::IAM::Role');
    expect(resources.Resources.GreetOnUploadBucket?.Type).toBe('AWS::S3::Bucket');
    expect(resources.Resources.GreetOnSignupRule?.Type).toBe('AWS::Events::Rule');
  });
});
