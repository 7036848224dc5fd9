/**
 * `npm run trigger -- <source> …`: delivers a cloud event to the running `npm run dev` environment the way the
 * cloud would, then waits for the workflow it starts and prints its result.
 *   npm run trigger -- s3 <file> [--key <key>]                       upload to the local bucket + S3's notification
 *   npm run trigger -- eventbridge '<PutEvents entries JSON>'        events to the rules whose pattern matches
 *   npm run trigger -- sqs '<message body>'                          a message from another system
 *   npm run trigger -- http '<request body>' [--wait <s>] [--url u]  a POST to the HTTP starter's Function URL
 * `--trigger <name>` picks the trigger when several share a source; `--no-wait` returns once delivered. An HTTP
 * call is signed as the local URL expects: a SigV4-shaped header (IAM auth; not verified locally) or the HMAC
 * of `HTTP_TRIGGER_HMAC_SECRET` (else the secret `npm run dev` generated); it waits with the starter's own
 * `?wait=` (default 10 s), then through Temporal if the workflow still runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { planTriggerRecord } from '../functions/runtime/trigger-events';
import { callHttpTrigger } from '../infra/local/call-http-trigger';
import { parsePutEventsInput, putEvents, localBucketOf, uploadAndNotify } from '../infra/local/deliver-events';
import { readDevState } from '../infra/local/dev-state';
import { sqsRecordOf } from '../infra/local/lambda-event';
import { applyLocalAwsEnv } from '../infra/local/local-aws-env';
import { HttpAuth } from '../jobs/define-trigger';
import type { AnyHttpTrigger, AnyTrigger } from '../jobs/define-trigger';
import { dataConverterFromEnv } from '../jobs/security/data-converter';
import { createSqsClient } from '../jobs/sqs-client';
import { HTTP_TRIGGERS, TRIGGERS } from '../jobs/triggers';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string' },
    trigger: { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
    wait: { type: 'string' },
    url: { type: 'string' },
  },
});
const [source, argument] = positionals;
const usage =
  "Usage: npm run trigger -- s3 <file> [--key k] | eventbridge '<PutEvents JSON>' | sqs '<body>' | http '<body>' [--wait s] [--url u]" +
  ' [--trigger name] [--no-wait]';
if (!source || !argument || !['s3', 'eventbridge', 'sqs', 'http'].includes(source)) {
  console.error(usage);
  process.exit(2);
}

/** Prints a workflow's result, polling while the starter has not started it yet. */
async function printResult(client: Client, workflowId: string): Promise<void> {
  console.log(`waiting for workflow ${workflowId}…`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      console.log(JSON.stringify(await client.workflow.getHandle(workflowId).result(), null, 2));
      return;
    } catch (err) {
      // The starter has not started it yet.
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

if (source === 'http') {
  const trigger = (Object.values(HTTP_TRIGGERS) as AnyHttpTrigger[]).find((t) => !values.trigger || t.name === values.trigger);
  if (!trigger) {
    console.error(`No HTTP trigger${values.trigger ? ` named ${values.trigger}` : ''} in jobs/triggers.ts.`);
    process.exit(2);
  }
  // --url (and TEMPORAL_ADDRESS to wait) name the servers: the state file belongs to the first npm run dev of the checkout.
  const state = values.url && process.env.TEMPORAL_ADDRESS ? undefined : readDevState();
  const authType = (trigger.auth ?? HttpAuth.Iam) === HttpAuth.Hmac ? 'NONE' : 'AWS_IAM';
  const url = values.url ?? state?.httpStarter?.url;
  if (!url) {
    console.error('The running npm run dev serves no HTTP starter (restart it to get one), and no --url was given.');
    process.exit(2);
  }
  const waitSeconds = values['no-wait'] ? 0 : Number(values.wait ?? 10);
  const answer = await callHttpTrigger({
    url,
    trigger: trigger.name,
    body: argument,
    authType,
    hmacSecret: process.env.HTTP_TRIGGER_HMAC_SECRET ?? state?.httpStarter?.hmacSecret,
    waitSeconds,
  });
  const { workflowId, started, status, result, error } = answer.body as {
    workflowId?: string;
    started?: boolean;
    status?: string;
    result?: unknown;
    error?: string;
  };
  if (answer.status >= 400 || !workflowId) {
    console.error(`${trigger.name} answered ${answer.status}: ${error ?? JSON.stringify(answer.body)}`);
    process.exit(1);
  }
  console.log(
    `workflow ${workflowId} ${started ? 'started' : 'already started for this request'} (${trigger.name}, HTTP ${answer.status})`,
  );
  if (waitSeconds === 0) process.exit(0);
  if (status === 'completed') {
    console.log(JSON.stringify(result, null, 2));
    process.exit(0);
  }
  if (status && status !== 'running') {
    console.error(`workflow ${workflowId} ${status}`);
    process.exit(1);
  }
  // Still running when the starter's wait ended: wait through Temporal.
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? state!.temporalAddress });
  try {
    const client = new Client({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? state?.namespace ?? 'default',
      dataConverter: dataConverterFromEnv(),
    });
    await printResult(client, workflowId);
  } finally {
    await connection.close();
  }
  process.exit(0);
}

