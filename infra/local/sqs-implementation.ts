import { startElasticMqServer } from './elasticmq-server';
import { startLocalSqsServer } from './sqs-server';
import type { LocalSqsServer } from './sqs-server';

/** The SQS implementations the local stack and the tests can run on. */
export const SqsImplementation = {
  /** fauxqs, embedded in the Node.js process; the default. */
  Fauxqs: 'fauxqs',
  /** ElasticMQ, a JVM server fetched with Maven into `.tools/`. */
  ElasticMq: 'elasticmq',
} as const;

/** One of {@link SqsImplementation}'s values. */
export type SqsImplementation = (typeof SqsImplementation)[keyof typeof SqsImplementation];

/**
 * Reads the switch `SQS_IMPL` (`fauxqs` or `elasticmq`).
 * @default 'fauxqs'
 * @throws TypeError naming the accepted values when the variable holds anything else
 */
export function sqsImplementationFromEnv(env: NodeJS.ProcessEnv = process.env): SqsImplementation {
  const raw = (env.SQS_IMPL ?? '').trim().toLowerCase();
  if (raw === '') return SqsImplementation.Fauxqs;
  const known = Object.values(SqsImplementation) as string[];
  if (!known.includes(raw)) throw new TypeError(`SQS_IMPL="${env.SQS_IMPL}" is not one of: ${known.join(', ')}.`);
  return raw as SqsImplementation;
}

/** Starts the chosen SQS implementation on a free loopback port. */
export function startSqsImplementation(impl: SqsImplementation, log?: (line: string) => void): Promise<LocalSqsServer> {
  return impl === SqsImplementation.ElasticMq ? startElasticMqServer({ log }) : startLocalSqsServer();
}
