import { PAYLOAD_BUCKET } from '../../infra/payload-bucket';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from '../../jobs/payload-store/claim-check-codec';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { BUNDLE_TARGET } from '../../infra/build/bundle-function';
import { functionLogicalIds, queueLogicalIds } from '../../infra/cloudformation/logical-ids';
import { loadLocalFunctions } from '../../infra/local/local-functions';
import type { LocalFunction } from '../../infra/local/local-functions';
import { deadLetterQueueAttributeValues, jobQueueAttributeValues, toSqsAttributes } from '../../infra/queue-attributes';
import { PROJECT_ROOT } from '../../infra/project-root';
import { HTTP_STARTER, HTTP_STARTER_TIMEOUT_SECONDS } from '../../infra/cloudformation/trigger-resources';
import { CONSUMERS, physicalQueueNames, QUEUES, TRIGGER_CONSUMER } from '../../jobs/queues';
import type { ConsumerName, QueueConsumer, QueueName, TriggerQueueName } from '../../jobs/queues';
import { deployPackagedStack, localAwsConfig } from '../helpers/deploy-packaged-stack';
import type { DeployedStack } from '../helpers/deploy-packaged-stack';
import { allowedGrants } from '../helpers/iam-grants';
import { MOTO_GAPS, noValueInListConditions } from '../helpers/moto-cloudformation-gaps';
import { startMotoServer } from '../helpers/moto-server';
import type { MotoServer } from '../helpers/moto-server';
import { packageService } from '../helpers/packaged-service';
import type { PackagedService } from '../helpers/packaged-service';

/**
 * Deploys the packaged service (`npm run package`'s templates and zips, packaged once with
 * test/infra/template.test.ts) into moto's CloudFormation the way `osls deploy` does, then reads back through
 * the AWS APIs what the stack created and compares it with jobs/queues.json and serverless.yml. What moto does
 * not emulate is listed, with the check that covers it instead, in test/helpers/moto-cloudformation-gaps.ts.
 */

/** The values of the two SSM parameters CloudFormation resolves into `TemporalAddress`, `TemporalNamespace`. */
const SSM_VALUES = { TemporalAddress: 'temporal.example.internal:7233', TemporalNamespace: 'jobs-namespace' } as const;

/** Every optional secret parameter, set (see the Fn::If gap), with the variable the functions get its ARN in. */
const SECRET_PARAMETERS = {
  TemporalApiKeySecretArn: 'TEMPORAL_API_KEY_SECRET_ARN',
  TemporalTlsSecretArn: 'TEMPORAL_TLS_SECRET_ARN',
  PayloadKeysSecretArn: 'PAYLOAD_KEYS_SECRET_ARN',
  JobSigningKeysSecretArn: 'JOB_SIGNING_KEYS_SECRET_ARN',
  CallbackSigningKeysSecretArn: 'CALLBACK_SIGNING_KEYS_SECRET_ARN',
  HttpTriggerHmacSecretArn: 'HTTP_TRIGGER_HMAC_SECRET_ARN',
} as const;

/** The functions that sign (processJobs) or check (callback) callback URLs: the only ones given the callback key ring. */
const CALLBACK_RING_FUNCTIONS: readonly string[] = ['processJobs', 'callback'];
/** The functions that handle no job message, so may not read the job-signing key ring (the callback one is on the internet). */
const NO_JOB_RING_FUNCTIONS: readonly string[] = ['callback', 'startWorkflows', HTTP_STARTER];

/**
 * The secrets whose ARN a function's environment holds: all (provider-wide), the callback key ring only where URLs are
 * signed or checked, the HTTP triggers' HMAC secret only in the HTTP starter.
 */
function secretParametersOf(fn: string): SecretParameter[] {
  return (Object.keys(SECRET_PARAMETERS) as SecretParameter[]).filter((parameter) => {
    if (parameter === 'CallbackSigningKeysSecretArn') return CALLBACK_RING_FUNCTIONS.includes(fn);
    // The HTTP triggers' shared secret only where partners' signatures are checked.
    if (parameter === 'HttpTriggerHmacSecretArn') return fn === HTTP_STARTER;
    return true;
  });
}

/** The secrets a function's role may read: those it is given, but the job-signing key ring only where job messages are handled. */
function readableSecretParametersOf(fn: string): SecretParameter[] {
  return secretParametersOf(fn).filter((parameter) => parameter !== 'JobSigningKeysSecretArn' || !NO_JOB_RING_FUNCTIONS.includes(fn));
}

