import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Where `taskset` (util-linux) lives. */
export const TASKSET = '/usr/bin/taskset';

/** The CPUs of each side in the pinned throughput phase. */
export const PINNED_CPUS = {
  /** Temporal dev server and the bench worker: what a user runs themselves. */
  temporalAndWorker: '0',
  /** The emulated AWS side: the benchmark's process (SQS emulator, Lambda runner, client) and the function containers. */
  awsSide: '1',
} as const;

/** Why this machine cannot pin, or undefined when it can (Linux, `taskset`, at least 2 CPUs). */
export function pinningUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (!existsSync(TASKSET)) return `${TASKSET} not found`;
  const cpus = allowedCpus(process.pid);
  if (cpus.length < 2) return `only ${cpus.length} CPU allowed to this process`;
  return undefined;
}

/** The CPUs a process may run on (`Cpus_allowed_list` in `/proc/<pid>/status`), expanded. */
export function allowedCpus(pid: number): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
  return expandCpuList(list);
}

/** Expands a CPU list as Linux writes it (`0-2,5`) into its numbers. */
export function expandCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',').filter(Boolean)) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    for (let cpu = from; cpu <= (to ?? from); cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** A process and all its descendants, from `/proc/<pid>/task/<tid>/children`. */
export function processTree(pid: number): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    const current = found[i]!;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
        for (const child of children) if (!found.includes(child)) found.push(child);
      } catch {
        // the task ended in between
      }
    }
  }
  return found;
}

/**
 * Pins every thread of each process to `cpus` (a list as `taskset -c` takes it). Threads and children started
 * later inherit the mask. A process that is gone by now is skipped. Returns the pids pinned.
 */
export function pinProcesses(pids: readonly number[], cpus: string): number[] {
  const pinned: number[] = [];
  for (const pid of pids) {
    try {
      execFileSync(TASKSET, ['--all-tasks', '--pid', '--cpu-list', cpus, String(pid)], { stdio: 'ignore' });
      pinned.push(pid);
    } catch {
      if (existsSync(`/proc/${pid}`)) throw new Error(`taskset could not pin process ${pid} to CPU ${cpus}.`);
    }
  }
  return pinned;
}
