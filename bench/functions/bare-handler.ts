/** Cold-start reference: a handler with no dependencies, bundled like the real functions. */
import type { SQSBatchResponse } from 'aws-lambda';

/** Lambda entry point: reports nothing failed. */
export async function handler(): Promise<SQSBatchResponse> {
  return { batchItemFailures: [] };
}

/** Nothing to connect: ready as soon as it is imported. */
export async function getTemporalClient(): Promise<undefined> {
  return undefined;
}
