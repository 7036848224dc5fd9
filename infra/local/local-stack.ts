import type { QueueName, TriggerQueueName } from '../../jobs/queues';
import { createSqsClient } from '../../jobs/sqs-client';
import { createJobQueues, createTriggerQueues } from './create-queues';
import { createLocalPayloadBucket } from './create-payload-bucket';
import type { CreatedQueue } from './create-queues';
import { applyLocalAwsEnv, configuredSqsEndpoint } from './local-aws-env';
import { applyLocalHttpTriggerSecret, applyLocalSigningKeys } from './local-signing-keys';
import { applyLocalCallbackKeys } from '../../jobs/security/callback-url';
import { startLocalSqsServer } from './sqs-server';
import { startTemporalDevServer } from './temporal-dev-server';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Stage prefix of queue names. @default 'local' */
  readonly stage?: string;
  /** Serve the Temporal Web UI. @default false */
  readonly ui?: boolean;
  /** Where progress lines go. @default nowhere */
  readonly log?: (line: string) => void;
}

/** The servers and queues of a running local stack. */
export interface LocalStack {
  /** `host:port` of Temporal. */
  readonly temporalAddress: string;
  readonly namespace: string;
  /** Temporal Web UI, when this stack started the server with the UI on. */
  readonly temporalUiUrl?: string;
  /** SQS endpoint URL. */
  readonly sqsEndpoint: string;
  /** S3 endpoint of the payload bucket: fauxqs' when this stack started it, else `AWS_ENDPOINT_URL_S3`; none with another SQS emulator. */
  readonly s3Endpoint?: string;
  /** The payload bucket (claim check), created with the lifecycle rule of `infra/payload-bucket.ts`, when there is an S3 endpoint. */
  readonly payloadBucket?: string;
  /** Every job queue of `jobs/queues.json`, created on the endpoint. */
  readonly queues: Record<QueueName, CreatedQueue>;
  /** Every trigger queue of `jobs/queues.json` (`triggerQueues`), created on the endpoint. */
  readonly triggerQueues: Record<TriggerQueueName, CreatedQueue>;
  /** Whether this stack generated `HTTP_TRIGGER_HMAC_SECRET` (the user set none), so only it knows the value. */
  readonly generatedHttpTriggerSecret: boolean;
  /** Stops the servers this stack started (not the ones it found through the environment). */
  stop(): Promise<void>;
}

/**
 * Brings up what the functions and the worker need on this machine: a Temporal dev server (or the one in
 * `TEMPORAL_ADDRESS`), an SQS endpoint (fauxqs, or the one in `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL`),
 * the job queues and the trigger queues. Sets `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, the SDK's SQS settings and, unless configured,
 * a generated job signing key ring (`JOB_SIGNING_KEYS`) and HTTP trigger secret (`HTTP_TRIGGER_HMAC_SECRET`) in `process.env`; with an S3 endpoint (fauxqs' own, or
 * `AWS_ENDPOINT_URL_S3`) it creates the payload bucket and sets `AWS_ENDPOINT_URL_S3` and, unless set, `PAYLOAD_BUCKET`.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
    if (!temporalAddress) {
      const server = await startTemporalDevServer({ ui: options.ui, log: options.log });
      stops.push(server.stop);
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    } else {
      options.log?.(`Using Temporal at ${temporalAddress} (TEMPORAL_ADDRESS)`);
    }
    let sqsEndpoint = configuredSqsEndpoint();
    // fauxqs serves S3 on its SQS endpoint; another SQS emulator (ElasticMQ) has none, so S3 only when told.
    let s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 || undefined;
    if (!sqsEndpoint) {
      const sqsServer = await startLocalSqsServer();
      stops.push(sqsServer.stop);
      sqsEndpoint = sqsServer.endpoint;
      s3Endpoint ??= sqsServer.endpoint;
      options.log?.(`SQS (fauxqs) on ${sqsEndpoint}`);
    } else {
      options.log?.(`Using SQS at ${sqsEndpoint}`);
    }
    applyLocalAwsEnv(sqsEndpoint);
    applyLocalSigningKeys();
    applyLocalCallbackKeys();
    const generatedHttpTriggerSecret = applyLocalHttpTriggerSecret();
    process.env.TEMPORAL_ADDRESS = temporalAddress;
    process.env.TEMPORAL_NAMESPACE = namespace;
    const sqs = createSqsClient();
    const queues = await createJobQueues(sqs, options.stage ?? 'local');
    const triggerQueues = await createTriggerQueues(sqs, options.stage ?? 'local');
    sqs.destroy();
    const payloadBucket = s3Endpoint ? await createLocalPayloadBucket(s3Endpoint, options.stage ?? 'local') : undefined;
    if (payloadBucket) options.log?.(`payload bucket ${payloadBucket} on ${s3Endpoint} (PAYLOAD_BUCKET)`);
    return {
      temporalAddress,
      namespace,
      temporalUiUrl,
      sqsEndpoint,
      s3Endpoint,
      payloadBucket,
      queues,
      triggerQueues,
      generatedHttpTriggerSecret,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
