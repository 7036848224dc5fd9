import type { FunctionName } from '../../jobs/queues';
import { fnIf, getAtt, ref, STACK_NAME, sub } from './intrinsics';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { functionLogicalIds, PARAMETERS_YML } from './logical-ids';

/** Logical id of the managed policy the Temporal worker's role attaches. */
export const WORKER_POLICY_ID = 'WorkerQueuePolicy';

/** What a consuming function may do on its queues: exactly what Lambda's SQS event source needs. */
export const CONSUMER_SQS_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
] as const;

/** What the worker may do on the job queues: send job messages, and look a queue's URL up by name. */
export const WORKER_SQS_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueUrl'] as const;

/**
 * ARN of the job-signing key ring: the `JobSigningKeysSecretArn` parameter when set, else the secret the
 * stack creates (`parameters.yml`). The functions get it as `JOB_SIGNING_KEYS_SECRET_ARN`, and so does the
 * worker, from the `JobSigningKeysSecretArn` output.
 */
export const JOB_SIGNING_KEYS_SECRET: CfnValue = fnIf(
  PARAMETERS_YML.createJobSigningKeysSecret,
  ref(PARAMETERS_YML.jobSigningKeysSecret),
  ref(PARAMETERS_YML.jobSigningKeysSecretArn),
);

const policyDocument = (statements: readonly CfnValue[]): CfnValue => ({ Version: '2012-10-17', Statement: statements });

/**
 * The execution role of one consuming function: consume its own queues, write its own log group, nothing
 * else. Reading the Temporal connection settings is granted by `TemporalConnectionPolicy` in `parameters.yml`.
 */
export function functionRole(
  fn: FunctionName,
  description: string,
  queueArns: readonly CfnValue[],
  extraStatements: readonly CfnValue[] = [],
): Record<string, CfnResource> {
  const ids = functionLogicalIds(fn);
  return {
    [ids.role]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: description,
        AssumeRolePolicyDocument: policyDocument([
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]),
        Policies: [
          {
            PolicyName: `${fn}-queues-and-logs`,
            PolicyDocument: policyDocument([
              { Sid: 'ConsumeOwnQueues', Effect: 'Allow', Action: [...CONSUMER_SQS_ACTIONS], Resource: [...queueArns] },
              {
                Sid: 'WriteOwnLogGroup',
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: [getAtt(ids.logGroup, 'Arn')],
              },
              ...extraStatements,
            ]),
          },
        ],
      },
    },
  };
}

/**
 * The managed policy for the Temporal worker: send to the job queues, and read the job-signing key ring it
 * signs each message with; nothing else.
 */
export function workerPolicy(jobQueueArns: readonly CfnValue[], extraStatements: readonly CfnValue[] = []): Record<string, CfnResource> {
  return {
    [WORKER_POLICY_ID]: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: 'Lets the Temporal worker send job messages to the job queues of this stack and read the key ring it signs them with.',
        PolicyDocument: policyDocument([
          { Sid: 'SendJobMessages', Effect: 'Allow', Action: [...WORKER_SQS_ACTIONS], Resource: [...jobQueueArns] },
          { Sid: 'ReadJobSigningKeys', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [JOB_SIGNING_KEYS_SECRET] },
          ...extraStatements,
        ]),
      },
    },
  };
}

/**
 * Outputs for the worker, each exported as `<stack name>-<output>`: the worker policy's ARN, and the ARN of
 * the job-signing key ring (the worker's `JOB_SIGNING_KEYS_SECRET_ARN`).
 */
export function workerOutputs(): Record<string, CfnOutput> {
  const signingKeys = PARAMETERS_YML.jobSigningKeysSecretArn;
  return {
    [`${WORKER_POLICY_ID}Arn`]: {
      Description:
        "Managed policy to attach to the Temporal worker's role: sqs:SendMessage and sqs:GetQueueUrl on the job queues, " +
        "secretsmanager:GetSecretValue on the job-signing key ring, s3:PutObject on the payload bucket's inputs/ and s3:GetObject on its inputs/ and results/.",
      Value: ref(WORKER_POLICY_ID),
      Export: { Name: sub(`${STACK_NAME}-${WORKER_POLICY_ID}Arn`) },
    },
    [signingKeys]: {
      Description: "ARN of the Secrets Manager secret with the job-signing key ring: the worker's JOB_SIGNING_KEYS_SECRET_ARN.",
      Value: JOB_SIGNING_KEYS_SECRET,
      Export: { Name: sub(`${STACK_NAME}-${signingKeys}`) },
    },
  };
}
