/*
 * Set algebra as Objects/setobject.c builds its results.
 *
 * The order of a set's items is its table order, so a result's order
 * depends on how it was built: `a | b` copies a (set_merge) and then adds
 * b's items in b's slot order; `a & b` walks the smaller set; `a ^ b` starts
 * from a copy of b; a copy of a set with no dummies and the same table size
 * keeps every slot. Each function here follows its CPython counterpart
 * (named in its comment) so that printed results match, and so that items
 * removed by in-place operations die in CPython's order.
 */
import { PyDict, PySet } from '../heap/containers.js';
import type { PyObject } from '../heap/object.js';
import { setHashes, setKeys, setMerge, setPop, setTableResize } from '../heap/settable.js';
import type { PyType } from '../heap/types.js';
import type { Interpreter } from './interp.js';

/** Whether `o` is a set or frozenset (or an instance of a subclass): PyAnySet_Check. */
export function isAnySet(o: PyObject): o is PySet {
  return o instanceof PySet;
}

/** set_update_internal: adds the items of any iterable, with fast paths for sets and exact dicts. */
export function setUpdateInternal(it: Interpreter, so: PySet, other: PyObject): void {
  const rt = it.rt;
  if (other instanceof PySet) {
    setMerge(so, other, it.setKeyEq, it.py2, rt, (k) => it.incref(k));
    return;
  }
  if (other instanceof PyDict && other.ob_type === it.t.dict) {
    // One resize up front for all the dict's keys.
    const n = other.used;
    if (it.py2 ? (so.fill + n) * 3 >= (so.mask + 1) * 2 : (so.fill + n) * 5 >= so.mask * 3) setTableResize(so, (so.used + n) * 2, it.py2, rt);
    for (const [k] of it.dictEntries(other)) it.setAdd(so, k);
    return;
  }
  for (const x of it.iterate(other)) {
    try {
      it.setAdd(so, x);
    } finally {
      it.decref(x);
    }
  }
}

/** make_new_set: a new set or frozenset of `type`, filled from `iterable`. */
export function makeNewSet(it: Interpreter, type: PyType, iterable: PyObject | null): PySet {
  const s = it.rt.newSet(type.layout === 'frozenset' || type === it.t.frozenset, type);
  if (iterable !== null) {
    try {
      setUpdateInternal(it, s, iterable);
    } catch (e) {
      it.decref(s);
      throw e;
    }
  }
  return s;
}

/** The exact base type for results of operations on a subclass instance (make_new_set_basetype). */
function baseType(it: Interpreter, so: PySet): PyType {
  return it.isInstance(so, it.t.frozenset) ? it.t.frozenset : it.t.set;
}

/** set_copy: a new set of the same base type with the same items (set_merge). */
export function setCopy(it: Interpreter, so: PySet): PySet {
  return makeNewSet(it, it.py2 ? (so.ob_type as PyType) : baseType(it, so), so);
}

/** set_union: a copy of so updated with each other. */
export function setUnion(it: Interpreter, so: PySet, others: readonly PyObject[]): PySet {
  const r = setCopy(it, so);
  try {
    for (const o of others) if (o !== so) setUpdateInternal(it, r, o);
  } catch (e) {
    it.decref(r);
    throw e;
  }
  return r;
}

/** set_intersection: walks the smaller set (or the iterable) and keeps what the other holds. */
export function setIntersection(it: Interpreter, so: PySet, other: PyObject): PySet {
  if (other === so) return setCopy(it, so);
  const r = it.rt.newSet(baseType(it, so) === it.t.frozenset, it.py2 ? (so.ob_type as PyType) : baseType(it, so));
  try {
    if (other instanceof PySet) {
      let big = so;
      let small: PySet = other;
      if (other.used > so.used) {
        big = other;
        small = so;
      }
      const keys = setKeys(small);
      const hashes = setHashes(small);
      for (let i = 0; i < keys.length; i++) {
        if (it.setFind(big, keys[i], hashes[i]) >= 0) it.setAddHashed(r, keys[i], hashes[i]);
      }
      return r;
    }
    for (const x of it.iterate(other)) {
      try {
        const h = it.hash(x);
        if (it.setFind(so, x, h) >= 0) it.setAddHashed(r, x, h);
      } finally {
        it.decref(x);
      }
    }
    return r;
  } catch (e) {
    it.decref(r);
    throw e;
  }
}

/** set_intersection_multi */
export function setIntersectionMulti(it: Interpreter, so: PySet, others: readonly PyObject[]): PySet {
  if (others.length === 0) return setCopy(it, so);
  let result: PySet = it.incref(so);
  for (const o of others) {
    try {
      const next = setIntersection(it, result, o);
      it.decref(result);
      result = next;
    } catch (e) {
      it.decref(result);
      throw e;
    }
  }
  return result;
}

/**
 * set_swap_bodies: exchanges two sets' tables, so that an in-place result
 * takes over `so` and the old contents die with the temporary.
 */
function swapBodies(a: PySet, b: PySet): void {
  const t = a.table;
  a.table = b.table;
  b.table = t;
  const h = a.hashes;
  a.hashes = b.hashes;
  b.hashes = h;
  let n = a.mask;
  a.mask = b.mask;
  b.mask = n;
  n = a.fill;
  a.fill = b.fill;
  b.fill = n;
  n = a.used;
  a.used = b.used;
  b.used = n;
  n = a.tableAddr;
  a.tableAddr = b.tableAddr;
  b.tableAddr = n;
  a.hash = b.hash = undefined;
}

