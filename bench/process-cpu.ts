import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system) a live process has used so far, ms, or one of its threads' when `tid` is given;
 * undefined when it is gone or not readable.
 */
export function processCpuMs(pid: number, tid?: number): number | undefined {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start with the state: utime and stime are the
    // 14th and 15th fields of the line, the 12th and 13th after the name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1000;
  } catch {
    return undefined;
  }
}

/** A field of `/proc/<pid>/status` in bytes (`VmHWM`, `VmRSS`, …); undefined when unreadable. */
export function processStatusBytes(pid: number, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Named groups of processes whose CPU time a phase accounts for. */
export type CpuGroups = Readonly<Record<string, () => readonly number[]>>;

/** CPU ms by group at one moment; the benchmark's own process is the `self` group. */
export type CpuSnapshot = Record<string, Record<number, number>>;

/** Reads the CPU time of every process of every group. */
export function cpuSnapshot(groups: CpuGroups): CpuSnapshot {
  const snapshot: CpuSnapshot = {};
  for (const [name, pids] of Object.entries(groups)) {
    snapshot[name] = {};
    for (const pid of pids()) {
      const ms = pid === process.pid ? (process.cpuUsage().user + process.cpuUsage().system) / 1000 : processCpuMs(pid);
      if (ms !== undefined) (snapshot[name] as Record<number, number>)[pid] = ms;
    }
  }
  return snapshot;
}

/** CPU ms each group used between two snapshots (processes that appeared in between count from zero). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [name, pids] of Object.entries(after)) {
    used[name] = Object.entries(pids).reduce((sum, [pid, ms]) => sum + ms - (before[name]?.[Number(pid)] ?? 0), 0);
  }
  return used;
}
