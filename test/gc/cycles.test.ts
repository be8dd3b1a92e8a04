// What gc.collect() finds, following CPython's test_gc recipe: disable
// automatic collection, collect, build the structure, drop the references,
// assert the exact count returned by a full collection.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GcFlag } from '../../lib/heap/object.js';
import { genList, heapType, quiesce, setattr, withRuntime } from '../heap/support.js';

const Cycles = suite('gc cycles');

Cycles('a self-referencing list is 1 object', () => {
  withRuntime({}, ({ rt }) => {
    quiesce(rt);
    const l = rt.newList([]);
    rt.listAppend(l, l);
    rt.decref(l);
    assert.is(rt.gc.collectManual(2), 1);
  });
});

Cycles('two lists referring to each other are 2 objects', () => {
  withRuntime({}, ({ rt }) => {
    quiesce(rt);
    const a = rt.newList([]);
    const b = rt.newList([]);
    rt.listAppend(a, b);
    rt.listAppend(b, a);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 2);
  });
});

Cycles('two plain instances in a cycle: 2 in 3.11 (inline values)', () => {
  withRuntime({}, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const a = rt.newInstance(A);
    const b = rt.newInstance(A);
    setattr(rt, a, 'o', b);
    setattr(rt, b, 'o', a);
    assert.is(a.dict, null);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 2);
    assert.is(A.ob_refcnt, 1, 'instances gave back their type references');
  });
});

Cycles('two plain instances in a cycle: 4 in 2.7 (each has a dict)', () => {
  withRuntime({ profile: '2.7' }, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const a = rt.newInstance(A);
    const b = rt.newInstance(A);
    setattr(rt, a, 'o', b);
    setattr(rt, b, 'o', a);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 4);
  });
});

Cycles('3.11 instances whose __dict__ was materialised count their dicts again (4)', () => {
  withRuntime({}, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const a = rt.newInstance(A);
    const b = rt.newInstance(A);
    setattr(rt, a, 'o', b);
    setattr(rt, b, 'o', a);
    rt.materializeDict(a);
    rt.materializeDict(b);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 4);
  });
});

Cycles('a dict containing itself is 1 object', () => {
  withRuntime({}, ({ rt }) => {
    quiesce(rt);
    const d = rt.newDict();
    assert.not.ok(rt.gc.isTracked(d));
    rt.incref(d);
    rt.dictAppend(d, 'self', 0, rt.intern('self'), d, true);
    assert.ok(rt.gc.isTracked(d), 'inserting a tracked value tracks the dict');
    rt.decref(d);
    assert.is(rt.gc.collectManual(2), 1);
  });
});

Cycles('instance + list (a.l = [a]) is 2 objects; 3 in 2.7', () => {
  for (const [profile, expected] of [['3.11', 2], ['2.7', 3]] as const) {
    withRuntime({ profile }, ({ rt, keep }) => {
      const A = heapType(rt, 'A');
      keep(A);
      quiesce(rt);
      const a = rt.newInstance(A);
      rt.incref(a);
      const l = rt.newList([a]);
      rt.instanceSetAttr(a, 'l', l);
      rt.decref(a);
      assert.is(rt.gc.collectManual(2), expected, profile);
    });
  }
});

Cycles('a 3-cycle of instances is 3 objects (6 in 2.7)', () => {
  for (const [profile, expected] of [['3.11', 3], ['2.7', 6]] as const) {
    withRuntime({ profile }, ({ rt, keep }) => {
      const A = heapType(rt, 'A');
      keep(A);
      quiesce(rt);
      const xs = [rt.newInstance(A), rt.newInstance(A), rt.newInstance(A)];
      for (let i = 0; i < 3; i++) setattr(rt, xs[i], 'next', xs[(i + 1) % 3]);
      for (const x of xs) rt.decref(x);
      assert.is(rt.gc.collectManual(2), expected, profile);
    });
  }
});

Cycles('a 3-cycle across generations is listed gen2, gen0, gen1', () => {
  withRuntime({ stressable: false }, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const r2 = rt.newInstance(A);
    rt.gc.collectManual(1); // r2: gen 0 -> gen 2
    const r1 = rt.newInstance(A);
    rt.gc.collectManual(0); // r1: gen 0 -> gen 1
    const r0 = rt.newInstance(A);
    assert.equal([r0.gen, r1.gen, r2.gen], [0, 1, 2]);
    hooks.names.set(r0, 'gen0').set(r1, 'gen1').set(r2, 'gen2');
    setattr(rt, r0, 'n', r1);
    setattr(rt, r1, 'n', r2);
    setattr(rt, r2, 'n', r0);
    hooks.debugRepr = (o) => hooks.label(o);
    rt.gc.debug = 2; // DEBUG_COLLECTABLE
    for (const r of [r0, r1, r2]) rt.decref(r);
    assert.is(rt.gc.collectManual(2), 3);
    assert.is(hooks.stderr, 'gc: collectable <gen2>\ngc: collectable <gen0>\ngc: collectable <gen1>\n');
  });
});

Cycles('survivors are promoted one generation per collection', () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const l = rt.newList([]);
    keep(l);
    assert.is(l.gen, 0);
    assert.is(genList(rt, 0).includes(l), true);
    rt.gc.collectManual(0);
    assert.is(l.gen, 1);
    rt.gc.collectManual(0);
    assert.is(l.gen, 1, 'collect(0) does not look at gen 1');
    rt.gc.collectManual(1);
    assert.is(l.gen, 2);
    rt.gc.collectManual(2);
    assert.is(l.gen, 2);
    assert.is(genList(rt, 2).includes(l), true);
    assert.is(l.gcFlags & (GcFlag.COLLECTING | GcFlag.UNREACHABLE), 0);
  });
});

Cycles('garbage in an older generation is not found by a younger collection', () => {
  withRuntime({}, ({ rt }) => {
    quiesce(rt);
    const l = rt.newList([]);
    rt.listAppend(l, l);
    rt.gc.collectManual(0); // l survives to gen 1 (still referenced)
    rt.decref(l);
    assert.is(rt.gc.collectManual(0), 0);
    assert.is(rt.gc.collectManual(1), 1);
  });
});

Cycles('reachable objects stay: a cycle referenced from outside is not collected', () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const a = rt.newList([]);
    const b = rt.newList([]);
    rt.listAppend(a, b);
    rt.listAppend(b, a);
    rt.decref(b);
    keep(a);
    assert.is(rt.gc.collectManual(2), 0);
    assert.is(a.items[0], b);
    assert.is(b.ob_refcnt, 1);
  });
});

Cycles('slots-only instances in a cycle are 2', () => {
  withRuntime({}, ({ rt, keep }) => {
    const S = heapType(rt, 'S', { slots: ['a', 'b'] });
    keep(S);
    quiesce(rt);
    const x = rt.newInstance(S);
    const y = rt.newInstance(S);
    rt.incref(y);
    x.slots![0] = y;
    rt.incref(x);
    y.slots![1] = x;
    rt.decref(x);
    rt.decref(y);
    assert.is(rt.gc.collectManual(2), 2);
  });
});

Cycles.run();
