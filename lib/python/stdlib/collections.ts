/*
 * collections: defaultdict, OrderedDict and deque (C types in CPython's
 * _collections), namedtuple and Counter (Python code in CPython, so their
 * classes are heap types here too).
 *
 * defaultdict is a dict whose object also owns the factory: tp_traverse
 * visits the factory first, then the entries (defdict_traverse), and
 * dealloc drops the factory before the entries (defdict_dealloc).
 *
 * deque keeps its items in `refs`, left to right; deque_clear and dealloc
 * release them left to right. A maxlen deque appends first and then drops
 * the leftmost item, as deque_append_internal does.
 */
import { PyBuiltinFunction } from '../../heap/callables.js';
import { PyDict, PyList, PyTuple } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject, Releaser, Visit } from '../../heap/object.js';
import { TypeFlag } from '../../heap/object.js';
import { PyInt, PyStr } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import { PyExc } from '../errors.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { BinOpCode, CmpCode } from '../opcodes.js';
import { addr, collect, defineGetset, makeModule, splitArgs, toIndex, type Args } from './support.js';

/** A defaultdict: a dict that also owns its default factory. */
export class PyDefaultDict extends PyDict {
  defaultFactory: PyObject | null = null;
  override traverse(visit: Visit): void {
    if (this.defaultFactory) visit(this.defaultFactory);
    super.traverse(visit);
  }
  override clear(r: Releaser): void {
    const f = this.defaultFactory;
    this.defaultFactory = null;
    r.xdecref(f);
    super.clear(r);
  }
  override releaseContents(r: Releaser): void {
    const f = this.defaultFactory;
    this.defaultFactory = null;
    r.xdecref(f);
    super.releaseContents(r);
  }
}

interface DequeState {
  maxlen: number | null;
  /** Bumped on every mutation; iterators compare it (deque mutated during iteration). */
  state: number;
  /** Item count, read by the interpreter's truth test. */
  readonly length: number;
  len(): number;
}

