import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';

/** A CPU profile being recorded in this process. */
export interface RunningProfile {
  /** Stops recording and writes the `.cpuprofile` (readable by Chrome DevTools and `scripts/bench-profile.ts`). */
  stop(file: string): Promise<void>;
}

/**
 * Starts a V8 CPU profile of this process's main thread through the inspector, the same profile
 * `node --cpu-prof` writes, for a stretch of a run rather than a whole process.
 */
export async function startProfile(intervalUs = 200): Promise<RunningProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
    },
  };
}
