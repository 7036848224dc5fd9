/**
 * Fills in the AWS SDK settings a local SQS endpoint needs (region, dummy credentials, endpoint) without
 * overriding anything the user has set. The SDK reads these standard variables itself.
 */
export function applyLocalAwsEnv(sqsEndpoint: string, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_REGION ??= 'us-east-1';
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.AWS_ENDPOINT_URL_SQS = sqsEndpoint;
}

/** The SQS endpoint the user configured through the SDK's standard variables, if any. */
export function configuredSqsEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL || undefined;
}
