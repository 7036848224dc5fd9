import type { BenchInvocation } from './functions/bench-function';
import type { CostResult, StepFunctionsCallbackModel } from './results';

/** The list prices in `bench/prices.json`. */
export interface Prices {
  readonly asOf: string;
  readonly currency: string;
  readonly sqs: { readonly perMillionRequests: number; readonly source: string };
  readonly lambda: {
    readonly architecture: string;
    readonly perGbSecond: number;
    readonly perMillionRequests: number;
    readonly source: string;
  };
  readonly temporalCloud: { readonly perMillionActions: number; readonly source: string };
  /** Absent in price lists before issue 15. */
  readonly stepFunctions?: { readonly perThousandStateTransitions: number; readonly source: string };
  /** S3 Standard, for payloads stored by the claim check (`scripts/bench-large-payloads.ts`). */
  readonly s3?: { readonly perMillionPut: number; readonly perMillionGet: number; readonly perGbMonth: number; readonly source: string };
}

/** What the async throughput runs counted, and what the cost model needs besides. */
export interface CostInputs {
  /** Jobs the counts cover. */
  readonly jobs: number;
  /** SQS requests by operation: the worker's sends and the runner's receives and deletes. */
  readonly sqsRequests: Readonly<Record<string, number>>;
  /** The bench function's invocations over those jobs. */
  readonly invocations: readonly BenchInvocation[];
  /** Configured memory of the function, MB. */
  readonly memoryMb: number;
  /** Temporal frontend requests and actions over the same jobs, per path (absent with an external server). */
  readonly temporal?: {
    readonly async: {
      readonly requests: Readonly<Record<string, number>>;
      readonly actions: Readonly<Record<string, number>>;
      readonly jobs: number;
    };
    readonly direct: {
      readonly requests: Readonly<Record<string, number>>;
      readonly actions: Readonly<Record<string, number>>;
      readonly jobs: number;
    };
  };
  /** Median init of the deployed function in a fresh process, ms. */
  readonly initMs: number;
  /** Cold starts during the counted runs. */
  readonly coldStarts: number;
}

/** Action types that belong to the workflow, not to the job: one per workflow however many jobs it runs. */
const WORKFLOW_ACTIONS = /StartWorkflow|SignalWithStart|ContinueAsNew/;

function perJob(counts: Readonly<Record<string, number>>, jobs: number, skip?: RegExp): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([key]) => !skip?.test(key))
      .map(([key, n]) => [key, n / jobs]),
  );
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

/**
 * Turns the counted calls into per-job figures and a cost per million jobs at list prices. Billed duration
 * is each invocation's handler time rounded up to the millisecond × configured memory. Temporal actions
 * per job are the server's `action` counts without workflow starts (a workflow may run many jobs); without
 * the server's metrics, one action per job (the activity's scheduling) plus the heartbeats the function sent.
 */
