import type { SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import type { JsonPayload } from '../../jobs/payloads';
import { parseSigningKeyRing, SIGNATURE_ATTRIBUTE, signWithKeyRing } from '../../jobs/security/message-signing';
import { signatureAttribute, sqsRecord } from './sqs-events';
import { fakeTaskToken } from './task-tokens';

// The fuzzer's batches: specs of hostile or valid records (fast-check arbitraries), and how a spec becomes the
// SQS event both functions are invoked with. The invariants and the campaign are in ./record-fuzz.ts.
export const NAMESPACE = 'default';
export const RING = { current: 'k1', k1: 'fuzz-current-signing-key-0123456789abcdef', k0: 'fuzz-previous-signing-key-0123456789abcdef' };
const OLD_KEY_RING = parseSigningKeyRing(JSON.stringify({ current: 'k0', k0: RING.k0 }));
const FOREIGN_RING = parseSigningKeyRing(JSON.stringify({ current: 'k1', k1: 'someone-elses-signing-key-0123456789abcdef' }));
const QUEUE_ARNS = ['arn:aws:sqs:us-east-1:000000000000:fuzz', 'arn:aws-cn:sqs:cn-north-1:000000000000:fuzz.fifo', 'not-an-arn'] as const;
/** Job input of every message; neither it nor its payload bytes may reach a log line. */
export const INPUT = { name: 'fuzz-input-6f1c2e9b-never-logged' };
const TOKEN = fakeTaskToken('wf-fuzz').toString('base64');

/** A JSON value as the fuzzer writes it into a body: huge and deep values stay small descriptors, so counterexamples print. */
export type Fragment =
  | { readonly json: unknown }
  | { readonly raw: string }
  | { readonly repeat: string; readonly times: number }
  | { readonly nest: number; readonly as: 'array' | 'object' }
  | { readonly secret: string };

/** One change to a valid message: a field removed, replaced, or added again (a duplicate key; `__proto__` and friends). */
export type Mutation =
  | { readonly remove: readonly string[] }
  | { readonly set: readonly string[]; readonly to: Fragment }
  | { readonly add: readonly string[]; readonly to: Fragment };

/** What a record's body is made of. */
export type BodySpec =
  | { readonly message: { readonly namespace: string; readonly token: boolean; readonly mutations: readonly Mutation[] } }
  | { readonly text: string }
  | { readonly bytes: Uint8Array }
  | { readonly fragment: Fragment };

/** How a record's `JobSignature` attribute is made; only `valid` and `valid-old-key` are ours. */
export type SignatureSpec =
  | { readonly sig: 'valid' | 'valid-old-key' | 'missing' | 'foreign-secret' | 'truncated' | 'binary' | 'misnamed' }
  | { readonly sig: 'malformed'; readonly text: string }
  | { readonly sig: 'unknown-key'; readonly keyId: string }
  | { readonly sig: 'other-body'; readonly suffix: string };

/** One fuzzed SQS record. */
export interface RecordSpec {
  readonly body: BodySpec;
  readonly signature: SignatureSpec;
  readonly group: string | null;
  readonly receiveCount: string;
}

/** One fuzzed batch; on a `fifo` queue every record has a message group, on `mixed` only some. */
export interface FuzzBatch {
  readonly queue: 'standard' | 'fifo' | 'mixed';
  readonly arn: (typeof QUEUE_ARNS)[number];
  readonly records: readonly RecordSpec[];
}

/** Default of {@link BatchArbitraryOptions.admittedShare}: about one batch in a hundred waits for the connect's deadline. */
export const DEFAULT_ADMITTED_SHARE = 0.01;

/** Options of {@link batchArbitrary}. */
export interface BatchArbitraryOptions {
  /**
   * Share of messages written for this function's namespace with a well-formed token: unless a mutation
   * breaks them, a validly signed one passes admission and reaches the Temporal connect. The others carry
   * another namespace and are refused after the full decode. Each batch with such a record costs the deadline.
   * @default {@link DEFAULT_ADMITTED_SHARE}
   */
  readonly admittedShare?: number;
}

const SPECIAL_UNITS = ['"', '\\', '\u0000', '\u0001', '\n', '\u2028', '\ud800', '\udfff', 'é', '😀', '<', '%s'];
const unit = fc.oneof(
  fc.constantFrom(...SPECIAL_UNITS),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ minLength: 1, maxLength: 1 }),
);
const RAW_VALUES = [
  '0',
  '-0',
  '1',
  '-1',
  '0.5',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e10',
  '-1e10',
  '1e-400',
  '5e-324',
  '2147483647',
  '2147483648',
  '9007199254740993',
  '1E+2',
  'NaN',
  'Infinity',
  '"1"',
  '""',
  'true',
  'false',
  'null',
  '[]',
  '{}',
  '[1]',
  '{"__proto__":{"polluted":1}}',
];
const DATES = [
  '2000-01-01T00:00:00.000Z',
  '2999-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  'soon',
  '2020-13-45',
  '0',
  ' ',
];

