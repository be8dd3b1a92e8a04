// objgraph's internal views of the live heap (lib/objgraph/live.ts): the
// reverse index against a brute-force gc.get_referrers scan on random heaps,
// and per-class counting against naming every object.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PyDict } from '../../lib/heap/containers.js';
import type { PyObject } from '../../lib/heap/object.js';
import {
  classCounts,
  classNameIs,
  forEachTracked,
  longTypeName,
  nameClass,
  namedCounts,
  referents,
  ReferrerIndex,
  shortTypeName,
} from '../../lib/objgraph/live.js';
import type { Interpreter } from '../../lib/python/interp.js';
import { runSource } from '../../lib/python/run.js';

/**
 * A script building a random object graph from a seeded LCG: lists, dicts
 * with str and int keys, tuples (some untracked after a collection),
 * instances with attributes, sets, ints and strs, with random edges,
 * self-references and unreachable cycles. `refscope.snapshot('heap')` hands
 * the interpreter to `inspect` while the graph is alive.
 */
function randomHeapScript(seed: number, n: number, collect: boolean): string {
  return `import gc, refscope
class Node:
    pass
class Other(object):
    __slots__ = ('a', 'b')
seed = ${seed}
def rnd(k):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % k
pool = []
for i in range(${n}):
    kind = rnd(8)
    if kind == 0:
        pool.append([])
    elif kind == 1:
        pool.append({})
    elif kind == 2:
        pool.append(Node())
    elif kind == 3:
        o = Other()
        o.a = None
        o.b = None
        pool.append(o)
    elif kind == 4:
        pool.append(set())
    elif kind == 5:
        pool.append(i * 1000003)
    elif kind == 6:
        pool.append("s%d" % i)
    else:
        pool.append((i, "t"))
for e in range(${3 * n}):
    src = pool[rnd(len(pool))]
    dst = pool[rnd(len(pool))]
    if type(src) is list:
        src.append(dst)
    elif type(src) is dict:
        if rnd(2):
            src["k%d" % e] = dst
        else:
            src[e] = dst
    elif type(src) is Node:
        setattr(src, "a%d" % rnd(4), dst)
    elif type(src) is Other:
        src.a = dst
    elif type(src) is set:
        if type(dst) in (int, str, tuple):
            src.add(dst)
keep = pool[: ${n} // 2]
for i in range(0, len(pool), 7):
    t = (pool[i], pool[(i * 3) % len(pool)])
    keep.append(t)
del pool
${collect ? 'gc.collect()' : ''}
refscope.snapshot('heap')
`;
}

function withHeap(source: string, inspect: (it: Interpreter) => void): void {
  let seen = false;
  let out = '';
  const r = runSource(source, 'heap.py', {
    stdout: (s) => (out += s),
    stderr: (s) => (out += s),
    onSnapshot: (it) => {
      seen = true;
      inspect(it);
    },
  });
  assert.is(out, '');
  assert.is(r.exitCode, 0);
  assert.ok(seen, 'the script reached refscope.snapshot');
}

/** gc.get_referrers(o) the slow way: every tracked object whose tp_traverse visits o, once, in gc.get_objects() order. */
function bruteReferrers(it: Interpreter, o: PyObject): PyObject[] {
  return it.rt.gc.objects(null).filter((src) => referents(src).includes(o));
}

/** Every object the heap can reach from the tracked ones: tracked objects and their referents. */
function everyObject(it: Interpreter): PyObject[] {
  const all = new Set<PyObject>();
  for (const o of it.rt.gc.objects(null)) {
    all.add(o);
    for (const r of referents(o)) all.add(r);
  }
  return [...all];
}

const Index = suite('objgraph reverse index');

Index('forEachTracked visits what gc.get_objects() lists, in its order', () => {
  withHeap(randomHeapScript(7, 200, false), (it) => {
    const walked: PyObject[] = [];
    forEachTracked(it.rt, (o) => walked.push(o));
    assert.ok(walked.length > 200);
    assert.equal(walked, it.rt.gc.objects(null));
  });
});

for (const [seed, collect] of [
  [1, false],
  [2, true],
  [3, false],
  [4, true],
] as const) {
  Index(`referrers match a brute-force scan for every tracked object (seed ${seed}, ${collect ? 'after' : 'without'} a collection)`, () => {
    withHeap(randomHeapScript(seed, 400, collect), (it) => {
      const tracked = it.rt.gc.objects(null);
      const index = new ReferrerIndex(it, []);
      let nonEmpty = 0;
      let several = 0;
      for (const o of tracked) {
        const got = index.referrers(o);
        assert.equal(got, bruteReferrers(it, o), `referrers of a ${shortTypeName(it, o)}`);
        if (got.length) nonEmpty++;
        if (got.length > 1) several++;
      }
      // The random heap is meant to exercise shared and multiply-referenced objects.
      assert.ok(nonEmpty > 100 && several > 20, `${nonEmpty} objects with referrers, ${several} with several`);
    });
  });
}

