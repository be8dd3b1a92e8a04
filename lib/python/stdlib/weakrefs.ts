/*
 * weakref extras: WeakValueDictionary, WeakKeyDictionary, WeakSet and
 * finalize, added to the weakref module that modules.ts creates.
 *
 * The containers follow Lib/weakref.py and Lib/_weakrefset.py:
 *   - each owns a plain dict/set `data` and one `_remove` callback, a
 *     function holding only a weak reference back to the container;
 *   - WeakValueDictionary stores `KeyedRef(value, _remove, key)` (a weakref
 *     subclass that owns its key), WeakKeyDictionary stores
 *     `ref(key, _remove) -> value`, WeakSet stores `ref(item, _remove)`;
 *   - when a referent dies the weakref's callback removes the entry. In a
 *     collection the dead KeyedRef is freed by its own callback, which is
 *     what makes gc.collect() count it (cpython-memory.md §2.5 step 9).
 * Lookups of a live key find its weakref through the key's own weakref
 * list (the one whose callback is this container's `_remove`), so equality
 * is identity, as it is for the objects these containers are used with.
 *
 * finalize follows the Python class: a registry dict (finalize → None here;
 * the _Info fields live on the finalize object) keeps every live finalizer
 * alive, the weakref's callback is the finalizer itself, calling it pops it
 * from the registry and releases func/args, and an at-exit function calls
 * the remaining `atexit` finalizers newest first.
 */
import { PyBuiltinFunction } from '../../heap/callables.js';
import { PyDict, PySet, PyTuple } from '../../heap/containers.js';
import { PyHolder, PyWeakref } from '../../heap/misc.js';
import type { PyObject, Releaser, Visit } from '../../heap/object.js';
import { TypeFlag } from '../../heap/object.js';
import type { PyType } from '../../heap/types.js';
import { PyExc } from '../errors.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { addr, defineGetset, moduleSet, splitArgs } from './support.js';

/** weakref.KeyedRef: a weakref that also owns the key it is stored under. */
export class PyKeyedRef extends PyWeakref {
  key: PyObject | null = null;
  override traverse(visit: Visit): void {
    super.traverse(visit);
    if (this.key) visit(this.key);
  }
  override clear(r: Releaser): void {
    super.clear(r);
    const k = this.key;
    this.key = null;
    r.xdecref(k);
  }
}

interface FinState {
  atexit: boolean;
  index: number;
}

