// Weak references, PEP 442 finalizers, resurrection, gc.garbage, debug
// output, callbacks and stats — observed through recording hooks that stand
// in for the interpreter.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PyInstance } from '../../lib/heap/instances.js';
import type { PyWeakref } from '../../lib/heap/misc.js';
import { GcFlag, type PyObject } from '../../lib/heap/object.js';
import type { Runtime } from '../../lib/heap/runtime.js';
import type { PyType } from '../../lib/heap/types.js';
import { heapType, quiesce, setattr, withRuntime, type RecordingHooks } from '../heap/support.js';

const STATS = 1;
const COLLECTABLE = 2;
const UNCOLLECTABLE = 4;
const OBJECTS = 16;
const SAVEALL = 32;

/** Two instances of `ty` referring to each other, labelled for the hooks; returns owned references. */
function pair(rt: Runtime, hooks: RecordingHooks, ty: PyType, n1 = 'a', n2 = 'b'): [PyInstance, PyInstance] {
  const a = rt.newInstance(ty);
  const b = rt.newInstance(ty);
  hooks.names.set(a, n1).set(b, n2);
  setattr(rt, a, 'o', b);
  setattr(rt, b, 'o', a);
  return [a, b];
}

function callback(rt: Runtime): PyObject {
  return rt.newBuiltinFunction('cb', () => 0, null);
}

const Weakrefs = suite('gc weakrefs');

Weakrefs('callbacks of outside weakrefs run before any __del__, and see a dead referent', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, D);
    const w = rt.newWeakref(rt.types.weakref, a, callback(rt), false);
    hooks.names.set(w, 'w');
    keep(w);
    rt.decref(a);
    rt.decref(b);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(2), 2);
    assert.equal(hooks.events, ['gc start 2 0 0', 'callback w referent=None', '__del__ a', '__del__ b', 'gc stop 2 2 0']);
    assert.is(w.referent, null);
    assert.is(w.callback, null, 'a callback runs once and is dropped');
  });
});

Weakrefs('a weakref inside the garbage is cleared and its callback never runs', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, A);
    const w = rt.newWeakref(rt.types.weakref, b, callback(rt), false);
    rt.instanceSetAttr(a, 'w', w);
    rt.decref(a);
    rt.decref(b);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(2), 3);
    assert.not.ok(hooks.events.some((e) => e.startsWith('callback')));
  });
});

Weakrefs('a weakref freed by its own callback counts as collected (3, not 2)', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, A);
    // Like a WeakValueDictionary entry: the callback drops the last reference to the weakref.
    const w = rt.newWeakref(rt.types.weakref, a, callback(rt), false);
    hooks.onWeakrefCallback = (wr) => rt.decref(wr);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 3);
    assert.ok(w.gcFlags & GcFlag.FREED);
  });
});

Weakrefs('refcount death: __del__ first, then weakref callbacks', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    const a = rt.newInstance(D);
    hooks.names.set(a, 'a');
    const w = rt.newWeakref(rt.types.weakref, a, callback(rt), false);
    hooks.names.set(w, 'w');
    keep(w);
    hooks.events.length = 0;
    rt.decref(a);
    assert.equal(hooks.lifecycle(), ['__del__ a', 'callback w referent=None']);
  });
});

Weakrefs.run();

const Finalizers = suite('gc finalizers');

Finalizers('PEP 442: __del__ runs once per object, in list order, and the cycle is collected', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, D, 'r1', 'r2');
    rt.decref(a);
    rt.decref(b);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(2), 2);
    assert.equal(hooks.events, ['gc start 2 0 0', '__del__ r1', '__del__ r2', 'gc stop 2 2 0']);
  });
});

Finalizers('resurrection: collect returns 0, then 2; __del__ is not re-run', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const [r1, r2] = pair(rt, hooks, D, 'r1', 'r2');
    const w2 = rt.newWeakref(rt.types.weakref, r2, null, false);
    keep(w2);
    let saved: PyObject | null = null;
    hooks.onFinalize = (o) => {
      if (o === r1) {
        rt.incref(o);
        saved = o;
      }
    };
    rt.gc.debug = COLLECTABLE;
    rt.decref(r1);
    rt.decref(r2);
    assert.is(rt.gc.collectManual(2), 0);
    assert.is(hooks.stderr.split('\n').filter((l) => l.startsWith('gc: collectable')).length, 2, 'resurrected objects are still printed');
    assert.equal(hooks.events.filter((e) => e.startsWith('__del__')), ['__del__ r1', '__del__ r2']);
    assert.ok(r1.gcFlags & GcFlag.FINALIZED, 'is_finalized(r1)');
    assert.ok(r2.gcFlags & GcFlag.FINALIZED, 'is_finalized(r2)');
    assert.ok(rt.gc.isTracked(r1) && rt.gc.isTracked(r2), 'both survive');
    assert.is(w2.referent, null, 'the weakref to r2 is already dead');
    assert.is(r1.gen, 2);
    rt.gc.debug = 0;
    hooks.events.length = 0;
    rt.decref(saved!);
    assert.is(rt.gc.collectManual(2), 2);
    assert.not.ok(hooks.events.some((e) => e.startsWith('__del__')), '__del__ does not run again');
  });
});

