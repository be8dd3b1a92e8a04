/*
 * Methods of str, set, frozenset, int and float that the core tables in
 * modules.ts leave out, found by comparing dir() of each type with CPython
 * 3.11's. str methods are the pure algorithms of text/strmethods.ts behind
 * CPython's argument checks; this table also replaces the core versions of
 * find/count/split/startswith/... that ignored their optional arguments.
 *
 * Left out on purpose (rare in scripts, and attributes rather than methods
 * in CPython, which the method tables cannot express): int.real/imag/
 * numerator/denominator and float.real/imag.
 */
import { PyDict, PySet, PyTuple } from '../heap/containers.js';
import type { PyObject } from '../heap/object.js';
import { PyByteArray, PyBytes, PyFloat, PyInt, PyStr } from '../heap/scalars.js';
import { splitArgs } from './builtins.js';
import { makeNewSet, setCopy, setDifferenceMulti, setDifferenceUpdate, setIntersectionMulti, setIntersectionUpdate, setSymmetricDifference, setSymmetricDifferenceUpdate, setUnion } from './setops.js';
import { PyExc } from './errors.js';
import type { Args, Interpreter, NativeFn } from './interp.js';
import { norm } from './protocol.js';
import * as SM from './text/strmethods.js';

export function installMethods(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  const run = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      it.fromTextError(e);
    }
  };
  const intArg = (o: PyObject): number => {
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
  const optIndex = (o: PyObject | undefined): number | undefined => {
    if (o === undefined || o === rt.None) return undefined;
    if (!(o instanceof PyInt) && !it.findDunder(o, '__index__')) it.typeError('slice indices must be integers or None or have an __index__ method');
    return intArg(o);
  };
  const strArg = (o: PyObject, what = 'must be str'): string => {
    if (!(o instanceof PyStr)) it.typeError(`${what}, not ${it.typeName(o)}`);
    return o.v;
  };
  const S = (o: PyObject | null): string => (o as PyStr).v;
  /** Positional-or-keyword arguments by name (the first `min` required). */
  const params = (fname: string, args: Args, kw: string[] | null, names: string[], min: number): (PyObject | undefined)[] => {
    const [pos, k] = splitArgs(args, kw);
    if (pos.length > names.length) it.typeError(`${fname}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${pos.length} given)`);
    for (const key of k.keys()) if (!names.includes(key)) it.typeError(`${fname}() got an unexpected keyword argument '${key}'`);
    const out = names.map((n, i) => pos[i] ?? k.get(n));
    for (let i = 0; i < min; i++) if (out[i] === undefined) it.typeError(`${fname}() missing required argument '${names[i]}' (pos ${i + 1})`);
    return out;
  };
  /** A str result; an unchanged exact str comes back itself, as CPython's methods return self then. */
  const same = (self: PyObject | null, before: string, after: string): PyObject => (after === before && self!.ob_type === t.str ? it.incref(self!) : it.str(after));
  const strList = (parts: string[]): PyObject => rt.newList(parts.map((p) => it.str(p)));

  // ------------------------------------------------------------------ str

  const finder = (name: string, f: (s: string, sub: string, a?: number, b?: number) => number): NativeFn => (self, args) => {
    if (args.length < 1) it.typeError(`${name} expected at least 1 argument, got 0`);
    if (args.length > 3) it.typeError(`${name} expected at most 3 arguments, got ${args.length}`);
    return it.int(run(() => f(S(self), strArg(args[0]), optIndex(args[1]), optIndex(args[2]))));
  };
  const affix = (name: string, atEnd: boolean): NativeFn => (self, args) => {
    if (args.length < 1) it.typeError(`${name} expected at least 1 argument, got 0`);
    const p = args[0];
    let subs: string | string[];
    if (p instanceof PyTuple) subs = p.items.map((x) => strArg(x, `tuple for ${name} must only contain str`));
    else if (p instanceof PyStr) subs = p.v;
    else it.typeError(`${name} first arg must be str or a tuple of str, not ${it.typeName(p)}`);
    const a = optIndex(args[1]);
    const b = optIndex(args[2]);
    return it.bool(atEnd ? SM.endsWith(S(self), subs, a, b) : SM.startsWith(S(self), subs, a, b));
  };
  const splitter = (name: string, f: (s: string, sep?: string | null, max?: number) => string[]): NativeFn => (self, args, kw) => {
    const [sep, max] = params(name, args, kw, ['sep', 'maxsplit'], 0);
    const sepText = sep === undefined || sep === rt.None ? null : strArg(sep, 'must be str or None');
    return strList(run(() => f(S(self), sepText, max === undefined ? -1 : intArg(max))));
  };
  const stripper = (f: (s: string, chars?: string | null) => string): NativeFn => (self, args) => {
    const chars = args[0] === undefined || args[0] === rt.None ? null : strArg(args[0], 'strip arg must be None or str');
    return same(self, S(self), f(S(self), chars));
  };
  const test = (f: (s: string) => boolean): NativeFn => (self) => it.bool(f(S(self)));
  const mapped = (f: (s: string) => string): NativeFn => (self) => it.str(f(S(self)));
  const pad = (name: string, f: (s: string, w: number, fill?: string) => string): NativeFn => (self, args) => {
    if (args.length < 1 || args.length > 2) it.typeError(`${name} expected ${args.length < 1 ? 'at least 1 argument' : 'at most 2 arguments'}, got ${args.length}`);
    const fill = args[1] === undefined ? ' ' : strArg(args[1], `${name}() argument 2 must be str`);
    return same(self, S(self), run(() => f(S(self), intArg(args[0]), fill)));
  };
  const partitioner = (f: (s: string, sep: string) => [string, string, string]): NativeFn => (self, args) => {
    const parts = run(() => f(S(self), strArg(args[0])));
    return rt.newTuple(parts.map((p) => (p === S(self) && self!.ob_type === t.str ? it.incref(self!) : it.str(p))));
  };

  const strMethods: Record<string, NativeFn> = {
    find: finder('find', SM.find),
    rfind: finder('rfind', SM.rfind),
    index: finder('index', SM.index),
    rindex: finder('rindex', SM.rindex),
    count: finder('count', SM.count),
    startswith: affix('startswith', false),
    endswith: affix('endswith', true),
    split: splitter('split', SM.split),
    rsplit: splitter('rsplit', SM.rsplit),
    splitlines: (self, args, kw) => {
      const [keep] = params('splitlines', args, kw, ['keepends'], 0);
      return strList(SM.splitlines(S(self), keep !== undefined && it.truthy(keep)));
    },
    partition: partitioner(SM.partition),
    rpartition: partitioner(SM.rpartition),
    strip: stripper(SM.strip),
    lstrip: stripper(SM.lstrip),
    rstrip: stripper(SM.rstrip),
    replace: (self, args, kw) => {
      const [oldA, newA, countA] = params('replace', args, kw, ['old', 'new', 'count'], 2);
      const s = S(self);
      return same(self, s, SM.replace(s, strArg(oldA!, 'replace() argument 1 must be str'), strArg(newA!, 'replace() argument 2 must be str'), countA === undefined ? -1 : intArg(countA)));
    },
    removeprefix: (self, args) => {
      const s = S(self);
      const p = strArg(args[0], 'removeprefix() argument must be str');
      return same(self, s, p && s.startsWith(p) ? s.slice(p.length) : s);
    },
    removesuffix: (self, args) => {
      const s = S(self);
      const p = strArg(args[0], 'removesuffix() argument must be str');
      return same(self, s, p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
    },
    center: pad('center', SM.center),
    ljust: pad('ljust', SM.ljust),
    rjust: pad('rjust', SM.rjust),
    zfill: (self, args) => same(self, S(self), SM.zfill(S(self), intArg(args[0]))),
    expandtabs: (self, args, kw) => {
      const [size] = params('expandtabs', args, kw, ['tabsize'], 0);
      return same(self, S(self), SM.expandtabs(S(self), size === undefined ? 8 : intArg(size)));
    },
    upper: mapped(SM.upper),
    lower: mapped(SM.lower),
    casefold: mapped(SM.casefold),
    swapcase: mapped(SM.swapcase),
    capitalize: mapped(SM.capitalize),
    title: mapped(SM.title),
    isalnum: test(SM.isalnum),
    isalpha: test(SM.isalpha),
    isascii: test(SM.isascii),
    isdecimal: test(SM.isdecimal),
    isdigit: test(SM.isdigit),
    isnumeric: test(SM.isnumeric),
    isprintable: test(SM.isprintable),
    isspace: test(SM.isspace),
    islower: test(SM.islower),
    isupper: test(SM.isupper),
    istitle: test(SM.istitle),
    isidentifier: test(SM.isidentifier),
    format_map: (self, args) => {
      // str.format with the mapping's str keys as keyword arguments.
      const m = args[0];
      if (!(m instanceof PyDict)) it.typeError(`format_map() argument must be a dict, not ${it.typeName(m)}`);
      const names: string[] = [];
      const values: PyObject[] = [];
      for (const [k, v] of it.dictEntries(m)) {
        if (k instanceof PyStr) {
          names.push(k.v);
          values.push(v);
        }
      }
      return it.callMethodObj(it.lookupType(t.str, 'format')!, self!, values, names.length ? names : null);
    },
    translate: (self, args) => {
      const table = args[0];
      let out = '';
      for (const ch of S(self)) {
        const key = it.int(ch.codePointAt(0)!);
        let v: PyObject | null = null;
        try {
          v = it.getitem(table, key);
        } catch (e) {
          // LookupError: the character stays as it is.
          if (!(e instanceof PyExc) || !it.isInstance(e.exc, it.exc.LookupError)) throw e;
          it.decref(e.exc);
          it.raising = Math.max(0, it.raising - 1);
        } finally {
          it.decref(key);
        }
        if (v === null) out += ch;
        else {
          if (v instanceof PyInt) out += String.fromCodePoint(Number(v.v));
          else if (v instanceof PyStr) out += v.v;
          else if (v !== rt.None) {
            it.decref(v);
            it.typeError('character mapping must return integer, None or str');
          }
          it.decref(v);
        }
      }
      return same(self, S(self), out);
    },
  };
  if (it.py2) {
    // 2.7 str is a byte string: its case mappings and classes are the C
    // locale's (the core table's), and these methods came after 2.7.
    for (const name of ['upper', 'lower', 'swapcase', 'capitalize', 'title', 'isalnum', 'isalpha', 'isdigit', 'isspace', 'islower', 'isupper', 'istitle',
      'casefold', 'isascii', 'isdecimal', 'isnumeric', 'isprintable', 'isidentifier', 'removeprefix', 'removesuffix', 'format_map',
      // the core split family already returns unicode items for a unicode string
      'split', 'rsplit', 'splitlines']) {
      delete strMethods[name];
    }
    // 2.7: a method called on a unicode string returns unicode (as modules.ts does for the core table).
    for (const [name, f] of Object.entries(strMethods)) {
      strMethods[name] = (self, args, kw) => {
        const r = f(self, args, kw);
        if (self && self.ob_type === t.unicode && r instanceof PyStr && r.ob_type === t.str) {
          const u = rt.newUnicode(r.v);
          it.decref(r);
          return u;
        }
        return r;
      };
    }
  }
  it.defineMethods(t.str, strMethods);
  if (!it.py2) {
    it.defineClassMethods(t.str, {
      maketrans: (_cls, args) => {
        const d = rt.newDict();
        if (args.length === 1) {
          for (const [k, v] of it.dictEntries(args[0] as never)) {
            const key = k instanceof PyStr ? it.int(k.v.codePointAt(0)!) : it.incref(k);
            it.dictSet(d, key, v);
            it.decref(key);
          }
          return d;
        }
        const x = strArg(args[0]);
        const y = strArg(args[1]);
        if (x.length !== y.length) it.raise('ValueError', 'the first two maketrans arguments must have equal length');
        const xs = [...x];
        const ys = [...y];
        xs.forEach((c, i) => {
          const k = it.int(c.codePointAt(0)!);
          const v = it.int(ys[i].codePointAt(0)!);
          it.dictSet(d, k, v);
          it.decref(k);
          it.decref(v);
        });
        for (const c of args[2] ? strArg(args[2]) : '') {
          const k = it.int(c.codePointAt(0)!);
          it.dictSet(d, k, rt.None);
          it.decref(k);
        }
        return d;
      },
    });
  }

  // ------------------------------------------------------ set, frozenset

  /** The items of any iterable as a temporary set (borrowed when it is one). */
  const asSet = (o: PyObject): [PySet, boolean] => {
    if (o instanceof PySet) return [o, false];
    return [makeNewSet(it, t.set, o), true];
  };
  const withSet = <T>(o: PyObject, f: (s: PySet) => T): T => {
    const [s, owned] = asSet(o);
    try {
      return f(s);
    } finally {
      if (owned) it.decref(s);
    }
  };
  const has = (s: PySet, x: PyObject) => it.setFind(s, x, it.hash(x)) >= 0;
  const me = (self: PyObject | null) => self as PySet;

  const setTests: Record<string, NativeFn> = {
    isdisjoint: (self, args) => withSet(args[0], (s) => it.bool(!it.setItems(self as PySet).some((x) => has(s, x)))),
    issubset: (self, args) => withSet(args[0], (s) => it.bool(me(self).used <= s.used && it.setItems(self as PySet).every((x) => has(s, x)))),
    issuperset: (self, args) => withSet(args[0], (s) => it.bool(it.setItems(s).every((x) => has(self as PySet, x)))),
  };
  const common: Record<string, NativeFn> = {
    union: (self, args) => setUnion(it, me(self), args),
    intersection: (self, args) => setIntersectionMulti(it, me(self), args),
    difference: (self, args) => setDifferenceMulti(it, me(self), args),
    symmetric_difference: (self, args) => setSymmetricDifference(it, me(self), args[0]),
    ...setTests,
  };
  it.defineMethods(t.set, {
    ...common,
    intersection_update: (self, args) => {
      setIntersectionUpdate(it, me(self), args);
      return it.none();
    },
    difference_update: (self, args) => {
      for (const o of args) setDifferenceUpdate(it, me(self), o);
      return it.none();
    },
    symmetric_difference_update: (self, args) => {
      setSymmetricDifferenceUpdate(it, me(self), args[0]);
      return it.none();
    },
  });
  it.defineMethods(t.frozenset, {
    ...common,
    // frozenset.copy of an exact frozenset is the object itself.
    copy: (self) => (self!.ob_type === t.frozenset ? it.incref(self!) : setCopy(it, me(self))),
  });

  // ----------------------------------------------------------- int, float

  const bigOf = (o: PyObject | null) => BigInt((o as PyInt).v);
  it.defineMethods(t.int, {
    bit_count: (self) => {
      let v = bigOf(self);
      if (v < 0n) v = -v;
      let n = 0;
      for (const c of v.toString(2)) if (c === '1') n++;
      return it.int(n);
    },
    conjugate: (self) => it.int((self as PyInt).v),
    as_integer_ratio: (self) => rt.newTuple([it.int((self as PyInt).v), it.int(1)]),
    to_bytes: (self, args, kw) => {
      const [lenA, orderA, signedA] = params('to_bytes', args, kw, ['length', 'byteorder', 'signed'], 0);
      const length = lenA === undefined ? 1 : intArg(lenA);
      const order = orderA === undefined ? 'big' : strArg(orderA, "to_bytes() argument 'byteorder' must be str");
      if (order !== 'big' && order !== 'little') it.raise('ValueError', "byteorder must be either 'little' or 'big'");
      if (length < 0) it.raise('ValueError', 'length argument must be non-negative');
      const signed = signedA !== undefined && it.truthy(signedA);
      let v = bigOf(self);
      if (v < 0n && !signed) it.raise('OverflowError', "can't convert negative int to unsigned");
      const bits = BigInt(length * 8);
      const fits = signed ? v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n) : v < 1n << bits;
      if (length === 0 ? v !== 0n : !fits) it.raise('OverflowError', 'int too big to convert');
      if (v < 0n) v += 1n << bits;
      const out = new Uint8Array(length);
      for (let i = length - 1; i >= 0; i--) {
        out[i] = Number(v & 255n);
        v >>= 8n;
      }
      if (order === 'little') out.reverse();
      return rt.newBytes(out);
    },
  });
  it.defineClassMethods(t.int, {
    from_bytes: (_cls, args, kw) => {
      const [src, orderA, signedA] = params('from_bytes', args, kw, ['bytes', 'byteorder', 'signed'], 1);
      const order = orderA === undefined ? 'big' : strArg(orderA, "from_bytes() argument 'byteorder' must be str");
      if (order !== 'big' && order !== 'little') it.raise('ValueError', "byteorder must be either 'little' or 'big'");
      let bytes: number[];
      if (src instanceof PyBytes || src instanceof PyByteArray) bytes = Array.from(src.v);
      else if (src instanceof PyStr) it.typeError('cannot convert \'str\' object to bytes');
      else bytes = [...it.iterate(src!)].map((x) => {
        const n = intArg(x);
        it.decref(x);
        if (n < 0 || n > 255) it.raise('ValueError', 'bytes must be in range(0, 256)');
        return n;
      });
      if (order === 'little') bytes.reverse();
      let v = 0n;
      for (const b of bytes) v = (v << 8n) | BigInt(b);
      if (signedA !== undefined && it.truthy(signedA) && bytes.length && bytes[0] & 0x80) v -= 1n << BigInt(bytes.length * 8);
      return it.int(norm(v));
    },
  });

  /** Exact numerator/denominator of a finite double. */
  const ratio = (x: number): [bigint, bigint] => {
    if (!Number.isFinite(x)) it.raise(Number.isNaN(x) ? 'ValueError' : 'OverflowError', Number.isNaN(x) ? 'cannot convert NaN to integer ratio' : 'cannot convert Infinity to integer ratio');
    let den = 1n;
    let m = x;
    while (!Number.isInteger(m)) {
      m *= 2;
      den *= 2n;
    }
    return [BigInt(m), den];
  };
  it.defineMethods(t.float, {
    as_integer_ratio: (self) => {
      const [n, d] = ratio((self as PyFloat).v);
      return rt.newTuple([it.int(norm(n)), it.int(norm(d))]);
    },
    conjugate: (self) => rt.newFloat((self as PyFloat).v),
    hex: (self) => it.str(floatHex((self as PyFloat).v)),
  });
  it.defineClassMethods(t.float, {
    fromhex: (_cls, args) => rt.newFloat(floatFromHex(strArg(args[0], 'fromhex() argument must be str'), it)),
  });
}

