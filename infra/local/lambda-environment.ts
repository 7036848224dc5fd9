import { randomBytes } from 'node:crypto';
import { LAMBDA_NODE_VERSION } from './lambda-node';

/** What {@link lambdaReservedEnv} describes. */
export interface LambdaReservedEnvOptions {
  readonly functionName: string;
  readonly memoryMb: number;
  /** `handler` of the function in `serverless.yml`, e.g. `index.handler`. */
  readonly handler: string;
  /** `LAMBDA_TASK_ROOT`: the unpacked zip. */
  readonly taskRoot: string;
  /** `LAMBDA_RUNTIME_DIR`: where the bootstrap lives. */
  readonly runtimeDir: string;
  /** Folder of the Lambda Node.js binary, first on `PATH` as `/var/lang/bin` is on Lambda. */
  readonly nodeBin: string;
  /** @default `us-east-1` */
  readonly region?: string;
}

/** `AWS_EXECUTION_ENV` of the runtime the functions deploy on (`provider.runtime` in `serverless.yml`). */
export const LAMBDA_EXECUTION_ENV = `AWS_Lambda_nodejs${LAMBDA_NODE_VERSION.split('.')[0]}.x`;

/** A log stream name of Lambda's form, `YYYY/MM/DD/[$LATEST]<32 hex digits>`, one per container. */
export function lambdaLogStreamName(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * The environment variables Lambda itself sets in every execution environment of a Node.js function (the
 * "reserved" ones a function's configuration cannot override), with local values: task root, runtime
 * folder and `PATH` point at this machine's files. Not set locally: `AWS_LAMBDA_RUNTIME_API` (containers
 * talk to the local runner over IPC, not the Runtime API) and the X-Ray variables. The role's credentials
 * (`AWS_ACCESS_KEY_ID`…) come from the local stack, see {@link forwardedLocalEnv}.
 */
export function lambdaReservedEnv(options: LambdaReservedEnvOptions): Record<string, string> {
  const region = options.region ?? 'us-east-1';
  return {
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: lambdaLogStreamName(),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: LAMBDA_EXECUTION_ENV,
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: options.runtimeDir,
    _HANDLER: options.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: `${options.nodeBin}:/usr/local/bin:/usr/bin:/bin`,
  };
}

/**
 * The V8 heap flags Lambda's Node.js runtime derives from the memory size. Its bootstrap script
 * (`/var/runtime/bootstrap` in the nodejs base images) computes, in whole MB with integer division:
 * young generation = memory / 10, `--max-semi-space-size` = young / 2, `--max-old-space-size` = memory −
 * young; and always adds `--expose-gc` and `--max-http-header-size 81920`. These go on node's command line,
 * so the function's own `NODE_OPTIONS` still applies on top, as on Lambda.
 *
 * @example
 * ```ts
 * lambdaNodeFlags(1024); // ['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=51', '--max-old-space-size=922']
 * ```
 */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const young = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size',
    '81920',
    `--max-semi-space-size=${Math.floor(young / 2)}`,
    `--max-old-space-size=${memoryMb - young}`,
  ];
}

/**
 * Variables of the local stack's own process that a container still gets, since locally they stand in for
 * what Lambda provides (the role's credentials) or for what the deployed stack sets from its parameters
 * (Temporal's address, the key rings): the AWS credentials and endpoints (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_<SERVICE>`, pointing the SDK at fauxqs or ElasticMQ), everything `TEMPORAL_*`, the local
 * job-signing and payload key rings, the payload bucket and threshold, and the log settings. Nothing else of the parent's environment reaches
 * a container: what a function needs besides must be in its `serverless.yml` environment, or passed by the
 * caller (`env` of the container options).
 */
export const FORWARDED_LOCAL_ENV: readonly RegExp[] = [
  /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/,
  /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/,
  /^TEMPORAL_[A-Z0-9_]+$/,
  /^(JOB_SIGNING_KEYS|PAYLOAD_KEYS|CALLBACK_SIGNING_KEYS)$/,
  // The HTTP triggers' shared secret, which the deployed startWorkflowHttp reads from Secrets Manager by ARN.
  /^HTTP_TRIGGER_HMAC_SECRET$/,
  // The claim check's bucket and threshold, which the deployed stack sets from its own bucket and parameter.
  /^(PAYLOAD_BUCKET|PAYLOAD_OFFLOAD_THRESHOLD_BYTES)$/,
  /^(LOG_LEVEL|LOG_FORMAT|POWERTOOLS_LOG_LEVEL)$/,
];

/** The entries of `env` (by default this process's) that {@link FORWARDED_LOCAL_ENV} lets through. */
export function forwardedLocalEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && FORWARDED_LOCAL_ENV.some((pattern) => pattern.test(name))) out[name] = value;
  }
  return out;
}
