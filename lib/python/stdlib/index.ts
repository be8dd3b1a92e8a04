/*
 * The standard-library modules leak reproductions import, beyond the core
 * ones in modules.ts (sys, gc, weakref basics, time):
 *
 *   collections  defaultdict, OrderedDict, deque, namedtuple, Counter
 *   functools    partial, lru_cache, wraps/update_wrapper, reduce, cmp_to_key, cached_property
 *   itertools    the iterator building blocks
 *   io / open()  StringIO and text files
 *   weakref      WeakValueDictionary, WeakKeyDictionary, WeakSet, finalize, WeakMethod
 *   math, os, copy, atexit, _random (the generator under random.py)
 *   __future__   the feature records (3.x; the compiler reads the imports)
 *   contextlib, abc, types, operator, string, heapq, bisect, typing, random, ...
 *                written in Python and run on the VM at first import (pysource.ts)
 *
 * Everything a module creates is a simulated object with CPython's
 * ownership: containers own their items through `PyHolder.refs`, so
 * refcounts, the collector and snapshots see exactly the references CPython
 * has. Where CPython implements a class in C it is a static type here; where
 * CPython implements it in Python (namedtuple classes, Counter) it is a heap
 * type built through `type(name, bases, ns)`.
 *
 * This file installs three small interpreter hooks shared by the modules
 * (attribute dicts on native objects, method binding for native callables,
 * writable data descriptors on static types) and at-exit registration.
 */
import { PyMethod, PyProperty } from '../../heap/callables.js';
import { PyDict } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import type { PyType } from '../../heap/types.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { installLegacy27 } from '../legacy27.js';
import { installCollections } from './collections.js';
import { installFunctools } from './functools.js';
import { installFuture } from './future.js';
import { installIo } from './io.js';
import { installItertools } from './itertools.js';
import { installMisc } from './misc.js';
import { installPythonModules } from './pysource.js';
import { installRandom } from './random.js';
import { installRe } from './re.js';
import { newType } from './support.js';
import { installWeakrefs } from './weakrefs.js';

/** Interpreter-wide state of the stdlib modules. */
export interface Stdlib {
  /** Native types whose instances, found on a class, bind to the instance like functions. */
  readonly binding: Set<PyType>;
  /** Native types whose instances keep their `__dict__` in `refs[slot]` (created on demand). */
  readonly dictSlot: Map<PyType, number>;
  /** Makes an immortal native method object for a class namespace built by native code. */
  method(name: string, fn: NativeFn): PyObject;
  /** Registers a callable (reference stolen) to run at interpreter exit (the atexit module's queue). */
  registerAtexit(f: PyObject): void;
  /** Removes every registration of `f` (atexit.unregister). */
  unregisterAtexit(f: PyObject): void;
}

declare module '../interp.js' {
  interface Interpreter {
    stdlib: Stdlib;
  }
}

/** Installs the stdlib modules on an interpreter (after installModules). */
export function installStdlib(it: Interpreter): void {
  const rt = it.rt;
  const methodType = newType(it, 'method_descriptor', { module: '', gc: false, basicsize: 48 });
  let methodAddr = 0x55d14d000000;
  const registered = new Map<() => void, PyObject>();
  const sl: Stdlib = {
    binding: new Set([methodType]),
    dictSlot: new Map(),
    method(name, fn) {
      const m = new PyHolder(methodType, [], { name, fn });
      m.ob_refcnt = rt.profile.immortalRefcnt;
      m.id = methodAddr += 64;
      return m;
    },
    namedtuple: () => {
      throw new Error('internal: collections not installed yet');
    },
    registerAtexit(f) {
      // The interpreter runs it.atexitCallbacks last-registered first at shutdown.
      const run = () => {
        const i = it.atexitCallbacks.indexOf(run);
        if (i >= 0) it.atexitCallbacks.splice(i, 1);
        registered.delete(run);
        try {
          it.decref(it.call(f, []));
        } finally {
          it.decref(f);
        }
      };
      registered.set(run, f);
      it.atexitCallbacks.push(run);
    },
    unregisterAtexit(f) {
      for (const [run, g] of [...registered]) {
        if (g !== f && !it.eq(g, f)) continue;
        registered.delete(run);
        const i = it.atexitCallbacks.indexOf(run);
        if (i >= 0) it.atexitCallbacks.splice(i, 1);
        it.decref(g);
      }
    },
  };
  it.stdlib = sl;
  it.nativeCall.set(methodType, (self, args, kw) => ((self as PyHolder).state as { fn: NativeFn }).fn(args[0] ?? null, args.slice(1), kw));
  it.nativeRepr.set(methodType, (o) => `<method '${((o as PyHolder).state as { name: string }).name}'>`);

  // Binding: a native callable found on a class acts like a function (tp_descr_get).
  const baseDescrGet = it.descrGet.bind(it);
  it.descrGet = (descr: PyObject, o: PyObject, type: PyType): PyObject => {
    if (sl.binding.has(descr.ob_type as PyType)) return rt.newMethod(it.incref(descr), it.incref(o));
    return baseDescrGet(descr, o, type);
  };

  // Attribute dicts of native objects (partial, lru_cache wrappers, ...).
  const slotDict = (o: PyObject, create: boolean): PyDict | null => {
    const slot = o instanceof PyHolder ? sl.dictSlot.get(o.ob_type as PyType) : undefined;
    if (slot === undefined) return null;
    const h = o as PyHolder;
    let d = h.refs[slot];
    if (!d && create) d = h.refs[slot] = rt.newDict();
    return (d as PyDict | null) ?? null;
  };
  const baseGetattr = it.getattrOrNull.bind(it);
  it.getattrOrNull = (o: PyObject, name: string): PyObject | null => {
    const d = slotDict(o, false);
    if (d) {
      const v = it.dictGetStr(d, name);
      if (v) return it.incref(v);
    }
    if (name === '__dict__' && o instanceof PyHolder && sl.dictSlot.has(o.ob_type as PyType)) return it.incref(slotDict(o, true)!);
    return baseGetattr(o, name);
  };
  const baseSetattr = it.setattr.bind(it);
  it.setattr = (o: PyObject, name: string, v: PyObject): void => {
    const type = o.ob_type as PyType;
    if (!type.isHeapType && o instanceof PyHolder) {
      const descr = it.lookupType(type, name);
      if (descr instanceof PyProperty) {
        if (!descr.fset) it.raise('AttributeError', `readonly attribute`);
        it.decref(it.call(descr.fset, [o, v]));
        return;
      }
      const d = slotDict(o, true);
      if (d) {
        it.dictSetStr(d, name, it.incref(v));
        return;
      }
    }
    baseSetattr(o, name, v);
  };

  installCollections(it);
  installFunctools(it);
  installItertools(it);
  installIo(it);
  installWeakrefs(it);
  installMisc(it);
  installFuture(it);
  installRe(it);
  installRandom(it);
  installPythonModules(it);
  // Last: the 2.7 object model re-parents types whose method tables are only complete now.
  if (it.py2) installLegacy27(it);
  void PyMethod;
}
