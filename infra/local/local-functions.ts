import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { Tags } from 'yaml';
import { CONSUMERS, QUEUES, TRIGGER_QUEUES } from '../../jobs/queues';
import type { ConsumerName, QueueName, TriggerQueueName } from '../../jobs/queues';
import { PROJECT_ROOT } from '../project-root';

const run = promisify(execFile);

/** One SQS event source of a function, as `serverless.yml` declares it. */
export interface LocalEventSource {
  /** Logical queue (a key of `jobs/queues.json`'s `queues` or `triggerQueues`). */
  readonly queue: QueueName | TriggerQueueName;
  /** The source is the queue's dead-letter queue. */
  readonly deadLetter: boolean;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /**
   * Most invocations at once. An event source in provisioned mode has none in the cloud (its pollers scale it);
   * locally, where each container is a process, the consumer's `maximumConcurrency` of `jobs/queues.json` caps it.
   */
  readonly maximumConcurrency: number;
  /** The queue's provisioned-mode opt-in (`jobs/queues.json`); locally, `minimum` pollers keep polling. */
  readonly provisionedPollers?: { readonly minimum: number; readonly maximum: number };
  /** `ReportBatchItemFailures` when the function reports partial batch failures. */
  readonly functionResponseType?: string;
}

/** A function of `serverless.yml`, resolved for the local runner. */
export interface LocalFunction {
  /** Function name in `serverless.yml` (e.g. `processJobs`). */
  readonly name: string;
  /** The deployment package (`package.artifact`), e.g. `.build/process-jobs.zip`; containers run it unpacked. */
  readonly artifact: string;
  /** `handler`: the file of the task root and its export, e.g. `index.handler` (→ `index.mjs`, export `handler`). */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Plain-string environment entries (CloudFormation references are left out locally). */
  readonly environment: Readonly<Record<string, string>>;
  readonly events: readonly LocalEventSource[];
  /** Its Function URL (`url` in `serverless.yml`): IAM auth (`authorizer: aws_iam`) or none. */
  readonly url?: { readonly authType: 'AWS_IAM' | 'NONE' };
  /** `reservedConcurrency`, the most invocations at once, when set. */
  readonly reservedConcurrency?: number;
}

/** Options of {@link loadLocalFunctions}. */
export interface LoadLocalFunctionsOptions {
  /** Run `npm run build` even when the bundles exist (watch mode). @default false */
  readonly rebuild?: boolean;
  /** Another serverless file (tests); its zips are not built. @default `serverless.yml` at the project root */
  readonly file?: string;
}

const CLOUDFORMATION_FUNCTIONS = [
  'Ref',
  'GetAtt',
  'Sub',
  'If',
  'Join',
  'Select',
  'Split',
  'ImportValue',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'Base64',
  'GetAZs',
  'Condition',
  'Cidr',
];

/** CloudFormation's short-form tags (`!Ref X`, `!If [...]`) read as their long form, so they are never mistaken for plain strings. */
const CLOUDFORMATION_TAGS: Tags = CLOUDFORMATION_FUNCTIONS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const long = (value: unknown) => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
  return [
    { tag: `!${name}`, resolve: (value: string) => long(value) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => long(value.toJSON()) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => long(value.toJSON()) },
  ];
}) as Tags;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pick(value: Json | undefined, path: string): Json | undefined {
  return path
    .split('.')
    .filter(Boolean)
    .reduce<Json | undefined>((v, key) => (v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined), value);
}

/** Resolves the variable forms `serverless.yml` uses in `functions`: `${file(…):path}`, `${self:…}`, `${sls:stage}`, `${opt:…, default}`. */
function resolveVariables(value: Json, root: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, root));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, root)]));
  if (typeof value !== 'string') return value;
  const whole = /^\$\{([^{}]+)\}$/.exec(value.trim());
  if (!whole) return value.replace(/\$\{([^{}]+)\}/g, (_m, expr: string) => String(resolveExpression(expr, root)));
  return resolveExpression(whole[1] as string, root);
}