export function computeCost(inputs: CostInputs, prices: Prices): CostResult {
  const { jobs } = inputs;
  const gb = inputs.memoryMb / 1024;
  const billedMs = sum(inputs.invocations.map((i) => Math.ceil(i.ms)));
  const functionCalls: Record<string, number> = {};
  for (const invocation of inputs.invocations) {
    for (const [call, n] of Object.entries(invocation.temporalCalls)) functionCalls[call] = (functionCalls[call] ?? 0) + n;
  }
  const sqsRequests = perJob(inputs.sqsRequests, jobs);
  const sqsRequestsTotal = sum(Object.values(sqsRequests));
  const lambdaInvocations = inputs.invocations.length / jobs;
  const lambdaGbSeconds = ((billedMs / 1000) * gb) / jobs;
  const temporalActions = inputs.temporal
    ? {
        async: perJob(inputs.temporal.async.actions, inputs.temporal.async.jobs, WORKFLOW_ACTIONS),
        direct: perJob(inputs.temporal.direct.actions, inputs.temporal.direct.jobs, WORKFLOW_ACTIONS),
      }
    : undefined;
  const asyncActions = temporalActions ? sum(Object.values(temporalActions.async)) : 1 + (functionCalls.heartbeat ?? 0) / jobs;
  const directActions = temporalActions ? sum(Object.values(temporalActions.direct)) : 1;
  const perMillion = {
    sqs: sqsRequestsTotal * prices.sqs.perMillionRequests,
    lambdaRequests: lambdaInvocations * prices.lambda.perMillionRequests,
    lambdaDuration: lambdaGbSeconds * 1e6 * prices.lambda.perGbSecond,
    temporalActions: asyncActions * prices.temporalCloud.perMillionActions,
  };
  const cost: CostResult = {
    jobs,
    perJob: {
      sqsRequests,
      sqsRequestsTotal,
      lambdaInvocations,
      lambdaBilledMs: billedMs / jobs,
      lambdaGbSeconds,
      functionTemporalCalls: perJob(functionCalls, jobs),
      temporalRequests: inputs.temporal
        ? {
            async: perJob(inputs.temporal.async.requests, inputs.temporal.async.jobs),
            direct: perJob(inputs.temporal.direct.requests, inputs.temporal.direct.jobs),
          }
        : undefined,
      temporalActions,
    },
    memoryMb: inputs.memoryMb,
    initGbSecondsPerColdStart: (inputs.initMs / 1000) * gb,
    coldStarts: inputs.coldStarts,
    perMillionJobs: {
      ...perMillion,
      total: sum(Object.values(perMillion)),
      directTemporalActions: directActions * prices.temporalCloud.perMillionActions,
    },
    prices: {
      asOf: prices.asOf,
      currency: prices.currency,
      sources: [prices.sqs.source, prices.lambda.source, prices.temporalCloud.source],
    },
  };
  const stepFunctionsCallback = stepFunctionsCallbackModel(cost, prices);
  return stepFunctionsCallback ? { ...cost, models: { stepFunctionsCallback } } : cost;
}

/**
 * What the Step Functions callback model assumes per job: the job is one `Task` state of a Standard state
 * machine with `arn:aws:states:::sqs:sendMessage.waitForTaskToken` (one state transition; retries would add
 * one each), Step Functions sends one `SendMessage` per task (it does not batch), and the consumer side — the
 * event source's receives and deletes, the function's invocations and duration — is the one measured for our
 * async path, the function calling `SendTaskSuccess` instead of Temporal's completion.
 */
export const STEP_FUNCTIONS_CALLBACK_ASSUMPTIONS = { stateTransitionsPerJob: 1, sendMessagePerJob: 1 } as const;

/**
 * The Step Functions callback pattern's cost per million jobs, **a model from list prices, not a
 * measurement** (see {@link STEP_FUNCTIONS_CALLBACK_ASSUMPTIONS}). Undefined without Step Functions prices.
 */
export function stepFunctionsCallbackModel(cost: CostResult, prices: Prices): StepFunctionsCallbackModel | undefined {
  if (!prices.stepFunctions) return undefined;
  const a = STEP_FUNCTIONS_CALLBACK_ASSUMPTIONS;
  const consumerRequests = sum(
    Object.entries(cost.perJob.sqsRequests)
      .filter(([op]) => !op.startsWith('SendMessage'))
      .map(([, n]) => n),
  );
  const sqsRequestsPerJob = a.sendMessagePerJob + consumerRequests;
  const perMillion = {
    stateTransitions: a.stateTransitionsPerJob * 1_000 * prices.stepFunctions.perThousandStateTransitions,
    sqs: sqsRequestsPerJob * prices.sqs.perMillionRequests,
    lambdaRequests: cost.perMillionJobs.lambdaRequests,
    lambdaDuration: cost.perMillionJobs.lambdaDuration,
  };
  return {
    kind: 'model',
    assumptions: { ...a, sqsRequestsPerJob },
    perMillionJobs: { ...perMillion, total: sum(Object.values(perMillion)) },
    source: prices.stepFunctions.source,
  };
}
