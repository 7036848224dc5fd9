/**
 * `npm run test:lambda-node`: runs vitest (or another command) under the Node.js major of the Lambda runtime,
 * installed once into `.tools/` (see infra/local/lambda-node.ts), so the suite is also checked on the runtime
 * the functions deploy to.
 *
 * Usage: tsx scripts/with-lambda-node.ts vitest|<command> [args…]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureLambdaNode, LAMBDA_NODE_VERSION } from '../infra/local/lambda-node';
import { BUNDLE_TARGET } from '../infra/build/bundle-function';

if (`node${LAMBDA_NODE_VERSION.split('.')[0]}` !== BUNDLE_TARGET) {
  throw new Error(
    `LAMBDA_NODE_VERSION ${LAMBDA_NODE_VERSION} does not match the bundles' target ${BUNDLE_TARGET}: update infra/local/lambda-node.ts.`,
  );
}
const bin = ensureLambdaNode((line) => console.log(line));
const node = join(bin, 'node');
const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error('Usage: tsx scripts/with-lambda-node.ts vitest|<command> [args…]');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
console.log(`Running under Node.js ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}: ${command} ${args.join(' ')}`);
const result =
  command === 'vitest'
    ? spawnSync(node, ['node_modules/vitest/vitest.mjs', ...args], { stdio: 'inherit', env })
    : spawnSync(command, args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
