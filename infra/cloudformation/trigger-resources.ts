import { minimumVisibilityTimeout } from '../queue-attributes';
import { HttpAuth } from '../../jobs/define-trigger';
import type { AnyHttpTrigger, AnyTrigger } from '../../jobs/define-trigger';
import { DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS, QUEUES } from '../../jobs/queues';
import type { QueueConsumer, TriggerQueueDefinition } from '../../jobs/queues';
import { deadLetterDepthAlarm, functionAlarms, oldestMessageAlarm } from './alarm-resources';
import { hardenedBucketProperties, tlsOnlyBucketPolicy } from './bucket-properties';
import { MIN_MAX_RECEIVE_COUNT } from './check-definitions';
import { QueueDefinitionError } from './errors';
import { getAtt, ref, RETAIN, STACK_NAME, sub } from './intrinsics';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { pascalCase, queueLogicalIds } from './logical-ids';
import { queueResources } from './queue-resources';

/** Logical ids of what a trigger adds besides its queues: the bucket (S3) or the rule (EventBridge). */
export function triggerLogicalIds(trigger: Pick<AnyTrigger, 'name'>): { bucket: string; rule: string } {
  const base = pascalCase(trigger.name);
  return { bucket: `${base}Bucket`, rule: `${base}Rule` };
}

/**
 * The name of an S3 trigger's bucket: `<stack name>-<trigger name>-<account id>`, spelled out so that the
 * queue policy can name the bucket before it exists (S3 checks the policy when the notification is set, so
 * the bucket must come after it; a `GetAtt` would make the two depend on each other). Bucket names are
 * lowercase and at most 63 characters: the stack name must be lowercase (`--stage` too).
 */
export const bucketNameTemplate = (trigger: Pick<AnyTrigger, 'name'>): string => `${STACK_NAME}-${trigger.name}-\${AWS::AccountId}`;

const denyInsecureTransport = (arn: CfnValue): CfnValue => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Resource: arn,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** The service that delivers a trigger's events to its queue, and the ARN it delivers from. */
function deliveringService(trigger: AnyTrigger): { principal: string; sourceArn: CfnValue } | undefined {
  switch (trigger.source) {
    case 's3':
      return { principal: 's3.amazonaws.com', sourceArn: sub(`arn:\${AWS::Partition}:s3:::${bucketNameTemplate(trigger)}`) };
    case 'eventbridge':
      return { principal: 'events.amazonaws.com', sourceArn: getAtt(triggerLogicalIds(trigger).rule, 'Arn') };
    case 'sqs':
      return undefined;
  }
}

/**
 * The queue policies of a trigger's queue and dead-letter queue. Both refuse requests without TLS. The
 * queue lets S3 (from the trigger's bucket, of this account) or EventBridge (from the trigger's rule) send
 * to it — the one Allow in a queue policy of this stack: a service principal has no IAM role to grant it.
 * An SQS trigger's queue takes messages from whoever IAM lets send. The dead-letter queue refuses every IAM
 * principal's SendMessage, as the job queues' do; an EventBridge trigger's lets its rule send the events it
 * could not deliver to the queue (the rule's dead-letter config).
 */
function triggerQueuePolicies(trigger: AnyTrigger): Record<string, CfnResource> {
  const ids = queueLogicalIds(trigger.queue);
  const queueArn = getAtt(ids.queue, 'Arn');
  const deadLetterArn = getAtt(ids.deadLetter, 'Arn');
  const service = deliveringService(trigger);
  const policy = (queueId: string, statements: CfnValue[]): CfnResource => ({
    Type: 'AWS::SQS::QueuePolicy',
    Properties: { Queues: [ref(queueId)], PolicyDocument: { Version: '2012-10-17', Statement: statements } },
  });
  return {
    [`${ids.queue}Policy`]: policy(ids.queue, [
      denyInsecureTransport(queueArn),
      ...(service
        ? [
            {
              Sid: 'DeliverTriggerEvents',
              Effect: 'Allow',
              Principal: { Service: service.principal },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: {
                ArnEquals: { 'aws:SourceArn': service.sourceArn },
                StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
              },
            },
          ]
        : []),
    ]),
    [`${ids.deadLetter}Policy`]: policy(ids.deadLetter, [
      denyInsecureTransport(deadLetterArn),
      {
        Sid: 'DenySendMessage',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: deadLetterArn,
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      },
      ...(trigger.source === 'eventbridge'
        ? [
            {
              Sid: 'DeadLetterUndeliverableEvents',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: deadLetterArn,
              Condition: {
                ArnEquals: { 'aws:SourceArn': getAtt(triggerLogicalIds(trigger).rule, 'Arn') },
                StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
              },
            },
          ]
        : []),
    ]),
  };
}

/**
 * The bucket of an S3 trigger: private, encrypted, refusing requests without TLS, kept with the stack's data,
 * notifying the trigger's queue.
 */
