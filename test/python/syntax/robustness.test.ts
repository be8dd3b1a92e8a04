import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../../../lib/python/syntax/parser.js';
import { buildSymtable } from '../../../lib/python/syntax/symtable.js';
import { PySyntaxError } from '../../../lib/python/syntax/errors.js';
import { loadFixtures } from './fixtures.js';

const programs = loadFixtures('ast-3.11.txt').map((f) => f.input);
const big = programs.join('\n');

// Deterministic PRNG so a failure reproduces.
function rng(seed: number) {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

const robust = suite('syntax: robustness');
robust('random truncations and splices raise only PySyntaxError', () => {
  const r = rng(42);
  for (let k = 0; k < 3000; k++) {
    const a = Math.floor(r() * big.length), b = a + Math.floor(r() * 200);
    const src = r() < 0.5 ? big.slice(0, a) : big.slice(0, a) + big.slice(b, b + 300);
    for (const profile of ['3.11', '2.7'] as const) {
      try { buildSymtable(parse(src, 'x.py', profile), src, 'x.py', profile); }
      catch (e) { if (!(e instanceof PySyntaxError)) assert.unreachable(`raw ${String(e)} for ${JSON.stringify(src.slice(-80))}`); }
    }
  }
});
// A large file parses completely and keeps its positions. (How fast it parses
// is a benchmark concern, not a test's: timings on shared machines are noise.)
robust('a 1000-line file parses completely, positions intact', () => {
  const unit = 'def f(a, b=1, *c, **d):\n    x = [i * 2 for i in range(a) if i % 3]\n    if x and b:\n        return {k: v for k, v in d.items()}\n    return f"{a!r:>10} {b}"\n';
  const src = unit.repeat(200);
  const mod = parse(src, 'x.py', '3.11');
  assert.is(mod.body.length, 200);
  assert.ok(mod.body.every((s) => s.kind === 'FunctionDef'));
  const last = mod.body[199] as { lineno: number; end_lineno?: number };
  assert.is(last.lineno, 996);
  assert.is(last.end_lineno, 1000);
});
robust.run();
