import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/local-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    sqsEndpoint: string;
  }
}

/** Starts the Temporal dev server and fauxqs once per test run, on free ports; stops them at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startLocalStack({ stage: 'global' });
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('sqsEndpoint', stack.sqsEndpoint);
  return () => stack.stop();
}
