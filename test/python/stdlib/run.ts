// Runs a small script through runSource and returns stdout+stderr and the exit status.
import { runSource } from '../../../lib/python/run.js';

export function py(source: string): { out: string; code: number } {
  let out = '';
  const r = runSource(source.replace(/^\n/, ''), 'test.py', { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  return { out, code: r.exitCode };
}

/** Dedents a template literal so scripts can be indented in the test source. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
