/**
 * `npm run build` (first half): bundles every Lambda function with esbuild and zips it for
 * `serverless.yml`'s `package.artifact`. Prints each zip's size.
 */
import { fileURLToPath } from 'node:url';
import { bundleFunction, FUNCTION_ENTRIES } from './build/bundle-function';

const root = fileURLToPath(new URL('..', import.meta.url));
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

for (const fn of FUNCTION_ENTRIES) {
  const built = await bundleFunction(fn, root);
  console.log(`${built.name}: ${kib(built.zipBytes)} zipped (index.mjs ${kib(built.bundleBytes)}) → ${built.zipPath.slice(root.length)}`);
}
