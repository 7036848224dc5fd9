/**
 * The process reaper on real processes: once the parent is SIGKILLed, every child it adopted is gone — a
 * detached child with the whole group it leads, and a child stopped with SIGSTOP — and a released one is left.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { exited } from '../../infra/local/child-process';
import { descendantsOf, isAlive, processInfo, waitUntilGone } from '../helpers/process-tree';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0).filter(isAlive)) process.kill(pid, 'SIGKILL');
});

it('SIGKILLs the adopted children, their groups and stopped ones when the parent is SIGKILLed; not released ones', async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/adopting-parent.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
  const pids = JSON.parse(line) as { group: number; stopped: number; released: number };
  leftovers.push(pids.group, pids.stopped, pids.released);
  let grandchildren = descendantsOf(pids.group);
  while (grandchildren.length < 2) {
    await new Promise((r) => setTimeout(r, 50));
    grandchildren = descendantsOf(pids.group);
  }
  leftovers.push(...grandchildren.map((p) => p.pid));
  expect(processInfo(pids.stopped)?.state).toBe('T');
  const reaper = descendantsOf(parent.pid ?? -1).find((p) => p.command.includes('process-reaper-main.cjs'));
  expect(reaper).toBeDefined();

  parent.kill('SIGKILL');
  await exited(parent);
  const doomed = [pids.group, pids.stopped, ...grandchildren.map((p) => p.pid), reaper?.pid ?? -1];
  expect(await waitUntilGone(doomed, 3_000)).toEqual([]);
  expect(isAlive(pids.released)).toBe(true);
});
