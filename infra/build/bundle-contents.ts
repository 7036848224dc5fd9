import type { Metafile } from 'esbuild';

/**
 * Packages the functions' bundles must not contain, and why: the functions complete activities with their own
 * small client (`functions/runtime/completion-client.ts`); either of these brings back the reflection tree of
 * the whole Temporal API, which Lambda pays for at every cold start.
 */
export const PACKAGES_KEPT_OUT_OF_FUNCTIONS = {
  '@temporalio/client': 'the full Temporal client; the functions use functions/runtime/completion-client.ts',
  '@temporalio/proto':
    "protobufjs descriptors of the whole Temporal API (~600 KiB of JSON built at init); use the generated messages in jobs/temporal-api/gen, and deep-import @temporalio/common's codec helpers instead of its internal-non-workflow index",
} as const;

/** A package found in a bundle that must not contain it. */
export interface UnwantedPackage {
  readonly packageName: string;
  /** Why it is kept out. */
  readonly reason: string;
  /** One chain of imports from the entry point to the package's first file, entry first. */
  readonly importChain: readonly string[];
}

const packageOf = (input: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/** One import chain from an entry point to `target`, found backwards through the metafile's imports. */
function importChain(metafile: Metafile, target: string): string[] {
  const importers = new Map<string, string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) if (!importers.has(imported.path)) importers.set(imported.path, file);
  }
  const chain = [target];
  for (let file = importers.get(target); file && !chain.includes(file); file = importers.get(file)) chain.unshift(file);
  return chain;
}

/**
 * The packages of {@link PACKAGES_KEPT_OUT_OF_FUNCTIONS} that esbuild's metafile shows in an output (only
 * what contributes bytes to it: a package esbuild tree-shook away entirely does not count).
 */
export function unwantedPackages(metafile: Metafile): UnwantedPackage[] {
  const found = new Map<string, UnwantedPackage>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      if (!name || bytesInOutput === 0 || found.has(name) || !(name in PACKAGES_KEPT_OUT_OF_FUNCTIONS)) continue;
      const reason = PACKAGES_KEPT_OUT_OF_FUNCTIONS[name as keyof typeof PACKAGES_KEPT_OUT_OF_FUNCTIONS];
      found.set(name, { packageName: name, reason, importChain: importChain(metafile, input) });
    }
  }
  return [...found.values()];
}

/** Thrown by the build when a function's bundle contains a package kept out of the functions. */
export class UnwantedPackageError extends Error {
  override readonly name = 'UnwantedPackageError';
  constructor(
    /** The function whose bundle it is. */
    readonly functionName: string,
    readonly found: readonly UnwantedPackage[],
  ) {
    super(
      `The ${functionName} bundle contains ${found.map((f) => f.packageName).join(' and ')}, which the functions must not load:\n` +
        found.map((f) => `- ${f.packageName}: ${f.reason}.\n  Imported through: ${f.importChain.join(' → ')}`).join('\n') +
        '\nImport what the functions need without it (see infra/build/bundle-contents.ts).',
    );
  }
}

/** @throws UnwantedPackageError naming each unwanted package and how it got in */
export function assertNoUnwantedPackages(functionName: string, metafile: Metafile): void {
  const found = unwantedPackages(metafile);
  if (found.length > 0) throw new UnwantedPackageError(functionName, found);
}
