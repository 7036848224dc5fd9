import type { FunctionName } from '../../jobs/queues';

/**
 * Logical ids shared with `infra/cloudformation/parameters.yml` (hand-written) and with what osls generates
 * for `serverless.yml`'s functions. Changing one here means changing it there.
 */
export const PARAMETERS_YML = {
  /** Condition: an alarm topic exists, created or given. */
  hasAlarmTopic: 'HasAlarmTopic',
  /** Condition: the `AlarmTopicArn` parameter names an existing topic. */
  useExistingAlarmTopic: 'UseExistingAlarmTopic',
  /** Parameter: ARN of an existing SNS topic for alarms. */
  alarmTopicArn: 'AlarmTopicArn',
  /** Resource (conditional): the SNS topic the stack creates for `AlarmEmail`. */
  alarmTopic: 'AlarmTopic',
  /** Parameter: ARN of the worker's IAM principal, the only one that may send to the job queues; empty means any. */
  workerPrincipalArn: 'WorkerPrincipalArn',
  /** Condition: `WorkerPrincipalArn` is set. */
  hasWorkerPrincipal: 'HasWorkerPrincipal',
  /** Parameter: ARN of an existing job-signing key ring secret; empty makes the stack create one. */
  jobSigningKeysSecretArn: 'JobSigningKeysSecretArn',
  /** Condition: `JobSigningKeysSecretArn` is empty, so the stack creates {@link PARAMETERS_YML.jobSigningKeysSecret}. */
  createJobSigningKeysSecret: 'CreateJobSigningKeysSecret',
  /** Resource (conditional): the job-signing key ring secret the stack creates. */
  jobSigningKeysSecret: 'JobSigningKeysSecret',
  /** Parameter: days after which a stored payload expires (the payload bucket's lifecycle rule). */
  payloadExpirationDays: 'PayloadExpirationDays',
} as const;

/** `image-resize` → `ImageResize`: a logical-id-safe PascalCase form of a logical queue name. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Logical ids of a job queue's resources. */
export function queueLogicalIds(queue: string): { queue: string; deadLetter: string } {
  const base = pascalCase(queue);
  return { queue: `${base}Queue`, deadLetter: `${base}DeadLetterQueue` };
}

/** The functions of `serverless.yml` that consume no queue, behind a Function URL: the HTTP starter and the callback function. */
export type UrlFunctionName = 'startWorkflowHttp' | 'callback';

/** Logical ids osls gives a function's resources (its naming: first letter upper-cased). */
export function functionLogicalIds(fn: FunctionName | UrlFunctionName): { function: string; logGroup: string; role: string } {
  const base = fn[0]!.toUpperCase() + fn.slice(1);
  return { function: `${base}LambdaFunction`, logGroup: `${base}LogGroup`, role: `${base}Role` };
}

/**
 * Logical id osls gives the event source mapping of a function's SQS event on a queue resource of this
 * stack (its naming: function, `EventSourceMappingSQS`, the queue's logical id).
 */
export function eventSourceMappingLogicalId(fn: FunctionName, queueLogicalId: string): string {
  return `${fn[0]!.toUpperCase()}${fn.slice(1)}EventSourceMappingSQS${queueLogicalId}`;
}