function s3Bucket(trigger: Extract<AnyTrigger, { source: 's3' }>): Record<string, CfnResource> {
  const ids = queueLogicalIds(trigger.queue);
  const rules = [
    ...(trigger.prefix ? [{ Name: 'prefix', Value: trigger.prefix }] : []),
    ...(trigger.suffix ? [{ Name: 'suffix', Value: trigger.suffix }] : []),
  ];
  return {
    [triggerLogicalIds(trigger).bucket]: {
      Type: 'AWS::S3::Bucket',
      ...RETAIN,
      // S3 checks at PutBucketNotificationConfiguration that it may send to the queue.
      DependsOn: [`${ids.queue}Policy`],
      Properties: {
        BucketName: sub(bucketNameTemplate(trigger)),
        ...hardenedBucketProperties(),
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Event: 's3:ObjectCreated:*',
              Queue: getAtt(ids.queue, 'Arn'),
              ...(rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {}),
            },
          ],
        },
      },
    } as CfnResource,
    [`${triggerLogicalIds(trigger).bucket}Policy`]: tlsOnlyBucketPolicy(triggerLogicalIds(trigger).bucket),
  };
}

/**
 * How EventBridge retries delivering an event to a trigger queue before it sends the event to the trigger's
 * dead-letter queue. A failed delivery to SQS is a configuration error (a queue policy, a deleted queue) or a
 * rare SQS outage: an hour rides out the outage, and then the dead-letter queue's alarm says so, where
 * EventBridge's defaults (185 attempts over 24 h, then drop the event) would retry silently for a day and lose it.
 */
export const EVENTBRIDGE_TARGET_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 } as const;

/**
 * The rule of an EventBridge trigger on the default bus: the trigger's pattern, its queue as the target, and
 * the trigger's dead-letter queue for events EventBridge could not deliver (see infra/README.md for why that
 * queue rather than one of its own).
 */
function eventBridgeRule(trigger: Extract<AnyTrigger, { source: 'eventbridge' }>): Record<string, CfnResource> {
  const ids = queueLogicalIds(trigger.queue);
  return {
    [triggerLogicalIds(trigger).rule]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `Trigger ${trigger.name}: starts ${trigger.workflow.workflowType} for every matching event.`,
        EventPattern: trigger.pattern as CfnValue,
        State: 'ENABLED',
        Targets: [
          {
            Id: 'trigger-queue',
            Arn: getAtt(ids.queue, 'Arn'),
            RetryPolicy: EVENTBRIDGE_TARGET_RETRY,
            DeadLetterConfig: { Arn: getAtt(ids.deadLetter, 'Arn') },
          },
        ],
      },
    },
  };
}

/** Alarms of a trigger queue: anything on its dead-letter queue, and events waiting too long. */
function triggerQueueAlarms(trigger: AnyTrigger, definition: TriggerQueueDefinition): Record<string, CfnResource> {
  const ids = queueLogicalIds(trigger.queue);
  const ageLimit = definition.oldestMessageAlarmSeconds ?? DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS;
  return {
    [`${ids.deadLetter}MessagesAlarm`]: deadLetterDepthAlarm(
      `The "${trigger.queue}" trigger dead-letter queue holds events that started no workflow: unreadable, refused by the ` +
        "trigger's mapping or by Temporal, or left through a long Temporal outage. Read the startWorkflows logs by message " +
        'id, then fix and redrive, or delete.',
      getAtt(ids.deadLetter, 'QueueName'),
    ),
    [`${ids.queue}OldestMessageAlarm`]: oldestMessageAlarm(
      ids.queue,
      ageLimit,
      `The oldest event on the "${trigger.queue}" trigger queue has waited over ${ageLimit} s: startWorkflows is not keeping up, or Temporal is unreachable.`,
    ),
  };
}

function exported(description: string, value: CfnValue, name: string): CfnOutput {
  return { Description: description, Value: value, Export: { Name: sub(`${STACK_NAME}-${name}`) } };
}

/** Outputs of a trigger: its queue's and dead-letter queue's URLs and ARNs, and its bucket's name. */
function triggerOutputs(trigger: AnyTrigger): Record<string, CfnOutput> {
  const ids = queueLogicalIds(trigger.queue);
  const into = trigger.source === 'sqs' ? 'other systems send their messages here' : `${trigger.source} delivers its events here`;
  return {
    [`${ids.queue}Url`]: exported(
      `URL of the "${trigger.queue}" trigger queue (${trigger.name}); ${into}.`,
      ref(ids.queue),
      `${ids.queue}Url`,
    ),
    [`${ids.queue}Arn`]: exported(`ARN of the "${trigger.queue}" trigger queue.`, getAtt(ids.queue, 'Arn'), `${ids.queue}Arn`),
    [`${ids.deadLetter}Url`]: exported(
      `URL of the "${trigger.queue}" trigger dead-letter queue; events that started no workflow wait here.`,
      ref(ids.deadLetter),
      `${ids.deadLetter}Url`,
    ),
    ...(trigger.source === 's3'
      ? {
          [triggerLogicalIds(trigger).bucket]: exported(
            `Bucket of trigger ${trigger.name}: every object created in it starts ${trigger.workflow.workflowType}.`,
            ref(triggerLogicalIds(trigger).bucket),
            triggerLogicalIds(trigger).bucket,
          ),
        }
      : {}),
  };
}