function tokenOf(namespaceId: string): string {
  const field = (tag: number, text: string) => Buffer.concat([Buffer.from([tag, Buffer.byteLength(text)]), Buffer.from(text)]);
  return Buffer.concat([field(0x0a, namespaceId), field(0x12, 'wf-fuzz'), Buffer.from([0x28, 0x01])]).toString('base64');
}

const fragment: fc.Arbitrary<Fragment> = fc.oneof(
  { arbitrary: fc.constantFrom(...RAW_VALUES).map((raw) => ({ raw })), weight: 4 },
  { arbitrary: fc.double().map((n) => ({ raw: JSON.stringify(n) })), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json })), weight: 2 },
  { arbitrary: fc.string({ unit, maxLength: 24 }).map((json) => ({ json })), weight: 3 },
  // Right at the contract's 1,000-character cap, in characters that JSON escapes or UTF-8 widens.
  {
    arbitrary: fc
      .record({ repeat: fc.constantFrom('a', '"', '\u0001', 'é', '😀', '\\', '\u2028'), chars: fc.integer({ min: 900, max: 1_001 }) })
      .map(({ repeat, chars }) => ({ repeat, times: Math.floor(chars / repeat.length) })),
    weight: 2,
  },
  // 100 KiB, 200 KB, 256 KiB (the old limit), and about the body cap (1 MiB less the attribute reserve).
  {
    arbitrary: fc
      .record({ repeat: fc.constantFrom('a', 'é', '\u0001'), bytes: fc.constantFrom(102_400, 200_000, 262_144, 1_047_553) })
      .map(({ repeat, bytes }) => ({ repeat, times: Math.floor(bytes / Buffer.byteLength(repeat)) })),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      nest: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(4_999, 5_000, 100_000)),
      as: fc.constantFrom('array' as const, 'object' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(...DATES).map((json) => ({ json })), weight: 1 },
);

/** Task tokens: ours, another namespace's, none at all in the namespace's place, random bytes, oversize. Never to be logged. */
const token: fc.Arbitrary<Fragment> = fc
  .oneof(
    fc.constantFrom('6f0d2a1c-namespace-id', 'another-namespace-id', '').map(tokenOf),
    fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString('base64')),
    fc.constant(Buffer.alloc(5_000, 0x0a).toString('base64')),
  )
  .map((secret) => ({ secret }));

const PATHS = [
  ['v'],
  ['job'],
  ['taskToken'],
  ['namespace'],
  ['workflowId'],
  ['runId'],
  ['activityId'],
  ['activityType'],
  ['attempt'],
  ['idempotencyKey'],
  ['deadline'],
  ['heartbeatTimeoutMs'],
  ['input'],
  ['input', 'metadata'],
  ['input', 'data'],
  ['input', 'metadata', 'encoding'],
  ['input', 'metadata', '__proto__'],
  ['input', 'metadata', 'constructor'],
  ['input', 'metadata', 'prototype'],
  ['input', 'metadata', 'toString'],
  ['input', '__proto__'],
  ['__proto__'],
  ['constructor'],
  ['pad'],
] as const;
const path = fc.constantFrom(...PATHS);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: path.map((p) => ({ remove: p })), weight: 2 },
  { arbitrary: fc.record({ set: path, to: fragment }), weight: 6 },
  { arbitrary: fc.record({ add: path, to: fragment }), weight: 1 },
  { arbitrary: fc.record({ set: fc.constant(['taskToken'] as const), to: token }), weight: 1 },
);

