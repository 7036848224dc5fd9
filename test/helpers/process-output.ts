import type { ChildProcess } from 'node:child_process';

/**
 * Waits until `output()` (what a child process has printed so far) matches `pattern`, and returns the match.
 * @throws Error with the output when `ms` pass first or the child exits
 */
export async function waitForOutput(
  output: () => string,
  child: () => ChildProcess | undefined,
  pattern: RegExp,
  ms: number,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline || child()?.exitCode !== null) throw new Error(`no ${pattern} in dev output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
