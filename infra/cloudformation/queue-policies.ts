import { fnIf, getAtt, NO_VALUE, ref } from './intrinsics';
import type { CfnResource, CfnValue } from './intrinsics';
import { PARAMETERS_YML, queueLogicalIds } from './logical-ids';

/**
 * Queue policies only ever deny: what a principal may do is granted by its own IAM policies (the functions'
 * roles, the worker's managed policy). The denies hold whatever those grant, within the account or outside.
 */
const denyEveryone = (sid: string, action: string, queueArn: CfnValue, condition: CfnValue): CfnValue => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: queueArn,
  Condition: condition,
});

/** Every SQS request over plain HTTP is refused; the SDKs and Lambda's event source use HTTPS. */
const denyInsecureTransport = (queueArn: CfnValue): CfnValue =>
  denyEveryone('DenyInsecureTransport', 'sqs:*', queueArn, { Bool: { 'aws:SecureTransport': 'false' } });

function queuePolicy(queueId: string, statements: readonly CfnValue[]): CfnResource {
  return {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref(queueId)],
      PolicyDocument: { Version: '2012-10-17', Statement: [...statements] },
    },
  };
}

/**
 * The queue policies of a job queue and of its dead-letter queue.
 *
 * - Both refuse requests made without TLS.
 * - The job queue refuses `sqs:SendMessage` (and so `SendMessageBatch`) from any principal but
 *   `WorkerPrincipalArn`, when that parameter is set. Empty, any principal of the account that IAM allows
 *   to send can.
 * - The dead-letter queue refuses `sqs:SendMessage` from every IAM principal: SQS moves messages there
 *   itself (the redrive policy; its redrive-allow policy names the one source queue), and a redrive *out*
 *   of it (`StartMessageMoveTask`) sends to the job queue, not to it. AWS service principals are left out
 *   of the deny only so that nothing SQS does on its own behalf can ever be caught by it; no statement
 *   allows them anything.
 *
 * Nothing here touches what the functions' event sources do (receive, delete, change visibility, read
 * attributes, over HTTPS).
 */
export function queuePolicies(queue: string): Record<string, CfnResource> {
  const ids = queueLogicalIds(queue);
  const jobQueueArn = getAtt(ids.queue, 'Arn');
  const deadLetterArn = getAtt(ids.deadLetter, 'Arn');
  return {
    [`${ids.queue}Policy`]: queuePolicy(ids.queue, [
      denyInsecureTransport(jobQueueArn),
      fnIf(
        PARAMETERS_YML.hasWorkerPrincipal,
        denyEveryone('SendOnlyFromWorker', 'sqs:SendMessage', jobQueueArn, {
          ArnNotEquals: { 'aws:PrincipalArn': ref(PARAMETERS_YML.workerPrincipalArn) },
        }),
        NO_VALUE,
      ),
    ]),
    [`${ids.deadLetter}Policy`]: queuePolicy(ids.deadLetter, [
      denyInsecureTransport(deadLetterArn),
      denyEveryone('DenySendMessage', 'sqs:SendMessage', deadLetterArn, { Bool: { 'aws:PrincipalIsAWSService': 'false' } }),
    ]),
  };
}
