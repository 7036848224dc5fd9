import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/project-root';

/** The project's top folders that hold TypeScript. */
const FOLDERS = ['jobs', 'functions', 'worker', 'infra', 'scripts', 'bench', 'test'] as const;

/** One relative import of a project file: who imports, and the project path it names. */
interface ProjectImport {
  readonly from: string;
  readonly to: string;
}

// Static imports and re-exports (`… from '…'`), side-effect imports and dynamic `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function typeScriptFiles(): string[] {
  return FOLDERS.flatMap((folder) =>
    (readdirSync(join(PROJECT_ROOT, folder), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(folder, f)),
  );
}

function projectImports(): ProjectImport[] {
  return typeScriptFiles().flatMap((file) => {
    const source = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    return [...source.matchAll(SPECIFIER)]
      .map((m) => m[1] as string)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: file, to: relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), specifier)) }));
  });
}

const topFolder = (path: string): string => path.split(/[\\/]/)[0] as string;
const describeImport = (i: ProjectImport): string => `${i.from} → ${i.to}`;

/**
 * The layering the README describes, checked on the import specifiers of every .ts file so that it cannot
 * quietly regress: `jobs/` is the bottom layer, `functions/` is deployed without the local stack or the
 * worker, the worker bundle carries nothing of `infra/`, and `scripts/` only holds entry points.
 */
describe('the import graph', () => {
  const imports = projectImports();

  it('finds the imports it checks', () => {
    expect(imports.some((i) => i.from.startsWith('functions') && topFolder(i.to) === 'jobs')).toBe(true);
  });

  it('has jobs/ import nothing from another folder of the project', () => {
    expect(imports.filter((i) => topFolder(i.from) === 'jobs' && topFolder(i.to) !== 'jobs').map(describeImport)).toEqual([]);
  });

  it('has functions/ import nothing from infra/ or worker/', () => {
    expect(
      imports.filter((i) => topFolder(i.from) === 'functions' && ['infra', 'worker'].includes(topFolder(i.to))).map(describeImport),
    ).toEqual([]);
  });

  it('has worker/ import only jobs/ and itself, so the worker bundle carries no infra/', () => {
    expect(
      imports.filter((i) => topFolder(i.from) === 'worker' && !['worker', 'jobs'].includes(topFolder(i.to))).map(describeImport),
    ).toEqual([]);
  });

  it('keeps scripts/ to entry points: nothing imports them, and they export nothing', () => {
    expect(imports.filter((i) => topFolder(i.to) === 'scripts').map(describeImport)).toEqual([]);
    const scripts = typeScriptFiles().filter((f) => topFolder(f) === 'scripts');
    expect(scripts.filter((f) => f.split(/[\\/]/).length > 2)).toEqual([]);
    expect(scripts.filter((f) => /^export\s/m.test(readFileSync(join(PROJECT_ROOT, f), 'utf8')))).toEqual([]);
  });
});
