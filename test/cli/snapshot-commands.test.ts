// top, diff and chain end to end: the built CLI on snapshot files written
// into a temporary folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { saveSnapshot, snapshotToJson } from '../../lib/index.js';
import { step1, step2 } from '../snapshot/heap.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
let dir = '';

function refscope(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A usage error: exit 2, one `refscope: ...` line plus the hint, no stack trace. */
function usageError(args: string[], message: RegExp) {
  const r = refscope(...args);
  assert.is(r.status, 2, `exit status of ${args.join(' ')}: ${r.stderr}`);
  assert.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0], /^refscope: /);
  assert.match(lines[0], message);
  assert.equal(lines.slice(1), ["Run 'refscope --help' for usage."]);
}

const Cli = suite('snapshot commands');

Cli.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-cli-'));
  saveSnapshot(step1().snap, join(dir, 's1.json'));
  saveSnapshot(step2().snap, join(dir, 's2.json'));
  const text = snapshotToJson(step1().snap);
  writeFileSync(join(dir, 'truncated.json'), text.slice(0, 500));
  writeFileSync(join(dir, 'v2.json'), text.replace('"version":1', '"version":2'));
  writeFileSync(join(dir, 'badindex.json'), text.replace('"to":[3,', '"to":[-3,'));
});

Cli.after(() => rmSync(dir, { recursive: true, force: true }));

Cli('top: objgraph show_most_common_types text', () => {
  const r = refscope('top', 's1.json');
  assert.is(r.status, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'dict     6\nmodule   3\nSession  2\nfunction 1\nlist     1\nTemp     1\n');
  assert.is(refscope('top', 's1.json', '--limit', '2').stdout, 'dict   6\nmodule 3\n');
  assert.is(refscope('top', 's1.json', '--limit', '0', '--all-objects').stdout.split('\n').length, 10);
  assert.match(refscope('top', 's1.json', '--long-names', '--limit', '1').stdout, /^builtins\.dict 6\n$/);
});

Cli('top --json', () => {
  const r = refscope('top', 's1.json', '--json', '--limit', '2');
  assert.is(r.status, 0);
  assert.equal(JSON.parse(r.stdout), [
    { name: 'dict', count: 6, bytes: 1136 },
    { name: 'module', count: 3, bytes: 216 },
  ]);
});

Cli('diff: aligned table of what grew, appeared and disappeared', () => {
  const r = refscope('diff', 's1.json', 's2.json', '--limit', '2');
  assert.is(r.status, 0);
  assert.is(r.stderr, '');
  assert.fixture(
    r.stdout,
    [
      's1.json: step 1 (gc.collect() #1)  ->  s2.json: step 2 (gc.collect() #2)',
      '',
      'type     old  new  change  old bytes  new bytes  change  appeared  disappeared',
      'Session    2    3      +1         96        144     +48         2            1',
      'list       1    1      +0         64         80     +16         0            0',
      '-------  ---  ---  ------  ---------  ---------  ------  --------  -----------',
      'total     14   14      +0       1696       1688      -8         5            5',
      '(3 more changed types; --limit 0 shows all)',
      '',
    ].join('\n'),
  );
});

Cli('diff --json: a reused address is a disappearance plus an appearance', () => {
  const r = refscope('diff', 's1.json', 's2.json', '--json', '--limit', '0');
  assert.is(r.status, 0);
  const out = JSON.parse(r.stdout);
  assert.is(out.old.step, 1);
  assert.is(out.new.step, 2);
  const temp = out.types.find((t: { name: string }) => t.name === 'Temp');
  assert.equal([temp.oldCount, temp.newCount, temp.appeared, temp.disappeared], [1, 1, 1, 1]);
  assert.match(refscope('diff', '--help').stdout, /matched by address AND allocation serial/);
});

