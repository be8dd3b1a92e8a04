// io.StringIO, open(), and the weakref containers and finalize.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dedent, py } from './run.js';

const test = suite('stdlib/io+weakref');

test('StringIO as print(file=) target; open() errors like CPython', () => {
  const { out } = py(dedent(`
    import io
    b = io.StringIO()
    print("x", 1, file=b)
    print(repr(b.getvalue()))
    with open("/dev/null", "w") as f:
        f.write("gone")
    print(f.closed)
    try:
        open("missing-file")
    except FileNotFoundError as e:
        print(e)
  `));
  assert.is(out, "'x 1\\n'\nTrue\n[Errno 2] No such file or directory: 'missing-file'\n");
});

test('WeakValueDictionary entry freed by its own callback counts in collect()', () => {
  const { out } = py(dedent(`
    import weakref, gc
    gc.disable()
    gc.collect()
    class A:
        pass
    d = weakref.WeakValueDictionary()
    a = A()
    a.me = a
    d["a"] = a
    del a
    print(len(d), gc.collect(), len(d))
  `));
  assert.is(out, '1 2 0\n');
});

test('WeakKeyDictionary and WeakSet forget dead keys', () => {
  const { out } = py(dedent(`
    import weakref
    class K:
        pass
    k = K()
    d = weakref.WeakKeyDictionary()
    d[k] = 1
    s = weakref.WeakSet([k])
    print(len(d), len(s), k in s, d[k])
    del k
    print(len(d), len(s))
  `));
  assert.is(out, '1 1 True 1\n0 0\n');
});

test('finalize runs once, at death, early, or at exit', () => {
  const { out } = py(dedent(`
    import weakref
    class R:
        pass
    a = R()
    f = weakref.finalize(a, print, "a")
    del a
    print(f.alive)
    b = R()
    g = weakref.finalize(b, print, "b at exit")
    print("end")
  `));
  assert.is(out, 'a\nFalse\nend\nb at exit\n');
});

test.run();
