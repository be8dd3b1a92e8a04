/*
 * The abstract object protocol of the interpreter: subscripting, iteration,
 * arithmetic, containment, formatting. Built-in types take the fast paths;
 * user classes go through their dunder methods, with CPython's reflected
 * operand rules and its TypeError messages.
 */
import { PyBuiltinFunction, PyCode } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyBaseException, PyGenerator } from '../heap/frames.js';
import { PyOldInstance } from '../heap/instances.js';
import { PyHolder } from '../heap/misc.js';
import type { PyObject } from '../heap/object.js';
import { PyByteArray, PyBytes, PyComplex, PyFloat, PyInt, PyStr, type IntValue } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import { PyExc } from './errors.js';
import { GEN_DONE, type Interpreter } from './interp.js';
import { BINOP_DUNDERS, BINOP_SYMBOLS, BinOpCode, Op } from './opcodes.js';
import { floatFloorDiv, floatMod, floatPow, floatRepr } from './text/float.js';
import { formatFloat, formatInt, formatStr } from './text/format.js';
import { intFloorDiv, intMod, intPow, intTrueDiv } from './text/int.js';
import { TextError } from './text/errors.js';
import { percentFormat } from './text/percent.js';
import { setCopy, setDifference, setDifferenceUpdate, setIntersection, setIntersectionUpdate, setSymmetricDifference, setSymmetricDifferenceUpdate, setUpdateInternal } from './setops.js';

