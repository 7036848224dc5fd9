import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { QueueName, TriggerQueueName } from '../../jobs/queues';
import { projectPath } from '../project-root';
import { writeFileAtomic } from '../write-file-atomic';
import type { CreatedQueue } from './create-queues';

/** File where a running `npm run dev` says where its servers are, for `npm run job` and `npm run dlq`. */
export const DEV_STATE_FILE = projectPath('.build/dev-state.json');

/** What a running dev environment publishes. */
export interface DevState {
  readonly pid: number;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly temporalUiUrl?: string;
  readonly sqsEndpoint: string;
  /** S3 endpoint and payload bucket (claim check), when the stack has them: `npm run job` stores large input there. */
  readonly s3Endpoint?: string;
  readonly payloadBucket?: string;
  readonly queues: Readonly<Record<QueueName, CreatedQueue>>;
  /** The trigger queues (absent in the state of an older run). */
  readonly triggerQueues?: Readonly<Record<TriggerQueueName, CreatedQueue>>;
  /** The HTTP starter's local Function URL (`npm run trigger -- http`), when `serverless.yml` gives it one. */
  readonly httpStarter?: {
    readonly url: string;
    readonly authType: 'AWS_IAM' | 'NONE';
    /**
     * The HMAC secret the local stack generated for this run, only with HMAC auth (`NONE`) and only when the user set
     * no `HTTP_TRIGGER_HMAC_SECRET`: a throwaway local value, so that `npm run trigger -- http` can sign.
     */
    readonly hmacSecret?: string;
  };
}

/** The pid of the live `npm run dev` whose state the file holds, if any. */
function ownerOfStateFile(): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(DEV_STATE_FILE, 'utf8')) as Partial<DevState>;
    if (typeof pid !== 'number') return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Writes the state file (atomically: `npm run job` may read it at any moment), unless another `npm run dev`
 * of this checkout that is still running wrote it: `npm run job` and `npm run dlq` keep talking to that one.
 * @returns the pid of that other environment when the file was left to it, else undefined
 */
export async function writeDevState(state: DevState): Promise<number | undefined> {
  const owner = ownerOfStateFile();
  if (owner !== undefined && owner !== state.pid) return owner;
  // Owner-only: it may hold the run's throwaway HMAC secret, and says where the local servers listen.
  await writeFileAtomic(DEV_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return undefined;
}

/** Removes the state file if this process wrote it, or if the process that wrote it is gone. */
export async function clearDevState(): Promise<void> {
  const owner = ownerOfStateFile();
  if (owner === process.pid || owner === undefined) await rm(DEV_STATE_FILE, { force: true });
}

/**
 * Reads the state of a running `npm run dev`.
 * @throws Error saying to start `npm run dev` when none is running
 */
export function readDevState(): DevState {
  const missing = new Error('No local environment is running: start "npm run dev" in another terminal first.');
  if (!existsSync(DEV_STATE_FILE)) throw missing;
  const state = JSON.parse(readFileSync(DEV_STATE_FILE, 'utf8')) as DevState;
  try {
    process.kill(state.pid, 0);
  } catch {
    throw missing;
  }
  return state;
}
