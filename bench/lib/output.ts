// What a benchmark run printed, split into the timing line and the result,
// and the comparison of two results. Pure functions (unit-tested).
//
// Each benchmark script prints its result and one timing line, `LABEL SECONDS`
// (`elapsed 0.115`). The result is everything else: the rest of stdout,
// stderr, the exit status and the files the script left in its folder. It
// must be identical under refscope and CPython once the few things that
// legitimately differ between two processes are normalized away, as the
// conformance suite's normalize.py does: hex addresses and objgraph's
// temporary DOT file name.

/** What one run of a benchmark script printed and did. */
export interface RunOutput {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the process was killed by a signal. */
  status: number | null;
  /** Names of the files the script left in its working folder, sorted. */
  files: string[];
}

/** The comparable part of a run, with the timing line taken out. */
export interface Result {
  /** The timing line's value in seconds, NaN when the line is missing. */
  seconds: number;
  /** Normalized lines of stdout without the timing line. */
  stdout: string[];
  /** Normalized lines of stderr. */
  stderr: string[];
  status: number | null;
  files: string[];
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;

/**
 * Finds the timing line `LABEL SECONDS` (the last one, should the script
 * print the label earlier for another reason) and returns its value and the
 * other lines. Lines are split on \n with a trailing empty line dropped.
 *
 * @example parseTiming('42\nelapsed 0.115\n', 'elapsed') // { seconds: 0.115, rest: ['42'] }
 */
export function parseTiming(stdout: string, label: string): { seconds: number; rest: string[] } {
  const lines = splitLines(stdout);
  const re = new RegExp(`^${escapeRegExp(label)} (${NUMBER})\\s*$`);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = re.exec(lines[i]!);
    if (m) return { seconds: Number(m[1]), rest: [...lines.slice(0, i), ...lines.slice(i + 1)] };
  }
  return { seconds: NaN, rest: lines };
}

/** Splits text into lines, dropping the empty string after a final newline and any \r. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const ADDR = /0x[0-9a-fA-F]{6,}/g;
const TMPDOT = /\S*objgraph-[A-Za-z0-9_]+\.dot/g;
const FILE = /File "(?:[^"]*\/)?([^"/]+)"/g;

/**
 * Normalizes one output line as the conformance oracle does: addresses,
 * objgraph's temporary DOT name, traceback paths, trailing blanks.
 */
export function normalizeLine(line: string): string {
  return line.replace(TMPDOT, 'objgraph-TMP.dot').replace(ADDR, '0xADDR').replace(FILE, 'File "$1"').trimEnd();
}

/** Splits a run's output into its timing value and its normalized result. */
export function toResult(out: RunOutput, label: string): Result {
  const { seconds, rest } = parseTiming(out.stdout, label);
  return {
    seconds,
    stdout: rest.map(normalizeLine),
    stderr: splitLines(out.stderr).map(normalizeLine),
    status: out.status,
    files: [...out.files].sort(),
  };
}

/**
 * The differences between two results, one readable line each; empty when
 * they are identical. `a` and `b` name the sides in the messages.
 */
export function compareResults(x: Result, y: Result, a = 'refscope', b = 'cpython'): string[] {
  const diffs: string[] = [];
  if (x.status !== y.status) diffs.push(`exit status: ${a} ${x.status}, ${b} ${y.status}`);
  diffs.push(...compareLines('stdout', x.stdout, y.stdout, a, b));
  diffs.push(...compareLines('stderr', x.stderr, y.stderr, a, b));
  if (x.files.join('\n') !== y.files.join('\n')) {
    diffs.push(`files written: ${a} [${x.files.join(', ')}], ${b} [${y.files.join(', ')}]`);
  }
  if (Number.isNaN(x.seconds) !== Number.isNaN(y.seconds)) {
    diffs.push(`timing line: ${a} ${Number.isNaN(x.seconds) ? 'missing' : 'present'}, ${b} ${Number.isNaN(y.seconds) ? 'missing' : 'present'}`);
  }
  return diffs;
}

/** Reports the first differing line (with its number) and the line counts. */
function compareLines(what: string, x: string[], y: string[], a: string, b: string): string[] {
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) {
      const show = (s: string | undefined) => (s === undefined ? '(no line)' : JSON.stringify(s));
      const counts = x.length !== y.length ? ` (${a} ${x.length} lines, ${b} ${y.length})` : '';
      return [`${what} line ${i + 1} differs${counts}:\n    ${a}: ${show(x[i])}\n    ${b}: ${show(y[i])}`];
    }
  }
  return [];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
