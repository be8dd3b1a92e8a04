// The Python 2.7 profile: small scripts run with runSource(..., { python: '2.7' })
// against the output CPython 2.7.18 printed for the same program saved as x.py
// (stdout, stderr and the exit status; addresses normalized to 0xADDR).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runSource } from '../../lib/python/run.js';

interface Case {
  name: string;
  source: string;
  stdout: string;
  stderr: string;
  exit: number;
}

const addr = (s: string) => s.replace(/0x[0-9a-fA-F]{6,}/g, '0xADDR');

function run(c: Case): { stdout: string; stderr: string; exit: number } {
  let stdout = '';
  let stderr = '';
  const r = runSource(c.source, 'x.py', { python: '2.7', stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { stdout: addr(stdout), stderr: addr(stderr), exit: r.exitCode };
}

const CASES: Case[] = [
  {
    name: "exception reprs keep the 1-tuple comma; 'cannot concatenate' message",
    source: `try:
    {}["k"]
except KeyError, e:
    print repr(e), e.args, repr(ValueError()), repr(ValueError(1, 2))
try:
    "a" + 1
except TypeError, e:
    print e
try:
    "a" + None
except TypeError, e:
    print e
print "a" + "b"
`,
    stdout: `KeyError('k',) ('k',) ValueError() ValueError(1, 2)
cannot concatenate 'str' and 'int' objects
cannot concatenate 'str' and 'NoneType' objects
ab
`,
    stderr: '',
    exit: 0,
  },
  {
    name: "old-style instances: __del__ on refcount death, weakref callbacks before __del__, unraisable \"Exception ... ignored\" lines",
    source: `import weakref, gc
class Old:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print "__del__", self.name
def cb(r):
    print "callback", r() is None
a = Old("a")
r = weakref.ref(a, cb)
print weakref.getweakrefcount(a), r() is a
del a
print r()
class P:
    pass
p = P()
rp = weakref.ref(P)
print rp() is P
class N(object):
    def __del__(self):
        print "N.__del__"
n = N()
w = weakref.ref(n, cb)
n = None
class E:
    def __del__(self):
        raise ValueError("in del")
e = E()
del e
class F(object):
    def __del__(self):
        {}["k"]
f = F()
del f
print "done"
`,
    stdout: `1 True
callback True
__del__ a
None
True
callback True
N.__del__
done
`,
    stderr: `Exception ValueError: ValueError('in del',) in <bound method E.__del__ of <__main__.E instance at 0xADDR>> ignored
Exception KeyError: ('k',) in <bound method F.__del__ of <__main__.F object at 0xADDR>> ignored
`,
    exit: 0,
  },
  {
    name: 'old-style classes: __name__, __bases__, __doc__, descriptors, attribute errors',
    source: `class Base:
    kind = "base"
    def hello(self):
        return "hello " + self.kind
    @staticmethod
    def s(x):
        return x * 2
    @classmethod
    def c(cls):
        return cls.__name__
class Old(Base):
    """doc"""
    kind = "old"
print Old.__name__, Old.__module__, Old.__doc__, Base.__doc__, [b.__name__ for b in Old.__bases__]
print Old.kind, Old().hello(), Old.hello(Old()), Old.s(4), Old.c(), Old().c()
print sorted(Old.__dict__.keys())
try:
    Old.missing
except AttributeError, e:
    print e
try:
    Old().missing
except AttributeError, e:
    print e
o = Old()
o.kind = "mine"
print o.hello(), o.__dict__, o.__class__ is Old, isinstance(o, Base), issubclass(Old, Base)
Old.extra = 5
print o.extra, getattr(Old, "extra"), hasattr(Old, "nope")
`,
    stdout: `Old __main__ doc None ['Base']
old hello old hello old 8 Old Old
['__doc__', '__module__', 'kind']
class Old has no attribute 'missing'
Old instance has no attribute 'missing'
hello mine {'kind': 'mine'} True True True
5 5 False
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'new-style class with a classic base: MRO and lookups through the classobj',
    source: `class Old:
    greeting = "hi"
    def hello(self):
        return self.greeting + " from " + type(self).__name__
class Mixed(Old, object):
    pass
m = Mixed()
print m.hello(), Mixed.greeting, type(m).__name__, Mixed.__bases__[0].__name__
Old.greeting = "hey"
print m.hello(), len(Mixed.__mro__), str(Old), Mixed.__mro__[1] is Old
`,
    stdout: `hi from Mixed hi Mixed Old
hey from Mixed 3 __main__.Old True
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'gc debug lines of old-style instances under DEBUG_INSTANCES / DEBUG_OBJECTS; __del__ cycles go to gc.garbage',
    source: `import gc
class Old:
    pass
class DelOld:
    def __del__(self):
        print "never in a cycle"
gc.disable()
gc.collect()
for flags in (gc.DEBUG_COLLECTABLE, gc.DEBUG_COLLECTABLE | gc.DEBUG_INSTANCES, gc.DEBUG_COLLECTABLE | gc.DEBUG_OBJECTS, gc.DEBUG_COLLECTABLE | gc.DEBUG_INSTANCES | gc.DEBUG_OBJECTS):
    gc.set_debug(flags)
    o = Old(); o.me = o
    del o
    print flags, gc.collect()
gc.set_debug(0)
a, b = DelOld(), DelOld()
a.b, b.a = b, a
del a, b
print gc.collect(), len(gc.garbage), type(gc.garbage[0]).__name__, gc.garbage[0].__class__.__name__
for g in gc.garbage:
    g.__dict__.clear()
del g
del gc.garbage[:]
print gc.collect()
`,
    stdout: `2 2
10 2
18 2
26 2
4 2 instance DelOld
never in a cycle
never in a cycle
0
`,
    stderr: `gc: collectable <Old instance at 0xADDR>
gc: collectable <instance 0xADDR>
gc: collectable <dict 0xADDR>
gc: collectable <Old instance at 0xADDR>
gc: collectable <dict 0xADDR>
`,
    exit: 0,
  },
  {
    name: 'xrange type and repr; range/zip/map/filter build lists; reduce, cmp; 2.7 iterator type names',
    source: `d = {1: 2}
print [type(x).__name__ for x in (iter([]), iter(()), iter(set()), iter(d), d.itervalues(), d.iteritems(), iter(xrange(3)), iter("ab"), iter(lambda: 1, 2), xrange(1))]
print repr(xrange(5)), repr(xrange(1, 5)), repr(xrange(10, 0, -3)), repr(xrange(0)), repr(xrange(3, 1)), xrange(2, 9, 3)[1], len(xrange(10, 0, -3))
try:
    xrange(3)[5]
except IndexError as e:
    print e
print 2 in xrange(3), list(d.iteritems()), list(d.itervalues()), sum(xrange(101))
print type(zip()), map(None, [1, 2], [3]), map(lambda a, b: (a, b), [1], [2, 3]), filter(None, "a b"), filter(None, (0, 1)), map(None, [1, 2])
print range(3, 0), range(-2), range(1, 10, 4), zip("ab", [1, 2, 3], (7, 8)), filter(lambda c: c > "a", "abc")
try:
    range(1.5)
except TypeError as e:
    print e
for args in ((1, 2, 0),):
    try:
        xrange(*args)
    except ValueError as e:
        print e
    try:
        range(*args)
    except ValueError as e:
        print e
print reduce(lambda a, b: a + b, [1, 2, 3], 10), cmp(2, 1), cmp("a", "a"), cmp([1], [2])
try:
    reduce(lambda a, b: a, [])
except TypeError as e:
    print e
`,
    stdout: `['listiterator', 'tupleiterator', 'setiterator', 'dictionary-keyiterator', 'dictionary-valueiterator', 'dictionary-itemiterator', 'rangeiterator', 'iterator', 'callable-iterator', 'xrange']
xrange(5) xrange(1, 5) xrange(10, -2, -3) xrange(0) xrange(3, 3) 5 4
xrange object index out of range
True [(1, 2)] [2] 5050
<type 'list'> [(1, 3), (2, None)] [(1, 2), (None, 3)] a b (1,) [1, 2]
[] [] [1, 5, 9] [('a', 1, 7), ('b', 2, 8)] bc
range() integer end argument expected, got float.
xrange() arg 3 must not be zero
range() step argument must not be zero
16 1 0 -1
reduce() of empty sequence with no initial value
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'integer division, long type and reprs, sys.maxint, round, float str with 12 digits',
    source: `import sys
print 7 / 2, -7 / 2, 7 // 2, 7.0 / 2, 7 % 3, -7 % 3, 1 / 2.0
print 2 ** 62, 2 ** 64, type(2 ** 62).__name__, type(2 ** 64).__name__
print 10L, repr(10L), long(5), repr(long("12")), int(3.9), round(2.5), round(-2.5), round(3), round(2.675, 2), round(0.125, 2)
x = 5L
print repr(x + 1), repr(x * 2), repr(-x), repr(abs(-x)), repr(x // 2), x == 5, hash(x) == hash(5), {5: "five"}[x]
print sys.maxint, type(sys.maxint + 1).__name__, repr(sys.maxint + 1), type(-sys.maxint - 1).__name__
print repr(int(10L)), repr(int("99999999999999999999")), type(2 ** 63 - 1).__name__
print 1 / 3.0, 0.1 + 0.2, 1e16, float("inf"), 2.5, 1e-5, 123456789.123
print divmod(-7, 2), abs(-3L), cmp(1, 2), cmp("b", "a")
try:
    1 / 0
except ZeroDivisionError, e:
    print e
try:
    1 % 0
except ZeroDivisionError, e:
    print e
try:
    1.0 / 0
except ZeroDivisionError, e:
    print e
`,
    stdout: `3 -4 3 3.5 1 2 0.5
4611686018427387904 18446744073709551616 int long
10 10L 5 12L 3 3.0 -3.0 3.0 2.67 0.13
6L 10L -5L 5L 2L True True five
9223372036854775807 long 9223372036854775808L int
10 99999999999999999999L long
0.333333333333 0.3 1e+16 inf 2.5 1e-05 123456789.123
(-4, 1) 3 -1 1
integer division or modulo by zero
integer division or modulo by zero
float division by zero
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'from __future__ import division makes / true division',
    source: `from __future__ import division, print_function
print(7 / 2, 7 // 2, -7 / 2, 1 / 3, 6 / 3, 7.0 / 2, 2 ** 64 / 2 ** 63)
def f(a, b):
    return a / b
x = 9
x /= 2
print(f(9, 3), x, sep=", ")
try:
    1 / 0
except ZeroDivisionError as e:
    print(e)
`,
    stdout: `3.5 3 -3.5 0.333333333333 2.0 3.5 2.0
3.0, 4.5
division by zero
`,
    stderr: '',
    exit: 0,
  },
  {
    name: 'print statement: softspace, >>file, item-by-item evaluation, line flushed at exit',
    source: `import sys
print "a",
sys.stdout.write("b")
print "c",
print "d\\n",
print "e",
print "\\t",
print 1
print >>sys.stderr, "err", 2
print >>sys.stdout, "x",
print >>None, "y"
a = [1, 2]
print a.pop(), a
print repr(sys.stdout)[:22], sys.stdout.write("w\\n"), type(sys.stderr).__name__
print 1.0 / 3, 2.5, [0.1], str(0.1 + 0.2), repr(0.1 + 0.2)
print "end",
`,
    stdout: `abc d
e 	1
x y
2 [1]
<open file '<stdout>',w
None file
0.333333333333 2.5 [0.1] 0.3 0.30000000000000004
end
`,
    stderr: `err 2
`,
    exit: 0,
  },
  {
    name: 'generator.next(), instancemethod, oct/hex forms, mixed-type ordering, 12-digit float str',
    source: `def g():
    yield 1
    yield 2
it = g()
print it.next(), it.next(), type(g()).__name__
try:
    it.next()
except StopIteration:
    print "stopped"
class C(object):
    def m(self):
        pass
print type(C().m).__name__, type(len).__name__
print oct(8), oct(0), oct(-8), hex(255), hex(255L), oct(8L), hex(-1)
print 3 > None, "a" < 1, [] > {}, sorted([(1, "b"), (1, "a")])
print "%d%%" % 5, "%5.1f|" % 2.25, "{0}-{1}".format(1, "a")
print 1e100, 1.5e-7, 100000000000.0, 1234567890123.0, float(10 ** 16)
`,
    stdout: `1 2 generator
stopped
instancemethod builtin_function_or_method
010 0 -010 0xff 0xffL 010L -0x1
True False True [(1, 'a'), (1, 'b')]
5%   2.2| 1-a
1e+100 1.5e-07 1e+11 1.23456789012e+12 1e+16
`,
    stderr: '',
    exit: 0,
  },
];

const py27 = suite('python: 2.7 profile');
for (const c of CASES) {
  py27(c.name, () => {
    assert.equal(run(c), { stdout: c.stdout, stderr: c.stderr, exit: c.exit });
  });
}
py27.run();