/** Normalises a bigint result to the int representation (number when safe). */
export function norm(v: bigint): IntValue {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function installProtocol(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  // ------------------------------------------------------------- iteration
  const seqIterType = rt.defineStaticType('iterator', 'iterator', true, 32);
  const listIterType = rt.defineStaticType('list_iterator', 'iterator', true, 32);
  const tupleIterType = rt.defineStaticType('tuple_iterator', 'iterator', true, 32);
  const strIterType = rt.defineStaticType('str_ascii_iterator', 'iterator', true, 32);
  const dictKeyIterType = rt.defineStaticType('dict_keyiterator', 'iterator', true, 48);
  const setIterType = rt.defineStaticType('set_iterator', 'iterator', true, 48);
  const rangeIterType = rt.defineStaticType('range_iterator', 'iterator', false, 48);
  const callIterType = rt.defineStaticType('callable_iterator', 'iterator', true, 32);
  t.list_iterator = listIterType;
  t.tuple_iterator = tupleIterType;
  t.range_iterator = rangeIterType;
  t.dict_keyiterator = dictKeyIterType;
  t.set_iterator = setIterType;
  t.iterator = seqIterType;
  t.callable_iterator = callIterType;
  const iterTypes = new Set([seqIterType, listIterType, tupleIterType, strIterType, dictKeyIterType, setIterType, rangeIterType, callIterType]);
  // 2.7: the iterator types' own names, and one dict iterator type per kind.
  let dictValueIterType = dictKeyIterType;
  let dictItemIterType = dictKeyIterType;
  if (it.py2) {
    for (const [ty, name] of [[listIterType, 'listiterator'], [tupleIterType, 'tupleiterator'], [strIterType, 'iterator'], [dictKeyIterType, 'dictionary-keyiterator'], [setIterType, 'setiterator'], [rangeIterType, 'rangeiterator'], [callIterType, 'callable-iterator']] as const) {
      ty.tp_name = ty.qualname = name;
    }
    t.method.tp_name = t.method.qualname = 'instancemethod';
    dictValueIterType = rt.defineStaticType('dictionary-valueiterator', 'iterator', true, 48);
    dictItemIterType = rt.defineStaticType('dictionary-itemiterator', 'iterator', true, 48);
    iterTypes.add(dictValueIterType).add(dictItemIterType);
  }
  // 2.7 `long`: ints beyond a C long, `10L`, and any arithmetic involving a long.
  if (it.py2) t.long = rt.defineStaticType('long', 'int', false, 24, t.int, true);
  // 2.7 `unicode`: u'' literals, unicode(), and str + unicode.
  if (it.py2) t.unicode = rt.defineStaticType('unicode', 'str', false, 48, t.str, true);
  const toLong27 = (r: PyObject | null, force: boolean): PyObject | null => {
    if (!(r instanceof PyInt) || r.ob_type !== t.int) return r;
    if (!force && (typeof r.v === 'number' || (r.v <= 9223372036854775807n && r.v >= -9223372036854775808n))) return r;
    const l = rt.newLong(r.v);
    it.decref(r);
    return l;
  };
  t.dict_valueiterator = dictValueIterType;
  t.dict_itemiterator = dictItemIterType;

  interface IterState {
    i: number;
    /** For dict/set iteration: which kind of item. */
    kind?: 'keys' | 'values' | 'items';
    stop?: number;
    step?: number;
    cur?: number;
  }

  const makeIter = (type: PyType, seq: PyObject, state: IterState): PyObject => rt.newHolder(type, [it.incref(seq)], state, 32);

  it.getIter = (o: PyObject): PyObject => {
    const ty = o.ob_type as PyType;
    if (o instanceof PyList && !ty.isHeapType) return makeIter(listIterType, o, { i: 0 });
    if (o instanceof PyTuple && !ty.isHeapType) return makeIter(tupleIterType, o, { i: 0 });
    if (iterTypes.has(ty) || o instanceof PyGenerator) return it.incref(o);
    const userIter = it.findDunder(o, '__iter__');
    if (userIter) {
      const r = it.callMethodObj(userIter, o, []);
      if (!it.findDunder(r, '__next__') && !it.findDunder(r, 'next') && !iterTypes.has(r.ob_type as PyType) && !(r instanceof PyGenerator) && !rt.types.__nextable?.isSubtypeOf(r.ob_type as PyType)) {
        const nt = it.nativeNext.get(r.ob_type as PyType);
        if (!nt) {
          it.decref(r);
          it.typeError(`iter() returned non-iterator of type '${it.typeName(r)}'`);
        }
      }
      return r;
    }
    if (o instanceof PyList) return makeIter(listIterType, o, { i: 0 });
    if (o instanceof PyTuple) return makeIter(tupleIterType, o, { i: 0 });
    if (o instanceof PyStr) return makeIter(strIterType, o, { i: 0 });
    if (o instanceof PyDict) return makeIter(dictKeyIterType, o, { i: 0, kind: 'keys' });
    if (o instanceof PySet) return makeIter(setIterType, o, { i: 0 });
    const native = it.nativeIter.get(ty);
    if (native) return native(o);
    if (it.findDunder(o, '__getitem__')) return makeIter(seqIterType, o, { i: 0 });
    it.typeError(`'${it.typeName(o)}' object is not iterable`);
  };

  it.next = (iter: PyObject): PyObject | null => {
    const ty = iter.ob_type as PyType;
    if (iter instanceof PyHolder && iterTypes.has(ty)) {
      const st = iter.state as IterState;
      const seq = iter.refs[0];
      if (seq === null) return null;
      let v: PyObject | null = null;
      if (ty === listIterType || ty === tupleIterType) {
        const items = (seq as PyList).items;
        if (st.i < items.length) v = it.incref(items[st.i++]);
      } else if (ty === strIterType) {
        const s = (seq as PyStr).v;
        if (st.i < s.length) {
          const cp = s.codePointAt(st.i)!;
          const ch = String.fromCodePoint(cp);
          st.i += ch.length;
          // 2.7: iterating a unicode string yields unicode characters.
          v = it.py2 && seq.ob_type === t.unicode ? rt.newUnicode(ch) : it.str(ch);
        }
      } else if (ty === dictKeyIterType || ty === dictValueIterType || ty === dictItemIterType) {
        const d = seq as PyDict;
        if ((st as IterState & { used?: number }).used === undefined) (st as IterState & { used?: number }).used = d.used;
        if (d.used !== (st as IterState & { used?: number }).used) it.raise('RuntimeError', 'dictionary changed size during iteration');
        while (st.i < d.nentries && d.keyAt(st.i) === null) st.i++;
        if (st.i < d.nentries) {
          const k = d.keyAt(st.i)!;
          const val = d.valueAt(st.i)!;
          st.i++;
          if (st.kind === 'values') v = it.incref(val);
          else if (st.kind === 'items') v = rt.newTuple([it.incref(k), it.incref(val)]);
          else v = it.incref(k);
        }
      } else if (ty === setIterType) {
        const s = seq as PySet;
        while (st.i < s.table.length && !s.table[st.i]) st.i++;
        if (st.i < s.table.length) v = it.incref(s.table[st.i++]!);
      } else if (ty === rangeIterType) {
        const cur = st.cur!;
        if ((st.step! > 0 && cur < st.stop!) || (st.step! < 0 && cur > st.stop!)) {
          st.cur = cur + st.step!;
          v = it.int(cur);
        }
      } else if (ty === seqIterType) {
        const idx = it.int(st.i++);
        try {
          v = it.getitem(seq, idx);
        } catch (e) {
          if (e instanceof PyExc && (it.isInstance(e.exc, it.exc.IndexError) || it.isInstance(e.exc, it.exc.StopIteration))) {
            it.decref(e.exc);
            it.raising = Math.max(0, it.raising - 1);
            v = null;
          } else throw e;
        } finally {
          it.decref(idx);
        }
      } else if (ty === callIterType) {
        const r = it.call(seq, []);
        if (it.eq(r, iter.refs[1]!)) {
          it.decref(r);
          v = null;
        } else v = r;
      }
      if (v === null) {
        // Exhausted iterators drop their sequence (CPython: it_seq = NULL).
        iter.refs[0] = null;
        it.decref(seq);
      }
      return v;
    }
    if (iter instanceof PyGenerator) return it.genSend(iter, rt.None);
    const native = it.nativeNext.get(ty);
    if (native) return native(iter);
    const m = it.findDunder(iter, it.py2 ? 'next' : '__next__') ?? it.findDunder(iter, '__next__');
    if (!m) it.typeError(`'${it.typeName(iter)}' object is not an iterator`);
    try {
      return it.callMethodObj(m, iter, []);
    } catch (e) {
      if (e instanceof PyExc && it.isInstance(e.exc, it.exc.StopIteration)) {
        it.decref(e.exc);
        it.raising = Math.max(0, it.raising - 1);
        return null;
      }
      throw e;
    }
  };

  it.iterate = function* (o: PyObject): Generator<PyObject> {
    const iter = it.getIter(o);
    try {
      for (;;) {
        const v = it.next(iter);
        if (v === null) return;
        yield v;
      }
    } finally {
      it.decref(iter);
    }
  };

  it.unpack = (seq: PyObject, n: number, after: number): PyObject[] => {
    let items: PyObject[];
    if ((seq instanceof PyTuple || seq instanceof PyList) && !(seq.ob_type as PyType).isHeapType) items = seq.items.map((x) => it.incref(x));
    else {
      items = [];
      try {
        for (const v of it.iterate(seq)) items.push(v);
      } catch (e) {
        for (const x of items) it.decref(x);
        if (e instanceof PyExc && it.isInstance(e.exc, it.exc.TypeError) && !(seq.ob_type as PyType).isHeapType) {
          it.decref(e.exc);
          it.raising = Math.max(0, it.raising - 1);
          it.typeError(`cannot unpack non-iterable ${it.typeName(seq)} object`);
        }
        throw e;
      }
    }
    if (after < 0) {
      if (items.length !== n) {
        for (const x of items) it.decref(x);
        if (items.length > n) it.raise('ValueError', `too many values to unpack (expected ${n})`);
        it.raise('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`);
      }
      return items;
    }
    if (items.length < n + after) {
      for (const x of items) it.decref(x);
      it.raise('ValueError', `not enough values to unpack (expected at least ${n + after}, got ${items.length})`);
    }
    const mid = rt.newList(items.slice(n, items.length - after));
    return [...items.slice(0, n), mid, ...items.slice(items.length - after)];
  };

  // PyObject_LengthHint: len() when the type has one (a TypeError from it
  // falls through, as in CPython), else the iterator's __length_hint__, else
  // the caller's default. list.extend sizes its buffer from it, which is
  // visible through sys.getsizeof.
  it.lengthHint = (o: PyObject, dflt: number): number => {
    const ty = o.ob_type as PyType;
    if (o instanceof PyHolder && iterTypes.has(ty)) {
      const st = o.state as IterState;
      const seq = o.refs[0];
      if (seq === null) return 0;
      if (ty === listIterType || ty === tupleIterType) return Math.max(0, (seq as PyList).items.length - st.i);
      if (ty === strIterType) return Math.max(0, [...(seq as PyStr).v.slice(st.i)].length);
      if (ty === rangeIterType) {
        const n = st.step! > 0 ? Math.ceil((st.stop! - st.cur!) / st.step!) : Math.ceil((st.cur! - st.stop!) / -st.step!);
        return Math.max(0, n);
      }
    }
    if (o instanceof PyGenerator || (o instanceof PyHolder && iterTypes.has(ty))) return dflt;
    try {
      return it.len(o);
    } catch (e) {
      if (!(e instanceof PyExc) || !it.isInstance(e.exc, it.exc.TypeError)) throw e;
      it.decref(e.exc);
      it.raising = Math.max(0, it.raising - 1);
    }
    const m = it.findDunder(o, '__length_hint__');
    if (!m) return dflt;
    const r = it.callMethodObj(m, o, []);
    if (r === rt.NotImplemented) {
      it.decref(r);
      return dflt;
    }
    if (!(r instanceof PyInt)) {
      const name = it.typeName(r);
      it.decref(r);
      it.typeError(`__length_hint__ must be an integer, not ${name}`);
    }
    const n = Number(r.v);
    it.decref(r);
    if (n < 0) it.raise('ValueError', '__length_hint__() should return >= 0');
    return n;
  };

  /**
   * list_extend, with the buffer sizing of the profile's listobject.c (the
   * capacity shows in sys.getsizeof and in pymalloc's block classes):
   * 3.11 allocates exactly (rounded up to even) when the list has no buffer
   * yet, otherwise grows with list_resize; an iterator without a known length
   * makes room for the hint (default 8) and gives back the excess at the end.
   * 2.7 always goes through list_resize.
   */
  it.listExtend = (l: PyList, src: PyObject): void => {
    const exactWhenEmpty = !it.py2;
    if (((src instanceof PyList || src instanceof PyTuple) && !(src.ob_type as PyType).isHeapType) || src === l) {
      const items = (src as PyList).items.slice();
      if (items.length === 0) return;
      if (exactWhenEmpty && l.allocated === 0) rt.listSetCapacity(l, (items.length + 1) & ~1);
      else rt.listResize(l, l.items.length + items.length);
      for (const x of items) l.items.push(it.incref(x));
      return;
    }
    const iter = it.getIter(src);
    try {
      const n = it.lengthHint(src, 8);
      if (exactWhenEmpty && l.allocated === 0) {
        if (n > 0) rt.listSetCapacity(l, (n + 1) & ~1);
      } else rt.listResize(l, l.items.length + n);
      for (let v = it.next(iter); v !== null; v = it.next(iter)) {
        if (l.items.length >= l.allocated) rt.listResize(l, l.items.length + 1);
        l.items.push(v);
      }
      if (l.items.length < l.allocated) rt.listResize(l, l.items.length);
    } finally {
      it.decref(iter);
    }
  };

  // ------------------------------------------------------------ indexing

  const index = (o: PyObject, n: number, what: string): number => {
    const i = n < 0 ? n + (o instanceof PyStr ? [...o.v].length : (o as PyList).items.length) : n;
    return i;
  };
  void index;

  const asIndex = (k: PyObject, what: string): number => {
    if (k instanceof PyInt) return Number(k.v);
    const m = it.findDunder(k, '__index__');
    if (m) {
      const r = it.callMethodObj(m, k, []);
      const v = Number((r as PyInt).v);
      it.decref(r);
      return v;
    }
    it.typeError(`${what} indices must be integers or slices, not ${it.typeName(k)}`);
  };

  const sliceIndices = (s: PyObject, len: number): [number, number, number] => {
    const [a, b, c] = (s as PyHolder).refs as PyObject[];
    const step = c === rt.None ? 1 : asIndex(c, 'slice');
    if (step === 0) it.raise('ValueError', 'slice step cannot be zero');
    const norm = (v: PyObject, dflt: number, lo: number, hi: number) => {
      if (v === rt.None) return dflt;
      let x = asIndex(v, 'slice');
      if (x < 0) x = Math.max(x + len, lo);
      else x = Math.min(x, hi);
      return x;
    };
    if (step > 0) return [norm(a, 0, 0, len), norm(b, len, 0, len), step];
    return [norm(a, len - 1, -1, len - 1), norm(b, -1, -1, len - 1), step];
  };

  const sliceList = <T>(items: T[], s: PyObject): T[] => {
    const [start, stop, step] = sliceIndices(s, items.length);
    if (step === 1) return items.slice(start, Math.max(start, stop));
    const out: T[] = [];
    if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
    else for (let i = start; i > stop; i += step) out.push(items[i]);
    return out;
  };

  const sliceType = t.slice;
  it.newSlice = (a: PyObject, b: PyObject, c: PyObject): PyObject => rt.newHolder(sliceType, [a, b, c], null, 40);

  it.getitem = (o: PyObject, k: PyObject): PyObject => {
    const ty = o.ob_type as PyType;
    if (it.py2 && k.ob_type === sliceType) {
      const r = it.simpleSlice27(o, k, '__getslice__', null);
      if (r !== null) return r;
    }
    if (ty.isHeapType || o instanceof PyOldInstance) {
      const m = it.findDunder(o, '__getitem__');
      if (m) return it.callMethodObj(m, o, [k]);
    }
    if (o instanceof PyList || o instanceof PyTuple) {
      const items = o.items;
      if (k.ob_type === sliceType) {
        const part = sliceList(items, k).map((x) => it.incref(x));
        return o instanceof PyList ? rt.newList(part) : rt.newTuple(part);
      }
      let i = asIndex(k, o instanceof PyList ? 'list' : 'tuple');
      if (i < 0) i += items.length;
      if (i < 0 || i >= items.length) it.raise('IndexError', `${o instanceof PyList ? 'list' : 'tuple'} index out of range`);
      return it.incref(items[i]);
    }
    if (o instanceof PyDict) {
      const v = it.dictGet(o, k);
      if (v === null) {
        if (ty.isHeapType || ty === t.defaultdict) {
          const miss = it.lookupType(ty, '__missing__');
          if (miss) return it.callMethodObj(miss, o, [k]);
        }
        throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(k)]));
      }
      return it.incref(v);
    }
    if (o instanceof PyStr) {
      const cps = [...o.v];
      // 2.7: indexing and slicing a unicode string give unicode.
      const mk = it.py2 && o.ob_type === t.unicode ? (s: string) => rt.newUnicode(s) : (s: string) => it.str(s);
      if (k.ob_type === sliceType) return mk(sliceList(cps, k).join(''));
      let i = asIndex(k, 'string');
      if (i < 0) i += cps.length;
      if (i < 0 || i >= cps.length) it.raise('IndexError', 'string index out of range');
      return mk(cps[i]);
    }
    const native = it.nativeGetitem.get(ty);
    if (native) return native(o, k);
    if (o instanceof PyType) {
      // A metaclass's __getitem__ first, then the class's __class_getitem__ (an implicit class method).
      const mg = (ty.isHeapType && it.lookupType(ty, '__getitem__')) || null;
      if (mg && !(mg instanceof PyBuiltinFunction)) return it.callMethodObj(mg, o, [k]);
      if (it.lookupType(o, '__class_getitem__')) {
        const cg = it.getattr(o, '__class_getitem__');
        try {
          return it.call(cg, [k]);
        } finally {
          it.decref(cg);
        }
      }
      return it.incref(o);
    }
    it.typeError(`'${it.typeName(o)}' object is not subscriptable`);
  };

  it.setitem = (o: PyObject, k: PyObject, v: PyObject): void => {
    const ty = o.ob_type as PyType;
    if (it.py2 && k.ob_type === sliceType) {
      const r = it.simpleSlice27(o, k, '__setslice__', v);
      if (r !== null) return it.decref(r);
    }
    if (ty.isHeapType || o instanceof PyOldInstance) {
      const m = it.findDunder(o, '__setitem__');
      if (m) {
        it.decref(it.callMethodObj(m, o, [k, v]));
        return;
      }
    }
    if (o instanceof PyList) {
      if (k.ob_type === sliceType) {
        const repl: PyObject[] = [];
        for (const x of it.iterate(v)) repl.push(x);
        const [start, stop, step] = sliceIndices(k, o.items.length);
        if (step !== 1) {
          const idx: number[] = [];
          for (let i = start; step > 0 ? i < stop : i > stop; i += step) idx.push(i);
          if (idx.length !== repl.length) {
            for (const x of repl) it.decref(x);
            it.raise('ValueError', `attempt to assign sequence of size ${repl.length} to extended slice of size ${idx.length}`);
          }
          idx.forEach((i, j) => {
            const old = o.items[i];
            o.items[i] = repl[j];
            it.decref(old);
          });
          return;
        }
        const removed = o.items.splice(start, Math.max(0, stop - start), ...repl);
        rt.listResize(o, o.items.length);
        for (const x of removed) it.decref(x);
        return;
      }
      let i = asIndex(k, 'list');
      if (i < 0) i += o.items.length;
      if (i < 0 || i >= o.items.length) it.raise('IndexError', 'list assignment index out of range');
      const old = o.items[i];
      o.items[i] = it.incref(v);
      it.decref(old);
      return;
    }
    if (o instanceof PyDict) {
      it.dictSet(o, k, v);
      return;
    }
    const native = it.nativeSetitem.get(ty);
    if (native) return native(o, k, v);
    it.typeError(`'${it.typeName(o)}' object does not support item assignment`);
  };

  it.delitem = (o: PyObject, k: PyObject): void => {
    const ty = o.ob_type as PyType;
    if (it.py2 && k.ob_type === sliceType) {
      const r = it.simpleSlice27(o, k, '__delslice__', null);
      if (r !== null) return it.decref(r);
    }
    if (ty.isHeapType || o instanceof PyOldInstance) {
      const m = it.findDunder(o, '__delitem__');
      if (m) {
        it.decref(it.callMethodObj(m, o, [k]));
        return;
      }
    }
    if (o instanceof PyList) {
      if (k.ob_type === sliceType) {
        const [start, stop, step] = sliceIndices(k, o.items.length);
        const idx: number[] = [];
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) idx.push(i);
        idx.sort((a, b) => b - a);
        const removed: PyObject[] = [];
        for (const i of idx) removed.push(...o.items.splice(i, 1));
        rt.listResize(o, o.items.length);
        for (const x of removed) it.decref(x);
        return;
      }
      let i = asIndex(k, 'list');
      if (i < 0) i += o.items.length;
      if (i < 0 || i >= o.items.length) it.raise('IndexError', 'list assignment index out of range');
      const [old] = o.items.splice(i, 1);
      rt.listResize(o, o.items.length);
      it.decref(old);
      return;
    }
    if (o instanceof PyDict) {
      it.dictDel(o, k);
      return;
    }
    const native = it.nativeDelitem.get(ty);
    if (native) return native(o, k);
    it.typeError(`'${it.typeName(o)}' object doesn't support item deletion`);
  };

  it.contains = (c: PyObject, item: PyObject): boolean => {
    const ty = c.ob_type as PyType;
    if (ty.isHeapType) {
      const m = it.findDunder(c, '__contains__');
      if (m) {
        const r = it.callMethodObj(m, c, [item]);
        const b = it.truthy(r);
        it.decref(r);
        return b;
      }
    }
    if (c instanceof PyDict) return it.dictLookup(c, item) >= 0;
    if (c instanceof PySet) return it.setFind(c, item, it.hash(item)) >= 0;
    if (c instanceof PyList || c instanceof PyTuple) {
      for (const x of c.items.slice()) if (x === item || it.eq(x, item)) return true;
      return false;
    }
    if (c instanceof PyStr) {
      if (!(item instanceof PyStr)) it.typeError(`'in <string>' requires string as left operand, not ${it.typeName(item)}`);
      return c.v.includes(item.v);
    }
    const native = it.nativeContains.get(ty);
    if (native) return native(c, item);
    for (const x of it.iterate(c)) {
      const same = x === item || it.eq(x, item);
      it.decref(x);
      if (same) return true;
    }
    return false;
  };

  // ------------------------------------------------------------ arithmetic

  const isNum = (o: PyObject): o is PyInt | PyFloat => o instanceof PyInt || o instanceof PyFloat;

  const intOp = (a: IntValue, b: IntValue, op: number): PyObject | null => {
    if (typeof a === 'number' && typeof b === 'number') {
      let r: number;
      switch (op) {
        case BinOpCode.Add:
          r = a + b;
          break;
        case BinOpCode.Sub:
          r = a - b;
          break;
        case BinOpCode.Mult:
          r = a * b;
          break;
        case BinOpCode.FloorDiv:
          if (b === 0) it.raise('ZeroDivisionError', it.py2 ? 'integer division or modulo by zero' : 'integer division or modulo by zero');
          r = Math.floor(a / b);
          if (!Number.isSafeInteger(a / b) && Math.abs(a) > 2 ** 52) return it.int(norm(intFloorDiv(BigInt(a), BigInt(b))));
          break;
        case BinOpCode.Mod:
          if (b === 0) it.raise('ZeroDivisionError', it.py2 ? 'integer division or modulo by zero' : 'integer modulo by zero');
          r = ((a % b) + b) % b;
          if (b < 0 && r > 0) r += b;
          r = a - Math.floor(a / b) * b;
          break;
        case BinOpCode.BitAnd:
          if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return it.int(a & b);
          return it.int(norm(BigInt(a) & BigInt(b)));
        case BinOpCode.BitOr:
          if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return it.int(a | b);
          return it.int(norm(BigInt(a) | BigInt(b)));
        case BinOpCode.BitXor:
          if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return it.int(a ^ b);
          return it.int(norm(BigInt(a) ^ BigInt(b)));
        default:
          return intOpBig(BigInt(a), BigInt(b), op);
      }
      if (Number.isSafeInteger(r)) return it.int(r);
      return intOpBig(BigInt(a), BigInt(b), op);
    }
    return intOpBig(BigInt(a), BigInt(b), op);
  };

  const intOpBig = (a: bigint, b: bigint, op: number): PyObject | null => {
    switch (op) {
      case BinOpCode.Add:
        return it.int(norm(a + b));
      case BinOpCode.Sub:
        return it.int(norm(a - b));
      case BinOpCode.Mult:
        return it.int(norm(a * b));
      case BinOpCode.FloorDiv:
        if (b === 0n) it.raise('ZeroDivisionError', 'integer division or modulo by zero');
        return it.int(norm(intFloorDiv(a, b)));
      case BinOpCode.Mod:
        if (b === 0n) it.raise('ZeroDivisionError', it.py2 ? 'integer division or modulo by zero' : 'integer modulo by zero');
        return it.int(norm(intMod(a, b)));
      case BinOpCode.Div:
        if (it.py2) {
          if (b === 0n) it.raise('ZeroDivisionError', 'integer division or modulo by zero');
          return it.int(norm(intFloorDiv(a, b)));
        }
        if (b === 0n) it.raise('ZeroDivisionError', 'division by zero');
        return rt.newFloat(intTrueDiv(a, b));
      case BinOpCode.Pow: {
        if (b < 0n) {
          if (a === 0n) it.raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
          return rt.newFloat(Number(a) ** Number(b));
        }
        const r = intPow(a, b);
        return typeof r === 'number' ? rt.newFloat(r) : it.int(norm(r));
      }
      case BinOpCode.LShift:
        if (b < 0n) it.raise('ValueError', 'negative shift count');
        return it.int(norm(a << b));
      case BinOpCode.RShift:
        if (b < 0n) it.raise('ValueError', 'negative shift count');
        return it.int(norm(a >> b));
      case BinOpCode.BitAnd:
        return it.int(norm(a & b));
      case BinOpCode.BitOr:
        return it.int(norm(a | b));
      case BinOpCode.BitXor:
        return it.int(norm(a ^ b));
      default:
        return null;
    }
  };

  const floatOp = (x: number, y: number, op: number): PyObject | null => {
    switch (op) {
      case BinOpCode.Add:
        return rt.newFloat(x + y);
      case BinOpCode.Sub:
        return rt.newFloat(x - y);
      case BinOpCode.Mult:
        return rt.newFloat(x * y);
      case BinOpCode.Div:
      case BinOpCode.TrueDiv:
        if (y === 0) it.raise('ZeroDivisionError', it.py2 ? 'float division by zero' : 'float division by zero');
        return rt.newFloat(x / y);
      case BinOpCode.FloorDiv:
        if (y === 0) it.raise('ZeroDivisionError', 'float floor division by zero');
        return rt.newFloat(floatFloorDiv(x, y));
      case BinOpCode.Mod:
        if (y === 0) it.raise('ZeroDivisionError', 'float modulo');
        return rt.newFloat(floatMod(x, y));
      case BinOpCode.Pow: {
        const r = floatPow(x, y);
        if (r === null) it.raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return rt.newFloat(r);
      }
      default:
        return null;
    }
  };

  const builtinBinary = (a: PyObject, b: PyObject, op: number): PyObject | null => {
    if (a instanceof PyBytes || a instanceof PyByteArray || b instanceof PyBytes || b instanceof PyByteArray) {
      const r = it.bytesBinary(a, b, op);
      if (r) return r;
    }
    if (a instanceof PyInt && b instanceof PyInt) {
      if ((op === BinOpCode.Div && !it.py2) || op === BinOpCode.TrueDiv) {
        if (b.v === 0 || b.v === 0n) it.raise('ZeroDivisionError', 'division by zero');
        if (typeof a.v === 'number' && typeof b.v === 'number' && Math.abs(a.v) < 2 ** 53 && Math.abs(b.v) < 2 ** 53) return rt.newFloat(a.v / b.v);
        return rt.newFloat(intTrueDiv(BigInt(a.v), BigInt(b.v)));
      }
      // 2.7: a long operand makes it the long type's error.
      if (it.py2 && (b.v === 0 || b.v === 0n) && (a.ob_type === t.long || b.ob_type === t.long) && (op === BinOpCode.Div || op === BinOpCode.FloorDiv || op === BinOpCode.Mod)) {
        it.raise('ZeroDivisionError', 'long division or modulo by zero');
      }
      const r = op === BinOpCode.Pow || op === BinOpCode.LShift || op === BinOpCode.RShift || op === BinOpCode.Div ? intOpBig(BigInt(a.v), BigInt(b.v), op) : intOp(a.v, b.v, op);
      return it.py2 ? toLong27(r, a.ob_type === t.long || b.ob_type === t.long) : r;
    }
    if (isNum(a) && isNum(b)) return floatOp(Number(a.v), Number(b.v), op);
    if ((a instanceof PyComplex || isNum(a)) && (b instanceof PyComplex || isNum(b))) {
      const [ar, ai] = a instanceof PyComplex ? [a.real, a.imag] : [Number(a.v), 0];
      const [br, bi] = b instanceof PyComplex ? [b.real, b.imag] : [Number(b.v), 0];
      switch (op) {
        case BinOpCode.Add:
          return rt.newComplex(ar + br, ai + bi);
        case BinOpCode.Sub:
          return rt.newComplex(ar - br, ai - bi);
        case BinOpCode.Mult:
          return rt.newComplex(ar * br - ai * bi, ar * bi + ai * br);
        case BinOpCode.Div:
        case BinOpCode.TrueDiv: {
          const d = br * br + bi * bi;
          if (d === 0) it.raise('ZeroDivisionError', 'complex division by zero');
          return rt.newComplex((ar * br + ai * bi) / d, (ai * br - ar * bi) / d);
        }
      }
    }
    if (a instanceof PyStr && b instanceof PyStr && op === BinOpCode.Add) return it.py2 && (a.ob_type === t.unicode || b.ob_type === t.unicode) ? rt.newUnicode(a.v + b.v) : it.str(a.v + b.v);
    if (a instanceof PyStr && op === BinOpCode.Mod) {
      // 2.7: formatting with a unicode format or a unicode argument gives unicode.
      if (it.py2 && (a.ob_type === t.unicode || b.ob_type === t.unicode || (b instanceof PyTuple && b.items.some((x) => x.ob_type === t.unicode)))) return rt.newUnicode(percent(a.v, b));
      return it.str(percent(a.v, b));
    }
    if (op === BinOpCode.Mult) {
      const rep = (seq: PyObject, n: PyObject): PyObject | null => {
        if (!(n instanceof PyInt)) return null;
        const k = Math.max(0, Number(n.v));
        // MemoryError before JavaScript builds the contents (V8 would abort the process for a huge array).
        const len = seq instanceof PyStr ? seq.v.length : seq instanceof PyList || seq instanceof PyTuple ? seq.items.length * 8 : 0;
        if (k > 1 && len > 0) rt.reserve(len * k);
        if (seq instanceof PyStr) return it.py2 && seq.ob_type === t.unicode ? rt.newUnicode(seq.v.repeat(k)) : it.str(seq.v.repeat(k));
        if (seq instanceof PyList) {
          const items: PyObject[] = [];
          for (let i = 0; i < k; i++) for (const x of seq.items) items.push(it.incref(x));
          return rt.newList(items);
        }
        if (seq instanceof PyTuple) {
          if (k === 1) return it.incref(seq);
          const items: PyObject[] = [];
          for (let i = 0; i < k; i++) for (const x of seq.items) items.push(it.incref(x));
          return rt.newTuple(items);
        }
        return null;
      };
      const r = rep(a, b) ?? rep(b, a);
      if (r) return r;
    }
    if (op === BinOpCode.Add) {
      if (a instanceof PyList && b instanceof PyList) return rt.newList([...a.items, ...b.items].map((x) => it.incref(x)));
      if (a instanceof PyTuple && b instanceof PyTuple) return rt.newTuple([...a.items, ...b.items].map((x) => it.incref(x)));
    }
    if (a instanceof PySet && b instanceof PySet) {
      // set_or, set_and, set_sub, set_xor.
      if (op === BinOpCode.BitOr) {
        const r = setCopy(it, a);
        if (a !== b) {
          try {
            setUpdateInternal(it, r, b);
          } catch (e) {
            it.decref(r);
            throw e;
          }
        }
        return r;
      }
      if (op === BinOpCode.BitAnd) return setIntersection(it, a, b);
      if (op === BinOpCode.Sub) return setDifference(it, a, b);
      if (op === BinOpCode.BitXor) return setSymmetricDifference(it, a, b);
    }
    if (a instanceof PyDict && b instanceof PyDict && op === BinOpCode.BitOr && !it.py2) {
      const d = rt.newDict();
      for (const [k, v] of it.dictEntries(a)) it.dictSet(d, k, v);
      for (const [k, v] of it.dictEntries(b)) it.dictSet(d, k, v);
      return d;
    }
    return null;
  };

  const percent = (fmt: string, args: PyObject): string => {
    try {
      return percentFormat<PyObject>(fmt, args, {
        isTuple: (o: PyObject) => o instanceof PyTuple,
        tupleItems: (o: PyObject) => (o as PyTuple).items,
        isMapping: (o: PyObject) => o instanceof PyDict || (!(o instanceof PyTuple) && !(o instanceof PyStr) && it.findDunder(o, '__getitem__') !== null),
        getitem: (o: PyObject, key: string) => {
          const k = it.str(key);
          try {
            const v = it.getitem(o, k);
            it.decref(v);
            return v;
          } finally {
            it.decref(k);
          }
        },
        str: (o: PyObject) => it.strString(o),
        repr: (o: PyObject) => it.reprString(o),
        ascii: (o: PyObject) => it.reprString(o),
        typeName: (o: PyObject) => it.typeName(o),
        toInt: (o: PyObject, how: string) => {
          if (o instanceof PyInt) return BigInt(o.v);
          if (how === 'int' && o instanceof PyFloat) return BigInt(Math.trunc(o.v));
          return undefined;
        },
        toFloat: (o: PyObject) => (o instanceof PyInt || o instanceof PyFloat ? Number(o.v) : undefined),
        strValue: (o: PyObject) => (o instanceof PyStr ? o.v : undefined),
      } as never);
    } catch (e) {
      it.fromTextError(e);
    }
  };

  it.binaryOp = (a: PyObject, b: PyObject, op: number, inplace: boolean): PyObject => {
    const ta = a.ob_type as PyType;
    const tb = b.ob_type as PyType;
    // 2.7 classic division `/` calls __div__ / __rdiv__ / __idiv__.
    const name = it.py2 && op === BinOpCode.Div ? 'div' : BINOP_DUNDERS[op];
    if (inplace) {
      if (a instanceof PyList && !ta.isHeapType && op === BinOpCode.Add) {
        it.listExtend(a, b);
        return it.incref(a);
      }
      if (a instanceof PyList && !ta.isHeapType && op === BinOpCode.Mult && b instanceof PyInt) {
        // list_inplace_repeat: grows through list_resize (over-allocating).
        const n = Number(b.v);
        const size = a.items.length;
        if (size === 0 || n === 1) return it.incref(a);
        if (n < 1) {
          a.clear(rt);
          return it.incref(a);
        }
        if (size * n > 0x7fffffff) it.raise('MemoryError', '');
        rt.listResize(a, size * n);
        const items = a.items.slice(0, size);
        for (let k = 1; k < n; k++) for (const x of items) a.items.push(it.incref(x));
        return it.incref(a);
      }
      if (a instanceof PyByteArray && !ta.isHeapType) {
        const r = it.byteArrayInplace(a, b, op);
        if (r) return r;
      }
      if (a instanceof PySet && b instanceof PySet && !ta.isHeapType && a.ob_type !== t.frozenset) {
        // set_ior, set_iand, set_isub, set_ixor update the set itself.
        if (op === BinOpCode.BitOr) setUpdateInternal(it, a, b);
        else if (op === BinOpCode.BitAnd) setIntersectionUpdate(it, a, [b]);
        else if (op === BinOpCode.Sub) setDifferenceUpdate(it, a, b);
        else if (op === BinOpCode.BitXor) setSymmetricDifferenceUpdate(it, a, b);
        if (op === BinOpCode.BitOr || op === BinOpCode.BitAnd || op === BinOpCode.Sub || op === BinOpCode.BitXor) return it.incref(a);
      }
      const im = it.findDunder(a, `__i${name}__`);
      if (im) {
        const r = it.callMethodObj(im, a, [b]);
        if (r !== rt.NotImplemented) return r;
        it.decref(r);
      }
    }
    const userA = ta.isHeapType || a.ob_type === t.instance;
    const userB = tb.isHeapType || b.ob_type === t.instance;
    if (!userA && !userB) {
      const r = builtinBinary(a, b, op);
      if (r) return r;
    } else {
      const fwd = it.findDunder(a, `__${name}__`);
      const rev = ta !== tb ? it.findDunder(b, `__r${name}__`) : null;
      const tryRev = () => {
        if (!rev) return null;
        const r = it.callMethodObj(rev, b, [a]);
        if (r === rt.NotImplemented) {
          it.decref(r);
          return null;
        }
        return r;
      };
      if (rev && tb.isSubtypeOf(ta) && ta !== tb) {
        const r = tryRev();
        if (r) return r;
      }
      if (fwd) {
        const r = it.callMethodObj(fwd, a, [b]);
        if (r !== rt.NotImplemented) return r;
        it.decref(r);
      }
      const r2 = tryRev();
      if (r2) return r2;
      const r3 = builtinBinary(a, b, op);
      if (r3) return r3;
    }
    const sym = BINOP_SYMBOLS[op] + (inplace ? '=' : '');
    if (op === BinOpCode.Add && a instanceof PyStr && it.py2 && a.ob_type === t.str && !(b instanceof PyStr)) it.typeError(`cannot concatenate 'str' and '${it.typeName(b)}' objects`);
    if (op === BinOpCode.Add && a instanceof PyStr) it.typeError(`can only concatenate str (not "${it.typeName(b)}") to str`);
    if (op === BinOpCode.Add && a instanceof PyList) it.typeError(`can only concatenate list (not "${it.typeName(b)}") to list`);
    if (op === BinOpCode.Mult && (a instanceof PyStr || a instanceof PyList || a instanceof PyTuple)) it.typeError(`can't multiply sequence by non-int of type '${it.typeName(b)}'`);
    it.typeError(`unsupported operand type(s) for ${op === BinOpCode.Pow && !inplace ? '** or pow()' : sym}: '${it.typeName(a)}' and '${it.typeName(b)}'`);
  };

  it.unaryOp = (a: PyObject, op: Op): PyObject => {
    if (it.py2 && a instanceof PyInt && a.ob_type === t.long && op !== Op.UNARY_POSITIVE) {
      const v = BigInt(a.v);
      return rt.newLong(norm(op === Op.UNARY_NEGATIVE ? -v : -v - 1n));
    }
    if (a instanceof PyInt) {
      const v = a.v;
      if (op === Op.UNARY_NEGATIVE) return typeof v === 'number' ? it.int(v === 0 ? 0 : -v) : it.int(norm(-v));
      if (op === Op.UNARY_POSITIVE) return a.ob_type === t.bool ? it.int(Number(v)) : it.incref(a);
      if (op === Op.UNARY_INVERT) return typeof v === 'number' ? it.int(-v - 1) : it.int(norm(-v - 1n));
    }
    if (a instanceof PyFloat) {
      if (op === Op.UNARY_NEGATIVE) return rt.newFloat(-a.v);
      if (op === Op.UNARY_POSITIVE) return rt.newFloat(a.v);
    }
    const name = op === Op.UNARY_NEGATIVE ? '__neg__' : op === Op.UNARY_POSITIVE ? '__pos__' : '__invert__';
    const m = it.findDunder(a, name);
    if (m) return it.callMethodObj(m, a, []);
    const sym = op === Op.UNARY_NEGATIVE ? '-' : op === Op.UNARY_POSITIVE ? '+' : '~';
    it.typeError(`bad operand type for unary ${sym}: '${it.typeName(a)}'`);
  };

  // -------------------------------------------------------------- format

  it.format = (o: PyObject, spec: string): PyObject => {
    const m = it.findDunder(o, '__format__');
    if (m) {
      const s = it.str(spec);
      try {
        return it.callMethodObj(m, o, [s]);
      } finally {
        it.decref(s);
      }
    }
    try {
      if (o instanceof PyStr) return spec === '' ? it.incref(o) : it.str(formatStr(o.v, spec));
      if (o instanceof PyInt) {
        if (o.ob_type === t.bool && spec === '') return it.str(o.v ? 'True' : 'False');
        return it.str(spec === '' ? String(o.v) : formatInt(BigInt(o.v), spec));
      }
      if (o instanceof PyFloat) return it.str(spec === '' ? floatRepr(o.v) : formatFloat(o.v, spec));
      if (spec !== '') it.typeError(`unsupported format string passed to ${it.typeName(o)}.__format__`);
      return it.toStr(o);
    } catch (e) {
      it.fromTextError(e);
    }
  };

  void PyBaseException;
  void PyCode;
  void GEN_DONE;
}
