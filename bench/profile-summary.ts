import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../infra/project-root';

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one row of a summary. */
export interface ProfileRow {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** Where a profile spent its time. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not idle: what the shares are of. */
  readonly busyMs: number;
  /** Self time by npm package (or project folder, Node internals, GC…). */
  readonly byModule: readonly ProfileRow[];
  /** Self time by function, with its original location where a source map or an unminified bundle tells it. */
  readonly byFunction: readonly ProfileRow[];
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; project files → their first folder. */
export function moduleOf(source: string): string {
  const path = source.replace(/\\/g, '/');
  const at = path.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = path.slice(at + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const clean = relative(PROJECT_ROOT, path.replace(/^file:\/\//, '')).replace(/^(\.\.\/)+/, '');
  const parts = clean.split('/').filter(Boolean);
  return parts.length > 1 ? `project ${parts[0]}/` : clean;
}

type Locate = (line: number, column: number) => string | undefined;

/**
 * How to find the original file of a position in a script: its source map when there is one next to it,
 * else the `// path` comments esbuild writes above each module of an unminified bundle.
 */
function locatorFor(url: string): Locate | undefined {
  if (!url.startsWith('file://')) return undefined;
  const file = fileURLToPath(url);
  if (existsSync(`${file}.map`)) {
    const payload = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload;
    const map = new SourceMap(payload);
    const base = resolve(dirname(file), payload.sourceRoot ?? '');
    return (line, column) => {
      const { originalSource } = map.findEntry(line, column) as { originalSource?: string };
      if (!originalSource) return undefined;
      return originalSource.startsWith('file://') ? fileURLToPath(originalSource) : resolve(base, originalSource);
    };
  }
  if (!existsSync(file)) return undefined;
  const marks: { line: number; source: string }[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^\/\/ ((?:node_modules|\.\.?\/|[\w@-]+\/)[^\s]*\.(?:c|m)?(?:j|t)s)$/.exec(text);
      if (match) marks.push({ line, source: match[1] as string });
    });
  if (marks.length === 0) return () => file;
  return (line) => {
    let found: string | undefined;
    for (const mark of marks) {
      if (mark.line > line) break;
      found = mark.source;
    }
    return found ?? file;
  };
}

/** Reads a `.cpuprofile` and sums self time by module and by function, biggest first; idle time left out. */
export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const locators = new Map<string, Locate | undefined>();
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let module: string;
    let where = url;
    if (!url) module = functionName.startsWith('(') ? functionName : '(native)';
    else if (url.startsWith('node:')) module = 'node internals';
    else {
      if (!locators.has(url)) locators.set(url, locatorFor(url));
      const locate = locators.get(url);
      const source = locate?.(lineNumber, columnNumber);
      where = source ?? url;
      // A bundle position its map does not cover: esbuild's module wrappers, whose self time includes the
      // lazy compilation of the module functions they call.
      module = locate && !source ? '(bundle helpers: module wrappers, lazy compile)' : moduleOf(where);
    }
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const shown = where.includes('node_modules/')
      ? where.replace(/^.*node_modules\//, '')
      : relative(PROJECT_ROOT, where.replace(/^file:\/\//, ''));
    const fn = `${functionName || '(anonymous)'} ${shown}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const totalUs = profile.endTime - profile.startTime;
  const idleUs = byModule.get('(idle)') ?? 0;
  byModule.delete('(idle)');
  byFunction.delete('(idle) ');
  const busyUs = Math.max(1, totalUs - idleUs);
  const rows = (map: Map<string, number>): ProfileRow[] =>
    [...map.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, byModule: rows(byModule), byFunction: rows(byFunction) };
}

/** A profile summary as plain text lines. */
export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const line = (r: ProfileRow): string => `  ${r.ms.toFixed(1).padStart(8)} ms ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.name}`;
  return [
    `${title}: ${summary.totalMs.toFixed(0)} ms profiled, ${summary.busyMs.toFixed(0)} ms busy (shares are of busy time)`,
    ' by module:',
    ...summary.byModule.map(line),
    ' by function (self time):',
    ...summary.byFunction.map(line),
  ].join('\n');
}
