/**
 * `npm run dlq`: lists dead-lettered messages of every job queue (ids, job, receive count, age, the S3 reference
 * of an input stored by the claim check; never tokens or input). `npm run dlq -- --redrive` moves them back to
 * their source queues.
 */
import { parseArgs } from 'node:util';
import { listDeadLetters, redriveDeadLetters } from '../infra/local/dead-letters';
import { readDevState } from '../infra/local/dev-state';
import { applyLocalAwsEnv } from '../infra/local/local-aws-env';
import { createSqsClient } from '../jobs/sqs-client';

const { values } = parseArgs({ options: { redrive: { type: 'boolean', default: false } } });
const state = readDevState();
applyLocalAwsEnv(state.sqsEndpoint);
const sqs = createSqsClient();
try {
  for (const [queue, urls] of Object.entries({ ...state.queues, ...state.triggerQueues })) {
    if (values.redrive) {
      const moved = await redriveDeadLetters(sqs, urls.deadLetterUrl, urls.url);
      console.log(`${queue}: moved ${moved} message(s) from the dead-letter queue back to the queue`);
      continue;
    }
    const letters = await listDeadLetters(sqs, urls.deadLetterUrl);
    console.log(`${queue}: ${letters.length} dead-lettered message(s)`);
    if (letters.length > 0) console.table(letters);
  }
} finally {
  sqs.destroy();
}
