import { describe, expect, it } from 'vitest';
import { createRecordFuzz, formatFuzzReport, InvariantViolationError, MAX_LOG_LINE_BYTES, runRecordFuzz } from '../helpers/record-fuzz';
import type { FuzzBatch } from '../helpers/record-fuzz';

// No server: Temporal and SQS are closed loopback ports (see createRecordFuzz). FUZZ_SEED and FUZZ_CASES
// replay or widen a run; `npm run fuzz` is the same property at 100,000 cases.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const CASES = Number(process.env.FUZZ_CASES ?? 2_500);

/**
 * The log line bound the runtime keeps today. A record's job, workflowId and activityId ride in its log lines
 * uncapped up to the contract's 1,000 characters each, and JSON writes a control character as 6 bytes: up to
 * ~18 KB a line. Open finding of issue 11; the known-violation test below pins it to {@link MAX_LOG_LINE_BYTES}.
 */
const CURRENT_LOG_LINE_BYTES = 20_480;

describe('both functions under fuzzed SQS records', () => {
  it(`hold every invariant for ${CASES} hostile batches (seed ${SEED})`, async () => {
    const result = await runRecordFuzz({ cases: CASES, seed: SEED, maxLogLineBytes: CURRENT_LOG_LINE_BYTES });
    expect(result.counterexample, formatFuzzReport(result)).toBeUndefined();
  }, 120_000);

  // Known violation (the fuzzer's shrunk counterexample): flips to a failure once ids are capped in log lines;
  // then drop `.fails` and CURRENT_LOG_LINE_BYTES.
  it.fails(`keep every log line within ${MAX_LOG_LINE_BYTES} bytes, even for an id of 900 control characters`, async () => {
    const fuzz = await createRecordFuzz();
    const batch: FuzzBatch = {
      queue: 'standard',
      arn: 'arn:aws:sqs:us-east-1:000000000000:fuzz',
      records: [
        {
          body: { message: { namespace: 'elsewhere', token: true, mutations: [{ set: ['workflowId'], to: { repeat: '\u0001', times: 900 } }] } },
          signature: { sig: 'valid' },
          group: null,
          receiveCount: '1',
        },
      ],
    };
    await fuzz.check(batch).catch((err: unknown) => {
      // Only this violation counts as the expected failure; any other error passes, and so fails `it.fails`.
      if (err instanceof InvariantViolationError && /a log line of \d+ bytes/.test(err.message)) throw err;
    });
  });
});