export function installCollections(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const sl = it.stdlib;
  const dictMethod = (name: string) => it.methods.get(t.dict)!.get(name)!.impl as NativeFn;

  // ------------------------------------------------------------ defaultdict
  const ddT = rt.defineStaticType('defaultdict', 'dict', true, 56, t.dict, true);
  ddT.moduleName = 'collections';
  t.defaultdict = ddT;
  const newDefaultDict = (ty: PyType): PyDefaultDict => {
    const d = new PyDefaultDict(ty);
    if (ty.tp_flags & TypeFlag.HEAPTYPE) it.incref(ty);
    rt.register(d, 56, true);
    rt.gc.track(d);
    return d;
  };
  const ddInit: NativeFn = (self, args, kw) => {
    const d = self as PyDefaultDict;
    if (!(d instanceof PyDefaultDict)) Object.setPrototypeOf(d, PyDefaultDict.prototype);
    const [a] = splitArgs(args, kw);
    let rest = args;
    if (a.length) {
      const f = a[0];
      if (f !== rt.None && !isCallable(f)) it.typeError('first argument must be callable or None');
      const old = d.defaultFactory;
      d.defaultFactory = f === rt.None ? null : it.incref(f);
      it.xdecref(old);
      rest = args.slice(1);
    }
    it.decref(dictMethod('update')(d, rest, kw));
    return it.none();
  };
  const isCallable = (f: PyObject): boolean => {
    const callable = it.dictGetStr(it.builtins, 'callable')!;
    const r = it.call(callable, [f]);
    const b = r === rt.True;
    it.decref(r);
    return b;
  };
  it.constructors.set(ddT, (ty, args, kw) => {
    const d = newDefaultDict(ty);
    try {
      it.decref(ddInit(d, args, kw));
    } catch (e) {
      it.decref(d);
      throw e;
    }
    return d;
  });
  it.defineMethods(ddT, {
    __init__: ddInit,
    __missing__: (self, args) => {
      const d = self as PyDefaultDict;
      if (!d.defaultFactory) throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(args[0])]));
      const v = it.call(d.defaultFactory, []);
      try {
        it.dictSet(d, args[0], v);
      } catch (e) {
        it.decref(v);
        throw e;
      }
      return v;
    },
    copy: (self) => {
      const d = self as PyDefaultDict;
      const c = newDefaultDict(ddT);
      c.defaultFactory = d.defaultFactory ? it.incref(d.defaultFactory) : null;
      for (const [k, v] of it.dictEntries(d)) it.dictSet(c, k, v);
      return c;
    },
  });
  it.methods.get(ddT)!.set('__copy__', it.methods.get(ddT)!.get('copy')!);
  defineGetset(
    it,
    ddT,
    { default_factory: (self) => ((self as PyDefaultDict).defaultFactory ? it.incref((self as PyDefaultDict).defaultFactory!) : it.none()) },
    {
      default_factory: (self, v) => {
        const d = self as PyDefaultDict;
        const old = d.defaultFactory;
        d.defaultFactory = v === rt.None ? null : it.incref(v);
        it.xdecref(old);
      },
    },
  );

  // ------------------------------------------------------------ OrderedDict
  const odT = rt.defineStaticType('OrderedDict', 'dict', true, 48, t.dict, true);
  odT.moduleName = 'collections';
  t.OrderedDict = odT;
  it.constructors.set(odT, (ty, args, kw) => {
    if (ty.isHeapType) it.incref(ty);
    const d = rt.newDict(ty, 0, true);
    try {
      it.decref(dictMethod('update')(d, args, kw));
    } catch (e) {
      it.decref(d);
      throw e;
    }
    return d;
  });
  /** Rebuilds the entry order (entries stay owned by the dict throughout). */
  const reorder = (d: PyDict, order: number[]) => {
    const pairs = order.map((i) => [it.incref(d.keyAt(i)!), it.incref(d.valueAt(i)!)] as const);
    rt.dictClear(d);
    for (const [k, v] of pairs) {
      it.dictSet(d, k, v);
      it.decref(k);
      it.decref(v);
    }
  };
  const liveIndices = (d: PyDict) => {
    const out: number[] = [];
    for (let i = 0; i < d.nentries; i++) if (d.keyAt(i) !== null) out.push(i);
    return out;
  };
  it.defineMethods(odT, {
    __init__: (self, args, kw) => dictMethod('update')(self, args, kw),
    move_to_end: (self, args, kw) => {
      const d = self as PyDict;
      const [a, k] = splitArgs(args, kw);
      const last = a.length > 1 ? it.truthy(a[1]) : k.has('last') ? it.truthy(k.get('last')!) : true;
      const i = it.dictLookup(d, a[0]);
      if (i < 0) throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(a[0])]));
      const order = liveIndices(d).filter((j) => j !== i);
      if (last) order.push(i);
      else order.unshift(i);
      reorder(d, order);
      return it.none();
    },
    popitem: (self, args, kw) => {
      const d = self as PyDict;
      const [a, k] = splitArgs(args, kw);
      const last = a.length ? it.truthy(a[0]) : k.has('last') ? it.truthy(k.get('last')!) : true;
      const idx = liveIndices(d);
      if (!idx.length) it.raise('KeyError', 'dictionary is empty');
      const i = last ? idx[idx.length - 1] : idx[0];
      const r = rt.newTuple([it.incref(d.keyAt(i)!), it.incref(d.valueAt(i)!)]);
      rt.dictDeleteAt(d, i);
      return r;
    },
    copy: (self) => {
      const c = rt.newDict(odT, 0, true);
      for (const [k, v] of it.dictEntries(self as PyDict)) it.dictSet(c, k, v);
      return c;
    },
  });

  // ------------------------------------------------------------------ deque
  const dqT = rt.defineStaticType('deque', 'other', true, 744, t.object, true);
  dqT.moduleName = 'collections';
  t.deque = dqT;
  const dqIterT = rt.defineStaticType('_deque_iterator', 'iterator', true, 48);
  dqIterT.moduleName = '_collections';
  const dqRevIterT = rt.defineStaticType('_deque_reverse_iterator', 'iterator', true, 48);
  dqRevIterT.moduleName = '_collections';
  const ds = (o: PyObject) => (o as PyHolder).state as DequeState;
  const items = (o: PyObject) => (o as PyHolder).refs as PyObject[];
  const newDeque = (ty: PyType): PyHolder => {
    const h = rt.newHolder(ty, [], null, 744);
    const st: DequeState = {
      maxlen: null,
      state: 0,
      get length() {
        return h.refs.length;
      },
      len: () => h.refs.length,
    };
    h.state = st;
    return h;
  };
  const touch = (o: PyObject) => ds(o).state++;
  const append = (o: PyObject, x: PyObject) => {
    const st = ds(o);
    if (st.maxlen === 0) return;
    items(o).push(it.incref(x));
    touch(o);
    if (st.maxlen !== null && items(o).length > st.maxlen) it.decref(items(o).shift()!);
  };
  const appendleft = (o: PyObject, x: PyObject) => {
    const st = ds(o);
    if (st.maxlen === 0) return;
    items(o).unshift(it.incref(x));
    touch(o);
    if (st.maxlen !== null && items(o).length > st.maxlen) it.decref(items(o).pop()!);
  };
  const clearDeque = (o: PyObject) => {
    const old = items(o).splice(0);
    touch(o);
    for (const x of old) it.decref(x);
  };
  const extend = (o: PyObject, src: PyObject, left: boolean) => {
    // deque.extend(self) iterates over a copy.
    const vals = collect(it, src === o ? rt.newList(items(o).map((x) => it.incref(x))) : src);
    if (src === o) it.decref(vals.pop() ?? rt.None);
    for (const v of vals) {
      if (left) appendleft(o, v);
      else append(o, v);
      it.decref(v);
    }
  };
  const dequeInit: NativeFn = (self, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const iterable = a[0] ?? k.get('iterable');
    const ml = a[1] ?? k.get('maxlen');
    const st = ds(self!);
    if (ml && ml !== rt.None) {
      const n = toIndex(it, ml);
      if (n < 0) it.raise('ValueError', 'maxlen must be non-negative');
      st.maxlen = n;
    } else st.maxlen = null;
    if (items(self!).length) clearDeque(self!);
    if (iterable) extend(self!, iterable, false);
    return it.none();
  };
  it.constructors.set(dqT, (ty, args, kw) => {
    const d = newDeque(ty);
    if (ty.isHeapType) return d; // __init__ runs next (instantiate)
    try {
      it.decref(dequeInit(d, args, kw));
    } catch (e) {
      it.decref(d);
      throw e;
    }
    return d;
  });
  const normIndex = (o: PyObject, k: PyObject, what: string) => {
    let i = toIndex(it, k);
    const n = items(o).length;
    if (i < 0) i += n;
    if (i < 0 || i >= n) it.raise('IndexError', what);
    return i;
  };
  it.defineMethods(dqT, {
    __init__: dequeInit,
    append: (self, args) => (append(self!, args[0]), it.none()),
    appendleft: (self, args) => (appendleft(self!, args[0]), it.none()),
    pop: (self) => {
      if (!items(self!).length) it.raise('IndexError', 'pop from an empty deque');
      touch(self!);
      return items(self!).pop()!;
    },
    popleft: (self) => {
      if (!items(self!).length) it.raise('IndexError', 'pop from an empty deque');
      touch(self!);
      return items(self!).shift()!;
    },
    extend: (self, args) => (extend(self!, args[0], false), it.none()),
    extendleft: (self, args) => (extend(self!, args[0], true), it.none()),
    clear: (self) => (clearDeque(self!), it.none()),
    rotate: (self, args) => {
      const l = items(self!);
      const n = l.length;
      let k = args.length ? toIndex(it, args[0]) : 1;
      if (n > 1 && k % n !== 0) {
        k = ((k % n) + n) % n;
        l.unshift(...l.splice(n - k, k));
        touch(self!);
      }
      return it.none();
    },
    reverse: (self) => (items(self!).reverse(), touch(self!), it.none()),
    count: (self, args) => it.int(items(self!).filter((x) => x === args[0] || it.eq(x, args[0])).length),
    index: (self, args) => {
      const l = items(self!);
      for (let i = 0; i < l.length; i++) if (l[i] === args[0] || it.eq(l[i], args[0])) return it.int(i);
      it.raise('ValueError', `${it.reprString(args[0])} is not in deque`);
    },
    remove: (self, args) => {
      const l = items(self!);
      for (let i = 0; i < l.length; i++) {
        if (l[i] === args[0] || it.eq(l[i], args[0])) {
          const [v] = l.splice(i, 1);
          touch(self!);
          it.decref(v);
          return it.none();
        }
      }
      it.raise('ValueError', `${it.reprString(args[0])} is not in deque`);
    },
    insert: (self, args) => {
      const l = items(self!);
      const st = ds(self!);
      if (st.maxlen !== null && l.length >= st.maxlen) it.raise('IndexError', 'deque already at its maximum size');
      let i = toIndex(it, args[0]);
      if (i < 0) i = Math.max(0, i + l.length);
      l.splice(Math.min(i, l.length), 0, it.incref(args[1]));
      touch(self!);
      return it.none();
    },
    copy: (self) => {
      const c = newDeque(dqT);
      ds(c).maxlen = ds(self!).maxlen;
      for (const x of items(self!)) append(c, x);
      return c;
    },
    __len__: (self) => it.int(items(self!).length),
    __reversed__: (self) => rt.newHolder(dqRevIterT, [it.incref(self!)], { i: items(self!).length - 1, state: ds(self!).state }, 48),
  });
  it.methods.get(dqT)!.set('__copy__', it.methods.get(dqT)!.get('copy')!);
  defineGetset(it, dqT, { maxlen: (self) => (ds(self).maxlen === null ? it.none() : it.int(ds(self).maxlen!)) });
  it.nativeRepr.set(dqT, (o) => {
    const inner = reprItems(o, '[...]');
    const ml = ds(o).maxlen;
    return ml === null ? `deque([${inner}])` : `deque([${inner}], maxlen=${ml})`;
  });
  const reprItems = (o: PyObject, recursive: string): string => {
    if (it.reprEnter(o)) return recursive;
    try {
      return items(o)
        .slice()
        .map((x) => (x === o ? recursive : it.reprString(x)))
        .join(', ');
    } finally {
      it.reprLeave(o);
    }
  };
  it.nativeIter.set(dqT, (o) => rt.newHolder(dqIterT, [it.incref(o)], { i: 0, state: ds(o).state }, 48));
  for (const [ty, step] of [
    [dqIterT, 1],
    [dqRevIterT, -1],
  ] as const) {
    it.nativeIter.set(ty, (o) => it.incref(o));
    it.nativeNext.set(ty, (o) => {
      const h = o as PyHolder;
      const dq = h.refs[0];
      if (!dq) return null;
      const st = h.state as { i: number; state: number };
      if (ds(dq).state !== st.state) it.raise('RuntimeError', 'deque mutated during iteration');
      const l = items(dq);
      if (st.i < 0 || st.i >= l.length) return null;
      const v = it.incref(l[st.i]);
      st.i += step;
      return v;
    });
  }
  it.nativeGetitem.set(dqT, (o, k) => it.incref(items(o)[normIndex(o, k, 'deque index out of range')]));
  it.nativeSetitem.set(dqT, (o, k, v) => {
    const i = normIndex(o, k, 'deque index out of range');
    const old = items(o)[i];
    items(o)[i] = it.incref(v);
    it.decref(old);
  });
  it.nativeDelitem.set(dqT, (o, k) => {
    const i = normIndex(o, k, 'deque index out of range');
    const [old] = items(o).splice(i, 1);
    touch(o);
    it.decref(old);
  });
  it.nativeContains.set(dqT, (o, x) => items(o).slice().some((y) => y === x || it.eq(y, x)));

  // ------------------------------------------------------------- namedtuple
  const namedtuple: NativeFn = (_s, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const typename = a[0] ?? k.get('typename');
    const fieldSpec = a[1] ?? k.get('field_names');
    if (!typename || !fieldSpec) it.typeError(`namedtuple() missing required argument: '${!typename ? 'typename' : 'field_names'}'`);
    let names: string[];
    if (fieldSpec instanceof PyStr) names = fieldSpec.v.replace(/,/g, ' ').split(/\s+/).filter((x) => x);
    else names = collect(it, fieldSpec).map((x) => {
      const s = it.strString(x);
      it.decref(x);
      return s;
    });
    const rename = k.get('rename');
    const name = it.strString(typename);
    const seen = new Set<string>();
    names = names.map((n, i) => {
      const bad = !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) || KEYWORDS.has(n) || n.startsWith('_') || seen.has(n);
      seen.add(n);
      return rename && it.truthy(rename) && bad ? `_${i}` : n;
    });
    for (const n of [name, ...names]) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) it.raise('ValueError', `Type names and field names must be valid identifiers: ${it.reprString(it.str(n))}`);
      if (KEYWORDS.has(n)) it.raise('ValueError', `Type names and field names cannot be a keyword: '${n}'`);
    }
    const dup = new Set<string>();
    for (const n of names) {
      if (n.startsWith('_')) it.raise('ValueError', `Field names cannot start with an underscore: '${n}'`);
      if (dup.has(n)) it.raise('ValueError', `Encountered duplicate field name: '${n}'`);
      dup.add(n);
    }
    const defaultsObj = k.get('defaults');
    const defaults = defaultsObj && defaultsObj !== rt.None ? collect(it, defaultsObj) : [];
    if (defaults.length > names.length) {
      for (const d of defaults) it.decref(d);
      it.typeError('Got more default values than field names');
    }
    const moduleObj = k.get('module');
    const module = moduleObj && moduleObj !== rt.None ? it.strString(moduleObj) : it.frame ? moduleOfFrame() : '__main__';
    return makeNamedTuple(name, names, defaults, module);
  };
  const moduleOfFrame = () => {
    const g = it.frame!.globals as PyDict;
    const n = it.dictGetStr(g, '__name__');
    return n ? it.strString(n) : '__main__';
  };

  /** Builds a namedtuple class (a heap subclass of tuple). `defaults` are stolen. */
  const makeNamedTuple = (name: string, fields: string[], defaults: PyObject[], module: string): PyType => {
    const ns = rt.newDict();
    const nfields = fields.length;
    const m = (n: string, fn: NativeFn) => it.dictSetStr(ns, n, sl.method(n, fn));
    it.dictSetStr(ns, '__module__', it.str(module));
    it.dictSetStr(ns, '__doc__', it.str(`${name}(${fields.join(', ')})`));
    it.dictSetStr(ns, '__slots__', it.incref(rt.emptyTuple));
    it.dictSetStr(ns, '_fields', rt.newTuple(fields.map((f) => it.str(f))));
    const fdefs = rt.newDict();
    const firstDefault = nfields - defaults.length;
    defaults.forEach((d, i) => it.dictSetStr(fdefs, fields[firstDefault + i], it.incref(d)));
    it.dictSetStr(ns, '_field_defaults', fdefs);
    const newFn = rt.newBuiltinFunction(
      '__new__',
      (_s, args2, kw2) => {
        const [a, k] = splitArgs(args2, kw2);
        const cls = a[0] as PyType;
        const vals: (PyObject | null)[] = a.slice(1).map((x) => x);
        if (vals.length > nfields) it.typeError(`${name}.__new__() takes ${nfields + 1} positional arguments but ${vals.length + 1} were given`);
        while (vals.length < nfields) vals.push(null);
        for (const [kn, kv] of k) {
          const i = fields.indexOf(kn);
          if (i < 0) it.typeError(`${name}.__new__() got an unexpected keyword argument '${kn}'`);
          if (vals[i] !== null) it.typeError(`${name}.__new__() got multiple values for argument '${kn}'`);
          vals[i] = kv;
        }
        const dflt = cls.tp_dict ? (it.dictGetStr(cls.tp_dict as PyDict, '_field_defaults') as PyDict | null) : null;
        for (let i = 0; i < nfields; i++) if (vals[i] === null && dflt) vals[i] = it.dictGetStr(dflt, fields[i]);
        const missing = fields.filter((_f, i) => vals[i] === null);
        if (missing.length) {
          const q = missing.map((f) => `'${f}'`);
          const list = q.length === 1 ? q[0] : q.length === 2 ? `${q[0]} and ${q[1]}` : `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
          it.typeError(`${name}.__new__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
        }
        return rt.newTuple(vals.map((v) => it.incref(v!)), cls);
      },
      null,
    );
    it.dictSetStr(ns, '__new__', rt.newWrapper(t.staticmethod, newFn));
    m('__repr__', (self) => {
      const tup = self as PyTuple;
      const parts = fields.map((f, i) => `${f}=${it.reprString(tup.items[i])}`);
      return it.str(`${(self!.ob_type as PyType).tp_name}(${parts.join(', ')})`);
    });
    m('_asdict', (self) => {
      const d = rt.newDict();
      fields.forEach((f, i) => it.dictSetStr(d, f, it.incref((self as PyTuple).items[i])));
      return d;
    });
    m('_replace', (self, args2, kw2) => {
      const [, k] = splitArgs(args2, kw2);
      const tup = self as PyTuple;
      const vals = tup.items.slice();
      const extra = [...k.keys()].filter((n) => !fields.includes(n));
      if (extra.length) it.raise('ValueError', `Got unexpected field names: [${extra.map((x) => `'${x}'`).join(', ')}]`);
      for (const [kn, kv] of k) vals[fields.indexOf(kn)] = kv;
      return rt.newTuple(vals.map((v) => it.incref(v)), self!.ob_type as PyType);
    });
    m('__getnewargs__', (self) => rt.newTuple((self as PyTuple).items.map((x) => it.incref(x))));
    const makeFn = rt.newBuiltinFunction(
      '_make',
      (_s, args2) => {
        const cls = args2[0] as PyType;
        const vals = collect(it, args2[1]);
        if (vals.length !== nfields) {
          for (const v of vals) it.decref(v);
          it.typeError(`Expected ${nfields} arguments, got ${vals.length}`);
        }
        return rt.newTuple(vals, cls);
      },
      null,
    );
    it.dictSetStr(ns, '_make', rt.newWrapper(t.classmethod, makeFn));
    fields.forEach((f, i) => {
      const getter = rt.newBuiltinFunction(
        f,
        (_s: PyObject | null, args2: PyObject[]) => {
          const tup = args2[0] as PyObject;
          if (!(tup instanceof PyTuple) || i >= tup.items.length) it.typeError(`descriptor for index '${i}' for tuple subclasses doesn't apply to '${it.typeName(tup)}' object`);
          return it.incref(tup.items[i]);
        },
        null,
      );
      it.dictSetStr(ns, f, rt.newProperty(t.property, getter, null, null, it.str(`Alias for field number ${i}`)));
    });
    it.dictSetStr(ns, '__match_args__', rt.newTuple(fields.map((f) => it.str(f))));
    for (const d of defaults) it.decref(d);
    const nameObj = it.str(name);
    const bases = rt.newTuple([it.incref(t.tuple)]);
    try {
      return it.call(t.type, [nameObj, bases, ns]) as PyType;
    } finally {
      it.decref(nameObj);
      it.decref(bases);
      it.decref(ns);
    }
  };
  sl.namedtuple = (name, fields, module) => makeNamedTuple(name, fields, [], module);

  // ---------------------------------------------------------------- Counter
  let counterT: PyType | null = null;
  const counterType = (): PyType => {
    if (counterT) return counterT;
    const ns = rt.newDict();
    const m = (n: string, fn: NativeFn) => it.dictSetStr(ns, n, sl.method(n, fn));
    it.dictSetStr(ns, '__module__', it.str('collections'));
    const add = (d: PyDict, key: PyObject, n: PyObject) => {
      const cur = it.dictGet(d, key);
      if (cur === null) it.dictSet(d, key, n);
      else {
        const s = it.binaryOp(cur, n, BIN_ADD, false);
        it.dictSet(d, key, s);
        it.decref(s);
      }
    };
    const update = (self: PyObject, args: Args, kw: string[] | null) => {
      const [a, k] = splitArgs(args, kw);
      const d = self as PyDict;
      if (a.length) {
        const src = a[0];
        if (src instanceof PyDict) for (const [key, v] of [...it.dictEntries(src)]) add(d, key, v);
        else {
          const one = it.int(1);
          try {
            for (const x of it.iterate(src)) {
              try {
                add(d, x, one);
              } finally {
                it.decref(x);
              }
            }
          } finally {
            it.decref(one);
          }
        }
      }
      for (const [key, v] of k) {
        const ks = it.str(key);
        add(d, ks, v);
        it.decref(ks);
      }
    };
    m('__init__', (self, args, kw) => {
      update(self!, args, kw);
      return it.none();
    });
    m('update', (self, args, kw) => {
      update(self!, args, kw);
      return it.none();
    });
    m('__missing__', () => it.int(0));
    const sortedByCount = (d: PyDict) => {
      const entries = [...it.dictEntries(d)];
      // Stable sort by count, descending (sorted(..., key=itemgetter(1), reverse=True)).
      return entries
        .map((e, i) => ({ e, i }))
        .sort((x, y) => {
          if (it.eq(x.e[1], y.e[1])) return x.i - y.i;
          const lt = it.richCompare(x.e[1], y.e[1], CMP_LT);
          const b = it.truthy(lt);
          it.decref(lt);
          return b ? 1 : -1;
        })
        .map((x) => x.e);
    };
    m('most_common', (self, args) => {
      let entries = sortedByCount(self as PyDict);
      if (args.length && args[0] !== rt.None) entries = entries.slice(0, Math.max(0, toIndex(it, args[0])));
      return rt.newList(entries.map(([k, v]) => rt.newTuple([it.incref(k), it.incref(v)])));
    });
    m('elements', (self) => {
      const out: PyObject[] = [];
      for (const [k, v] of it.dictEntries(self as PyDict)) for (let i = 0; i < Number((v as PyInt).v); i++) out.push(it.incref(k));
      const l = rt.newList(out);
      const r = it.getIter(l);
      it.decref(l);
      return r;
    });
    m('total', (self) => {
      let acc: PyObject = it.int(0);
      for (const [, v] of [...it.dictEntries(self as PyDict)]) {
        const s = it.binaryOp(acc, v, BIN_ADD, false);
        it.decref(acc);
        acc = s;
      }
      return acc;
    });
    m('subtract', (self, args) => {
      const d = self as PyDict;
      const src = args[0];
      const pairs: [PyObject, PyObject][] = [];
      if (src instanceof PyDict) for (const [k, v] of it.dictEntries(src)) pairs.push([it.incref(k), it.incref(v)]);
      else for (const x of it.iterate(src)) pairs.push([x, it.int(1)]);
      for (const [k, v] of pairs) {
        const zero = it.int(0);
        const cur = it.dictGet(d, k) ?? zero;
        const s = it.binaryOp(cur, v, BIN_SUB, false);
        it.decref(zero);
        it.dictSet(d, k, s);
        it.decref(s);
        it.decref(k);
        it.decref(v);
      }
      return it.none();
    });
    m('__repr__', (self) => {
      const d = self as PyDict;
      if (!d.used) return it.str(`${(self!.ob_type as PyType).tp_name}()`);
      const parts = sortedByCount(d).map(([k, v]) => `${it.reprString(k)}: ${it.reprString(v)}`);
      return it.str(`${(self!.ob_type as PyType).tp_name}({${parts.join(', ')}})`);
    });
    const nameObj = it.str('Counter');
    const bases = rt.newTuple([it.incref(t.dict)]);
    try {
      counterT = it.call(t.type, [nameObj, bases, ns]) as PyType;
    } finally {
      it.decref(nameObj);
      it.decref(bases);
      it.decref(ns);
    }
    return counterT;
  };

  it.extraModules.set('collections', () => {
    const mod = makeModule(it, 'collections', { namedtuple }, {
      defaultdict: () => it.incref(ddT),
      OrderedDict: () => it.incref(odT),
      deque: () => it.incref(dqT),
      Counter: () => it.incref(counterType()),
    });
    return mod;
  });
  void PyBuiltinFunction;
  void PyList;
  void addr;
}

declare module './index.js' {
  interface Stdlib {
    /** Makes a namedtuple class (new reference), e.g. functools.CacheInfo. */
    namedtuple(name: string, fields: string[], module: string): PyType;
  }
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

const BIN_ADD = BinOpCode.Add;
const BIN_SUB = BinOpCode.Sub;
const CMP_LT = CmpCode.Lt;
