// co_stacksize: the stack-effect table must agree with the VM on every
// instruction the compiler emits (a mismatch shows up as a negative depth),
// and a few shapes whose CPython 3.11 figures are known.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileModule, type CodeUnit } from '../../lib/python/compiler.js';
import { negativeDepths } from '../../lib/python/stackdepth.js';
import { PY_SOURCES } from '../../lib/python/stdlib/py/index.js';
import { parse } from '../../lib/python/syntax/parser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const test = suite('stackdepth');

function* units(u: CodeUnit): Generator<CodeUnit> {
  yield u;
  for (const c of u.consts) if (c.k === 'code') yield* units(c.unit);
}

function compile(source: string, name: string, profile: '3.11' | '2.7'): CodeUnit | null {
  try {
    return compileModule(parse(source, name, profile), name, { py2: profile === '2.7', source });
  } catch {
    return null; // scenarios about syntax errors
  }
}

test('no instruction of the fixtures or the stdlib sources is reached with a negative depth', () => {
  const sources: Array<[string, string, '3.11' | '2.7']> = Object.entries(PY_SOURCES).map(([n, s]) => [`<stdlib>/${n}.py`, s, '3.11']);
  for (const [dir, profile] of [['py311', '3.11'], ['py27', '2.7']] as const) {
    const base = path.join(root, 'fixtures', 'conformance', dir);
    for (const f of readdirSync(base)) if (f.endsWith('.py')) sources.push([`${dir}/${f}`, readFileSync(path.join(base, f), 'utf8'), profile]);
  }
  let checked = 0;
  for (const [name, source, profile] of sources) {
    const top = compile(source, name, profile);
    if (!top) continue;
    for (const u of units(top)) {
      const bad = negativeDepths(u);
      assert.equal(bad, [], `${name}: ${u.qualname} reaches instruction ${bad[0]} (op ${u.code[bad[0] * 2]}) below an empty stack`);
      checked++;
    }
  }
  assert.ok(checked > 500, `only ${checked} code units checked`);
});

test('CPython 3.11 figures', () => {
  const cases: Array<[string, number]> = [
    ['def f(): pass', 1],
    ['def f(a, b): return a + b', 2],
    ['def f(g, a): return g(a, a, a, a)', 6],
    ['def f(xs):\n    for x in xs:\n        for y in xs:\n            for z in xs:\n                pass', 4],
    ['def f(g):\n    try:\n        g()\n    except ValueError:\n        pass', 4],
    ['def f(g):\n    try:\n        g()\n    finally:\n        g(1, 2, 3)', 7],
    ['def f(m):\n    with m:\n        pass', 6],
    ['def f(xs): return sum(x for x in xs)', 4],
    ['def f(a): assert a, "msg"', 2],
    ['def f(g, a, k): return g(*a, x=1, y=2, z=3)', 7],
    ['def f(a, b): return {**a, "x": 1, "y": 2, **b}', 4],
    [`def f(a): return [${Array(35).fill('a').join(', ')}]`, 2],
  ];
  for (const [src, want] of cases) {
    const top = compile(src, 'x.py', '3.11')!;
    const fn = top.consts.find((c) => c.k === 'code');
    assert.is(fn && fn.k === 'code' ? fn.unit.stacksize : -1, want, src);
  }
});

test.run();
