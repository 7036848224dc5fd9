import type { ChildProcess } from 'node:child_process';

/**
 * A waiter on a child process's output: `waitFor(pattern, ms)` resolves with the first match of `pattern` in
 * `output()` (what the child has printed so far).
 * @throws Error with the output when `ms` pass first or the child exits
 */
export function outputWaiter(
  output: () => string,
  child: () => ChildProcess | undefined,
): (pattern: RegExp, ms: number) => Promise<RegExpMatchArray> {
  return async (pattern, ms) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(output());
      if (match) return match;
      if (Date.now() > deadline || child()?.exitCode !== null) throw new Error(`no ${pattern} in dev output:\n${output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
}
