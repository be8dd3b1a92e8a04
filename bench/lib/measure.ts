// Runs one child process and measures its whole-process wall time and peak RSS.
//
// Peak RSS of a child is what the kernel records as ru_maxrss when it is
// reaped; Node's child_process does not expose the child's rusage, so the
// child is started through a tiny reaper that does:
//   - GNU time (`/usr/bin/time -f %M -o FILE cmd...`) when present: a C
//     program that forks, execs and waits, so it adds about a millisecond;
//   - otherwise a Python one-liner (subprocess.run, then
//     getrusage(RUSAGE_CHILDREN)), which measures wall time itself, around
//     the child only, so its own start-up does not count.
// Reading VmHWM from /proc/PID/status would need to catch the child just
// before it exits, which a parent cannot do reliably.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type RssMethod = 'gnu-time' | 'python-rusage';

/** How to start a child so its peak RSS can be read afterwards. */
export interface Reaper {
  method: RssMethod;
  /** For 'python-rusage': the Python that runs the wrapper. */
  python?: string;
}

export interface Measured {
  stdout: string;
  stderr: string;
  status: number | null;
  /** Whole-process wall time in seconds. */
  wall: number;
  /** Peak resident set size in MB (NaN if it could not be read). */
  rssMB: number;
  /** Set when the child could not be started or ran past the time limit. */
  error?: string;
}

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Milliseconds before the child is killed. */
  timeoutMs: number;
}

const GNU_TIME = '/usr/bin/time';

const PY_REAPER = [
  'import resource, subprocess, sys, time',
  't = time.perf_counter()',
  'p = subprocess.run(sys.argv[2:])',
  'w = time.perf_counter() - t',
  'open(sys.argv[1], "w").write("%r %d\\n" % (w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))',
  'sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)',
].join('\n');

/** Picks GNU time when it works here, else the Python wrapper. */
export function chooseReaper(python: string): Reaper {
  if (existsSync(GNU_TIME)) {
    const dir = mkdtempSync(path.join(tmpdir(), 'refscope-bench-'));
    try {
      const out = path.join(dir, 'rss');
      const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
      if (r.status === 0 && Number.isFinite(lastNumber(readFileSync(out, 'utf8')))) return { method: 'gnu-time' };
    } catch {
      // Not GNU time (BusyBox, BSD): fall through to the wrapper.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { method: 'python-rusage', python };
}

/** Runs the child to completion through the reaper. */
export function measure(spec: SpawnSpec, reaper: Reaper): Measured {
  const dir = mkdtempSync(path.join(tmpdir(), 'refscope-bench-'));
  const report = path.join(dir, 'rss');
  try {
    const [cmd, args] =
      reaper.method === 'gnu-time'
        ? [GNU_TIME, ['-f', '%M', '-o', report, spec.command, ...spec.args]]
        : [reaper.python!, ['-c', PY_REAPER, report, spec.command, ...spec.args]];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd: spec.cwd,
      env: spec.env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: spec.timeoutMs,
    });
    let wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let rssMB = NaN;
    let text = '';
    try {
      text = readFileSync(report, 'utf8');
    } catch {
      // No report: the reaper itself failed; the error below says why.
    }
    if (reaper.method === 'gnu-time') {
      // "%M" is the last line; GNU time writes "Command exited with non-zero
      // status N" before it when the child fails.
      rssMB = lastNumber(text) / 1024;
    } else {
      const [w, kb] = text.trim().split(/\s+/).map(Number);
      if (Number.isFinite(w)) wall = w!;
      // ru_maxrss is KiB on Linux, bytes on macOS.
      rssMB = process.platform === 'darwin' ? kb! / (1024 * 1024) : kb! / 1024;
    }
    const measured: Measured = { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, wall, rssMB };
    if (r.error) measured.error = (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `timed out after ${spec.timeoutMs / 1000} s` : r.error.message;
    return measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The number on the last non-empty line of `text` (NaN if none). */
function lastNumber(text: string): number {
  const lines = text.trim().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  return /^\d+(\.\d+)?$/.test(last) ? Number(last) : NaN;
}
