// Compiler tests: small programs compiled with the symbol table's scopes and
// run end to end. Expected output is what CPython 3.11.7 / 2.7.18 print for
// the same program saved as x.py (stdout, stderr and the exit status).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CompileError, compileModule } from '../../lib/python/compiler.js';
import { runSource } from '../../lib/python/run.js';
import { PySyntaxError } from '../../lib/python/syntax/errors.js';
import { parse } from '../../lib/python/syntax/parser.js';
import { loadFixtures } from './syntax/fixtures.js';

interface Case {
  name: string;
  profile: '3.11' | '2.7';
  source: string;
  stdout: string;
  stderr: string;
  exit: number;
}

function run(c: Case): { stdout: string; stderr: string; exit: number } {
  let stdout = '';
  let stderr = '';
  const r = runSource(c.source, 'x.py', { python: c.profile, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { stdout, stderr, exit: r.exitCode };
}

const CASES: Case[] = [
  {
    name: 'closure: cells and frees, parameter moved into its cell',
    profile: '3.11',
    source: `def outer(a, b=2, *args, k, **kw):
    x = 1
    def inner():
        nonlocal x
        x += a
        return x, b
    return inner
f = outer(10, k=3)
print(f(), f(), f.__code__.co_freevars)
print(outer.__code__.co_varnames, outer.__code__.co_cellvars)
`,
    stdout: `(11, 2) (21, 2) ('a', 'b', 'x')
('a', 'b', 'k', 'args', 'kw', 'inner') ('a', 'b', 'x')
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'nested functions: free variable passed through an intermediate scope',
    profile: '3.11',
    source: `def f():
    x = 'x'
    def g():
        def h():
            return x
        return h
    return g
print(f()()(), f.__code__.co_cellvars, f().__code__.co_freevars)
def late():
    fs = [lambda: i for i in range(3)]
    i = 'unused'
    return [g() for g in fs]
print(late())
`,
    stdout: `x ('x',) ('x',)
[2, 2, 2]
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'qualnames of functions, lambdas, classes and comprehensions',
    profile: '3.11',
    source: `def f():
    class C:
        def m(self):
            return [lambda: 0 for _ in 'a'][0]
    return C
print(f().__qualname__, f().m.__qualname__, f()().m().__qualname__)
def g():
    global h
    def h(): pass
g()
print(h.__qualname__, (lambda: (lambda: 0))().__qualname__)
`,
    stdout: `f.<locals>.C f.<locals>.C.m f.<locals>.C.m.<locals>.<listcomp>.<lambda>
h <lambda>.<locals>.<lambda>
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'class cell: super() and __class__, also from a nested function',
    profile: '3.11',
    source: `class A:
    def who(self):
        return 'A'
class B(A):
    def who(self):
        def up():
            return __class__.__name__
        return super().who() + up()
print(B().who(), B.who.__code__.co_freevars)
class C:
    x = 1
    def m(self):
        return __class__ is C
print(C().m())
`,
    stdout: `AB ('__class__',)
True
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'class body: names skip the class scope; free names read the namespace first',
    profile: '3.11',
    source: `def f():
    v = 'outer'
    class D:
        w = v
        def get(self):
            return v
    return D.w, D().get(), D.__dict__.get('v')
print(f())
def bound_later():
    u = 'cell'
    class D:
        try:
            w = u
        except NameError:
            w = 'NameError'  # u is bound in the class body: looked up by name, not in the cell
        u = 'class'
    return D.w
print(bound_later())
def g():
    y = 'cell'
    class E:
        y = 'ns'
        z = y
        def m(self):
            return y
    return E.z, E().m()
print(g())
`,
    stdout: `('outer', 'outer', None)
NameError
('ns', 'cell')
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'comprehensions are scopes in 3.11; walrus binds in the enclosing function',
    profile: '3.11',
    source: `x = 'module'
squares = [x * x for x in range(4)]
print(x, squares, {k: v for k, v in [(1, 2)]}, {s for s in 'aa'})
def w():
    if any((n := v) > 2 for v in range(5)):
        return n
print(w())
class K:
    items = [1, 2]
    doubled = [i * 2 for i in items]
print(K.doubled)
`,
    stdout: `module [0, 1, 4, 9] {1: 2} {'a'}
3
[2, 4]
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'generators and global/nonlocal',
    profile: '3.11',
    source: `counter = 0
def bump():
    global counter
    counter += 1
    return counter
def gen(n):
    total = 0
    def add(v):
        nonlocal total
        total += v
    for i in range(n):
        add(i)
        yield total
print(list(gen(4)), bump(), bump(), counter)
def outer():
    def inner():
        global late
        late = 'set'
    inner()
outer()
print(late)
`,
    stdout: `[0, 1, 3, 6] 1 2 2
set
`,
    stderr: '',
    exit: 0,
  },
  {
    name: '2.7: list comprehensions run inline and leak their loop variable',
    profile: '2.7',
    source: `l = [x for x in range(3)]
print x, l
def f():
    y = [a * b for a in range(3) for b in (1, 2) if a]
    return y, a, b, f.__code__.co_varnames
print f()
g = list(z for z in range(2))
s = {w for w in 'ab'}
print 'z' in dir(), 'w' in dir()
def gen():
    [(yield v) for v in 'ab']
print list(gen())
`,
    stdout: `2 [0, 1, 2]
([1, 2, 2, 4], 2, 2, ('a', 'b', 'y'))
False False
['a', 'b']
`,
    stderr: '',
    exit: 0,
  },
  {
    name: "SyntaxError: 'return' outside function",
    profile: '3.11',
    source: `x = 1
return x
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    return x
    ^^^^^^^^
SyntaxError: 'return' outside function
`,
    exit: 1,
  },
  {
    name: "SyntaxError: 'break' outside loop (a def resets the loop)",
    profile: '3.11',
    source: `for x in y:
    def f():
        break
`,
    stdout: '',
    stderr: `  File "x.py", line 3
    break
    ^^^^^
SyntaxError: 'break' outside loop
`,
    exit: 1,
  },
  {
    name: "SyntaxError: 'continue' not properly in loop",
    profile: '3.11',
    source: `while x:
    pass
else:
    continue
`,
    stdout: '',
    stderr: `  File "x.py", line 4
    continue
    ^^^^^^^^
SyntaxError: 'continue' not properly in loop
`,
    exit: 1,
  },
  {
    name: "SyntaxError: 'yield' outside function",
    profile: '3.11',
    source: `class C:
    yield 1
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    yield 1
    ^^^^^^^
SyntaxError: 'yield' outside function
`,
    exit: 1,
  },
  {
    name: "SyntaxError: 'yield' inside list comprehension",
    profile: '3.11',
    source: `def f():
    return [(yield x) for x in y]
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    return [(yield x) for x in y]
             ^^^^^^^
SyntaxError: 'yield' inside list comprehension
`,
    exit: 1,
  },
  {
    name: "SyntaxError: 'await' outside async function",
    profile: '3.11',
    source: `def f():
    return await x
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    return await x
           ^^^^^^^
SyntaxError: 'await' outside async function
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: duplicate argument',
    profile: '3.11',
    source: 'def f(a, b, *, a): pass\n',
    stdout: '',
    stderr: `  File "x.py", line 1
    def f(a, b, *, a): pass
                   ^
SyntaxError: duplicate argument 'a' in function definition
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: nonlocal at module level',
    profile: '3.11',
    source: 'nonlocal x\n',
    stdout: '',
    stderr: `  File "x.py", line 1
    nonlocal x
    ^^^^^^^^^^
SyntaxError: nonlocal declaration not allowed at module level
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: no binding for nonlocal',
    profile: '3.11',
    source: `def f():
    def g():
        nonlocal x
`,
    stdout: '',
    stderr: `  File "x.py", line 3
    nonlocal x
    ^^^^^^^^^^
SyntaxError: no binding for nonlocal 'x' found
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: assigned to before global declaration',
    profile: '3.11',
    source: `def f():
    x = 1
    global x
`,
    stdout: '',
    stderr: `  File "x.py", line 3
    global x
    ^^^^^^^^
SyntaxError: name 'x' is assigned to before global declaration
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: parameter and nonlocal',
    profile: '3.11',
    source: `def f(x):
    def g(x):
        nonlocal x
`,
    stdout: '',
    stderr: `  File "x.py", line 3
    nonlocal x
    ^^^^^^^^^^
SyntaxError: name 'x' is parameter and nonlocal
`,
    exit: 1,
  },
  {
    name: "SyntaxError: can't use starred expression here",
    profile: '3.11',
    source: 'x = *a\n',
    stdout: '',
    stderr: `  File "x.py", line 1
    x = *a
        ^^
SyntaxError: can't use starred expression here
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: multiple starred expressions',
    profile: '3.11',
    source: 'a, *b, *c = range(5)\n',
    stdout: '',
    stderr: `  File "x.py", line 1
    a, *b, *c = range(5)
    ^^^^^^^^^
SyntaxError: multiple starred expressions in assignment
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: walrus in a class-level comprehension',
    profile: '3.11',
    source: `class C:
    [(z := 1) for x in y]
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    [(z := 1) for x in y]
      ^
SyntaxError: assignment expression within a comprehension cannot be used in a class body
`,
    exit: 1,
  },
  {
    name: 'SyntaxError: a compile-time error stops the script before it runs',
    profile: '3.11',
    source: `print('never printed')
def f():
    x = 1
    nonlocal x
`,
    stdout: '',
    stderr: `  File "x.py", line 4
    nonlocal x
    ^^^^^^^^^^
SyntaxError: name 'x' is assigned to before nonlocal declaration
`,
    exit: 1,
  },
  {
    name: "2.7 SyntaxError: 'return' with argument inside generator",
    profile: '2.7',
    source: `def g():
    yield 1
    return 2
`,
    stdout: '',
    stderr: `  File "x.py", line 3
    return 2
SyntaxError: 'return' with argument inside generator
`,
    exit: 1,
  },
  {
    name: "2.7 SyntaxError: 'continue' not supported inside 'finally' clause",
    profile: '2.7',
    source: `while 1:
    try:
        pass
    finally:
        continue
`,
    stdout: '',
    stderr: `  File "x.py", line 5
    continue
SyntaxError: 'continue' not supported inside 'finally' clause
`,
    exit: 1,
  },
  {
    name: '2.7 SyntaxError: name is local and global',
    profile: '2.7',
    source: `def f(x):
    global x
`,
    stdout: '',
    stderr: `  File "x.py", line 1
    def f(x):
SyntaxError: name 'x' is local and global
`,
    exit: 1,
  },
  {
    name: "2.7 SyntaxError: 'return' outside function",
    profile: '2.7',
    source: `print 'never'
return
`,
    stdout: '',
    stderr: `  File "x.py", line 2
    return
SyntaxError: 'return' outside function
`,
    exit: 1,
  },
];

const compiler = suite('python: compiler');
for (const c of CASES) {
  compiler(c.name, () => {
    assert.equal(run(c), { stdout: c.stdout, stderr: c.stderr, exit: c.exit });
  });
}

// Deterministic PRNG so a failure reproduces.
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}
compiler('broken programs end as SyntaxErrors, never as internal errors', () => {
  const big = loadFixtures('ast-3.11.txt').map((f) => f.input).join('\n');
  const r = rng(7);
  for (let k = 0; k < 800; k++) {
    const a = Math.floor(r() * big.length);
    const b = a + Math.floor(r() * 200);
    const src = r() < 0.5 ? big.slice(0, a) : big.slice(0, a) + big.slice(b, b + 300);
    for (const profile of ['3.11', '2.7'] as const) {
      try {
        compileModule(parse(src, 'x.py', profile), 'x.py', { py2: profile === '2.7', source: src });
      } catch (e) {
        if (!(e instanceof PySyntaxError || e instanceof CompileError)) assert.unreachable(`raw ${String(e)} for ${JSON.stringify(src.slice(-80))}`);
      }
    }
  }
});
compiler.run();