Finalizers('gc.collect() inside a finalizer returns 0', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const results: number[] = [];
    hooks.onFinalize = () => results.push(rt.gc.collectManual(2));
    const [a, b] = pair(rt, hooks, D);
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 2);
    assert.equal(results, [0, 0]);
  });
});

Finalizers('DEBUG_SAVEALL: every unreachable object goes to gc.garbage, still counted as collected', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const x = rt.newList([]);
    const y = rt.newList([]);
    rt.listAppend(x, y);
    rt.listAppend(y, x);
    const [a, b] = pair(rt, hooks, D);
    rt.gc.debug = SAVEALL;
    for (const o of [x, y, a, b]) rt.decref(o);
    assert.is(rt.gc.collectManual(2), 4);
    assert.equal(rt.garbage.items, [x, y, a, b]);
    assert.equal(hooks.events.filter((e) => e.startsWith('__del__')), ['__del__ a', '__del__ b'], '__del__ still runs first');
    assert.equal(rt.gc.stats[2].uncollectable, 0);
    // gc.garbage.clear(): the objects are unreachable again, found again, not re-finalized.
    rt.gc.debug = 0;
    rt.garbage.clear(rt);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(2), 4);
    assert.not.ok(hooks.events.some((e) => e.startsWith('__del__')));
  });
});

Finalizers('callbacks get the generation, collected and uncollectable; stats accumulate', () => {
  withRuntime({ stressable: false }, ({ rt, hooks }) => {
    quiesce(rt);
    const before = rt.gc.stats.map((s) => ({ ...s }));
    const l = rt.newList([]);
    rt.listAppend(l, l);
    rt.decref(l);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(0), 1);
    assert.is(rt.gc.collectManual(1), 0);
    assert.equal(hooks.events, ['gc start 0 0 0', 'gc stop 0 1 0', 'gc start 1 0 0', 'gc stop 1 0 0']);
    assert.equal({ ...rt.gc.stats[0] }, { collections: before[0].collections + 1, collected: before[0].collected + 1, uncollectable: 0 });
    assert.equal({ ...rt.gc.stats[1] }, { collections: before[1].collections + 1, collected: before[1].collected, uncollectable: 0 });
    assert.equal({ ...rt.gc.stats[2] }, before[2]);
    assert.equal(rt.gc.history.slice(-2), [
      { generation: 0, collected: 1, uncollectable: 0, automatic: false },
      { generation: 1, collected: 0, uncollectable: 0, automatic: false },
    ]);
  });
});

Finalizers.run();

const Debug = suite('gc debug output');

Debug('DEBUG_STATS | DEBUG_COLLECTABLE prints the exact 3.11 block (fake clock)', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, A);
    rt.decref(a);
    rt.decref(b);
    const sizes = rt.gc.generationSizes();
    const [ia, ib] = [a.id.toString(16), b.id.toString(16)];
    rt.gc.debug = STATS | COLLECTABLE;
    hooks.now = 12.5;
    assert.is(rt.gc.collectManual(2), 2);
    assert.is(
      hooks.stderr,
      'gc: collecting generation 2...\n' +
        `gc: objects in each generation: ${sizes.join(' ')}\n` +
        'gc: objects in permanent generation: 0\n' +
        `gc: collectable <A 0x${ia}>\n` +
        `gc: collectable <A 0x${ib}>\n` +
        'gc: done, 2 unreachable, 0 uncollectable, 0.0000s elapsed\n',
    );
    assert.match(ia, /^7f[0-9a-f]{10}$/);
  });
});

Debug('elapsed comes from the clock hook; an empty collection still prints counts in 3.11', () => {
  withRuntime({}, ({ rt, hooks }) => {
    quiesce(rt);
    let t = 100;
    hooks.clock = () => (t += 0.0007);
    rt.gc.debug = STATS;
    rt.gc.collectManual(0);
    assert.is(hooks.stderr.split('\n')[3], 'gc: done, 0 unreachable, 0 uncollectable, 0.0007s elapsed');
  });
});

