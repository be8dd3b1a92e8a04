// Bundles the CLI so `refscope` starts fast: one file to parse instead of
// ~120 modules to resolve and load. Two bundles, mirroring cli/main.ts and
// cli/cli.ts:
//   dist/refscope.js  the entry (the `bin`): tiny; for `refscope run` it only
//                     supervises Ctrl-C while dist/cli.js runs in a worker
//                     thread (cli/interrupt.ts), so a run loads refscope once;
//   dist/cli.js       the command line and the whole library, loaded by the
//                     entry (`import()`) or as the worker's module.
// The WebAssembly renderers stay external: they are loaded lazily from
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
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [path.join(root, 'cli', 'main.ts')],
  outfile: path.join(root, 'dist', 'refscope.js'),
  banner: { js: '#!/usr/bin/env node' },
});
await build({
  ...common,
  entryPoints: [path.join(root, 'cli', 'cli.ts')],
  outfile: path.join(root, 'dist', 'cli.js'),
  external: ['@hpcc-js/wasm-graphviz', '@resvg/resvg-wasm', '@fontsource/*'],
  banner: {
    // A CommonJS dependency (yargs' helpers, handlebars) may call require().
    js: "import { createRequire as __refscopeRequire } from 'node:module';\nconst require = __refscopeRequire(import.meta.url);",
  },
  plugins: [assertShim],
});