Index('untracked roots (ints, strs, untracked tuples) are indexed; other untracked objects need not be', () => {
  withHeap(randomHeapScript(5, 300, true), (it) => {
    const untracked = everyObject(it).filter((o) => o.gcNext === null);
    const kinds = new Set(untracked.map((o) => shortTypeName(it, o)));
    assert.ok(kinds.has('int') && kinds.has('str') && kinds.has('tuple'), [...kinds].join(' '));
    const roots = untracked.filter((_, i) => i % 3 === 0);
    const index = new ReferrerIndex(it, roots);
    for (const o of roots) assert.equal(index.referrers(o), bruteReferrers(it, o), `referrers of a ${shortTypeName(it, o)} root`);
    for (const o of it.rt.gc.objects(null)) assert.equal(index.referrers(o), bruteReferrers(it, o));
  });
});

Index('an allocation since the build rebuilds the index, over every edge', () => {
  withHeap(randomHeapScript(6, 200, true), (it) => {
    const rt = it.rt;
    const target = rt.gc.objects(null).find((o) => shortTypeName(it, o) === 'Node')!;
    const untracked = everyObject(it).find((o) => o.gcNext === null && shortTypeName(it, o) === 'tuple')!;
    assert.ok(target && untracked);
    const index = new ReferrerIndex(it, [target]);
    const before = index.referrers(target);
    assert.equal(before, bruteReferrers(it, target));
    // Untracked and not a root: the first build does not record it.
    assert.equal(index.referrers(untracked), []);
    const holder = rt.newList([it.incref(target), it.incref(untracked)]);
    try {
      const after = index.referrers(target);
      assert.equal(after, bruteReferrers(it, target));
      assert.ok(after.includes(holder));
      assert.equal(index.referrers(untracked), bruteReferrers(it, untracked));
      assert.ok(index.referrers(untracked).includes(holder));
    } finally {
      it.decref(holder);
    }
  });
});

Index('a referrer freed after the build is left out', () => {
  withHeap(randomHeapScript(8, 100, true), (it) => {
    const rt = it.rt;
    const target = rt.gc.objects(null).find((o) => shortTypeName(it, o) === 'Node')!;
    const holder = rt.newList([it.incref(target)]);
    const index = new ReferrerIndex(it, [target]);
    assert.ok(index.referrers(target).includes(holder));
    it.decref(holder); // freed: no allocation, so the index is not rebuilt
    assert.not.ok(index.referrers(target).includes(holder));
    assert.equal(index.referrers(target), bruteReferrers(it, target));
  });
});

Index.run();

const Counts = suite('objgraph counts per class');

Counts('classCounts + namedCounts equal naming every object, in first-seen order, short and long names', () => {
  // Two classes named Node (one in a function) share a short name: their
  // counts merge under the name first seen.
  const source = `import refscope
class Node: pass
def make():
    class Node: pass
    return [Node() for _ in range(3)]
other = make()
mine = [Node(), Node()]
refscope.snapshot('heap')
`;
  withHeap(source, (it) => {
    for (const shortnames of [true, false]) {
      const brute = new Map<string, number>();
      for (const o of it.rt.gc.objects(null)) {
        const name = shortnames ? shortTypeName(it, o) : longTypeName(it, o);
        brute.set(name, (brute.get(name) ?? 0) + 1);
      }
      const fast = namedCounts(it, classCounts((fn) => forEachTracked(it.rt, fn)), shortnames);
      assert.equal([...fast], [...brute]);
    }
    const perClass = classCounts((fn) => forEachTracked(it.rt, fn));
    const nodes = [...perClass].filter(([t]) => classNameIs(it, 'Node')(t));
    assert.equal(
      nodes.map(([, n]) => n),
      [3, 2],
    );
    assert.equal(
      [...perClass].filter(([t]) => classNameIs(it, '__main__.Node')(t)).map(([, n]) => n),
      [3, 2],
    );
    const main = it.dictGetStr(it.modules as PyDict, '__main__')!;
    assert.is(nameClass(main), main.ob_type);
  });
});

Counts.run();
