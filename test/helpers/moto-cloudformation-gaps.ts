import type { CloudFormationTemplate } from './packaged-service';

/**
 * Something of the packaged template that moto (5.2.5) does not deploy as AWS would, what the deploy test
 * does about it, and which check of the template covers it instead.
 */
export interface MotoGap {
  /** What moto does not emulate, and what it does instead. */
  readonly what: string;
  /** A resource type moto's CloudFormation has no model for: it logs "No Moto CloudFormation support", skips the resource and still completes the stack. */
  readonly skippedResourceType?: string;
  /** A resource type moto's CloudFormation fails on: the deploy leaves it (and the outputs naming it) out of the template. */
  readonly removedResourceType?: string;
  /** Titles of the tests in test/infra/template.test.ts that check this part of the template instead. */
  readonly checkedBy: readonly string[];
  /** True when the packaged template has the part (so the gap matters, and the test can tell when it no longer does). */
  readonly inTemplate: (template: CloudFormationTemplate) => boolean;
}

type Resources = CloudFormationTemplate['Resources'];
const ofType = (resources: Resources, type: string) => Object.values(resources).filter((r) => r.Type === type);
const CFN_LINT = 'passes cfn-lint with no errors';

/**
 * Conditions of an `Fn::If` inside a list whose other branch is `AWS::NoValue`: real CloudFormation drops the
 * element, moto keeps a `null` in the list (a policy's `Statement` list then fails with "Syntax errors in policy").
 */
export function noValueInListConditions(node: unknown, inList = false): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => noValueInListConditions(n, true));
  if (!node || typeof node !== 'object') return [];
  const fnIf = (node as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
  const own =
    inList && fnIf && [fnIf[1], fnIf[2]].some((branch) => (branch as { Ref?: string } | null)?.Ref === 'AWS::NoValue') ? [fnIf[0]] : [];
  return [...own, ...Object.values(node).flatMap((value) => noValueInListConditions(value))];
}

/** What moto does not emulate of this template; test/infra/deploy-to-moto.test.ts asserts each entry. */
export const MOTO_GAPS: readonly MotoGap[] = [
  {
    what:
      "Lambda Function URLs (startWorkflowHttp's, issue 16; callback's, issue 18): moto's CloudFormation answers an HTML " +
      'error page for a stack with one, and a GetAtt of its FunctionUrl does not validate; the deploy leaves them out and ' +
      'gives processJobs a stand-in CALLBACK_BASE_URL',
    removedResourceType: 'AWS::Lambda::Url',
    checkedBy: [
      'serves the HTTP triggers from a Function URL with IAM auth, the starter reading only the Temporal secrets',
      'serves the callback function on a public URL, throttled, with a role that reads only its key ring and Temporal secrets',
      CFN_LINT,
    ],
    inTemplate: (t) => ofType(t.Resources, 'AWS::Lambda::Url').length > 0,
  },
  {
    what: 'CloudWatch alarms: no CloudFormation model, skipped',
    skippedResourceType: 'AWS::CloudWatch::Alarm',
    checkedBy: [
      'alarms on dead-lettered messages, old messages, function errors and throttles',
      'alarms on every message of a dead-letter queue, visible or held in flight by the deadLetter function',
    ],
    inTemplate: (t) => ofType(t.Resources, 'AWS::CloudWatch::Alarm').length > 0,
  },
  {
    what: 'SQS queue policies (the TLS deny, the worker-only and no-one sends): no CloudFormation model, skipped',
    skippedResourceType: 'AWS::SQS::QueuePolicy',
    checkedBy: [
      'refuses requests without TLS on every queue, and sends to a dead-letter queue from every principal',
      'lets only WorkerPrincipalArn send to the job queues when it is set',
    ],
    inTemplate: (t) => ofType(t.Resources, 'AWS::SQS::QueuePolicy').length > 0,
  },
  {
    what: 'the deployment bucket policy osls adds (TLS only): no CloudFormation model, skipped',
    skippedResourceType: 'AWS::S3::BucketPolicy',
    checkedBy: ['grants no wildcard action and no wildcard resource', CFN_LINT],
    inTemplate: (t) => t.Resources.ServerlessDeploymentBucketPolicy?.Type === 'AWS::S3::BucketPolicy',
  },
  {
    what:
      'the job-signing and callback key rings the stack creates (JobSigningKeysSecret, CallbackSigningKeysSecret): no ' +
      'CloudFormation model, so a Ref to them resolves to nothing and moto refuses the policies that grant them ("Policy ' +
      'statement must contain resources"); the deploy passes JobSigningKeysSecretArn and CallbackSigningKeysSecretArn, existing secrets, instead',
    skippedResourceType: 'AWS::SecretsManager::Secret',
    checkedBy: ['gives the functions and the worker the job-signing key ring: a given secret, or one the stack creates and keeps'],
    inTemplate: (t) => t.Resources.JobSigningKeysSecret?.Type === 'AWS::SecretsManager::Secret',
  },
  {
    what:
      'Fn::If with AWS::NoValue as a list element: moto keeps a null ("Syntax errors in policy"), so the deploy sets every ' +
      'optional secret and WorkerPrincipalArn, which picks the other branch; the unset branches are not deployed',
    checkedBy: [
      'lets only WorkerPrincipalArn send to the job queues when it is set',
      'reads the Temporal connection from SSM parameters and passes the secret only by ARN',
      CFN_LINT,
    ],
    inTemplate: (t) => noValueInListConditions(t.Resources).length > 0,
  },
  {
    what: 'RedriveAllowPolicy: moto’s SQS has no such attribute and drops it',
    checkedBy: ['gives every job queue of jobs/queues.json an encrypted dead-letter queue with redrive'],
    inTemplate: (t) => ofType(t.Resources, 'AWS::SQS::Queue').some((q) => q.Properties?.RedriveAllowPolicy !== undefined),
  },
  {
    what: 'Lambda Architectures: moto’s CloudFormation model drops the property and reports x86_64',
    checkedBy: ['runs every function on the Node.js runtime the bundles target, on arm64'],
    inTemplate: (t) =>
      ofType(t.Resources, 'AWS::Lambda::Function').every((f) => JSON.stringify(f.Properties?.Architectures) === '["arm64"]'),
  },
  {
    what: 'ValidateTemplate, a step of osls deploy: moto runs cfn-lint and refuses on a warning (W3005 on osls’s DependsOn); the deploy skips it',
    checkedBy: [CFN_LINT],
    inTemplate: () => true,
  },
];

/** The template without the resources of {@link MotoGap.removedResourceType} and the outputs that name them. */
export function withoutRemovedGaps<T extends CloudFormationTemplate>(template: T): T {
  const removed = new Set(MOTO_GAPS.flatMap((g) => g.removedResourceType ?? []));
  const ids = Object.entries(template.Resources).flatMap(([id, r]) => (removed.has(r.Type) ? [id] : []));
  const names = (value: unknown) => ids.some((id) => JSON.stringify(value).includes(`"${id}"`));
  return {
    ...template,
    Resources: Object.fromEntries(Object.entries(template.Resources).filter(([id]) => !ids.includes(id))),
    Outputs: Object.fromEntries(Object.entries(template.Outputs ?? {}).filter(([, o]) => !names(o.Value))),
  };
}
