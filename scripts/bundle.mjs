// Bundles the CLI so `refscope` starts fast: one file to parse instead of
// ~120 modules to resolve and load. Two bundles, mirroring cli/main.ts and
// cli/cli.ts:
//   dist/refscope.js  the entry (the `bin`): tiny; for `refscope run` it only
//                     supervises Ctrl-C while dist/cli.js runs in a worker
//                     thread (cli/interrupt.ts), so a run loads refscope once;
//   dist/cli.js       the command line and the whole library, loaded by the
//                     entry (`import()`) for the other commands;
//   dist/worker.js    the script worker's entry (cli/worker.ts): it loads
//   dist/cli.script.js  the same command line as a classic script, with
//   dist/cli.script.cache  V8's code cache for it (cli/codecache.ts explains
//                     why).
// The WebAssembly renderers stay external: they are loaded lazily from
// node_modules, only by the commands that draw.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const external = ['@hpcc-js/wasm-graphviz', '@resvg/resvg-wasm', '@fontsource/*'];
await build({
  ...common,
  entryPoints: [path.join(root, 'cli', 'cli.ts')],
  outfile: path.join(root, 'dist', 'cli.js'),
  external,
  banner: {
    // A CommonJS dependency (yargs' helpers, handlebars) may call require().
    js: "import { createRequire as __refscopeRequire } from 'node:module';\nconst require = __refscopeRequire(import.meta.url);",
  },
  plugins: [assertShim],
});
await build({
  ...common,
  entryPoints: [path.join(root, 'cli', 'worker.ts')],
  outfile: path.join(root, 'dist', 'worker.js'),
});

// The script bundle: CommonJS, wrapped by cli/codecache.ts's
// scriptBundleSource; the wrapper passes import.meta.url in, and an import()
// function for the lazily loaded packages: a classic script run by vm has no
// import() of its own (Node 20 offers one only as an experimental feature
// that warns on stderr).
const dynamicImports = {
  name: 'dynamic-imports',
  setup(b) {
    b.onLoad({ filter: /[\\/]lib[\\/]render[\\/][^\\/]+\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.replace(/(?<!typeof )\bimport\((?=')/g, '__importPackage('), loader: 'ts' };
    });
  },
};
const scriptFile = path.join(root, 'dist', 'cli.script.js');
const cjs = await build({
  ...common,
  format: 'cjs',
  write: false,
  entryPoints: [path.join(root, 'cli', 'cli.ts')],
  outfile: scriptFile,
  external,
  define: { 'import.meta.url': '__importMetaUrl' },
  plugins: [assertShim, dynamicImports],
});
if (/\bimport\(/.test(cjs.outputFiles[0].text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) throw new Error('cli.script.js: an import() the script bundle cannot run');
const codeCache = await import(path.join(root, 'dist', 'cli', 'codecache.js'));
const body = cjs.outputFiles[0].text;
const hash = createHash('sha256').update(body).digest('hex');
writeFileSync(scriptFile, codeCache.scriptBundleSource(body, hash));
rmSync(codeCache.cachePath(scriptFile), { force: true });

codeCache.writeCodeCache(scriptFile);
