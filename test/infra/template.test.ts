import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cfnLint, cfnLintErrors } from '../helpers/cfn-lint';
import { packageService, UPDATE_TEMPLATE } from '../helpers/packaged-service';
import { queueLogicalIds } from '../../infra/cloudformation/logical-ids';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { hardenedBucketProperties } from '../../infra/cloudformation/bucket-properties';
import { functionPayloadStatements, workerPayloadStatements } from '../../infra/cloudformation/payload-bucket-resources';
import { PAYLOAD_BUCKET } from '../../infra/payload-bucket';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from '../../jobs/payload-store/claim-check-codec';
import { QUEUES, TRIGGER_QUEUES } from '../../jobs/queues';
import { TRIGGERS } from '../../jobs/triggers';
import { bucketNameTemplate, triggerLogicalIds } from '../../infra/cloudformation/trigger-resources';
import { BUILD_DIR, BUNDLE_TARGET, FUNCTION_ENTRIES } from '../../infra/build/bundle-function';
import { PROJECT_ROOT } from '../../infra/project-root';

/**
 * Packages the service exactly as `npm run package` does (build, then `osls package`, offline, with no AWS
 * credentials in the environment; shared with test/infra/deploy-to-moto.test.ts) and checks the
 * CloudFormation template osls writes.
 */

const run = promisify(execFile);
const MAX_ZIP_BYTES = 1024 * 1024;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Resource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, Json>;
}
interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: Json;
  Action: Json;
  Resource?: Json;
  Condition?: Json;
}
interface Template {
  Parameters: Record<string, { Type: string; Default?: string; AllowedPattern?: string }>;
  Conditions: Record<string, Json>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

let template: Template;

/** The queue of every trigger of jobs/triggers.ts. */
const TRIGGER_QUEUE_NAMES: string[] = Object.values(TRIGGERS).map((t) => t.queue);

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id in `{ 'Fn::GetAtt': [id, attribute] }`. */
function getAttId(value: Json | undefined): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  if (!getAtt) throw new Error(`expected a Fn::GetAtt, got ${JSON.stringify(value)}`);
  return getAtt[0];
}

/** Every object in the template that looks like an IAM policy statement, with where it is. */
function policyStatements(): (Statement & { at: string })[] {
  const found: (Statement & { at: string })[] = [];
  const walk = (node: Json, at: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}[${i}]`));
    else if (node && typeof node === 'object') {
      if (typeof node.Effect === 'string' && node.Action !== undefined) {
        found.push({ ...(node as unknown as Statement), at });
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${at}.${key}`);
    }
  };
  walk(template.Resources as unknown as Json, 'Resources');
  return found;
}

/** `{ 'Fn::If': [condition, whenTrue, whenFalse] }` → its three parts. */
function fnIf(value: Json | undefined): [string, Json, Json] {
  const parts = (value as { 'Fn::If'?: [string, Json, Json] } | undefined)?.['Fn::If'];
  if (!parts) throw new Error(`expected a Fn::If, got ${JSON.stringify(value)}`);
  return parts;
}

/** The statements of a policy resource (`AWS::IAM::Policy`, `ManagedPolicy`, `SQS::QueuePolicy`). */
function statementsOf(resource: Resource | undefined): Json[] {
  return (resource?.Properties.PolicyDocument as { Statement: Json[] } | undefined)?.Statement ?? [];
}

/** What `JOB_SIGNING_KEYS_SECRET_ARN` and every grant on the signing key ring point at. */
/** osls's logical id of the callback function (serverless.yml `functions.callback`). */
const CALLBACK_FUNCTION = 'CallbackLambdaFunction';
const SIGNING_KEYS = { 'Fn::If': ['CreateJobSigningKeysSecret', { Ref: 'JobSigningKeysSecret' }, { Ref: 'JobSigningKeysSecretArn' }] };

/** Names of the files in a zip archive, from its central directory. */
function zipEntryNames(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + skip;
  }
  return names;
}

beforeAll(async () => {
  template = (await packageService()).updateTemplate as unknown as Template;
}, 120_000);

