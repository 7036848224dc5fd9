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
  readonly queues: Readonly<Record<QueueName, CreatedQueue>>;
  /** The trigger queues (absent in the state of an older run). */
  readonly triggerQueues?: Readonly<Record<TriggerQueueName, CreatedQueue>>;
}

/** Writes the state file (atomically: `npm run job` may read it at any moment). */
export async function writeDevState(state: DevState): Promise<void> {
  await writeFileAtomic(DEV_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the state file. */
export async function clearDevState(): Promise<void> {
  await rm(DEV_STATE_FILE, { force: true });
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
