// Which objects the collector tracks: tuples untracked lazily by every
// collection (_PyTuple_MaybeUntrack), dicts tracked on insert and untracked
// only by full collections.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quiesce, withRuntime } from '../heap/support.js';

const Tuples = suite('gc tuple untracking');

Tuples('a tuple of ints is tracked at creation and untracked by the first collection', () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const t = rt.newTuple([rt.newInt(1), rt.newInt(1000)]);
    keep(t);
    assert.ok(rt.gc.isTracked(t));
    rt.gc.collectManual(0);
    assert.not.ok(rt.gc.isTracked(t));
  });
});

Tuples('a tuple holding a list, or even an untracked dict, stays tracked', () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const withList = rt.newTuple([rt.newList([])]);
    const d = rt.newDict();
    assert.not.ok(rt.gc.isTracked(d));
    const withDict = rt.newTuple([d]);
    const withStr = rt.newTuple([rt.newStr('not a container')]);
    keep(withList);
    keep(withDict);
    keep(withStr);
    rt.gc.collectManual(2);
    assert.ok(rt.gc.isTracked(withList));
    assert.ok(rt.gc.isTracked(withDict));
    assert.not.ok(rt.gc.isTracked(withStr));
  });
});

Tuples('tuple([tuple([1, 2]), 3]) needs two collections: the outer one is scanned first', () => {
  withRuntime({ stressable: false }, ({ rt, keep }) => {
    quiesce(rt);
    const inner = rt.newTuple([rt.newInt(1), rt.newInt(2)]);
    const outer = rt.newTuple([inner, rt.newInt(3)]);
    keep(outer);
    rt.gc.collectManual(0);
    assert.not.ok(rt.gc.isTracked(inner), 'inner untracked by the 1st collect(0)');
    assert.ok(rt.gc.isTracked(outer), 'outer was examined before inner was untracked');
    assert.is(outer.gen, 1);
    rt.gc.collectManual(0);
    assert.ok(rt.gc.isTracked(outer), 'collect(0) never looks at gen 1');
    rt.gc.collectManual(1);
    assert.not.ok(rt.gc.isTracked(outer));
  });
});

Tuples.run();

const Dicts = suite('gc dict tracking');

Dicts("d={}; d['a']=1; d['b']=[]; del d['b']: untracked only by a full collection", () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const d = rt.newDict();
    keep(d);
    const seen: boolean[] = [rt.gc.isTracked(d)];
    rt.dictAppend(d, 'a', 0, rt.intern('a'), rt.newInt(1), true);
    seen.push(rt.gc.isTracked(d));
    rt.dictAppend(d, 'b', 0, rt.intern('b'), rt.newList([]), true);
    seen.push(rt.gc.isTracked(d));
    rt.dictDeleteAt(d, rt.dictFind(d, 'b'));
    seen.push(rt.gc.isTracked(d));
    assert.equal(seen, [false, false, true, true]);
    rt.gc.collectManual(0);
    assert.ok(rt.gc.isTracked(d), 'after collect(0)');
    rt.gc.collectManual(1);
    assert.ok(rt.gc.isTracked(d), 'after collect(1)');
    rt.gc.collectManual(2);
    assert.not.ok(rt.gc.isTracked(d), 'after collect(2)');
  });
});

Dicts('a dict keeps tracking while it holds a container; replacing a value can track it', () => {
  withRuntime({}, ({ rt, keep }) => {
    quiesce(rt);
    const d = rt.newDict();
    keep(d);
    rt.dictAppend(d, 'k', 0, rt.intern('k'), rt.newInt(5), true);
    assert.not.ok(rt.gc.isTracked(d));
    rt.dictReplace(d, 0, rt.newList([]));
    assert.ok(rt.gc.isTracked(d));
    rt.gc.collectManual(2);
    assert.ok(rt.gc.isTracked(d));
  });
});

// The collector decides dicts during move_unreachable's scan; a dict whose
// only GC value is a tuple further down the list must wait until that tuple
// has been decided, as CPython's separate untrack_dicts pass does (checked
// against CPython 3.11.7: False False / True True).
Dicts('a dict scanned before its tuple value follows the tuple\'s fate in the same full collection', () => {
  withRuntime({ stressable: false }, ({ rt, keep }) => {
    quiesce(rt);
    const mk = (items: () => Parameters<typeof rt.newTuple>[0]) => {
      // d = {"x": []}; t = tuple(items); d["t"] = t; del d["x"]
      const d = rt.newDict();
      keep(d);
      rt.dictAppend(d, 'x', 0, rt.intern('x'), rt.newList([]), true);
      const t = rt.newTuple(items());
      rt.dictAppend(d, 't', 0, rt.intern('t'), t, true);
      rt.dictDeleteAt(d, rt.dictFind(d, 'x'));
      return { d, t };
    };
    const ints = mk(() => [rt.newInt(1), rt.newInt(2)]);
    const withList = mk(() => [rt.newList([]), rt.newInt(1)]);
    assert.ok(rt.gc.isTracked(ints.d) && rt.gc.isTracked(ints.t) && rt.gc.isTracked(withList.d));
    rt.gc.collectManual(2);
    assert.equal([rt.gc.isTracked(ints.d), rt.gc.isTracked(ints.t)], [false, false]);
    assert.equal([rt.gc.isTracked(withList.d), rt.gc.isTracked(withList.t)], [true, true]);
  });
});

Dicts('dict subclass instances are tracked from birth', () => {
  withRuntime({}, ({ rt, keep }) => {
    const D = rt.newHeapType('D', rt.types.dict, 0);
    keep(D);
    const d = rt.newDict(D);
    keep(d);
    assert.ok(rt.gc.isTracked(d));
  });
});

Dicts.run();

const SubclassTypes = suite('heap subclass type references');

// Regression: newDict/newList/newTuple/newSet/... with a heap type did not
// take the reference to the type that deallocation gives back, so freeing a
// dict-subclass instance freed the class under the script's feet.
SubclassTypes('instances of list/dict/tuple/set subclasses own a reference to their class', () => {
  withRuntime({}, ({ rt, keep }) => {
    for (const base of ['list', 'dict', 'tuple', 'set'] as const) {
      const C = rt.newHeapType(`My${base}`, rt.types[base], 0);
      keep(C);
      const o =
        base === 'list' ? rt.newList([], 0, C)
        : base === 'dict' ? rt.newDict(C)
        : base === 'tuple' ? rt.newTuple([rt.newInt(1)], C)
        : rt.newSet(false, C);
      assert.is(C.ob_refcnt, 2, base);
      rt.decref(o);
      assert.is(C.ob_refcnt, 1, base);
    }
  });
});

SubclassTypes.run();
