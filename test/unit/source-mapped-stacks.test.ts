import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionBuildOptions } from '../../infra/build/bundle-function';

const run = promisify(execFile);

/** Runs `code` in a fresh Node (ES module) that has imported the bundle as `fixture`; returns its stdout. */
async function inFreshNode(bundle: string, code: string, flags: string[] = []): Promise<string> {
  const script = `const fixture = await import(${JSON.stringify(pathToFileURL(bundle).href)});\n${code}`;
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return stdout;
}

/**
 * The functions run without `--enable-source-maps` (it parses the whole map at every cold start) and map
 * their stack traces themselves: a stack of the minified bundle names the TypeScript file and line.
 */
describe('stack traces of a bundled function', () => {
  let dir = '';
  let bundle = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stacks-'));
    bundle = join(dir, 'index.mjs');
    await build({ ...functionBuildOptions('test/fixtures/throwing-function.ts'), outfile: bundle });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('name the source file and line, not the bundle', async () => {
    const stack = await inFreshNode(bundle, 'console.log(fixture.makeError().stack);');
    expect(stack).toMatch(/^Error: made in the fixture\n/);
    expect(stack).toMatch(/test\/fixtures\/throwing-function\.ts:8:10\)?\n/);
    expect(stack).not.toMatch(/index\.mjs:\d/);
  }, 30_000);

  it('read the map only when a stack is first written', async () => {
    const out = await inFreshNode(
      bundle,
      // Counts reads of the map through the live binding the bundle imported.
      "const { createRequire, syncBuiltinESMExports } = await import('node:module'); const fs = createRequire(import.meta.url)('node:fs');\n" +
        "const read = fs.readFileSync; let reads = 0; fs.readFileSync = (...a) => { if (String(a[0]).endsWith('.map')) reads += 1; return read(...a); }; syncBuiltinESMExports();\n" +
        'const before = reads; const e = fixture.makeError(); const created = reads; void e.stack; void fixture.makeError().stack;\n' +
        'console.log(JSON.stringify({ before, created, after: reads }));',
    );
    expect(JSON.parse(out)).toEqual({ before: 0, created: 0, after: 1 });
  }, 30_000);

  it('are left to Node when it maps them itself (--enable-source-maps)', async () => {
    const stack = await inFreshNode(bundle, 'console.log(fixture.makeError().stack);', ['--enable-source-maps']);
    expect(stack).toMatch(/throwing-function\.ts:8:10/);
  }, 30_000);
});
