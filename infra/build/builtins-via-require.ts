import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'builtin-via-require';
const BUILTINS = new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`])));

/**
 * An esbuild plugin that loads Node's built-in modules with `require` instead of `import` in an ES module
 * bundle (which must have a real `require` in scope: {@link REQUIRE_BANNER}).
 *
 * Why: Node builds the ES module facade of a built-in by reading every one of its exports, and some exports
 * are lazy getters. Under Node 24, `import 'node:http'` thereby loads all of undici (fetch, WebSocket,
 * EventSource, the proxy agents): ~30 ms against ~3 ms for `require('node:http')` on the 2-core bench
 * machine. `@connectrpc/connect-node` imports `node:http` and `node:https` beside `node:http2`, so every cold
 * start paid that. docs/benchmarks.md has the measurement.
 */
export function builtinsViaRequire(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (args) => {
        if (!BUILTINS.has(args.path)) return undefined;
        // The `require` inside the stand-in module stays a call of the banner's `require` at run time.
        if (args.kind === 'require-call') return { path: args.path, external: true };
        return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}