function bodyArbitrary(admittedShare: number): fc.Arbitrary<BodySpec> {
  const admitted = Math.round(Math.min(Math.max(admittedShare, 0), 1) * 10_000);
  const namespace =
    admitted === 0
      ? fc.constant('elsewhere')
      : fc.oneof(
          { arbitrary: fc.constant(NAMESPACE), weight: admitted },
          { arbitrary: fc.constant('elsewhere'), weight: 10_000 - admitted },
        );
  const message = fc.record({
    namespace,
    token: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
    mutations: fc.array(mutation, { maxLength: 4 }),
  });
  return fc.oneof(
    { arbitrary: message.map((m) => ({ message: m })), weight: 8 },
    { arbitrary: fc.string({ unit, maxLength: 64 }).map((text) => ({ text })), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes })), weight: 1 },
    { arbitrary: fragment.map((f) => ({ fragment: f })), weight: 1 },
  );
}

const signature: fc.Arbitrary<SignatureSpec> = fc.oneof(
  { arbitrary: fc.constant({ sig: 'valid' as const }), weight: 8 },
  {
    arbitrary: fc
      .constantFrom(...(['valid-old-key', 'missing', 'foreign-secret', 'truncated', 'binary', 'misnamed'] as const))
      .map((sig) => ({ sig })),
    weight: 4,
  },
  { arbitrary: fc.string({ unit, maxLength: 300 }).map((text) => ({ sig: 'malformed' as const, text })), weight: 1 },
  {
    arbitrary: fc
      .stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
      .filter((id) => !(id in RING))
      .map((keyId) => ({ sig: 'unknown-key' as const, keyId })),
    weight: 1,
  },
  { arbitrary: fc.string({ unit, minLength: 1, maxLength: 8 }).map((suffix) => ({ sig: 'other-body' as const, suffix })), weight: 1 },
);

/** Batches of 1–10 hostile or valid records, signed or not, sometimes in FIFO message groups. */
export function batchArbitrary(options: BatchArbitraryOptions = {}): fc.Arbitrary<FuzzBatch> {
  const record = fc.record({
    body: bodyArbitrary(options.admittedShare ?? DEFAULT_ADMITTED_SHARE),
    signature,
    group: fc.option(fc.constantFrom('g1', 'g2', 'g3')),
    receiveCount: fc.constantFrom('1', '1', '2', '5', '0', '-1', 'abc', '1e400', '99999999999'),
  });
  return fc.record({
    queue: fc.oneof(
      { arbitrary: fc.constant('standard' as const), weight: 2 },
      fc.constant('fifo' as const),
      fc.constant('mixed' as const),
    ),
    arn: fc.constantFrom(...QUEUE_ARNS),
    records: fc.array(record, { minLength: 1, maxLength: 10 }),
  });
}

// ---- Turning specs into SQS records --------------------------------------------------------------------------

type Node = Fragment | { readonly entries: [string, Node][] };

function renderFragment(f: Fragment, secrets: string[]): string {
  if ('raw' in f) return f.raw;
  if ('repeat' in f) return JSON.stringify(f.repeat.repeat(f.times));
  if ('nest' in f)
    return f.as === 'array' ? `${'['.repeat(f.nest)}${']'.repeat(f.nest)}` : `${'{"a":'.repeat(f.nest)}0${'}'.repeat(f.nest)}`;
  if ('secret' in f) {
    if (f.secret.length >= 16) secrets.push(f.secret);
    return JSON.stringify(f.secret);
  }
  return JSON.stringify(f.json) ?? 'null';
}

function render(node: Node, secrets: string[]): string {
  if (!('entries' in node)) return renderFragment(node, secrets);
  return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${render(value, secrets)}`).join(',')}}`;
}

function baseMessage(namespace: string, token: boolean, payload: JsonPayload): Node {
  const s = (json: string): Fragment => ({ json });
  const entries: [string, Node][] = [
    ['v', { raw: '1' }],
    ['job', s('greet')],
    ['taskToken', { secret: TOKEN }],
    ['namespace', s(namespace)],
    ['workflowId', s('wf-fuzz')],
    ['runId', s('run-1')],
    ['activityId', s('1')],
    ['activityType', s('greet')],
    ['attempt', { raw: '1' }],
    ['idempotencyKey', s('wf-fuzz/1')],
    ['deadline', s(new Date(Date.now() + 60_000).toISOString())],
    ['heartbeatTimeoutMs', { raw: '10000' }],
    [
      'input',
      {
        entries: [
          ['metadata', { entries: Object.entries(payload.metadata).map(([k, v]) => [k, s(v)]) }],
          ['data', { secret: payload.data }],
        ],
      },
    ],
  ];
  return { entries: token ? entries : entries.filter(([key]) => key !== 'taskToken') };
}

