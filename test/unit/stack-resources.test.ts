import { describe, expect, it } from 'vitest';
import { QueueDefinitionError } from '../../infra/cloudformation/errors';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { CONSUMERS, physicalQueueNames, QUEUES } from '../../jobs/queues';
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
    for (const fn of Object.values(functions)) expect(fn.events[0]?.sqs).not.toHaveProperty('maximumBatchingWindow');
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
    expect(problems[0]).toMatch(/queues\.jobs\.visibilityTimeoutSeconds is 60, under .* = 155: raise it/);
    expect(problems[1]).toMatch(/deadLetter\.visibilityTimeoutSeconds is not set/);
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
});
