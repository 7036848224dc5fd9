/**
 * `npm run build` (first half): bundles every Lambda function with esbuild and zips it for
 * `serverless.yml`'s `package.artifact`. Prints each zip's size.
 */
import path from 'node:path';
import { bundleFunction, FUNCTION_ENTRIES } from '../infra/build/bundle-function';
import { PROJECT_ROOT } from '../infra/project-root';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

for (const fn of FUNCTION_ENTRIES) {
  const built = await bundleFunction(fn);
  console.log(
    `${built.name}: ${kib(built.zipBytes)} zipped (index.mjs ${kib(built.bundleBytes)}) → ${path.relative(PROJECT_ROOT, built.zipPath)}`,
  );
}
