import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A V8 call site, with the enclosing-function position V8 also offers (not in Node's typings). */
type CallSite = NodeJS.CallSite & { getEnclosingLineNumber?(): number | null; getEnclosingColumnNumber?(): number | null };

/** What the map says of a position (`name` is there since Node 20.6; Node's typings lack it). */
interface MappedPosition {
  readonly originalSource: string;
  readonly originalLine: number;
  readonly originalColumn: number;
  readonly name?: string;
}

/** The map's entry for a 1-based line and column, when the map covers that position. */
function entryAt(map: SourceMap, line: number | null | undefined, column: number | null | undefined): MappedPosition | undefined {
  if (!line || !column) return undefined;
  const entry = map.findEntry(line - 1, column - 1);
  return 'originalSource' in entry ? (entry as MappedPosition) : undefined;
}

/**
 * The original name of a frame's function: the name the map gives the enclosing function, or else the one at
 * the caller's call site (the bundle is minified, so V8's own name is a mangled one). Node's
 * `--enable-source-maps` names frames the same way.
 */
function originalName(map: SourceMap, frame: CallSite, caller: CallSite | undefined, bundle: string): string | undefined {
  const enclosing = entryAt(map, frame.getEnclosingLineNumber?.(), frame.getEnclosingColumnNumber?.());
  if (enclosing?.name) return enclosing.name;
  if (caller?.getFileName() !== bundle) return undefined;
  return entryAt(map, caller.getLineNumber(), caller.getColumnNumber())?.name || undefined;
}

function formatFrame(map: SourceMap | null, frame: CallSite, caller: CallSite | undefined, bundle: string): string {
  if (!map || frame.getFileName() !== bundle) return String(frame);
  const entry = entryAt(map, frame.getLineNumber(), frame.getColumnNumber());
  if (!entry) return String(frame);
  const source = entry.originalSource.startsWith('file:')
    ? fileURLToPath(entry.originalSource)
    : fileURLToPath(new URL(entry.originalSource, bundle));
  const position = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = originalName(map, frame, caller, bundle) ?? frame.getFunctionName();
  const prefix = frame.isAsync() ? 'async ' : '';
  return name ? `${prefix}${name} (${position})` : `${prefix}${position}`;
}

/** The first line of a stack as V8 writes it: `Name: message`. */
function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/**
 * Gives stack traces the bundle's original file, line and name, as `--enable-source-maps` does, but reads
 * the source map only when a stack is first formatted instead of at every cold start (the flag parses the map
 * of the whole bundle while it loads). Frames outside the bundle are written as V8 writes them. A no-op when
 * Node already maps stacks (`--enable-source-maps`) or something else set `Error.prepareStackTrace`; without a
 * readable `<bundle>.map`, stacks stay as V8 writes them.
 * @param bundleUrl the bundle's `import.meta.url`
 */
export function mapStackTracesLazily(bundleUrl: string): void {
  // Node 24 installs its own default (`ErrorPrepareStackTrace`); anything else was set on purpose.
  const taken = Error.prepareStackTrace !== undefined && Error.prepareStackTrace.name !== 'ErrorPrepareStackTrace';
  if (process.sourceMapsEnabled || taken || !bundleUrl.startsWith('file:')) return;
  let map: SourceMap | null | undefined;
  const load = (): SourceMap | null => {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(bundleUrl)}.map`, 'utf8')));
    } catch {
      map = null;
    }
    return map;
  };
  Error.prepareStackTrace = (error, frames: CallSite[]) => {
    const loaded = map === undefined ? load() : map;
    return headerOf(error) + frames.map((frame, i) => `\n    at ${formatFrame(loaded, frame, frames[i + 1], bundleUrl)}`).join('');
  };
}
