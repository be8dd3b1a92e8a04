/*
 * bytes and bytearray: constructors, methods and operators.
 *
 * Both types share one method table: a method reads its receiver's bytes
 * (`view`) and builds a result of the receiver's kind (`make`), so
 * b"ab".upper() is bytes and bytearray(b"ab").upper() a new bytearray. The
 * byte algorithms are pure (text/bytesmethods.ts for the ASCII-only ones;
 * the searching, splitting and padding ones of text/strmethods.ts applied to
 * latin-1 strings, which hold one char per byte).
 *
 * What is observable about memory follows CPython 3.11:
 *  - bytes are one block of 33 + len bytes; the empty bytes and the 256
 *    one-byte objects are shared singletons, and an operation that would
 *    copy an exact bytes object unchanged returns it (b[:], b * 1, b + b"",
 *    a strip or replace that changes nothing, bytes(b));
 *  - a bytearray is a 56-byte object plus a buffer of ob_alloc bytes
 *    (sys.getsizeof = 56 + ob_alloc), resized by Runtime.byteArrayResize
 *    with PyByteArray_Resize's over-allocation. Every mutation goes through
 *    the resize CPython makes for it: append/insert/pop/remove resize by
 *    one, += and extend(buffer) by the other's length, slice assignment
 *    by its growth (a shrink at the front advances ob_start instead of
 *    moving bytes), extend(iterable) fills a temporary bytearray first.
 *
 * In the 2.7 profile bytes is str, so only bytearray uses these methods;
 * its bytes-valued results (bytes(ba), the items of a 2.7 str join...) are
 * 2.7 str objects.
 */
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyHolder } from '../heap/misc.js';
import type { PyObject } from '../heap/object.js';
import { PyByteArray, PyBytes, PyInt, PyStr } from '../heap/scalars.js';
import type { PyType } from '../heap/types.js';
import { splitArgs } from './builtins.js';
import { PyExc } from './errors.js';
import type { Args, Interpreter, NativeFn } from './interp.js';
import { BinOpCode } from './opcodes.js';
import * as B from './text/bytesmethods.js';
import { decode, encode } from './text/codecs.js';
import { sliceIndices } from './text/codepoints.js';
import { percentFormat } from './text/percent.js';
import { asciiOfRepr, bytesRepr } from './text/repr.js';
import * as SM from './text/strmethods.js';

type Bytesish = PyBytes | PyByteArray;

