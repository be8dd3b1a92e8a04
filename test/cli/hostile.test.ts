// Hostile scripts: sources nested past the parser's and compiler's limits,
// values larger than JavaScript can hold, unbounded recursion. Each must end
// as CPython reports it (a SyntaxError, MemoryError, RecursionError), never
// as a JavaScript stack trace, an internal error or a crashed Node. The
// expected texts were checked against CPython 3.11.7; where CPython has no
// answer in reasonable time or memory (`'a' * 10**10`, `10**10**10`) refscope
// gives MemoryError, its simulated heap being bounded by --max-memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
let dir = '';

interface Outcome {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(name: string, source: string, ...options: string[]): Outcome & { file: string } {
  const file = join(dir, name);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [MAIN, 'run', ...options, file], { encoding: 'utf8', timeout: 300_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, file };
}

/** The last line of the output (the exception line). */
function last(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1];
}

function assertNoInternalError(r: Outcome): void {
  assert.not.match(r.stderr, /internal error|RangeError|at .*\.js:\d+/);
  assert.ok(r.status !== 70 && r.status !== null && r.status < 128, `status ${r.status}`);
}

const Hostile = suite('hostile scripts');

Hostile.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-hostile-'));
});
Hostile.after(() => rmSync(dir, { recursive: true, force: true }));

Hostile('201 nested brackets: too many nested parentheses, caret at the 201st', () => {
  const r = run('p201.py', `x = ${'('.repeat(201)}1${')'.repeat(201)}\n`);
  assert.is(r.stderr, `  File "${r.file}", line 1\n    x = ${'('.repeat(201)}1${')'.repeat(201)}\n    ${' '.repeat(204)}^\nSyntaxError: too many nested parentheses\n`);
  assert.is(r.status, 1);
  const ok = run('p200.py', `x = ${'['.repeat(200)}${']'.repeat(200)}\nprint(len(x))\n`);
  assert.is(ok.stdout, '1\n');
  assert.is(ok.status, 0);
});

Hostile('10 000 nested brackets in eval(): a catchable SyntaxError', () => {
  const r = run('evalparen.py', `try:\n    eval('(' * 10000 + ')' * 10000)\nexcept SyntaxError as e:\n    print(str(e))\n`);
  assert.is(r.stdout, 'too many nested parentheses (<string>, line 1)\n');
  assert.is(r.status, 0);
});

Hostile('100 indentation levels: IndentationError', () => {
  let src = '';
  for (let i = 0; i < 101; i++) src += `${' '.repeat(i)}if 1:\n`;
  src += `${' '.repeat(101)}pass\n`;
  const r = run('indent.py', src);
  assert.is(r.stderr, `  File "${r.file}", line 101\n    if 1:\nIndentationError: too many levels of indentation\n`);
  assert.is(r.status, 1);
});

Hostile('100 000 unary minus: MemoryError from the parser, no traceback', () => {
  const r = run('unary.py', `x = ${'-'.repeat(100_000)}1\n`);
  assert.is(r.stderr, 'MemoryError\n');
  assert.is(r.status, 1);
});

Hostile('a 100 000-term sum and 40 000 chained calls: RecursionError during compilation, quickly', () => {
  const t0 = performance.now();
  for (const [name, src] of [
    ['binop.py', `x = ${Array(100_000).fill('1').join('+')}\n`],
    ['calls.py', `x = f${'()'.repeat(40_000)}\n`],
  ]) {
    const r = run(name, src);
    assert.is(r.stderr, 'RecursionError: maximum recursion depth exceeded during compilation\n');
    assert.is(r.status, 1);
  }
  // Columns of a very long line were once recomputed per AST node (quadratic).
  assert.ok(performance.now() - t0 < 60_000);
});

Hostile('huge repetitions and formats: MemoryError the script can catch', () => {
  const r = run(
    'big.py',
    [
      "for expr in [\"'a' * 10**10\", '[0] * 10**10', '(1, 2) * 10**10', \"'%999999999d' % 1\", \"'{:999999999}'.format(1)\", '10**10**10']:",
      '    try:',
      '        eval(expr)',
      '    except MemoryError as e:',
      "        print(expr, type(e).__name__)",
      "print(len('ab' * 1000))",
      '',
    ].join('\n'),
  );
  assertNoInternalError(r);
  assert.is(
    r.stdout,
    "'a' * 10**10 MemoryError\n[0] * 10**10 MemoryError\n(1, 2) * 10**10 MemoryError\n'%999999999d' % 1 MemoryError\n'{:999999999}'.format(1) MemoryError\n10**10**10 MemoryError\n2000\n",
  );
  assert.is(r.status, 0);
});

Hostile('list(range(10**9)): MemoryError at --max-memory', () => {
  const r = run('range.py', 'try:\n    list(range(10**9))\nexcept MemoryError:\n    print("caught")\n');
  assert.is(r.stdout, 'caught\n');
  assert.is(r.status, 0);
});

Hostile('repr of a list nested 100 000 deep: RecursionError with a traceback', () => {
  const r = run('deeprepr.py', 'l = []\nfor i in range(100000):\n    l = [l]\nprint(repr(l)[:10])\n');
  assert.is(last(r.stderr), 'RecursionError: maximum recursion depth exceeded while getting the repr of an object');
  assert.match(r.stderr, /^Traceback \(most recent call last\):\n/);
  assert.is(r.status, 1);
});

Hostile('sys.setrecursionlimit(10**6), then unbounded recursion: a clear error, Node survives', () => {
  const r = run('deeprec.py', 'import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)\n', '--max-memory', '64');
  assertNoInternalError(r);
  assert.match(last(r.stderr), /^(RecursionError|MemoryError|refscope: )/);
  assert.is(r.status, 1);
});

Hostile.run();

const Status = suite('exit statuses');

Status.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-status-'));
});
Status.after(() => rmSync(dir, { recursive: true, force: true }));

Status('sys.exit(n) is the status, including the small ones refscope once used itself', () => {
  for (const n of [0, 2, 3, 4, 70, 71, 255]) assert.is(run(`exit${n}.py`, `import sys\nsys.exit(${n})\n`).status, n);
  assert.is(run('exit256.py', 'import sys\nsys.exit(256)\n').status, 0);
});

Status('a missing script: CPython\'s message and status 2', () => {
  const r = spawnSync(process.execPath, [MAIN, 'run', join(dir, 'nope.py')], { encoding: 'utf8' });
  assert.is(r.stderr, `python3: can't open file '${join(dir, 'nope.py')}': [Errno 2] No such file or directory\n`);
  assert.is(r.status, 2);
});

Status('internal errors are 70 (EX_SOFTWARE)', async () => {
  const { reportInternalError, EXIT_INTERNAL_ERROR, EXIT_HEAP_INCONSISTENT } = await import('../../cli/errors.js');
  assert.is(EXIT_INTERNAL_ERROR, 70);
  assert.is(EXIT_HEAP_INCONSISTENT, 71);
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((s: string) => ((text += s), true)) as typeof process.stderr.write;
  try {
    assert.is(reportInternalError(new Error('boom'), false), 70);
  } finally {
    process.stderr.write = write;
  }
  assert.is(text, 'refscope: internal error: boom\nThis is a bug in refscope. Run again with --verbose for details and report it.\n');
});

Status.run();
