import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root';

/** The Node.js release the suite also runs on: the Lambda runtime's major (the bundles target `node24`). */
export const LAMBDA_NODE_VERSION = '24.21.0';

/**
 * Finds or installs Node.js {@link LAMBDA_NODE_VERSION} into `.tools/`, from the registry package that ships
 * its binary (`node-<platform>-<arch>`). A second call finds the cache.
 * @returns the folder holding its `node` binary
 */
export function ensureLambdaNode(log: (line: string) => void = () => undefined): string {
  const pkg = `node-${platform()}-${arch()}`;
  const prefix = join(PROJECT_ROOT, '.tools', `node-${LAMBDA_NODE_VERSION}`);
  const bin = join(prefix, 'node_modules', pkg, 'bin');
  if (!existsSync(join(bin, 'node'))) {
    log(`Installing Node.js ${LAMBDA_NODE_VERSION} (${pkg}) into ${prefix}…`);
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `${pkg}@${LAMBDA_NODE_VERSION}`], {
      stdio: 'inherit',
    });
  }
  return bin;
}
