import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, type Profile } from '../../../lib/python/syntax/parser.js';
import { buildSymtable, type Scope } from '../../../lib/python/syntax/symtable.js';

function table(src: string, profile: Profile = '3.11') {
  return buildSymtable(parse(src, 'x.py', profile), src, 'x.py', profile);
}
/** Finds a scope by a path of names ('f/g/<listcomp>'). */
function scope(top: Scope, path: string): Scope {
  let s = top;
  for (const part of path.split('/')) {
    const c = s.children.find((x) => x.name === part);
    assert.ok(c, `no scope ${part} in ${s.name}`);
    s = c!;
  }
  return s;
}
const code = (s: Scope) => ({ varnames: s.varnames, cellvars: s.cellvars, freevars: s.freevars });

// Expectations are CPython 3.11.7's co_varnames / co_cellvars / co_freevars.
const sym = suite('syntax: symtable');
sym('closure: cell in outer, free in inner', () => {
  const t = table('def f(a):\n    b = 1\n    def g():\n        return a + b\n    return g\n');
  assert.equal(code(scope(t.top, 'f')), { varnames: ['a', 'g'], cellvars: ['a', 'b'], freevars: [] });
  assert.equal(code(scope(t.top, 'f/g')), { varnames: [], cellvars: [], freevars: ['a', 'b'] });
});
sym('parameter order: positional, keyword-only, *args, **kwargs', () => {
  const t = table('def f(a, /, b, *args, c, **kw):\n    d = 1\n');
  assert.equal(scope(t.top, 'f').varnames, ['a', 'b', 'c', 'args', 'kw', 'd']);
});
sym('pass-through free variable in an intermediate scope', () => {
  const t = table('def f():\n    x = 1\n    def g():\n        def h():\n            return x\n        return h\n    return g\n');
  assert.equal(scope(t.top, 'f').cellvars, ['x']);
  assert.equal(scope(t.top, 'f/g').freevars, ['x']);
  assert.equal(scope(t.top, 'f/g/h').freevars, ['x']);
});
sym('3.11 comprehension is a function with .0', () => {
  const t = table('def f(xs):\n    return [x * y for x in xs for y in x]\n');
  const c = scope(t.top, 'f/<listcomp>');
  assert.equal(c.varnames, ['.0', 'x', 'y']);
  assert.ok(c.isComprehension);
});
sym('2.7 list comprehension runs inline, genexp does not', () => {
  const t = table('def f(xs):\n    a = [x for x in xs]\n    b = (y for y in xs)\n', '2.7');
  const f = scope(t.top, 'f');
  assert.equal(f.varnames, ['xs', 'x', 'a', 'b']);
  assert.equal(f.children.map((c) => c.name), ['<genexpr>']);
});
sym('nested comprehension closes over the outer comprehension variable', () => {
  const t = table('def f(z):\n    return [[x + y for y in z] for x in z]\n');
  const outer = scope(t.top, 'f/<listcomp>');
  assert.equal(outer.cellvars, ['x']);
  assert.equal(scope(outer, '<listcomp>').freevars, ['x']);
  assert.equal(scope(t.top, 'f').cellvars, ['z']);
});
sym('class scope does not enclose its methods', () => {
  const t = table('def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self):\n            return x\n    return C\n');
  assert.equal(scope(t.top, 'f').cellvars, ['x']);
  assert.equal(scope(t.top, 'f/C').freevars, ['x']);
  assert.equal(scope(t.top, 'f/C/m').freevars, ['x']);
});
sym('super() gives the class an implicit __class__ cell', () => {
  const t = table('class C(B):\n    def m(self):\n        return super().m()\n');
  assert.ok(scope(t.top, 'C').needsClassClosure);
  assert.equal(scope(t.top, 'C').cellvars, ['__class__']);
  assert.equal(scope(t.top, 'C/m').freevars, ['__class__']);
});
sym('global and nonlocal', () => {
  const t = table('x = 0\ndef f():\n    global x\n    y = 1\n    def g():\n        nonlocal y\n        y = 2\n        return len(x)\n    return g\n');
  const f = scope(t.top, 'f'), g = scope(t.top, 'f/g');
  assert.equal(f.globals, ['x']);
  assert.equal(f.cellvars, ['y']);
  assert.equal(g.nonlocals, ['y']);
  assert.equal(g.freevars, ['y']);
  assert.equal(g.symbols.get('x'), 'GLOBAL_IMPLICIT');
  assert.equal(g.implicitGlobals, ['len', 'x']);
});
sym('generators', () => {
  const t = table('def g():\n    yield 1\ndef h():\n    return (i for i in ())\n');
  assert.ok(scope(t.top, 'g').isGenerator);
  assert.not.ok(scope(t.top, 'h').isGenerator);
  assert.ok(scope(t.top, 'h/<genexpr>').isGenerator);
});
sym('walrus in a comprehension binds in the enclosing function', () => {
  const t = table('def f(xs):\n    [last := x for x in xs]\n    return last\n');
  assert.equal(scope(t.top, 'f').cellvars, ['last']);
  assert.equal(scope(t.top, 'f/<listcomp>').freevars, ['last']);
});
sym.run();
