// Ctrl-C during `refscope run`: the built CLI runs a script that prints a
// marker and loops; the test waits for the marker, sends SIGINT and checks
// what CPython does: KeyboardInterrupt raised where the script is, caught by
// `except`, `finally` run, and when uncaught the traceback and an end by
// SIGINT (a shell shows 130). Each case also runs the same script under real
// CPython when it is installed (pyenv 3.11.7 / 2.7.18) and compares. The
// expected texts below were checked against CPython 3.11.7 and 2.7.18.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const PYENV = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
const PYTHON: Record<string, string> = {
  '3.11': join(PYENV, 'versions', '3.11.7', 'bin', 'python'),
  '2.7': join(PYENV, 'versions', '2.7.18', 'bin', 'python'),
};
/** Ends a case that hangs (a regression where Ctrl-C is ignored) instead of the whole suite. */
const GIVE_UP_MS = 60_000;
/**
 * Ctrl-C comes this long after the marker, so that the script is in its loop:
 * CPython, sent it sooner, raises KeyboardInterrupt at the print() that
 * wrote the marker (its eval breaker runs after the call returns).
 */
const SETTLE_MS = 300;
let dir = '';

interface Outcome {
  stdout: string;
  stderr: string;
  /** The status a shell reports: the exit code, or 128 + the signal that ended the process. */
  status: number;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the first SIGINT to the end of the process. */
  afterSigint: number;
}

/**
 * Runs `cmd args`, waits until stdout contains `marker`, sends one SIGINT per
 * entry of `then` (the first at once, then each after the next marker in
 * `then`), and resolves when the process has ended.
 */
function interrupt(cmd: string, args: string[], marker = 'ready\n', then: string[] = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const markers = [marker, ...then];
    const giveUp = setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      while (markers.length && stdout.includes(markers[0])) {
        markers.shift();
        setTimeout(() => {
          if (!sentAt) sentAt = performance.now();
          child.kill('SIGINT');
        }, SETTLE_MS);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(giveUp);
      const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ stdout, stderr, status, signal, afterSigint: performance.now() - sentAt });
    });
  });
}

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** `refscope run` on the script, and the same script under CPython when installed (else null). */
async function both(file: string, python: '3.11' | '2.7' = '3.11', then: string[] = []): Promise<[Outcome, Outcome | null]> {
  const ours = await interrupt(process.execPath, [MAIN, 'run', '--python', python, file], 'ready\n', then);
  const py = PYTHON[python];
  const theirs = existsSync(py) ? await interrupt(py, ['-u', file], 'ready\n', then) : null;
  return [ours, theirs];
}

const Interrupt = suite('Ctrl-C in refscope run');

Interrupt.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-sigint-'));
});
Interrupt.after(() => rmSync(dir, { recursive: true, force: true }));

Interrupt('uncaught: traceback ending in KeyboardInterrupt, then the end by SIGINT (status 130)', async () => {
  const file = script('spin.py', 'def spin():\n    while True:\n        pass\nprint("ready")\nspin()\n');
  const [ours, cpython] = await both(file);
  assert.is(ours.stdout, 'ready\n');
  assert.is(
    ours.stderr,
    `Traceback (most recent call last):\n  File "${file}", line 5, in <module>\n    spin()\n  File "${file}", line 2, in spin\n    while True:\nKeyboardInterrupt\n`,
  );
  assert.is(ours.signal, 'SIGINT', 'CPython 3 ends itself by SIGINT so that a calling shell stops too');
  assert.is(ours.status, 130);
  assert.ok(ours.afterSigint < 10_000, `took ${ours.afterSigint} ms after Ctrl-C`);
  if (cpython) {
    assert.is(ours.stderr, cpython.stderr);
    assert.is(ours.signal, cpython.signal);
  }
});

Interrupt('caught by except KeyboardInterrupt: the script goes on and exits 0', async () => {
  const file = script(
    'catch.py',
    'import sys\ntry:\n    print("ready")\n    while True:\n        pass\nexcept KeyboardInterrupt as e:\n    print("caught", type(e).__name__, repr(e.args))\nprint("after")\n',
  );
  const [ours, cpython] = await both(file);
  assert.is(ours.stdout, 'ready\ncaught KeyboardInterrupt ()\nafter\n');
  assert.is(ours.stderr, '');
  // CPython 3.11.7 sometimes ends by SIGINT even after the script caught the
  // KeyboardInterrupt (seen in about half of the runs; its rule, bpo-1054041,
  // is for uncaught ones only), so only the output is compared.
  assert.is(ours.status, 0);
  if (cpython) assert.is(ours.stdout, cpython.stdout);
});

