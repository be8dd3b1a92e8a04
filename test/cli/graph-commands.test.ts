// backrefs and refs end to end: the built CLI draws a saved snapshot as DOT,
// SVG or PNG.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { saveSnapshot } from '../../lib/index.js';
import { step1 } from '../snapshot/heap.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
let dir = '';

function refscope(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const Graphs = suite('graph commands');

Graphs.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-cli-graph-'));
  saveSnapshot(step1().snap, join(dir, 's1.json'));
});

Graphs.after(() => rmSync(dir, { recursive: true, force: true }));

Graphs('backrefs: DOT on stdout, red root, labelled edges, stops at proper modules', () => {
  const r = refscope('backrefs', 's1.json', '--type', 'Session', '--max-depth', '5');
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.is(lines[0], 'digraph ObjectGraph {');
  assert.is(lines[2], '  o20480[fontcolor=red];');
  assert.ok(lines.includes('  o12288 -> o16384 [label="sessions",weight=2];'));
  assert.ok(lines.includes('  o4096 -> o8192 [label="__dict__",weight=10];'));
  assert.ok(lines.includes('  o4096[fillcolor="0.3,1,0.44"];'), 'the __main__ module at depth 4 is green');
  assert.not.ok(r.stdout.includes('-> o4096'), 'a proper module is not expanded');
  assert.ok(lines.includes('  o20992->o20992_has_a_del[color=red,style=dotted,len=0.25,weight=10];'));
});

Graphs('refs: too many edges elided, --filter-type, --json', () => {
  const r = refscope('refs', 's1.json', '--address', '0x2000', '--too-many', '2', '--max-depth', '1');
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('  o8192 -> o12288 [label="registry",weight=2];'));
  assert.ok(r.stdout.includes('  o8192 -> o24576 [label="str\\n\'x y\'"];'));
  assert.ok(r.stdout.includes('  too_many_o8192[label="3 more references",'));
  const only = refscope('refs', 's1.json', '--address', '0x2000', '--filter-type', 'int', '--filter-type', 'tuple', '--json');
  const out = JSON.parse(only.stdout);
  assert.is(out.nodes, 3);
  assert.ok(out.dot.includes('o8192 -> o29184 [label="int\\n42"];'));
  const excluded = JSON.parse(refscope('refs', 's1.json', '--address', '0x2000', '--exclude-type', 'dict', '--json').stdout);
  assert.is(excluded.nodes, 5);
});

Graphs('--all draws every object of the type', () => {
  const r = refscope('backrefs', 's1.json', '--type', 'Session', '--all', '--max-depth', '0');
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('  o20480[fontcolor=red];\n  o20992[fontcolor=red];\n'));
});

Graphs('-o: .dot, .svg and .png files, with objgraph\'s node count', () => {
  let r = refscope('backrefs', 's1.json', '--type', 'Session', '-o', 'g.dot');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'Graph written to g.dot (9 nodes)\n');
  assert.is(readFileSync(join(dir, 'g.dot'), 'utf8'), refscope('backrefs', 's1.json', '--type', 'Session').stdout);
  r = refscope('backrefs', 's1.json', '--type', 'Session', '-o', 'g.svg');
  assert.is(r.stdout, 'Graph written to g.svg (9 nodes)\n');
  assert.match(readFileSync(join(dir, 'g.svg'), 'utf8'), /<svg[\s\S]*sessions[\s\S]*<\/svg>/);
  r = refscope('refs', 's1.json', '--type', 'Session', '--output', 'g.png');
  assert.is(r.status, 0, r.stderr);
  assert.equal([...readFileSync(join(dir, 'g.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

Graphs('bad arguments: exit 2 with one message', () => {
  for (const [args, message] of [
    [['refs', 's1.json', '--type', 'Session', '-o', 'g.pdf'], /cannot write "g\.pdf": extension "\.pdf"; supported extensions are \.dot, \.svg, \.png/],
    [['backrefs', 's1.json', '--type', 'Nope'], /no object of type 'Nope'/],
    [['backrefs', 's1.json', '--type', 'Session', '--all', '--nth', '1'], /--all takes --type NAME and neither --nth nor --address/],
    [['backrefs', 's1.json', '--type', 'Session', '--too-many', '1.5'], /--too-many must be a whole number/],
    [['refs', 'missing.json', '--type', 'Session'], /missing\.json: cannot read: no such file/],
  ] as Array<[string[], RegExp]>) {
    const r = refscope(...args);
    assert.is(r.status, 2, args.join(' '));
    assert.is(r.stdout, '');
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

Graphs.run();