/** Stands in for the callback Function URL, which moto cannot create (see MOTO_GAPS). */
const STAND_IN_CALLBACK_URL = 'https://callback.lambda-url.us-east-1.on.aws/';
type SecretParameter = keyof typeof SECRET_PARAMETERS;

/** The conditions these parameters make true; with them the deploy has no `AWS::NoValue` inside a list. */
const TRUE_CONDITIONS = [
  'HasTemporalApiKeySecret',
  'HasTemporalTlsSecret',
  'HasPayloadKeysSecret',
  'HasWorkerPrincipal',
  'HasHttpTriggerHmacSecret',
  'CreateAlarmTopic',
];
/** Whether each conditional resource exists in this deploy. */
const CONDITIONAL_RESOURCES: Readonly<Record<string, boolean>> = {
  JobSigningKeysSecret: false,
  CallbackSigningKeysSecret: false,
  AlarmTopic: true,
  HttpTriggerHmacSecretPolicy: true,
};

let moto: MotoServer | undefined;
let packaged: PackagedService;
let functions: LocalFunction[];
let stack: DeployedStack;
let workerRoleArn: string;
const secrets = {} as Record<SecretParameter, { arn: string; value: string }>;
let iam: IAMClient;
let lambda: LambdaClient;
let sqs: SQSClient;

/** A queue as SQS reports it. */
interface DeployedQueue {
  url: string;
  arn: string;
  attributes: Record<string, string>;
}

async function deployedQueue(name: string): Promise<DeployedQueue> {
  const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return { url: url!, arn: attributes.QueueArn!, attributes };
}

/** A job queue and its dead-letter queue, as deployed. */
async function deployedQueues(queue: QueueName | TriggerQueueName): Promise<{ queue: DeployedQueue; deadLetter: DeployedQueue }> {
  const names = physicalQueueNames(stack.stackName, queue);
  return { queue: await deployedQueue(names.queue), deadLetter: await deployedQueue(names.deadLetter) };
}

const payloadBucketArn = (): string => `arn:aws:s3:::${physicalId('PayloadBucket')}`;
/**
 * How a function of serverless.yml consumes its queues: a job function's consumer, or the trigger starter's;
 * the HTTP starter's timeout. `undefined` for the callback function, whose settings are serverless.yml's alone.
 */
const consumerOf = (name: string): Pick<QueueConsumer, 'timeoutSeconds'> | undefined =>
  name === HTTP_STARTER
    ? { timeoutSeconds: HTTP_STARTER_TIMEOUT_SECONDS }
    : name === 'startWorkflows'
      ? TRIGGER_CONSUMER
      : (CONSUMERS as Readonly<Record<string, QueueConsumer | undefined>>)[name];

const physicalId = (logicalId: string): string => {
  const id = stack.resources[logicalId]?.PhysicalResourceId;
  if (!id) throw new Error(`the deployed stack has no ${logicalId}`);
  return id;
};

