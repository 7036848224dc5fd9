import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { createContainerPool } from '../infra/local/container-pool';
import { forwardedLocalEnv } from '../infra/local/lambda-environment';
import { sqsRecordOf } from '../infra/local/lambda-event';
import { decodeJobMessage } from '../jobs/job-message';
import { PRODUCED_BY_FUNCTION } from './bench-jobs';
import type { BenchEnvironment } from './environment';
import type { BenchInvocation, ProfileEvent, RawCompleteEvent, RawCompleteResult } from './functions/bench-function';
import { median, summarize } from './stats';
import type { WarmOverheadResult } from './results';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';

/** Takes `count` job messages off the job queue (and deletes them, so no runner ever sees them again). */
async function takeMessages(env: BenchEnvironment, count: number): Promise<Message[]> {
  const queueUrl = env.stack.queues.jobs.url;
  const taken: Message[] = [];
  const deadline = Date.now() + 60_000;
  while (taken.length < count && Date.now() < deadline) {
    const { Messages = [] } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) continue;
    await env.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    taken.push(...Messages);
  }
  if (taken.length < count) throw new Error(`only ${taken.length} of ${count} job messages reached the queue`);
  return taken;
}

/**
 * Per-record cost inside the handler beyond the completion RPC, and the RPC itself against Temporal's SDK.
 * Opens `3 × samples + warmup` activities (their messages are taken off the queue, so no runner is involved),
 * then in one container of the bench function alternates: a one-record invocation of the real handler
 * (decode, payload, log lines, heartbeater, `complete` through the runtime), a bare `client.complete` of
 * another activity on the same cached client, and — in a container of the naive `@temporalio/client` bundle
 * (`naiveArtifact`) — `client.activity.complete` of a third. The overhead is the difference of the first two
 * medians; the last two compare the completion clients call for call. The
 * overhead the target reads is per invocation: its handler time less its own completion call, timed around the
 * runtime's call inside the container (`temporalMs`); the bare calls beside it show that call is no slower there. With `profileFile`, the bench
 * container's CPU profile over the samples is written there.
 */
export async function measureWarmOverhead(
  env: BenchEnvironment,
  artifact: string,
  samples: number,
  functionEnv: Record<string, string>,
  naiveArtifact: string,
  profileFile?: string,
): Promise<{ result: WarmOverheadResult; workload: WorkloadResult }> {
  const warmup = 10;
  const total = 3 * samples + 2 * warmup;
  const workloadDone = runWorkload({
    client: env.client,
    taskQueue: env.taskQueue,
    path: 'async',
    jobs: total,
    perWorkflow: total,
    mode: 'parallel',
    idPrefix: `warm-${env.runId}`,
  });
  workloadDone.catch(() => undefined);
  const pool = createContainerPool({
    artifact,
    handler: env.processJobs.handler,
    functionName: 'benchWarm',
    timeoutMs: env.processJobs.timeoutSeconds * 1000,
    memoryMb: env.processJobs.memoryMb,
    maxContainers: 1,
    env: { ...forwardedLocalEnv(), ...env.processJobs.environment, ...functionEnv },
  });
  const sdkPool = createContainerPool({
    artifact: naiveArtifact,
    handler: 'index.handler',
    functionName: 'benchWarmSdk',
    timeoutMs: env.processJobs.timeoutSeconds * 1000,
    memoryMb: env.processJobs.memoryMb,
    maxContainers: 1,
    env: { ...forwardedLocalEnv(), ...env.processJobs.environment, ...functionEnv },
  });
  const handlerMs: number[] = [];
  const handlerRpcMs: number[] = [];
  const beyondRpcMs: number[] = [];
  const rawMs: number[] = [];
  const sdkMs: number[] = [];
  try {
    const messages = await takeMessages(env, total);
    const arn = env.stack.queues.jobs.arn;
    const invokeOne = async (message: Message): Promise<BenchInvocation> => {
      const event: SQSEvent = { Records: [sqsRecordOf(message, arn)] };
      const { bench } = (await pool.invoke(event)) as { bench: BenchInvocation };
      if (bench.outcomes.completed !== 1) throw new Error(`warm-overhead invocation ended ${JSON.stringify(bench.outcomes)}`);
      return bench;
    };
    const rawOne = async (message: Message, on = pool): Promise<number> => {
      const decoded = decodeJobMessage(message.Body ?? '');
      const input = JSON.parse(Buffer.from(decoded.input.data, 'base64').toString('utf8')) as { i: number };
      const event: RawCompleteEvent = {
        bench: 'raw-complete',
        tokens: [decoded.taskToken ?? ''],
        result: { i: input.i, by: PRODUCED_BY_FUNCTION },
      };
      const { ms } = (await on.invoke(event)) as RawCompleteResult;
      return ms[0] as number;
    };
    for (const message of messages.slice(0, warmup)) await invokeOne(message);
    for (const message of messages.slice(warmup, 2 * warmup)) await rawOne(message, sdkPool);
    const rest = messages.slice(2 * warmup);
    if (profileFile) await pool.invoke({ bench: 'profile-start' } satisfies ProfileEvent);
    for (let k = 0; k < samples; k += 1) {
      const invocation = await invokeOne(rest[3 * k] as Message);
      handlerMs.push(invocation.ms);
      handlerRpcMs.push(invocation.temporalMs);
      beyondRpcMs.push(invocation.ms - invocation.temporalMs);
      rawMs.push(await rawOne(rest[3 * k + 1] as Message));
      sdkMs.push(await rawOne(rest[3 * k + 2] as Message, sdkPool));
    }
    if (profileFile) await pool.invoke({ bench: 'profile-stop', file: profileFile } satisfies ProfileEvent);
  } finally {
    await Promise.all([pool.stop(), sdkPool.stop()]);
  }
  const workload = await workloadDone;
  return {
    result: {
      samples,
      handlerMs: summarize(handlerMs),
      handlerRpcMs: summarize(handlerRpcMs),
      beyondRpcMs: summarize(beyondRpcMs),
      rawCompleteMs: summarize(rawMs),
      overheadP50Ms: median(handlerMs) - median(rawMs),
      sdkCompleteMs: summarize(sdkMs),
      completeToSdkP50: median(rawMs) / median(sdkMs),
    },
    workload,
  };
}
