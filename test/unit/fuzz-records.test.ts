import { describe, expect, it } from 'vitest';
import { createRecordFuzz, formatFuzzReport, MAX_LOG_LINE_BYTES, runRecordFuzz } from '../helpers/record-fuzz';
import type { FuzzBatch } from '../helpers/record-fuzz';

// No server: Temporal and SQS are closed loopback ports (see createRecordFuzz). FUZZ_SEED and FUZZ_CASES
// replay or widen a run; `npm run fuzz` is the same property at 100,000 cases.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const CASES = Number(process.env.FUZZ_CASES ?? 2_500);

describe('both functions under fuzzed SQS records', () => {
  it(`hold every invariant for ${CASES} hostile batches (seed ${SEED})`, async () => {
    const result = await runRecordFuzz({ cases: CASES, seed: SEED, maxLogLineBytes: MAX_LOG_LINE_BYTES });
    expect(result.counterexample, formatFuzzReport(result)).toBeUndefined();
  }, 120_000);

  // The fuzzer's shrunk counterexample from before ids were capped in log lines (a 5,669-byte line).
  it(`keep every log line within ${MAX_LOG_LINE_BYTES} bytes, even for an id of 900 control characters`, async () => {
    const fuzz = await createRecordFuzz();
    const batch: FuzzBatch = {
      queue: 'standard',
      arn: 'arn:aws:sqs:us-east-1:000000000000:fuzz',
      records: [
        {
          body: {
            message: { namespace: 'elsewhere', token: true, mutations: [{ set: ['workflowId'], to: { repeat: '\u0001', times: 900 } }] },
          },
          signature: { sig: 'valid' },
          group: null,
          receiveCount: '1',
        },
      ],
    };
    await expect(fuzz.check(batch)).resolves.toBeUndefined();
  });
});