beforeAll(async () => {
  packaged = await packageService();
  // The deploy leaves the AWS::Lambda::Url resources out (MOTO_GAPS): processJobs gets the callback URL as a literal.
  const text = JSON.stringify(packaged.updateTemplate)
    .split(JSON.stringify({ 'Fn::GetAtt': ['CallbackLambdaFunctionUrl', 'FunctionUrl'] }))
    .join(JSON.stringify(STAND_IN_CALLBACK_URL));
  const deployable = { ...packaged, updateTemplate: JSON.parse(text) as typeof packaged.updateTemplate };
  functions = await loadLocalFunctions();
  moto = await startMotoServer();
  const config = localAwsConfig(moto.endpoint, packaged.region);
  [iam, lambda, sqs] = [new IAMClient(config), new LambdaClient(config), new SQSClient(config)];

  // What a stage needs before its first deploy (infra/README.md): the two SSM parameters, and here the secrets.
  const ssm = new SSMClient(config);
  for (const [parameter, value] of Object.entries(SSM_VALUES)) {
    const name = packaged.updateTemplate.Parameters?.[parameter]?.Default;
    await ssm.send(new PutParameterCommand({ Name: name, Type: 'String', Value: value }));
  }
  ssm.destroy();
  const secretsManager = new SecretsManagerClient(config);
  for (const parameter of Object.keys(SECRET_PARAMETERS) as SecretParameter[]) {
    const value = `${parameter}-value-${randomUUID()}`;
    const { ARN } = await secretsManager.send(
      new CreateSecretCommand({ Name: `test/${parameter}`, SecretString: JSON.stringify({ value }) }),
    );
    secrets[parameter] = { arn: ARN!, value };
  }
  secretsManager.destroy();
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  const worker = await iam.send(new CreateRoleCommand({ RoleName: 'temporal-worker', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  workerRoleArn = worker.Role!.Arn!;

  stack = await deployPackagedStack({
    endpoint: moto.endpoint,
    packaged: deployable,
    parameters: {
      ...Object.fromEntries(Object.entries(secrets).map(([parameter, secret]) => [parameter, secret.arn])),
      WorkerPrincipalArn: workerRoleArn,
      AlarmEmail: 'alarms@example.com',
    },
  });
}, 120_000);

afterAll(async () => {
  for (const client of [iam, lambda, sqs]) client?.destroy();
  await moto?.stop();
});

describe('the packaged stack, deployed into moto', () => {
  it('completes, with every resource of the template but the types moto skips', () => {
    expect(stack.status).toBe('UPDATE_COMPLETE');
    const skipped = new Set(MOTO_GAPS.flatMap((gap) => [gap.skippedResourceType ?? [], gap.removedResourceType ?? []].flat()));
    const expected = Object.entries(packaged.updateTemplate.Resources).filter(([id, resource]) => {
      if (resource.Condition !== undefined && !(id in CONDITIONAL_RESOURCES)) {
        throw new Error(`${id} has a condition this test does not know: add it to CONDITIONAL_RESOURCES.`);
      }
      return !skipped.has(resource.Type) && (CONDITIONAL_RESOURCES[id] ?? true);
    });
    expect(Object.keys(stack.resources).sort()).toEqual(expected.map(([id]) => id).sort());
    for (const [id, resource] of expected) {
      expect(stack.resources[id], id).toMatchObject({ ResourceType: resource.Type, ResourceStatus: 'CREATE_COMPLETE' });
    }
  });

  it('runs each function of serverless.yml from its packaged zip, with its runtime, handler, memory and timeout', async () => {
    expect(functions.map((fn) => fn.name).sort()).toEqual(Object.keys(packaged.artifacts).sort());
    for (const fn of functions) {
      const { Configuration: c, Code: code } = await lambda.send(new GetFunctionCommand({ FunctionName: `${stack.stackName}-${fn.name}` }));
      const zip = await readFile(packaged.artifacts[fn.name]!);
      expect(c?.CodeSha256, fn.name).toBe(createHash('sha256').update(zip).digest('base64'));
      expect(c?.CodeSize, fn.name).toBe(zip.length);
      expect(code?.Location, fn.name).toContain(path.basename(packaged.artifacts[fn.name]!));
      expect(c?.Runtime, fn.name).toBe(`nodejs${BUNDLE_TARGET.replace('node', '')}.x`);
      expect(c?.Handler, fn.name).toBe(fn.handler);
      expect(c?.MemorySize, fn.name).toBe(fn.memoryMb);
      expect(c?.Timeout, fn.name).toBe(fn.timeoutSeconds);
      const consumer = consumerOf(fn.name);
      if (consumer) expect(c?.Timeout, fn.name).toBe(consumer.timeoutSeconds);
      const { role } = functionLogicalIds(fn.name as ConsumerName);
      const { Role: deployedRole } = await iam.send(new GetRoleCommand({ RoleName: physicalId(role) }));
      expect(c?.Role, fn.name).toBe(deployedRole?.Arn);
    }
  });

  it('gives the functions the Temporal connection from SSM and their secrets by ARN only, never the value; the HMAC secret to the HTTP starter only', async () => {
    for (const fn of functions) {
      const { Configuration: c } = await lambda.send(new GetFunctionCommand({ FunctionName: `${stack.stackName}-${fn.name}` }));
      const variables = c?.Environment?.Variables ?? {};
      // moto hands the Ref to a Number parameter back as a number; Lambda's environment holds strings.
      const threshold = variables.PAYLOAD_OFFLOAD_THRESHOLD_BYTES;
      expect({ ...variables, PAYLOAD_OFFLOAD_THRESHOLD_BYTES: threshold === undefined ? undefined : String(threshold) }, fn.name).toEqual({
        PAYLOAD_BUCKET: physicalId('PayloadBucket'),
        PAYLOAD_OFFLOAD_THRESHOLD_BYTES: String(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES),
        TEMPORAL_ADDRESS: SSM_VALUES.TemporalAddress,
        TEMPORAL_NAMESPACE: SSM_VALUES.TemporalNamespace,
        ...Object.fromEntries(secretParametersOf(fn.name).map((parameter) => [SECRET_PARAMETERS[parameter], secrets[parameter].arn])),
        ...(fn.name === 'processJobs' ? { CALLBACK_BASE_URL: STAND_IN_CALLBACK_URL } : {}),
        ...fn.environment,
      });
      for (const secret of Object.values(secrets)) expect(JSON.stringify(variables), fn.name).not.toContain(secret.value);
    }
  });

  it('consumes each queue as serverless.yml and jobs/queues.json say, with every setting of the template', async () => {
    const templateMappings = Object.values(packaged.updateTemplate.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    for (const fn of functions) {
      const consumer = consumerOf(fn.name) as QueueConsumer;
      const { Configuration: c } = await lambda.send(new GetFunctionCommand({ FunctionName: `${stack.stackName}-${fn.name}` }));
      // By ARN: moto matches the filter literally against the FunctionName the mapping was created with (the template's GetAtt Arn).
      const { EventSourceMappings: mappings = [] } = await lambda.send(
        new ListEventSourceMappingsCommand({ FunctionName: c?.FunctionArn }),
      );
      expect(mappings, fn.name).toHaveLength(fn.events.length);
      for (const event of fn.events) {
        const queues = await deployedQueues(event.queue);
        const source = event.deadLetter ? queues.deadLetter : queues.queue;
        const mapping = mappings.find((m) => m.EventSourceArn === source.arn);
        const at = `${fn.name} ← ${source.arn}`;
        expect(mapping, at).toBeDefined();
        // As serverless.yml declares it (its values come from jobs/queues.json through the generated stack).
        expect(mapping, at).toMatchObject({
          State: 'Enabled',
          BatchSize: event.batchSize,
          MaximumBatchingWindowInSeconds: event.maximumBatchingWindowSeconds,
          FunctionResponseTypes: [event.functionResponseType],
          ScalingConfig: { MaximumConcurrency: event.maximumConcurrency },
        });
        expect(mapping, at).toMatchObject({
          BatchSize: consumer.batchSize,
          ScalingConfig: { MaximumConcurrency: consumer.maximumConcurrency },
        });
        // And every setting the template gives the mapping, provisioned pollers included when jobs/queues.json asks for them.
        const { deadLetter, queue } = queueLogicalIds(event.queue);
        const arn = JSON.stringify({ 'Fn::GetAtt': [event.deadLetter ? deadLetter : queue, 'Arn'] });
        const p = templateMappings.find((m) => JSON.stringify(m.Properties?.EventSourceArn) === arn)?.Properties ?? {};
        for (const setting of [
          'BatchSize',
          'MaximumBatchingWindowInSeconds',
          'FunctionResponseTypes',
          'ScalingConfig',
          'ProvisionedPollerConfig',
        ]) {
          expect(mapping?.[setting as keyof typeof mapping] ?? undefined, `${at}: ${setting}`).toEqual(p[setting]);
        }
      }
    }
  });

  it('creates the queues of jobs/queues.json with their attributes, redriving to their dead-letter queues', async () => {
    for (const [name, definition] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
      const { queue, deadLetter } = await deployedQueues(name);
      const { RedrivePolicy: redrive, ...jobAttributes } = jobQueueAttributeValues(definition, deadLetter.arn);
      expect(queue.attributes, name).toMatchObject({ ...toSqsAttributes(jobAttributes), SqsManagedSseEnabled: 'true' });
      expect(JSON.parse(queue.attributes.RedrivePolicy ?? 'null'), name).toEqual(redrive);
      expect(deadLetter.attributes, name).toMatchObject({
        ...toSqsAttributes(deadLetterQueueAttributeValues(definition)),
        SqsManagedSseEnabled: 'true',
      });
      expect(deadLetter.attributes.RedrivePolicy, name).toBeUndefined();
    }
  });

  it('gives each function a role that consumes only its own queues, writes only its own logs and reads only the given secrets', async () => {
    for (const fn of functions) {
      const ids = functionLogicalIds(fn.name as ConsumerName);
      const roleName = physicalId(ids.role);
      const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      const trust = allowedGrants([role!.AssumeRolePolicyDocument!]);
      expect(trust.allow, fn.name).toEqual({ 'sts:AssumeRole': [] });
      expect(role!.AssumeRolePolicyDocument, fn.name).toContain('lambda.amazonaws.com');
      const { AttachedPolicies: attached = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
      expect(attached, fn.name).toEqual([]);
      const { PolicyNames: names = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
      const documents = await Promise.all(
        names.map(async (PolicyName) => (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }))).PolicyDocument!),
      );
      const { allow, deny } = allowedGrants(documents);
      const ownQueues: string[] = [];
      for (const event of fn.events) {
        const queues = await deployedQueues(event.queue);
        ownQueues.push((event.deadLetter ? queues.deadLetter : queues.queue).arn);
      }
      const logGroup = expect.stringMatching(
        new RegExp(`^arn:aws:logs:${packaged.region}:\\d{12}:log-group:${physicalId(ids.logGroup)}(:\\*)?$`),
      );
      const secretArns = readableSecretParametersOf(fn.name)
        .map((parameter) => secrets[parameter].arn)
        .sort();
      const consume = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];
      expect(allow, fn.name).toEqual({
        // The functions behind a Function URL (the HTTP starter, callback) consume no queue, and may not.
        ...(ownQueues.length > 0 ? Object.fromEntries(consume.map((action) => [action, ownQueues.sort()])) : {}),
        'logs:CreateLogStream': [logGroup],
        'logs:PutLogEvents': [logGroup],
        'secretsmanager:GetSecretValue': secretArns,
        // processJobs reads stored inputs and stores results; the dead-letter function stores nothing.
        ...(fn.name === 'processJobs'
          ? {
              's3:GetObject': [`${payloadBucketArn()}/${PAYLOAD_BUCKET.inputPrefix}*`],
              's3:PutObject': [`${payloadBucketArn()}/${PAYLOAD_BUCKET.resultPrefix}*`],
              's3:ListBucket': [payloadBucketArn()],
            }
          : fn.name === 'callback'
            ? { 's3:PutObject': [`${payloadBucketArn()}/${PAYLOAD_BUCKET.resultPrefix}*`] }
            : {}),
      });
      expect(deny, fn.name).toEqual([]);
    }
  });

  it('creates the worker’s managed policy: send to the job queues, read the signing key ring, nothing else', async () => {
    const { Policy: policy } = await iam.send(new GetPolicyCommand({ PolicyArn: stack.outputs.WorkerQueuePolicyArn }));
    const { PolicyVersion: version } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policy!.Arn, VersionId: policy!.DefaultVersionId }),
    );
    const jobQueues: string[] = [];
    for (const queue of Object.keys(QUEUES) as QueueName[]) jobQueues.push((await deployedQueues(queue)).queue.arn);
    expect(allowedGrants([version!.Document!])).toEqual({
      allow: {
        'sqs:SendMessage': jobQueues.sort(),
        'sqs:GetQueueUrl': jobQueues.sort(),
        'secretsmanager:GetSecretValue': [secrets.JobSigningKeysSecretArn.arn],
        's3:PutObject': [`${payloadBucketArn()}/${PAYLOAD_BUCKET.inputPrefix}*`],
        's3:GetObject': [`${payloadBucketArn()}/${PAYLOAD_BUCKET.inputPrefix}*`, `${payloadBucketArn()}/${PAYLOAD_BUCKET.resultPrefix}*`],
        's3:ListBucket': [payloadBucketArn()],
      },
      deny: [],
    });
  });

  it('outputs what the worker needs: each queue’s URL and ARN, its policy and the signing key ring', async () => {
    for (const name of Object.keys(QUEUES) as QueueName[]) {
      const { queue, deadLetter } = await deployedQueues(name);
      const ids = queueLogicalIds(name);
      // A queue URL's host is the endpoint asked (moto's, here; SQS's own in the outputs); account and name must match.
      const urlPath = (url: string | undefined) => url && new URL(url).pathname;
      expect(urlPath(stack.outputs[`${ids.queue}Url`]), name).toBe(urlPath(queue.url));
      expect(urlPath(stack.outputs[`${ids.deadLetter}Url`]), name).toBe(urlPath(deadLetter.url));
      expect(stack.outputs).toMatchObject({ [`${ids.queue}Arn`]: queue.arn, [`${ids.deadLetter}Arn`]: deadLetter.arn });
    }
    expect(stack.outputs.JobSigningKeysSecretArn).toBe(secrets.JobSigningKeysSecretArn.arn);
    expect(stack.outputs.WorkerQueuePolicyArn).toBe(physicalId('WorkerQueuePolicy'));
  });

  it('leaves what moto does not emulate to template.test.ts and cfn-lint, and says which test checks each part', async () => {
    const templateTests = await readFile(path.join(PROJECT_ROOT, 'test/infra/template.test.ts'), 'utf8');
    for (const gap of MOTO_GAPS) {
      expect(gap.inTemplate(packaged.updateTemplate), `no longer in the template, drop the gap: ${gap.what}`).toBe(true);
      for (const title of gap.checkedBy) expect(templateTests, gap.what).toContain(`it('${title}'`);
    }
    // Every AWS::NoValue inside a list hangs on a condition this deploy makes true, so moto never sees one.
    expect(TRUE_CONDITIONS).toEqual(expect.arrayContaining(noValueInListConditions(packaged.updateTemplate.Resources)));
  });
});
