import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/local-stack';
import { SqsImplementation, sqsImplementationFromEnv, startSqsImplementation } from '../../infra/local/sqs-implementation';
import type { LocalSqsServer } from '../../infra/local/sqs-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    sqsEndpoint: string;
    /** Which SQS implementation the run uses (`SQS_IMPL`). */
    sqsImpl: SqsImplementation;
    /** One id per `vitest run`: lets test files share work done once per run (test/helpers/packaged-service.ts). */
    testRunId: string;
  }
}

/**
 * Starts the Temporal dev server and the SQS endpoint once per test run, on free ports; stops them at the end.
 * SQS is fauxqs unless `SQS_IMPL=elasticmq`, which starts ElasticMQ and points the local stack at it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('testRunId', randomUUID());
  const impl = sqsImplementationFromEnv();
  let sqsServer: LocalSqsServer | undefined;
  if (impl !== SqsImplementation.Fauxqs) {
    sqsServer = await startSqsImplementation(impl);
    process.env.AWS_ENDPOINT_URL_SQS = sqsServer.endpoint;
  }
  try {
    const stack = await startLocalStack({ stage: 'global' });
    project.provide('temporalAddress', stack.temporalAddress);
    project.provide('sqsEndpoint', stack.sqsEndpoint);
    project.provide('sqsImpl', impl);
    return async () => {
      await stack.stop();
      await sqsServer?.stop();
    };
  } catch (err) {
    await sqsServer?.stop();
    throw err;
  }
}
