import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCost } from '../../bench/cost';
import type { CostInputs, Prices } from '../../bench/cost';
import type { BenchInvocation } from '../../bench/functions/bench-function';
import { moduleOf } from '../../bench/profile-summary';
import { computeTargets, renderMarkdown } from '../../bench/report';
import type { BenchResults, PinnedThroughput } from '../../bench/results';
import { diffCounts, totalCount } from '../../bench/sqs-counter';
import { median, percentile, steadyRate, summarize } from '../../bench/stats';
import { parseTemporalCounters } from '../../bench/temporal-metrics';

const PRICES = JSON.parse(readFileSync(new URL('../../bench/prices.json', import.meta.url), 'utf8')) as Prices;

const invocation = (ms: number, records: number, complete = records): BenchInvocation => ({
  pid: 1,
  records,
  ms,
  temporalCalls: { complete, fail: 0, heartbeat: 0, reportCancellation: 0 },
  temporalMs: ms / 2,
  outcomes: { completed: records },
  connects: 1,
});

describe('bench statistics', () => {
  it('interpolates percentiles between closest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses an empty sample instead of reading it as 0', () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it('summarizes a sample', () => {
    expect(summarize([1, 2, 3, 4])).toMatchObject({ n: 4, min: 1, max: 4, mean: 2.5, p50: 2.5 });
  });

  it('takes the steady rate between the 10th and 90th percentile of finish times, ignoring a tail', () => {
    const steady = Array.from({ length: 101 }, (_, i) => i * 10); // one job every 10 ms: 100 jobs/s
    expect(steadyRate(steady)).toBeCloseTo(100, 0);
    expect(steadyRate([...steady.slice(0, 100), 60_000])).toBeCloseTo(100, 0);
  });
});

describe('bench counters', () => {
  it('diffs counts operation by operation and leaves out what did not move', () => {
    expect(diffCounts({ SendMessage: 12, ReceiveMessage: 5 }, { SendMessage: 2, ReceiveMessage: 5 })).toEqual({ SendMessage: 10 });
    expect(totalCount({ a: 1, b: 2 })).toBe(3);
  });

  it('reads frontend requests and actions of one namespace from the server’s metrics', () => {
    const exposition = [
      '# TYPE service_requests counter',
      'service_requests{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 4',
      'service_requests{namespace="default",operation="StartWorkflowExecution",service_name="history"} 4',
      'service_requests{namespace="temporal_system",operation="StartWorkflowExecution",service_name="frontend"} 9',
      'action{action_type="command_ScheduleActivityTask",namespace="default",operation="RespondWorkflowTaskCompleted",service_name="history"} 7',
    ].join('\n');
    expect(parseTemporalCounters(exposition, 'default')).toEqual({
      requests: { StartWorkflowExecution: 4 },
      actions: { command_ScheduleActivityTask: 7 },
    });
  });
});

describe('the cost model', () => {
  const inputs: CostInputs = {
    jobs: 20,
    sqsRequests: { SendMessage: 20, ReceiveMessage: 4, DeleteMessageBatch: 2 },
    invocations: [invocation(9.2, 10), invocation(10, 10)],
    memoryMb: 1024,
    temporal: {
      async: {
        requests: { RespondActivityTaskCompleted: 20 },
        actions: { command_ScheduleActivityTask: 20, grpc_StartWorkflowExecution: 1 },
        jobs: 20,
      },
      direct: {
        requests: { RespondActivityTaskCompleted: 20 },
        actions: { command_ScheduleActivityTask: 20, grpc_StartWorkflowExecution: 1 },
        jobs: 20,
      },
    },
    initMs: 300,
    coldStarts: 2,
  };

  it('counts per job, bills duration rounded up to the millisecond and leaves workflow starts out', () => {
    const cost = computeCost(inputs, PRICES);
    expect(cost.perJob.sqsRequestsTotal).toBeCloseTo(1.3);
    expect(cost.perJob.lambdaInvocations).toBe(0.1);
    expect(cost.perJob.lambdaBilledMs).toBe(1); // (10 + 10) ms / 20 jobs
    expect(cost.perJob.lambdaGbSeconds).toBeCloseTo(0.001);
    expect(cost.perJob.temporalActions?.async).toEqual({ command_ScheduleActivityTask: 1 });
    expect(cost.initGbSecondsPerColdStart).toBeCloseTo(0.3);
  });

  it('prices a million jobs from bench/prices.json', () => {
    const { perMillionJobs: p } = computeCost(inputs, PRICES);
    expect(p.sqs).toBeCloseTo(1.3 * PRICES.sqs.perMillionRequests);
    expect(p.lambdaRequests).toBeCloseTo(0.1 * PRICES.lambda.perMillionRequests);
    expect(p.lambdaDuration).toBeCloseTo(0.001 * 1e6 * PRICES.lambda.perGbSecond);
    expect(p.temporalActions).toBeCloseTo(PRICES.temporalCloud.perMillionActions);
    expect(p.total).toBeCloseTo(p.sqs + p.lambdaRequests + p.lambdaDuration + p.temporalActions);
    expect(p.directTemporalActions).toBeCloseTo(PRICES.temporalCloud.perMillionActions);
  });

  it('falls back to one action per job plus heartbeats without the server’s metrics', () => {
    const withHeartbeats = [{ ...invocation(5, 10), temporalCalls: { complete: 10, fail: 0, heartbeat: 5, reportCancellation: 0 } }];
    const cost = computeCost({ ...inputs, jobs: 10, invocations: withHeartbeats, temporal: undefined }, PRICES);
    expect(cost.perJob.temporalActions).toBeUndefined();
    expect(cost.perMillionJobs.temporalActions).toBeCloseTo(1.5 * PRICES.temporalCloud.perMillionActions);
  });

  it('names where every price comes from, and when it was written down', () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const source of computeCost(inputs, PRICES).prices.sources) expect(source.length).toBeGreaterThan(20);
  });
});

