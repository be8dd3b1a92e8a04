// Output streams of `refscope run` when the reader goes away: a script piped
// into `head -1` gets BrokenPipeError where it writes (catchable), an
// uncaught one ends with its traceback and status 1, as `python3 -u` does;
// a closed stderr drops the runtime's own reports. Each case also runs under
// real CPython when it is installed (pyenv 3.11.7 / 2.7.18) and compares.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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
let dir = '';

interface Outcome {
  /** What the reader (`head -1`) printed. */
  stdout: string;
  stderr: string;
  /** The script's own status (PIPESTATUS[0]). */
  status: number;
}

/**
 * Runs `cmd... FILE` in bash with the stream `fd` (1 or 2) piped into
 * `head -1`, which exits after one line and so closes the pipe.
 */
function piped(cmd: string[], file: string, fd: 1 | 2): Outcome {
  const redirect = fd === 1 ? '| head -1' : '3>&1 1>&2 2>&3 | head -1';
  const r = spawnSync('bash', ['-c', `"$@" ${redirect}; exit \${PIPESTATUS[0]}`, 'bash', ...cmd, file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // With fd 2 piped, the script's stdout comes out on bash's stderr.
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function both(file: string, fd: 1 | 2 = 1, python: '3.11' | '2.7' = '3.11'): [Outcome, Outcome | null] {
  const ours = piped([process.execPath, MAIN, 'run', '--python', python], file, fd);
  const py = PYTHON[python];
  return [ours, existsSync(py) ? piped([py, '-u'], file, fd) : null];
}

const Streams = suite('refscope run with a closed pipe');

Streams.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'refscope-pipe-'));
});
Streams.after(() => rmSync(dir, { recursive: true, force: true }));

const MANY = 'for i in range(100000):\n    print(i)\n';

Streams('uncaught BrokenPipeError: the traceback at the print, status 1', () => {
  const file = script('many.py', MANY);
  const [ours, cpython] = both(file);
  assert.is(ours.stdout, '0\n');
  assert.is(ours.stderr, `Traceback (most recent call last):\n  File "${file}", line 2, in <module>\n    print(i)\nBrokenPipeError: [Errno 32] Broken pipe\n`);
  assert.is(ours.status, 1);
  if (cpython) assert.equal(ours, cpython);
});

Streams('BrokenPipeError is catchable, and raised again by the next write', () => {
  const file = script(
    'catch.py',
    'import sys\ntry:\n' +
      '    for i in range(100000):\n        sys.stdout.write("%d\\n" % i)\n' +
      'except BrokenPipeError as e:\n    sys.stderr.write("caught %r %s\\n" % (e, e.errno))\n' +
      'try:\n    print("again")\nexcept OSError as e:\n    sys.stderr.write("again %s\\n" % type(e).__name__)\n',
  );
  const [ours, cpython] = both(file);
  assert.is(ours.stdout, '0\n');
  assert.is(ours.stderr, "caught BrokenPipeError(32, 'Broken pipe') 32\nagain BrokenPipeError\n");
  assert.is(ours.status, 0);
  if (cpython) assert.equal(ours, cpython);
});

Streams('2.7: IOError', () => {
  const file = script('many27.py', MANY);
  const [ours, cpython] = both(file, 1, '2.7');
  assert.is(ours.stdout, '0\n');
  assert.match(ours.stderr, /\nIOError: \[Errno 32\] Broken pipe\n$/);
  assert.is(ours.status, 1);
  if (cpython) assert.equal(ours, cpython);
});

Streams('closed stderr: sys.stderr.write raises; the final traceback is dropped', () => {
  const file = script(
    'err.py',
    'import sys\ntry:\n    for i in range(100000):\n        sys.stderr.write("%d\\n" % i)\nexcept BrokenPipeError:\n    print("caught")\nraise ValueError("lost")\n',
  );
  const [ours, cpython] = both(file, 2);
  // Here stdout is what head read from stderr; stderr is the script's stdout.
  assert.is(ours.stdout, '0\n');
  assert.is(ours.stderr, 'caught\n');
  assert.is(ours.status, 1);
  if (cpython) assert.equal(ours, cpython);
});

Streams.run();