function mutate(root: Node, m: Mutation): void {
  const fieldPath = 'remove' in m ? m.remove : 'set' in m ? m.set : m.add;
  let parent = root;
  for (const key of fieldPath.slice(0, -1)) {
    const child = 'entries' in parent ? parent.entries.find(([k]) => k === key)?.[1] : undefined;
    if (!child || !('entries' in child)) return;
    parent = child;
  }
  if (!('entries' in parent)) return;
  const key = fieldPath[fieldPath.length - 1] as string;
  const at = parent.entries.findIndex(([k]) => k === key);
  if ('remove' in m) {
    if (at >= 0) parent.entries.splice(at, 1);
  } else if ('set' in m && at >= 0) parent.entries[at] = [key, m.to];
  else parent.entries.push([key, m.to]);
}

function bodyOf(spec: BodySpec, payload: JsonPayload, secrets: string[]): string {
  if ('text' in spec) return spec.text;
  if ('bytes' in spec) return Buffer.from(spec.bytes).toString('utf8');
  if ('fragment' in spec) return renderFragment(spec.fragment, secrets);
  const root = baseMessage(spec.message.namespace, spec.message.token, payload);
  for (const m of spec.message.mutations) mutate(root, m);
  return render(root, secrets);
}

function attributeOf(spec: SignatureSpec, body: string): SQSRecord['messageAttributes'] {
  const text = (stringValue: string) => ({
    [SIGNATURE_ATTRIBUTE]: { stringValue, stringListValues: [], binaryListValues: [], dataType: 'String' },
  });
  switch (spec.sig) {
    case 'valid':
      return signatureAttribute(body);
    case 'valid-old-key':
      return text(signWithKeyRing(OLD_KEY_RING, body));
    case 'missing':
      return {};
    case 'foreign-secret':
      return text(signWithKeyRing(FOREIGN_RING, body));
    case 'truncated':
      return text(signWithKeyRing(OLD_KEY_RING, body).slice(0, -2));
    case 'binary': {
      const mac = signWithKeyRing(OLD_KEY_RING, body);
      return {
        [SIGNATURE_ATTRIBUTE]: {
          binaryValue: Buffer.from(mac).toString('base64'),
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      };
    }
    case 'misnamed': {
      const { [SIGNATURE_ATTRIBUTE]: attribute } = signatureAttribute(body);
      return { [SIGNATURE_ATTRIBUTE.toLowerCase()]: attribute as SQSRecord['messageAttributes'][string] };
    }
    case 'malformed':
      return text(spec.text);
    case 'unknown-key':
      return text(`hmac-sha256.${spec.keyId}.${signWithKeyRing(OLD_KEY_RING, body).split('.')[2]}`);
    case 'other-body':
      return signatureAttribute(body + spec.suffix);
  }
}

/** What the invariants need to know about a record, beside the record. */
export interface Expectation {
  readonly signed: boolean;
  readonly group: string | undefined;
  readonly secrets: readonly string[];
}

export function materialize(batch: FuzzBatch, payload: JsonPayload): { event: SQSEvent; expected: Expectation[] } {
  const expected: Expectation[] = [];
  const records = batch.records.map((spec) => {
    const secrets = [TOKEN, Buffer.from(TOKEN, 'base64').toString('hex'), payload.data, INPUT.name];
    const body = bodyOf(spec.body, payload, secrets);
    const group = batch.queue === 'fifo' ? (spec.group ?? 'g1') : batch.queue === 'mixed' ? (spec.group ?? undefined) : undefined;
    expected.push({ signed: spec.signature.sig === 'valid' || spec.signature.sig === 'valid-old-key', group, secrets });
    const base = sqsRecord(body, { eventSourceARN: batch.arn, messageAttributes: attributeOf(spec.signature, body) });
    return {
      ...base,
      attributes: {
        ...base.attributes,
        ApproximateReceiveCount: spec.receiveCount,
        ...(group === undefined ? {} : { MessageGroupId: group }),
      },
    };
  });
  return { event: { Records: records }, expected };
}

// ---- The functions under test and the invariants -------------------------------------------------------------
