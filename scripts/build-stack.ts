/**
 * `npm run build` (second half): writes `.build/infra/stack.json`, the part of the deployed stack that
 * follows from `jobs/queues.json`, for `serverless.yml` to read. Fails with the list of changes to make
 * when a queue definition is unsafe to deploy.
 */
import path from 'node:path';
import { BUILD_DIR } from '../infra/build/bundle-function';
import { QueueDefinitionError } from '../infra/cloudformation/errors';
import { buildStackResources } from '../infra/cloudformation/stack-resources';
import { PROJECT_ROOT } from '../infra/project-root';
import { writeFileAtomic } from '../infra/write-file-atomic';

const out = path.join(PROJECT_ROOT, BUILD_DIR, 'infra', 'stack.json');
try {
  const stack = buildStackResources();
  // Atomic: osls never reads a half-written file during a concurrent build.
  await writeFileAtomic(out, `${JSON.stringify(stack, null, 2)}\n`);
  console.log(
    `stack: ${Object.keys(stack.resources.Resources).length} resources from jobs/queues.json → ${path.relative(PROJECT_ROOT, out)}`,
  );
} catch (err) {
  if (!(err instanceof QueueDefinitionError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