/** set_intersection_update(_multi): the intersection swapped into so. */
export function setIntersectionUpdate(it: Interpreter, so: PySet, others: readonly PyObject[]): void {
  const tmp = setIntersectionMulti(it, so, others);
  swapBodies(so, tmp);
  it.decref(tmp);
}

/** set_difference_update_internal: discards the other's items, then purges dummies if many. */
export function setDifferenceUpdate(it: Interpreter, so: PySet, other: PyObject): void {
  if (other === so) {
    so.clear(it.rt);
    return;
  }
  if (other instanceof PySet) {
    // 3.11: a much larger other is first cut down to the common items.
    let src: PySet = other;
    const shrunk = !it.py2 && other.used >> 3 > so.used;
    if (shrunk) src = setIntersection(it, so, other);
    try {
      const keys = setKeys(src);
      const hashes = setHashes(src);
      for (let i = 0; i < keys.length; i++) {
        const k = it.incref(keys[i]);
        try {
          it.setDiscardHashed(so, k, hashes[i]);
        } finally {
          it.decref(k);
        }
      }
    } finally {
      if (shrunk) it.decref(src);
    }
  } else {
    for (const x of it.iterate(other)) {
      try {
        it.setDiscard(so, x);
      } finally {
        it.decref(x);
      }
    }
  }
  const dummies = so.fill - so.used;
  if (it.py2 ? dummies * 5 < so.mask : dummies <= so.mask >>> 2) return;
  setTableResize(so, so.used > 50000 ? so.used * 2 : so.used * 4, it.py2, it.rt);
}

/** set_difference: a new set of so's items missing from other (or a copy, then difference_update). */
export function setDifference(it: Interpreter, so: PySet, other: PyObject): PySet {
  const isDict = other instanceof PyDict && other.ob_type === it.t.dict;
  let copyFirst = !(other instanceof PySet) && !isDict;
  // 3.11: when so is much larger, copying it and discarding is cheaper.
  if (!copyFirst && !it.py2) copyFirst = so.used >> 2 > (other as PySet | PyDict).used;
  if (copyFirst) {
    const r = setCopy(it, so);
    try {
      setDifferenceUpdate(it, r, other);
    } catch (e) {
      it.decref(r);
      throw e;
    }
    return r;
  }
  const r = it.rt.newSet(baseType(it, so) === it.t.frozenset, it.py2 ? (so.ob_type as PyType) : baseType(it, so));
  try {
    const keys = setKeys(so);
    const hashes = setHashes(so);
    for (let i = 0; i < keys.length; i++) {
      const inOther = isDict ? it.dictLookup(other as PyDict, keys[i]) >= 0 : it.setFind(other as PySet, keys[i], hashes[i]) >= 0;
      if (!inOther) it.setAddHashed(r, keys[i], hashes[i]);
    }
  } catch (e) {
    it.decref(r);
    throw e;
  }
  return r;
}

/** set_difference_multi */
export function setDifferenceMulti(it: Interpreter, so: PySet, others: readonly PyObject[]): PySet {
  if (others.length === 0) return setCopy(it, so);
  const r = setDifference(it, so, others[0]);
  try {
    for (let i = 1; i < others.length; i++) setDifferenceUpdate(it, r, others[i]);
  } catch (e) {
    it.decref(r);
    throw e;
  }
  return r;
}

/** set_symmetric_difference_update: each of other's items is discarded if present, else added. */
export function setSymmetricDifferenceUpdate(it: Interpreter, so: PySet, other: PyObject): void {
  if (other === so) {
    so.clear(it.rt);
    return;
  }
  const toggle = (k: PyObject, h: ReturnType<Interpreter['hash']>) => {
    it.incref(k);
    try {
      if (!it.setDiscardHashed(so, k, h)) it.setAddHashed(so, k, h);
    } finally {
      it.decref(k);
    }
  };
  if (other instanceof PyDict && other.ob_type === it.t.dict) {
    for (const [k] of [...it.dictEntries(other)]) toggle(k, it.hash(k));
    return;
  }
  const otherset = other instanceof PySet ? it.incref(other) : makeNewSet(it, it.py2 ? (so.ob_type as PyType) : baseType(it, so), other);
  try {
    const keys = setKeys(otherset);
    const hashes = setHashes(otherset);
    for (let i = 0; i < keys.length; i++) toggle(keys[i], hashes[i]);
  } finally {
    it.decref(otherset);
  }
}

/** set_symmetric_difference: a new set from other, toggled with so's items. */
export function setSymmetricDifference(it: Interpreter, so: PySet, other: PyObject): PySet {
  const r = makeNewSet(it, it.py2 ? (so.ob_type as PyType) : baseType(it, so), other);
  try {
    setSymmetricDifferenceUpdate(it, r, so);
  } catch (e) {
    it.decref(r);
    throw e;
  }
  return r;
}

/** set.pop: KeyError when empty. */
export function setPopItem(it: Interpreter, so: PySet): PyObject {
  if (so.used === 0) it.raise('KeyError', 'pop from an empty set');
  return setPop(so, it.py2);
}