describe('the bench report', () => {
  const summary = (p50: number) => ({ n: 10, min: p50, p50, p95: p50, p99: p50, max: p50, mean: p50 });
  const bundle = (initMs: number, zipBytes: number) => ({
    zipBytes,
    unzippedBytes: zipBytes * 4,
    codeBytes: zipBytes * 2,
    initMs,
    importMs: initMs - 40,
    bootMs: 40,
    rssBytes: 100e6,
  });
  const path = (jobsPerSecond: number) => ({
    jobsPerRound: 100,
    rounds: 1,
    completed: 100,
    wallMs: 1000,
    jobsPerSecond,
    roundsJobsPerSecond: [jobsPerSecond],
    steadyJobsPerSecond: jobsPerSecond,
    cpuMsPerJob: { worker: 1 },
  });
  const results: Omit<BenchResults, 'targets'> = {
    version: 1,
    mode: 'quick',
    startedAt: '2026-11-25T04:00:00.000Z',
    durationMs: 61_000,
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryBytes: 8 * 2 ** 30,
      node: 'v20.0.0',
      platform: 'linux',
      loadAverage: { start: 0.5, end: 1 },
    },
    setup: { settings: { jobs: 100 }, temporalDynamicConfig: {} },
    correctness: { jobs: 200, completed: 200, problems: [] },
    throughput: {
      jobsPerWorkflow: 25,
      direct: path(100),
      async: {
        ...path(85),
        containers: 2,
        invocations: 10,
        recordsPerInvocation: 10,
        batchSize: 10,
        batchingWindowSeconds: 5,
        concurrency: 10,
      },
      asyncWindow0: path(95),
      ratio: 0.85,
      steadyRatio: 0.85,
      pinned: { cpus: { temporalAndWorker: '0', awsSide: '1' }, direct: path(100), async: path(92), ratio: 0.92, steadyRatio: 0.9 },
    },
    latency: {
      clock: 'workflow time',
      direct: summary(20),
      async: summary(50),
      addedP50Ms: 30,
      asyncConfiguredWindow: summary(5050),
      configuredWindowSeconds: 5,
      windowCostP50Ms: 5000,
    },
    coldStart: {
      runs: 3,
      nodeFlags: ['--enable-source-maps'],
      bundles: {
        'process-jobs': bundle(200, 900 * 1024),
        'dead-letter': bundle(200, 900 * 1024),
        'bare-handler': bundle(5, 500),
        'naive-client': bundle(300, 400 * 1024),
      },
      processJobsToNaive: 200 / 300,
      processJobsInitWithoutFlagsMs: 190,
    },
    warmOverhead: {
      samples: 10,
      handlerMs: summary(4),
      handlerRpcMs: summary(3.6),
      beyondRpcMs: summary(0.45),
      rawCompleteMs: summary(3.5),
      overheadP50Ms: 0.5,
      sdkCompleteMs: summary(3.6),
      completeToSdkP50: 0.97,
    },
    memory: {
      records: 50,
      invocations: 5,
      peakRssBytes: 300e6,
      rssAfterFirstInvocationBytes: 290e6,
      rssAtEndBytes: 295e6,
      bareContainerPeakRssBytes: 75e6,
      heapAfterGcBytes: { afterFirstRecords: 20e6, atEnd: 21e6 },
      rssByRecords: [[10, 290e6]],
      plainProcessReadyRssBytes: 100e6,
    },
    cost: computeCost(
      { jobs: 10, sqsRequests: { SendMessage: 10 }, invocations: [invocation(5, 10)], memoryMb: 1024, initMs: 200, coldStarts: 1 },
      PRICES,
    ),
  };

  it('judges each target and never throws for a miss', () => {
    const targets = computeTargets(results);
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['throughput async ÷ direct', true],
      ['throughput async ÷ direct, pinned', true],
      ['worker CPU per job, async ÷ direct', true],
      ['added p50 latency over direct', false],
      ['process-jobs init ÷ naive client bundle', false],
      ['process-jobs zip', false],
      ['process-jobs RSS when ready ÷ bare handler', true],
      ['warm per-record overhead beyond the complete RPC', true],
      ['complete RPC warm p50, functions’ client ÷ @temporalio/client', true],
    ]);
  });

  it('judges the warm overhead by each invocation less its own RPC, and by the difference of medians in older runs', () => {
    const judged = (warmOverhead: typeof results.warmOverhead) =>
      computeTargets({ ...results, warmOverhead }).find((t) => t.name === 'warm per-record overhead beyond the complete RPC')!;
    const current = judged({ ...results.warmOverhead, beyondRpcMs: summary(0.45), overheadP50Ms: 0.7 });
    expect(current.met).toBe(true);
    expect(current.measured).toMatch(
      /^0\.45 ms \(handler less its own RPC, per invocation; its RPC 3\.6 ms vs bare 3\.5 ms; difference of medians 0\.7 ms\)$/,
    );
    expect(judged({ ...results.warmOverhead, beyondRpcMs: summary(0.55), overheadP50Ms: 0.3 }).met).toBe(false);
    const { beyondRpcMs: _b, handlerRpcMs: _h, ...older } = results.warmOverhead;
    expect(judged({ ...older, overheadP50Ms: 0.7 })).toMatchObject({ met: false, measured: '0.7 ms' });
  });

  it('judges the pinned target a miss, saying why, when the pinned rounds were skipped', () => {
    const skipped = { ...results, throughput: { ...results.throughput, pinned: { skipped: '/usr/bin/taskset not found' } } };
    const target = computeTargets(skipped).find((t) => t.name === 'throughput async ÷ direct, pinned');
    expect(target).toMatchObject({ measured: 'not measured (/usr/bin/taskset not found)', met: false });
    expect(renderMarkdown({ ...skipped, targets: computeTargets(skipped) })).toContain('0.85 (steady 0.85) · not measured');
  });

  it('judges the worker CPU per job of the two paths on the unpinned rounds, showing the pinned ones beside them', () => {
    const pinned = results.throughput.pinned as PinnedThroughput;
    const costly = {
      ...results,
      throughput: {
        ...results.throughput,
        async: { ...results.throughput.async, cpuMsPerJob: { worker: 1.5 } },
        pinned: { ...pinned, async: { ...pinned.async, cpuMsPerJob: { worker: 0.8 } } },
      },
    };
    expect(computeTargets(costly).find((t) => t.name === 'worker CPU per job, async ÷ direct')).toMatchObject({
      measured: '1.5 (1.5 vs 1 ms, unpinned rounds); pinned rounds 0.8 (0.8 vs 1 ms)',
      met: false,
    });
  });

  it('prices the Step Functions callback pattern as a labelled model: one state transition and one SendMessage a job', () => {
    // Prepare
    const cost = computeCost(
      {
        jobs: 10,
        sqsRequests: { SendMessageBatch: 2, ReceiveMessage: 5, DeleteMessageBatch: 3 },
        invocations: [invocation(5, 10)],
        memoryMb: 1024,
        initMs: 200,
        coldStarts: 1,
      },
      PRICES,
    );

    // Act
    const model = cost.models?.stepFunctionsCallback;

    // Assess: our SendMessageBatch replaced by Step Functions' own SendMessage per job; the consumer side as measured.
    expect(model?.kind).toBe('model');
    expect(model?.assumptions).toEqual({ stateTransitionsPerJob: 1, sendMessagePerJob: 1, sqsRequestsPerJob: 1.8 });
    expect(model?.perMillionJobs.stateTransitions).toBeCloseTo(25);
    expect(model?.perMillionJobs.sqs).toBeCloseTo(1.8 * 0.4);
    expect(model?.perMillionJobs.lambdaRequests).toBeCloseTo(cost.perMillionJobs.lambdaRequests);
    expect(model?.perMillionJobs.total).toBeCloseTo(25 + 0.72 + cost.perMillionJobs.lambdaRequests + cost.perMillionJobs.lambdaDuration);
    expect(renderMarkdown({ ...results, cost, targets: [] })).toContain(
      '| Step Functions callback — a **model** from list prices, not measured',
    );
  });

  it('judges Lambda GB-s per job against the lambda-worker path and renders the three paths, in runs that measured it', () => {
    const lambdaWorker = {
      memoryMb: 1024,
      timeoutMs: 20_000,
      concurrency: 10,
      zipBytes: 36e6,
      unzippedBytes: 106e6,
      coldStart: { initMs: 1600, invocationToFirstJobMs: 3200, handlerToFirstJobMs: 1400, scheduledToDoneMs: 3500, invocations: 1 },
      latency: { p50: 18, p95: 80, p99: 260, jobs: 200 },
      throughput: {
        jobs: 2000,
        jobsPerSecond: 40,
        invocations: 50,
        coldStarts: 10,
        jobsPerInvocation: 40,
        gbSecondsPerJob: 0.3,
        temporalRequestsPerJob: { PollActivityTaskQueue: 1.04, RespondActivityTaskCompleted: 1 },
        temporalActionsPerJob: { command_ScheduleActivityTask: 1 },
        invokerRequestsPerJob: 0.4,
      },
      costPerMillionJobs: { lambdaRequests: 0.005, lambdaDuration: 4, temporalActions: 50, total: 54.005 },
    };
    const withLw = { ...results, lambdaWorker };
    const target = computeTargets(withLw).find((t) => t.name === 'Lambda GB-s per job, async ÷ lambda-worker');
    expect(target?.met).toBe(results.cost.perJob.lambdaGbSeconds / 0.3 <= 0.5);
    expect(computeTargets(results).some((t) => t.name.includes('lambda-worker'))).toBe(false);
    expect(computeTargets(withLw).find((t) => t.name.startsWith('cold start to first job'))).toMatchObject({
      measured: 'not measured (a run before the async first-job phase)',
      met: false,
    });
    const withFirst = {
      ...results,
      lambdaWorker: { ...lambdaWorker, asyncColdStart: { initMs: 60, firstInvocationMs: 30, invocationToFirstJobMs: 90 } },
    };
    expect(computeTargets(withFirst).find((t) => t.name.startsWith('cold start to first job'))).toMatchObject({
      measured: '0.028 (90 ms vs 3200 ms)',
      met: true,
    });
    const markdown = renderMarkdown({ ...withLw, targets: computeTargets(withLw) });
    expect(markdown).toContain('| three paths | async (ours) | direct |');
    expect(markdown).toContain('**18** / 80 / 260 (200 sequential jobs)');
    expect(renderMarkdown({ ...results, lambdaWorker: { skipped: 'failed: x' }, targets: [] })).toContain(
      'Lambda-worker path: not measured (failed: x).',
    );
  });

  it('renders every section and every target as markdown tables', () => {
    const markdown = renderMarkdown({ ...results, targets: computeTargets(results) });
    for (const heading of [
      'throughput, unpinned, jobs/s',
      'throughput **pinned**, jobs/s (Temporal + worker on CPU 0; SQS emulator, runner, containers, client on CPU 1',
      '| throughput async ÷ direct: unpinned (all on 2 CPUs) · pinned | 0.85 (steady 0.85) · 0.92 (steady 0.9) | |',
      'latency p50 / p95 / p99',
      '| process-jobs |',
      '| naive-client |',
      'overhead beyond the RPC',
      'Memory:',
      'cost per million jobs',
      '| target |',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('| added p50 latency over direct | ≤ 10 ms (batching window 0) | 30 ms | **miss** |');
    expect(markdown).toContain('2 CPUs (Test CPU)');
  });
});

describe('profile attribution', () => {
  it('names the npm package of a file, scoped or not', () => {
    expect(moduleOf('/x/node_modules/@temporalio/proto/protos/json-module.js')).toBe('@temporalio/proto');
    expect(moduleOf('/x/node_modules/a/node_modules/protobufjs/src/type.js')).toBe('protobufjs');
  });
});