export function installWeakrefs(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const sl = it.stdlib;
  const def = (name: string, size: number, base: PyType = t.object, layout: 'other' | 'weakref' = 'other') => {
    const ty = rt.defineStaticType(name, layout, true, size, base, true);
    ty.moduleName = 'weakref';
    return ty;
  };

  /** A weak reference of `type` (callback stolen), registered on the referent like rt.newWeakref. */
  const newRef = <T extends PyWeakref>(o: T, referent: PyObject): T => {
    if ((o.ob_type as PyType).tp_flags & TypeFlag.HEAPTYPE) it.incref(o.ob_type);
    rt.register(o, 64 + (o instanceof PyKeyedRef ? 8 : 0), true);
    if (referent.weakrefs === null) referent.weakrefs = [];
    referent.weakrefs.push(o);
    rt.gc.track(o);
    return o;
  };
  const checkWeakrefable = (o: PyObject) => {
    const ty = o.ob_type as PyType;
    if (!ty.isHeapType && !(o instanceof PySet) && ty !== t.type && !ty.isSubtypeOf(t.BaseException) && ty !== t.function && !weakrefable.has(ty)) {
      it.typeError(`cannot create weak reference to '${ty.tp_name}' object`);
    }
  };
  const weakrefable = new Set<PyType>();

  /** The weakref on `o` whose callback is `remove` (borrowed), or null. */
  const refFor = (o: PyObject, remove: PyObject): PyWeakref | null => {
    for (const w of o.weakrefs ?? []) if ((w as PyWeakref).callback === remove) return w as PyWeakref;
    return null;
  };

  /** `_remove`: a built-in function whose self is a weak reference to the container. */
  const makeRemove = (container: PyObject, onDead: (c: PyHolder, wr: PyWeakref) => void): PyObject => {
    const selfref = newRef(new PyWeakref(t.weakref, container, null, false), container);
    return rt.newBuiltinFunction(
      'remove',
      (self, args) => {
        const c = (self as PyWeakref).referent;
        if (c) onDead(c as PyHolder, args[0] as PyWeakref);
        return it.none();
      },
      selfref,
      'WeakContainer.__init__.<locals>.remove',
    );
  };
  const snapshotIter = (objs: PyObject[]) => {
    const l = rt.newList(objs);
    const r = it.getIter(l);
    it.decref(l);
    return r;
  };
  const data = (o: PyObject) => (o as PyHolder).refs[0] as PyDict;
  const remove = (o: PyObject) => (o as PyHolder).refs[1]!;

  // ---------------------------------------------------- WeakValueDictionary
  const keyedRefT = def('KeyedRef', 72, t.weakref, 'weakref');
  const wvdT = def('WeakValueDictionary', 48);
  const wkdT = def('WeakKeyDictionary', 48);
  const wsT = def('WeakSet', 48);
  const finT = def('finalize', 48);
  for (const ty of [wvdT, wkdT, wsT, finT]) weakrefable.add(ty);
  // 2.7 old-style instances and classes (instance_new / class_new set tp_weaklistoffset).
  if (it.py2) for (const ty of [t.instance, t.classobj]) weakrefable.add(ty);

  const newContainer = (ty: PyType, onDead: (c: PyHolder, wr: PyWeakref) => void, set = false): PyHolder => {
    const h = rt.newHolder(ty, [set ? rt.newSet() : rt.newDict(), null], null, ty.tp_basicsize);
    h.state = { len: () => (set ? (h.refs[0] as PySet).used : (h.refs[0] as PyDict).used) };
    h.refs[1] = makeRemove(h, onDead);
    return h;
  };
  const removeDeadValue = (c: PyHolder, wr: PyWeakref) => {
    const key = (wr as PyKeyedRef).key;
    if (!key) return;
    const d = data(c);
    const i = it.dictLookup(d, key);
    if (i >= 0 && d.valueAt(i) === wr) rt.dictDeleteAt(d, i);
  };
  const wvdSet = (self: PyObject, k: PyObject, v: PyObject) => {
    checkWeakrefable(v);
    const cb = it.incref(remove(self));
    const kr = newRef(new PyKeyedRef(keyedRefT, v, cb, false), v);
    kr.key = it.incref(k);
    try {
      it.dictSet(data(self), k, kr);
    } finally {
      it.decref(kr);
    }
  };
  const wvdGet = (self: PyObject, k: PyObject): PyObject | null => {
    const wr = it.dictGet(data(self), k) as PyWeakref | null;
    return wr && wr.referent ? it.incref(wr.referent) : null;
  };
  const keyError = (k: PyObject): never => {
    throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(k)]));
  };
  const wvdInit = (self: PyObject, args: PyObject[], kw: string[] | null) => {
    const [a, k] = splitArgs(args, kw);
    if (a.length) {
      const src = a[0];
      const pairs: [PyObject, PyObject][] = [];
      if (src instanceof PyDict) for (const [key, v] of it.dictEntries(src)) pairs.push([it.incref(key), it.incref(v)]);
      else
        for (const pair of it.iterate(src)) {
          const [key, v] = it.unpack(pair, 2, -1);
          it.decref(pair);
          pairs.push([key, v]);
        }
      for (const [key, v] of pairs) {
        try {
          wvdSet(self, key, v);
        } finally {
          it.decref(key);
          it.decref(v);
        }
      }
    }
    for (const [key, v] of k) {
      const ks = it.str(key);
      try {
        wvdSet(self, ks, v);
      } finally {
        it.decref(ks);
      }
    }
  };
  it.constructors.set(wvdT, (ty, args, kw) => {
    const h = newContainer(ty, removeDeadValue);
    try {
      wvdInit(h, args, kw);
    } catch (e) {
      it.decref(h);
      throw e;
    }
    return h;
  });
  const liveEntries = (self: PyObject): [PyObject, PyObject][] => {
    const out: [PyObject, PyObject][] = [];
    for (const [k, wr] of it.dictEntries(data(self))) {
      const v = (wr as PyWeakref).referent;
      if (v) out.push([k, v]);
    }
    return out;
  };
  it.nativeGetitem.set(wvdT, (self, k) => wvdGet(self, k) ?? keyError(k));
  it.nativeSetitem.set(wvdT, wvdSet);
  it.nativeDelitem.set(wvdT, (self, k) => it.dictDel(data(self), k));
  it.nativeContains.set(wvdT, (self, k) => {
    const v = wvdGet(self, k);
    it.xdecref(v);
    return v !== null;
  });
  it.nativeIter.set(wvdT, (self) => snapshotIter(liveEntries(self).map(([k]) => it.incref(k))));
  it.defineMethods(wvdT, {
    get: (self, args) => wvdGet(self!, args[0]) ?? it.incref(args[1] ?? rt.None),
    keys: (self) => snapshotIter(liveEntries(self!).map(([k]) => it.incref(k))),
    values: (self) => snapshotIter(liveEntries(self!).map(([, v]) => it.incref(v))),
    items: (self) => snapshotIter(liveEntries(self!).map(([k, v]) => rt.newTuple([it.incref(k), it.incref(v)]))),
    valuerefs: (self) => rt.newList([...it.dictEntries(data(self!))].map(([, wr]) => it.incref(wr))),
    itervaluerefs: (self) => snapshotIter([...it.dictEntries(data(self!))].map(([, wr]) => it.incref(wr))),
    pop: (self, args) => {
      const d = data(self!);
      const i = it.dictLookup(d, args[0]);
      const v = i >= 0 ? (d.valueAt(i) as PyWeakref).referent : null;
      if (i >= 0) {
        const r = v ? it.incref(v) : null;
        rt.dictDeleteAt(d, i);
        if (r) return r;
      }
      if (args.length > 1) return it.incref(args[1]);
      return keyError(args[0]);
    },
    setdefault: (self, args) => {
      const v = wvdGet(self!, args[0]);
      if (v) return v;
      const dflt = args[1] ?? rt.None;
      wvdSet(self!, args[0], dflt);
      return it.incref(dflt);
    },
    update: (self, args, kw) => (wvdInit(self!, args, kw), it.none()),
    clear: (self) => (rt.dictClear(data(self!)), it.none()),
    copy: (self) => {
      const h = newContainer(wvdT, removeDeadValue);
      for (const [k, v] of liveEntries(self!)) wvdSet(h, k, v);
      return h;
    },
    __len__: (self) => it.int(data(self!).used),
  });

  // ----------------------------------------------------- WeakKeyDictionary
  const removeDeadKey = (c: PyHolder, wr: PyWeakref) => {
    const d = data(c);
    const i = it.dictLookup(d, wr);
    if (i >= 0) rt.dictDeleteAt(d, i);
  };
  const wkdFind = (self: PyObject, k: PyObject): number => {
    const wr = refFor(k, remove(self));
    return wr ? it.dictLookup(data(self), wr) : -1;
  };
  const wkdSet = (self: PyObject, k: PyObject, v: PyObject) => {
    checkWeakrefable(k);
    const d = data(self);
    const i = wkdFind(self, k);
    if (i >= 0) {
      rt.dictReplace(d, i, it.incref(v));
      return;
    }
    const wr = newRef(new PyWeakref(t.weakref, k, it.incref(remove(self)), false), k);
    try {
      it.dictSet(d, wr, v);
    } finally {
      it.decref(wr);
    }
  };
  it.constructors.set(wkdT, (ty, args) => {
    const h = newContainer(ty, removeDeadKey);
    try {
      if (args.length) for (const [k, v] of pairsOf(args[0])) {
        try {
          wkdSet(h, k, v);
        } finally {
          it.decref(k);
          it.decref(v);
        }
      }
    } catch (e) {
      it.decref(h);
      throw e;
    }
    return h;
  });
  const pairsOf = (src: PyObject): [PyObject, PyObject][] => {
    const out: [PyObject, PyObject][] = [];
    if (src instanceof PyDict) for (const [k, v] of it.dictEntries(src)) out.push([it.incref(k), it.incref(v)]);
    else
      for (const pair of it.iterate(src)) {
        const [k, v] = it.unpack(pair, 2, -1);
        it.decref(pair);
        out.push([k, v]);
      }
    return out;
  };
  const liveKeys = (self: PyObject): [PyObject, PyObject][] => {
    const out: [PyObject, PyObject][] = [];
    for (const [wr, v] of it.dictEntries(data(self))) {
      const k = (wr as PyWeakref).referent;
      if (k) out.push([k, v]);
    }
    return out;
  };
  it.nativeGetitem.set(wkdT, (self, k) => {
    const i = wkdFind(self, k);
    return i >= 0 ? it.incref(data(self).valueAt(i)!) : keyError(k);
  });
  it.nativeSetitem.set(wkdT, wkdSet);
  it.nativeDelitem.set(wkdT, (self, k) => {
    const i = wkdFind(self, k);
    if (i < 0) keyError(k);
    rt.dictDeleteAt(data(self), i);
  });
  it.nativeContains.set(wkdT, (self, k) => wkdFind(self, k) >= 0);
  it.nativeIter.set(wkdT, (self) => snapshotIter(liveKeys(self).map(([k]) => it.incref(k))));
  it.defineMethods(wkdT, {
    get: (self, args) => {
      const i = wkdFind(self!, args[0]);
      return it.incref(i >= 0 ? data(self!).valueAt(i)! : args[1] ?? rt.None);
    },
    keys: (self) => snapshotIter(liveKeys(self!).map(([k]) => it.incref(k))),
    values: (self) => snapshotIter(liveKeys(self!).map(([, v]) => it.incref(v))),
    items: (self) => snapshotIter(liveKeys(self!).map(([k, v]) => rt.newTuple([it.incref(k), it.incref(v)]))),
    keyrefs: (self) => rt.newList([...it.dictEntries(data(self!))].map(([wr]) => it.incref(wr))),
    pop: (self, args) => {
      const i = wkdFind(self!, args[0]);
      if (i >= 0) {
        const v = it.incref(data(self!).valueAt(i)!);
        rt.dictDeleteAt(data(self!), i);
        return v;
      }
      if (args.length > 1) return it.incref(args[1]);
      return keyError(args[0]);
    },
    setdefault: (self, args) => {
      const i = wkdFind(self!, args[0]);
      if (i >= 0) return it.incref(data(self!).valueAt(i)!);
      const dflt = args[1] ?? rt.None;
      wkdSet(self!, args[0], dflt);
      return it.incref(dflt);
    },
    update: (self, args) => {
      if (args.length) for (const [k, v] of pairsOf(args[0])) {
        try {
          wkdSet(self!, k, v);
        } finally {
          it.decref(k);
          it.decref(v);
        }
      }
      return it.none();
    },
    clear: (self) => (rt.dictClear(data(self!)), it.none()),
    __len__: (self) => it.int(data(self!).used),
  });

  // ---------------------------------------------------------------- WeakSet
  const wsData = (o: PyObject) => (o as PyHolder).refs[0] as PySet;
  const removeDeadItem = (c: PyHolder, wr: PyWeakref) => void it.setDiscard(wsData(c), wr);
  const wsFind = (self: PyObject, x: PyObject): PyWeakref | null => {
    const wr = refFor(x, remove(self));
    return wr && it.setFind(wsData(self), wr, it.hash(wr)) >= 0 ? wr : null;
  };
  const wsAdd = (self: PyObject, x: PyObject) => {
    checkWeakrefable(x);
    if (wsFind(self, x)) return;
    const wr = newRef(new PyWeakref(t.weakref, x, it.incref(remove(self)), false), x);
    try {
      it.setAdd(wsData(self), wr);
    } finally {
      it.decref(wr);
    }
  };
  const liveItems = (self: PyObject) => it.setItems(wsData(self)).map((w) => (w as PyWeakref).referent).filter((x): x is PyObject => x !== null);
  it.constructors.set(wsT, (ty, args) => {
    const h = newContainer(ty, removeDeadItem, true);
    try {
      if (args.length) for (const x of it.iterate(args[0])) {
        try {
          wsAdd(h, x);
        } finally {
          it.decref(x);
        }
      }
    } catch (e) {
      it.decref(h);
      throw e;
    }
    return h;
  });
  it.nativeContains.set(wsT, (self, x) => (x.ob_type as PyType).isHeapType && wsFind(self, x) !== null);
  it.nativeIter.set(wsT, (self) => snapshotIter(liveItems(self).map((x) => it.incref(x))));
  it.defineMethods(wsT, {
    add: (self, args) => (wsAdd(self!, args[0]), it.none()),
    discard: (self, args) => {
      const wr = wsFind(self!, args[0]);
      if (wr) it.setDiscard(wsData(self!), wr);
      return it.none();
    },
    remove: (self, args) => {
      const wr = wsFind(self!, args[0]);
      if (!wr) keyError(args[0]);
      it.setDiscard(wsData(self!), wr!);
      return it.none();
    },
    pop: (self) => {
      for (;;) {
        const items = it.setItems(wsData(self!));
        if (!items.length) it.raise('KeyError', 'pop from empty WeakSet');
        const wr = items[0] as PyWeakref;
        const x = wr.referent ? it.incref(wr.referent) : null;
        it.setDiscard(wsData(self!), wr);
        if (x) return x;
      }
    },
    update: (self, args) => {
      for (const x of it.iterate(args[0])) {
        try {
          wsAdd(self!, x);
        } finally {
          it.decref(x);
        }
      }
      return it.none();
    },
    clear: (self) => ((wsData(self!) as PySet).clear(rt), it.none()),
    copy: (self) => {
      const h = newContainer(wsT, removeDeadItem, true);
      for (const x of liveItems(self!)) wsAdd(h, x);
      return h;
    },
    __len__: (self) => it.int(wsData(self!).used),
  });
  for (const [ty, name] of [
    [wvdT, 'WeakValueDictionary'],
    [wkdT, 'WeakKeyDictionary'],
  ] as const) {
    it.nativeRepr.set(ty, (o) => `<${name} at ${addr(o)}>`);
  }
  it.nativeRepr.set(wsT, (o) => `{${liveItems(o).map((x) => `<weakref at ${addr(refFor(x, remove(o)) ?? x)}; to '${it.typeName(x)}' at ${addr(x)}>`).join(', ')}}`);

  // --------------------------------------------------------------- finalize
  // refs: [weakref to the object, func, args tuple, kwargs dict or null]
  let registry: PyDict | null = null;
  let finIndex = 0;
  let exitRegistered = false;
  const reg = () => {
    if (!registry) {
      registry = rt.newDict();
      // finalize._registry is a class attribute: it lives for the whole run.
      registry.ob_refcnt += rt.profile.immortalRefcnt;
    }
    return registry;
  };
  const F = (o: PyObject) => o as PyHolder;
  const alive = (o: PyObject) => registry !== null && it.dictLookup(registry, o) >= 0;
  /** Pops the finalizer from the registry; returns its (func, args, kwargs) as new refs, or null. */
  const popInfo = (o: PyObject): [PyObject, PyObject, PyObject | null, PyObject | null] | null => {
    if (!alive(o)) return null;
    const h = F(o);
    const [wr, func, args, kw] = h.refs;
    h.refs = [null, null, null, null];
    const obj = wr && (wr as PyWeakref).referent ? it.incref((wr as PyWeakref).referent!) : null;
    it.dictDel(registry!, o);
    it.xdecref(wr);
    return [func!, args!, kw, obj];
  };
  /** finalize._shutdown: set once the at-exit pass ran; later deaths run no finalizer. */
  let shutdown = false;
  const callFinalizer = (self: PyObject): PyObject => {
    if (shutdown) return it.none();
    const info = popInfo(self);
    if (!info) return it.none();
    const [func, args, kw, obj] = info;
    it.xdecref(obj);
    try {
      const names: string[] = [];
      const vals = [...(args as PyTuple).items];
      if (kw) for (const [k, v] of it.dictEntries(kw as PyDict)) {
        names.push(it.strString(k));
        vals.push(v);
      }
      return it.call(func, vals, names.length ? names : null);
    } finally {
      it.decref(func);
      it.decref(args);
      it.xdecref(kw);
    }
  };
  const exitFunc = rt.newBuiltinFunction(
    '_exitfunc',
    () => {
      if (!registry) {
        shutdown = true;
        return it.none();
      }
      const pending = [...it.dictEntries(registry)].map(([f]) => f).filter((f) => (F(f).state as FinState).atexit);
      pending.sort((a, b) => (F(a).state as FinState).index - (F(b).state as FinState).index);
      for (const f of pending) it.incref(f);
      while (pending.length) {
        const f = pending.pop()!;
        try {
          if (alive(f)) it.decref(callFinalizer(f));
        } catch (e) {
          if (!(e instanceof PyExc)) throw e;
          it.reportUnraisable(e, `Exception ignored in: ${it.reprString(f)}\n`);
        } finally {
          it.decref(f);
        }
      }
      shutdown = true;
      return it.none();
    },
    null,
    'finalize._exitfunc',
  );
  exitFunc.ob_refcnt += rt.profile.immortalRefcnt;
  rt.gc.untrack(exitFunc);
  it.constructors.set(finT, (ty, args, kwnames) => {
    const [a, k] = splitArgs(args, kwnames);
    if (a.length < 2) it.typeError(`finalize.__init__() missing ${2 - a.length} required positional argument${a.length === 1 ? '' : 's'}: ${a.length === 1 ? "'func'" : "'obj' and 'func'"}`);
    const [obj, func, ...rest] = a;
    checkWeakrefable(obj);
    if (!exitRegistered) {
      exitRegistered = true;
      sl.registerAtexit(it.incref(exitFunc));
    }
    const argsT = rt.newTuple(rest.map((x) => it.incref(x)));
    let kwD: PyDict | null = null;
    if (k.size) {
      kwD = rt.newDict();
      for (const [n, v] of k) it.dictSetStr(kwD, n, it.incref(v));
    }
    const f = rt.newHolder(ty, [null, it.incref(func), argsT, kwD], { atexit: true, index: finIndex++ } satisfies FinState, 48);
    f.refs[0] = newRef(new PyWeakref(t.weakref, obj, it.incref(f), false), obj);
    it.dictSet(reg(), f, rt.None);
    return f;
  });
  it.nativeCall.set(finT, (self) => callFinalizer(self));
  it.defineMethods(finT, {
    detach: (self) => {
      if (!alive(self!)) return it.none();
      const wr = F(self!).refs[0] as PyWeakref | null;
      if (!wr || !wr.referent) return it.none();
      const [func, args, kw, obj] = popInfo(self!)!;
      return rt.newTuple([obj!, func, args, kw ?? rt.newDict()]);
    },
    peek: (self) => {
      if (!alive(self!)) return it.none();
      const [wr, func, args, kw] = F(self!).refs;
      const obj = (wr as PyWeakref | null)?.referent;
      if (!obj) return it.none();
      return rt.newTuple([it.incref(obj), it.incref(func!), it.incref(args!), kw ? it.incref(kw) : rt.newDict()]);
    },
  });
  defineGetset(
    it,
    finT,
    {
      alive: (self) => it.bool(alive(self)),
      atexit: (self) => it.bool(alive(self) && (F(self).state as FinState).atexit),
    },
    {
      atexit: (self, v) => {
        if (alive(self)) (F(self).state as FinState).atexit = it.truthy(v);
      },
    },
  );
  it.nativeRepr.set(finT, (o) => {
    const wr = F(o).refs[0] as PyWeakref | null;
    const obj = wr?.referent;
    return obj ? `<finalize object at ${addr(o)}; for '${it.typeName(obj)}' at ${addr(obj)}>` : `<finalize object at ${addr(o)}; dead>`;
  });

  // ------------------------------------------------------------- the module
  const baseImport = it.importModule;
  it.importModule = (name: string, fromlist: PyObject) => {
    const fresh = name === 'weakref' && !it.dictGetStr(it.modules, 'weakref');
    const m = baseImport(name, fromlist);
    if (fresh) {
      const mod = m as unknown as Parameters<typeof moduleSet>[1];
      for (const [n, ty] of [
        ['WeakValueDictionary', wvdT],
        ['WeakKeyDictionary', wkdT],
        ['WeakSet', wsT],
        ['finalize', finT],
        ['KeyedRef', keyedRefT],
      ] as const) {
        moduleSet(it, mod, n, it.incref(ty));
      }
      moduleSet(it, mod, 'CallableProxyType', it.incref(t.weakcallableproxy));
      moduleSet(it, mod, 'ProxyTypes', rt.newTuple([it.incref(t.weakproxy), it.incref(t.weakcallableproxy)]));
    }
    return m;
  };
  void PyBuiltinFunction;
  void (null as unknown as NativeFn);
}