Cli('diff --growth: objgraph show_growth text', () => {
  const r = refscope('diff', 's1.json', 's2.json', '--growth');
  assert.is(r.status, 0);
  assert.is(r.stdout, 'Session        3        +1\n');
  assert.equal(JSON.parse(refscope('diff', 's2.json', 's1.json', '--growth', '--json').stdout), [['module', 3, 1]]);
});

Cli('chain: one hop per line with edge labels', () => {
  const r = refscope('chain', 's1.json', '--type', 'Session', '--nth', '1');
  assert.is(r.status, 0);
  assert.fixture(
    r.stdout,
    [
      'module 0x1000 (__main__)',
      '  -[__dict__]-> dict 0x2000 (3 items)',
      '  -[registry]-> dict 0x3000 (1 items)',
      '  -[sessions]-> list 0x4000 (1 items)',
      '  -> Session 0x5000 (<__main__.Session object at 0x5000>)',
      '  -[__dict__]-> dict 0x5100 (1 items)',
      '  -[peer]-> Session 0x5200 (<__main__.Session object at 0x5200>)',
      '',
    ].join('\n'),
  );
  assert.is(refscope('chain', 's1.json', '--type', 'Session', '--nth', '-1').stdout, r.stdout);
  assert.is(refscope('chain', 's1.json', '--address', '0x5200').stdout, r.stdout);
  assert.is(refscope('chain', 's1.json', '--address', String(0x5200), '--type', '__main__.Session').stdout, r.stdout);
});

Cli('chain: not found within --max-depth, and --json', () => {
  const r = refscope('chain', 's1.json', '--type', 'Session', '--max-depth', '2');
  assert.is(r.status, 0);
  assert.is(r.stdout, 'No chain from a module to Session 0x5000 (<__main__.Session object at 0x5000>) within 2 hops.\n');
  const j = JSON.parse(refscope('chain', 's1.json', '--address', '0x7200', '--json').stdout);
  assert.is(j.found, true);
  assert.equal(j.chain.map((h: { edge: string | null }) => h.edge), [null, '__dict__', 'int\n42']);
});

Cli('bad snapshot files: exit 2, one message', () => {
  usageError(['top', 'missing.json'], /^refscope: missing\.json: cannot read: no such file$/);
  usageError(['top', 'truncated.json'], /^refscope: truncated\.json: not valid JSON \(/);
  usageError(['diff', 's1.json', 'v2.json'], /^refscope: v2\.json: snapshot schema version 2 is not supported/);
  usageError(['chain', 'badindex.json', '--type', 'Session'], /^refscope: badindex\.json: references\.to\[0\] is -3, expected an object index below 17$/);
});

Cli('unknown types and bad arguments: exit 2, one message', () => {
  usageError(['chain', 's1.json', '--type', 'Nope'], /no object of type 'Nope' in this snapshot/);
  usageError(['chain', 's1.json', '--type', 'str'], /no GC-tracked object of type 'str' \(there is 1 untracked one: pick one with --address\)/);
  usageError(['chain', 's1.json', '--type', 'Session', '--nth', '2'], /--nth 2 is out of range: there are 2 objects of type 'Session'/);
  usageError(['chain', 's1.json', '--type', 'Session', '--nth', '-3'], /--nth must be a whole number/);
  usageError(['chain', 's1.json'], /name the object: --type NAME/);
  usageError(['chain', 's1.json', '--address', 'zz'], /--address must be an address/);
  usageError(['chain', 's1.json', '--address', '0x1'], /no object at 0x1 in this snapshot/);
  usageError(['chain', 's1.json', '--address', '0x5200', '--type', 'dict'], /is a Session, not a dict/);
  usageError(['top', 's1.json', '--limit', 'many'], /--limit must be a whole number \(0 or more\), got NaN/);
  usageError(['top', 's1.json', '--limit', '-1'], /--limit must be a whole number/);
  usageError(['top'], /Not enough non-option arguments/);
});

Cli.run();
