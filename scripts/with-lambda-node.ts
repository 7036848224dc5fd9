/**
 * `npm run test:lambda-node`: runs a command under the Node.js major of the Lambda runtime (nodejs22.x),
 * installing that Node once into `.tools/` from the registry package that ships its binary
 * (`node-<platform>-<arch>`), so the suite is also checked on the runtime the functions deploy to.
 *
 * Usage: tsx scripts/with-lambda-node.ts <command> [args…]   (the command's `node` is the Lambda one)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_TARGET } from './build/bundle-function';

/** The Node.js release used for the Lambda runtime's major; its major equals the bundles' target ({@link BUNDLE_TARGET}). */
export const LAMBDA_NODE_VERSION = '22.23.3';

if (`node${LAMBDA_NODE_VERSION.split('.')[0]}` !== BUNDLE_TARGET) {
  throw new Error(`LAMBDA_NODE_VERSION ${LAMBDA_NODE_VERSION} does not match the bundles' target ${BUNDLE_TARGET}: update scripts/with-lambda-node.ts.`);
}
const pkg = `node-${platform()}-${arch()}`;
const prefix = resolve('.tools', `node-${LAMBDA_NODE_VERSION}`);
const bin = join(prefix, 'node_modules', pkg, 'bin');
if (!existsSync(join(bin, 'node'))) {
  console.log(`Installing Node.js ${LAMBDA_NODE_VERSION} (${pkg}) into ${prefix}…`);
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `${pkg}@${LAMBDA_NODE_VERSION}`], { stdio: 'inherit' });
}
const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error('Usage: tsx scripts/with-lambda-node.ts <command> [args…]');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
console.log(`Running under ${execFileSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim()}: ${command} ${args.join(' ')}`);
const result = spawnSync(command === 'vitest' ? join(bin, 'node') : command, command === 'vitest' ? ['node_modules/vitest/vitest.mjs', ...args] : args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
