import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';
import { startDevEnvironment } from './dev-environment';
import type { DevEnvironment, DevEnvironmentOptions } from './dev-environment';
import { onStopRequest, stopExitCode } from './stop-requests';

/** The local stack `npm start` and its demos run on, and a Temporal client connected to it. */
export interface DemoStack {
  readonly env: DevEnvironment;
  readonly client: Client;
  /** Closes the client and stops the stack (the worker drains first); a second call waits for the first. */
  close(): Promise<void>;
}

/**
 * Starts the local stack as `npm start` shows it (the worker's output inherited at WARN, the functions' lines
 * pretty at `LOG_LEVEL` or warn) and connects a client with the project's data converter. Until it resolves, a
 * stop request (Ctrl-C, SIGTERM) exits the process at once and the process reaper ends what had started; once
 * it resolves that handler is gone, so the caller arms its own before its next `await`.
 */
export async function startDemoStack(
  say: (line: string) => void,
  options: Pick<DevEnvironmentOptions, 'onInvocationError'> = {},
): Promise<DemoStack> {
  const stopDuringStartUp = onStopRequest((reason) => {
    say(`${reason} during start-up: exiting (what had started dies with this process)`);
    process.exit(stopExitCode(reason));
  });
  const env = await startDevEnvironment({
    log: say,
    workerStdio: 'inherit',
    workerLogLevel: 'WARN',
    functionEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LOG_FORMAT: 'pretty' },
    ...options,
  });
  const connection = await Connection.connect({ address: env.stack.temporalAddress });
  const client = new Client({ connection, namespace: env.stack.namespace, dataConverter: dataConverterFromEnv() });
  let closing: Promise<void> | undefined;
  stopDuringStartUp();
  return {
    env,
    client,
    close: () =>
      (closing ??= (async () => {
        await connection.close();
        await env.stop();
      })()),
  };
}