Interrupt('except BaseException and with: __exit__ sees KeyboardInterrupt', async () => {
  const file = script(
    'base.py',
    'class C:\n    def __enter__(self):\n        return self\n    def __exit__(self, t, v, tb):\n        print("exit", t.__name__)\n        return False\ntry:\n    with C():\n        print("ready")\n        while True:\n            pass\nexcept BaseException as e:\n    print("base", type(e).__name__)\n',
  );
  const [ours, cpython] = await both(file);
  assert.is(ours.stdout, 'ready\nexit KeyboardInterrupt\nbase KeyboardInterrupt\n');
  assert.is(ours.status, 0);
  if (cpython) assert.is(ours.stdout, cpython.stdout);
});

Interrupt('finally runs, then the traceback', async () => {
  const file = script('fin.py', 'try:\n    print("ready")\n    while True:\n        pass\nfinally:\n    print("finally ran")\n');
  const [ours, cpython] = await both(file);
  assert.is(ours.stdout, 'ready\nfinally ran\n');
  assert.is(ours.stderr, `Traceback (most recent call last):\n  File "${file}", line 3, in <module>\n    while True:\nKeyboardInterrupt\n`);
  assert.is(ours.status, 130);
  if (cpython) {
    assert.is(ours.stdout, cpython.stdout);
    assert.is(ours.stderr, cpython.stderr);
    assert.is(ours.signal, cpython.signal);
  }
});

Interrupt('a second Ctrl-C inside the except block: chained tracebacks', async () => {
  const file = script('twice.py', 'try:\n    print("ready")\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    print("again")\n    while True:\n        pass\n');
  const [ours, cpython] = await both(file, '3.11', ['again\n']);
  assert.is(ours.stdout, 'ready\nagain\n');
  const tb = (line: number) => `Traceback (most recent call last):\n  File "${file}", line ${line}, in <module>\n    while True:\nKeyboardInterrupt\n`;
  assert.is(ours.stderr, `${tb(3)}\nDuring handling of the above exception, another exception occurred:\n\n${tb(7)}`);
  assert.is(ours.status, 130);
  if (cpython) assert.is(ours.stderr, cpython.stderr);
});

Interrupt('time.sleep is interrupted at once', async () => {
  const file = script('sleep.py', 'import time\nprint("ready")\ntime.sleep(1000)\n');
  const [ours, cpython] = await both(file);
  assert.is(ours.stderr, `Traceback (most recent call last):\n  File "${file}", line 3, in <module>\n    time.sleep(1000)\nKeyboardInterrupt\n`);
  assert.is(ours.status, 130);
  assert.ok(ours.afterSigint < 10_000, `took ${ours.afterSigint} ms after Ctrl-C`);
  if (cpython) assert.is(ours.stderr, cpython.stderr);
});

Interrupt('--python 2.7: the traceback, then exit status 1 (2.7 does not end by SIGINT)', async () => {
  // One line: CPython 2.7 checks for signals every 100 instructions wherever
  // they fall, so in a two-line loop it reports either line.
  const file = script('spin27.py', 'print("ready")\nwhile True: pass\n');
  const [ours, cpython] = await both(file, '2.7');
  assert.is(ours.stderr, `Traceback (most recent call last):\n  File "${file}", line 2, in <module>\n    while True: pass\nKeyboardInterrupt\n`);
  assert.is(ours.status, 1);
  assert.is(ours.signal, null);
  if (cpython) {
    assert.is(ours.stderr, cpython.stderr);
    assert.is(ours.status, cpython.status);
  }
});

Interrupt('audit: Ctrl-C ends it at once with one line, no stack trace', async () => {
  // audit keeps the script's output to itself: the script marks its start with a file.
  const started = join(dir, 'started');
  const file = script('audit.py', `with open(${JSON.stringify(started)}, "w") as f:\n    f.write("x")\nwhile True:\n    pass\n`);
  const child = spawn(process.execPath, [MAIN, 'audit', file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const waiting = setInterval(() => {
    if (!existsSync(started)) return;
    clearInterval(waiting);
    setTimeout(() => child.kill('SIGINT'), SETTLE_MS);
  }, 50);
  const outcome = await new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) => {
    const giveUp = setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS);
    child.on('close', (code, signal) => {
      clearTimeout(giveUp);
      clearInterval(waiting);
      resolve({ code, signal });
    });
  });
  assert.is(outcome.signal, 'SIGINT');
  assert.is(stderr, 'refscope: interrupted\n');
  assert.not.match(stderr, /\n\s+at /);
});

Interrupt.run();