export function installBytes(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const py2 = it.py2;
  const BA = t.bytearray;

  // ------------------------------------------------------- reading arguments

  /** The bytes of a bytes-like object (a view: copy before mutating), or null. */
  const view = (o: PyObject): Uint8Array | null => {
    if (o instanceof PyBytes || o instanceof PyByteArray) return o.v;
    // 2.7: str is the byte string (one char per byte).
    if (py2 && o instanceof PyStr && o.ob_type === t.str) return B.fromLatin1(o.v);
    return null;
  };
  it.bytesView = view;
  const need = (o: PyObject): Uint8Array => view(o) ?? it.typeError(`a bytes-like object is required, not '${it.typeName(o)}'`);
  const S = (o: PyObject | null): string => B.latin1((o as Bytesish).v);

  /** An int through __index__, as PyNumber_AsSsize_t. */
  const indexValue = (o: PyObject): number => {
    if (o instanceof PyInt) return Number(o.v);
    const m = it.findDunder(o, '__index__');
    if (m) {
      const r = it.callMethodObj(m, o, []);
      const n = Number((r as PyInt).v);
      it.decref(r);
      return n;
    }
    it.typeError(`'${it.typeName(o)}' object cannot be interpreted as an integer`);
  };
  const hasIndex = (o: PyObject): boolean => o instanceof PyInt || it.findDunder(o, '__index__') !== null;
  const byteValue = (o: PyObject): number => {
    const n = indexValue(o);
    if (n < 0 || n > 255) it.raise('ValueError', 'byte must be in range(0, 256)');
    return n;
  };
  /** A start/end argument: None or omitted is undefined. */
  const optIndex = (o: PyObject | undefined): number | undefined => {
    if (o === undefined || o === rt.None) return undefined;
    if (!hasIndex(o)) it.typeError('slice indices must be integers or None or have an __index__ method');
    return indexValue(o);
  };
  /** The needle of find/count/index: a bytes-like object or one byte as an int. */
  const subArg = (o: PyObject): string => {
    const v = view(o);
    if (v) return B.latin1(v);
    if (hasIndex(o)) return String.fromCharCode(byteValue(o));
    it.typeError(`argument should be integer or bytes-like object, not '${it.typeName(o)}'`);
  };

  /** Positional-or-keyword arguments by name; the first `min` are required. */
  const params = (fname: string, args: Args, kw: string[] | null, names: string[], min: number): (PyObject | undefined)[] => {
    const [pos, k] = splitArgs(args, kw);
    if (pos.length > names.length) {
      it.typeError(`${fname}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${pos.length} given)`);
    }
    for (const key of k.keys()) if (!names.includes(key)) it.typeError(`${fname}() got an unexpected keyword argument '${key}'`);
    const out = names.map((n, i) => pos[i] ?? k.get(n));
    for (let i = 0; i < min; i++) {
      if (out[i] === undefined) it.typeError(`${fname}() missing required argument '${names[i]}' (pos ${i + 1})`);
    }
    return out;
  };
  const text = (fname: string, o: PyObject | undefined, dflt: string, argn: number): string => {
    if (o === undefined) return dflt;
    if (!(o instanceof PyStr)) it.typeError(`${fname}() argument ${argn} must be str, not ${it.typeName(o)}`);
    return o.v;
  };
  const run = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      it.fromTextError(e);
    }
  };

  // ------------------------------------------------------- building results

  /** A new bytes object (a 2.7 str in the 2.7 profile). */
  const newBytes = (b: Uint8Array): PyObject => (py2 ? it.str(B.latin1(b)) : rt.newBytes(b));
  /** A result of the receiver's kind: bytearray stays bytearray. */
  const make = (self: PyObject | null, b: Uint8Array): PyObject => (self instanceof PyByteArray ? rt.newByteArray(b) : newBytes(b));
  const makeS = (self: PyObject | null, s: string): PyObject => make(self, B.fromLatin1(s));
  /**
   * Like makeS, but an exact bytes receiver comes back itself when the text
   * is unchanged, as CPython's strip/pad/replace return self then.
   */
  const sameOr = (self: PyObject | null, before: string, after: string): PyObject => {
    if (after === before && self!.ob_type === t.bytes) return it.incref(self!);
    return makeS(self, after);
  };
  const list = (self: PyObject | null, parts: string[]): PyObject => rt.newList(parts.map((p) => makeS(self, p)));

  // ------------------------------------------------------------- bytearray

  /**
   * bytearray_setslice_linear: replaces [lo, hi) by `repl`, resizing by the
   * growth. A shrink at the front (lo == 0) moves ob_start.
   */
  const setSliceLinear = (self: PyByteArray, lo: number, hi: number, repl: Uint8Array): void => {
    if (hi < lo) hi = lo;
    const size = self.len;
    const growth = repl.length - (hi - lo);
    const tail = self.buf.slice(hi, size);
    if (growth < 0) {
      if (lo === 0) rt.byteArrayAdvanceStart(self, -growth);
      rt.byteArrayResize(self, size + growth);
    } else if (growth > 0) {
      rt.byteArrayResize(self, size + growth);
    }
    self.buf.set(repl, lo);
    self.buf.set(tail, lo + repl.length);
  };

  /** A temporary bytearray copy (CPython makes one when a slice source is self or not a bytearray). */
  const withTemp = <T>(src: Uint8Array, f: (tmp: PyByteArray) => T): T => {
    const tmp = rt.newByteArray(src.slice());
    try {
      return f(tmp);
    } finally {
      it.decref(tmp);
    }
  };

  /** bytearray(x) / bytearray.__init__ contents, as bytearray_init fills them. */
  const fillByteArray = (self: PyByteArray, args: Args, kw: string[] | null, name: string): void => {
    const [src, encArg, errArg] = params(name, args, kw, ['source', 'encoding', 'errors'], 0);
    if (src === undefined) {
      if (encArg || errArg) it.typeError(encArg ? 'encoding without a string argument' : 'errors without a string argument');
      return;
    }
    if (src instanceof PyStr && !(py2 && src.ob_type === t.str)) {
      if (!encArg) it.typeError('string argument without an encoding');
      const b = run(() => encode(src.v, text(name, encArg, 'utf-8', 2), text(name, errArg, 'strict', 3)));
      rt.byteArrayResize(self, b.length);
      self.buf.set(b);
      return;
    }
    if (encArg || errArg) it.typeError(encArg ? 'encoding without a string argument' : 'errors without a string argument');
    const v = view(src);
    if (v) {
      const copy = v.slice();
      rt.byteArrayResize(self, copy.length);
      self.buf.set(copy);
      return;
    }
    if (hasIndex(src)) {
      const n = indexValue(src);
      if (n < 0) it.raise('ValueError', 'negative count');
      rt.byteArrayResize(self, n);
      return;
    }
    if ((src instanceof PyList || src instanceof PyTuple) && !(src.ob_type as PyType).isHeapType && !py2) {
      // The list/tuple fast path: one resize to the final size.
      const vals = src.items.map(byteValue);
      rt.byteArrayResize(self, vals.length);
      self.buf.set(vals);
      return;
    }
    const iter = iterOrNull(src);
    if (!iter) it.typeError(`cannot convert '${it.typeName(src)}' object to bytearray`);
    // Anything else is iterated, one resize per byte (which over-allocates).
    for (const x of drain(iter)) {
      let b: number;
      try {
        b = byteValue(x);
      } finally {
        it.decref(x);
      }
      const n = self.len;
      rt.byteArrayResize(self, n + 1);
      self.buf[n] = b;
    }
  };
  /** it.getIter(o), or null when o is not iterable (that TypeError is dropped). */
  const iterOrNull = (o: PyObject): PyObject | null => {
    try {
      return it.getIter(o);
    } catch (e) {
      if (e instanceof PyExc && it.isInstance(e.exc, it.exc.TypeError)) {
        it.decref(e.exc);
        it.raising = Math.max(0, it.raising - 1);
        return null;
      }
      throw e;
    }
  };
  function* drain(iter: PyObject): Generator<PyObject> {
    try {
      for (;;) {
        const v = it.next(iter);
        if (v === null) return;
        yield v;
      }
    } finally {
      it.decref(iter);
    }
  }

  /** PyObject_LengthHint for extend()'s temporary buffer (32 when unknown). */
  const lengthHint = (o: PyObject): number => {
    if (o instanceof PyList || o instanceof PyTuple) return o.items.length;
    if (o instanceof PyDict || o instanceof PySet) return o.used;
    if (o instanceof PyStr) return o.length;
    if (o.ob_type === t.range) return it.len(o);
    return 32;
  };

  const extend = (self: PyByteArray, src: PyObject): void => {
    const v = view(src);
    if (v) {
      // bytearray_setslice at the end; a source that is self is copied first.
      if (src === self) withTemp(v, (tmp) => setSliceLinear(self, self.len, self.len, tmp.v.slice()));
      else setSliceLinear(self, self.len, self.len, v.slice());
      return;
    }
    const iter = iterOrNull(src);
    if (!iter) it.typeError(`can't extend bytearray with ${it.typeName(src)}`);
    // bytearray_extend: fill a temporary bytearray sized by the length hint,
    // growing it by half when full, trim it, then splice it in.
    let bufSize = lengthHint(src);
    const tmp = rt.newByteArray(new Uint8Array(0));
    try {
      rt.byteArrayResize(tmp, bufSize);
      let n = 0;
      for (const x of drain(iter)) {
        let b: number;
        try {
          b = byteValue(x);
        } finally {
          it.decref(x);
        }
        tmp.buf[n++] = b;
        if (n >= bufSize) {
          bufSize = n + (n >> 1) + 1;
          rt.byteArrayResize(tmp, bufSize);
        }
      }
      rt.byteArrayResize(tmp, n);
      setSliceLinear(self, self.len, self.len, tmp.v.slice());
    } finally {
      it.decref(tmp);
    }
  };

  // ---------------------------------------------------------- subscripting

  const sliceBounds = (len: number, k: PyObject): [number, number, number, number] => {
    const [a, b, c] = (k as PyHolder).refs as PyObject[];
    return run(() => sliceIndices(len, optIndex(a), optIndex(b), optIndex(c)));
  };
  const pick = (v: Uint8Array, start: number, step: number, n: number): Uint8Array => {
    if (step === 1) return v.slice(start, start + n);
    const out = new Uint8Array(n);
    for (let i = 0, j = start; i < n; i++, j += step) out[i] = v[j];
    return out;
  };

  const getitem = (o: PyObject, k: PyObject): PyObject => {
    const v = (o as Bytesish).v;
    const ba = o instanceof PyByteArray;
    if (k.ob_type === t.slice) {
      const [start, , step, n] = sliceBounds(v.length, k);
      if (!ba && o.ob_type === t.bytes && step === 1 && n === v.length) return it.incref(o);
      return make(o, pick(v, start, step, n));
    }
    if (!hasIndex(k)) it.typeError(`${ba ? 'bytearray' : 'byte'} indices must be integers or slices, not ${it.typeName(k)}`);
    let i = indexValue(k);
    if (i < 0) i += v.length;
    if (i < 0 || i >= v.length) it.raise('IndexError', ba ? 'bytearray index out of range' : 'index out of range');
    return it.int(v[i]);
  };

  /** bytearray_ass_subscript; `value` null deletes. */
  const assign = (self: PyByteArray, k: PyObject, value: PyObject | null): void => {
    if (k.ob_type !== t.slice) {
      if (!hasIndex(k)) it.typeError(`bytearray indices must be integers or slices, not ${it.typeName(k)}`);
      let i = indexValue(k);
      if (i < 0) i += self.len;
      if (i < 0 || i >= self.len) it.raise('IndexError', 'bytearray index out of range');
      if (value === null) setSliceLinear(self, i, i + 1, new Uint8Array(0));
      else self.buf[i] = byteValue(value);
      return;
    }
    const [start, stop, step, n] = sliceBounds(self.len, k);
    if (value === null) {
      if (step === 1) {
        setSliceLinear(self, start, stop, new Uint8Array(0));
        return;
      }
      if (n === 0) return;
      const drop = new Set<number>();
      for (let i = 0, j = start; i < n; i++, j += step) drop.add(j);
      const kept = self.v.filter((_, i) => !drop.has(i));
      self.buf.set(kept);
      rt.byteArrayResize(self, kept.length);
      return;
    }
    // A source that is not a bytearray (or is self) becomes one first.
    let src: Uint8Array;
    if (value instanceof PyByteArray && value !== self) src = value.v.slice();
    else {
      if (hasIndex(value) || value instanceof PyStr || value === rt.None) {
        it.typeError('can assign only bytes, buffers, or iterables of ints in range(0, 256)');
      }
      const tmp = rt.newByteArray(new Uint8Array(0));
      try {
        fillByteArray(tmp, [value], null, 'bytearray');
        src = tmp.v.slice();
      } finally {
        it.decref(tmp);
      }
    }
    if (step === 1) {
      setSliceLinear(self, start, stop, src);
      return;
    }
    if (src.length !== n) it.raise('ValueError', `attempt to assign bytes of size ${src.length} to extended slice of size ${n}`);
    for (let i = 0, j = start; i < n; i++, j += step) self.buf[j] = src[i];
  };

  const contains = (o: PyObject, x: PyObject): boolean => {
    const hay = S(o);
    if (hasIndex(x)) return hay.includes(String.fromCharCode(byteValue(x)));
    return hay.includes(B.latin1(need(x)));
  };

  // ------------------------------------------------------------- operators

  const repeat = (self: PyObject, nObj: PyObject): PyObject => {
    const v = (self as Bytesish).v;
    const n = Math.max(0, indexValue(nObj));
    if (n === 1 && self.ob_type === t.bytes) return it.incref(self);
    if (v.length * n > 512) rt.reserve(v.length * n);
    const out = new Uint8Array(v.length * n);
    for (let i = 0; i < n; i++) out.set(v, i * v.length);
    return make(self, out);
  };
  const concat = (a: PyObject, b: PyObject): PyObject => {
    const va = (a as Bytesish).v;
    const vb = view(b);
    if (!vb) it.typeError(`can't concat ${it.typeName(b)} to ${it.typeName(a)}`);
    if (a instanceof PyBytes) {
      // bytes_concat's end cases hand back an exact bytes operand.
      if (va.length === 0 && b.ob_type === t.bytes) return it.incref(b);
      if (vb.length === 0 && a.ob_type === t.bytes) return it.incref(a);
    }
    const out = new Uint8Array(va.length + vb.length);
    out.set(va);
    out.set(vb, va.length);
    return make(a, out);
  };

  /** `%b` / `%s` operand: a bytes-like object or one with __bytes__. */
  const percentBytes = (o: PyObject): string => {
    const v = view(o);
    if (v) return B.latin1(v);
    const m = it.findDunder(o, '__bytes__');
    if (m) {
      const r = it.callMethodObj(m, o, []);
      try {
        return B.latin1(need(r));
      } finally {
        it.decref(r);
      }
    }
    it.typeError(`%b requires a bytes-like object, or an object that implements __bytes__, not '${it.typeName(o)}'`);
  };
  const percent = (self: PyObject, args: PyObject): PyObject => {
    // %b is bytes' own spelling of %s.
    const template = S(self).replace(/%(\([^)]*\))?([-+ #0]*)(\*|\d+)?(\.(\*|\d+)?)?([hlL]?)([a-zA-Z%])/g, (m, key, fl, w, p, _pp, len, type) =>
      type === 'b' ? `%${key ?? ''}${fl}${w ?? ''}${p ?? ''}${len}s` : m,
    );
    const out = run(() =>
      percentFormat<PyObject>(template, args, {
        isTuple: (o) => o instanceof PyTuple,
        tupleItems: (o) => (o as PyTuple).items,
        isMapping: (o) => o instanceof PyDict || (!(o instanceof PyTuple) && view(o) === null && it.findDunder(o, '__getitem__') !== null),
        getitem: (o, key) => {
          const k = newBytes(B.fromLatin1(key));
          try {
            const r = it.getitem(o, k);
            it.decref(r);
            return r;
          } finally {
            it.decref(k);
          }
        },
        str: percentBytes,
        repr: (o) => asciiOfRepr(it.reprString(o)),
        ascii: (o) => asciiOfRepr(it.reprString(o)),
        typeName: (o) => it.typeName(o),
        toInt: (o, how) => {
          if (o instanceof PyInt) return BigInt(o.v);
          if (how !== 'exact' && it.findDunder(o, '__index__')) return BigInt(indexValue(o));
          if (how === 'int' && o.ob_type === t.float) return BigInt(Math.trunc(Number((o as unknown as { v: number }).v)));
          return undefined;
        },
        toFloat: (o) => (o instanceof PyInt || o.ob_type === t.float ? Number((o as unknown as { v: number }).v) : undefined),
        strValue: (o) => {
          const v = view(o);
          return v && v.length === 1 ? String.fromCharCode(v[0]) : undefined;
        },
      }),
    );
    return makeS(self, out);
  };

  it.bytesBinary = (a: PyObject, b: PyObject, op: number): PyObject | null => {
    const aB = a instanceof PyBytes || a instanceof PyByteArray;
    const bB = b instanceof PyBytes || b instanceof PyByteArray;
    if (py2 && !(a instanceof PyByteArray) && !(b instanceof PyByteArray)) return null;
    switch (op) {
      case BinOpCode.Add:
        return aB ? concat(a, b) : null;
      case BinOpCode.Mult:
        if (aB && hasIndex(b)) return repeat(a, b);
        if (bB && hasIndex(a)) return repeat(b, a);
        if (aB) it.typeError(`can't multiply sequence by non-int of type '${it.typeName(b)}'`);
        return null;
      case BinOpCode.Mod:
        return aB ? percent(a, b) : null;
    }
    return null;
  };

  /** `ba += x`, `ba *= n`: in place, through PyByteArray_Resize. */
  it.byteArrayInplace = (a: PyByteArray, b: PyObject, op: number): PyObject | null => {
    if (op === BinOpCode.Add) {
      const vb = view(b);
      if (!vb) it.typeError(`can't concat ${it.typeName(b)} to ${it.typeName(a)}`);
      const add = vb.slice();
      const n = a.len;
      rt.byteArrayResize(a, n + add.length);
      a.buf.set(add, n);
      return it.incref(a);
    }
    if (op === BinOpCode.Mult) {
      if (!hasIndex(b)) it.typeError(`can't multiply sequence by non-int of type '${it.typeName(b)}'`);
      const count = Math.max(0, indexValue(b));
      const unit = a.v.slice();
      rt.byteArrayResize(a, unit.length * count);
      for (let i = 1; i < count; i++) a.buf.set(unit, i * unit.length);
      return it.incref(a);
    }
    return null;
  };

  // ---------------------------------------------------------------- repr

  it.nativeRepr.set(BA, (o) => {
    const r = bytesRepr((o as PyByteArray).v);
    // bytearray_repr escapes every single quote, whichever quote it picked.
    const body = r[1] === '"' ? '"' + r.slice(2, -1).replace(/'/g, "\\'") + '"' : r.slice(1);
    return `${py2 ? 'bytearray' : it.typeName(o)}(b${body})`;
  });

  // ------------------------------------------------------------ iteration

  for (const [ty, name] of [[t.bytes, 'bytes_iterator'], [BA, 'bytearray_iterator']] as const) {
    if (py2 && ty === t.bytes) continue;
    const iterT = rt.defineStaticType(name, 'iterator', true, 32);
    it.nativeIter.set(ty, (o) => rt.newHolder(iterT, [it.incref(o)], { i: 0 }, 32));
    it.nativeIter.set(iterT, (o) => it.incref(o));
    it.nativeNext.set(iterT, (o) => {
      const h = o as PyHolder;
      const seq = h.refs[0] as Bytesish | null;
      if (seq === null) return null;
      const st = h.state as { i: number };
      const v = seq.v;
      if (st.i < v.length) return it.int(v[st.i++]);
      // Exhausted: drop the sequence, as CPython's iterators do.
      h.refs[0] = null;
      it.decref(seq);
      return null;
    });
  }

  for (const ty of py2 ? [BA] : [t.bytes, BA]) {
    it.nativeGetitem.set(ty, getitem);
    it.nativeContains.set(ty, contains);
  }
  it.nativeSetitem.set(BA, (o, k, v) => assign(o as PyByteArray, k, v));
  it.nativeDelitem.set(BA, (o, k) => assign(o as PyByteArray, k, null));

  // ---------------------------------------------------------- constructors

  const bytesFrom = (args: Args, kw: string[] | null): Uint8Array | PyObject => {
    const [src, encArg, errArg] = params('bytes', args, kw, ['source', 'encoding', 'errors'], 0);
    if (src === undefined) {
      if (encArg || errArg) it.typeError(encArg ? 'encoding without a string argument' : 'errors without a string argument');
      return new Uint8Array(0);
    }
    if (encArg || errArg) {
      if (!(src instanceof PyStr)) it.typeError(encArg ? 'encoding without a string argument' : 'errors without a string argument');
      return run(() => encode(src.v, text('bytes', encArg, 'utf-8', 2), text('bytes', errArg, 'strict', 3)));
    }
    const m = it.findDunder(src, '__bytes__');
    if (m) {
      const r = it.callMethodObj(m, src, []);
      if (!(r instanceof PyBytes)) {
        it.decref(r);
        it.typeError(`__bytes__ returned non-bytes (type ${it.typeName(r)})`);
      }
      return r;
    }
    if (src instanceof PyStr) it.typeError('string argument without an encoding');
    if (src.ob_type === t.bytes) return it.incref(src);
    const v = view(src);
    if (v) return v.slice();
    if (hasIndex(src)) {
      const n = indexValue(src);
      if (n < 0) it.raise('ValueError', 'negative count');
      rt.reserve(n);
      return new Uint8Array(n);
    }
    const iter = iterOrNull(src);
    if (!iter) it.typeError(`cannot convert '${it.typeName(src)}' object to bytes`);
    const out: number[] = [];
    for (const x of drain(iter)) {
      try {
        const n = indexValue(x);
        if (n < 0 || n > 255) it.raise('ValueError', 'bytes must be in range(0, 256)');
        out.push(n);
      } finally {
        it.decref(x);
      }
    }
    return Uint8Array.from(out);
  };
  // 2.7: bytes is another name of str.
  if (py2) it.dictSetStr(it.builtins, 'bytes', it.incref(t.str));
  if (!py2) {
    it.constructors.set(t.bytes, (ty, args, kw) => {
      const r = bytesFrom(args, kw);
      if (!(r instanceof Uint8Array)) {
        if (ty === t.bytes) return r;
        const copy = rt.newBytes((r as PyBytes).v.slice(), ty);
        it.decref(r);
        return copy;
      }
      return rt.newBytes(r, ty);
    });
  }
  it.constructors.set(BA, (ty, args, kw) => {
    const o = rt.newByteArray(new Uint8Array(0), ty);
    try {
      fillByteArray(o, args, kw, 'bytearray');
    } catch (e) {
      it.decref(o);
      throw e;
    }
    return o;
  });

  // --------------------------------------------------------------- methods

  const find = (name: string, reverse: boolean, raise: boolean): NativeFn => (self, args) => {
    if (args.length < 1) it.typeError(`${name} expected at least 1 argument, got 0`);
    if (args.length > 3) it.typeError(`${name} expected at most 3 arguments, got ${args.length}`);
    const sub = subArg(args[0]);
    const s = S(self);
    const a = optIndex(args[1]);
    const b = optIndex(args[2]);
    const i = reverse ? SM.rfind(s, sub, a, b) : SM.find(s, sub, a, b);
    if (i < 0 && raise) it.raise('ValueError', 'subsection not found');
    return it.int(i);
  };
  const affix = (name: string, atEnd: boolean): NativeFn => (self, args) => {
    if (args.length < 1) it.typeError(`${name} expected at least 1 argument, got 0`);
    const p = args[0];
    let subs: string[];
    if (p instanceof PyTuple) subs = p.items.map((x) => B.latin1(need(x)));
    else {
      const v = view(p);
      if (!v) it.typeError(`${name} first arg must be bytes or a tuple of bytes, not ${it.typeName(p)}`);
      subs = [B.latin1(v)];
    }
    const s = S(self);
    const a = optIndex(args[1]);
    const b = optIndex(args[2]);
    return it.bool(atEnd ? SM.endsWith(s, subs, a, b) : SM.startsWith(s, subs, a, b));
  };
  const splitter = (name: string, reverse: boolean): NativeFn => (self, args, kw) => {
    const [sepArg, maxArg] = params(name, args, kw, ['sep', 'maxsplit'], 0);
    const max = maxArg === undefined ? -1 : indexValue(maxArg);
    const s = S(self);
    if (sepArg === undefined || sepArg === rt.None) return list(self, reverse ? B.rsplitWhitespace(s, max) : B.splitWhitespace(s, max));
    const sep = B.latin1(need(sepArg));
    return list(self, run(() => (reverse ? SM.rsplit(s, sep, max) : SM.split(s, sep, max))));
  };
  const stripper = (name: string, f: (s: string, chars: string) => string): NativeFn => (self, args) => {
    if (args.length > 1) it.typeError(`${name} expected at most 1 argument, got ${args.length}`);
    const chars = args[0] === undefined || args[0] === rt.None ? B.ASCII_WHITESPACE : B.latin1(need(args[0]));
    const s = S(self);
    return sameOr(self, s, f(s, chars));
  };
  const fillArg = (name: string, o: PyObject | undefined): string => {
    if (o === undefined) return ' ';
    const v = o instanceof PyBytes || o instanceof PyByteArray ? o.v : null;
    if (!v || v.length !== 1) it.typeError(`${name}() argument 2 must be a byte string of length 1, not ${it.typeName(o)}`);
    return String.fromCharCode(v[0]);
  };
  const pad = (name: string, f: (s: string, w: number, fill: string) => string): NativeFn => (self, args) => {
    if (args.length < 1 || args.length > 2) it.typeError(`${name} expected ${args.length < 1 ? 'at least 1 argument' : 'at most 2 arguments'}, got ${args.length}`);
    const s = S(self);
    return sameOr(self, s, run(() => f(s, indexValue(args[0]), fillArg(name, args[1]))));
  };
  const mapped = (f: (b: Uint8Array) => Uint8Array): NativeFn => (self) => make(self, f((self as Bytesish).v));
  const test = (f: (b: Uint8Array) => boolean): NativeFn => (self) => it.bool(f((self as Bytesish).v));
  const parts3 = (self: PyObject | null, p: [string, string, string], whole: 0 | 2): PyObject => {
    // Not found: the exact bytes receiver itself is the whole part.
    const items = p.map((x, i) => (i === whole && p[1] === '' && self!.ob_type === t.bytes ? it.incref(self!) : makeS(self, x)));
    return rt.newTuple(items);
  };

  const methods: Record<string, NativeFn> = {
    decode: (self, args, kw) => {
      const [enc, err] = params('decode', args, kw, ['encoding', 'errors'], 0);
      const s = run(() => decode((self as Bytesish).v, text('decode', enc, 'utf-8', 1), text('decode', err, 'strict', 2)));
      return py2 ? rt.newUnicode(s) : it.str(s);
    },
    hex: (self, args, kw) => {
      const [sep, per] = params('hex', args, kw, ['sep', 'bytes_per_sep'], 0);
      let sepText = '';
      if (sep !== undefined) {
        sepText = sep instanceof PyStr ? sep.v : B.latin1(need(sep));
        if (sepText.length !== 1) it.raise('ValueError', 'sep must be length 1.');
        if (sepText.charCodeAt(0) > 0x7f) it.raise('ValueError', 'sep must be ASCII.');
      }
      return it.str(B.hex((self as Bytesish).v, sepText, per === undefined ? 1 : indexValue(per)));
    },
    count: (self, args) => {
      if (args.length < 1) it.typeError('count expected at least 1 argument, got 0');
      return it.int(SM.count(S(self), subArg(args[0]), optIndex(args[1]), optIndex(args[2])));
    },
    find: find('find', false, false),
    rfind: find('rfind', true, false),
    index: find('index', false, true),
    rindex: find('rindex', true, true),
    startswith: affix('startswith', false),
    endswith: affix('endswith', true),
    split: splitter('split', false),
    rsplit: splitter('rsplit', true),
    splitlines: (self, args, kw) => {
      const [keep] = params('splitlines', args, kw, ['keepends'], 0);
      return list(self, B.splitlines(S(self), keep !== undefined && it.truthy(keep)));
    },
    partition: (self, args) => parts3(self, run(() => SM.partition(S(self), B.latin1(need(args[0])))), 0),
    rpartition: (self, args) => parts3(self, run(() => SM.rpartition(S(self), B.latin1(need(args[0])))), 2),
    join: (self, args) => {
      const parts: string[] = [];
      const items: PyObject[] = [];
      try {
        for (const x of it.iterate(args[0])) {
          items.push(x);
          const v = view(x);
          if (!v) it.typeError(`sequence item ${parts.length}: expected a bytes-like object, ${it.typeName(x)} found`);
          parts.push(B.latin1(v));
        }
        // stringlib join: one exact bytes item is returned as it is.
        if (items.length === 1 && self instanceof PyBytes && items[0].ob_type === t.bytes) return it.incref(items[0]);
        return makeS(self, parts.join(S(self)));
      } finally {
        for (const x of items) it.decref(x);
      }
    },
    strip: stripper('strip', SM.strip),
    lstrip: stripper('lstrip', SM.lstrip),
    rstrip: stripper('rstrip', SM.rstrip),
    replace: (self, args, kw) => {
      const [oldA, newA, countA] = params('replace', args, kw, ['old', 'new', 'count'], 2);
      const s = S(self);
      return sameOr(self, s, SM.replace(s, B.latin1(need(oldA!)), B.latin1(need(newA!)), countA === undefined ? -1 : indexValue(countA)));
    },
    removeprefix: (self, args) => {
      const s = S(self);
      const p = B.latin1(need(args[0]));
      return sameOr(self, s, p && s.startsWith(p) ? s.slice(p.length) : s);
    },
    removesuffix: (self, args) => {
      const s = S(self);
      const p = B.latin1(need(args[0]));
      return sameOr(self, s, p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
    },
    center: pad('center', SM.center),
    ljust: pad('ljust', SM.ljust),
    rjust: pad('rjust', SM.rjust),
    zfill: (self, args) => {
      const s = S(self);
      return sameOr(self, s, SM.zfill(s, indexValue(args[0])));
    },
    expandtabs: (self, args, kw) => {
      const [size] = params('expandtabs', args, kw, ['tabsize'], 0);
      return makeS(self, SM.expandtabs(S(self), size === undefined ? 8 : indexValue(size)));
    },
    upper: mapped(B.upper),
    lower: mapped(B.lower),
    swapcase: mapped(B.swapcase),
    capitalize: mapped(B.capitalize),
    title: mapped(B.title),
    isalnum: test(B.isalnum),
    isalpha: test(B.isalpha),
    isascii: test(B.isascii),
    isdigit: test(B.isdigit),
    islower: test(B.islower),
    isspace: test(B.isspace),
    istitle: test(B.istitle),
    isupper: test(B.isupper),
    translate: (self, args, kw) => {
      const [table, del] = params('translate', args, kw, ['table', 'delete'], 1);
      let map: Uint8Array | null = null;
      if (table !== rt.None) {
        map = need(table!);
        if (map.length !== 256) it.raise('ValueError', 'translation table must be 256 characters long');
      }
      const drop = del === undefined ? null : new Set(need(del));
      const v = (self as Bytesish).v;
      const out: number[] = [];
      for (const c of v) if (!drop || !drop.has(c)) out.push(map ? map[c] : c);
      return make(self, Uint8Array.from(out));
    },
    __len__: (self) => it.int((self as Bytesish).v.length),
    __getitem__: (self, args) => getitem(self!, args[0]),
    __contains__: (self, args) => it.bool(contains(self!, args[0])),
    __iter__: (self) => it.getIter(self!),
    __add__: (self, args) => concat(self!, args[0]),
    __mul__: (self, args) => repeat(self!, args[0]),
    __rmul__: (self, args) => repeat(self!, args[0]),
    __mod__: (self, args) => percent(self!, args[0]),
    __sizeof__: (self) => it.int(rt.sizeof(self!)),
    __repr__: (self) => it.str(it.reprString(self!)),
    __str__: (self) => it.str(it.reprString(self!)),
  };
  if (!py2) {
    it.defineMethods(t.bytes, {
      ...methods,
      __hash__: (self) => it.int(it.hash(self!)),
      __bytes__: (self) => (self!.ob_type === t.bytes ? it.incref(self!) : rt.newBytes((self as PyBytes).v)),
      __getnewargs__: (self) => rt.newTuple([rt.newBytes((self as PyBytes).v)]),
    });
  }
  const baSelf = (o: PyObject | null) => o as PyByteArray;
  it.defineMethods(BA, {
    ...methods,
    append: (self, args) => {
      if (args.length !== 1) it.typeError(`bytearray.append() takes exactly one argument (${args.length} given)`);
      const b = byteValue(args[0]);
      const ba = baSelf(self);
      const n = ba.len;
      rt.byteArrayResize(ba, n + 1);
      ba.buf[n] = b;
      return it.none();
    },
    extend: (self, args) => {
      if (args.length !== 1) it.typeError(`bytearray.extend() takes exactly one argument (${args.length} given)`);
      extend(baSelf(self), args[0]);
      return it.none();
    },
    insert: (self, args) => {
      if (args.length !== 2) it.typeError(`insert expected 2 arguments, got ${args.length}`);
      const ba = baSelf(self);
      let i = indexValue(args[0]);
      const b = byteValue(args[1]);
      const n = ba.len;
      if (i < 0) i = Math.max(0, i + n);
      if (i > n) i = n;
      rt.byteArrayResize(ba, n + 1);
      ba.buf.copyWithin(i + 1, i, n);
      ba.buf[i] = b;
      return it.none();
    },
    pop: (self, args) => {
      const ba = baSelf(self);
      const n = ba.len;
      let i = args.length ? indexValue(args[0]) : -1;
      if (n === 0) it.raise('IndexError', 'pop from empty bytearray');
      if (i < 0) i += n;
      if (i < 0 || i >= n) it.raise('IndexError', 'pop index out of range');
      const v = ba.buf[i];
      ba.buf.copyWithin(i, i + 1, n);
      rt.byteArrayResize(ba, n - 1);
      return it.int(v);
    },
    remove: (self, args) => {
      const ba = baSelf(self);
      const b = byteValue(args[0]);
      const i = ba.v.indexOf(b);
      if (i < 0) it.raise('ValueError', 'value not found in bytearray');
      ba.buf.copyWithin(i, i + 1, ba.len);
      rt.byteArrayResize(ba, ba.len - 1);
      return it.none();
    },
    clear: (self) => {
      rt.byteArrayResize(baSelf(self), 0);
      return it.none();
    },
    copy: (self) => rt.newByteArray(baSelf(self).v.slice()),
    reverse: (self) => {
      baSelf(self).v.reverse();
      return it.none();
    },
    __alloc__: (self) => it.int(baSelf(self).alloc),
    __setitem__: (self, args) => {
      assign(baSelf(self), args[0], args[1]);
      return it.none();
    },
    __delitem__: (self, args) => {
      assign(baSelf(self), args[0], null);
      return it.none();
    },
    __iadd__: (self, args) => it.byteArrayInplace(baSelf(self), args[0], BinOpCode.Add)!,
    __imul__: (self, args) => it.byteArrayInplace(baSelf(self), args[0], BinOpCode.Mult)!,
    __init__: (self, args, kw) => {
      // bytearray.__init__ on an existing object starts from empty.
      const ba = baSelf(self);
      rt.byteArrayResize(ba, 0);
      fillByteArray(ba, args, kw, 'bytearray');
      return it.none();
    },
  });

  const classMethods = (make1: (b: Uint8Array) => PyObject): Record<string, NativeFn> => ({
    fromhex: (_cls, args) => {
      const s = args[0];
      if (!(s instanceof PyStr)) it.typeError(`fromhex() argument must be str, not ${it.typeName(s)}`);
      return make1(run(() => B.fromhex(s.v)));
    },
    maketrans: (_cls, args) => {
      if (args.length !== 2) it.typeError(`maketrans expected 2 arguments, got ${args.length}`);
      const from = need(args[0]);
      const to = need(args[1]);
      if (from.length !== to.length) it.raise('ValueError', 'maketrans arguments must have same length');
      const table = new Uint8Array(256);
      for (let i = 0; i < 256; i++) table[i] = i;
      for (let i = 0; i < from.length; i++) table[from[i]] = to[i];
      return newBytes(table);
    },
  });
  if (!py2) it.defineClassMethods(t.bytes, classMethods((b) => rt.newBytes(b)));
  it.defineClassMethods(BA, classMethods((b) => rt.newByteArray(b)));

  // str.encode and str(b, encoding) meet bytes here: both go through the codecs.
  if (!py2) {
    it.defineMethods(t.str, {
      encode: (self, args, kw) => {
        const [enc, err] = params('encode', args, kw, ['encoding', 'errors'], 0);
        return rt.newBytes(run(() => encode((self as PyStr).v, text('encode', enc, 'utf-8', 1), text('encode', err, 'strict', 2))));
      },
    });
  }
  it.decodeBytesArg = (o: PyObject, encoding: PyObject | undefined, errors: PyObject | undefined): PyObject | null => {
    const v = o instanceof PyBytes || o instanceof PyByteArray ? o.v : null;
    if (!v) return null;
    return it.str(run(() => decode(v, text('str', encoding, 'utf-8', 2), text('str', errors, 'strict', 3))));
  };
}

declare module './interp.js' {
  interface Interpreter {
    /** The bytes of a bytes-like object (2.7: also of a str), or null. */
    bytesView: (o: PyObject) => Uint8Array | null;
    /** `a + b`, `a * n`, `a % x` when an operand is bytes or bytearray; null: not ours. */
    bytesBinary: (a: PyObject, b: PyObject, op: number) => PyObject | null;
    /** `ba += x`, `ba *= n` on an exact bytearray; null: not ours. */
    byteArrayInplace: (a: PyByteArray, b: PyObject, op: number) => PyObject | null;
    /** str(b, encoding, errors) for a bytes-like b; null when b is not one. */
    decodeBytesArg: (o: PyObject, encoding: PyObject | undefined, errors: PyObject | undefined) => PyObject | null;
  }
}
