import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../infra/project-root';

const run = promisify(execFile);

/**
 * Runs cfn-lint (PyPI, from requirements-dev.txt) on a template: its exit code is a bit set (2 errors,
 * 4 warnings, 8 informational; 1 means it could not run) and its output.
 * @throws Error saying how to install it when it is missing
 */
export async function cfnLint(file: string): Promise<{ code: number; output: string }> {
  const attempts: [string, string[]][] = [
    ['cfn-lint', [file]],
    ['python3', ['-c', 'import sys; from cfnlint.runner import main; sys.exit(main())', file]],
  ];
  for (const [command, args] of attempts) {
    try {
      const { stdout, stderr } = await run(command, args, { cwd: PROJECT_ROOT });
      return { code: 0, output: stdout + stderr };
    } catch (err) {
      const e = err as { code?: number | string; stdout?: string; stderr?: string };
      if (e.code === 'ENOENT' || /No module named .?cfnlint/.test(e.stderr ?? '')) continue;
      return { code: Number(e.code), output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }
  throw new Error('cfn-lint is not installed: run "python3 -m pip install -r requirements-dev.txt", then run the tests again.');
}

/** cfn-lint's errors (exit bit 2, or it could not run), or '' when there are none. */
export function cfnLintErrors(result: { code: number; output: string }): string {
  return result.code === 1 || (result.code & 2) !== 0 ? result.output : '';
}
