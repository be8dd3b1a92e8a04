// captureSnapshot on live heaps, JSON round trip, the refscope CLI on captured files, and run --snapshots.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Interpreter } from '../../lib/python/interp.js';
import { runSource } from '../../lib/python/run.js';
import { captureSnapshot, labelForFile } from '../../lib/snapshot/capture.js';
import { loadSnapshot, saveSnapshot } from '../../lib/snapshot/json.js';
import { mostCommonTypes } from '../../lib/snapshot/typestats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'dist/cli/main.js');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'refscope-capture-'));

/** Runs `source` and calls `inside` with the live interpreter where the script calls refscope.snapshot(). */
function live<T>(source: string, inside: (it: Interpreter) => T): T {
  let out = '';
  let result: T | undefined;
  const r = runSource(`import refscope\n${source}refscope.snapshot('here')\n`, 'leak.py', {
    stdout: (s) => (out += s),
    stderr: (s) => (out += s),
    onSnapshot: (it) => (result = inside(it)),
  });
  assert.is(r.exitCode, 0, out);
  return result!;
}

const Capture = suite('captureSnapshot');

const LEAK = `class Session:
    def __init__(self, n):
        self.n = n
cache = {'sessions': [Session(i) for i in range(3)], 'not ident': (1, [])}
`;

Capture('objects, names, generations, labels and references of a live heap', () => {
  const snap = live(LEAK, (it) => captureSnapshot(it, 'end', 4));
  assert.is(snap.meta.label, 'end');
  assert.is(snap.meta.step, 4);
  assert.is(snap.meta.profile, '3.11');
  assert.is(snap.meta.script, 'leak.py');
  const rows = new Map(mostCommonTypes(snap, { limit: 0 }));
  assert.is(rows.get('Session'), 3);
  const views = Array.from({ length: snap.objectCount }, (_, i) => snap.object(i));
  const s = views.find((v) => v.type === 'Session')!;
  assert.is(s.typeLong, '__main__.Session');
  assert.is(s.tracked, true);
  assert.match(s.repr, /^<__main__\.Session object at 0x[0-9a-f]+>$/);
  const int2 = views.find((v) => v.type === 'int' && v.repr === '2')!;
  assert.is(int2.tracked, false);
  assert.is(int2.gen, null);
  const main = views.find((v) => v.isModule && v.module === '__main__')!;
  assert.ok(main);
  const list = views.find((v) => v.type === 'list' && v.label === '3 items')!;
  assert.ok(list);
  assert.ok(snap.modules.some((m) => m.name === '__main__' && m.object === main.index));
});

Capture('taking a snapshot runs no Python code and leaves the heap as it was', () => {
  const snap = live(
    `class Loud:
    def __repr__(self):
        raise RuntimeError('no')
x = [Loud()]
`,
    (it) => {
      const before = it.rt.gc.objects(null).length;
      const serial = it.rt.serial();
      const s = captureSnapshot(it, 'x', 0);
      assert.is(it.rt.gc.objects(null).length, before);
      assert.is(it.rt.serial(), serial);
      return s;
    },
  );
  const loud = Array.from({ length: snap.objectCount }, (_, i) => snap.object(i)).find((v) => v.type === 'Loud')!;
  assert.match(loud.repr, /^<__main__\.Loud object at/);
});

Capture('JSON round trip, then refscope top and chain on the file', () => {
  const dir = tmp();
  const file = path.join(dir, 'end.json');
  saveSnapshot(live(LEAK, (it) => captureSnapshot(it, 'end', 0)), file);
  const again = loadSnapshot(file);
  assert.is(again.meta.label, 'end');
  const top = spawnSync(process.execPath, [cli, 'top', file, '--limit', '0'], { encoding: 'utf8' });
  assert.is(top.status, 0, top.stderr);
  assert.match(top.stdout, /^Session +3$/m);
  const chain = spawnSync(process.execPath, [cli, 'chain', file, '--type', 'Session'], { encoding: 'utf8' });
  assert.is(chain.status, 0, chain.stderr);
  assert.match(chain.stdout, /module 0x[0-9a-f]+ \(__main__\)\n  -\[__dict__\]-> dict .*\n  -\[cache\]-> dict .*\n  -\[sessions\]-> list .*\(3 items\)\n  -> Session /);
});

const Steps = suite('refscope.snapshot and run --snapshots');

Steps('labelForFile keeps file names plain', () => {
  assert.is(labelForFile('after warm-up #2'), 'after_warm-up_2');
  assert.is(labelForFile('///'), '_');
  assert.is(labelForFile(''), 'snapshot');
});

Steps('runSource with snapshots writes NNN-label.json per call and NNN-end.json', () => {
  const dir = path.join(tmp(), 'snaps');
  let out = '';
  const r = runSource(`import refscope\nx = []\nrefscope.snapshot('before')\nx.append([])\nrefscope.snapshot(label='after')\nprint('done')\n`, 'steps.py', {
    snapshots: dir,
    stdout: (s) => (out += s),
  });
  assert.is(out, 'done\n');
  assert.equal(readdirSync(dir).sort(), ['000-before.json', '001-after.json', '002-end.json']);
  assert.equal(r.snapshots!.map((f) => path.basename(f)), ['000-before.json', '001-after.json', '002-end.json']);
  const after = loadSnapshot(path.join(dir, '001-after.json'));
  assert.is(after.meta.step, 1);
  assert.is(after.meta.script, 'steps.py');
});

Steps('refscope.snapshot without --snapshots does nothing', () => {
  let out = '';
  const r = runSource(`import refscope\nprint(refscope.snapshot('x'))\n`, 's.py', { stdout: (s) => (out += s) });
  assert.is(r.exitCode, 0);
  assert.is(out, 'None\n');
});

Steps('refscope run SCRIPT --snapshots DIR (CLI)', () => {
  const dir = tmp();
  const script = path.join(dir, 'leak.py');
  writeFileSync(script, `import refscope\nkeep = []\nfor i in range(3):\n    keep.append({'i': [i]})\n    refscope.snapshot('round %d' % i)\n`);
  const res = spawnSync(process.execPath, [cli, 'run', script, '--snapshots', path.join(dir, 'out')], { encoding: 'utf8' });
  assert.is(res.status, 0, res.stderr);
  assert.equal(readdirSync(path.join(dir, 'out')).sort(), ['000-round_0.json', '001-round_1.json', '002-round_2.json', '003-end.json']);
});

Capture.run();
Steps.run();
