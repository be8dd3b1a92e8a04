/*
 * The builtins module and the methods of the built-in types. Every
 * implementation borrows its arguments and returns a new reference.
 */
import { PyBuiltinFunction, PyCell, PyFunction, PyMethod, PyModule, PyProperty, PyWrapper } from '../heap/callables.js';
import { pointerHash } from '../heap/hash.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyBaseException } from '../heap/frames.js';
import { PyClassObj, PyInstance, PyOldInstance } from '../heap/instances.js';
import { PyHolder } from '../heap/misc.js';
import { TypeFlag, type PyObject } from '../heap/object.js';
import { PyFloat, PyInt, PyStr, type IntValue } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import { PyExc } from './errors.js';
import type { Args, Interpreter, NativeFn } from './interp.js';
import { CmpCode } from './opcodes.js';
import { withArgumentCheck } from './args.js';
import { installExec } from './exec.js';
import { norm } from './protocol.js';
import { parseFloatLiteral } from './text/float.js';
import { asciiOfRepr } from './text/repr.js';
import { intHex, intOct, intBin, parseIntLiteral } from './text/int.js';
import { makeNewSet } from './setops.js';

/** Splits positional and keyword arguments. */
export function splitArgs(args: Args, kwnames: string[] | null): [PyObject[], Map<string, PyObject>] {
  const kw = new Map<string, PyObject>();
  if (!kwnames || kwnames.length === 0) return [args, kw];
  const n = args.length - kwnames.length;
  kwnames.forEach((k, i) => kw.set(k, args[n + i]));
  return [args.slice(0, n), kw];
}

