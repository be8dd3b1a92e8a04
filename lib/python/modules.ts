/*
 * Methods of the built-in containers and str, and the modules a script can
 * import: sys, gc, weakref, time. Each native module is created on first
 * import and stored in sys.modules like CPython's built-in modules.
 */
import { PyBuiltinFunction, PyFunction, PyModule } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyBaseException } from '../heap/frames.js';
import { PyHolder, PyWeakref } from '../heap/misc.js';
import { GcFlag, type PyObject } from '../heap/object.js';
import { PyFloat, PyInt, PyStr } from '../heap/scalars.js';
import { PyType as PyTypeCls, type PyType } from '../heap/types.js';
import { splitArgs } from './builtins.js';
import { installBytes } from './bytes.js';
import { installMethods } from './methods.js';
import { PyExc } from './errors.js';
import type { Interpreter, NativeFn } from './interp.js';
import { setCopy, setPopItem, setUpdateInternal } from './setops.js';
import { dict27PopSlot, dict27SetFinger, PyDict27 } from '../heap/dicttable27.js';

export function installModules(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  // ----------------------------------------------------------- len()
  it.len = (o: PyObject): number => {
    if (o instanceof PyList || o instanceof PyTuple) {
      if (!(o.ob_type as PyType).isHeapType || !it.findDunder(o, '__len__')) return o.items.length;
    }
    if (o instanceof PyStr) return o.length;
    if (o instanceof PyDict && !it.findDunder(o, '__len__')) return o.used;
    if (o instanceof PySet) return o.used;
    const m = it.findDunder(o, '__len__');
    if (m) {
      const r = it.callMethodObj(m, o, []);
      const n = Number((r as PyInt).v);
      it.decref(r);
      if (n < 0) it.raise('ValueError', '__len__() should return >= 0');
      return n;
    }
    if (o instanceof PyHolder && o.ob_type === t.range) {
      const s = o.state as { start: number; stop: number; step: number };
      return Math.max(0, Math.ceil((s.stop - s.start) / s.step));
    }
    if (o instanceof PyHolder && (o.state as { len?: () => number })?.len) return (o.state as { len: () => number }).len();
    const bytes = (o as unknown as { v?: Uint8Array }).v;
    if (bytes instanceof Uint8Array) return bytes.length;
    it.typeError(`object of type '${it.typeName(o)}' has no len()`);
  };

  // ------------------------------------------------------------ list
  it.defineMethods(t.list, {
    append: (self, args) => {
      rt.listAppend(self as PyList, args[0]);
      return it.none();
    },
    extend: (self, args) => {
      it.listExtend(self as PyList, args[0]);
      return it.none();
    },
    pop: (self, args) => {
      const l = self as PyList;
      if (!l.items.length) it.raise('IndexError', 'pop from empty list');
      let i = args.length ? Number((args[0] as PyInt).v) : l.items.length - 1;
      if (i < 0) i += l.items.length;
      if (i < 0 || i >= l.items.length) it.raise('IndexError', 'pop index out of range');
      const [v] = l.items.splice(i, 1);
      rt.listResize(l, l.items.length);
      return v;
    },
    insert: (self, args) => {
      const l = self as PyList;
      let i = Number((args[0] as PyInt).v);
      if (i < 0) i = Math.max(0, i + l.items.length);
      i = Math.min(i, l.items.length);
      rt.listResize(l, l.items.length + 1);
      l.items.splice(i, 0, it.incref(args[1]));
      return it.none();
    },
    remove: (self, args) => {
      const l = self as PyList;
      for (let i = 0; i < l.items.length; i++) {
        if (l.items[i] === args[0] || it.eq(l.items[i], args[0])) {
          const [v] = l.items.splice(i, 1);
          rt.listResize(l, l.items.length);
          it.decref(v);
          return it.none();
        }
      }
      it.raise('ValueError', it.py2 ? 'list.remove(x): x not in list' : 'list.remove(x): x not in list');
    },
    index: (self, args) => {
      const l = self as PyList;
      for (let i = 0; i < l.items.length; i++) if (l.items[i] === args[0] || it.eq(l.items[i], args[0])) return it.int(i);
      it.raise('ValueError', `${it.reprString(args[0])} is not in list`);
    },
    count: (self, args) => it.int((self as PyList).items.filter((x) => x === args[0] || it.eq(x, args[0])).length),
    clear: (self) => {
      (self as PyList).clear(rt);
      return it.none();
    },
    copy: (self) => rt.newList((self as PyList).items.map((x) => it.incref(x))),
    reverse: (self) => {
      (self as PyList).items.reverse();
      return it.none();
    },
    sort: (self, args, kw) => {
      const [a, k] = splitArgs(args, kw);
      const l = self as PyList;
      // 2.7: list.sort(cmp=None, key=None, reverse=False), positionally too.
      const key = k.get('key') ?? (it.py2 ? a[1] : undefined);
      const rev = k.get('reverse') ?? (it.py2 ? a[2] : undefined);
      const cmpFn = it.py2 ? (k.get('cmp') ?? a[0] ?? null) : null;
      l.items = it.sortList(l.items, key && key !== rt.None ? key : null, rev ? it.truthy(rev) : false, cmpFn && cmpFn !== rt.None ? cmpFn : null);
      return it.none();
    },
    __len__: (self) => it.int((self as PyList).items.length),
    __getitem__: (self, args) => it.getitem(self!, args[0]),
    __setitem__: (self, args) => {
      it.setitem(self!, args[0], args[1]);
      return it.none();
    },
    __contains__: (self, args) => it.bool((self as PyList).items.some((x) => x === args[0] || it.eq(x, args[0]))),
    __iter__: (self) => it.getIter(rt.newList((self as PyList).items.map((x) => it.incref(x)))),
    __init__: (self, args) => {
      // list.__init__(iterable): replaces the contents.
      const l = self as PyList;
      l.clear(rt);
      if (args.length) it.listExtend(l, args[0]);
      return it.none();
    },
  });
  it.defineMethods(t.tuple, {
    index: (self, args) => {
      const l = self as PyTuple;
      for (let i = 0; i < l.items.length; i++) if (it.eq(l.items[i], args[0])) return it.int(i);
      it.raise('ValueError', 'tuple.index(x): x not in tuple');
    },
    count: (self, args) => it.int((self as PyTuple).items.filter((x) => it.eq(x, args[0])).length),
  });

  // ------------------------------------------------------------ dict
  const viewT = (name: string) => rt.defineStaticType(name, 'dictview', true, 24);
  const keysT = viewT('dict_keys');
  const valuesT = viewT('dict_values');
  const itemsT = viewT('dict_items');
  for (const [vt, kind] of [[keysT, 'keys'], [valuesT, 'values'], [itemsT, 'items']] as const) {
    it.nativeIter.set(vt, (o) => rt.newHolder(t.dict_keyiterator, [it.incref((o as PyHolder).refs[0]!)], { i: 0, kind }, 48));
    it.nativeRepr.set(vt, (o) => {
      const d = (o as PyHolder).refs[0] as PyDict;
      const parts: string[] = [];
      for (const [k, v] of it.dictEntries(d)) parts.push(kind === 'keys' ? it.reprString(k) : kind === 'values' ? it.reprString(v) : `(${it.reprString(k)}, ${it.reprString(v)})`);
      return `${vt.tp_name}([${parts.join(', ')}])`;
    });
    it.nativeContains.set(vt, (o, x) => {
      const d = (o as PyHolder).refs[0] as PyDict;
      if (kind === 'keys') return it.dictLookup(d, x) >= 0;
      for (const [k, v] of it.dictEntries(d)) {
        if (kind === 'values' ? it.eq(v, x) : x instanceof PyTuple && x.items.length === 2 && it.eq(k, x.items[0]) && it.eq(v, x.items[1])) return true;
      }
      return false;
    });
  }
  const view = (vt: PyType) => (self: PyObject | null) => {
    const h = rt.newHolder(vt, [it.incref(self!)], { len: () => (self as PyDict).used }, 24);
    return h;
  };
  const listOf = (d: PyDict, kind: 'keys' | 'values' | 'items') => {
    const out: PyObject[] = [];
    for (const [k, v] of it.dictEntries(d)) out.push(kind === 'keys' ? it.incref(k) : kind === 'values' ? it.incref(v) : rt.newTuple([it.incref(k), it.incref(v)]));
    return rt.newList(out);
  };
  const dictMethods: Record<string, NativeFn> = {
    keys: it.py2 ? (self) => listOf(self as PyDict, 'keys') : view(keysT),
    values: it.py2 ? (self) => listOf(self as PyDict, 'values') : view(valuesT),
    items: it.py2 ? (self) => listOf(self as PyDict, 'items') : view(itemsT),
    get: (self, args) => {
      const v = it.dictGet(self as PyDict, args[0]);
      return v ? it.incref(v) : args.length > 1 ? it.incref(args[1]) : it.none();
    },
    setdefault: (self, args) => {
      const d = self as PyDict;
      const v = it.dictGet(d, args[0]);
      if (v) return it.incref(v);
      const dv = args[1] ?? rt.None;
      it.dictSet(d, args[0], dv);
      return it.incref(dv);
    },
    pop: (self, args) => {
      const d = self as PyDict;
      const i = it.dictLookup(d, args[0]);
      if (i < 0) {
        if (args.length > 1) return it.incref(args[1]);
        throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(args[0])]));
      }
      const v = it.incref(d.valueAt(i)!);
      rt.dictDeleteAt(d, i);
      return v;
    },
    popitem: (self) => {
      const d = self as PyDict;
      if (d instanceof PyDict27) {
        // 2.7 takes the first entry from a search finger, in slot order.
        if (d.used === 0) it.raise('KeyError', 'popitem(): dictionary is empty');
        const i = dict27PopSlot(d);
        const r = rt.newTuple([it.incref(d.keyAt(i)!), it.incref(d.valueAt(i)!)]);
        rt.dictDeleteAt(d, i);
        dict27SetFinger(d, i);
        return r;
      }
      // popitem on a split table makes it combined first.
      if (d.used) rt.dictUnsplit(d);
      for (let i = d.nentries - 1; i >= 0; i--) {
        if (d.keyAt(i) !== null) {
          const r = rt.newTuple([it.incref(d.keyAt(i)!), it.incref(d.valueAt(i)!)]);
          rt.dictDeleteAt(d, i);
          return r;
        }
      }
      it.raise('KeyError', 'popitem(): dictionary is empty');
    },
    update: (self, args, kw) => {
      const d = self as PyDict;
      const [a, k] = splitArgs(args, kw);
      if (a.length) {
        if (a[0] instanceof PyDict) it.dictMerge(d, a[0]);
        else
          for (const pair of it.iterate(a[0])) {
            const [key, v] = it.unpack(pair, 2, -1);
            it.decref(pair);
            it.dictSet(d, key, v);
            it.decref(key);
            it.decref(v);
          }
      }
      it.dictMergeKeywords(d, k);
      return it.none();
    },
    clear: (self) => {
      rt.dictClear(self as PyDict);
      return it.none();
    },
    copy: (self) => {
      const d = rt.newDict();
      it.dictMerge(d, self as PyDict);
      // PyDict_Copy of a split table is split over the same class keys.
      d.splitKeysOf = (self as PyDict).splitKeysOf;
      return d;
    },
    __len__: (self) => it.int((self as PyDict).used),
    __getitem__: (self, args) => it.getitem(self!, args[0]),
    __setitem__: (self, args) => {
      it.dictSet(self as PyDict, args[0], args[1]);
      return it.none();
    },
    __contains__: (self, args) => it.bool(it.dictLookup(self as PyDict, args[0]) >= 0),
    __init__: (self, args, kw) => {
      dictMethods.update(self, args, kw);
      return it.none();
    },
  };
  if (it.py2) {
    dictMethods.has_key = (self, args) => it.bool(it.dictLookup(self as PyDict, args[0]) >= 0);
    // The iterators remember the size at creation: a change before the first next() is caught too.
    dictMethods.iteritems = (self) => rt.newHolder(t.dict_itemiterator, [it.incref(self!)], { i: 0, kind: 'items', used: (self as PyDict).used }, 48);
    dictMethods.iterkeys = (self) => rt.newHolder(t.dict_keyiterator, [it.incref(self!)], { i: 0, kind: 'keys', used: (self as PyDict).used }, 48);
    dictMethods.itervalues = (self) => rt.newHolder(t.dict_valueiterator, [it.incref(self!)], { i: 0, kind: 'values', used: (self as PyDict).used }, 48);
    // 2.7.7+ view methods: the 3.x dict views.
    dictMethods.viewkeys = view(keysT);
    dictMethods.viewvalues = view(valuesT);
    dictMethods.viewitems = view(itemsT);
  }
  it.defineMethods(t.dict, dictMethods);
  it.defineClassMethods(t.dict, {
    fromkeys: (cls, args) => {
      const d = it.call(cls!, []) as PyDict;
      const v = args[1] ?? rt.None;
      const src = args[0];
      // 2.7 dict_fromkeys sizes an exact dict once for a dict or set source.
      if (d instanceof PyDict27 && d.ob_type === t.dict && ((src instanceof PyDict && src.ob_type === t.dict) || (src instanceof PySet && (src.ob_type === t.set || src.ob_type === t.frozenset)))) {
        rt.dictResizeFor27(d, Math.floor(src.used / 2) * 3);
      }
      for (const k of it.iterate(args[0])) {
        it.dictSet(d, k, v);
        it.decref(k);
      }
      return d;
    },
  });

  // ------------------------------------------------------------- set
  it.defineMethods(t.set, {
    add: (self, args) => {
      it.setAdd(self as PySet, args[0]);
      return it.none();
    },
    discard: (self, args) => {
      it.setDiscard(self as PySet, args[0]);
      return it.none();
    },
    remove: (self, args) => {
      if (!it.setDiscard(self as PySet, args[0])) throw new PyExc(it.newExc(it.exc.KeyError, [it.incref(args[0])]));
      return it.none();
    },
    clear: (self) => {
      (self as PySet).clear(rt);
      return it.none();
    },
    update: (self, args) => {
      for (const src of args) setUpdateInternal(it, self as PySet, src);
      return it.none();
    },
    pop: (self) => setPopItem(it, self as PySet),
    copy: (self) => setCopy(it, self as PySet),
    __init__: (self, args) => {
      // set_init (a subclass's instance reaches it through tp_init): empty, then update.
      const st = self as PySet;
      if (st.used) st.clear(rt);
      if (args.length) setUpdateInternal(it, st, args[0]);
      return it.none();
    },
  });

  // ------------------------------------------------------------- str
  const S = (o: PyObject | null) => (o as PyStr).v;
  it.defineMethods(t.str, {
    join: (self, args) => {
      const parts: string[] = [];
      for (const x of it.iterate(args[0])) {
        if (!(x instanceof PyStr)) {
          it.decref(x);
          it.typeError(`sequence item ${parts.length}: expected str instance, ${it.typeName(x)} found`);
        }
        parts.push(x.v);
        it.decref(x);
      }
      return it.str(parts.join(S(self)));
    },
    upper: (self) => it.str(S(self).toUpperCase()),
    lower: (self) => it.str(S(self).toLowerCase()),
    strip: (self, args) => it.str(stripChars(S(self), args[0], 3)),
    lstrip: (self, args) => it.str(stripChars(S(self), args[0], 1)),
    rstrip: (self, args) => it.str(stripChars(S(self), args[0], 2)),
    split: (self, args) => {
      const s = S(self);
      const sep = args[0] && args[0] !== rt.None ? S(args[0]) : null;
      const parts = sep === null ? s.split(/\s+/).filter((x) => x) : s.split(sep);
      return rt.newList(parts.map((p) => it.str(p)));
    },
    replace: (self, args) => it.str(S(self).split(S(args[0])).join(S(args[1]))),
    startswith: (self, args) => it.bool(args[0] instanceof PyTuple ? args[0].items.some((x) => S(self).startsWith(S(x))) : S(self).startsWith(S(args[0]))),
    endswith: (self, args) => it.bool(args[0] instanceof PyTuple ? args[0].items.some((x) => S(self).endsWith(S(x))) : S(self).endsWith(S(args[0]))),
    find: (self, args) => it.int(S(self).indexOf(S(args[0]))),
    count: (self, args) => it.int(S(self).split(S(args[0])).length - 1),
    format: (self, args, kw) => {
      const [a, k] = splitArgs(args, kw);
      let auto = 0;
      const out = S(self).replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
        if (m === '{{') return '{';
        if (m === '}}') return '}';
        let [name, spec] = (field ?? '').split(':');
        let conv = '';
        const bang = name.indexOf('!');
        if (bang >= 0) {
          conv = name.slice(bang + 1);
          name = name.slice(0, bang);
        }
        const v = name === '' ? a[auto++] : /^\d+$/.test(name) ? a[Number(name)] : k.get(name);
        if (!v) it.raise(name === '' || /^\d/.test(name) ? 'IndexError' : 'KeyError', name === '' || /^\d/.test(name) ? `Replacement index ${name || auto - 1} out of range for positional args tuple` : `'${name}'`);
        if (conv === 'r') return it.reprString(v);
        const f = it.format(v, spec ?? '');
        const r = S(f);
        it.decref(f);
        return r;
      });
      return it.str(out);
    },
    isdigit: (self) => it.bool(/^\d+$/.test(S(self))),
    isalpha: (self) => it.bool(/^\p{L}+$/u.test(S(self))),
    isidentifier: (self) => it.bool(/^[A-Za-z_][A-Za-z0-9_]*$/.test(S(self))),
    encode: (self) => rt.newBytes(new TextEncoder().encode(S(self))),
    center: (self, args) => {
      const s = S(self);
      const w = Number((args[0] as PyInt).v);
      const fill = args[1] ? S(args[1]) : ' ';
      const total = Math.max(0, w - s.length);
      const left = Math.floor(total / 2) + (total & w & 1);
      return it.str(fill.repeat(left) + s + fill.repeat(total - left));
    },
    ljust: (self, args) => it.str(S(self).padEnd(Number((args[0] as PyInt).v), args[1] ? S(args[1]) : ' ')),
    rjust: (self, args) => it.str(S(self).padStart(Number((args[0] as PyInt).v), args[1] ? S(args[1]) : ' ')),
    zfill: (self, args) => it.str(S(self).padStart(Number((args[0] as PyInt).v), '0')),
    title: (self) => it.str(S(self).replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())),
    capitalize: (self) => it.str(S(self).charAt(0).toUpperCase() + S(self).slice(1).toLowerCase()),
    splitlines: (self) => rt.newList(S(self).split(/\r\n|\r|\n/).filter((x, i, arr) => i < arr.length - 1 || x !== '').map((p) => it.str(p))),
    __len__: (self) => it.int((self as PyStr).length),
  });
  const stripChars = (s: string, chars: PyObject | undefined, side: number) => {
    const set = chars && chars !== rt.None ? S(chars) : null;
    const isStrip = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
    let a = 0;
    let b = s.length;
    if (side & 1) while (a < b && isStrip(s[a])) a++;
    if (side & 2) while (b > a && isStrip(s[b - 1])) b--;
    return s.slice(a, b);
  };
  it.defineMethods(t.int, {
    bit_length: (self) => it.int(BigInt((self as PyInt).v).toString(2).replace('-', '').replace(/^0$/, '').length),
  });
  it.defineMethods(t.float, {
    is_integer: (self) => it.bool(Number.isInteger((self as PyFloat).v)),
  });
  it.defineMethods(t.generator, {
    send: (self, args) => {
      const v = it.genSend(self as never, args[0]);
      if (v === null) {
        const lr = it.lastReturnValue;
        it.lastReturnValue = null;
        throw new PyExc(it.newExc(it.exc.StopIteration, lr && lr !== rt.None ? [lr] : (it.xdecref(lr), [])));
      }
      return v;
    },
    close: (self) => {
      it.genClose(self as never);
      return it.none();
    },
    throw: (self, args) => {
      // As CPython's exception normalization: throw(Type, value) uses
      // `value` itself when it is a Type instance, unpacks a tuple as the
      // arguments, and otherwise passes it as the one argument.
      let exc = args[0];
      const value = args.length > 1 ? args[1] : rt.None;
      if (exc instanceof PyTypeCls && exc.isSubtypeOf(it.exc.BaseException)) {
        if (value !== rt.None && it.isInstance(value, exc)) exc = it.incref(value);
        else exc = it.call(exc, value === rt.None ? [] : value instanceof PyTuple ? value.items.slice() : [value]);
      } else if (exc instanceof PyBaseException) {
        if (value !== rt.None) it.typeError('instance exception may not have a separate value');
        it.incref(exc);
      } else {
        it.typeError(`exceptions must be classes or instances deriving from BaseException, not ${it.typeName(exc)}`);
      }
      const v = it.genThrow(self as never, exc as never);
      if (v === null) {
        const lr = it.lastReturnValue;
        it.lastReturnValue = null;
        throw new PyExc(it.newExc(it.exc.StopIteration, lr && lr !== rt.None ? [lr] : (it.xdecref(lr), [])));
      }
      return v;
    },
    __next__: (self) => {
      const v = it.genSend(self as never, rt.None);
      if (v === null) throw new PyExc(it.newExc(it.exc.StopIteration));
      return v;
    },
    __iter__: (self) => it.incref(self!),
    // 2.7 generators are iterated with .next()
    ...(it.py2
      ? {
          next: (self: PyObject | null) => {
            const v = it.genSend(self as never, rt.None);
            if (v === null) throw new PyExc(it.newExc(it.exc.StopIteration));
            return v;
          },
        }
      : {}),
  });

  /** 2.7 time.sleep's EINVAL: IOError(22, 'Invalid argument'). */
  const invalidArgument27 = (): never => {
    throw new PyExc(it.newExc(it.exc.IOError, [it.int(22), it.str('Invalid argument')]));
  };

  // ---------------------------------------------------------- modules
  const factories = new Map<string, () => PyModule>();
  const newModule = (name: string, defs: Record<string, NativeFn>, values: Record<string, () => PyObject> = {}): PyModule => {
    const d = rt.newDict();
    const m = rt.newModule(name, d);
    it.dictSetStr(d, '__name__', it.str(name));
    for (const [k, fn] of Object.entries(defs)) it.dictSetStr(d, k, rt.newBuiltinFunction(k, fn, it.incref(m)));
    for (const [k, v] of Object.entries(values)) it.dictSetStr(d, k, v());
    return m;
  };

  // sys.stdout / sys.stderr: text streams writing to the process's streams.
  const textIOType = rt.defineStaticType(it.py2 ? 'file' : '_io.TextIOWrapper', 'other', true, 16);
  it.sysStdout27Type = it.py2 ? textIOType : null;
  const makeStream = (name: string, fd: number, out: (s: string) => void) => {
    const h = rt.newHolder(textIOType, [it.str(name)], { fd, out }, 208);
    h.ob_refcnt += rt.profile.immortalRefcnt;
    return h;
  };
  const stdoutObj = makeStream('<stdout>', 1, (x) => it.stdout(x));
  const stderrObj = makeStream('<stderr>', 2, (x) => it.stderrStrict(x));
  it.nativeRepr.set(textIOType, (o) =>
    it.py2
      ? `<open file '${((o as PyHolder).refs[0] as PyStr).v}', mode 'w' at 0x${o.id.toString(16).padStart(12, '0')}>`
      : `<_io.TextIOWrapper name='${((o as PyHolder).refs[0] as PyStr).v}' mode='w' encoding='utf-8'>`,
  );
  it.defineMethods(textIOType, {
    write: (self, args) => {
      const sArg = args[0];
      if (!(sArg instanceof PyStr)) it.typeError(it.py2 ? 'expected a string or other character buffer object' : `write() argument must be str, not ${it.typeName(sArg)}`);
      ((self as PyHolder).state as { out: (s: string) => void }).out(sArg.v);
      if (it.py2) {
        // 2.7 file.write returns None and clears the print statement's softspace.
        it.softspace27.delete(self!);
        return it.none();
      }
      return it.int(sArg.length);
    },
    flush: () => it.none(),
    fileno: (self) => it.int(((self as PyHolder).state as { fd: number }).fd),
    isatty: () => it.bool(false),
    writable: () => it.bool(true),
    readable: () => it.bool(false),
  });
  // PySys_WriteStderr: what the runtime itself reports (gc debug lines,
  // "Exception ignored in" messages) goes to whatever sys.stderr is at that
  // moment, through its write() — a script that swaps in a StringIO captures
  // them. When that fails (no write method, write raises) CPython falls back
  // to the process's stderr. sys.stderr = None silences the unraisable-
  // exception report (its hook checks for None first) but not gc debug lines.
  it.writeSysStderr = (text: string, unraisable = false) => {
    const f = it.sysStderr();
    if (f === stderrObj) {
      it.stderr(text);
      return;
    }
    if (f === rt.None && unraisable) return;
    try {
      if (f === rt.None) throw null;
      it.writeTo(f, text);
    } catch (err) {
      if (err instanceof PyExc) it.decref(err.exc);
      else if (err !== null) throw err;
      it.stderr(text);
    }
  };
  let sysModule: PyModule | null = null;
  it.sysStdout = () => {
    if (sysModule) {
      const cur = it.dictGetStr(sysModule.dict as PyDict, 'stdout');
      if (cur) return cur;
    }
    return stdoutObj;
  };
  it.sysStderr = () => {
    if (sysModule) {
      const cur = it.dictGetStr(sysModule.dict as PyDict, 'stderr');
      if (cur) return cur;
    }
    return stderrObj;
  };

  // sys
  factories.set('sys', () =>
    (sysModule = newModule(
      'sys',
      {
        getrefcount: (_s, args) => it.int(args[0].ob_refcnt),
        getsizeof: (_s, args) => {
          const m = it.findDunder(args[0], '__sizeof__');
          if (m) {
            const r = it.callMethodObj(m, args[0], []);
            const n = Number((r as PyInt).v);
            it.decref(r);
            return it.int(n + ((args[0].ob_type as PyType).isGC ? rt.preHeaderSize(args[0]) : 0));
          }
          return it.int(rt.sizeof(args[0]));
        },
        intern: (_s, args) => {
          if (!(args[0] instanceof PyStr)) it.typeError(`intern() argument must be str, not ${it.typeName(args[0])}`);
          return rt.internObject(args[0]);
        },
        getrecursionlimit: () => it.int(it.recursionLimit),
        setrecursionlimit: (_s, args) => {
          it.recursionLimit = Number((args[0] as PyInt).v);
          return it.none();
        },
        exit: (_s, args) => {
          throw new PyExc(it.newExc(it.exc.SystemExit, args.length ? [it.incref(args[0])] : []));
        },
        getallocatedblocks: () => it.int(rt.mem.getAllocatedBlocks()),
        _debugmallocstats: () => {
          it.stderr(rt.mem.formatDebugMallocStats(rt.freelistStats()));
          return it.none();
        },
        _getframe: (_s, args) => {
          let f = it.frame;
          for (let n = args.length ? Number((args[0] as PyInt).v) : 0; n > 0 && f; n--) f = f.back;
          if (!f) it.raise('ValueError', 'call stack is not deep enough');
          return it.incref(it.frameObject(f));
        },
        exc_info: () => {
          const e = it.excInfo;
          if (!e) return rt.newTuple([it.none(), it.none(), it.none()]);
          const tb = (e as unknown as { traceback: PyObject | null }).traceback;
          return rt.newTuple([it.incref(e.ob_type), it.incref(e), tb ? it.incref(tb) : it.none()]);
        },
        ...(it.py2
          ? {
              // 2.7: forget the exception being handled (or last handled in this frame).
              exc_clear: () => {
                const e = it.excInfo;
                it.excInfo = null;
                it.xdecref(e);
                return it.none();
              },
            }
          : {}),
      },
      {
        argv: () => rt.newList(it.argv.map((a) => it.str(a))),
        stdout: () => it.incref(stdoutObj),
        stderr: () => it.incref(stderrObj),
        __stdout__: () => it.incref(stdoutObj),
        __stderr__: () => it.incref(stderrObj),
        modules: () => it.incref(it.modules),
        version: () => it.str(it.py2 ? '2.7.18 (default, refscope simulation)' : '3.11.7 (main, refscope simulation)'),
        version_info: () => rt.newTuple(it.py2 ? [it.int(2), it.int(7), it.int(18), it.str('final'), it.int(0)] : [it.int(3), it.int(11), it.int(7), it.str('final'), it.int(0)]),
        maxsize: () => it.int(9223372036854775807n),
        ...(it.py2 ? { maxint: () => it.int(9223372036854775807n) } : {}),
        platform: () => it.str('linux'),
        byteorder: () => it.str('little'),
        implementation: () => it.none(),
      },
    )),
  );

  // gc
  factories.set('gc', () => {
    const gc = rt.gc;
    const genArg = (args: Args, kw: string[] | null): number => {
      const [a, k] = splitArgs(args, kw);
      const g = a[0] ?? k.get('generation');
      if (!g) return 2;
      if (!(g instanceof PyInt)) it.typeError(`'${it.typeName(g)}' object cannot be interpreted as an integer`);
      const n = Number(g.v);
      if (n < 0 || n > 2) it.raise('ValueError', 'invalid generation');
      return n;
    };
    type Args = PyObject[];
    const m = newModule(
      'gc',
      {
        enable: () => {
          gc.enabled = true;
          return it.none();
        },
        disable: () => {
          gc.enabled = false;
          return it.none();
        },
        isenabled: () => it.bool(gc.enabled),
        collect: (_s, args, kw) => {
          const g = genArg(args, kw);
          return it.int(gc.collectManual(g));
        },
        get_count: () => {
          const c = gc.count.slice();
          return rt.newTuple(c.map((x) => it.int(x)));
        },
        get_threshold: () => rt.newTuple(gc.threshold.map((x) => it.int(x))),
        set_threshold: (_s, args) => {
          if (!args.length) it.typeError('set_threshold() takes at least 1 argument (0 given)');
          args.forEach((a, i) => (gc.threshold[i] = Number((a as PyInt).v)));
          return it.none();
        },
        set_debug: (_s, args) => {
          gc.debug = Number((args[0] as PyInt).v);
          return it.none();
        },
        get_debug: () => it.int(gc.debug),
        get_objects: (_s, args, kw) => {
          const [a, k] = splitArgs(args, kw);
          const g = a[0] ?? k.get('generation');
          let gen: number | null = null;
          if (g && g !== rt.None) {
            const n = Number((g as PyInt).v);
            if (n >= 3) it.raise('ValueError', 'generation parameter must be less than the number of available generations (3)');
            if (n <= -2) it.raise('ValueError', 'generation parameter cannot be negative');
            gen = n === -1 ? null : n;
          }
          return rt.newList(gc.objects(gen).map((o) => it.incref(o)));
        },
        get_referrers: (_s, args) => {
          const targets = new Set(args);
          const out: PyObject[] = [];
          for (const o of gc.objects(null)) {
            let hit = false;
            o.traverse((r) => {
              if (targets.has(r)) hit = true;
            });
            if (hit) out.push(it.incref(o));
          }
          return rt.newList(out);
        },
        get_referents: (_s, args) => {
          const out: PyObject[] = [];
          for (const a of args) if ((a.ob_type as PyType).isGC) a.traverse((r) => out.push(it.incref(r)));
          return rt.newList(out);
        },
        is_tracked: (_s, args) => it.bool(args[0].gcNext !== null),
        is_finalized: (_s, args) => it.bool((args[0].gcFlags & GcFlag.FINALIZED) !== 0),
        freeze: () => {
          gc.freeze();
          return it.none();
        },
        unfreeze: () => {
          gc.unfreeze();
          return it.none();
        },
        get_freeze_count: () => it.int(gc.freezeCount()),
        get_stats: () =>
          rt.newList(
            gc.stats.map((s) => {
              const d = rt.newDict();
              it.dictSetStr(d, 'collections', it.int(s.collections));
              it.dictSetStr(d, 'collected', it.int(s.collected));
              it.dictSetStr(d, 'uncollectable', it.int(s.uncollectable));
              return d;
            }),
          ),
      },
      {
        garbage: () => it.incref(rt.garbage),
        callbacks: () => it.incref(it.gcCallbacks),
        DEBUG_STATS: () => it.int(1),
        DEBUG_COLLECTABLE: () => it.int(2),
        DEBUG_UNCOLLECTABLE: () => it.int(4),
        ...(it.py2 ? { DEBUG_INSTANCES: () => it.int(8), DEBUG_OBJECTS: () => it.int(16) } : {}),
        DEBUG_SAVEALL: () => it.int(32),
        DEBUG_LEAK: () => it.int(it.py2 ? 62 : 38),
      },
    );
    void (0 as unknown as Args);
    return m;
  });

  // weakref
  factories.set('weakref', () => {
    const refT = t.weakref;
    C.set(refT, (_ty, args) => newRef(args, false));
    const newRef = (args: PyObject[], proxy: boolean) => {
      const o = args[0];
      const ty = o.ob_type as PyType;
      if (!ty.isHeapType && !(o instanceof PyFunction) && !(o instanceof PySet) && ty !== t.type && !ty.isSubtypeOf(t.BaseException) && ty !== t.instance && ty !== t.classobj) {
        it.typeError(`cannot create weak reference to '${ty.tp_name}' object`);
      }
      const cb = args[1] && args[1] !== rt.None ? it.incref(args[1]) : null;
      if (!proxy && !cb && o.weakrefs) {
        const existing = o.weakrefs.find((w) => !(w as PyWeakref).callback && !(w as PyWeakref).isProxy);
        if (existing) return it.incref(existing);
      }
      return rt.newWeakref(proxy ? t.weakproxy : refT, o, cb, proxy);
    };
    it.nativeCall.set(refT, (self) => {
      const r = (self as PyWeakref).referent;
      return r ? it.incref(r) : it.none();
    });
    it.nativeCall.set(t.weakproxy, (self, args, kw) => it.call(it.proxyTarget(self as PyWeakref), args, kw));
    return newModule(
      'weakref',
      {
        proxy: (_s, args) => newRef(args, true),
        getweakrefcount: (_s, args) => it.int(args[0].weakrefs ? args[0].weakrefs.length : 0),
        getweakrefs: (_s, args) => rt.newList((args[0].weakrefs ?? []).map((w) => it.incref(w))),
      },
      { ref: () => it.incref(refT), ReferenceType: () => it.incref(refT), ProxyType: () => it.incref(t.weakproxy) },
    );
  });

  // 2.7 __future__: the features are compile-time flags (the compiler reads the
  // import); the module's names carry their CO_FUTURE_* values.
  if (it.py2) {
    const features: Record<string, number> = { nested_scopes: 0x10, generators: 0, division: 0x2000, absolute_import: 0x4000, with_statement: 0x8000, print_function: 0x10000, unicode_literals: 0x20000 };
    factories.set('__future__', () => newModule('__future__', {}, Object.fromEntries(Object.entries(features).map(([k, v]) => [k, () => it.int(v)]))));
  }

  // time
  factories.set('time', () =>
    newModule('time', {
      time: () => rt.newFloat(Date.now() / 1000),
      perf_counter: () => rt.newFloat(performance.now() / 1000),
      monotonic: () => rt.newFloat(performance.now() / 1000),
      sleep: (_s, args) => {
        // A real wait (CPython's observable), cut short by Ctrl-C (KeyboardInterrupt) or --timeout: see RunOptions.interrupt.
        if (args.length !== 1) it.typeError(`${it.py2 ? 'sleep() takes exactly 1 argument' : 'time.sleep() takes exactly one argument'} (${args.length} given)`);
        const x = args[0];
        if (!(x instanceof PyInt || x instanceof PyFloat)) {
          if (it.py2) it.typeError('a float is required');
          it.typeError(`'${it.typeName(x)}' object cannot be interpreted as an integer`);
        }
        const secs = Number(x.v);
        if (Number.isNaN(secs)) it.py2 ? invalidArgument27() : it.raise('ValueError', 'Invalid value NaN (not a number)');
        if (secs < 0) it.py2 ? invalidArgument27() : it.raise('ValueError', 'sleep length must be non-negative');
        it.poll(secs);
        return it.none();
      },
    }),
  );

  const C = it.constructors;

  // Proxies forward attribute access to the referent.
  const baseGetattr = it.getattrOrNull.bind(it);
  it.getattrOrNull = (o: PyObject, name: string) => {
    if (o instanceof PyWeakref && o.isProxy) return baseGetattr(it.proxyTarget(o), name);
    if (o instanceof PyHolder && o.ob_type === it.superType) return it.superGetattr(o, name);
    return baseGetattr(o, name);
  };
  const baseSetattr = it.setattr.bind(it);
  it.setattr = (o: PyObject, name: string, v: PyObject) => {
    if (o instanceof PyWeakref && o.isProxy) return baseSetattr(it.proxyTarget(o), name, v);
    return baseSetattr(o, name, v);
  };

  const importOne = (name: string): PyObject => {
    const existing = it.dictGetStr(it.modules, name);
    if (existing) return it.incref(existing);
    const f = factories.get(name) ?? it.extraModules.get(name);
    if (!f) {
      if (it.py2) it.raise('ImportError', `No module named ${name}`);
      it.raise('ModuleNotFoundError', `No module named '${name}'`);
    }
    const m = f();
    it.dictSetStr(it.modules, name, m);
    return it.incref(m);
  };
  // A dotted name imports each package in turn; a submodule a parent sets up
  // as an attribute (os.path) is registered under its dotted name. As in
  // CPython, `import a.b` yields the top package and `from a.b import c` the leaf.
  it.importModule = (name: string, fromlist?: PyObject): PyObject => {
    if (!name.includes('.')) return importOne(name);
    const parts = name.split('.');
    const top = importOne(parts[0]);
    let cur = it.incref(top);
    try {
      for (let i = 1; i < parts.length; i++) {
        const full = parts.slice(0, i + 1).join('.');
        let sub = it.dictGetStr(it.modules, full);
        if (sub) it.incref(sub);
        else {
          sub = it.getattrOrNull(cur, parts[i]);
          if (!sub || !(sub instanceof PyModule)) {
            if (sub) it.decref(sub);
            it.raise('ModuleNotFoundError', `No module named '${full}'; '${parts.slice(0, i).join('.')}' is not a package`);
          }
          it.dictSetStr(it.modules, full, it.incref(sub));
        }
        it.decref(cur);
        cur = sub;
      }
    } catch (e) {
      it.decref(cur);
      it.decref(top);
      throw e;
    }
    const wantLeaf = fromlist !== undefined && fromlist !== rt.None && it.truthy(fromlist);
    if (wantLeaf) {
      it.decref(top);
      return cur;
    }
    it.decref(cur);
    return top;
  };
  it.gcCallbacks = rt.newList([]);
  it.gcCallbacks.ob_refcnt += rt.profile.immortalRefcnt;
  void PyBuiltinFunction;

  // bytes/bytearray and the other methods beyond the tables above; they
  // come last because they replace some of the str methods defined here.
  installBytes(it);
  installMethods(it);

  // 2.7: str methods called on a unicode string return unicode (after every
  // str method is installed, methods.ts's included).
  if (it.py2) {
    for (const f of it.methods.get(t.str)?.values() ?? []) {
      const impl = f.impl as unknown as NativeFn;
      const wrapped: NativeFn = (self, args, kw) => {
        const r = impl(self, args, kw);
        // str.join of a list holding unicode gives unicode too.
        const uni = self !== null && (self.ob_type === t.unicode || (f.name === 'join' && r instanceof PyStr && args[0] instanceof PyList && args[0].items.some((x) => x.ob_type === t.unicode)));
        if (!uni) return r;
        if (r instanceof PyStr && r.ob_type === t.str) {
          const u = rt.newUnicode(r.v);
          it.decref(r);
          return u;
        }
        // split() and friends: a list (or tuple) of unicode pieces.
        if (r instanceof PyList || r instanceof PyTuple) {
          for (let i = 0; i < r.items.length; i++) {
            const x = r.items[i];
            if (x instanceof PyStr && x.ob_type === t.str) {
              r.items[i] = rt.newUnicode(x.v);
              it.decref(x);
            }
          }
        }
        return r;
      };
      f.impl = wrapped as unknown as typeof f.impl;
    }
  }

}

type Args = PyObject[];

declare module './interp.js' {
  interface Interpreter {
    extraModules: Map<string, () => PyModule>;
    sysStderr: () => PyObject;
    writeSysStderr: (text: string, unraisable?: boolean) => void;
  }
}
