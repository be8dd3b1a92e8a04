// The bundled CLI (dist/refscope.js): `run` loads the command line in its
// worker from the script bundle with V8's code cache (cli/codecache.ts). The
// build must leave a cache that V8 takes; a cache of another build must be
// ignored; the renderers' import() must work from the script bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cachePath, loadScriptBundle } from '../../cli/codecache.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(DIST, 'refscope.js');
const SCRIPT = join(DIST, 'cli.script.js');
let dir = '';

function refscope(...args: string[]) {
  const r = spawnSync(process.execPath, [ENTRY, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CodeCache = suite('code cache of the bundled CLI');

CodeCache.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-codecache-'));
});

CodeCache.after(() => rmSync(dir, { recursive: true, force: true }));

CodeCache('the build leaves a script bundle and a cache that V8 takes', () => {
  assert.ok(existsSync(SCRIPT), 'dist/cli.script.js (npm run build)');
  const loaded = loadScriptBundle(SCRIPT, (s) => import(s));
  assert.ok(loaded.cached, 'the code cache was used');
  assert.type(loaded.exports.serveScriptWorker, 'function');
});

CodeCache('a cache written for another build is ignored', () => {
  const source = readFileSync(SCRIPT, 'utf8');
  // Another build: a different hash on the first line, the same length.
  const other = join(dir, 'cli.script.js');
  const hash = /^\/\/ refscope-script ([0-9a-f]{64})\n/.exec(source)![1];
  const otherHash = [...hash].map((c) => (c === '0' ? '1' : '0')).join('');
  writeFileSync(other, source.replace(hash, otherHash));
  copyFileSync(cachePath(SCRIPT), cachePath(other));
  const loaded = loadScriptBundle(other, (s) => import(s));
  assert.not.ok(loaded.cached, 'the cache of another build was not used');
  assert.type(loaded.exports.runCli, 'function');
});

CodeCache('refscope run through the bundle: output, exit status, rendering', () => {
  writeFileSync(
    join(dir, 'ok.py'),
    ['import objgraph, sys', 'class C: pass', 'x = [C()]', "objgraph.show_refs([x], filename='refs.svg')", 'print(sys.getrefcount(x))', 'raise SystemExit(3)', ''].join('\n'),
  );
  const r = refscope('run', 'ok.py');
  assert.is(r.status, 3, r.stderr);
  assert.ok(r.stdout.endsWith('Image generated as refs.svg\n2\n'), r.stdout);
  assert.ok(readFileSync(join(dir, 'refs.svg'), 'utf8').includes('<svg'), 'the SVG was rendered');
});

CodeCache.run();
