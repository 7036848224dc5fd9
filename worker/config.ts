import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { QueueName } from '../jobs/queues';
import { QUEUES } from '../jobs/queues';
import { hasSigningKeysInEnv } from '../jobs/security/message-signing';

/** Where the production worker finds Temporal and the job queues. */
export interface WorkerConfig {
  /** Connection options from Temporal's environment configuration (address, TLS, API key, profile). */
  readonly connection: NativeConnectionOptions;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
}

/** Environment variable holding the URL of a logical queue, e.g. `JOB_QUEUE_URL_JOBS` for `jobs`. */
export function queueUrlVariable(queue: QueueName): string {
  return `JOB_QUEUE_URL_${queue.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Reads the worker's settings from the environment. The connection follows Temporal's environment
 * configuration, as the `temporal` CLI does (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`,
 * `TEMPORAL_TLS*`, profiles in `TEMPORAL_CONFIG_FILE`); plus
 * `TEMPORAL_TASK_QUEUE`, one `JOB_QUEUE_URL_<QUEUE>` per queue (the stack outputs `JobsQueueUrl` etc.) and the
 * job signing keys (`JOB_SIGNING_KEYS_SECRET_ARN`, `JOB_SIGNING_KEYS_PARAMETER` or, locally, `JOB_SIGNING_KEYS`).
 * @throws Error listing every missing variable and where its value comes from
 */
export function readWorkerConfig(env: NodeJS.ProcessEnv, defaultTaskQueue: string): WorkerConfig {
  const missing: string[] = [];
  const { connectionOptions, namespace } = loadClientConnectConfig({
    profile: env.TEMPORAL_PROFILE,
    overrideEnvVars: env as Record<string, string>,
  });
  const temporalAddress = connectionOptions.address ?? '';
  if (!temporalAddress) missing.push('TEMPORAL_ADDRESS (host:port of the Temporal frontend)');
  const queueUrls = {} as Record<QueueName, string>;
  for (const queue of Object.keys(QUEUES) as QueueName[]) {
    const name = queueUrlVariable(queue);
    const url = env[name];
    if (!url) missing.push(`${name} (URL of the "${queue}" job queue; a stack output of the deployed service)`);
    else queueUrls[queue] = url;
  }
  if (!hasSigningKeysInEnv(env)) {
    missing.push(
      'JOB_SIGNING_KEYS_SECRET_ARN (the job signing key ring; the stack output JobSigningKeysSecretArn) or JOB_SIGNING_KEYS_PARAMETER',
    );
  }
  if (missing.length > 0) throw new Error(`The worker is missing configuration:\n  - ${missing.join('\n  - ')}`);
  return {
    connection: connectionOptions,
    temporalAddress,
    namespace: namespace || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || defaultTaskQueue,
    queueUrls,
  };
}
