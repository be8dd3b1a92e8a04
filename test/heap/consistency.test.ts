// checkConsistency must stay silent on a sound heap and name each kind of
// corruption we plant by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkConsistency } from '../../lib/heap/consistency.js';
import { GcFlag } from '../../lib/heap/object.js';
import { Runtime } from '../../lib/heap/runtime.js';

const Check = suite('heap checkConsistency');

function fresh(): Runtime {
  return new Runtime({ trackLive: true });
}

const has = (problems: string[], re: RegExp): boolean => problems.some((p) => re.test(p));

Check('a sound heap gives no problems, with and without external roots', () => {
  const rt = fresh();
  const l = rt.newList([rt.newDict(), rt.newStr('hello there')]);
  assert.equal(checkConsistency(rt), []);
  assert.equal(checkConsistency(rt, new Map([[l, 1]])), []);
});

Check('a leaked reference is reported when external roots are given', () => {
  const rt = fresh();
  const l = rt.newList([]);
  rt.incref(l);
  assert.equal(checkConsistency(rt), [], 'without roots a count above the internal references is fine');
  assert.ok(has(checkConsistency(rt, new Map([[l, 1]])), /refcount 2; expected 1/));
});

Check('a refcount below the internal references is reported', () => {
  const rt = fresh();
  const inner = rt.newList([]);
  rt.newList([inner]);
  inner.ob_refcnt = 0;
  assert.ok(has(checkConsistency(rt), /refcount 0 but 1 references/));
});

Check('a reference to a freed object is reported', () => {
  const rt = fresh();
  const inner = rt.newList([]);
  const outer = rt.newList([inner]);
  rt.incref(inner);
  rt.decref(outer);
  // Free `inner` while a (corrupt) list still points at it.
  const other = rt.newList([inner]);
  inner.ob_refcnt = 1;
  rt.decref(inner);
  assert.ok(inner.gcFlags & GcFlag.FREED);
  assert.ok(has(checkConsistency(rt), /refers to freed object/));
  other.items.length = 0;
});

Check('broken generation lists are reported', () => {
  const rt = fresh();
  const a = rt.newList([]);
  rt.newList([]);
  a.gen = 2;
  assert.ok(has(checkConsistency(rt), /gen field says 2/));
  a.gen = 0;
  const next = a.gcNext!;
  next.gcPrev = next;
  assert.ok(has(checkConsistency(rt), /does not point back/));
});

Check('a tracked non-GC object and a lost tracked object are reported', () => {
  const rt = fresh();
  const s = rt.newStr('not a container');
  rt.gc.track(s);
  assert.ok(has(checkConsistency(rt), /not a GC type/));
  rt.gc.untrack(s);
  const l = rt.newList([]);
  const prev = l.gcPrev!;
  prev.gcNext = l.gcNext;
  l.gcNext!.gcPrev = prev;
  assert.ok(has(checkConsistency(rt), /on no generation list/));
});

Check('allocator accounting: a leaked block and a double claim are reported', () => {
  const rt = fresh();
  rt.mem.malloc(40);
  assert.ok(has(checkConsistency(rt), /blocks in use but/));
  const rt2 = fresh();
  const a = rt2.newList([rt2.None, rt2.None]);
  const b = rt2.newList([]);
  b.bufAddr = a.bufAddr;
  assert.ok(has(checkConsistency(rt2), /claimed by both/));
  b.bufAddr = 0;
});

Check('a weakref whose referent lost it is reported', () => {
  const rt = fresh();
  const l = rt.newList([]);
  rt.newWeakref(rt.types.weakref, l, null, false);
  l.weakrefs = null;
  assert.ok(has(checkConsistency(rt), /missing from its referent's list/));
});

Check.run();