/**
 * Checks trigger queues as {@link checkQueueDefinitions} checks job queues: one trigger per queue, a name no
 * job queue has, a visibility timeout that covers the starter's invocations, a dead-letter queue that keeps
 * what reaches it.
 * @throws QueueDefinitionError listing every problem
 */
export function checkTriggers(
  triggers: readonly AnyTrigger[],
  queues: Readonly<Record<string, TriggerQueueDefinition>>,
  consumer: QueueConsumer,
): void {
  const problems: string[] = [];
  const used = new Map<string, string>();
  for (const trigger of triggers) {
    const definition = queues[trigger.queue];
    if (!definition) {
      problems.push(`trigger ${trigger.name}: there is no "${trigger.queue}" under triggerQueues.`);
      continue;
    }
    if (used.has(trigger.queue)) problems.push(`triggers ${used.get(trigger.queue)} and ${trigger.name} share queue "${trigger.queue}".`);
    used.set(trigger.queue, trigger.name);
    if (trigger.queue in QUEUES) problems.push(`triggerQueues.${trigger.queue} has the name of a job queue: rename it.`);
    const need = minimumVisibilityTimeout(consumer);
    if (definition.visibilityTimeoutSeconds < need) {
      problems.push(`triggerQueues.${trigger.queue}.visibilityTimeoutSeconds is ${definition.visibilityTimeoutSeconds}, under ${need}.`);
    }
    if (definition.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
      problems.push(
        `triggerQueues.${trigger.queue}.maxReceiveCount is ${definition.maxReceiveCount}; use at least ${MIN_MAX_RECEIVE_COUNT}.`,
      );
    }
    if (definition.deadLetter.messageRetentionSeconds <= definition.messageRetentionSeconds) {
      problems.push(`triggerQueues.${trigger.queue}.deadLetter.messageRetentionSeconds must exceed the queue's messageRetentionSeconds.`);
    }
  }
  if (problems.length > 0) throw new QueueDefinitionError(problems);
}

/**
 * Everything of the deployed stack a trigger brings: its queue and dead-letter queue (the job queues'
 * attributes, encryption and retention), their policies and alarms, the S3 bucket or EventBridge rule that
 * delivers to it, and outputs. The starter function's role, events and alarms are in `stack-resources.ts`.
 */
export function triggerResources(
  trigger: AnyTrigger,
  definition: TriggerQueueDefinition,
): { resources: Record<string, CfnResource>; outputs: Record<string, CfnOutput> } {
  return {
    resources: {
      ...queueResources(trigger.queue, definition),
      ...triggerQueuePolicies(trigger),
      ...triggerQueueAlarms(trigger, definition),
      ...(trigger.source === 's3' ? s3Bucket(trigger) : {}),
      ...(trigger.source === 'eventbridge' ? eventBridgeRule(trigger) : {}),
    },
    outputs: triggerOutputs(trigger),
  };
}

/** Name of the HTTP starter in `serverless.yml`; osls derives its logical ids from it. */
export const HTTP_STARTER = 'startWorkflowHttp';

/** Seconds the HTTP starter may run: a start, its retries while Temporal blips, the answer. */
export const HTTP_STARTER_TIMEOUT_SECONDS = 15;

/**
 * The HTTP starter's part of the stack: its role (write its own log group, nothing else: the Temporal
 * secrets come from `StarterConnectionPolicy`), its alarms, and its Function URL setting for osls — IAM auth
 * (`authorizer: aws_iam`: only SigV4-signed calls of principals granted `lambda:InvokeFunctionUrl`), or a
 * public URL when the HTTP triggers check an HMAC themselves.
 * @throws QueueDefinitionError when the HTTP triggers mix IAM and HMAC (one Function URL takes one auth type)
 */
export function httpStarterResources(triggers: readonly AnyHttpTrigger[]): {
  resources: Record<string, CfnResource>;
  url: true | { readonly authorizer: 'aws_iam' };
} {
  const modes = new Set(triggers.map((t) => t.auth ?? HttpAuth.Iam));
  if (modes.size > 1) throw new QueueDefinitionError(['the HTTP triggers mix IAM and HMAC auth; one Function URL takes one: split them.']);
  const logGroup = getAtt(`${pascalCase(HTTP_STARTER)}LogGroup`, 'Arn');
  return {
    resources: {
      [`${pascalCase(HTTP_STARTER)}Role`]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `${HTTP_STARTER}: starts workflows for HTTP trigger requests.`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: `${HTTP_STARTER}-logs`,
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'WriteOwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logGroup] },
                ],
              },
            },
          ],
        },
      },
      ...functionAlarms(HTTP_STARTER),
    },
    url: modes.has(HttpAuth.Hmac) ? true : { authorizer: 'aws_iam' },
  };
}
