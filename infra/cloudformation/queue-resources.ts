import { deadLetterQueueAttributeValues, jobQueueAttributeValues } from '../queue-attributes';
import { physicalQueueNames } from '../../jobs/queues';
import type { QueueDefinition } from '../../jobs/queues';
import { getAtt, queueArnTemplate, ref, RETAIN, STACK_NAME, sub } from './intrinsics';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { queueLogicalIds } from './logical-ids';

/**
 * A job queue and its dead-letter queue as CloudFormation resources: the attributes the local stack also
 * sets (from the shared {@link jobQueueAttributeValues}), plus what only AWS has: SQS-managed encryption
 * at rest, and a redrive-allow policy that lets only this job queue dead-letter into the dead-letter queue.
 * Both are retained when the stack is deleted: they may still hold jobs and dead letters.
 * Physical names are `<stack name>-<queue>` and `<stack name>-<queue>-dlq`, as locally `<stage>-<queue>`.
 */
export function queueResources(queue: string, definition: QueueDefinition): Record<string, CfnResource> {
  const ids = queueLogicalIds(queue);
  const names = physicalQueueNames(STACK_NAME, queue, definition);
  return {
    [ids.deadLetter]: {
      Type: 'AWS::SQS::Queue',
      ...RETAIN,
      Properties: {
        QueueName: sub(names.deadLetter),
        ...deadLetterQueueAttributeValues(definition),
        SqsManagedSseEnabled: true,
        // The source queue by its constructed ARN: a GetAtt would make the two queues depend on each other.
        RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [sub(queueArnTemplate(names.queue))] },
      },
    },
    [ids.queue]: {
      Type: 'AWS::SQS::Queue',
      ...RETAIN,
      Properties: {
        QueueName: sub(names.queue),
        ...jobQueueAttributeValues(definition, getAtt(ids.deadLetter, 'Arn')),
        SqsManagedSseEnabled: true,
      },
    },
  };
}

function exported(description: string, value: CfnValue, name: string): CfnOutput {
  return { Description: description, Value: value, Export: { Name: sub(`${STACK_NAME}-${name}`) } };
}

/** Outputs of a job queue: URL and ARN of the queue and of its dead-letter queue, each exported. */
export function queueOutputs(queue: string): Record<string, CfnOutput> {
  const ids = queueLogicalIds(queue);
  return {
    [`${ids.queue}Url`]: exported(`URL of the "${queue}" job queue; the worker sends its jobs here.`, ref(ids.queue), `${ids.queue}Url`),
    [`${ids.queue}Arn`]: exported(`ARN of the "${queue}" job queue.`, getAtt(ids.queue, 'Arn'), `${ids.queue}Arn`),
    [`${ids.deadLetter}Url`]: exported(
      `URL of the "${queue}" dead-letter queue; inspect or redrive what stays here.`,
      ref(ids.deadLetter),
      `${ids.deadLetter}Url`,
    ),
    [`${ids.deadLetter}Arn`]: exported(`ARN of the "${queue}" dead-letter queue.`, getAtt(ids.deadLetter, 'Arn'), `${ids.deadLetter}Arn`),
  };
}
