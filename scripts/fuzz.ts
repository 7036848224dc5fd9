/**
 * Property-based fuzzing of both SQS functions over hostile records, with no server: Temporal and SQS are
 * closed ports. Prints the cases, seed, time, outcome counts and any counterexample (shrunk); exits 1 on one.
 *
 *   npm run fuzz                              # 100,000 batches, a fresh seed
 *   npm run fuzz -- --cases 5000 --seed 42    # or FUZZ_CASES / FUZZ_SEED
 *   npm run fuzz -- --seed 42 --path 17:3:0   # replay a counterexample
 *   npm run fuzz -- --admitted 0.05           # more records that pass admission and reach the Temporal connect
 *   npm run fuzz -- --log-line-bytes 20480    # a looser log line bound, to look past that violation
 *
 * `--admitted` (default 0.01) is the share of messages that could pass admission; each batch holding one waits
 * for the invocation's deadline at the closed Temporal port, so a larger share mostly costs time.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ADMITTED_SHARE, formatFuzzReport, MAX_LOG_LINE_BYTES, runRecordFuzz } from '../test/helpers/record-fuzz';

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    admitted: { type: 'string' },
    'log-line-bytes': { type: 'string' },
  },
});
const cases = Number(values.cases ?? process.env.FUZZ_CASES ?? 100_000);
const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const admittedShare = Number(values.admitted ?? DEFAULT_ADMITTED_SHARE);
const maxLogLineBytes = Number(values['log-line-bytes'] ?? MAX_LOG_LINE_BYTES);
if (
  !Number.isInteger(cases) ||
  cases < 1 ||
  !Number.isInteger(seed) ||
  !(admittedShare >= 0 && admittedShare <= 1) ||
  !(maxLogLineBytes > 0)
) {
  console.error('usage: npm run fuzz -- [--cases N] [--seed S] [--path P] [--admitted 0..1] [--log-line-bytes N]');
  process.exit(2);
}

console.log(
  `record fuzz: ${cases} cases, seed ${seed}${values.path ? `, path ${values.path}` : ''}, admitted share ${admittedShare}, log lines ≤ ${maxLogLineBytes} bytes`,
);
const step = Math.max(1, Math.floor(cases / 10));
const result = await runRecordFuzz({
  cases,
  seed,
  path: values.path,
  admittedShare,
  maxLogLineBytes,
  onCase: (done) => {
    if (done % step === 0) console.log(`  … ${done} cases`);
  },
});
console.log(formatFuzzReport(result));
// The gRPC channel to the closed Temporal port keeps reconnecting; nothing else is left to wait for.
process.exit(result.counterexample ? 1 : 0);
