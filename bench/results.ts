import type { LambdaWorkerResult } from './lambda-worker-phase';
import type { Summary } from './stats';

/** The machine a run measured. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  /** Node.js of the bench process, the worker and the local stack. */
  readonly node: string;
  /** Node.js of the function containers and cold-start processes: the Lambda runtime's (absent in runs before it was recorded). */
  readonly lambdaNode?: string;
  /** Node.js of the bench worker (absent in runs before it was recorded, when it was {@link node}). */
  readonly workerNode?: string;
  readonly platform: string;
  /** 1-minute load average when the run started (other work on the machine) and when it ended (mostly the run itself). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** One path's throughput run. */
export interface ThroughputPath {
  /** Jobs in each round. */
  readonly jobsPerRound: number;
  readonly rounds: number;
  /** Jobs that came back right, all rounds together. */
  readonly completed: number;
  /** First workflow start to last result, ms (median round). */
  readonly wallMs: number;
  /** Median over the rounds. */
  readonly jobsPerSecond: number;
  /** Each round's jobs/s, in order. */
  readonly roundsJobsPerSecond: readonly number[];
  /** Jobs/s between the 10th and 90th percentile of finish times (no ramp-up, no tail). */
  readonly steadyJobsPerSecond: number;
  /** CPU ms per job by process group, measured over the run. */
  readonly cpuMsPerJob: Readonly<Record<string, number>>;
}

/** Both throughput runs, side by side. */
export interface ThroughputResult {
  readonly jobsPerWorkflow: number;
  readonly direct: ThroughputPath;
  readonly async: ThroughputPath & {
    readonly containers: number;
    readonly invocations: number;
    readonly recordsPerInvocation: number;
    readonly batchSize: number;
    readonly batchingWindowSeconds: number;
    readonly concurrency: number;
  };
  /** The async path again with a batching window of 0 (one round; not what the target judges). */
  readonly asyncWindow0: ThroughputPath;
  /** async jobs/s ÷ direct jobs/s. */
  readonly ratio: number;
  /** The same for the steady rates. */
  readonly steadyRatio: number;
  /**
   * The same rounds with Temporal + worker on one CPU and the emulated AWS side on the other (`taskset`), or
   * why they were not run. Absent in runs before issue 15.
   */
  readonly pinned?: PinnedThroughput | { readonly skipped: string };
}

/** Throughput of both paths with each side pinned to a CPU of its own. */
export interface PinnedThroughput {
  /** CPU lists as `taskset -c` takes them. */
  readonly cpus: { readonly temporalAndWorker: string; readonly awsSide: string };
  readonly direct: ThroughputPath;
  readonly async: ThroughputPath;
  /** async jobs/s ÷ direct jobs/s, pinned. */
  readonly ratio: number;
  /** The same for the steady rates. */
  readonly steadyRatio: number;
}

/** Latency of each path: from the workflow task that scheduled a job to the one that got its result. */
export interface LatencyResult {
  readonly clock: string;
  readonly direct: Summary;
  /** The bench function with a batching window of 0. */
  readonly async: Summary;
  /** async p50 − direct p50, ms. */
  readonly addedP50Ms: number;
  /** The bench function with the configured batching window, or with a 1 s opt-in window when none is configured. */
  readonly asyncConfiguredWindow: Summary;
  readonly configuredWindowSeconds: number;
  /** What the configured window adds to the p50 over a window of 0, ms. */
  readonly windowCostP50Ms: number;
}

/** One bundle's size and init time. */
export interface ColdStartBundle {
  readonly zipBytes: number;
  readonly unzippedBytes: number;
  readonly codeBytes: number;
  /** Median import + client ready, ms. */
  readonly initMs: number;
  /** Median import alone, ms. */
  readonly importMs: number;
  /** Median Node start-up before the import, ms. */
  readonly bootMs: number;
  /** Median RSS once ready, bytes. */
  readonly rssBytes: number;
}

/** Cold starts of the deployed bundles and the two references. */
export interface ColdStartResult {
  readonly runs: number;
  /** Node flags of every fresh process (from `serverless.yml`'s NODE_OPTIONS). */
  readonly nodeFlags: readonly string[];
  readonly bundles: Readonly<Record<string, ColdStartBundle>>;
  /** process-jobs init ÷ naive-client init. */
  readonly processJobsToNaive: number;
  /** Each trigger starter (issue 16) next to process-jobs: its init and its RSS when ready, each ÷ process-jobs' (absent in results of earlier runs). */
  readonly startersToProcessJobs?: Readonly<Record<string, { readonly initRatio: number; readonly rssRatio: number }>>;
  /** Init of process-jobs without the NODE_OPTIONS flags, ms: what those flags cost. */
  readonly processJobsInitWithoutFlagsMs: number;
}

/** Per-record cost inside the handler beyond the completion RPC. */
export interface WarmOverheadResult {
  readonly samples: number;
  /** One-record invocations of the bench function, handler time. */
  readonly handlerMs: Summary;
  /** The completion RPC inside those invocations, timed around the runtime's call (absent before 2026-11-25). */
  readonly handlerRpcMs?: Summary;
  /** Each invocation's handler time less its own RPC: the runtime's work around the call (absent before 2026-11-25). */
  readonly beyondRpcMs?: Summary;
  /** Bare `client.complete` (the runtime's completion client) on the same cached client, interleaved with the above. */
  readonly rawCompleteMs: Summary;
  /** handler p50 − raw p50, ms: calls apart, so the two RPCs' spread is in it (the target reads `beyondRpcMs`). */
  readonly overheadP50Ms: number;
  /** Temporal SDK's `client.activity.complete` in a container of the naive bundle, interleaved with the above. */
  readonly sdkCompleteMs: Summary;
  /** raw p50 ÷ SDK p50: the functions' completion call against Temporal's SDK's on the same server. */
  readonly completeToSdkP50: number;
}

