import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { assertNoUnwantedPackages, unwantedPackages, UnwantedPackageError } from '../../infra/build/bundle-contents';
import { FUNCTION_ENTRIES, functionBuildOptions } from '../../infra/build/bundle-function';

/** esbuild's metafile of `entry` bundled as the functions are, written nowhere. */
async function metafileOf(entry: string) {
  const { metafile } = await build({ ...functionBuildOptions(entry), outfile: '/nonexistent/index.mjs', write: false, metafile: true });
  return metafile;
}

/**
 * The functions' cold start depends on what their bundles leave out: neither Temporal's full client nor the
 * descriptors of its whole API. The build refuses a bundle that contains either (`npm run build` fails);
 * this checks the deployed functions are clean and that the check does catch a package coming back.
 */
describe('what the functions’ bundles contain', () => {
  it.each(FUNCTION_ENTRIES.map((f) => [f.name, f.entry]))(
    '%s carries neither @temporalio/client nor @temporalio/proto',
    async (name, entry) => {
      const metafile = await metafileOf(entry);
      expect(unwantedPackages(metafile)).toEqual([]);
      expect(() => assertNoUnwantedPackages(name, metafile)).not.toThrow();
    },
    60_000,
  );

  it.each(FUNCTION_ENTRIES.map((f) => [f.name, f.entry]))(
    '%s leaves @aws-sdk/client-s3 to the runtime and loads it only on first use (dynamic import)',
    async (_name, entry) => {
      const metafile = await metafileOf(entry);
      const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
      const s3 = imports.filter((i) => i.path === '@aws-sdk/client-s3');
      expect(s3.length).toBeGreaterThan(0);
      expect(s3.every((i) => i.external === true && i.kind === 'dynamic-import')).toBe(true);
    },
    60_000,
  );

  it('refuses a bundle that imports @temporalio/proto, naming the package and how it got in', async () => {
    const metafile = await metafileOf('test/fixtures/imports-temporal-proto.ts');
    const found = unwantedPackages(metafile);
    expect(found.map((f) => f.packageName)).toEqual(['@temporalio/proto']);
    expect(found[0]?.importChain[0]).toBe('test/fixtures/imports-temporal-proto.ts');
    expect(() => assertNoUnwantedPackages('fixture', metafile)).toThrow(UnwantedPackageError);
    expect(() => assertNoUnwantedPackages('fixture', metafile)).toThrow(/fixture bundle contains @temporalio\/proto.*\n.*descriptors/);
  }, 60_000);
});
