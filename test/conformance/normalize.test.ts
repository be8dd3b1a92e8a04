// The TypeScript port of normalize.py must agree with the Python original,
// which ships next to the oracle in fixtures/conformance/tools. The inputs are
// chosen where Python and JavaScript regular expressions and string methods
// part ways (line breaks, whitespace, digits, surrogates, greedy paths).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normalize, splitLines } from './normalize.js';
import { fixturesDir, listScenarios } from './scenarios.js';
import { unifiedDiff } from './diff.js';

const TRICKY: string[] = [
  '',
  '\n',
  '\n\n',
  'no newline at end',
  'x = <A object at 0x7f3a2b1c9d10>   \n',
  '0x12345 stays, 0x123456 goes, 0XABCDEF stays, 0xabcdefABCDEF0123 goes\n',
  '0x0x1234567\n',
  'Traceback (most recent call last):\n  File "/usr/lib/python3.11/x.py", line 3, in <module>\n    boom()\n    ~~~~^^\n  ^\n ~ ~ \n~x\nValueError: bad\n',
  'File "a/b/c.py" and File "d.py" and File "e/" and File "" and File "/"\n',
  'File "C:\\\\dir\\\\win.py", line 1\n',
  'File "a"/b/c.py"\n',
  '12.3456s elapsed; 1.5s elapsed; .5s elapsed; 3.s elapsed; 10.25s elapsedly\n',
  'gc: done, 0 unreachable, 0 uncollectable, 0.0001s elapsed\n',
  '\u0663.\u0664\u0665s elapsed (Arabic-Indic digits)\n',
  '\uff11.\uff12s elapsed (fullwidth digits)\n',
  '\u{1e4f1}.\u{1e4f2}s elapsed (Unicode 15 digits, not digits to Python 3.11)\n',
  'a\rb\r\nc\x0bd\x0ce\x1cf\x1dg\x1eh\x1fi\x85j\u2028k\u2029l\n',
  'trailing tab\t\ntrailing nbsp\xa0\ntrailing ideographic\u3000\ntrailing bom\ufeff\ntrailing unit sep\x1f\n',
  '\x1f^^^\x1f\n\ufeff~~~\n\u3000^~^\u2000\n',
  'Graph written to /tmp/objgraph-a1B2_c3.dot (3 nodes)\n',
  'Image generated as objgraph-x.dot and \xa0/tmp/objgraph-q.dot\n',
  'lone surrogate \ud800 and pair \ud83d\ude00 0xdeadbeef\n',
  'crlf line\r\n\r\nafter blank\r\n',
  '   \n\t\n',
];

function viaPython(inputs: string[]): string[] | undefined {
  const tools = path.join(fixturesDir, 'tools');
  const program = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(tools)})`,
    'from normalize import normalize',
    'inputs = json.loads(sys.stdin.read())',
    'sys.stdout.write(json.dumps([normalize(t) for t in inputs]))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', program], { input: JSON.stringify(inputs), encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as string[];
}

const Normalize = suite('normalize');

Normalize('known cases', () => {
  assert.is(normalize('<A object at 0x7f3a2b1c9d10>  \n'), '<A object at 0xADDR>\n');
  assert.is(normalize(''), '\n');
  assert.is(normalize('  File "/x/y/z.py", line 1\n    f()\n    ^^^\n'), '  File "z.py", line 1\n    f()\n');
  assert.equal(splitLines('a\r\nb\rc\n'), ['a', 'b', 'c']);
});

const expected = viaPython(TRICKY);

Normalize('agrees with normalize.py on tricky inputs', () => {
  if (!expected) {
    console.log('  (python3 not available: skipped the comparison with normalize.py)');
    return;
  }
  TRICKY.forEach((input, k) => {
    const ours = normalize(input);
    if (ours !== expected[k]) {
      assert.unreachable(`input ${JSON.stringify(input)}:\n${unifiedDiff(expected[k]!, ours, 'normalize.py', 'normalize.ts')}`);
    }
  });
});

Normalize('is idempotent on every expected file', () => {
  // The expected files are normalize.py's output: normalizing them again changes nothing.
  for (const s of listScenarios()) {
    const text = readFileSync(path.join(s.dir, `${s.name}.expected`), 'utf8');
    assert.is(normalize(text), text, s.id);
  }
});

Normalize.run();
