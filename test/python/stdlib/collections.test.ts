// collections: defaultdict owns its factory, deque owns its items, namedtuple classes are tuple subclasses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dedent, py } from './run.js';

const test = suite('stdlib/collections');

test('defaultdict calls the factory for missing keys and references it (GC-visible)', () => {
  const { out } = py(dedent(`
    import collections, gc
    d = collections.defaultdict(list)
    d["a"].append(1)
    print(d, d.default_factory, gc.get_referents(d)[0] is list)
    e = collections.defaultdict()
    try:
        e["x"]
    except KeyError as k:
        print("KeyError", k)
  `));
  assert.is(out, "defaultdict(<class 'list'>, {'a': [1]}) <class 'list'> True\nKeyError 'x'\n");
});

test('deque: maxlen drops from the other end, rotate, repr, refcounts of items', () => {
  const { out } = py(dedent(`
    import collections, sys
    x = object()
    d = collections.deque([1, 2, 3], maxlen=3)
    d.append(4)
    d.appendleft(0)
    print(d, d.maxlen)
    d.rotate(-1)
    print(list(d), len(d), 2 in d)
    e = collections.deque()
    e.append(x)
    print(sys.getrefcount(x))
    e.clear()
    print(sys.getrefcount(x), bool(e))
  `));
  assert.is(out, 'deque([0, 2, 3], maxlen=3) 3\n[2, 3, 0] 3 True\n3\n2 False\n');
});

test('a deque holding its owner is a collectable cycle', () => {
  const { out } = py(dedent(`
    import collections, gc
    gc.disable()
    class Q:
        def __init__(self):
            self.items = collections.deque([self])
    q = Q()
    del q
    print(gc.collect())
  `));
  assert.is(out, '2\n');
});

test('namedtuple: fields, repr, _replace, _asdict, errors', () => {
  const { out } = py(dedent(`
    from collections import namedtuple
    P = namedtuple("P", "x y")
    p = P(1, y=2)
    print(p, p.x, p[1], p._replace(y=5), p._asdict(), P._fields, type(p).__mro__[1])
    try:
        P(1)
    except TypeError as e:
        print(e)
  `));
  assert.is(out, "P(x=1, y=2) 1 2 P(x=1, y=5) {'x': 1, 'y': 2} ('x', 'y') <class 'tuple'>\nP.__new__() missing 1 required positional argument: 'y'\n");
});

test('OrderedDict and Counter', () => {
  const { out } = py(dedent(`
    from collections import OrderedDict, Counter
    o = OrderedDict(a=1, b=2, c=3)
    o.move_to_end("a")
    o.move_to_end("c", last=False)
    print(o, o.popitem(), o.popitem(last=False))
    print(Counter("abracadabra").most_common(2))
  `));
  assert.is(out, "OrderedDict([('b', 2)]) ('a', 1) ('c', 3)\n[('a', 5), ('b', 2)]\n");
});

test.run();
