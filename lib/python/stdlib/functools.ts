/*
 * functools: partial and the lru_cache wrapper (C types in CPython's
 * _functools), update_wrapper/wraps, reduce, cmp_to_key, cached_property.
 *
 * partial owns (fn, args tuple, keywords dict, __dict__), visited in that
 * order (partial_traverse). `keywords` is always a dict, an empty untracked
 * one when none were given, as partial_new makes it.
 *
 * The lru_cache wrapper owns (cache dict, func, __dict__) — the cache holds
 * strong references to every key (hence to the arguments, including `self`
 * of a cached method) and every result, which is why it is a classic leak.
 * Keys follow _functools' make_key: a lone exact int/str argument is its own
 * key, anything else a tuple of the arguments (plus a marker and the
 * keyword items, plus the types when typed=True). The LRU order of a
 * bounded cache is the cache dict's entry order: a hit moves the entry to
 * the end, an eviction takes the first. (CPython threads link objects
 * through the dict instead; the references reachable from the wrapper are
 * the same keys and results.)
 */
import { PyFunction } from '../../heap/callables.js';
import { PyDict, PyTuple } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyInt, PyStr } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import { PyExc } from '../errors.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { CmpCode } from '../opcodes.js';
import { defineGetset, makeModule, moduleSet, splitArgs, toIndex, type Args } from './support.js';

interface LruState {
  maxsize: number | null;
  typed: boolean;
  hits: number;
  misses: number;
}