function resolveExpression(expression: string, root: Json): Json {
  const [source = '', fallback] = expression.split(/,\s*/);
  const file = /^file\(([^)]+)\)(?::(.*))?$/.exec(source);
  if (file) {
    const path = join(PROJECT_ROOT, file[1] as string);
    const loaded = path.endsWith('.json')
      ? (JSON.parse(readFileSync(path, 'utf8')) as Json)
      : (createRequire(import.meta.url)(path) as Json | (() => Json));
    const value = typeof loaded === 'function' ? loaded() : loaded;
    return resolveVariables(pick(value, file[2] ?? '') ?? null, root);
  }
  if (source.startsWith('self:')) return resolveVariables(pick(root, source.slice(5)) ?? null, root);
  if (source === 'sls:stage' || source === 'opt:stage') return 'local';
  return fallback ? fallback.replace(/^['"]|['"]$/g, '') : null;
}

function queueOfArn(arn: Json | undefined): { queue: QueueName | TriggerQueueName; deadLetter: boolean } {
  const text = JSON.stringify(arn);
  for (const queue of [...Object.keys(QUEUES), ...Object.keys(TRIGGER_QUEUES)] as (QueueName | TriggerQueueName)[]) {
    const base = queue
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join('');
    if (text.includes(`"${base}DeadLetterQueue"`)) return { queue, deadLetter: true };
    if (text.includes(`"${base}Queue"`)) return { queue, deadLetter: false };
  }
  throw new Error(`serverless.yml has an SQS event on ${text}, which is none of the queues in jobs/queues.json.`);
}

function stringEnvironment(...sources: (Json | undefined)[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of sources) {
    if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
    for (const [k, v] of Object.entries(source)) if (typeof v === 'string') env[k] = v;
  }
  return env;
}

/**
 * Reads the functions of `serverless.yml` — zip (`package.artifact`), handler, timeout, memory, environment
 * and SQS event sources (batchSize, maximumBatchingWindow, functionResponseType, maximumConcurrency) — after
 * building the zips with `npm run build` when they are missing or `rebuild` is set.
 */
export async function loadLocalFunctions(options: LoadLocalFunctionsOptions = {}): Promise<LocalFunction[]> {
  const file = options.file ?? join(PROJECT_ROOT, 'serverless.yml');
  const config = parse(readFileSync(file, 'utf8'), { customTags: CLOUDFORMATION_TAGS }) as { [key: string]: Json };
  const functions = (config.functions ?? {}) as Record<string, { [key: string]: Json }>;
  const artifacts = Object.values(functions).map((fn) => join(PROJECT_ROOT, String(pick(fn, 'package.artifact'))));
  const projectFile = options.file === undefined;
  if (
    projectFile &&
    (options.rebuild || !existsSync(join(PROJECT_ROOT, '.build/infra/stack.json')) || artifacts.some((a) => !existsSync(a)))
  ) {
    await run('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT });
  }
  return Object.entries(functions).map(([name, raw], index) => {
    const fn = resolveVariables(raw, config) as { [key: string]: Json };
    const events = ((fn.events ?? []) as Json[]).flatMap((event) => {
      const sqs = pick(event, 'sqs');
      if (!sqs || typeof sqs !== 'object') return [];
      const source = queueOfArn(pick(sqs, 'arn'));
      const provisionedPollers =
        source.deadLetter || !(source.queue in QUEUES) ? undefined : QUEUES[source.queue as QueueName].eventSource?.provisionedPollers;
      const localCap = (CONSUMERS as Readonly<Record<string, { maximumConcurrency: number } | undefined>>)[name as ConsumerName]
        ?.maximumConcurrency;
      return [
        {
          ...source,
          batchSize: Number(pick(sqs, 'batchSize') ?? 10),
          maximumBatchingWindowSeconds: Number(pick(sqs, 'maximumBatchingWindow') ?? 0),
          maximumConcurrency: Number(pick(sqs, 'maximumConcurrency') ?? localCap ?? 2),
          ...(provisionedPollers ? { provisionedPollers } : {}),
          functionResponseType: pick(sqs, 'functionResponseType') as string | undefined,
        },
      ];
    });
    return {
      name,
      artifact: artifacts[index] as string,
      handler: String(fn.handler ?? 'index.handler'),
      timeoutSeconds: Number(fn.timeout ?? 6),
      memoryMb: Number(fn.memorySize ?? pick(config, 'provider.memorySize') ?? 1024),
      environment: stringEnvironment(pick(config, 'provider.environment'), fn.environment),
      events,
      ...(fn.url ? { url: { authType: pick(fn.url, 'authorizer') === 'aws_iam' ? ('AWS_IAM' as const) : ('NONE' as const) } } : {}),
      ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: Number(fn.reservedConcurrency) }),
    };
  });
}
