// functools: partial and lru_cache hold strong references; wraps copies metadata.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dedent, py } from './run.js';

const test = suite('stdlib/functools');

test('partial: attributes, repr, flattening, call merging', () => {
  const { out } = py(dedent(`
    import functools
    def f(a, b, c=0):
        return (a, b, c)
    p = functools.partial(f, 1, c=3)
    q = functools.partial(p, 2)
    print(p(2), p(2, c=4), q(), q.func is f, q.args, q.keywords)
    print(functools.partial(len))
  `));
  assert.is(out, "(1, 2, 3) (1, 2, 4) (1, 2, 3) True (1, 2) {'c': 3}\nfunctools.partial(<built-in function len>)\n");
});

test('a partial bound method of its owner makes a collectable 4-object cycle', () => {
  const { out } = py(dedent(`
    import functools, gc
    gc.disable()
    class B:
        def __init__(self):
            self.cb = functools.partial(self.m, "x")
        def m(self, v):
            return v
    b = B()
    del b
    print(gc.collect())
  `));
  assert.is(out, '4\n');
});

test('lru_cache: statistics, eviction order, cache holds arguments and results', () => {
  const { out } = py(dedent(`
    import functools, sys
    @functools.lru_cache(maxsize=2)
    def sq(n):
        return n * n
    for n in (1, 2, 1, 3, 2):
        sq(n)
    print(sq.cache_info())
    class K:
        pass
    k = K()
    @functools.lru_cache(maxsize=None)
    def ident(x):
        return x
    before = sys.getrefcount(k)
    ident(k)
    print(sys.getrefcount(k) - before, ident.__name__, ident.__wrapped__.__name__)
    ident.cache_clear()
    print(sys.getrefcount(k) - before)
  `));
  assert.is(out, 'CacheInfo(hits=1, misses=4, maxsize=2, currsize=2)\n2 ident ident\n0\n');
});

test('lru_cache on a method binds self; the cache keeps instances alive', () => {
  const { out } = py(dedent(`
    import functools, gc
    class R:
        def __init__(self, n):
            self.n = n
        @functools.lru_cache(maxsize=None)
        def total(self):
            return self.n * 2
    print([R(i).total() for i in range(3)])
    print(len([o for o in gc.get_objects() if type(o) is R]))
    R.total.cache_clear()
    print(len([o for o in gc.get_objects() if type(o) is R]))
  `));
  assert.is(out, '[0, 2, 4]\n3\n0\n');
});

test('reduce, cmp_to_key, wraps', () => {
  const { out } = py(dedent(`
    import functools
    print(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]))
    print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
    try:
        functools.reduce(max, [])
    except TypeError as e:
        print(e)
  `));
  assert.is(out, '24\n[3, 2, 1]\nreduce() of empty iterable with no initial value\n');
});

test.run();
