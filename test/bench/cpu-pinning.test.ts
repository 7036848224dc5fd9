import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allowedCpus, expandCpuList, pinningUnavailable, pinProcesses, processTree } from '../../bench/cpu-pinning';

describe('CPU pinning for the pinned throughput phase', () => {
  it('expands CPU lists as Linux writes them', () => {
    expect(expandCpuList('0')).toEqual([0]);
    expect(expandCpuList('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(expandCpuList('')).toEqual([]);
  });

  it.skipIf(pinningUnavailable() !== undefined)('pins a process tree to a CPU and gives it every CPU back', async () => {
    // Prepare: a shell with a child of its own.
    const every = allowedCpus(process.pid);
    const shell = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      let tree: number[] = [];
      for (let i = 0; i < 50 && tree.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        tree = processTree(shell.pid!);
      }
      expect(tree.length).toBeGreaterThanOrEqual(2);

      // Act
      const pinned = pinProcesses(tree, '1');

      // Assess
      expect(pinned).toEqual(tree);
      for (const pid of tree) expect(allowedCpus(pid)).toEqual([1]);
      pinProcesses(tree, every.join(','));
      for (const pid of tree) expect(allowedCpus(pid)).toEqual(every);
    } finally {
      for (const pid of processTree(shell.pid!).reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});
