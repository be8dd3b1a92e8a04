// Bundles the CLI into one ES module (dist/refscope.js) so `refscope` starts
// fast: one file to parse instead of ~120 modules to resolve and load. The
// WebAssembly renderers stay external: they are loaded lazily from
// node_modules, only by the commands that draw.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
  logLevel: 'warning',
});
