/**
 * `npm run build` (second half): writes `.build/infra/stack.json`, the part of the deployed stack that
 * follows from `jobs/queues.json`, for `serverless.yml` to read. Fails with the list of changes to make
 * when a queue definition is unsafe to deploy.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueDefinitionError } from '../infra/cloudformation/errors';
import { buildStackResources } from '../infra/cloudformation/stack-resources';
import { BUILD_DIR } from './build/bundle-function';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, BUILD_DIR, 'infra', 'stack.json');
try {
  const stack = buildStackResources();
  await mkdir(path.dirname(out), { recursive: true });
  // Written aside and renamed into place, so osls never reads a half-written file during a concurrent build.
  await writeFile(`${out}.${process.pid}`, `${JSON.stringify(stack, null, 2)}\n`);
  await rename(`${out}.${process.pid}`, out);
  console.log(`stack: ${Object.keys(stack.resources.Resources).length} resources from jobs/queues.json → ${path.relative(root, out)}`);
} catch (err) {
  if (!(err instanceof QueueDefinitionError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