const triggers = (Object.values(TRIGGERS) as AnyTrigger[]).filter(
  (t) => t.source === source && (!values.trigger || t.name === values.trigger),
);
const [trigger] = triggers;
if (!trigger) {
  console.error(`No ${source} trigger${values.trigger ? ` named ${values.trigger}` : ''} in jobs/triggers.ts.`);
  process.exit(2);
}
const state = readDevState();
applyLocalAwsEnv(state.sqsEndpoint);
const queueUrlOf = (t: AnyTrigger): string | undefined =>
  (state.triggerQueues as Record<string, { url: string }> | undefined)?.[t.queue]?.url;
const sqs = createSqsClient();
/** Each delivered body with the trigger it went to, for working out the workflow ids the starter derives. */
const delivered: { trigger: AnyTrigger; messageId: string; body: string }[] = [];
try {
  if (source === 's3') {
    const s3 = new S3Client({ endpoint: state.sqsEndpoint, forcePathStyle: true });
    const key = values.key ?? path.basename(argument);
    const bucket = localBucketOf('local', trigger);
    const sent = await uploadAndNotify({ s3, sqs, bucket, key, data: readFileSync(argument), queueUrl: queueUrlOf(trigger)! });
    s3.destroy();
    console.log(`uploaded s3://${bucket}/${key} and delivered S3's ObjectCreated:Put notification (message ${sent.messageId})`);
    delivered.push({ trigger, ...sent });
  } else if (source === 'eventbridge') {
    const sent = await putEvents({ sqs, entries: parsePutEventsInput(argument), triggers, queueUrlOf });
    if (sent.length === 0) console.log('no trigger’s pattern matched: nothing delivered (as on EventBridge)');
    for (const s of sent) console.log(`event ${s.eventId} delivered to ${s.trigger} (message ${s.messageId})`);
    for (const s of sent) delivered.push({ trigger: triggers.find((t) => t.name === s.trigger)!, messageId: s.messageId, body: s.body });
  } else {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrlOf(trigger), MessageBody: argument }));
    console.log(`message ${sent.MessageId} sent to ${trigger.name}'s queue`);
    delivered.push({ trigger, messageId: sent.MessageId ?? '', body: argument });
  }
} finally {
  sqs.destroy();
}
if (values['no-wait'] || delivered.length === 0) process.exit(0);

const connection = await Connection.connect({ address: state.temporalAddress });
try {
  const client = new Client({ connection, namespace: state.namespace, dataConverter: dataConverterFromEnv() });
  for (const d of delivered) {
    let ids: string[];
    try {
      const plan = planTriggerRecord(
        d.trigger,
        sqsRecordOf({ MessageId: d.messageId, ReceiptHandle: '-', Body: d.body }, 'arn:aws:sqs:us-east-1:0:x'),
      );
      ids = plan.kind === 'start' ? plan.starts.map((s) => s.workflowId) : [];
      if (plan.kind === 'ignore') console.log(`the starter ignores this event (${plan.reason})`);
    } catch (err) {
      console.log(
        `the starter cannot map this event (${(err as Error).message}): it goes to the trigger's dead-letter queue (npm run dlq)`,
      );
      continue;
    }
    for (const workflowId of ids) await printResult(client, workflowId);
  }
} finally {
  await connection.close();
}
