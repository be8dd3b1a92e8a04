/*
 * Small modules: math basics, a minimal os, copy, atexit.
 */
import { PyDict, PyList, PySet, PyTuple } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyFloat, PyInt } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import * as fs from 'node:fs';
import type { Interpreter, NativeFn } from '../interp.js';
import { makeModule, moduleSet, splitArgs } from './support.js';
import { setCopy } from '../setops.js';

export function installMisc(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  // ------------------------------------------------------------------- math
  const num = (o: PyObject): number => {
    if (o instanceof PyFloat) return o.v;
    if (o instanceof PyInt) return Number(o.v);
    it.typeError(`must be real number, not ${it.typeName(o)}`);
  };
  const intOf = (x: number, what: string) => {
    if (Number.isNaN(x)) it.raise('ValueError', `cannot convert float NaN to integer`);
    if (!Number.isFinite(x)) it.raise('OverflowError', `cannot convert float infinity to integer`);
    void what;
    return Number.isSafeInteger(x) ? it.int(x) : it.int(BigInt(x));
  };
  const f1 = (fn: (x: number) => number, domain?: (x: number) => boolean): NativeFn => (_s, args) => {
    const x = num(args[0]);
    if (domain && !domain(x)) it.raise('ValueError', 'math domain error');
    return rt.newFloat(fn(x));
  };
  it.extraModules.set('math', () =>
    makeModule(
      it,
      'math',
      {
        sqrt: f1(Math.sqrt, (x) => x >= 0 || Number.isNaN(x)),
        exp: f1(Math.exp),
        log: (_s, args) => {
          const x = num(args[0]);
          if (x <= 0) it.raise('ValueError', 'math domain error');
          return rt.newFloat(args.length > 1 ? Math.log(x) / Math.log(num(args[1])) : Math.log(x));
        },
        log2: f1(Math.log2, (x) => x > 0),
        log10: f1(Math.log10, (x) => x > 0),
        sin: f1(Math.sin),
        cos: f1(Math.cos),
        tan: f1(Math.tan),
        atan: f1(Math.atan),
        acos: f1(Math.acos, (x) => (x >= -1 && x <= 1) || Number.isNaN(x)),
        asin: f1(Math.asin, (x) => (x >= -1 && x <= 1) || Number.isNaN(x)),
        fabs: f1(Math.abs),
        floor: (_s, args) => (args[0] instanceof PyInt ? it.incref(args[0]) : intOf(Math.floor(num(args[0])), 'floor')),
        ceil: (_s, args) => (args[0] instanceof PyInt ? it.incref(args[0]) : intOf(Math.ceil(num(args[0])), 'ceil')),
        trunc: (_s, args) => (args[0] instanceof PyInt ? it.incref(args[0]) : intOf(Math.trunc(num(args[0])), 'trunc')),
        isnan: (_s, args) => it.bool(Number.isNaN(num(args[0]))),
        isinf: (_s, args) => it.bool(Math.abs(num(args[0])) === Infinity),
        isfinite: (_s, args) => it.bool(Number.isFinite(num(args[0]))),
        pow: (_s, args) => rt.newFloat(Math.pow(num(args[0]), num(args[1]))),
        hypot: (_s, args) => rt.newFloat(Math.hypot(...args.map(num))),
        gcd: (_s, args) => {
          let a = 0n;
          for (const x of args) {
            let b = BigInt((x as PyInt).v);
            if (b < 0n) b = -b;
            while (b) [a, b] = [b, a % b];
          }
          return it.int(a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : a);
        },
        factorial: (_s, args) => {
          const n = Number((args[0] as PyInt).v);
          if (n < 0) it.raise('ValueError', 'factorial() not defined for negative values');
          let r = 1n;
          for (let i = 2n; i <= BigInt(n); i++) r *= i;
          return it.int(r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r);
        },
      },
      { pi: () => rt.newFloat(Math.PI), e: () => rt.newFloat(Math.E), tau: () => rt.newFloat(2 * Math.PI), inf: () => rt.newFloat(Infinity), nan: () => rt.newFloat(NaN) },
    ),
  );

  // --------------------------------------------------------------------- os
  /** posixpath.normpath: drop empty and '.' parts, fold '..'; POSIX keeps exactly two leading slashes. */
  const normpath = (p: string): string => {
    if (p === '') return '.';
    const lead = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
    const out: string[] = [];
    for (const part of p.split('/')) {
      if (part === '' || part === '.') continue;
      if (part !== '..' || (!lead && !out.length) || (out.length && out[out.length - 1] === '..')) out.push(part);
      else if (out.length) out.pop();
    }
    const r = '/'.repeat(lead) + out.join('/');
    return r || '.';
  };
  it.extraModules.set('os', () => {
    const environ = rt.newDict();
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) it.dictSetStr(environ, k, it.str(v));
    const path = makeModule(it, 'posixpath', {
      exists: (_s, args) => it.bool(fs.existsSync(it.strString(args[0]))),
      isfile: (_s, args) => it.bool(fs.existsSync(it.strString(args[0])) && fs.statSync(it.strString(args[0])).isFile()),
      isdir: (_s, args) => it.bool(fs.existsSync(it.strString(args[0])) && fs.statSync(it.strString(args[0])).isDirectory()),
      basename: (_s, args) => it.str(it.strString(args[0]).replace(/^.*\//, '')),
      // posixpath.dirname: everything up to the last slash, trailing slashes stripped unless it is all slashes.
      dirname: (_s, args) => {
        const p = it.strString(args[0]);
        const head = p.slice(0, p.lastIndexOf('/') + 1);
        return it.str(head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head);
      },
      // posixpath.splitext: a leading run of dots is part of the name, not an extension.
      splitext: (_s, args) => {
        const p = it.strString(args[0]);
        const slash = p.lastIndexOf('/');
        const dot = p.lastIndexOf('.');
        let i = dot;
        if (dot > slash) {
          let j = slash + 1;
          while (j < dot && p[j] === '.') j++;
          if (j === dot) i = -1;
        } else i = -1;
        return i < 0 ? rt.newTuple([it.str(p), it.str('')]) : rt.newTuple([it.str(p.slice(0, i)), it.str(p.slice(i))]);
      },
      split: (_s, args) => {
        const p = it.strString(args[0]);
        const i = p.lastIndexOf('/') + 1;
        let head = p.slice(0, i);
        if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
        return rt.newTuple([it.str(head), it.str(p.slice(i))]);
      },
      isabs: (_s, args) => it.bool(it.strString(args[0]).startsWith('/')),
      normpath: (_s, args) => it.str(normpath(it.strString(args[0]))),
      abspath: (_s, args) => {
        const p = it.strString(args[0]);
        return it.str(normpath(p.startsWith('/') ? p : `${process.cwd()}/${p}`));
      },
      join: (_s, args) =>
        it.str(
          args.map((a) => it.strString(a)).reduce((acc, p) => (p.startsWith('/') ? p : acc === '' || acc.endsWith('/') ? acc + p : `${acc}/${p}`), ''),
        ),
    });
    const m = makeModule(it, 'os', {
      // A fixed pid keeps runs deterministic (ARCHITECTURE.md, Determinism).
      getpid: () => it.int(4242),
      getcwd: () => it.str(process.cwd()),
      listdir: (_s, args) => rt.newList(fs.readdirSync(args.length ? it.strString(args[0]) : '.').sort().map((n) => it.str(n))),
      getenv: (_s, args) => {
        const v = process.env[it.strString(args[0])];
        return v === undefined ? it.incref(args[1] ?? rt.None) : it.str(v);
      },
    });
    moduleSet(it, m, 'environ', environ);
    moduleSet(it, m, 'path', path);
    moduleSet(it, m, 'sep', it.str('/'));
    moduleSet(it, m, 'linesep', it.str('\n'));
    moduleSet(it, m, 'name', it.str('posix'));
    return m;
  });

  // ------------------------------------------------------------------- copy
  const copyOf = (o: PyObject): PyObject => {
    const ty = o.ob_type as PyType;
    const m = it.findDunder(o, '__copy__');
    if (m) return it.callMethodObj(m, o, []);
    if (ty === t.list) return rt.newList((o as PyList).items.map((x) => it.incref(x)));
    if (ty === t.dict) {
      const d = rt.newDict();
      for (const [k, v] of it.dictEntries(o as PyDict)) it.dictSet(d, k, v);
      return d;
    }
    if (ty === t.set) return setCopy(it, o as PySet);
    if (!ty.isHeapType) {
      const cm = it.lookupType(ty, '__copy__') ?? it.lookupType(ty, 'copy');
      if (cm && ty !== t.tuple && ty !== t.frozenset && ty !== t.str) return it.callMethodObj(cm, o, []);
      return it.incref(o);
    }
    return reconstruct(o, null);
  };
  /** copy._reconstruct for plain instances: a new object of the same class with a (deep)copied __dict__. */
  const reconstruct = (o: PyObject, memo: Map<PyObject, PyObject> | null): PyObject => {
    const ty = o.ob_type as PyType;
    const obj = it.allocInstance(ty, [], null);
    memo?.set(o, obj);
    const d = it.instanceDict(o, false);
    if (d) {
      for (const [k, v] of [...it.dictEntries(d)]) {
        const nv = memo ? deep(v, memo) : it.incref(v);
        try {
          it.setattr(obj, it.strString(k), nv);
        } finally {
          it.decref(nv);
        }
      }
    } else if (o instanceof PyList || o instanceof PyDict) {
      return obj;
    }
    return obj;
  };
  const deep = (o: PyObject, memo: Map<PyObject, PyObject>): PyObject => {
    const seen = memo.get(o);
    if (seen) return it.incref(seen);
    const ty = o.ob_type as PyType;
    const m = it.findDunder(o, '__deepcopy__');
    if (m) {
      const md = rt.newDict();
      try {
        return it.callMethodObj(m, o, [md]);
      } finally {
        it.decref(md);
      }
    }
    if (ty === t.list) {
      const l = rt.newList([]);
      memo.set(o, l);
      for (const x of (o as PyList).items.slice()) {
        const c = deep(x, memo);
        rt.listAppend(l, c);
        it.decref(c);
      }
      return l;
    }
    if (ty === t.dict) {
      const d = rt.newDict();
      memo.set(o, d);
      for (const [k, v] of [...it.dictEntries(o as PyDict)]) {
        const ck = deep(k, memo);
        const cv = deep(v, memo);
        it.dictSet(d, ck, cv);
        it.decref(ck);
        it.decref(cv);
      }
      return d;
    }
    if (ty === t.tuple) {
      const items = (o as PyTuple).items.map((x) => deep(x, memo));
      if (items.every((x, i) => x === (o as PyTuple).items[i])) {
        for (const x of items) it.decref(x);
        return it.incref(o);
      }
      const r = rt.newTuple(items);
      memo.set(o, r);
      return r;
    }
    if (ty === t.set) {
      const s = rt.newSet();
      memo.set(o, s);
      for (const x of it.setItems(o as PySet)) {
        const c = deep(x, memo);
        it.setAdd(s, c);
        it.decref(c);
      }
      return s;
    }
    if (ty.isHeapType && !(o instanceof PyHolder)) return reconstruct(o, memo);
    return it.incref(o);
  };
  it.extraModules.set('copy', () =>
    makeModule(it, 'copy', {
      copy: (_s, args) => copyOf(args[0]),
      deepcopy: (_s, args) => {
        const memo = new Map<PyObject, PyObject>();
        return deep(args[0], memo);
      },
    }),
  );

  // ----------------------------------------------------------------- atexit
  it.extraModules.set('atexit', () =>
    makeModule(it, 'atexit', {
      register: (_s, args, kw) => {
        const [a, k] = splitArgs(args, kw);
        if (!a.length) it.typeError('register() takes at least 1 argument (0 given)');
        const fn = a[0];
        let entry: PyObject;
        if (a.length === 1 && !k.size) entry = it.incref(fn);
        else {
          const partial = it.importModule('functools', rt.None);
          const p = it.getattr(partial, 'partial');
          it.decref(partial);
          try {
            entry = it.call(p, [fn, ...a.slice(1), ...k.values()], k.size ? [...k.keys()] : null);
          } finally {
            it.decref(p);
          }
        }
        it.stdlib.registerAtexit(entry);
        return it.incref(fn);
      },
      unregister: (_s, args) => (it.stdlib.unregisterAtexit(args[0]), it.none()),
    }),
  );
}
