/**
 * `npm run dev`: the long-running local environment. Temporal dev server (with Web UI), fauxqs, the bundled
 * functions in per-process containers (their zips unpacked, run by the Lambda Node.js version, frozen between
 * invocations unless `--no-freeze`) fed by local event sources, and the worker; rebuilds and recycles
 * on change (functions/ and jobs/ → function containers; worker/ and jobs/ → the worker).
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM (e.g. `kill` on the npm process, which passes it on), SIGHUP (terminal
 * closed) or the parent process going away (npm dies of SIGHUP without passing it on) stop it gracefully, in
 * order: event sources, function containers (in-flight invocations finish), the worker (drains), then the
 * servers; it then exits 0. If this process is killed outright (SIGKILL, a crash), the process reaper
 * (`infra/local/process-reaper.ts`) SIGKILLs every server, worker and container it started. Run it as
 * `npm run dev`, whose script `exec`s node with tsx as a loader, so that npm's own child is this process.
 */
import { readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { CALLBACK_FUNCTION, CALLBACK_URL_DIR, startDevEnvironment } from '../infra/local/dev-environment';
import { HTTP_STARTER } from '../infra/cloudformation/trigger-resources';
import { clearDevState, writeDevState } from '../infra/local/dev-state';
import { LAMBDA_NODE_VERSION } from '../infra/local/lambda-node';
import { onStopRequest, stopExitCode } from '../infra/local/stop-requests';
import type { StopReason } from '../infra/local/stop-requests';
import { DEMO_WORKFLOW, RUN_JOB_WORKFLOW, TASK_QUEUE } from '../worker/constants';

const say = (line: string): void => console.log(`[dev] ${line}`);
// `--no-freeze` keeps idle containers running between invocations (to attach a debugger, watch timers).
const freeze = !process.argv.includes('--no-freeze');
// Until everything is up there is nothing to drain: exit, and the process reaper kills what had started.
const stopDuringStartUp = onStopRequest((reason) => {
  say(`${reason} during start-up: exiting (what had started dies with this process)`);
  process.exit(stopExitCode(reason));
});
const env = await startDevEnvironment({
  ui: true,
  freeze,
  log: say,
  functionEnv: { LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
  onInvocationError: (fn, err) => say(`${fn}: invocation failed, batch left for redelivery: ${(err as Error).message}`),
});
// By name: the callback function has a Function URL too.
const httpStarterFunction = env.functions.find((f) => f.config.name === HTTP_STARTER && f.urlServer);
const otherDev = await writeDevState({
  pid: process.pid,
  temporalAddress: env.stack.temporalAddress,
  namespace: env.stack.namespace,
  temporalUiUrl: env.stack.temporalUiUrl,
  sqsEndpoint: env.stack.sqsEndpoint,
  s3Endpoint: env.stack.s3Endpoint,
  payloadBucket: env.stack.payloadBucket,
  queues: env.stack.queues,
  triggerQueues: env.stack.triggerQueues,
  ...(httpStarterFunction?.urlServer && httpStarterFunction.config.url
    ? {
        httpStarter: {
          url: httpStarterFunction.urlServer.url,
          authType: httpStarterFunction.config.url.authType,
          ...(httpStarterFunction.config.url.authType === 'NONE' && env.stack.generatedHttpTriggerSecret
            ? { hmacSecret: process.env.HTTP_TRIGGER_HMAC_SECRET }
            : {}),
        },
      }
    : {}),
});
if (otherDev !== undefined) {
  say(`another npm run dev (pid ${otherDev}) is running in this checkout: npm run job and npm run dlq talk to it, not to this one`);
}

say(`Temporal        ${env.stack.temporalAddress} (namespace ${env.stack.namespace})`);
if (env.stack.temporalUiUrl) say(`Temporal Web UI ${env.stack.temporalUiUrl}`);
say(`SQS             ${env.stack.sqsEndpoint}`);
if (env.stack.payloadBucket) say(`S3 payloads     ${env.stack.payloadBucket} on ${env.stack.s3Endpoint} (over the claim-check threshold)`);
for (const [queue, q] of Object.entries(env.stack.queues)) say(`queue ${queue.padEnd(9)} ${q.url}  (DLQ ${q.deadLetterUrl})`);
for (const [queue, q] of Object.entries(env.stack.triggerQueues))
  say(`trigger queue ${queue.padEnd(9)} ${q.url}  (DLQ ${q.deadLetterUrl})`);
for (const f of env.functions) {
  const events = f.config.events
    .map((e) => `${e.deadLetter ? `${e.queue} DLQ` : e.queue} ×${e.maximumConcurrency} batch ${e.batchSize}`)
    .join(', ');
  const routes = f.config.name === CALLBACK_FUNCTION ? '/<token>[/fail|/heartbeat]' : '';
  const url = f.urlServer ? `  URL ${f.urlServer.url}${routes} (${f.config.url?.authType})` : '';
  say(`function ${f.config.name.padEnd(12)} ${f.config.artifact}  timeout ${f.config.timeoutSeconds}s  [${events}]${url}`);
}
say(
  `containers      Node ${LAMBDA_NODE_VERSION}, unpacked zips, ${freeze ? 'frozen between invocations (--no-freeze: not)' : 'not frozen (--no-freeze)'}`,
);
say(`worker          pid ${env.worker.pid}, task queue ${TASK_QUEUE}`);
say(`try: npm run job -- greet '{"name":"Ada"}'`);
say(`or:  npm run job -- approval '{"request":"ship it"}'  (its callback URL is printed here as a curl line)`);
say(
  `or:  temporal workflow start --address ${env.stack.temporalAddress} --task-queue ${TASK_QUEUE} --type ${DEMO_WORKFLOW} --input '{"name":"Ada"}'`,
);
say(`     (${RUN_JOB_WORKFLOW} takes a job name and its input)   dead letters: npm run dlq`);
say(`triggers: npm run trigger -- s3 <file.txt>  |  sqs '{"requestId":"r1","name":"Ada"}'`);
const httpStarter = httpStarterFunction?.urlServer;
if (httpStarter) {
  say(
    `          npm run trigger -- http '{"requestId":"r2","name":"Ada"}'   (POST ${httpStarter.url}/greet-on-call, signed as the URL expects)`,
  );
  say(
    `          curl -X POST ${httpStarter.url}/greet-on-call -H 'Authorization: AWS4-HMAC-SHA256 local' -d '{"requestId":"r3","name":"Ada"}'  (IAM: locally any SigV4 header, not verified)`,
  );
}
say(`          npm run trigger -- eventbridge '{"Source":"demo.accounts","DetailType":"UserSignedUp","Detail":{"name":"Ada"}}'`);
say('watching functions/, jobs/ and worker/ — Ctrl-C stops everything');

function debounce(action: () => Promise<void>, label: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(action).then(
        () => say(`${label} reloaded`),
        (err: unknown) => say(`${label} reload failed: ${(err as Error).message}`),
      );
    }, 200);
  };
}
const reloadFunctions = debounce(() => env.reloadFunctions(), 'functions');
const restartWorker = debounce(() => env.worker.restart(), 'worker');
// Each activity waiting for its callback URL, as processJobs hands the URL out (locally only: CALLBACK_URL_DIR).
const printed = new Set<string>();
const printCallbackUrl = (file: string | null): void => {
  if (!file?.endsWith('.url') || printed.has(file)) return;
  try {
    const url = readFileSync(join(CALLBACK_URL_DIR, file), 'utf8').trim();
    if (!url) return;
    printed.add(file);
    say(`waiting for callback  ${decodeURIComponent(file.split('.')[0] ?? '')}`);
    say(`  curl -X POST ${url} -H 'content-type: application/json' -d '<the job's output as JSON>'   (or ${url}/fail, /heartbeat)`);
  } catch {
    // Not written yet: the change event of its write comes next.
  }
};
const watchers = [
  watch(CALLBACK_URL_DIR, (_event, file) => printCallbackUrl(file)),
  watch('functions', { recursive: true }, reloadFunctions),
  watch('worker', { recursive: true }, restartWorker),
  watch('jobs', { recursive: true }, () => {
    reloadFunctions();
    restartWorker();
  }),
];

/**
 * Longest a graceful stop may take before `npm run dev` exits anyway: the process reaper then ends whatever
 * is left (its children die with it), so a stop that hangs — a reload racing the signal, a container that does
 * not answer — never leaves the terminal or a process manager waiting.
 */
const STOP_GRACE_MS = 20_000;

const stop = async (reason: StopReason): Promise<void> => {
  say(`${reason}: stopping (in-flight invocations may finish, the worker drains)…`);
  for (const w of watchers) w.close();
  const graceful = await Promise.race([
    env.stop().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
  ]);
  await clearDevState();
  say(graceful ? 'stopped' : `stopped: not all had stopped after ${STOP_GRACE_MS / 1000} s, the process reaper ends the rest`);
  process.exit(0);
};
stopDuringStartUp();
onStopRequest((reason) => void stop(reason));
