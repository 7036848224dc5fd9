import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The SQS-facing tests, run on ElasticMQ instead of fauxqs: `npm run test:elasticmq`. The switch itself is
 * `SQS_IMPL=elasticmq`, read by the global setup; this file only picks the tests and sets it when unset.
 */
export const SQS_FACING_TESTS = [
  'test/reliability/duplicates.test.ts',
  'test/reliability/stale-token.test.ts',
  'test/reliability/temporal-restart.test.ts',
  'test/reliability/container-crash.test.ts',
  'test/reliability/container-freeze.test.ts',
  'test/reliability/poison.test.ts',
  'test/reliability/dead-letter-latency.test.ts',
  'test/integration/delivery.test.ts',
  'test/integration/dead-letter.test.ts',
  'test/integration/redelivery.test.ts',
  'test/integration/hardening-queues.test.ts',
  'test/integration/message-size.test.ts',
  'test/integration/send-batching.test.ts',
  'test/integration/triggers.test.ts',
];

process.env.SQS_IMPL ??= 'elasticmq';

export default defineConfig({ ...base, test: { ...base.test, include: SQS_FACING_TESTS } });