export function installBuiltins(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const B = it.builtins;
  const builtinsModule = rt.newModule('builtins', it.incref(B));
  it.dictSetStr(it.modules, 'builtins', builtinsModule);

  const raiseTypeError = (msg: string): never => it.typeError(msg);
  const def = (name: string, fn: NativeFn) => {
    it.dictSetStr(B, name, rt.newBuiltinFunction(name, withArgumentCheck(name, fn, it.py2, raiseTypeError), it.incref(builtinsModule)));
  };
  const setType = (name: string, ty: PyType) => it.dictSetStr(B, name, it.incref(ty));

  const argc = (name: string, args: Args, min: number, max: number) => {
    if (args.length < min || args.length > max) {
      if (min === max) it.typeError(`${name}() takes exactly one argument (${args.length} given)`);
      if (args.length < min) it.typeError(`${name} expected at least ${min} argument${min > 1 ? 's' : ''}, got ${args.length}`);
      it.typeError(`${name} expected at most ${max} argument${max > 1 ? 's' : ''}, got ${args.length}`);
    }
  };

  // ------------------------------------------------------------- types
  for (const name of ['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'frozenset', 'object', 'type', 'bytes', 'bytearray', 'complex']) setType(name, t[name]);
  setType('staticmethod', t.staticmethod);
  setType('classmethod', t.classmethod);
  setType('property', t.property);
  setType('range', t.range);
  setType('slice', t.slice);
  for (const [name, ty] of Object.entries(it.exc)) setType(name, ty);
  if (it.py2) {
    setType('long', t.int);
    setType('basestring', t.str);
  }
  it.dictSetStr(B, 'None', it.none());
  it.dictSetStr(B, 'True', it.bool(true));
  it.dictSetStr(B, 'False', it.bool(false));
  it.dictSetStr(B, 'NotImplemented', it.incref(rt.NotImplemented));
  it.dictSetStr(B, 'Ellipsis', it.incref(rt.Ellipsis));
  it.dictSetStr(B, '__name__', it.str('builtins'));

  const intOf = (o: PyObject, base: number | null): PyObject => {
    if (base !== null) {
      if (!(o instanceof PyStr)) it.typeError("int() can't convert non-string with explicit base");
      try {
        return it.int(norm(parseIntLiteral(o.v, base)));
      } catch (e) {
        it.fromTextError(e);
      }
    }
    if (o instanceof PyInt) return o.ob_type === t.int ? it.incref(o) : it.int(o.v);
    if (o instanceof PyFloat) {
      if (!Number.isFinite(o.v)) it.raise(Number.isNaN(o.v) ? 'ValueError' : 'OverflowError', Number.isNaN(o.v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
      const tr = Math.trunc(o.v);
      return it.int(Number.isSafeInteger(tr) ? tr : BigInt(tr));
    }
    if (o instanceof PyStr) {
      try {
        return it.int(norm(parseIntLiteral(o.v, 10)));
      } catch (e) {
        it.fromTextError(e);
      }
    }
    const m = it.findDunder(o, '__int__') ?? it.findDunder(o, '__index__');
    if (m) return it.callMethodObj(m, o, []);
    it.typeError(`int() argument must be a string, a bytes-like object or a real number, not '${it.typeName(o)}'`);
  };

  const C = it.constructors;
  C.set(t.int, (_ty, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    if (a.length === 0) return it.int(0);
    const base = a[1] ?? k.get('base');
    return intOf(a[0], base ? Number((base as PyInt).v) : null);
  });
  C.set(t.bool, (_ty, args) => it.bool(args.length ? it.truthy(args[0]) : false));
  C.set(t.float, (_ty, args) => {
    if (!args.length) return rt.newFloat(0);
    const o = args[0];
    if (o instanceof PyFloat) return it.incref(o);
    if (o instanceof PyInt) return rt.newFloat(Number(o.v));
    if (o instanceof PyStr) {
      try {
        return rt.newFloat(parseFloatLiteral(o.v));
      } catch (e) {
        it.fromTextError(e);
      }
    }
    const m = it.findDunder(o, '__float__');
    if (m) return it.callMethodObj(m, o, []);
    it.typeError(`float() argument must be a string or a real number, not '${it.typeName(o)}'`);
  });
  C.set(t.str, (_ty, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const src = a[0] ?? k.get('object');
    if (!src) return it.str('');
    const enc = a[1] ?? k.get('encoding');
    const err = a[2] ?? k.get('errors');
    if (enc || err) {
      // str(b, encoding, errors) decodes (bytes.ts owns the codecs).
      const r = it.decodeBytesArg(src, enc, err);
      if (r) return r;
      it.typeError(src instanceof PyStr ? 'decoding str is not supported' : `decoding to str: need a bytes-like object, ${it.typeName(src)} found`);
    }
    return it.toStr(src);
  });
  C.set(t.NoneType, () => it.none());
  C.set(t.slice, (_ty, args) => {
    if (args.length === 1) return it.newSlice(it.none(), it.incref(args[0]), it.none());
    return it.newSlice(it.incref(args[0]), it.incref(args[1]), args.length > 2 ? it.incref(args[2]) : it.none());
  });
  // complex_subtype_from_string: "real", "imagj", "real±imagj", optionally parenthesized.
  const numPattern = '(?:\\d+(?:_\\d+)*(?:\\.(?:\\d+(?:_\\d+)*)?)?|\\.\\d+(?:_\\d+)*)(?:[eE][+-]?\\d+)?|inf(?:inity)?|nan';
  const complexRe = new RegExp(`^\\s*(\\()?\\s*(?:([+-]?(?:${numPattern}))(?:([+-](?:${numPattern})?)[jJ])?|([+-]?(?:${numPattern})?)[jJ])\\s*(\\))?\\s*$`, 'i');
  const parseComplex = (text: string): [number, number] => {
    const m = complexRe.exec(text);
    if (!m || !!m[1] !== !!m[5]) it.raise('ValueError', 'complex() arg is a malformed string');
    const f = (x: string) => (x === '+' || x === '' ? 1 : x === '-' ? -1 : parseFloatLiteral(x));
    if (m[4] !== undefined) return [0, f(m[4])];
    return [parseFloatLiteral(m[2]), m[3] !== undefined ? f(m[3]) : 0];
  };
  C.set(t.complex, (_ty, args) => {
    if (args[0] instanceof PyStr) {
      if (args.length > 1) it.typeError("complex() can't take second arg if first is a string");
      const [re, im] = parseComplex(args[0].v);
      return rt.newComplex(re, im);
    }
    const num = (o: PyObject | undefined) => (o === undefined ? 0 : o instanceof PyInt || o instanceof PyFloat ? Number(o.v) : it.typeError(`complex() first argument must be a string or a number, not '${it.typeName(o)}'`));
    return rt.newComplex(num(args[0]), num(args[1]));
  });
  C.set(t.list, (ty, args) => {
    const l = rt.newList([], 0, ty);
    if (args.length) {
      try {
        it.listExtend(l, args[0]);
      } catch (e) {
        it.decref(l);
        throw e;
      }
    }
    return l;
  });
  C.set(t.tuple, (ty, args) => {
    if (!args.length) return ty === t.tuple ? it.incref(rt.emptyTuple) : rt.newTuple([], ty);
    const o = args[0];
    if (o instanceof PyTuple && o.ob_type === t.tuple && ty === t.tuple) return it.incref(o);
    const items: PyObject[] = [];
    for (const x of it.iterate(o)) items.push(x);
    return rt.newTuple(items, ty);
  });
  const dictUpdate = (d: PyDict, args: Args, kw: string[] | null) => {
    const [a, k] = splitArgs(args, kw);
    if (a.length) {
      const src = a[0];
      if (src instanceof PyDict) it.dictMerge(d, src);
      else if (it.findDunder(src, 'keys')) {
        const keys = it.callMethod(src, 'keys', []);
        for (const key of it.iterate(keys)) {
          const v = it.getitem(src, key);
          it.dictSet(d, key, v);
          it.decref(v);
          it.decref(key);
        }
        it.decref(keys);
      } else {
        let i = 0;
        for (const pair of it.iterate(src)) {
          // PyDict_MergeFromSeq2: each element must be an iterable of exactly two items.
          let kv: PyObject[];
          try {
            kv = pair instanceof PyTuple || pair instanceof PyList ? pair.items.map((x) => it.incref(x)) : [...it.iterate(pair)];
          } catch (e) {
            it.decref(pair);
            if (!(e instanceof PyExc) || e.exc.ob_type !== it.exc.TypeError) throw e;
            it.decref(e.exc);
            it.typeError(`cannot convert dictionary update sequence element #${i} to a sequence`);
          }
          it.decref(pair);
          if (kv.length !== 2) {
            for (const x of kv) it.decref(x);
            it.raise('ValueError', `dictionary update sequence element #${i} has length ${kv.length}; 2 is required`);
          }
          i++;
          const [key, v] = kv;
          it.dictSet(d, key, v);
          it.decref(key);
          it.decref(v);
        }
      }
    }
    it.dictMergeKeywords(d, k);
  };
  C.set(t.dict, (ty, args, kw) => {
    const d = rt.newDict(ty);
    try {
      dictUpdate(d, args, kw);
    } catch (e) {
      it.decref(d);
      throw e;
    }
    return d;
  });
  const makeSet = (frozen: boolean) => (ty: PyType, args: Args) => {
    // frozenset(f) of an exact frozenset is f itself.
    if (frozen && ty === t.frozenset && args.length && args[0].ob_type === t.frozenset) return it.incref(args[0]);
    return makeNewSet(it, ty, args.length ? args[0] : null);
  };
  C.set(t.set, makeSet(false));
  C.set(t.frozenset, makeSet(true));
  C.set(t.object, (ty) => rt.newPlain(ty));
  C.set(t.type, (ty, args, kw) => {
    const n = args.length - (kw ? kw.length : 0);
    if (n === 1 && !kw) return it.incref(args[0].ob_type);
    if (n !== 1 && n !== 3) it.typeError('type() takes 1 or 3 arguments');
    const tuple = it.argsTuple(args, 0, n);
    const kwd = kw && kw.length ? rt.newDict(t.dict, kw.length) : null;
    if (kwd) for (let i = 0; i < kw!.length; i++) it.dictSetStr(kwd, kw![i], it.incref(args[n + i]));
    try {
      return it.typeNew(ty, tuple, kwd);
    } finally {
      it.decref(tuple);
      if (kwd) it.decref(kwd);
    }
  });
  // int(...), float(...), str(...) called for a subclass (type_call's tp_new,
  // or `int.__new__(cls, v)`): the value built as for the base type, then an
  // object of the subclass holding it (a GC object: heap types have GC).
  for (const baseType of [t.int, t.float, t.str]) {
    const ctor = C.get(baseType)!;
    C.set(baseType, (ty, args, kw) => {
      const exact = ctor(baseType, args, kw);
      if (ty === baseType || !(ty.isHeapType) || exact.ob_type !== baseType) return exact;
      return subclassInstance(ty, exact);
    });
  }
  const subclassInstance = (ty: PyType, exact: PyObject): PyObject => {
    let o: PyObject;
    if (exact instanceof PyInt) o = new PyInt(ty, exact.v);
    else if (exact instanceof PyFloat) o = new PyFloat(ty, exact.v);
    else o = new PyStr(ty, (exact as PyStr).v);
    it.decref(exact);
    ty.ob_refcnt++;
    rt.register(o, rt.sizeof(o) - rt.preHeaderSize(o), true);
    rt.track(o);
    return o;
  };
  C.set(t.staticmethod, (ty, args) => rt.newWrapper(ty, it.incref(args[0])));
  C.set(t.classmethod, (ty, args) => rt.newWrapper(ty, it.incref(args[0])));
  C.set(t.property, (ty, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const g = (i: number, n: string) => {
      const v = a[i] ?? k.get(n) ?? null;
      return v && v !== rt.None ? it.incref(v) : null;
    };
    return rt.newProperty(ty, g(0, 'fget'), g(1, 'fset'), g(2, 'fdel'), g(3, 'doc'));
  });
  C.set(t.range, (_ty, args) => {
    const nums = args.map((x) => {
      if (!(x instanceof PyInt)) {
        if (it.py2) it.typeError(x instanceof PyFloat ? 'integer argument expected, got float' : 'an integer is required');
        it.typeError(`'${it.typeName(x)}' object cannot be interpreted as an integer`);
      }
      return Number(x.v);
    });
    let [start, stop, step] = [0, 0, 1];
    if (nums.length === 1) stop = nums[0];
    else if (nums.length >= 2) [start, stop, step] = [nums[0], nums[1], nums[2] ?? 1];
    if (step === 0) it.raise('ValueError', it.py2 ? 'xrange() arg 3 must not be zero' : 'range() arg 3 must not be zero');
    return rt.newHolder(t.range, [], { start, stop, step }, 48);
  });
  it.nativeRepr.set(t.range, (o) => {
    const s = (o as PyHolder).state as { start: number; stop: number; step: number };
    return s.step === 1 ? `range(${s.start}, ${s.stop})` : `range(${s.start}, ${s.stop}, ${s.step})`;
  });
  const rangeLen = (s: { start: number; stop: number; step: number }) => Math.max(0, Math.ceil((s.stop - s.start) / s.step));
  it.nativeIter.set(t.range, (o) => {
    const s = (o as PyHolder).state as { start: number; stop: number; step: number };
    return rt.newHolder(t.range_iterator, [it.incref(o)], { i: 0, cur: s.start, stop: s.stop, step: s.step }, 48);
  });
  it.nativeGetitem.set(t.range, (o, k) => {
    const s = (o as PyHolder).state as { start: number; stop: number; step: number };
    let i = Number((k as PyInt).v);
    const n = rangeLen(s);
    if (i < 0) i += n;
    if (i < 0 || i >= n) it.raise('IndexError', it.py2 ? 'xrange object index out of range' : 'range object index out of range');
    return it.int(s.start + i * s.step);
  });
  it.nativeContains.set(t.range, (o, k) => {
    const s = (o as PyHolder).state as { start: number; stop: number; step: number };
    if (!(k instanceof PyInt)) return false;
    const v = Number(k.v);
    const n = rangeLen(s);
    const off = v - s.start;
    return off % s.step === 0 && off / s.step >= 0 && off / s.step < n;
  });

  // ------------------------------------------------------- __build_class__
  const builtinDataLayouts = new Set(['int', 'float', 'complex', 'str', 'bytes', 'tuple', 'list', 'dict', 'set', 'frozenset']);
  const buildClass = (nameObj: PyStr, bases: PyTuple, ns: PyDict, cell: PyObject | null, meta: PyType = t.type): PyObject => {
    const name = nameObj.v;
    const baseTypes = bases.items;
    if (it.py2 && (baseTypes.length === 0 || baseTypes.some((b) => b instanceof PyClassObj)) && !it.dictGetStr(ns, '__doc__')) {
      // class_new: a classic class always has __doc__.
      it.dictSetStr(ns, '__doc__', it.none());
    }
    if (it.py2 && (baseTypes.length === 0 || baseTypes.some((b) => b instanceof PyClassObj)) && it.dictGetStr(ns, '__qualname__')) {
      // 2.7 has no __qualname__: the classic class keeps the namespace as its dict.
      const k = it.str('__qualname__');
      it.dictDel(ns, k);
      it.decref(k);
    }
    if (it.py2 && baseTypes.length === 0 && !it.dictGetStr(ns, '__metaclass__')) {
      // Old-style class.
      const c = rt.newClassObj(name, it.incref(bases), it.incref(ns));
      if (it.dictGetStr(ns, '__del__')) c.hasDel = true;
      return c;
    }
    if (baseTypes.some((b) => b instanceof PyClassObj) && !baseTypes.some((b) => b instanceof PyType)) {
      const c = rt.newClassObj(name, it.incref(bases), it.incref(ns));
      if (it.dictGetStr(ns, '__del__') || baseTypes.some((b) => b instanceof PyClassObj && b.hasDel)) c.hasDel = true;
      return c;
    }
    // 2.7: a new-style class may have classic bases; its solid base is the first type.
    for (const b of baseTypes) if (!(b instanceof PyType) && !(it.py2 && b instanceof PyClassObj)) it.typeError('bases must be types');
    // best_base: the base whose built-in layout is the most derived (class
    // IntEnum(Enum, int) is laid out as an int).
    let base = ((it.py2 ? baseTypes.find((b) => b instanceof PyType) : baseTypes[0]) as PyType | undefined) ?? t.object;
    for (const b of baseTypes) {
      if (!(b instanceof PyType) || b === base) continue;
      const sb = it.solidBase(b);
      const sw = it.solidBase(base);
      if (sb !== sw && sb.isSubtypeOf(sw)) base = b;
      else if (sb !== sw && !sw.isSubtypeOf(sb)) it.typeError('multiple bases have instance lay-out conflict');
    }
    if (!(base.tp_flags & TypeFlag.BASETYPE)) it.typeError(`type '${base.tp_name}' is not an acceptable base type`);
    const ty = rt.newHeapType(name, base, 0);
    if (meta !== t.type) {
      // A class is an instance of its metaclass, which it keeps alive.
      ty.ob_type = meta;
      if (meta.isHeapType) meta.ob_refcnt++;
    }
    const mod = it.dictGetStr(ns, '__module__');
    ty.moduleName = mod ? it.strString(mod) : '__main__';
    const qn = it.dictGetStr(ns, '__qualname__');
    ty.qualname = qn ? it.strString(qn) : name;
    // MRO: C3 for the simple cases (single inheritance chains and diamonds).
    if (baseTypes.some((b) => b instanceof PyClassObj)) {
      // 2.7 mro_implementation: a classic base contributes its depth-first lookup order.
      const full = c3Mixed(ty, baseTypes as Array<PyType | PyClassObj>);
      ty.mro = full.filter((m): m is PyType => m instanceof PyType);
      it.classicMro.set(ty, full);
      ty.tp_mro = rt.newTuple(full.map((m) => it.incref(m)));
    } else {
      ty.mro = c3(ty, baseTypes.length ? (baseTypes as PyType[]) : [t.object]);
      ty.tp_mro = rt.newTuple(ty.mro.map((m) => it.incref(m)));
    }
    ty.tp_bases = baseTypes.length ? it.incref(bases) : rt.newTuple([it.incref(t.object)]);
    const d = rt.newDict();
    for (const [k, v] of it.dictEntries(ns)) {
      const key = (k as PyStr).v;
      if (key === '__classcell__') {
        if (cell === null) cell = v;
        continue;
      }
      if (key === '__qualname__') continue;
      // type_new: __new__ is a static method, __init_subclass__ and __class_getitem__ class methods.
      if (v instanceof PyFunction && (key === '__new__' || ((key === '__init_subclass__' || key === '__class_getitem__') && !it.py2))) {
        it.dictSetStr(d, key, rt.newWrapper(key === '__new__' ? t.staticmethod : t.classmethod, it.incref(v)));
        continue;
      }
      it.dictSet(d, k, v);
    }
    ty.tp_dict = d;
    const slots = it.dictGetStr(ns, '__slots__');
    if (slots) {
      const names: string[] = [];
      if (slots instanceof PyStr) names.push(slots.v);
      else for (const x of it.iterate(slots)) {
        names.push((x as PyStr).v);
        it.decref(x);
      }
      const inherited = base.slotNames ?? [];
      ty.slotNames = [...inherited, ...names.filter((n) => n !== '__dict__' && n !== '__weakref__')];
      ty.hasInstanceDict = names.includes('__dict__') || (base.isHeapType && base.hasInstanceDict);
      if (!ty.hasInstanceDict) ty.tp_flags &= ~TypeFlag.MANAGED_DICT;
      ty.tp_basicsize = 16;
    } else {
      if (base.slotNames) ty.slotNames = base.slotNames.slice();
      ty.hasInstanceDict = true;
      if (base.isHeapType && !base.hasInstanceDict && base.slotNames) {
        ty.tp_flags &= ~TypeFlag.MANAGED_DICT;
        if (!(rt.profile.managedDict)) ty.tp_flags &= ~TypeFlag.MANAGED_DICT;
      }
    }
    if (!rt.profile.managedDict || base.layout !== 'object') ty.tp_flags &= ~TypeFlag.MANAGED_DICT;
    if (ty.layout === 'instance' && !(ty.tp_flags & TypeFlag.MANAGED_DICT) && ty.hasInstanceDict) ty.tp_basicsize = 16 + (it.py2 ? 16 : 16);
    if (builtinDataLayouts.has(ty.layout) && ty.hasInstanceDict && !ty.slotNames) {
      if (!base.isHeapType) {
        // type_new on a built-in base: a variable-size base (int, tuple,
        // bytes) gets a __dict__ pointer after the items; a fixed-size one
        // gets a managed dict (3.11) or a __dict__ slot (2.7), plus a
        // __weakref__ slot unless the base has one (set, frozenset).
        const varSized = base.tp_itemsize !== 0 || base.layout === 'bytes' || (it.py2 && base === t.str);
        const fixedInt27 = it.py2 && base.layout === 'int' && base !== t.long;
        const weak = (!varSized || fixedInt27) && base.layout !== 'set' && base.layout !== 'frozenset';
        // Like a subclass of object, the first class adding the slots gets their descriptors.
        it.dictSetStr(d, '__dict__', rt.newGetSetDescriptor(ty, '__dict__'));
        if (weak) it.dictSetStr(d, '__weakref__', rt.newGetSetDescriptor(ty, '__weakref__'));
        if (varSized && !fixedInt27) ty.tp_basicsize = base.tp_basicsize + 8;
        else if (!rt.profile.managedDict) ty.tp_basicsize = base.tp_basicsize + 8 + (weak ? 8 : 0);
        else {
          ty.tp_flags |= TypeFlag.MANAGED_DICT;
          ty.tp_basicsize = base.tp_basicsize + (weak ? 8 : 0);
        }
      } else if (base.tp_flags & TypeFlag.MANAGED_DICT) ty.tp_flags |= TypeFlag.MANAGED_DICT;
    }
    // The __dict__ and __weakref__ getset descriptors of the first class adding them.
    if (!base.isHeapType && ty.hasInstanceDict && base.layout === 'object') {
      it.dictSetStr(d, '__dict__', rt.newGetSetDescriptor(ty, '__dict__'));
      it.dictSetStr(d, '__weakref__', rt.newGetSetDescriptor(ty, '__weakref__'));
    }
    if (!it.dictGetStr(d, '__doc__')) it.dictSetStr(d, '__doc__', it.none());
    if (ty.mro.some((m) => m.isHeapType && it.methodsDefinesDel(m))) ty.tp_flags |= TypeFlag.HAS_FINALIZE;
    if (cell && cell !== rt.None) {
      const c = cell as unknown as { ref: PyObject | null };
      c.ref = it.incref(ty);
    }
    // type_new tracks the finished class.
    rt.track(ty);
    return ty;
  };
  it.methodsDefinesDel = (m: PyType) => !!(m.tp_dict && it.dictGetStr(m.tp_dict as PyDict, '__del__'));

  const c3 = (ty: PyType, bases: PyType[]): PyType[] => {
    const seqs = [...bases.map((b) => b.mro.slice()), bases.slice()];
    const out: PyType[] = [ty];
    for (;;) {
      const live = seqs.filter((s) => s.length);
      if (!live.length) return out;
      let cand: PyType | null = null;
      for (const s of live) {
        const head = s[0];
        if (!live.some((o) => o.indexOf(head) > 0)) {
          cand = head;
          break;
        }
      }
      if (!cand) it.typeError('Cannot create a consistent method resolution order (MRO)');
      out.push(cand);
      for (const s of live) if (s[0] === cand) s.shift();
    }
  };

  const classicOrder = (c: PyClassObj, out: PyClassObj[]): PyClassObj[] => {
    if (!out.includes(c)) out.push(c);
    for (const b of (c.bases as PyTuple).items) if (b instanceof PyClassObj) classicOrder(b, out);
    return out;
  };
  const c3Mixed = (ty: PyType, bases: Array<PyType | PyClassObj>): Array<PyType | PyClassObj> => {
    const lin = (b: PyType | PyClassObj) => (b instanceof PyClassObj ? classicOrder(b, []) : b.mro.slice());
    const seqs: Array<Array<PyType | PyClassObj>> = [...bases.map(lin), bases.slice()];
    const out: Array<PyType | PyClassObj> = [ty];
    for (;;) {
      const live = seqs.filter((s) => s.length);
      if (!live.length) return out;
      const cand = live.map((s) => s[0]).find((head) => !live.some((o) => o.indexOf(head) > 0));
      if (!cand) it.typeError('Cannot create a consistent method resolution order (MRO)');
      out.push(cand);
      for (const s of live) if (s[0] === cand) s.shift();
    }
  };

  // ------------------------------------------------------- metaclasses

  /** _PyType_CalculateMetaclass: the most derived of `meta` and the bases' metaclasses. */
  const calculateMetaclass = (meta: PyType, bases: PyObject[]): PyType => {
    let winner = meta;
    for (const b of bases) {
      if (b instanceof PyClassObj) continue;
      const tmp = b.ob_type as PyType;
      if (winner.isSubtypeOf(tmp)) continue;
      if (tmp.isSubtypeOf(winner)) {
        winner = tmp;
        continue;
      }
      it.typeError('metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases');
    }
    return winner;
  };

  /** type_new_set_names: `__set_name__(owner, name)` on every attribute whose type defines it. */
  const setNames = (cls: PyType): void => {
    // CPython iterates over a copy of the namespace.
    for (const [k, v] of [...it.dictEntries(cls.tp_dict as PyDict)]) {
      const setName = it.findDunder(v, '__set_name__');
      if (!setName) continue;
      try {
        it.decref(it.callMethodObj(setName, v, [cls, k]));
      } catch (e) {
        if (!(e instanceof PyExc)) throw e;
        // 3.11 reports which attribute failed, caused by the original error.
        const err = it.newExc(it.exc.RuntimeError, `Error calling __set_name__ on '${it.typeName(v)}' instance ${it.reprString(k)} in '${cls.tp_name}'`);
        err.cause = e.exc;
        err.context = it.incref(e.exc);
        err.suppressContext = true;
        it.raising = Math.max(0, it.raising - 1);
        throw new PyExc(err);
      }
    }
  };

  /** type_new_init_subclass: `super(cls, cls).__init_subclass__(**kwds)`. */
  const initSubclass = (cls: PyType, kw: PyDict | null): void => {
    const sup = rt.newHolder(it.superType, [it.incref(cls), it.incref(cls)], null, 48);
    let func: PyObject | null;
    try {
      func = it.superGetattr(sup, '__init_subclass__');
    } finally {
      it.decref(sup);
    }
    if (func === null) return;
    try {
      const [names, values] = [[] as string[], [] as PyObject[]];
      if (kw) for (const [k, v] of it.dictEntries(kw)) {
        names.push((k as PyStr).v);
        values.push(v);
      }
      it.decref(it.call(func, values, names.length ? names : null));
    } finally {
      it.decref(func);
    }
  };

  /**
   * type_new: `type(name, bases, ns)`, `type.__new__(mcls, ...)` and a class
   * statement's metaclass call. Keywords go to `__init_subclass__`.
   */
  it.typeNew = (meta: PyType, args: PyTuple, kw: PyDict | null): PyObject => {
    const a = args.items;
    const hasKw = kw !== null && kw.used > 0;
    if (meta === t.type && a.length === 1 && !hasKw) return it.incref(a[0].ob_type);
    if (a.length !== 3) it.typeError(`type.__new__() takes exactly 3 arguments (${a.length} given)`);
    const [nameObj, bases, ns] = a;
    const check = (o: PyObject, i: number, what: string, ok: boolean) => {
      if (!ok) it.typeError(`type.__new__() argument ${i} must be ${what}, not ${it.typeName(o)}`);
    };
    check(nameObj, 1, 'str', nameObj instanceof PyStr);
    check(bases, 2, 'tuple', bases instanceof PyTuple);
    check(ns, 3, 'dict', ns instanceof PyDict);
    const winner = calculateMetaclass(meta, (bases as PyTuple).items);
    if (winner !== meta) {
      // A more derived metaclass with its own __new__ makes the class instead.
      const wn = it.lookupType(winner, '__new__');
      if (wn !== null && !(wn instanceof PyBuiltinFunction)) return it.tpNew(winner, args, kw);
      meta = winner;
    }
    const cls = buildClass(nameObj as PyStr, bases as PyTuple, ns as PyDict, null, meta);
    if (!(cls instanceof PyType) || it.py2) return cls;
    try {
      setNames(cls);
      initSubclass(cls, kw);
    } catch (e) {
      it.decref(cls);
      throw e;
    }
    return cls;
  };

  /** PEP 560 update_bases: a base that is not a class (typing.Generic[T]) names its replacement via __mro_entries__. */
  const resolveBases = (bases: PyObject[], keep: PyObject[]): PyObject[] => {
    if (it.py2 || bases.every((b) => b instanceof PyType)) return bases;
    const out: PyObject[] = [];
    for (const b of bases) {
      const entries = b instanceof PyType ? null : it.findDunder(b, '__mro_entries__');
      if (!entries) {
        out.push(b);
        continue;
      }
      const tup = rt.newTuple(bases.map((x) => it.incref(x)));
      try {
        const r = it.callMethodObj(entries, b, [tup]);
        keep.push(r);
        for (const x of it.iterate(r)) {
          out.push(x);
          keep.push(x);
        }
      } finally {
        it.decref(tup);
      }
    }
    return out;
  };

  /**
   * builtin___build_class__: bases (PEP 560), the metaclass (the `metaclass`
   * keyword or the first base's type, then the most derived one), its
   * `__prepare__` namespace, the class body run in it, then
   * `metaclass(name, bases, ns, **kwds)`. 2.7: `__metaclass__` in the body
   * or the module, else the first base's type, else a classic class.
   */
  def('__build_class__', (_s, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const func = a[0] as PyFunction;
    const name = a[1] as PyStr;
    const keep: PyObject[] = [];
    let metaObj: PyObject | null = k.get('metaclass') ?? null;
    k.delete('metaclass');
    const kwNames = [...k.keys()];
    const kwValues = [...k.values()];
    try {
      const resolved = resolveBases(a.slice(2), keep);
      const bases = rt.newTuple(resolved.map((x) => it.incref(x)));
      keep.push(bases);
      if (resolved.length !== a.length - 2 || resolved.some((b, i) => b !== a[2 + i])) {
        // ns['__orig_bases__'] is set below, after the body ran.
      }
      let isClass = true;
      if (metaObj === null) metaObj = it.py2 ? null : resolved.length ? resolved[0].ob_type : t.type;
      else isClass = metaObj instanceof PyType;
      if (metaObj !== null && isClass) metaObj = calculateMetaclass(metaObj as PyType, resolved);
      let ns: PyObject;
      const prepare = metaObj !== null && !it.py2 ? it.getattrOrNull(metaObj, '__prepare__') : null;
      if (prepare !== null) {
        try {
          ns = it.call(prepare, [name, bases, ...kwValues], kwNames.length ? kwNames : null);
        } finally {
          it.decref(prepare);
        }
        keep.push(ns);
        if (!(ns instanceof PyDict) && !it.findDunder(ns, '__getitem__')) {
          it.typeError(`${isClass ? (metaObj as PyType).tp_name : '<metaclass>'}.__prepare__() must return a mapping, not ${it.typeName(ns)}`);
        }
      } else {
        ns = rt.newDict();
        keep.push(ns);
      }
      const frame = it.makeFrame(func, [], null);
      frame.locals = it.incref(ns);
      const cell = it.runFrame(frame);
      keep.push(cell);
      if (bases.items.length !== a.length - 2 || bases.items.some((b, i) => b !== a[2 + i])) {
        it.dictSetStr(ns as PyDict, '__orig_bases__', rt.newTuple(a.slice(2).map((x) => it.incref(x))));
      }
      if (it.py2) {
        // 2.7 build_class: __metaclass__ in the body, else the first base's class, else a module global.
        metaObj = it.dictGetStr(ns as PyDict, '__metaclass__');
        if (metaObj === null && resolved.length) metaObj = resolved[0] instanceof PyClassObj ? null : resolved[0].ob_type;
        if (metaObj === null) metaObj = it.dictGetStr(func.globals as PyDict, '__metaclass__');
        if (metaObj === null || metaObj === t.type) return buildClass(name, bases, ns as PyDict, cell);
        return it.call(metaObj, [name, bases, ns]);
      }
      const cls = it.call(metaObj!, [name, bases, ns, ...kwValues], kwNames.length ? kwNames : null);
      if (cls instanceof PyType && cell !== rt.None && cell instanceof PyCell && cell.ref !== cls) {
        const msg = cell.ref === null
          ? `__class__ not set defining ${it.reprString(name)} as ${it.reprString(cls)}. Was __classcell__ propagated to type.__new__?`
          : `__class__ set to ${it.reprString(cell.ref)} defining ${it.reprString(name)} as ${it.reprString(cls)}`;
        it.decref(cls);
        it.raise('RuntimeError', msg);
      }
      return cls;
    } finally {
      for (const x of keep.reverse()) it.decref(x);
    }
  });

  // ------------------------------------------------------------- functions
  const writeTo = (file: PyObject | null, text: string) => {
    if (file === null || file === rt.None) file = it.sysStdout();
    if (file === null) {
      it.stdout(text);
      return;
    }
    const s = it.str(text);
    try {
      it.decref(it.callMethod(file, 'write', [s]));
    } finally {
      it.decref(s);
    }
  };
  it.writeTo = writeTo;

  // Argument Clinic creates a function's keyword-name tuple on its first
  // call and keeps it: print's first call allocates ('sep', 'end', 'file', 'flush').
  let printKwTuple: PyObject | null = null;
  def('print', (_s, args, kw) => {
    if (printKwTuple === null) printKwTuple = rt.newTuple(['sep', 'end', 'file', 'flush'].map((n) => rt.intern(n)));
    const [a, k] = splitArgs(args, kw);
    const sepO = k.get('sep');
    const endO = k.get('end');
    for (const [name, o] of [['sep', sepO], ['end', endO]] as const) {
      if (o && o !== rt.None && !(o instanceof PyStr)) it.typeError(`${name} must be None or a string, not ${it.typeName(o)}`);
    }
    for (const k2 of k.keys()) if (!['sep', 'end', 'file', 'flush'].includes(k2)) it.typeError(`'${k2}' is an invalid keyword argument for print()`);
    const sep = sepO && sepO !== rt.None ? (sepO as PyStr).v : ' ';
    const end = endO && endO !== rt.None ? (endO as PyStr).v : '\n';
    // print(*args, ...) is an Argument Clinic function: its positional
    // arguments are packed into a tuple (from the tuple free list when one is there).
    const packed = rt.newTuple(a.map((x) => it.incref(x)));
    try {
      const parts = a.map((x) => it.strString(x));
      writeTo(k.get('file') ?? it.sysStdout(), parts.join(sep) + end);
    } finally {
      it.decref(packed);
    }
    return it.none();
  });
  // The 2.7 print statement (PRINT_ITEM / PRINT_NEWLINE): a space goes before
  // an item only when the file's softspace is set; an item sets it unless it is
  // a string ending in whitespace other than ' '; a newline clears it.
  it.softspace27 = new WeakMap<object, boolean>();
  const stdoutKey = {};
  it.print2 = (items, nl, dest) => {
    const file = dest && dest !== rt.None ? dest : it.sysStdout();
    const key: object = file ?? stdoutKey;
    for (const x of items) {
      const s = it.strString(x);
      if (it.softspace27.get(key)) {
        // PyFile_SoftSpace(w, 0): the flag is cleared as the space is written.
        writeTo(file, ' ');
        it.softspace27.set(key, false);
      }
      if (x.ob_type === t.unicode && file && !(file.ob_type as PyType).isHeapType && file.ob_type === it.sysStdout27Type) {
        // A real file has no encoding when it is not a terminal: unicode is
        // encoded as ASCII (the script's output here is never a terminal).
        for (let i = 0; i < s.length; i++) {
          const cp = s.charCodeAt(i);
          if (cp > 127) {
            const ch = cp < 256 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
            it.raise('UnicodeEncodeError', `'ascii' codec can't encode character u'${ch}' in position ${i}: ordinal not in range(128)`);
          }
        }
      }
      // A unicode item reaches a file-like object's write() as unicode.
      if (x.ob_type === t.unicode && file && file !== rt.None && file.ob_type !== it.sysStdout27Type) it.decref(it.callMethod(file, 'write', [x]));
      else writeTo(file, s);
      const last = s.length ? s[s.length - 1] : '';
      it.softspace27.set(key, !(x instanceof PyStr) || last === '' || last === ' ' || !/\s/.test(last));
    }
    if (nl) {
      writeTo(file, '\n');
      it.softspace27.set(key, false);
    }
  };
  // Py_FlushLine at exit: a pending softspace on sys.stdout ends the line.
  it.flushLine27 = () => {
    if (!it.py2) return;
    const file = it.sysStdout();
    const key: object = file ?? stdoutKey;
    if (!it.softspace27.get(key)) return;
    it.softspace27.set(key, false);
    writeTo(file, '\n');
  };

  def('len', (_s, args) => {
    argc('len', args, 1, 1);
    return it.int(it.len(args[0]));
  });
  def('repr', (_s, args) => it.repr(args[0]));
  def('id', (_s, args) => it.int(args[0].id));
  def('hash', (_s, args) => it.int(it.hash(args[0])));
  // PyNumber_Index: an int, or an object whose __index__ returns one.
  const indexValue = (o: PyObject): IntValue => {
    if (o instanceof PyInt) return o.v;
    const m = it.findDunder(o, '__index__');
    if (m) {
      const r = it.callMethodObj(m, o, []);
      const v = r instanceof PyInt ? r.v : null;
      const rt2 = it.typeName(r);
      it.decref(r);
      if (v === null) it.typeError(`__index__ returned non-int (type ${rt2})`);
      return v;
    }
    it.typeError(it.py2 ? `'${it.typeName(o)}' object cannot be interpreted as an index` : `'${it.typeName(o)}' object cannot be interpreted as an integer`);
  };
  it.indexValue = indexValue;
  def('hex', (_s, args) => it.str(intHex(BigInt(indexValue(args[0])))));
  def('oct', (_s, args) => it.str(intOct(BigInt(indexValue(args[0])))));
  def('bin', (_s, args) => it.str(intBin(BigInt(indexValue(args[0])))));
  def('chr', (_s, args) => {
    const v = indexValue(args[0]);
    if (v < 0 || v > 0x10ffff) it.raise(v < -0x80000000 || v > 0x7fffffff ? 'OverflowError' : 'ValueError', v < -0x80000000 || v > 0x7fffffff ? 'Python int too large to convert to C int' : 'chr() arg not in range(0x110000)');
    return it.str(String.fromCodePoint(Number(v)));
  });
  def('ord', (_s, args) => {
    const s = args[0];
    if (!(s instanceof PyStr) || [...s.v].length !== 1) it.typeError(`ord() expected a character, but string of length ${s instanceof PyStr ? [...s.v].length : 0} found`);
    return it.int(s.v.codePointAt(0)!);
  });
  def('abs', (_s, args) => {
    const o = args[0];
    if (o instanceof PyInt) return typeof o.v === 'number' ? it.int(Math.abs(o.v)) : it.int(norm(o.v < 0n ? -o.v : o.v));
    if (o instanceof PyFloat) return rt.newFloat(Math.abs(o.v));
    const m = it.findDunder(o, '__abs__');
    if (m) return it.callMethodObj(m, o, []);
    it.typeError(`bad operand type for abs(): '${it.typeName(o)}'`);
  });
  def('isinstance', (_s, args) => {
    argc('isinstance', args, 2, 2);
    return it.bool(isinstance(args[0], args[1]));
  });
  const isinstance = (o: PyObject, c: PyObject): boolean => {
    if (c instanceof PyTuple) return c.items.some((x) => isinstance(o, x));
    if (c instanceof PyType) return (o.ob_type as PyType).isSubtypeOf(c);
    if (c instanceof PyClassObj) return o instanceof PyOldInstance && classObjSub(o.cls as PyClassObj, c);
    it.typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
  };
  const classObjSub = (a: PyClassObj, b: PyClassObj): boolean => a === b || (a.bases as PyTuple).items.some((x) => x instanceof PyClassObj && classObjSub(x, b));
  def('issubclass', (_s, args) => {
    const [a, c] = args;
    const sub = (x: PyObject): boolean => {
      if (x instanceof PyTuple) return x.items.some(sub);
      if (a instanceof PyType && x instanceof PyType) return a.isSubtypeOf(x);
      if (a instanceof PyClassObj && x instanceof PyClassObj) return classObjSub(a, x);
      return false;
    };
    if (!(a instanceof PyType) && !(a instanceof PyClassObj)) it.typeError('issubclass() arg 1 must be a class');
    return it.bool(sub(c));
  });
  def('hasattr', (_s, args) => {
    try {
      const v = it.getattrOrNull(args[0], (args[1] as PyStr).v);
      if (v === null) return it.bool(false);
      it.decref(v);
      return it.bool(true);
    } catch (e) {
      if (e instanceof PyExc && it.isInstance(e.exc, it.exc.AttributeError)) {
        it.decref(e.exc);
        it.raising = Math.max(0, it.raising - 1);
        return it.bool(false);
      }
      throw e;
    }
  });
  def('getattr', (_s, args) => {
    argc('getattr', args, 2, 3);
    const name = args[1];
    if (!(name instanceof PyStr)) it.typeError("attribute name must be string, not '" + it.typeName(name) + "'");
    if (args.length === 3) {
      try {
        const v = it.getattrOrNull(args[0], name.v);
        return v ?? it.incref(args[2]);
      } catch (e) {
        if (e instanceof PyExc && it.isInstance(e.exc, it.exc.AttributeError)) {
          it.decref(e.exc);
          it.raising = Math.max(0, it.raising - 1);
          return it.incref(args[2]);
        }
        throw e;
      }
    }
    return it.getattr(args[0], name.v);
  });
  def('setattr', (_s, args) => {
    it.setattr(args[0], (args[1] as PyStr).v, args[2]);
    return it.none();
  });
  def('delattr', (_s, args) => {
    it.delattr(args[0], (args[1] as PyStr).v);
    return it.none();
  });
  def('callable', (_s, args) => {
    const o = args[0];
    return it.bool(o instanceof PyFunction || o instanceof PyBuiltinFunction || o instanceof PyMethod || o instanceof PyType || o instanceof PyClassObj || it.findDunder(o, '__call__') !== null || it.nativeCall.has(o.ob_type as PyType));
  });
  def('iter', (_s, args) => {
    if (args.length === 2) return rt.newHolder(t.callable_iterator, [it.incref(args[0]), it.incref(args[1])], { i: 0 }, 32);
    return it.getIter(args[0]);
  });
  def('next', (_s, args) => {
    const v = it.next(args[0]);
    if (v === null) {
      if (args.length > 1) return it.incref(args[1]);
      const lr = it.lastReturnValue;
      it.lastReturnValue = null;
      throw new PyExc(it.newExc(it.exc.StopIteration, lr && lr !== rt.None ? [lr] : (it.xdecref(lr), [])));
    }
    return v;
  });
  def('vars', (_s, args) => {
    if (!args.length) return it.frameLocals(it.frame!);
    const d = it.instanceDict(args[0], true);
    if (d) return it.incref(d);
    // Anything else with a __dict__ attribute (classes, modules, old-style classes, functions).
    const r = it.getattrOrNull(args[0], '__dict__');
    if (r === null) it.typeError('vars() argument must have __dict__ attribute');
    return r;
  });
  def('globals', () => it.incref(it.frame!.globals));
  def('locals', () => it.frameLocals(it.frame!));
  def('dir', (_s, args) => {
    const names = new Set<string>();
    if (args.length === 0) {
      const loc = it.frameLocals(it.frame!) as PyDict;
      for (const [k] of it.dictEntries(loc)) names.add((k as PyStr).v);
      it.decref(loc);
      return rt.newList([...names].sort().map((n) => it.str(n)));
    }
    const o = args[0];
    const d = it.instanceDict(o, false);
    if (d) for (const [k] of it.dictEntries(d)) names.add((k as PyStr).v);
    if (o instanceof PyInstance && o.values) (o.ob_type as PyType).sharedKeys.forEach((k, i) => o.values![i] && names.add(k));
    const ty = o instanceof PyType ? o : (o.ob_type as PyType);
    for (const m of ty.mro) {
      if (m.tp_dict) for (const [k] of it.dictEntries(m.tp_dict as PyDict)) names.add((k as PyStr).v);
      for (const k of it.methods.get(m)?.keys() ?? []) names.add(k);
    }
    return rt.newList([...names].sort().map((n) => it.str(n)));
  });
  def('sum', (_s, allArgs, kw) => {
    const [args, k] = splitArgs(allArgs, kw);
    // 3.11 sum(iterable, /, start=0) is a clinic function with one keyword; 2.7 takes none.
    if (it.py2) {
      if (k.size) it.typeError('sum() takes no keyword arguments');
      if (args.length < 1 || args.length > 2) it.typeError(`sum expected ${args.length < 1 ? 'at least 1' : 'at most 2'} arguments, got ${args.length}`);
    } else {
      if (allArgs.length > 2) it.typeError(`sum() takes at most 2 arguments (${allArgs.length} given)`);
      if (args.length < 1) it.typeError(`sum() takes at least 1 positional argument (${args.length} given)`);
      for (const name of k.keys()) if (name !== 'start') it.typeError(`'${name}' is an invalid keyword argument for sum()`);
      if (k.has('start')) args.push(k.get('start')!);
    }
    let acc = args.length > 1 ? it.incref(args[1]) : it.int(0);
    for (const x of it.iterate(args[0])) {
      const r = it.binaryOp(acc, x, 0, false);
      it.decref(acc);
      it.decref(x);
      acc = r;
    }
    return acc;
  });
  const minmax = (name: string, op: CmpCode) => (_s: PyObject | null, args: Args, kw: string[] | null) => {
    const [a, k] = splitArgs(args, kw);
    if (a.length === 0) it.typeError(it.py2 ? `${name} expected 1 arguments, got 0` : `${name} expected at least 1 argument, got 0`);
    for (const kn of k.keys()) {
      if (kn !== 'key' && (kn !== 'default' || it.py2)) it.typeError(it.py2 ? `${name}() got an unexpected keyword argument` : `'${kn}' is an invalid keyword argument for ${name}()`);
    }
    if (a.length > 1 && k.has('default')) it.typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
    const key = k.get('key');
    const dflt = k.get('default');
    const items: PyObject[] = [];
    if (a.length === 1) for (const x of it.iterate(a[0])) items.push(x);
    else for (const x of a) items.push(it.incref(x));
    try {
      if (!items.length) {
        if (dflt) return it.incref(dflt);
        it.raise('ValueError', `${name}() arg is an empty sequence`);
      }
      let best = items[0];
      let bestKey = key ? it.call(key, [best]) : it.incref(best);
      for (let i = 1; i < items.length; i++) {
        const kx = key ? it.call(key, [items[i]]) : it.incref(items[i]);
        const r = it.richCompare(kx, bestKey, op);
        const better = it.truthy(r);
        it.decref(r);
        if (better) {
          it.decref(bestKey);
          bestKey = kx;
          best = items[i];
        } else it.decref(kx);
      }
      it.decref(bestKey);
      return it.incref(best);
    } finally {
      for (const x of items) it.decref(x);
    }
  };
  def('min', minmax('min', CmpCode.Lt));
  def('max', minmax('max', CmpCode.Gt));
  def('any', (_s, args) => {
    for (const x of it.iterate(args[0])) {
      const b = it.truthy(x);
      it.decref(x);
      if (b) return it.bool(true);
    }
    return it.bool(false);
  });
  def('all', (_s, args) => {
    for (const x of it.iterate(args[0])) {
      const b = it.truthy(x);
      it.decref(x);
      if (!b) return it.bool(false);
    }
    return it.bool(true);
  });
  const sortList = (items: PyObject[], key: PyObject | null, reverse: boolean, cmpFn: PyObject | null = null) => {
    const keys = key ? items.map((x) => it.call(key, [x])) : items;
    const idx = items.map((_, i) => i);
    let err: unknown = null;
    const cmp = (i: number, j: number) => {
      if (err) return 0;
      try {
        if (cmpFn) {
          // 2.7 sort(cmp=f): f(a, b) returns a negative, zero or positive int.
          const r = it.call(cmpFn, [keys[i], keys[j]]);
          if (!(r instanceof PyInt)) {
            it.decref(r);
            it.typeError('comparison function must return int');
          }
          const v = Number(r.v);
          it.decref(r);
          return v < 0 ? -1 : v > 0 ? 1 : 0;
        }
        const r = it.richCompare(keys[i], keys[j], CmpCode.Lt);
        const lt = it.truthy(r);
        it.decref(r);
        if (lt) return -1;
        const r2 = it.richCompare(keys[j], keys[i], CmpCode.Lt);
        const gt = it.truthy(r2);
        it.decref(r2);
        return gt ? 1 : 0;
      } catch (e) {
        err = e;
        return 0;
      }
    };
    idx.sort((i, j) => (reverse ? cmp(j, i) : cmp(i, j)));
    if (key) for (const k of keys) it.decref(k);
    if (err) throw err;
    return idx.map((i) => items[i]);
  };
  it.sortList = sortList;
  def('sorted', (_s, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const items: PyObject[] = [];
    for (const x of it.iterate(a[0])) items.push(x);
    // 2.7: sorted(iterable, cmp=None, key=None, reverse=False), positionally too.
    const key = k.get('key') ?? (it.py2 ? a[2] : undefined);
    const rev = k.get('reverse') ?? (it.py2 ? a[3] : undefined);
    const cmpFn = it.py2 ? (k.get('cmp') ?? a[1] ?? null) : null;
    try {
      return rt.newList(sortList(items, key && key !== rt.None ? key : null, rev ? it.truthy(rev) : false, cmpFn && cmpFn !== rt.None ? cmpFn : null));
    } catch (e) {
      for (const x of items) it.decref(x);
      throw e;
    }
  });
  def('round', (_s, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const x = a[0] ?? k.get('number')!;
    const nd = a[1] ?? k.get('ndigits');
    if (!(x instanceof PyInt) && !(x instanceof PyFloat)) {
      const m = it.findDunder(x, '__round__');
      if (!m) it.typeError(`type ${it.typeName(x)} doesn't define __round__ method`);
      return it.callMethodObj(m, x, nd ? [nd] : []);
    }
    if (x instanceof PyInt) {
      if (nd && nd !== rt.None) indexValue(nd);
      return it.incref(x);
    }
    const v = x.v;
    if (nd && nd !== rt.None) {
      const n = Number(indexValue(nd));
      return rt.newFloat(Number(v.toFixed(Math.max(0, n))));
    }
    const r = Math.round(v);
    const half = Math.abs(v % 1) === 0.5;
    return it.int(half ? 2 * Math.round(v / 2) : r);
  });
  def('divmod', (_s, args) => {
    const q = it.binaryOp(args[0], args[1], 12, false);
    const r = it.binaryOp(args[0], args[1], 5, false);
    return rt.newTuple([q, r]);
  });
  def('pow', (_s, args) => {
    if (args.length === 3 && args[2] !== rt.None) {
      const [b, e, m] = args.map((x) => {
        if (!(x instanceof PyInt)) it.typeError('pow() 3rd argument not allowed unless all arguments are integers');
        return BigInt(x.v);
      });
      if (m === 0n) it.raise('ValueError', 'pow() 3rd argument cannot be 0');
      let r = 1n;
      let base = ((b % m) + m) % m;
      let ex = e;
      if (ex < 0n) it.raise('ValueError', 'base is not invertible for the given modulus');
      while (ex > 0n) {
        if (ex & 1n) r = (r * base) % m;
        base = (base * base) % m;
        ex >>= 1n;
      }
      if (m < 0n && r > 0n) r += m;
      return it.int(norm(r));
    }
    return it.binaryOp(args[0], args[1], 6, false);
  });
  def('input', (_s, args) => {
    if (args.length) it.stdout(it.strString(args[0]));
    it.raise('EOFError', 'EOF when reading a line');
  });
  def('format', (_s, args) => it.format(args[0], args.length > 1 ? (args[1] as PyStr).v : ''));
  def('ascii', (_s, args) => it.str(asciiOfRepr(it.reprString(args[0]))));

  /**
   * enumerate and zip keep their last result tuple and refill it when nobody
   * else holds it (CPython's en_result / ittuple reuse), so the previous
   * item stays referenced by the iterator until the next step.
   */
  const reuseResult = (h: PyHolder, slot: number, items: PyObject[]): PyObject => {
    const cached = h.refs[slot] as PyTuple | null;
    if (cached && cached.ob_refcnt === 1 && cached.items.length === items.length) {
      const old = cached.items;
      cached.items = items;
      for (const x of old) it.decref(x);
      return it.incref(cached);
    }
    const tup = rt.newTuple(items);
    h.refs[slot] = it.incref(tup);
    if (cached) it.decref(cached);
    return tup;
  };

  // Iterator-producing builtins: enumerate, zip, map, filter, reversed.
  const makeIterType = (name: string) => {
    const ty = rt.defineStaticType(name, 'iterator', true, 48);
    t[name] = ty;
    setType(name, ty);
    return ty;
  };
  const enumT = makeIterType('enumerate');
  const zipT = makeIterType('zip');
  const mapT = makeIterType('map');
  const filterT = makeIterType('filter');
  const revT = makeIterType('reversed');
  for (const ty of [enumT, zipT, mapT, filterT, revT]) it.nativeIter.set(ty, (o) => it.incref(o));
  C.set(enumT, (_ty, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const start = a[1] ?? k.get('start');
    const iterable = a[0] ?? k.get('iterable');
    // enum_new parses by hand in 3.11: the message has no "(pos 1)".
    if (!iterable) it.typeError(it.py2 ? "Required argument 'sequence' (pos 1) not found" : "enumerate() missing required argument 'iterable'");
    if (start && !(start instanceof PyInt)) it.indexValue(start);
    return rt.newHolder(enumT, [it.getIter(iterable), null], { n: start ? Number((start as PyInt).v) : 0 }, 64);
  });
  it.nativeNext.set(enumT, (o) => {
    const h = o as PyHolder;
    const v = it.next(h.refs[0]!);
    if (v === null) return null;
    const st = h.state as { n: number };
    return reuseResult(h, 1, [it.int(st.n++), v]);
  });
  C.set(zipT, (_ty, args) => rt.newHolder(zipT, [null, ...args.map((a) => it.getIter(a))], null, 64));
  it.nativeNext.set(zipT, (o) => {
    const h = o as PyHolder;
    if (h.refs.length <= 1) return null;
    const items: PyObject[] = [];
    for (const r of h.refs.slice(1)) {
      const v = it.next(r!);
      if (v === null) {
        for (const x of items) it.decref(x);
        return null;
      }
      items.push(v);
    }
    return reuseResult(h, 0, items);
  });
  C.set(mapT, (_ty, args, kw) => {
    if (kw && kw.length) it.typeError('map() takes no keyword arguments');
    if (args.length < 2) it.typeError('map() must have at least two arguments.');
    return rt.newHolder(mapT, [it.incref(args[0]), ...args.slice(1).map((a) => it.getIter(a))], null, 48);
  });
  it.nativeNext.set(mapT, (o) => {
    const h = o as PyHolder;
    const vals: PyObject[] = [];
    for (const r of h.refs.slice(1)) {
      const v = it.next(r!);
      if (v === null) {
        for (const x of vals) it.decref(x);
        return null;
      }
      vals.push(v);
    }
    try {
      return it.call(h.refs[0]!, vals);
    } finally {
      for (const x of vals) it.decref(x);
    }
  });
  C.set(filterT, (_ty, args) => rt.newHolder(filterT, [it.incref(args[0]), it.getIter(args[1])], null, 48));
  it.nativeNext.set(filterT, (o) => {
    const h = o as PyHolder;
    for (;;) {
      const v = it.next(h.refs[1]!);
      if (v === null) return null;
      const f = h.refs[0]!;
      let keep: boolean;
      if (f === rt.None) keep = it.truthy(v);
      else {
        const r = it.call(f, [v]);
        keep = it.truthy(r);
        it.decref(r);
      }
      if (keep) return v;
      it.decref(v);
    }
  });
  C.set(revT, (_ty, args) => {
    const o = args[0];
    const m = it.findDunder(o, '__reversed__');
    if (m) return it.callMethodObj(m, o, []);
    const items: PyObject[] = [];
    if (o instanceof PyList || o instanceof PyTuple) for (const x of o.items) items.push(it.incref(x));
    else {
      // PySequence_Check: reversed() needs __reversed__ or the sequence protocol (__len__ and __getitem__).
      const reversibleDict = o instanceof PyDict && !it.py2; // dict.__reversed__ (3.8+)
      if (!reversibleDict && (o instanceof PyDict || o instanceof PySet || !(it.findDunder(o, '__getitem__') || it.nativeGetitem.has(o.ob_type as PyType) || o instanceof PyStr || o.ob_type === t.bytes || o.ob_type === t.bytearray))) {
        it.typeError(it.py2 ? 'argument to reversed() must be a sequence' : `'${it.typeName(o)}' object is not reversible`);
      }
      for (const x of it.iterate(o)) items.push(x);
    }
    items.reverse();
    const l = rt.newList(items);
    const h = rt.newHolder(revT, [it.getIter(l)], null, 48);
    it.decref(l);
    return h;
  });
  it.nativeNext.set(revT, (o) => it.next((o as PyHolder).refs[0]!));

  // super()
  const superT = rt.defineStaticType('super', 'other', true, 48);
  setType('super', superT);
  C.set(superT, (_ty, args) => {
    let cls: PyObject;
    let obj: PyObject;
    if (args.length >= 2) [cls, obj] = args;
    else {
      const f = it.frame!;
      const u = (f.code as unknown as { body: { varnames: string[]; cellvars: string[]; freevars: string[] } }).body;
      // super_init_without_args: a frame without arguments is checked before the cell.
      if (!(u as unknown as { argcount: number }).argcount) it.raise('RuntimeError', 'super(): no arguments');
      const ci = u.freevars.indexOf('__class__');
      if (ci < 0) it.raise('RuntimeError', 'super(): __class__ cell not found');
      const cell = f.fast[u.varnames.length + u.cellvars.length + ci] as unknown as { ref: PyObject | null };
      if (!cell.ref) it.raise('RuntimeError', 'super(): empty __class__ cell');
      cls = cell.ref;
      obj = f.fast[0] ?? it.raise('RuntimeError', 'super(): no arguments');
      if (obj && (obj as unknown as { ref?: PyObject }).ref !== undefined && u.cellvars[0] === u.varnames[0]) obj = (obj as unknown as { ref: PyObject }).ref;
    }
    return rt.newHolder(superT, [it.incref(cls), it.incref(obj)], null, 48);
  });
  it.superGetattr = (s: PyHolder, name: string): PyObject | null => {
    const cls = s.refs[0] as PyType;
    const obj = s.refs[1]!;
    const classLevel = obj instanceof PyType && obj.isSubtypeOf(cls);
    const startType = classLevel ? obj : (obj.ob_type as PyType);
    const mro = startType.mro;
    let i = mro.indexOf(cls) + 1;
    for (; i < mro.length; i++) {
      const m = mro[i];
      let v: PyObject | null = null;
      if (m.tp_dict) v = it.dictGetStr(m.tp_dict as PyDict, name);
      if (!v) v = it.methods.get(m)?.get(name) ?? null;
      if (v) {
        if (classLevel && v instanceof PyWrapper && v.ob_type === t.classmethod) return rt.newMethod(it.incref(v.callable!), it.incref(obj));
        if (classLevel) return it.bindClassMethod(v, obj as PyType);
        return it.descrGet(v, obj, startType);
      }
    }
    return null;
  };
  it.superType = superT;

  // ----------------------------------------------- object's own methods
  it.defineMethods(t.object, {
    // object_init: extra arguments are an error unless the class overrides __new__ (and not __init__).
    __init__: (self, args, kw) => {
      it.objectInitCheck(self!.ob_type as PyType, args.length > 0);
      void kw;
      return it.none();
    },
    __setattr__: (self, args) => {
      it.genericSetattr(self!, (args[0] as PyStr).v, args[1]);
      return it.none();
    },
    __repr__: (self) => it.str(it.builtinRepr(self!)),
    __str__: (self) => it.repr(self!),
    __eq__: (self, args) => (self === args[0] ? it.bool(true) : it.incref(rt.NotImplemented)),
    __ne__: (self, args) => (self === args[0] ? it.bool(false) : it.incref(rt.NotImplemented)),
    __hash__: (self) => it.int(pointerHash(self!.id)),
    __format__: (self, args) => it.format(self!, (args[0] as PyStr).v),
    __sizeof__: (self) => it.int(rt.sizeof(self!) - (((self!.ob_type as PyType).isGC ? rt.preHeaderSize(self!) : 0))),
    __reduce_ex__: () => it.none(),
    __dir__: (self) => it.call(it.dictGetStr(B, 'dir')!, [self!]),
  });
  // type's own slots: type_init's argument check, type_call (what a
  // metaclass's `super().__call__(...)` reaches), and the default namespace.
  it.defineMethods(t.type, {
    __init__: (_self, args, kw) => {
      const n = args.length - (kw ? kw.length : 0);
      if (kw && kw.length && n === 1) it.typeError('type.__init__() takes no keyword arguments');
      if (n !== 1 && n !== 3) it.typeError('type.__init__() takes 1 or 3 arguments');
      return it.none();
    },
    __call__: (self, args, kw) => {
      const n = args.length - (kw ? kw.length : 0);
      const tuple = it.argsTuple(args, 0, n);
      const kwd = kw && kw.length ? rt.newDict(t.dict, kw.length) : null;
      if (kwd) for (let i = 0; i < kw!.length; i++) it.dictSetStr(kwd, kw![i], it.incref(args[n + i]));
      try {
        return it.typeCall(self as PyType, tuple, kwd);
      } finally {
        it.decref(tuple);
        if (kwd) it.decref(kwd);
      }
    },
  });
  if (!it.py2) {
    it.defineClassMethods(t.type, { __prepare__: () => rt.newDict() });
    // object.__init_subclass__: the end of the chain of super() calls takes no keywords.
    it.defineClassMethods(t.object, {
      __init_subclass__: (self, args, kw) => {
        if (kw && kw.length) it.typeError(`${(self as PyType).tp_name}.__init_subclass__() takes no keyword arguments`);
        if (args.length) it.typeError(`${(self as PyType).tp_name}.__init_subclass__() takes no arguments (${args.length} given)`);
        return it.none();
      },
    });
  }
  const propCopy = (which: 0 | 1 | 2) => (self: PyObject | null, args: Args) => {
    const p = self as PyProperty;
    const parts = [p.fget, p.fset, p.fdel].map((x) => (x ? it.incref(x) : null));
    const old = parts[which];
    parts[which] = it.incref(args[0]);
    it.xdecref(old);
    return rt.newProperty(p.ob_type as PyType, parts[0], parts[1], parts[2], p.doc ? it.incref(p.doc) : null);
  };
  it.defineMethods(t.property, {
    getter: propCopy(0),
    setter: propCopy(1),
    deleter: propCopy(2),
    __get__: (self, args) => (args[0] === rt.None ? it.incref(self!) : it.descrGet(self!, args[0], args[0].ob_type as PyType)),
  });

  it.defineMethods(t.BaseException, {
    __init__: (self, args) => {
      const e = self as PyBaseException;
      const old = e.args;
      e.args = rt.newTuple(args.map((x) => it.incref(x)));
      it.decref(old);
      return it.none();
    },
    with_traceback: (self, args) => {
      it.setattr(self!, '__traceback__', args[0]);
      return it.incref(self!);
    },
    __str__: (self) => it.str(it.excStr(self as PyBaseException)),
    __repr__: (self) => it.str(it.builtinRepr(self!)),
  });

  installExec(it, def);
  if (it.py2) installBuiltins27(it, def, setType, rangeLen);

  // Calls of the built-in types themselves (bool(1, 2), list(a=1)) are checked
  // like functions. A subclass may take other arguments through its own
  // __init__, so only a call of the exact type is checked. bytes and bytearray
  // parse their own arguments.
  for (const [ty, ctor] of [...C]) {
    if (ty === t.bytes || ty === t.bytearray) continue;
    const checked = withArgumentCheck(ty.tp_name, ctor as unknown as NativeFn, it.py2, raiseTypeError) as unknown as typeof ctor;
    if (checked !== (ctor as unknown)) C.set(ty, (sub, args, kw) => (sub === ty ? checked(sub, args, kw) : ctor(sub, args, kw)));
  }

  void PyProperty;
  void PyModule;
  void PySet;
}

/**
 * Python 2 builtins: `range` builds a list and the lazy range type is
 * `xrange`; zip/map/filter return lists (filter keeps str and tuple);
 * reduce and cmp.
 */
function installBuiltins27(
  it: Interpreter,
  def: (name: string, fn: NativeFn) => void,
  setType: (name: string, ty: PyType) => void,
  rangeLen: (s: { start: number; stop: number; step: number }) => number,
): void {
  const rt = it.rt;
  const t = it.t;
  t.range.tp_name = t.range.qualname = 'xrange';
  setType('xrange', t.range);
  it.nativeRepr.set(t.range, (o) => {
    // range_repr: the stop is normalized to start + len * step.
    const s = (o as PyHolder).state as { start: number; stop: number; step: number };
    const stop = s.start + rangeLen(s) * s.step;
    if (s.start === 0 && s.step === 1) return `xrange(${stop})`;
    return s.step === 1 ? `xrange(${s.start}, ${stop})` : `xrange(${s.start}, ${stop}, ${s.step})`;
  });
  const collect = (o: PyObject): PyObject[] => {
    const out: PyObject[] = [];
    for (const x of it.iterate(o)) out.push(x);
    return out;
  };
  def('range', (_s, args) => {
    if (args.length < 1 || args.length > 3) it.typeError(args.length ? `range expected at most 3 arguments, got ${args.length}` : 'range expected at least 1 arguments, got 0');
    const names = ['start', 'end', 'step'];
    const nums = args.map((x, i) => {
      if (x instanceof PyFloat) it.typeError(`range() integer ${names[args.length === 1 ? 1 : i]} argument expected, got float.`);
      if (!(x instanceof PyInt)) it.typeError(`range() integer ${names[args.length === 1 ? 1 : i]} argument expected, got ${it.typeName(x)}.`);
      return Number(x.v);
    });
    const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
    if (step === 0) it.raise('ValueError', 'range() step argument must not be zero');
    const n = rangeLen({ start, stop, step });
    const items: PyObject[] = [];
    for (let i = 0; i < n; i++) items.push(it.int(start + i * step));
    return rt.newList(items);
  });
  def('zip', (_s, args) => {
    const seqs = args.map(collect);
    const n = seqs.length ? Math.min(...seqs.map((q) => q.length)) : 0;
    const out: PyObject[] = [];
    for (let i = 0; i < n; i++) out.push(rt.newTuple(seqs.map((q) => it.incref(q[i]))));
    for (const q of seqs) for (const x of q) it.decref(x);
    return rt.newList(out);
  });
  def('map', (_s, args) => {
    if (args.length < 2) it.typeError('map() requires at least two args');
    const f = args[0];
    const seqs = args.slice(1).map(collect);
    const n = Math.max(...seqs.map((q) => q.length));
    const out: PyObject[] = [];
    try {
      for (let i = 0; i < n; i++) {
        // Shorter sequences are padded with None.
        const vals = seqs.map((q) => (i < q.length ? it.incref(q[i]) : it.none()));
        if (f === rt.None) {
          out.push(vals.length === 1 ? vals[0] : rt.newTuple(vals));
          continue;
        }
        try {
          out.push(it.call(f, vals));
        } finally {
          for (const v of vals) it.decref(v);
        }
      }
    } catch (e) {
      for (const x of out) it.decref(x);
      throw e;
    } finally {
      for (const q of seqs) for (const x of q) it.decref(x);
    }
    return rt.newList(out);
  });
  def('filter', (_s, args) => {
    if (args.length !== 2) it.typeError(`filter expected 2 arguments, got ${args.length}`);
    const [f, seq] = args;
    const items = collect(seq);
    const keep: PyObject[] = [];
    try {
      for (const x of items) {
        let ok: boolean;
        if (f === rt.None) ok = it.truthy(x);
        else {
          const r = it.call(f, [x]);
          ok = it.truthy(r);
          it.decref(r);
        }
        if (ok) keep.push(it.incref(x));
      }
    } finally {
      for (const x of items) it.decref(x);
    }
    if (seq instanceof PyStr && seq.ob_type === t.str) {
      const text = keep.map((x) => (x as PyStr).v).join('');
      for (const x of keep) it.decref(x);
      return it.str(text);
    }
    if (seq instanceof PyTuple && seq.ob_type === t.tuple) return rt.newTuple(keep);
    return rt.newList(keep);
  });
  def('reduce', (_s, args) => {
    if (args.length < 2 || args.length > 3) it.typeError(`reduce expected at least 2 arguments, got ${args.length}`);
    const iter = it.getIter(args[1]);
    try {
      let acc: PyObject | null = args.length === 3 ? it.incref(args[2]) : null;
      for (let x = it.next(iter); x !== null; x = it.next(iter)) {
        if (acc === null) {
          acc = x;
          continue;
        }
        try {
          const r = it.call(args[0], [acc, x]);
          it.decref(acc);
          acc = r;
        } finally {
          it.decref(x);
        }
      }
      if (acc === null) it.typeError('reduce() of empty sequence with no initial value');
      return acc;
    } finally {
      it.decref(iter);
    }
  });
  def('cmp', (_s, args) => {
    if (args.length !== 2) it.typeError(`cmp expected 2 arguments, got ${args.length}`);
    const [a, b] = args;
    const three = it.cmp3way27(a, b);
    if (three !== null) return it.int(three);
    if (it.eq(a, b)) return it.int(0);
    const r = it.richCompare(a, b, CmpCode.Lt);
    const lt = it.truthy(r);
    it.decref(r);
    return it.int(lt ? -1 : 1);
  });
  def('unichr', (_s, args) => it.str(String.fromCodePoint(Number((args[0] as PyInt).v))));
  // 2.7 chr() makes a one-byte str: PyArg_ParseTuple "l" wants an int, range(256).
  def('chr', (_s, args) => {
    const o = args[0];
    if (o instanceof PyFloat) it.typeError('integer argument expected, got float');
    if (!(o instanceof PyInt)) it.typeError('an integer is required');
    if (o.v < 0 || o.v > 255) it.raise('ValueError', 'chr() arg not in range(256)');
    return it.str(String.fromCharCode(Number(o.v)));
  });
  // hex/oct: a long gets an L suffix; oct writes a bare leading 0 (010, 0 for zero).
  const intArg = (name: string, o: PyObject): PyInt => {
    if (!(o instanceof PyInt)) it.typeError(`${name}() argument can't be converted to ${name}`);
    return o;
  };
  def('hex', (_s, args) => {
    const o = intArg('hex', args[0]);
    return it.str(intHex(BigInt(o.v)) + (o.ob_type === t.long ? 'L' : ''));
  });
  def('oct', (_s, args) => {
    const o = intArg('oct', args[0]);
    const v = BigInt(o.v);
    const body = v === 0n ? '0' : `${v < 0n ? '-' : ''}0${(v < 0n ? -v : v).toString(8)}`;
    return it.str(body + (o.ob_type === t.long ? 'L' : ''));
  });

  // long: int() results beyond a C long are longs too; abs keeps a long a long.
  const C = it.constructors;
  const intCtor = C.get(t.int)!;
  const isBig = (v: IntValue) => typeof v !== 'number' && (v > 9223372036854775807n || v < -9223372036854775808n);
  C.set(t.int, (ty, args, kw) => {
    const r = intCtor(ty, args, kw);
    if (!(r instanceof PyInt) || r.ob_type !== t.int || !isBig(r.v)) return r;
    const l = rt.newLong(r.v);
    it.decref(r);
    return l;
  });
  setType('long', t.long);
  setType('unicode', t.unicode);
  C.set(t.unicode, (_ty, args) => {
    if (!args.length) return rt.newUnicode('');
    const s = it.toStr(args[0]);
    const u = rt.newUnicode((s as PyStr).v);
    it.decref(s);
    return u;
  });
  C.set(t.long, (_ty, args, kw) => {
    const r = intCtor(t.int, args, kw);
    if (!(r instanceof PyInt)) return r;
    const l = rt.newLong(r.v);
    it.decref(r);
    return l;
  });
  const absFn = it.dictGetStr(it.builtins, 'abs')!;
  def('abs', (_s, args) => {
    const o = args[0];
    if (o instanceof PyInt && o.ob_type === t.long) return rt.newLong(typeof o.v === 'number' ? Math.abs(o.v) : norm(o.v < 0n ? -o.v : o.v));
    return it.call(absFn, args);
  });
  // round() returns a float and rounds halfway cases away from zero.
  def('round', (_s, args) => {
    const x = args[0];
    if (!(x instanceof PyInt) && !(x instanceof PyFloat)) it.typeError('a float is required');
    const v = Number(x.v);
    const n = args.length > 1 ? Number(it.indexValue(args[1])) : 0;
    if (!Number.isFinite(v)) return rt.newFloat(v);
    if (n >= 0 && n <= 100) {
      const r = v < 0 ? -Number((-v).toFixed(n)) : Number(v.toFixed(n));
      return rt.newFloat(r === 0 ? (v < 0 || Object.is(v, -0) ? -0 : 0) : r);
    }
    const p = 10 ** -n;
    return rt.newFloat(Math.sign(v) * Math.round(Math.abs(v) / p) * p);
  });
}

declare module './interp.js' {
  interface Interpreter {
    writeTo: (file: PyObject | null, text: string) => void;
    sysStdout: () => PyObject | null;
    /** 2.7 print statement: the softspace flag of each destination file. */
    softspace27: WeakMap<object, boolean>;
    /** 2.7: the `file` type of sys.stdout and sys.stderr (set by installModules). */
    sysStdout27Type: PyType | null;
    /** 2.7 Py_FlushLine: ends a line left open by `print x,` (at exit). */
    flushLine27: () => void;
    len: (o: PyObject) => number;
    sortList: (items: PyObject[], key: PyObject | null, reverse: boolean, cmpFn?: PyObject | null) => PyObject[];
    methodsDefinesDel: (m: PyType) => boolean;
    superGetattr: (s: PyHolder, name: string) => PyObject | null;
    superType: PyType;
    /** type_new(metatype, (name, bases, ns), kwds): creates a class. */
    typeNew: (meta: PyType, args: PyTuple, kw: PyDict | null) => PyObject;
    /** PyNumber_Index: the integer value of an int or an object with __index__ (TypeError otherwise). */
    indexValue: (o: PyObject) => IntValue;
  }
}

/**
 * Gives every built-in type with a constructor its tp_new as `T.__new__`
 * (tp_new_wrapper). Called once every module has registered its types.
 */
export function installTypeNewWrappers(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  // Every built-in type with a constructor has its tp_new as `T.__new__`
  // (tp_new_wrapper: `object.__new__(cls)`, `tuple.__new__(cls, items)`).
  const tpNewWrapper = (s: PyType): NativeFn => (_self, args, kwnames) => {
    const n = args.length - (kwnames ? kwnames.length : 0);
    if (n < 1) it.typeError(`${s.tp_name}.__new__(): not enough arguments`);
    const sub = args[0];
    if (!(sub instanceof PyType)) it.typeError(`${s.tp_name}.__new__(X): X is not a type object (${it.typeName(sub)})`);
    if (!sub.isSubtypeOf(s)) it.typeError(`${s.tp_name}.__new__(${sub.tp_name}): ${sub.tp_name} is not a subtype of ${s.tp_name}`);
    // The nearest class whose tp_new is not a Python __new__ must share this one's.
    let staticBase = sub;
    while (staticBase.isHeapType && staticBase.tp_base && !(it.lookupType(staticBase, '__new__') instanceof PyBuiltinFunction)) staticBase = staticBase.tp_base;
    if (it.newOwner(it.solidBase(staticBase)) !== it.newOwner(s)) it.typeError(`${s.tp_name}.__new__(${sub.tp_name}) is not safe, use ${staticBase.tp_name}.__new__()`);
    if (!sub.isHeapType && sub.ob_type === t.type && s !== t.type) return it.callType(sub, args.slice(1), kwnames);
    const rest = it.argsTuple(args, 1, n - 1);
    const kw = kwnames && kwnames.length ? rt.newDict(t.dict, kwnames.length) : null;
    if (kw) for (let i = 0; i < kwnames!.length; i++) it.dictSetStr(kw, kwnames![i], it.incref(args[n + i]));
    try {
      return it.builtinNew(it.newOwner(s), sub, rest, kw);
    } finally {
      it.decref(rest);
      if (kw) it.decref(kw);
    }
  };
  for (const ty of [t.object, ...it.constructors.keys(), t.BaseException]) {
    if (ty.isHeapType || it.methods.get(ty)?.has('__new__')) continue;
    it.defineClassMethods(ty, { __new__: tpNewWrapper(ty) });
  }

}
