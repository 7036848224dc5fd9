import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withoutRemovedGaps } from './moto-cloudformation-gaps';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import type { Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PackagedService } from './packaged-service';

/** Options of {@link deployPackagedStack}. */
export interface DeployPackagedStackOptions {
  /** The AWS API endpoint every client talks to (a moto server's URL). */
  readonly endpoint: string;
  /** What `npm run package` wrote. */
  readonly packaged: PackagedService;
  /**
   * Stack parameters, as `provider.stackParameters` in `serverless.yml` would pass them; the others keep the
   * defaults osls packaged from `params`.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** How long each stack operation may take. @default 30_000 */
  readonly timeoutMs?: number;
}

/** A stack as the deploy left it. */
export interface DeployedStack {
  readonly stackName: string;
  readonly status: string;
  /** Output values by output key. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Every resource CloudFormation reports for the stack, by logical id. */
  readonly resources: Readonly<Record<string, StackResourceSummary>>;
  /** The deployment bucket the stack created and the zips went to. */
  readonly deploymentBucket: string;
}

/** Fixed credentials for a local AWS API, which accepts any. */
export function localAwsConfig(endpoint: string, region: string) {
  return { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}

/** osls's names: `naming.getCompiledTemplateS3Suffix()`, `getDeploymentBucketLogicalId()`. */
const COMPILED_TEMPLATE = 'compiled-cloudformation-template.json';
const DEPLOYMENT_BUCKET = 'ServerlessDeploymentBucket';

/**
 * Deploys a packaged service the way `osls deploy --package .serverless` does with `deploymentMethod: direct`:
 * CreateStack with the create-stack template (the deployment bucket alone); the function zips and the compiled
 * template uploaded to that bucket under the package's `artifactDirectoryName` (the template's `Code.S3Key`s
 * point there, its `Code.S3Bucket`s at the bucket resource); then UpdateStack with the whole template from its
 * S3 URL. Each step waits for the stack to settle.
 *
 * Where this differs from osls's default deploy, it is for moto (5.2.5):
 * - osls's default method is change sets (CREATE, then UPDATE, each created and executed); moto's
 *   ExecuteChangeSet applies the resources but never computes the stack's outputs, so this takes osls's
 *   `direct` method, which creates the same resources and which moto completes with outputs.
 * - osls's `ValidateTemplate` step is left out: moto validates by running cfn-lint and refuses a template on a
 *   cfn-lint *warning* (W3005 on the `DependsOn` osls writes), which AWS does not; test/infra/template.test.ts
 *   runs cfn-lint itself. (`osls deploy` pointed at moto gets through its create and upload steps, then stops
 *   there.)
 * @throws Error naming the stack status and the failure reasons CloudFormation gave
 */
export async function deployPackagedStack(options: DeployPackagedStackOptions): Promise<DeployedStack> {
  const { packaged, endpoint } = options;
  const { stackName } = packaged;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const config = localAwsConfig(endpoint, packaged.region);
  const cloudFormation = new CloudFormationClient(config);
  // The endpoint is an IP address, which virtual-hosted bucket names cannot use.
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  try {
    const shared = { StackName: stackName, Capabilities: ['CAPABILITY_IAM' as const, 'CAPABILITY_NAMED_IAM' as const] };
    await cloudFormation.send(new CreateStackCommand({ ...shared, TemplateBody: JSON.stringify(packaged.createTemplate) }));
    await waitForStack(cloudFormation, stackName, 'CREATE_COMPLETE', timeoutMs);
    // As osls's provider.getServerlessDeploymentBucketName() finds it.
    const bucket = await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: DEPLOYMENT_BUCKET }),
    );
    const deploymentBucket = bucket.StackResourceDetail?.PhysicalResourceId;
    if (!deploymentBucket) throw new Error(`${stackName}: the create-stack template made no ${DEPLOYMENT_BUCKET}.`);

    const upload = async (name: string, body: Buffer | string) =>
      s3.send(new PutObjectCommand({ Bucket: deploymentBucket, Key: `${packaged.artifactDirectoryName}/${name}`, Body: body }));
    await upload(COMPILED_TEMPLATE, JSON.stringify(withoutRemovedGaps(packaged.updateTemplate)));
    for (const zip of Object.values(packaged.artifacts)) await upload(path.basename(zip), await readFile(zip));

    const parameters = Object.entries(options.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
    const s3Host = packaged.region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${packaged.region}.amazonaws.com`;
    const templateUrl = `https://${s3Host}/${deploymentBucket}/${packaged.artifactDirectoryName}/${COMPILED_TEMPLATE}`;
    await cloudFormation.send(new UpdateStackCommand({ ...shared, TemplateURL: templateUrl, Parameters: parameters }));
    const updated = await waitForStack(cloudFormation, stackName, 'UPDATE_COMPLETE', timeoutMs);

    const summaries = await cloudFormation.send(new ListStackResourcesCommand({ StackName: stackName }));
    const resources = Object.fromEntries(
      (summaries.StackResourceSummaries ?? []).filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId!, r]),
    );
    const outputs = Object.fromEntries((updated.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
    return { stackName, status: updated.StackStatus!, outputs, resources, deploymentBucket };
  } finally {
    cloudFormation.destroy();
    s3.destroy();
  }
}

async function waitForStack(cloudFormation: CloudFormationClient, stackName: string, wanted: string, timeoutMs: number): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [stack] = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
    const status = stack?.StackStatus ?? 'missing';
    if (status === wanted) return stack!;
    if (!status.endsWith('_IN_PROGRESS') || Date.now() > deadline) {
      const events = (await cloudFormation.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
      const reasons = events
        .filter((e) => e.ResourceStatus?.endsWith('FAILED'))
        .map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`)
        .join('\n');
      throw new Error(`${stackName} is ${status}, not ${wanted}:\n${reasons || stack?.StackStatusReason || '(no reason given)'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
