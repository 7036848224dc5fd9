'use strict';
/**
 * The guardian process of `process-reaper.ts`: reads `adopt <pid> <group 0|1>` and `release <pid>` lines on
 * stdin, and when stdin ends — its parent is gone, whether it exited, crashed or was SIGKILLed — sends SIGKILL
 * to every process still adopted (and to its process group when asked), then exits. SIGKILL also ends a
 * process stopped with SIGSTOP, where SIGTERM would stay pending until SIGCONT.
 *
 * Plain JavaScript run by `node` with no loader, so it starts fast and depends on nothing; not meant to be run
 * by hand.
 */
const { readFileSync } = require('node:fs');

/** pid → { group, started }: `started` is the start time from /proc, so a reused pid is never killed. */
const adopted = new Map();

/** Field 22 of /proc/<pid>/stat (start time since boot); undefined when the process is gone or there is no /proc. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function handle(line) {
  const [verb, pidText, group] = line.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (verb === 'adopt') adopted.set(pid, { group: group === '1', started: startTime(pid) });
  else if (verb === 'release') adopted.delete(pid);
}

function kill(target) {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function reap() {
  for (const [pid, { group, started }] of adopted) {
    const now = startTime(pid);
    // The pid now names another process: ours is long gone.
    if (started !== undefined && now !== undefined && now !== started) continue;
    // A group outlives its leader, and its id stays reserved while it has members.
    if (group) kill(-pid);
    if (now !== undefined || started === undefined) kill(pid);
  }
  process.exit(0);
}

// The parent's terminal or process manager may signal us too; only the end of stdin means the parent is gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) handle(line);
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