Debug('2.7: no permanent line, trailing period, collectable lines only with DEBUG_OBJECTS', () => {
  withRuntime({ profile: '2.7', stressable: false }, ({ rt, hooks }) => {
    quiesce(rt);
    rt.gc.debug = STATS | COLLECTABLE;
    const l = rt.newList([]);
    rt.listAppend(l, l);
    rt.decref(l);
    const sizes = rt.gc.generationSizes();
    rt.gc.collectManual(2);
    assert.is(hooks.stderr, `gc: collecting generation 2...\ngc: objects in each generation: ${sizes.join(' ')}\ngc: done, 1 unreachable, 0 uncollectable, 0.0000s elapsed.\n`);
    hooks.stderr = '';
    rt.gc.collectManual(2);
    assert.is(hooks.stderr.split('\n')[2], 'gc: done, 0.0000s elapsed.');
    hooks.stderr = '';
    rt.gc.debug = COLLECTABLE | OBJECTS;
    const m = rt.newList([]);
    rt.listAppend(m, m);
    rt.decref(m);
    rt.gc.collectManual(2);
    assert.is(hooks.stderr, `gc: collectable <list 0x${m.id.toString(16)}>\n`);
  });
});

Debug.run();

const Legacy = suite('gc legacy finalizers (2.7)');

Legacy('a __del__ cycle is uncollectable: n counted, only the __del__ objects go to gc.garbage', () => {
  withRuntime({ profile: '2.7' }, ({ rt, hooks, keep }) => {
    const DelA = heapType(rt, 'DelA', { del: true });
    keep(DelA);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, DelA);
    const leaf = rt.newList([]);
    rt.instanceSetAttr(a, 'leaf', leaf);
    const [da, db] = [a.dict!, b.dict!];
    rt.gc.debug = UNCOLLECTABLE | OBJECTS | STATS;
    rt.decref(a);
    rt.decref(b);
    hooks.events.length = 0;
    assert.is(rt.gc.collectManual(2), 5);
    const hex = (o: PyObject) => o.id.toString(16);
    assert.equal(hooks.stderr.split('\n').slice(2), [
      `gc: uncollectable <DelA 0x${hex(a)}>`,
      `gc: uncollectable <DelA 0x${hex(b)}>`,
      `gc: uncollectable <dict 0x${hex(da)}>`,
      `gc: uncollectable <dict 0x${hex(db)}>`,
      `gc: uncollectable <list 0x${hex(leaf)}>`,
      'gc: done, 5 unreachable, 5 uncollectable, 0.0000s elapsed.',
      '',
    ]);
    assert.equal(rt.garbage.items, [a, b]);
    assert.equal(hooks.events, ['gc start 2 0 0', 'gc stop 2 0 5'], '__del__ is never called');
    for (const o of [a, b, da, db, leaf]) {
      assert.not.ok(o.gcFlags & GcFlag.FREED);
      assert.is(o.gen, 2);
    }
    assert.is(rt.gc.stats[2].uncollectable, 5);
    // gc.garbage holds them now: they are reachable and not found again.
    rt.gc.debug = 0;
    assert.is(rt.gc.collectManual(2), 0);
  });
});

Legacy('2.7: DEBUG_SAVEALL puts every uncollectable object in gc.garbage', () => {
  withRuntime({ profile: '2.7' }, ({ rt, hooks, keep }) => {
    const DelA = heapType(rt, 'DelA', { del: true });
    keep(DelA);
    quiesce(rt);
    const [a, b] = pair(rt, hooks, DelA);
    rt.gc.debug = SAVEALL;
    rt.decref(a);
    rt.decref(b);
    assert.is(rt.gc.collectManual(2), 4);
    assert.equal(rt.garbage.items, [a, b, a.dict, b.dict]);
  });
});

Legacy('2.7: __del__ runs on every refcount death (no FINALIZED bit)', () => {
  withRuntime({ profile: '2.7' }, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    const a = rt.newInstance(D);
    hooks.names.set(a, 'a');
    let resurrect = true;
    hooks.onFinalize = (o) => {
      if (resurrect) {
        resurrect = false;
        rt.incref(o);
        kept = o;
      }
    };
    let kept: PyObject | null = null;
    hooks.events.length = 0;
    rt.decref(a);
    assert.is(kept, a, 'resurrected');
    rt.decref(kept!);
    assert.equal(hooks.lifecycle(), ['__del__ a', '__del__ a']);
  });
});

Legacy.run();
