// Bundles the CLI into one ES module (dist/refscope.js) so `refscope` starts
// fast: one file to parse instead of ~120 modules to resolve and load. The
// WebAssembly renderers stay external: they are loaded lazily from
// node_modules, only by the commands that draw.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// yargs' ESM platform shim imports node:assert for two internal sanity
// checks (strictEqual, notStrictEqual). Loading node:assert pulls in its
// error formatting machinery at every start (several ms, most of the time
// `refscope run` spends before the script); the bundle gets these two
// functions instead, with the same Object.is comparison.
const assertShim = {
  name: 'assert-shim',
  setup(b) {
    b.onResolve({ filter: /^(node:)?assert$/ }, (args) => (args.importer.includes(`${path.sep}yargs${path.sep}`) ? { path: 'assert', namespace: 'assert-shim' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'assert-shim' }, () => ({
      contents: [
        'export function strictEqual(a, b, message) { if (!Object.is(a, b)) throw new Error(message ?? `expected ${String(b)}, got ${String(a)}`); }',
        'export function notStrictEqual(a, b, message) { if (Object.is(a, b)) throw new Error(message ?? `unexpected ${String(a)}`); }',
      ].join('\n'),
      loader: 'js',
    }));
  },
};
await build({
  entryPoints: [path.join(root, 'cli', 'main.ts')],
  outfile: path.join(root, 'dist', 'refscope.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@hpcc-js/wasm-graphviz', '@resvg/resvg-wasm', '@fontsource/*'],
  banner: {
    // A CommonJS dependency (yargs' helpers, handlebars) may call require().
    js: "#!/usr/bin/env node\nimport { createRequire as __refscopeRequire } from 'node:module';\nconst require = __refscopeRequire(import.meta.url);",
  },
  plugins: [assertShim],
  logLevel: 'warning',
});
