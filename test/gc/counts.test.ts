// gc.get_count() rules, thresholds, the automatic schedule and freeze. The
// subject here is the automatic schedule itself, so these tests never run
// under stress mode (which collects on every allocation by design).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PyObject } from '../../lib/heap/object.js';
import { heapType, quiesce, withRuntime } from '../heap/support.js';

const Counts = suite('gc counts');
const opts = { stressable: false };

Counts('a GC allocation adds 1; a GC free subtracts 1 but never below 0', () => {
  withRuntime(opts, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    const xs: PyObject[] = [];
    for (let i = 0; i < 5; i++) xs.push(rt.newInstance(A));
    quiesce(rt);
    assert.equal(rt.gc.count, [0, 0, 0]);
    const y = rt.newInstance(A);
    assert.equal(rt.gc.count, [1, 0, 0]);
    rt.decref(y);
    assert.equal(rt.gc.count, [0, 0, 0]);
    for (const x of xs) rt.decref(x);
    assert.equal(rt.gc.count, [0, 0, 0], 'deleting at count 0 leaves (0, 0, 0)');
  });
});

Counts('non-GC objects do not count; untracked GC objects ({}) do', () => {
  withRuntime(opts, ({ rt }) => {
    quiesce(rt);
    const s = rt.newStr('hello world');
    const f = rt.newFloat(1.5);
    const big = rt.newInt(10 ** 12);
    assert.equal(rt.gc.count, [0, 0, 0]);
    const d = rt.newDict();
    assert.not.ok(rt.gc.isTracked(d));
    assert.equal(rt.gc.count, [1, 0, 0]);
    for (const o of [s, f, big, d]) rt.decref(o);
  });
});

Counts('free lists bypass both rules: 100 dicts +100, deleted -20', () => {
  withRuntime(opts, ({ rt }) => {
    quiesce(rt);
    const ds: PyObject[] = [];
    for (let i = 0; i < 100; i++) ds.push(rt.newDict());
    assert.equal(rt.gc.count, [100, 0, 0]);
    for (const d of ds) rt.decref(d);
    assert.equal(rt.gc.count, [80, 0, 0], '80 went to the dict free list');
    ds.length = 0;
    for (let i = 0; i < 100; i++) ds.push(rt.newDict());
    assert.equal(rt.gc.count, [100, 0, 0], '80 served from the free list, 20 allocated');
    for (const d of ds) rt.decref(d);
  });
});

Counts('free lists bypass both rules: 100 2-tuples +100, deleted -0', () => {
  withRuntime(opts, ({ rt }) => {
    quiesce(rt);
    const ts: PyObject[] = [];
    for (let i = 0; i < 100; i++) ts.push(rt.newTuple([rt.newInt(1), rt.newInt(2)]));
    assert.equal(rt.gc.count, [100, 0, 0]);
    for (const t of ts) rt.decref(t);
    assert.equal(rt.gc.count, [100, 0, 0], 'the tuple free list holds 2000 per size');
  });
});

Counts('lists: the free list returns 80; a full collection empties it', () => {
  withRuntime(opts, ({ rt }) => {
    quiesce(rt);
    const ls: PyObject[] = [];
    for (let i = 0; i < 100; i++) ls.push(rt.newList([]));
    for (const l of ls) rt.decref(l);
    assert.equal(rt.gc.count, [80, 0, 0]);
    assert.is(rt.freelistStats().find((r) => r.name === 'free PyListObject')!.count, 80);
    rt.gc.collectManual(2);
    assert.equal(rt.freelistStats().map((r) => r.count).reduce((a, b) => a + b), 0);
  });
});

Counts('collecting generation g bumps count[g+1] and zeroes the younger counts', () => {
  withRuntime(opts, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const a = rt.newInstance(A);
    keep(a);
    rt.gc.collectManual(0);
    assert.equal(rt.gc.count, [0, 1, 0]);
    keep(rt.newInstance(A));
    rt.gc.collectManual(1);
    assert.equal(rt.gc.count, [0, 0, 1]);
    keep(rt.newInstance(A));
    rt.gc.collectManual(2);
    assert.equal(rt.gc.count, [0, 0, 0]);
  });
});