describe('the packaged CloudFormation template', () => {
  it('holds exactly the generated resources and outputs, unchanged by osls', () => {
    const generated = buildStackResources();
    for (const [id, resource] of Object.entries(generated.resources.Resources)) {
      expect(template.Resources[id], id).toEqual(resource);
    }
    for (const [id, output] of Object.entries(generated.resources.Outputs)) {
      expect(template.Outputs[id], id).toEqual(output);
    }
  });

  it('gives every job queue of jobs/queues.json an encrypted dead-letter queue with redrive', () => {
    for (const queue of Object.keys(QUEUES)) {
      const ids = queueLogicalIds(queue);
      const jobQueue = template.Resources[ids.queue];
      expect(jobQueue?.Type).toBe('AWS::SQS::Queue');
      const { Properties: p } = jobQueue!;
      const redrive = p.RedrivePolicy as { deadLetterTargetArn: Json; maxReceiveCount: number };
      const deadLetterId = getAttId(redrive.deadLetterTargetArn);
      expect(deadLetterId).toBe(ids.deadLetter);
      expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(p.SqsManagedSseEnabled).toBe(true);
      expect(p.MaximumMessageSize).toBe(1_048_576);
      expect(p.MessageRetentionPeriod).toEqual(expect.any(Number));

      const dlq = template.Resources[deadLetterId]!;
      expect(dlq.Type).toBe('AWS::SQS::Queue');
      expect(dlq.Properties.SqsManagedSseEnabled).toBe(true);
      expect(dlq.Properties.MessageRetentionPeriod as number).toBeGreaterThan(p.MessageRetentionPeriod as number);
      const jobQueueName = (p.QueueName as { 'Fn::Sub': string })['Fn::Sub'];
      expect(dlq.Properties.RedriveAllowPolicy).toEqual({
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Sub': `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:${jobQueueName}` }],
      });
    }
  });

  it('consumes every queue with partial batch responses, a batching window and a concurrency limit', () => {
    const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping');
    expect(mappings.map(([, m]) => getAttId(m.Properties.EventSourceArn)).sort()).toEqual(
      [
        ...Object.keys(QUEUES).flatMap((q) => Object.values(queueLogicalIds(q))),
        ...TRIGGER_QUEUE_NAMES.map((q) => queueLogicalIds(q).queue),
      ].sort(),
    );
    for (const [id, { Properties: p }] of mappings) {
      expect(p.FunctionResponseTypes, id).toEqual(['ReportBatchItemFailures']);
      expect(p.BatchSize, id).toEqual(expect.any(Number));
      expect(p.MaximumBatchingWindowInSeconds, id).toEqual(expect.any(Number));
      expect((p.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('sets every consumed queue’s visibility timeout to at least 6 × its function’s timeout + batching window', () => {
    for (const [id, { Properties: p }] of resourcesOfType('AWS::Lambda::EventSourceMapping')) {
      const queue = template.Resources[getAttId(p.EventSourceArn)]!;
      const fn = template.Resources[getAttId(p.FunctionName)]!;
      const window = (p.MaximumBatchingWindowInSeconds as number | undefined) ?? 0;
      expect(queue.Properties.VisibilityTimeout as number, id).toBeGreaterThanOrEqual(6 * (fn.Properties.Timeout as number) + window);
    }
  });

  it('grants no wildcard action and no wildcard resource', () => {
    const statements = policyStatements();
    expect(statements.length).toBeGreaterThan(5);
    for (const s of statements) {
      const actions = ([] as Json[]).concat(s.Action);
      const wildcard = actions.some((a) => typeof a !== 'string' || a.includes('*'));
      // The wildcards are Denies of every request made without TLS: osls's deployment bucket, the payload bucket,
      // each S3 trigger's bucket, and each queue.
      if (wildcard) {
        expect(s.Effect, s.at).toBe('Deny');
        const secureTransport = (s.Condition as { Bool?: Record<string, Json> } | undefined)?.Bool?.['aws:SecureTransport'];
        expect(String(secureTransport), s.at).toBe('false');
        expect(s.at, s.at).toMatch(/^Resources\.(\w+BucketPolicy|\w+QueuePolicy)\.Properties\.PolicyDocument\.Statement\[0\]$/);
      }
      if (s.Effect === 'Allow') expect(([] as Json[]).concat(s.Resource ?? []), s.at).not.toContain('*');
    }
  });

  it('gives each function its own role that can only consume its own queues', () => {
    for (const [id, fn] of resourcesOfType('AWS::Lambda::Function').filter(([id]) => id !== CALLBACK_FUNCTION)) {
      const role = template.Resources[getAttId(fn.Properties.Role)]!;
      expect(role.Type, id).toBe('AWS::IAM::Role');
      const consumed = resourcesOfType('AWS::Lambda::EventSourceMapping')
        .filter(([, m]) => getAttId(m.Properties.FunctionName) === id)
        .map(([, m]) => m.Properties.EventSourceArn);
      const sqs = JSON.stringify(role.Properties.Policies).match(/"sqs:[A-Za-z]+"/g);
      // The HTTP starter consumes no queue: its role has no SQS action at all.
      if (consumed.length === 0) {
        expect(sqs, id).toBeNull();
        continue;
      }
      expect(new Set(sqs)).toEqual(
        new Set(['"sqs:ReceiveMessage"', '"sqs:DeleteMessage"', '"sqs:ChangeMessageVisibility"', '"sqs:GetQueueAttributes"']),
      );
      const [policy] = role.Properties.Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: Json[] }[] } }[];
      const sqsStatement = policy!.PolicyDocument.Statement.find((s) => s.Action.some((a) => a.startsWith('sqs:')));
      expect(sqsStatement?.Resource, id).toEqual(consumed);
    }
  });

  it('serves the callback function on a public URL, throttled, with a role that reads only its key ring and Temporal secrets', () => {
    const fn = template.Resources[CALLBACK_FUNCTION]!;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(10);
    expect(template.Resources.CallbackLambdaFunctionUrl).toMatchObject({ Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE' } });
    const role = template.Resources[getAttId(fn.Properties.Role)]!;
    const granted = JSON.stringify(role.Properties.Policies);
    expect(granted).not.toMatch(/"sqs:/);
    expect(granted).not.toContain('JobSigningKeys');
    expect(granted).toContain('CallbackSigningKeysSecret');
    // Only the role that signs URLs and the one that verifies them may read the callback key ring.
    const readers = policyStatements()
      .filter((s) => JSON.stringify(s.Resource ?? null).includes('CallbackSigningKeysSecret'))
      .map((s) => s.at.split('.')[1]);
    expect(new Set(readers)).toEqual(new Set(['CallbackSigningPolicy', 'CallbackRole']));
    expect((template.Resources.CallbackSigningPolicy!.Properties.Roles as Json[]).map((r) => JSON.stringify(r))).toEqual([
      '{"Ref":"ProcessJobsRole"}',
    ]);
    const env = (template.Resources.ProcessJobsLambdaFunction!.Properties.Environment as { Variables: Record<string, Json> }).Variables;
    expect(env.CALLBACK_BASE_URL).toEqual({ 'Fn::GetAtt': ['CallbackLambdaFunctionUrl', 'FunctionUrl'] });
    expect(env.CALLBACK_SIGNING_KEYS_SECRET_ARN).toEqual({
      'Fn::If': ['CreateCallbackSigningKeysSecret', { Ref: 'CallbackSigningKeysSecret' }, { Ref: 'CallbackSigningKeysSecretArn' }],
    });
  });

  it('exports a worker policy that can only send to the job queues, read the signing key ring and use the payload bucket', () => {
    const policy = template.Resources.WorkerQueuePolicy!;
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    const [send, readKeys, ...rest] = statementsOf(policy) as unknown as { Action: string[]; Resource: Json[] }[];
    expect(rest).toEqual(workerPayloadStatements());
    expect(send!.Action.sort()).toEqual(['sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(send!.Resource.map(getAttId).sort()).toEqual(
      Object.keys(QUEUES)
        .map((q) => queueLogicalIds(q).queue)
        .sort(),
    );
    expect(readKeys).toMatchObject({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SIGNING_KEYS] });
    expect(template.Outputs.WorkerQueuePolicyArn).toMatchObject({ Value: { Ref: 'WorkerQueuePolicy' }, Export: expect.anything() });
  });

  it('has a payload bucket: encrypted, not public, TLS only, objects expiring after PayloadExpirationDays (default from infra/payload-bucket.ts)', () => {
    const bucket = template.Resources.PayloadBucket!;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('"SSEAlgorithm":"AES256"');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties).toMatchObject(hardenedBucketProperties());
    expect(bucket.Properties.LifecycleConfiguration).toMatchObject({
      Rules: [{ Status: 'Enabled', ExpirationInDays: { Ref: 'PayloadExpirationDays' } }],
    });
    expect(Number(template.Parameters.PayloadExpirationDays?.Default)).toBe(PAYLOAD_BUCKET.expirationDays);
    const [tls] = statementsOf(template.Resources.PayloadBucketPolicy) as unknown as Statement[];
    expect(tls).toMatchObject({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(template.Outputs.PayloadBucketName).toMatchObject({ Value: { Ref: 'PayloadBucket' }, Export: expect.anything() });
  });

  it('lets processJobs read stored inputs and write results, and deadLetter nothing of the payload bucket', () => {
    const functions = Object.fromEntries(
      resourcesOfType('AWS::Lambda::Function').map(([id, fn]) => [id, template.Resources[getAttId(fn.Properties.Role)]!]),
    );
    const s3Statements = (role: Resource): Json[] =>
      (role.Properties.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => st.Action.some((a) => a.startsWith('s3:'))) as unknown as Json[];
    expect(s3Statements(functions.ProcessJobsLambdaFunction!)).toEqual(functionPayloadStatements());
    expect(s3Statements(functions.DeadLetterLambdaFunction!)).toEqual([]);
    const environment = (fn: string) => (template.Resources[fn]!.Properties.Environment as { Variables: Record<string, Json> }).Variables;
    expect(environment('ProcessJobsLambdaFunction').PAYLOAD_BUCKET).toEqual({ Ref: 'PayloadBucket' });
    expect(environment('ProcessJobsLambdaFunction').PAYLOAD_OFFLOAD_THRESHOLD_BYTES).toEqual({ Ref: 'PayloadOffloadThresholdBytes' });
    expect(Number(template.Parameters.PayloadOffloadThresholdBytes?.Default)).toBe(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES);
  });

  it('outputs and exports every queue’s URL and ARN', () => {
    for (const queue of Object.keys(QUEUES)) {
      const ids = queueLogicalIds(queue);
      for (const name of [`${ids.queue}Url`, `${ids.queue}Arn`, `${ids.deadLetter}Url`, `${ids.deadLetter}Arn`]) {
        expect(template.Outputs[name]?.Export, name).toBeDefined();
      }
    }
  });

  it('reads the Temporal connection from SSM parameters and passes the secret only by ARN', () => {
    expect(template.Parameters.TemporalAddress?.Type).toBe('AWS::SSM::Parameter::Value<String>');
    expect(template.Parameters.TemporalNamespace?.Type).toBe('AWS::SSM::Parameter::Value<String>');
    expect(template.Parameters.TemporalApiKeySecretArn?.Type).toBe('String');
    for (const [id, fn] of resourcesOfType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, Json> }).Variables;
      expect(variables.TEMPORAL_ADDRESS, id).toEqual({ Ref: 'TemporalAddress' });
      expect(variables.TEMPORAL_NAMESPACE, id).toEqual({ Ref: 'TemporalNamespace' });
      expect(JSON.stringify(variables.TEMPORAL_API_KEY_SECRET_ARN), id).toContain('"Ref":"TemporalApiKeySecretArn"');
      const literals = Object.entries(variables).filter(([, v]) => typeof v === 'string');
      // Not even NODE_OPTIONS: the functions map stack traces themselves, without --enable-source-maps at init.
      expect(literals, id).toEqual([]);
    }
  });

  it('alarms on dead-lettered messages, old messages, function errors and throttles', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm');
    const metrics = alarms.map(([, a]) => a.Properties.MetricName);
    const queues = Object.keys(QUEUES).length + TRIGGER_QUEUE_NAMES.length;
    const count = (m: string) => metrics.filter((x) => x === m).length;
    expect(count('ApproximateAgeOfOldestMessage')).toBe(queues);
    expect(count('Errors')).toBe(FUNCTION_ENTRIES.length);
    expect(count('Throttles')).toBe(FUNCTION_ENTRIES.length);
    expect(alarms.filter(([, a]) => a.Properties.Metrics !== undefined)).toHaveLength(queues);
  });

  it('alarms on every message of a dead-letter queue, visible or held in flight by the deadLetter function', () => {
    for (const queue of Object.keys(QUEUES)) {
      const { deadLetter } = queueLogicalIds(queue);
      const alarm = template.Resources[`${deadLetter}MessagesAlarm`]!;
      expect(alarm.Type).toBe('AWS::CloudWatch::Alarm');
      const p = alarm.Properties;
      expect(p).not.toHaveProperty('MetricName');
      expect(p).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
      expect(p.AlarmDescription).toMatch(/in flight/);
      const stat = (id: string, metric: string) => ({
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/SQS',
            MetricName: metric,
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetter, 'QueueName'] } }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: false,
      });
      expect(p.Metrics).toEqual([
        stat('m1', 'ApproximateNumberOfMessagesVisible'),
        stat('m2', 'ApproximateNumberOfMessagesNotVisible'),
        expect.objectContaining({ Id: 'e1', Expression: 'm1 + m2', ReturnData: true }),
      ]);
    }
  });

  it('refuses requests without TLS on every queue, and sends to a dead-letter queue from every principal', () => {
    const policies = resourcesOfType('AWS::SQS::QueuePolicy');
    const queues = resourcesOfType('AWS::SQS::Queue').map(([id]) => id);
    const queueOf = (policy: Resource): string => {
      const [queue, ...more] = policy.Properties.Queues as { Ref: string }[];
      expect(more).toEqual([]);
      return queue!.Ref;
    };
    expect(policies.map(([, p]) => queueOf(p)).sort()).toEqual(queues.sort());
    for (const [id, policy] of policies) {
      const arn = { 'Fn::GetAtt': [queueOf(policy), 'Arn'] };
      const statements = statementsOf(policy);
      expect(statements[0], id).toEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:*',
        Resource: arn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      // Nothing a queue policy says may widen access, nor deny what the functions' event sources do; the one
      // exceptions let S3 or EventBridge deliver a trigger's events from its bucket or rule, and an EventBridge rule
      // dead-letter what it could not deliver (checked below).
      for (const s of policyStatements().filter((x) => x.at.startsWith(`Resources.${id}.`))) {
        if (s.Sid === 'DeliverTriggerEvents' || s.Sid === 'DeadLetterUndeliverableEvents') continue;
        expect(s.Effect, s.at).toBe('Deny');
        if (s.Action !== 'sqs:*') expect(s.Action, s.at).toBe('sqs:SendMessage');
      }
    }
    for (const queue of [...Object.keys(QUEUES), ...TRIGGER_QUEUE_NAMES]) {
      const { deadLetter } = queueLogicalIds(queue);
      expect(statementsOf(template.Resources[`${deadLetter}Policy`])[1]).toEqual({
        Sid: 'DenySendMessage',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [deadLetter, 'Arn'] },
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      });
    }
  });

  it('lets only WorkerPrincipalArn send to the job queues when it is set', () => {
    expect(template.Parameters.WorkerPrincipalArn).toMatchObject({ Type: 'String', Default: '' });
    expect(template.Conditions.HasWorkerPrincipal).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'WorkerPrincipalArn' }, ''] }] });
    const pattern = new RegExp(template.Parameters.WorkerPrincipalArn!.AllowedPattern!);
    for (const ok of ['', 'arn:aws:iam::123456789012:role/worker', 'arn:aws:iam::123456789012:role/path/worker'])
      expect(ok).toMatch(pattern);
    expect('arn:aws:sts::123456789012:assumed-role/worker/session').not.toMatch(pattern);
    for (const queue of Object.keys(QUEUES)) {
      const ids = queueLogicalIds(queue);
      const [condition, statement, otherwise] = fnIf(statementsOf(template.Resources[`${ids.queue}Policy`])[1]);
      expect(condition).toBe('HasWorkerPrincipal');
      expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
      expect(statement).toEqual({
        Sid: 'SendOnlyFromWorker',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': { Ref: 'WorkerPrincipalArn' } } },
      });
    }
  });

  it('gives the functions and the worker the job-signing key ring: a given secret, or one the stack creates and keeps', () => {
    const parameter = template.Parameters.JobSigningKeysSecretArn!;
    expect(parameter).toMatchObject({ Type: 'String', Default: '' });
    expect(parameter.AllowedPattern).toBe(template.Parameters.PayloadKeysSecretArn!.AllowedPattern);
    expect(template.Conditions.CreateJobSigningKeysSecret).toEqual({ 'Fn::Equals': [{ Ref: 'JobSigningKeysSecretArn' }, ''] });
    expect(template.Resources.JobSigningKeysSecret).toEqual({
      Type: 'AWS::SecretsManager::Secret',
      Condition: 'CreateJobSigningKeysSecret',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Description: expect.any(String),
        GenerateSecretString: {
          SecretStringTemplate: '{"current":"k1"}',
          GenerateStringKey: 'k1',
          PasswordLength: 64,
          ExcludePunctuation: true,
        },
      },
    });
    expect(template.Outputs.JobSigningKeysSecretArn).toMatchObject({ Value: SIGNING_KEYS, Export: expect.anything() });

    // The callback function is reachable from the internet and never reads the job-signing key ring.
    const functions = resourcesOfType('AWS::Lambda::Function').filter(([id]) => id !== CALLBACK_FUNCTION);
    const roles = new Set(functions.map(([, fn]) => getAttId(fn.Properties.Role)));
    for (const [id, fn] of functions) {
      expect((fn.Properties.Environment as { Variables: Record<string, Json> }).Variables.JOB_SIGNING_KEYS_SECRET_ARN, id).toEqual(
        SIGNING_KEYS,
      );
    }
    // Every grant on the key ring, wherever it is, points at exactly that secret; the functions' roles hold one.
    const grants = policyStatements().filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    const onKeyRing = grants.filter((s) => JSON.stringify(s.Resource).includes('JobSigningKeysSecret'));
    for (const s of onKeyRing) expect(([] as Json[]).concat(s.Resource ?? []), s.at).toEqual([SIGNING_KEYS]);
    // CallbackSigningPolicy grants processJobs the callback key ring only (checked with the callback function).
    const functionPolicies = resourcesOfType('AWS::IAM::Policy').filter(
      ([id, p]) => id !== 'CallbackSigningPolicy' && (p.Properties.Roles as { Ref: string }[]).some((r) => roles.has(r.Ref)),
    );
    const functionGrant = functionPolicies
      .flatMap(([, p]) => statementsOf(p))
      .find((s) => (s as { Sid?: string }).Sid === 'ReadJobSigningKeys');
    expect(functionGrant).toEqual({
      Sid: 'ReadJobSigningKeys',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: SIGNING_KEYS,
    });
    expect(new Set(functionPolicies.flatMap(([, p]) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref)))).toEqual(roles);
  });

  it('grants no SSM read: CloudFormation resolves the Temporal connection parameters at deploy', () => {
    const ssm = policyStatements().filter((s) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssm).toEqual([]);
  });

  it('keeps the queues, the log groups and the created signing secret when the stack is deleted or they are replaced', () => {
    const kept = ['AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret'].flatMap(resourcesOfType);
    // + the job and callback key rings
    expect(kept).toHaveLength(2 * (Object.keys(QUEUES).length + TRIGGER_QUEUE_NAMES.length) + FUNCTION_ENTRIES.length + 2);
    for (const [id, resource] of kept) {
      expect(resource.DeletionPolicy, id).toBe('Retain');
      expect(resource.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it('runs every function on the Node.js runtime the bundles target, on arm64', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');
    expect(functions).toHaveLength(FUNCTION_ENTRIES.length);
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime, id).toBe(`nodejs${BUNDLE_TARGET.replace('node', '')}.x`);
      expect(fn.Properties.Handler, id).toBe('index.handler');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('ships each function as a zip of at most 1 MB holding only its bundle and source map', async () => {
    for (const fn of FUNCTION_ENTRIES) {
      const zip = await readFile(path.join(PROJECT_ROOT, BUILD_DIR, `${fn.name}.zip`));
      expect(zip.length, fn.name).toBeLessThanOrEqual(MAX_ZIP_BYTES);
      expect(zipEntryNames(zip)).toEqual(['index.mjs', 'index.mjs.map']);
    }
  });

  it('builds bundles that load and export a handler', async () => {
    for (const fn of FUNCTION_ENTRIES) {
      const bundle = path.join(PROJECT_ROOT, BUILD_DIR, fn.name, 'index.mjs');
      const script = `import(${JSON.stringify(bundle)}).then((m) => { console.log(typeof m.handler); process.exit(0); })`;
      const { stdout } = await run(process.execPath, ['-e', script], {
        // What the template always sets (JOB_SIGNING_KEYS_SECRET_ARN too: the ring is only read on first use).
        env: {
          PATH: process.env.PATH,
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          JOB_SIGNING_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:job-signing-keys',
          CALLBACK_SIGNING_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:callback-signing-keys',
          LOG_LEVEL: 'error',
        },
        timeout: 20_000,
      });
      expect(stdout.trim(), fn.name).toBe('function');
    }
  });

  it('passes cfn-lint with no errors', async () => {
    expect(cfnLintErrors(await cfnLint(UPDATE_TEMPLATE)), 'cfn-lint errors').toBe('');
  });

  it('gives every trigger its queue, dead-letter queue and consumer; the starter consumes only trigger queues', () => {
    expect(TRIGGER_QUEUE_NAMES.sort()).toEqual(Object.keys(TRIGGER_QUEUES).sort());
    const starter = template.Resources.StartWorkflowsLambdaFunction!;
    const consumed = resourcesOfType('AWS::Lambda::EventSourceMapping')
      .filter(([, m]) => getAttId(m.Properties.FunctionName) === 'StartWorkflowsLambdaFunction')
      .map(([, m]) => getAttId(m.Properties.EventSourceArn));
    expect(consumed.sort()).toEqual(TRIGGER_QUEUE_NAMES.map((q) => queueLogicalIds(q).queue).sort());
    expect(getAttId(starter.Properties.Role)).toBe('StartWorkflowsRole');
    for (const queue of TRIGGER_QUEUE_NAMES) {
      const ids = queueLogicalIds(queue);
      const redrive = template.Resources[ids.queue]!.Properties.RedrivePolicy as { deadLetterTargetArn: Json };
      expect(getAttId(redrive.deadLetterTargetArn)).toBe(ids.deadLetter);
    }
  });

  it('lets S3 deliver only from the trigger’s bucket, which refuses requests without TLS and notifies its queue of created objects', () => {
    for (const trigger of Object.values(TRIGGERS).filter((t) => t.source === 's3')) {
      const ids = queueLogicalIds(trigger.queue);
      const bucket = template.Resources[triggerLogicalIds(trigger).bucket] as Resource & { DependsOn?: string[] };
      expect(bucket.Type).toBe('AWS::S3::Bucket');
      expect(bucket.DependsOn).toEqual([`${ids.queue}Policy`]);
      expect(bucket.Properties.BucketName).toEqual({ 'Fn::Sub': bucketNameTemplate(trigger) });
      // The payload bucket's hardening, from the one helper: SSE-S3 with a bucket key, no public access, no ACLs.
      expect(bucket.Properties).toMatchObject(hardenedBucketProperties());
      // …and, like the payload bucket, every request without TLS refused, on the bucket and its objects.
      const bucketId = triggerLogicalIds(trigger).bucket;
      const policy = template.Resources[`${bucketId}Policy`]!;
      expect(policy.Type).toBe('AWS::S3::BucketPolicy');
      expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
      expect(statementsOf(policy)).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
      const [notification] = (bucket.Properties.NotificationConfiguration as { QueueConfigurations: Json[] }).QueueConfigurations;
      expect(notification).toMatchObject({ Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': [ids.queue, 'Arn'] } });
      const allow = statementsOf(template.Resources[`${ids.queue}Policy`]).find(
        (x) => (x as { Sid?: string }).Sid === 'DeliverTriggerEvents',
      );
      expect(allow).toEqual({
        Sid: 'DeliverTriggerEvents',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        Condition: {
          ArnEquals: { 'aws:SourceArn': { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${bucketNameTemplate(trigger)}` } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      });
    }
  });

  it('routes each EventBridge trigger’s pattern to its queue, and lets only that rule send', () => {
    for (const trigger of Object.values(TRIGGERS).filter((t) => t.source === 'eventbridge')) {
      const ids = queueLogicalIds(trigger.queue);
      const rule = template.Resources[triggerLogicalIds(trigger).rule]!;
      expect(rule.Type).toBe('AWS::Events::Rule');
      expect(rule.Properties.EventPattern).toEqual(trigger.pattern);
      expect(rule.Properties.Targets).toEqual([
        {
          Id: 'trigger-queue',
          Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.deadLetter, 'Arn'] } },
        },
      ]);
      const allow = statementsOf(template.Resources[`${ids.queue}Policy`]).find(
        (x) => (x as { Sid?: string }).Sid === 'DeliverTriggerEvents',
      );
      const fromRule = {
        ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [triggerLogicalIds(trigger).rule, 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      };
      expect(allow).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: fromRule });
    }
  });

  it('dead-letters what an EventBridge rule could not deliver to the trigger’s own dead-letter queue, which lets only that rule send', () => {
    const eventBridge = Object.values(TRIGGERS).filter((t) => t.source === 'eventbridge');
    expect(eventBridge.length).toBeGreaterThan(0);
    for (const trigger of Object.values(TRIGGERS)) {
      const ids = queueLogicalIds(trigger.queue);
      const statements = statementsOf(template.Resources[`${ids.deadLetter}Policy`]) as unknown as Statement[];
      const allows = statements.filter((x) => x.Effect === 'Allow');
      if (trigger.source !== 'eventbridge') {
        expect(allows, trigger.name).toEqual([]);
        continue;
      }
      const target = (template.Resources[triggerLogicalIds(trigger).rule]!.Properties.Targets as Json[])[0] as Record<string, Json>;
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.deadLetter, 'Arn'] } });
      expect(allows).toEqual([
        {
          Sid: 'DeadLetterUndeliverableEvents',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [ids.deadLetter, 'Arn'] },
          Condition: {
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [triggerLogicalIds(trigger).rule, 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        },
      ]);
      // The deny on IAM principals stays: only AWS services (here, the rule's EventBridge) may send.
      expect(statements.find((x) => x.Sid === 'DenySendMessage')).toMatchObject({ Effect: 'Deny', Action: 'sqs:SendMessage' });
    }
  });

  it('gives the starter no grant on the job-signing key ring', () => {
    const grants = resourcesOfType('AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === 'StartWorkflowsRole'),
    );
    expect(grants.map(([id]) => id)).toEqual(['StarterConnectionPolicy']);
    expect(JSON.stringify(grants)).not.toContain('JobSigningKeys');
  });

  it('serves the HTTP triggers from a Function URL with IAM auth, the starter reading only the Temporal secrets', () => {
    expect(template.Resources.StartWorkflowHttpLambdaFunctionUrl).toMatchObject({
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': ['StartWorkflowHttpLambdaFunction', 'Arn'] } },
    });
    // No public invoke permission: only principals IAM lets call lambda:InvokeFunctionUrl reach it.
    const permissions = resourcesOfType('AWS::Lambda::Permission').filter(([, p]) => JSON.stringify(p).includes('StartWorkflowHttp'));
    expect(permissions.map(([, p]) => p.Properties.Principal)).not.toContain('*');
    const grants = resourcesOfType('AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === 'StartWorkflowHttpRole'),
    );
    expect(grants.map(([id]) => id).sort()).toEqual(['HttpTriggerHmacSecretPolicy', 'StarterConnectionPolicy']);
  });

  it('passes the HTTP triggers’ HMAC secret by ARN to the HTTP starter only, which alone may read it, when the parameter is set', () => {
    const parameter = template.Parameters.HttpTriggerHmacSecretArn!;
    expect(parameter.Type).toBe('String');
    expect(parameter.Default).toBe('');
    expect(parameter.AllowedPattern).toBe(template.Parameters.PayloadKeysSecretArn!.AllowedPattern);
    expect(template.Conditions.HasHttpTriggerHmacSecret).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HttpTriggerHmacSecretArn' }, ''] }],
    });
    for (const [id, fn] of resourcesOfType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, Json> }).Variables;
      expect(variables.HTTP_TRIGGER_HMAC_SECRET_ARN, id).toEqual(
        id === 'StartWorkflowHttpLambdaFunction'
          ? { 'Fn::If': ['HasHttpTriggerHmacSecret', { Ref: 'HttpTriggerHmacSecretArn' }, { Ref: 'AWS::NoValue' }] }
          : undefined,
      );
    }
    expect(template.Resources.HttpTriggerHmacSecretPolicy).toEqual({
      Type: 'AWS::IAM::Policy',
      Condition: 'HasHttpTriggerHmacSecret',
      Properties: {
        PolicyName: 'read-http-trigger-hmac-secret',
        Roles: [{ Ref: 'StartWorkflowHttpRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadHttpTriggerHmacSecret',
              Effect: 'Allow',
              Action: 'secretsmanager:GetSecretValue',
              Resource: { Ref: 'HttpTriggerHmacSecretArn' },
            },
          ],
        },
      },
    });
    // No other grant anywhere names the secret.
    const readers = policyStatements().filter((s) => JSON.stringify(s.Resource ?? null).includes('HttpTriggerHmacSecretArn'));
    expect(readers.map((s) => s.at.split('.')[1])).toEqual(['HttpTriggerHmacSecretPolicy']);
  });
});
