// Ctrl-C at the library level: RunOptions.interrupt with a SIGINT already
// pending (as the CLI's main thread leaves it), so each case is
// deterministic; the end-to-end signal path is test/cli/interrupt.test.ts.
// Expected texts checked against CPython 3.11.7 and 2.7.18.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { INTERRUPT_PENDING, runSource } from '../../lib/python/run.js';

function pendingSigint(): Int32Array {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(cell, INTERRUPT_PENDING, 1);
  return cell;
}

function run(source: string, opts: { python?: '3.11' | '2.7'; interrupt?: Int32Array; timeout?: number } = {}) {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const r = runSource(source, 'x.py', { ...opts, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { stdout, stderr, exit: r.exitCode, interrupted: r.interrupted, ms: performance.now() - started };
}

const Interrupt = suite('KeyboardInterrupt from RunOptions.interrupt');

Interrupt('uncaught: traceback at the loop, exit status 130 and interrupted (3.11)', () => {
  const cell = pendingSigint();
  const r = run('print("a")\nwhile True:\n    pass\n', { interrupt: cell });
  assert.is(r.stdout, 'a\n');
  assert.is(r.stderr, 'Traceback (most recent call last):\n  File "x.py", line 2, in <module>\n    while True:\nKeyboardInterrupt\n');
  assert.is(r.exit, 130);
  assert.is(r.interrupted, true);
  assert.is(Atomics.load(cell, INTERRUPT_PENDING), 0, 'the pending SIGINT was taken');
});

Interrupt('2.7: an uncaught KeyboardInterrupt is an ordinary failure (status 1)', () => {
  const r = run('while True: pass\n', { python: '2.7', interrupt: pendingSigint() });
  assert.is(r.stderr, 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    while True: pass\nKeyboardInterrupt\n');
  assert.is(r.exit, 1);
  assert.is(r.interrupted, undefined);
});

Interrupt('caught: except KeyboardInterrupt, the args are empty, finally runs', () => {
  const r = run(
    'try:\n    try:\n        while True:\n            pass\n    finally:\n        print("finally")\nexcept KeyboardInterrupt as e:\n    print("caught", e.args, isinstance(e, Exception), isinstance(e, BaseException))\n',
    { interrupt: pendingSigint() },
  );
  assert.is(r.stdout, 'finally\ncaught () False True\n');
  assert.is(r.stderr, '');
  assert.is(r.exit, 0);
  assert.is(r.interrupted, undefined);
});

Interrupt('time.sleep returns at once when a Ctrl-C is pending, at the sleep line', () => {
  const r = run('import time\ntime.sleep(1000)\n', { interrupt: pendingSigint() });
  assert.is(r.stderr, 'Traceback (most recent call last):\n  File "x.py", line 2, in <module>\n    time.sleep(1000)\nKeyboardInterrupt\n');
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

// Recursion without a loop: only the check at a function's start (3.11's
// RESUME) can see the Ctrl-C. The interrupted call is some f deep in the
// recursion; CPython shows its `def` line with an empty underline.
const RECURSION = 'def f(n):\n    if n:\n        f(n - 1)\n        f(n - 1)\nf(22)\n';

Interrupt('code that only recurses: KeyboardInterrupt at a function start (3.11)', () => {
  const r = run(RECURSION, { interrupt: pendingSigint() });
  assert.ok(r.stderr.startsWith('Traceback (most recent call last):\n  File "x.py", line 5, in <module>\n    f(22)\n  File "x.py", line 3, in f\n    f(n - 1)\n'), r.stderr);
  assert.ok(r.stderr.endsWith('\n  File "x.py", line 1, in f\n    def f(n):\n    \nKeyboardInterrupt\n'), r.stderr);
  assert.is(r.exit, 130);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

Interrupt('code that only recurses: KeyboardInterrupt at a function start (2.7)', () => {
  const r = run(RECURSION, { python: '2.7', interrupt: pendingSigint() });
  assert.ok(r.stderr.endsWith('\n  File "x.py", line 1, in f\n    def f(n):\nKeyboardInterrupt\n'), r.stderr);
  assert.is(r.exit, 1);
});

Interrupt('code that only recurses: --timeout stops it (exit status 124)', () => {
  const r = run(RECURSION, { timeout: 0.1 });
  assert.is(r.exit, 124);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

const Sleep = suite('time.sleep');

Sleep('waits for the time asked', () => {
  const r = run('import time\nt = time.perf_counter()\ntime.sleep(0.05)\nprint(time.perf_counter() - t >= 0.05)\n');
  assert.is(r.stdout, 'True\n');
});

Sleep('--timeout cuts a sleep short (exit status 124)', () => {
  const r = run('import time\ntime.sleep(1000)\n', { timeout: 0.1 });
  assert.is(r.exit, 124);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

Sleep('sys.exit(124) is not a timeout: shutdown still runs (__del__ at exit)', () => {
  const r = run('import sys\nclass R:\n    def __del__(self):\n        print("closed")\nr = R()\nsys.exit(124)\n');
  assert.is(r.exit, 124);
  assert.is(r.stdout, 'closed\n');
});

Sleep("bad arguments raise CPython's errors", () => {
  const last = (source: string, python: '3.11' | '2.7' = '3.11') => run(`import time\n${source}\n`, { python }).stderr.trimEnd().split('\n').pop();
  assert.is(last('time.sleep(-1)'), 'ValueError: sleep length must be non-negative');
  assert.is(last('time.sleep("a")'), "TypeError: 'str' object cannot be interpreted as an integer");
  assert.is(last('time.sleep(None)'), "TypeError: 'NoneType' object cannot be interpreted as an integer");
  assert.is(last('time.sleep()'), 'TypeError: time.sleep() takes exactly one argument (0 given)');
  assert.is(last('time.sleep(float("nan"))'), 'ValueError: Invalid value NaN (not a number)');
  assert.is(last('time.sleep("a")', '2.7'), 'TypeError: a float is required');
  assert.is(last('time.sleep()', '2.7'), 'TypeError: sleep() takes exactly 1 argument (0 given)');
});

Interrupt.run();
Sleep.run();