export function installFunctools(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const sl = it.stdlib;

  const isCallable = (f: PyObject): boolean => {
    const r = it.call(it.dictGetStr(it.builtins, 'callable')!, [f]);
    const b = r === rt.True;
    it.decref(r);
    return b;
  };

  // ---------------------------------------------------------------- partial
  const partialT = rt.defineStaticType('partial', 'other', true, 64, t.object, true);
  partialT.moduleName = 'functools';
  sl.dictSlot.set(partialT, 3);
  const P = (o: PyObject) => (o as PyHolder).refs;

  /** partial_new; `kw` entries are borrowed. */
  const newPartial = (ty: PyType, func: PyObject, args: PyObject[], kw: [string, PyObject][]): PyHolder => {
    if (!isCallable(func)) it.typeError('the first argument must be callable');
    let pargs: PyObject[] = [];
    let pkw: PyDict | null = null;
    if (func instanceof PyHolder && func.ob_type === partialT && !func.refs[3]) {
      pargs = (func.refs[1] as PyTuple).items;
      pkw = func.refs[2] as PyDict;
      func = func.refs[0]!;
    }
    const tuple = rt.newTuple([...pargs, ...args].map((x) => it.incref(x)));
    const kwd = rt.newDict();
    if (pkw) for (const [k, v] of it.dictEntries(pkw)) it.dictSet(kwd, k, v);
    for (const [k, v] of kw) it.dictSetStr(kwd, k, it.incref(v));
    return rt.newHolder(ty, [it.incref(func), tuple, kwd, null], null, 64);
  };
  it.constructors.set(partialT, (ty, args, kwnames) => {
    const [a, k] = splitArgs(args, kwnames);
    if (!a.length) it.typeError(`type 'partial' takes at least one argument`);
    return newPartial(ty, a[0], a.slice(1), [...k]);
  });
  it.nativeCall.set(partialT, (self, args, kwnames) => {
    const [fn, pargs, pkw] = P(self) as [PyObject, PyTuple, PyDict];
    const [a, k] = splitArgs(args, kwnames);
    const callArgs = [...pargs.items, ...a];
    let names: string[] | null = null;
    if (pkw.used || k.size) {
      const merged = new Map<string, PyObject>();
      for (const [key, v] of it.dictEntries(pkw)) merged.set((key as PyStr).v, v);
      for (const [key, v] of k) merged.set(key, v);
      names = [...merged.keys()];
      callArgs.push(...merged.values());
    }
    return it.call(fn, callArgs, names);
  });
  defineGetset(it, partialT, {
    func: (self) => it.incref(P(self)[0]!),
    args: (self) => it.incref(P(self)[1]!),
    keywords: (self) => it.incref(P(self)[2]!),
  });
  const reprActive = new Set<PyObject>();
  it.nativeRepr.set(partialT, (o) => {
    const name = (o.ob_type as PyType).isHeapType ? (o.ob_type as PyType).tp_name : 'functools.partial';
    if (reprActive.has(o)) return '...';
    reprActive.add(o);
    try {
      const [fn, pargs, pkw] = P(o) as [PyObject, PyTuple, PyDict];
      const parts = [it.reprString(fn), ...pargs.items.map((x) => it.reprString(x))];
      for (const [k, v] of it.dictEntries(pkw)) parts.push(`${it.strString(k)}=${it.reprString(v)}`);
      return `${name}(${parts.join(', ')})`;
    } finally {
      reprActive.delete(o);
    }
  });

  // -------------------------------------------------------------- lru_cache
  const lruT = rt.defineStaticType('_lru_cache_wrapper', 'other', true, 152);
  lruT.moduleName = 'functools';
  sl.dictSlot.set(lruT, 2);
  sl.binding.add(lruT);
  const L = (o: PyObject) => (o as PyHolder).state as LruState;
  let cacheInfoT: PyType | null = null;
  const cacheInfoType = () => (cacheInfoT ??= sl.namedtuple('CacheInfo', ['hits', 'misses', 'maxsize', 'currsize'], 'functools'));

  const makeKey = (args: Args, kwnames: string[] | null, typed: boolean): PyObject => {
    const [a, k] = splitArgs(args, kwnames);
    if (!k.size && a.length === 1 && (a[0].ob_type === t.int || a[0].ob_type === t.str)) return it.incref(a[0]);
    const items = a.map((x) => it.incref(x));
    if (k.size) {
      items.push(it.incref(kwdMark()));
      for (const [name, v] of k) items.push(it.str(name), it.incref(v));
    }
    if (typed) {
      for (const x of a) items.push(it.incref(x.ob_type));
      for (const v of k.values()) items.push(it.incref(v.ob_type));
    }
    return rt.newTuple(items);
  };
  let kwdMarkObj: PyObject | null = null;
  const kwdMark = () => (kwdMarkObj ??= rt.newPlain(t.object));

  it.nativeCall.set(lruT, (self, args, kwnames) => {
    const h = self as PyHolder;
    const st = L(h);
    const func = h.refs[1]!;
    if (st.maxsize === 0) {
      st.misses++;
      return it.call(func, args, kwnames);
    }
    const key = makeKey(args, kwnames, st.typed);
    try {
      const cache = h.refs[0] as PyDict;
      const i = it.dictLookup(cache, key);
      if (i >= 0) {
        st.hits++;
        const v = it.incref(cache.valueAt(i)!);
        if (st.maxsize !== null) moveToEnd(cache, i);
        return v;
      }
      st.misses++;
      const result = it.call(func, args, kwnames);
      const c = h.refs[0] as PyDict | null;
      if (!c || it.dictLookup(c, key) >= 0) return result;
      if (st.maxsize !== null && c.used >= st.maxsize) {
        const first = c.firstEntry();
        const [ok, ov] = [it.incref(c.keyAt(first)!), it.incref(c.valueAt(first)!)];
        rt.dictDeleteAt(c, first);
        it.dictSet(c, key, result);
        it.decref(ok);
        it.decref(ov);
      } else it.dictSet(c, key, result);
      return result;
    } finally {
      it.decref(key);
    }
  });
  const moveToEnd = (d: PyDict, i: number) => {
    const k = it.incref(d.keyAt(i)!);
    const v = it.incref(d.valueAt(i)!);
    rt.dictDeleteAt(d, i);
    it.dictSet(d, k, v);
    it.decref(k);
    it.decref(v);
  };
  it.defineMethods(lruT, {
    cache_info: (self) => {
      const st = L(self!);
      const ci = cacheInfoType();
      const vals = [it.int(st.hits), it.int(st.misses), st.maxsize === null ? it.none() : it.int(st.maxsize), it.int((P(self!)[0] as PyDict).used)];
      try {
        return it.call(ci, vals);
      } finally {
        for (const v of vals) it.decref(v);
      }
    },
    cache_clear: (self) => {
      const st = L(self!);
      st.hits = st.misses = 0;
      rt.dictClear(P(self!)[0] as PyDict);
      return it.none();
    },
    cache_parameters: (self) => {
      const st = L(self!);
      const d = rt.newDict();
      it.dictSetStr(d, 'maxsize', st.maxsize === null ? it.none() : it.int(st.maxsize));
      it.dictSetStr(d, 'typed', it.bool(st.typed));
      return d;
    },
    __get__: (self, args) => (args[0] === rt.None ? it.incref(self!) : rt.newMethod(it.incref(self!), it.incref(args[0]))),
  });
  it.nativeRepr.set(lruT, (o) => `<functools._lru_cache_wrapper object at 0x${o.id.toString(16).padStart(12, '0')}>`);

  const newLru = (func: PyObject, maxsize: number | null, typed: boolean): PyObject => {
    if (!isCallable(func)) it.typeError('the first argument must be callable');
    const w = rt.newHolder(lruT, [rt.newDict(), it.incref(func), null], { maxsize, typed, hits: 0, misses: 0 } satisfies LruState, 152);
    try {
      it.decref(updateWrapper(w, func, null, null));
    } catch (e) {
      it.decref(w);
      throw e;
    }
    return w;
  };
  const lruCache: NativeFn = (_s, args, kwnames) => {
    const [a, k] = splitArgs(args, kwnames);
    let maxsizeObj: PyObject = a[0] ?? k.get('maxsize') ?? rt.None;
    const typedObj = a[1] ?? k.get('typed') ?? rt.False;
    const typed = it.truthy(typedObj);
    let maxsize: number | null;
    if (maxsizeObj instanceof PyInt && maxsizeObj.ob_type !== t.bool) maxsize = Math.max(0, Number(maxsizeObj.v));
    else if (maxsizeObj !== rt.None && isCallable(maxsizeObj) && (typedObj === rt.True || typedObj === rt.False)) {
      return newLru(maxsizeObj, 128, typed);
    } else if (maxsizeObj !== rt.None) it.typeError('Expected first argument to be an integer, a callable, or None');
    else maxsize = null;
    if (a[0] === undefined && !k.has('maxsize')) maxsize = 128;
    void maxsizeObj;
    maxsizeObj = rt.None;
    const ms = maxsize;
    return rt.newBuiltinFunction('decorating_function', (_s2, args2) => newLru(args2[0], ms, typed), null, 'lru_cache.<locals>.decorating_function');
  };

  // ----------------------------------------------------- update_wrapper / wraps
  const ASSIGNED = ['__module__', '__name__', '__qualname__', '__doc__', '__annotations__'];
  const UPDATED = ['__dict__'];
  const names = (o: PyObject | null, dflt: string[]): string[] => {
    if (!o) return dflt;
    const out: string[] = [];
    for (const x of it.iterate(o)) {
      out.push(it.strString(x));
      it.decref(x);
    }
    return out;
  };
  const tryGetattr = (o: PyObject, name: string): PyObject | null => {
    try {
      return it.getattrOrNull(o, name);
    } catch (e) {
      if (e instanceof PyExc && it.isInstance(e.exc, it.exc.AttributeError)) {
        it.decref(e.exc);
        it.raising = Math.max(0, it.raising - 1);
        return null;
      }
      throw e;
    }
  };
  /** update_wrapper(wrapper, wrapped, assigned, updated): returns wrapper (new ref). */
  const updateWrapper = (wrapper: PyObject, wrapped: PyObject, assigned: PyObject | null, updated: PyObject | null): PyObject => {
    for (const attr of names(assigned, ASSIGNED)) {
      const v = tryGetattr(wrapped, attr);
      if (v === null) continue;
      try {
        it.setattr(wrapper, attr, v);
      } finally {
        it.decref(v);
      }
    }
    for (const attr of names(updated, UPDATED)) {
      const src = tryGetattr(wrapped, attr);
      if (src === null) continue;
      const dst = it.getattr(wrapper, attr);
      try {
        it.decref(it.callMethod(dst, 'update', [src]));
      } finally {
        it.decref(dst);
        it.decref(src);
      }
    }
    it.setattr(wrapper, '__wrapped__', wrapped);
    return it.incref(wrapper);
  };
  const updateWrapperFn: NativeFn = (_s, args, kwnames) => {
    const [a, k] = splitArgs(args, kwnames);
    const wrapper = a[0] ?? k.get('wrapper');
    const wrapped = a[1] ?? k.get('wrapped');
    if (!wrapper || !wrapped) it.typeError(`update_wrapper() missing 1 required positional argument: '${wrapper ? 'wrapped' : 'wrapper'}'`);
    return updateWrapper(wrapper, wrapped, a[2] ?? k.get('assigned') ?? null, a[3] ?? k.get('updated') ?? null);
  };

  // --------------------------------------------------------- cmp_to_key etc.
  const heapClass = (name: string, module: string, methods: Record<string, NativeFn>, values: Record<string, PyObject> = {}): PyType => {
    const ns = rt.newDict();
    it.dictSetStr(ns, '__module__', it.str(module));
    for (const [n, fn] of Object.entries(methods)) it.dictSetStr(ns, n, sl.method(n, fn));
    for (const [n, v] of Object.entries(values)) it.dictSetStr(ns, n, v);
    const nameObj = it.str(name);
    const bases = rt.newTuple([it.incref(t.object)]);
    try {
      return it.call(t.type, [nameObj, bases, ns]) as PyType;
    } finally {
      it.decref(nameObj);
      it.decref(bases);
      it.decref(ns);
    }
  };
  const cmpOps: [string, (n: number) => boolean][] = [
    ['__lt__', (n) => n < 0],
    ['__gt__', (n) => n > 0],
    ['__eq__', (n) => n === 0],
    ['__le__', (n) => n <= 0],
    ['__ge__', (n) => n >= 0],
  ];
  const cmpToKey: NativeFn = (_s, args, kwnames) => {
    const [a, k] = splitArgs(args, kwnames);
    const cmp = a[0] ?? k.get('mycmp');
    if (!cmp) it.typeError(`cmp_to_key() missing required argument 'mycmp' (pos 1)`);
    const methods: Record<string, NativeFn> = {
      __init__: (self, args2) => {
        it.setattr(self!, 'obj', args2[0]);
        return it.none();
      },
    };
    for (const [name, test] of cmpOps) {
      methods[name] = (self, args2) => {
        const c = it.lookupType(self!.ob_type as PyType, '_cmp')!;
        const x = it.getattr(self!, 'obj');
        const y = it.getattr(args2[0], 'obj');
        try {
          const r = it.call(c, [x, y]);
          const zero = it.int(0);
          const lt = it.richCompare(r, zero, CmpCode.Lt);
          const gt = it.richCompare(r, zero, CmpCode.Gt);
          const n = it.truthy(lt) ? -1 : it.truthy(gt) ? 1 : 0;
          for (const o of [r, zero, lt, gt]) it.decref(o);
          return it.bool(test(n));
        } finally {
          it.decref(x);
          it.decref(y);
        }
      };
    }
    return heapClass('K', 'functools', methods, { _cmp: it.incref(cmp), __slots__: rt.newTuple([it.str('obj')]), __hash__: it.none() });
  };

  const reduce: NativeFn = (_s, args) => {
    if (args.length < 2) it.typeError(`reduce expected at least 2 arguments, got ${args.length}`);
    const fn = args[0];
    let acc: PyObject | null = args.length > 2 ? it.incref(args[2]) : null;
    try {
      for (const x of it.iterate(args[1])) {
        if (acc === null) {
          acc = x;
          continue;
        }
        try {
          const r = it.call(fn, [acc, x]);
          it.decref(acc);
          acc = r;
        } finally {
          it.decref(x);
        }
      }
    } catch (e) {
      it.xdecref(acc);
      throw e;
    }
    if (acc === null) it.typeError('reduce() of empty iterable with no initial value');
    return acc;
  };

  let cachedPropertyT: PyType | null = null;
  const cachedPropertyType = () =>
    (cachedPropertyT ??= heapClass('cached_property', 'functools', {
      __init__: (self, args) => {
        it.setattr(self!, 'func', args[0]);
        it.setattr(self!, 'attrname', rt.None);
        const doc = tryGetattr(args[0], '__doc__');
        it.setattr(self!, '__doc__', doc ?? rt.None);
        it.xdecref(doc);
        return it.none();
      },
      __set_name__: (self, args) => {
        it.setattr(self!, 'attrname', args[1]);
        return it.none();
      },
      __get__: (self, args) => {
        const inst = args[0];
        if (inst === rt.None) return it.incref(self!);
        const an = it.getattr(self!, 'attrname');
        const func = it.getattr(self!, 'func');
        try {
          const name = an === rt.None ? it.getattr(func, '__name__') : it.incref(an);
          try {
            const d = it.instanceDict(inst, true);
            if (!d) it.typeError(`No '__dict__' attribute on '${it.typeName(inst)}' instance to cache ${it.reprString(name)} property.`);
            const cached = it.dictGet(d, name);
            if (cached) return it.incref(cached);
            const v = it.call(func, [inst]);
            it.dictSet(d, name, v);
            return v;
          } finally {
            it.decref(name);
          }
        } finally {
          it.decref(an);
          it.decref(func);
        }
      },
    }));

  it.extraModules.set('functools', () => {
    const m = makeModule(it, 'functools', {
      lru_cache: lruCache,
      cache: (_s, args) => newLru(args[0], null, false),
      update_wrapper: updateWrapperFn,
      reduce,
      cmp_to_key: cmpToKey,
    });
    const uw = it.dictGetStr(m.dict as PyDict, 'update_wrapper')!;
    moduleSet(it, m, 'wraps', rt.newBuiltinFunction('wraps', (_s, args, kwnames) => {
      const [a, k] = splitArgs(args, kwnames);
      const wrapped = a[0] ?? k.get('wrapped');
      if (!wrapped) it.typeError(`wraps() missing 1 required positional argument: 'wrapped'`);
      const kw: [string, PyObject][] = [['wrapped', wrapped]];
      const assigned = a[1] ?? k.get('assigned');
      const updated = a[2] ?? k.get('updated');
      const tmp: PyObject[] = [];
      const asTuple = (xs: string[]) => {
        const tu = rt.newTuple(xs.map((x) => it.str(x)));
        tmp.push(tu);
        return tu;
      };
      kw.push(['assigned', assigned ?? asTuple(ASSIGNED)], ['updated', updated ?? asTuple(UPDATED)]);
      try {
        return newPartial(partialT, uw, [], kw);
      } finally {
        for (const x of tmp) it.decref(x);
      }
    }, it.incref(m)));
    moduleSet(it, m, 'partial', it.incref(partialT));
    moduleSet(it, m, 'WRAPPER_ASSIGNMENTS', rt.newTuple(ASSIGNED.map((x) => it.str(x))));
    moduleSet(it, m, 'WRAPPER_UPDATES', rt.newTuple(UPDATED.map((x) => it.str(x))));
    moduleSet(it, m, '_lru_cache_wrapper', it.incref(lruT));
    moduleSet(it, m, 'cached_property', it.incref(cachedPropertyType()));
    moduleSet(it, m, '_CacheInfo', it.incref(cacheInfoType()));
    return m;
  });
  void PyFunction;
  void toIndex;
}
