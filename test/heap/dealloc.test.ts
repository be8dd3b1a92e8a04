// Refcount-driven deallocation: the order in which containers release their
// items (observable through __del__), and the trashcan that keeps very deep
// structures from overflowing the JS stack.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PyObject } from '../../lib/heap/object.js';
import type { Runtime } from '../../lib/heap/runtime.js';
import type { PyType } from '../../lib/heap/types.js';
import { heapType, quiesce, setattr, withRuntime, type RecordingHooks } from './support.js';

/** Three __del__ instances labelled 1, 2, 3 (owned references). */
function three(rt: Runtime, hooks: RecordingHooks, D: PyType): PyObject[] {
  const out: PyObject[] = [];
  for (let i = 1; i <= 3; i++) {
    const o = rt.newInstance(D);
    hooks.names.set(o, String(i));
    out.push(o);
  }
  return out;
}

const Order = suite('heap dealloc order');

Order('list items are released last to first', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    const l = rt.newList(three(rt, hooks, D));
    rt.decref(l);
    assert.equal(hooks.lifecycle(), ['__del__ 3', '__del__ 2', '__del__ 1']);
  });
});

Order('tuple items are released last to first', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    const t = rt.newTuple(three(rt, hooks, D));
    rt.decref(t);
    assert.equal(hooks.lifecycle(), ['__del__ 3', '__del__ 2', '__del__ 1']);
  });
});

Order('dict entries are released first to last', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    const d = rt.newDict();
    three(rt, hooks, D).forEach((o, i) => rt.dictAppend(d, `k${i}`, 0, rt.newStr(`k${i}`), o, true));
    rt.decref(d);
    assert.equal(hooks.lifecycle(), ['__del__ 1', '__del__ 2', '__del__ 3']);
  });
});

Order('instance attributes are released in dict order, after the instance\'s own __del__', () => {
  // 3.11: first to last (insertion order). 2.7: the instance dict's slot
  // order, which puts 'a1' before 'a0' (CPython 2.7.18 prints the same).
  const expected = { '3.11': ['__del__ owner', '__del__ 1', '__del__ 2', '__del__ 3'], '2.7': ['__del__ owner', '__del__ 2', '__del__ 1', '__del__ 3'] };
  for (const profile of ['3.11', '2.7'] as const) {
    withRuntime({ profile }, ({ rt, hooks, keep }) => {
      const D = heapType(rt, 'D', { del: true });
      keep(D);
      const owner = rt.newInstance(D);
      hooks.names.set(owner, 'owner');
      three(rt, hooks, D).forEach((o, i) => rt.instanceSetAttr(owner, `a${i}`, o));
      rt.decref(owner);
      assert.equal(hooks.lifecycle(), expected[profile], profile);
    });
  }
});

Order('under the gc, finalizers run in list (creation) order before any tp_clear', () => {
  withRuntime({}, ({ rt, hooks, keep }) => {
    const D = heapType(rt, 'D', { del: true });
    keep(D);
    quiesce(rt);
    const l = rt.newList(three(rt, hooks, D));
    rt.listAppend(l, l);
    rt.decref(l);
    assert.is(rt.gc.collectManual(2), 4);
    assert.equal(hooks.events.filter((e) => e.startsWith('__del__')), ['__del__ 1', '__del__ 2', '__del__ 3']);
  });
});

Order.run();

const Trashcan = suite('heap trashcan');

Trashcan('a 100 000-deep chain of lists is freed without a stack overflow', () => {
  withRuntime({}, ({ rt, stress }) => {
    const depth = stress ? 1000 : 100_000;
    let l = rt.newList([]);
    for (let i = 1; i < depth; i++) l = rt.newList([l]);
    const before = rt.liveObjects;
    rt.decref(l);
    assert.is(before - rt.liveObjects, depth);
  });
});

Trashcan('a 100 000-deep chain of instances is freed without a stack overflow', () => {
  withRuntime({}, ({ rt, stress, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    const depth = stress ? 1000 : 100_000;
    let head = rt.newInstance(A);
    for (let i = 1; i < depth; i++) {
      const n = rt.newInstance(A);
      rt.instanceSetAttr(n, 'next', head);
      head = n;
    }
    rt.decref(head);
    assert.is(A.ob_refcnt, 1);
  });
});

Trashcan('a 100 000-long cycle is collected without a stack overflow', () => {
  withRuntime({}, ({ rt, stress, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    quiesce(rt);
    const depth = stress ? 1000 : 100_000;
    const first = rt.newInstance(A);
    let head = first;
    rt.incref(first);
    for (let i = 1; i < depth; i++) {
      const n = rt.newInstance(A);
      rt.instanceSetAttr(n, 'next', head);
      head = n;
    }
    setattr(rt, first, 'next', head);
    rt.decref(head);
    rt.decref(first);
    assert.is(rt.gc.collectManual(2), depth);
    assert.is(A.ob_refcnt, 1);
  });
});

Trashcan.run();