Counts('automatic collection fires on the 701st net GC allocation, before tracking it', () => {
  withRuntime(opts, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    rt.gc.collectManual(2);
    let countAtStart: number[] = [];
    let gen0AtStart = -1;
    hooks.invokeGcCallbacks = (phase, g) => {
      if (phase === 'start') {
        countAtStart = [...rt.gc.count];
        gen0AtStart = rt.gc.objects(0).length;
        hooks.events.push(`start ${g}`);
      }
    };
    hooks.events.length = 0;
    for (let i = 0; i < 700; i++) keep(rt.newInstance(A));
    assert.equal(hooks.events, []);
    assert.equal(rt.gc.count, [700, 0, 0]);
    const last = rt.newInstance(A);
    keep(last);
    assert.equal(hooks.events, ['start 0']);
    assert.equal(countAtStart, [701, 0, 0]);
    assert.is(gen0AtStart, 700, 'the new object was not tracked yet');
    assert.is(last.gen, 0, 'the new object is tracked after the collection');
    assert.equal(rt.gc.count, [0, 1, 0]);
  });
});

Counts('gc.disable() and threshold 0 stop automatic collection but counts keep growing', () => {
  withRuntime(opts, ({ rt, hooks }) => {
    for (const disable of [(): void => void (rt.gc.enabled = false), (): void => void (rt.gc.threshold[0] = 0)]) {
      rt.gc.enabled = true;
      rt.gc.threshold[0] = 700;
      rt.gc.collectManual(2);
      hooks.events.length = 0;
      disable();
      const ls: PyObject[] = [];
      for (let i = 0; i < 5003; i++) {
        const l = rt.newList([]);
        rt.listAppend(l, l);
        ls.push(l);
      }
      assert.equal(rt.gc.count, [5003, 0, 0]);
      assert.equal(hooks.events, []);
      for (const l of ls) rt.decref(l);
      assert.is(rt.gc.collectManual(2), 5003, 'gc.collect() still works');
    }
  });
});

Counts('long-lived objects: (0 x11, 1) x11, then 2', () => {
  withRuntime(opts, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    rt.gc.collectManual(2);
    const gens: number[] = [];
    const starts: string[] = [];
    hooks.invokeGcCallbacks = (phase, g) => {
      if (phase !== 'start') return;
      gens.push(g);
      if (g > 0) starts.push(`${g}:${rt.gc.count.join(',')}`);
    };
    while (!gens.includes(2)) keep(rt.newInstance(A));
    const expected: number[] = [];
    for (let k = 0; k < 11; k++) expected.push(...new Array(11).fill(0), 1);
    expected.push(2);
    assert.equal(gens, expected);
    assert.is(starts[0], '1:701,11,0');
    assert.is(starts[10], '1:701,11,10');
    assert.is(starts[11], '2:701,0,11');
  });
});

Counts('cyclic garbage on top of 100 000 long-lived objects never triggers a full collection', () => {
  withRuntime(opts, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    const big = rt.newList([]);
    keep(big);
    for (let i = 0; i < 100_000; i++) {
      const a = rt.newInstance(A);
      rt.listAppend(big, a);
      rt.decref(a);
    }
    rt.gc.collectManual(2);
    assert.is(rt.gc.longLivedTotal, 100_003 - 1, 'survivors of the full collection (the type, big, the instances)');
    const gens: number[] = [];
    hooks.invokeGcCallbacks = (phase, g) => {
      if (phase === 'start') gens.push(g);
    };
    while (rt.gc.count[2] <= 12) {
      const l = rt.newList([]);
      rt.listAppend(l, l);
      rt.decref(l);
    }
    assert.not.ok(gens.includes(2));
    assert.is(rt.gc.count[2], 13, 'count[2] keeps climbing past its threshold');
  });
});

Counts('freeze moves everything to the permanent generation and zeroes the counts; unfreeze merges into gen 2', () => {
  withRuntime(opts, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const a = rt.newInstance(A);
    rt.gc.collectManual(0);
    const b = rt.newInstance(A);
    keep(a);
    keep(b);
    // A cycle that becomes garbage while frozen.
    const l = rt.newList([]);
    rt.listAppend(l, l);
    assert.equal(rt.gc.count, [2, 1, 0]);
    const tracked = rt.gc.objects(null).length;
    rt.gc.freeze();
    assert.equal(rt.gc.count, [0, 0, 0]);
    assert.equal(rt.gc.generationSizes(), [0, 0, 0]);
    assert.is(rt.gc.freezeCount(), tracked);
    assert.is(a.gen, 3);
    rt.decref(l);
    assert.is(rt.gc.collectManual(2), 0, 'frozen objects are ignored');
    keep(rt.newInstance(A));
    const before = [...rt.gc.count];
    rt.gc.unfreeze();
    assert.equal(rt.gc.count, before, 'unfreeze leaves the counts');
    assert.is(rt.gc.freezeCount(), 0);
    assert.is(a.gen, 2);
    assert.is(rt.gc.collectManual(2), 1);
  });
});

Counts.run();