/** Memory of one container over many records. */
export interface MemoryResult {
  readonly records: number;
  readonly invocations: number;
  /** Peak RSS (VmHWM) of the container, bytes. */
  readonly peakRssBytes: number;
  /** RSS after the first invocation, bytes. */
  readonly rssAfterFirstInvocationBytes: number;
  /** RSS at the end, bytes. */
  readonly rssAtEndBytes: number;
  /** Peak RSS of a container of the bare handler after one invocation: the container's own floor. */
  readonly bareContainerPeakRssBytes: number;
  /** JS heap in use after a full GC, once the first 10 records are done and at the end, bytes. */
  readonly heapAfterGcBytes: { readonly afterFirstRecords: number; readonly atEnd: number };
  /** [records processed, RSS bytes] as the run went. */
  readonly rssByRecords: readonly (readonly [number, number])[];
  /** RSS of process-jobs in a fresh plain `node` once ready (the cold-start probe): no tsx loader, as on Lambda. */
  readonly plainProcessReadyRssBytes: number;
}

/** Counted calls per job and the estimated cost per million jobs. */
export interface CostResult {
  readonly jobs: number;
  readonly perJob: {
    readonly sqsRequests: Readonly<Record<string, number>>;
    readonly sqsRequestsTotal: number;
    readonly lambdaInvocations: number;
    readonly lambdaBilledMs: number;
    readonly lambdaGbSeconds: number;
    /** Temporal calls the function made (by the wrapper in the bench function). */
    readonly functionTemporalCalls: Readonly<Record<string, number>>;
    /** Frontend API requests per job on each path, from the server's metrics (absent with an external server). */
    readonly temporalRequests?: { readonly async: Readonly<Record<string, number>>; readonly direct: Readonly<Record<string, number>> };
    /** Billable actions per job on each path (the server's `action` metric), workflow starts left out. */
    readonly temporalActions?: { readonly async: Readonly<Record<string, number>>; readonly direct: Readonly<Record<string, number>> };
  };
  readonly memoryMb: number;
  /** One cold start's init, GB-s (billed since AWS bills the INIT phase), and how many the run had. */
  readonly initGbSecondsPerColdStart: number;
  readonly coldStarts: number;
  readonly perMillionJobs: {
    readonly sqs: number;
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly temporalActions: number;
    readonly total: number;
    /** The direct path: the same Temporal actions, no SQS, no Lambda (the worker's compute is not priced). */
    readonly directTemporalActions: number;
  };
  readonly prices: { readonly asOf: string; readonly currency: string; readonly sources: readonly string[] };
  /** Other ways to run the same jobs, priced from list prices: models, not measurements (absent before issue 15). */
  readonly models?: { readonly stepFunctionsCallback?: StepFunctionsCallbackModel };
}

/** The Step Functions callback pattern (Standard workflow, `.waitForTaskToken`) for the same jobs: a model. */
export interface StepFunctionsCallbackModel {
  /** Always `model`: computed from list prices and the assumptions, not measured. */
  readonly kind: 'model';
  readonly assumptions: {
    readonly stateTransitionsPerJob: number;
    readonly sendMessagePerJob: number;
    /** Step Functions' SendMessage plus the consumer side's requests measured for the async path. */
    readonly sqsRequestsPerJob: number;
  };
  readonly perMillionJobs: {
    readonly stateTransitions: number;
    readonly sqs: number;
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly total: number;
  };
  readonly source: string;
}

/** One tracked target. */
export interface TargetResult {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** Everything `npm run bench` writes to `bench/results.json`. */
export interface BenchResults {
  readonly version: 1;
  readonly mode: 'full' | 'quick';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  /** How big the run was and how the Temporal dev server was configured. */
  readonly setup: { readonly settings: Readonly<Record<string, number>>; readonly temporalDynamicConfig: Readonly<Record<string, string>> };
  readonly correctness: { readonly jobs: number; readonly completed: number; readonly problems: readonly string[] };
  readonly throughput: ThroughputResult;
  readonly latency: LatencyResult;
  readonly coldStart: ColdStartResult;
  readonly warmOverhead: WarmOverheadResult;
  readonly memory: MemoryResult;
  readonly cost: CostResult;
  /**
   * The third path (issue 15): the same job run by `@temporalio/lambda-worker`'s handler in the local
   * containers, invoked by an emulation of Temporal's Serverless Worker invocation; a quick run measures it on
   * a few jobs. Absent in runs before issue 15.
   */
  readonly lambdaWorker?: LambdaWorkerPathResult | { readonly skipped: string };
  readonly targets: readonly TargetResult[];
}

/** The lambda-worker path as `results.json` holds it: the phase's figures and the function's size. */
export type LambdaWorkerPathResult = Omit<LambdaWorkerResult, 'workloads'> & {
  readonly zipBytes: number;
  readonly unzippedBytes: number;
};