/** float.hex(): '0x1.8000000000000p+1' style, subnormals as 0x0.xxxp-1022. */
function floatHex(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const bits = buf.getBigUint64(0);
  const exp = Number(bits >> 52n);
  const mant = bits & ((1n << 52n) - 1n);
  if (exp === 0 && mant === 0n) return `${sign}0x0.0p+0`;
  const digits = mant.toString(16).padStart(13, '0');
  const e = exp === 0 ? -1022 : exp - 1023;
  return `${sign}0x${exp === 0 ? 0 : 1}.${digits}p${e >= 0 ? '+' : ''}${e}`;
}

/** float.fromhex(s). */
function floatFromHex(s: string, it: Interpreter): number {
  const m = /^\s*([+-])?(?:0x)?([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?\s*$/i.exec(s);
  const word = /^\s*([+-])?(inf|infinity|nan)\s*$/i.exec(s);
  if (word) return (word[1] === '-' ? -1 : 1) * (word[2].toLowerCase() === 'nan' ? NaN : Infinity);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) it.raise('ValueError', 'invalid hexadecimal floating-point string');
  const frac = m[3] ?? '';
  let v = 0;
  for (const c of m[2] + frac) v = v * 16 + parseInt(c, 16);
  const r = v * 2 ** (Number(m[4] ?? 0) - 4 * frac.length);
  if (!Number.isFinite(r)) it.raise('OverflowError', 'hexadecimal value too large to represent as a float');
  return m[1] === '-' ? -r : r;
}
