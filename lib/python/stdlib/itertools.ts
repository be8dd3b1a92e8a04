/*
 * itertools: the iterator building blocks. Every iterator is a GC-tracked
 * holder owning its inputs (source iterators, functions, saved items) in
 * `refs`, with only positions and counters in `state`, as the C objects in
 * Modules/itertoolsmodule.c own theirs. Exhausted sources are dropped
 * (set to null) where CPython drops them.
 */
import { PyTuple } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyInt } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { BinOpCode } from '../opcodes.js';
import { collect, makeModule, splitArgs, toIndex } from './support.js';

type Next = (h: PyHolder) => PyObject | null;

export function installItertools(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const types: Record<string, PyType> = {};

  /** Defines an iterator type: `iter(x) is x`, `next(x)` runs `next`. */
  const iterType = (name: string, ctor: (ty: PyType, a: PyObject[], k: Map<string, PyObject>) => PyObject, next: Next, repr?: (h: PyHolder) => string, module = 'itertools'): PyType => {
    const ty = rt.defineStaticType(name, 'iterator', true, 48, t.object, true);
    ty.moduleName = module;
    it.nativeIter.set(ty, (o) => it.incref(o));
    it.nativeNext.set(ty, (o) => next(o as PyHolder));
    if (repr) it.nativeRepr.set(ty, (o) => repr(o as PyHolder));
    it.constructors.set(ty, (tt, args, kw) => {
      const [a, k] = splitArgs(args, kw);
      return ctor(tt, a, k);
    });
    it.defineMethods(ty, {
      __next__: (self) => {
        const v = next(self as PyHolder);
        if (v === null) it.raise('StopIteration');
        return v;
      },
      __iter__: (self) => it.incref(self!),
    });
    types[name] = ty;
    return ty;
  };
  const H = (ty: PyType, refs: (PyObject | null)[], state: unknown = null) => rt.newHolder(ty, refs, state, ty.tp_basicsize);
  const iter = (o: PyObject) => it.getIter(o);
  /** next() on an owned slot; drops the iterator when exhausted. */
  const pull = (h: PyHolder, slot: number): PyObject | null => {
    const src = h.refs[slot];
    if (!src) return null;
    const v = it.next(src);
    if (v === null) {
      h.refs[slot] = null;
      it.decref(src);
    }
    return v;
  };
  const noKw = (name: string, k: Map<string, PyObject>) => {
    if (k.size) it.typeError(`${name}() takes no keyword arguments`);
  };
  const truth = (o: PyObject) => {
    const b = it.truthy(o);
    it.decref(o);
    return b;
  };

  // count(start=0, step=1): refs [current, step]
  iterType(
    'count',
    (ty, a, k) => {
      const start = a[0] ?? k.get('start');
      const step = a[1] ?? k.get('step');
      return H(ty, [start ? it.incref(start) : it.int(0), step ? it.incref(step) : it.int(1)]);
    },
    (h) => {
      const cur = h.refs[0]!;
      h.refs[0] = it.binaryOp(cur, h.refs[1]!, BinOpCode.Add, false);
      return cur;
    },
    (h) => {
      const step = h.refs[1]!;
      const one = step instanceof PyInt && step.ob_type === t.int && Number(step.v) === 1;
      return one ? `count(${it.reprString(h.refs[0]!)})` : `count(${it.reprString(h.refs[0]!)}, ${it.reprString(step)})`;
    },
  );

  // repeat(object, times): refs [object]
  iterType(
    'repeat',
    (ty, a, k) => {
      const obj = a[0] ?? k.get('object');
      if (!obj) it.typeError(`repeat() missing required argument 'object' (pos 1)`);
      const times = a[1] ?? k.get('times');
      return H(ty, [it.incref(obj)], { left: times ? Math.max(0, toIndex(it, times)) : -1 });
    },
    (h) => {
      const st = h.state as { left: number };
      if (st.left === 0) return null;
      if (st.left > 0) st.left--;
      return it.incref(h.refs[0]!);
    },
    (h) => {
      const left = (h.state as { left: number }).left;
      return left < 0 ? `repeat(${it.reprString(h.refs[0]!)})` : `repeat(${it.reprString(h.refs[0]!)}, ${left})`;
    },
  );

  // cycle(iterable): refs [source iterator, saved list]
  iterType(
    'cycle',
    (ty, a, k) => {
      noKw('cycle', k);
      return H(ty, [iter(a[0]), rt.newList([])], { i: 0 });
    },
    (h) => {
      const v = pull(h, 0);
      const saved = h.refs[1] as unknown as { items: PyObject[] };
      if (v !== null) {
        rt.listAppend(h.refs[1] as never, v);
        return v;
      }
      if (!saved.items.length) return null;
      const st = h.state as { i: number };
      const r = saved.items[st.i % saved.items.length];
      st.i++;
      return it.incref(r);
    },
  );

  // chain(*iterables): refs [iterator over the iterables, active iterator]
  const chainT = iterType(
    'chain',
    (ty, a, k) => {
      noKw('chain', k);
      const tup = rt.newTuple(a.map((x) => it.incref(x)));
      const src = iter(tup);
      it.decref(tup);
      return H(ty, [src, null]);
    },
    (h) => {
      for (;;) {
        if (h.refs[1]) {
          const v = pull(h, 1);
          if (v !== null) return v;
        }
        const nextIterable = pull(h, 0);
        if (nextIterable === null) return null;
        try {
          h.refs[1] = iter(nextIterable);
        } finally {
          it.decref(nextIterable);
        }
      }
    },
  );
  chainFromIterable(it, chainT, H);

  // islice(iterable, stop) / islice(iterable, start, stop[, step]): refs [iterator]
  iterType(
    'islice',
    (ty, a, k) => {
      noKw('islice', k);
      const idx = (o: PyObject | undefined, what: string, dflt: number) => {
        if (!o || o === rt.None) return dflt;
        if (!(o instanceof PyInt) || Number(o.v) < 0) it.raise('ValueError', `${what} argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.`);
        return Number(o.v);
      };
      let start = 0;
      let stop = -1;
      let step = 1;
      if (a.length === 2) stop = idx(a[1], 'Stop', -1);
      else {
        start = idx(a[1], 'Indices', 0);
        stop = idx(a[2], 'Stop', -1);
        step = idx(a[3], 'Step', 1);
        if (step === 0) it.raise('ValueError', 'Step for islice() must be a positive integer or None.');
      }
      return H(ty, [iter(a[0])], { next: start, stop, step, cnt: 0 });
    },
    (h) => {
      const st = h.state as { next: number; stop: number; step: number; cnt: number };
      while (st.cnt < st.next) {
        const v = pull(h, 0);
        if (v === null) return null;
        it.decref(v);
        st.cnt++;
      }
      if (st.stop >= 0 && st.cnt >= st.stop) {
        const src = h.refs[0];
        h.refs[0] = null;
        it.xdecref(src);
        return null;
      }
      const v = pull(h, 0);
      if (v === null) return null;
      st.cnt++;
      st.next += st.step;
      if (st.stop >= 0 && st.next > st.stop) st.next = st.stop;
      return v;
    },
  );

  // starmap(function, iterable): refs [function, iterator]
  iterType(
    'starmap',
    (ty, a) => H(ty, [it.incref(a[0]), iter(a[1])]),
    (h) => {
      const args = pull(h, 1);
      if (args === null) return null;
      try {
        const items = collect(it, args);
        try {
          return it.call(h.refs[0]!, items);
        } finally {
          for (const x of items) it.decref(x);
        }
      } finally {
        it.decref(args);
      }
    },
  );

  // zip_longest(*iterables, fillvalue=None): refs [fillvalue, iterators...]
  iterType(
    'zip_longest',
    (ty, a, k) => {
      const fill = k.get('fillvalue') ?? rt.None;
      return H(ty, [it.incref(fill), ...a.map(iter)], { active: a.length, n: a.length });
    },
    (h) => {
      const st = h.state as { active: number; n: number };
      if (st.n === 0 || st.active === 0) return null;
      const out: PyObject[] = [];
      for (let i = 1; i <= st.n; i++) {
        if (!h.refs[i]) {
          out.push(it.incref(h.refs[0]!));
          continue;
        }
        const v = pull(h, i);
        if (v === null) {
          st.active--;
          if (st.active === 0) {
            for (const x of out) it.decref(x);
            return null;
          }
          out.push(it.incref(h.refs[0]!));
        } else out.push(v);
      }
      return rt.newTuple(out);
    },
  );

  // Combinatorics: refs [pool tuple(s)...], state holds index vectors.
  const tupleOf = (o: PyObject): PyTuple => {
    const items = collect(it, o);
    return rt.newTuple(items) as PyTuple;
  };
  iterType(
    'product',
    (ty, a, k) => {
      const rep = k.get('repeat');
      const n = rep ? toIndex(it, rep) : 1;
      if (n < 0) it.raise('ValueError', 'repeat argument cannot be negative');
      const pools = a.map(tupleOf);
      const refs: PyObject[] = [];
      for (let r = 0; r < n; r++) for (const p of pools) refs.push(it.incref(p));
      for (const p of pools) it.decref(p);
      return H(ty, refs, { idx: null as number[] | null, done: false });
    },
    (h) => {
      const st = h.state as { idx: number[] | null; done: boolean };
      const pools = h.refs.map((p) => (p as PyTuple).items);
      if (st.done) return null;
      if (st.idx === null) {
        if (pools.some((p) => p.length === 0)) {
          st.done = true;
          return null;
        }
        st.idx = pools.map(() => 0);
      } else {
        let i = pools.length - 1;
        for (; i >= 0; i--) {
          st.idx[i]++;
          if (st.idx[i] < pools[i].length) break;
          st.idx[i] = 0;
        }
        if (i < 0) {
          st.done = true;
          return null;
        }
      }
      return rt.newTuple(st.idx.map((j, i) => it.incref(pools[i][j])));
    },
  );
  const combIter = (name: string, nextIdx: (idx: number[], n: number, r: number, st: { cycles?: number[] }) => boolean, first: (n: number, r: number) => number[] | null) =>
    iterType(
      name,
      (ty, a, k) => {
        const pool = tupleOf(a[0] ?? k.get('iterable')!);
        const rObj = a[1] ?? k.get('r');
        const r = rObj && rObj !== rt.None ? toIndex(it, rObj) : name === 'permutations' ? pool.items.length : -1;
        if (r < 0) {
          it.decref(pool);
          if (name === 'permutations') it.raise('ValueError', 'r must be non-negative');
          it.typeError(`${name}() missing required argument 'r' (pos 2)`);
        }
        return H(ty, [pool], { idx: null, r, started: false, done: false });
      },
      (h) => {
        const st = h.state as { idx: number[] | null; r: number; started: boolean; done: boolean; cycles?: number[] };
        const pool = (h.refs[0] as PyTuple).items;
        if (st.done) return null;
        if (!st.started) {
          st.started = true;
          st.idx = first(pool.length, st.r);
          if (st.idx === null) {
            st.done = true;
            return null;
          }
          if (name === 'permutations') st.cycles = Array.from({ length: st.r }, (_, i) => pool.length - i);
        } else if (!nextIdx(st.idx!, pool.length, st.r, st)) {
          st.done = true;
          return null;
        }
        const picked = name === 'permutations' ? st.idx!.slice(0, st.r) : st.idx!;
        return rt.newTuple(picked.map((j) => it.incref(pool[j])));
      },
    );
  combIter(
    'combinations',
    (idx, n, r) => {
      let i = r - 1;
      while (i >= 0 && idx[i] === i + n - r) i--;
      if (i < 0) return false;
      idx[i]++;
      for (let j = i + 1; j < r; j++) idx[j] = idx[j - 1] + 1;
      return true;
    },
    (n, r) => (r > n ? null : Array.from({ length: r }, (_, i) => i)),
  );
  combIter(
    'combinations_with_replacement',
    (idx, n, r) => {
      let i = r - 1;
      while (i >= 0 && idx[i] === n - 1) i--;
      if (i < 0) return false;
      const v = idx[i] + 1;
      for (let j = i; j < r; j++) idx[j] = v;
      return true;
    },
    (n, r) => (n === 0 && r > 0 ? null : new Array(r).fill(0)),
  );
  combIter(
    'permutations',
    (idx, n, r, st) => {
      const cycles = st.cycles!;
      for (let i = r - 1; i >= 0; i--) {
        cycles[i]--;
        if (cycles[i] === 0) {
          const [x] = idx.splice(i, 1);
          idx.push(x);
          cycles[i] = n - i;
        } else {
          const j = cycles[i];
          [idx[i], idx[n - j]] = [idx[n - j], idx[i]];
          return true;
        }
      }
      return false;
    },
    (n, r) => (r > n ? null : Array.from({ length: n }, (_, i) => i)),
  );

  // accumulate(iterable, func=None, *, initial=None): refs [iterator, func, total, initial]
  iterType(
    'accumulate',
    (ty, a, k) => {
      const f = a[1] ?? k.get('func');
      const init = k.get('initial');
      return H(ty, [iter(a[0] ?? k.get('iterable')!), f && f !== rt.None ? it.incref(f) : null, null, init && init !== rt.None ? it.incref(init) : null]);
    },
    (h) => {
      if (h.refs[3]) {
        const init = h.refs[3];
        h.refs[3] = null;
        h.refs[2] = it.incref(init);
        return init;
      }
      const v = pull(h, 0);
      if (v === null) return null;
      const total = h.refs[2];
      if (!total) {
        h.refs[2] = it.incref(v);
        return v;
      }
      let nt: PyObject;
      try {
        nt = h.refs[1] ? it.call(h.refs[1], [total, v]) : it.binaryOp(total, v, BinOpCode.Add, false);
      } finally {
        it.decref(v);
      }
      h.refs[2] = nt;
      it.decref(total);
      return it.incref(nt);
    },
  );

  // takewhile / dropwhile / filterfalse: refs [predicate, iterator]
  iterType(
    'takewhile',
    (ty, a) => H(ty, [it.incref(a[0]), iter(a[1])], { stop: false }),
    (h) => {
      const st = h.state as { stop: boolean };
      if (st.stop) return null;
      const v = pull(h, 1);
      if (v === null) return null;
      if (truth(it.call(h.refs[0]!, [v]))) return v;
      it.decref(v);
      st.stop = true;
      return null;
    },
  );
  iterType(
    'dropwhile',
    (ty, a) => H(ty, [it.incref(a[0]), iter(a[1])], { start: false }),
    (h) => {
      const st = h.state as { start: boolean };
      for (;;) {
        const v = pull(h, 1);
        if (v === null) return null;
        if (st.start) return v;
        if (!truth(it.call(h.refs[0]!, [v]))) {
          st.start = true;
          return v;
        }
        it.decref(v);
      }
    },
  );
  iterType(
    'filterfalse',
    (ty, a) => H(ty, [it.incref(a[0]), iter(a[1])]),
    (h) => {
      for (;;) {
        const v = pull(h, 1);
        if (v === null) return null;
        const keep = h.refs[0] === rt.None ? !it.truthy(v) : !truth(it.call(h.refs[0]!, [v]));
        if (keep) return v;
        it.decref(v);
      }
    },
  );
  // compress(data, selectors): refs [data iterator, selector iterator]
  iterType(
    'compress',
    (ty, a, k) => H(ty, [iter(a[0] ?? k.get('data')!), iter(a[1] ?? k.get('selectors')!)]),
    (h) => {
      for (;;) {
        const v = pull(h, 0);
        if (v === null) return null;
        const s = pull(h, 1);
        if (s === null) {
          it.decref(v);
          return null;
        }
        if (truth(s)) return v;
        it.decref(v);
      }
    },
  );
  // pairwise(iterable): refs [iterator, previous item]
  iterType(
    'pairwise',
    (ty, a) => H(ty, [iter(a[0]), null]),
    (h) => {
      if (!h.refs[1]) {
        const first = pull(h, 0);
        if (first === null) return null;
        h.refs[1] = first;
      }
      const v = pull(h, 0);
      if (v === null) {
        const old = h.refs[1];
        h.refs[1] = null;
        it.xdecref(old);
        return null;
      }
      const old = h.refs[1]!;
      h.refs[1] = it.incref(v);
      return rt.newTuple([old, v]);
    },
  );

  // groupby(iterable, key=None): refs [iterator, keyfunc, target key, current key, current value]
  const grouperT = iterType(
    '_grouper',
    () => it.typeError(`cannot create 'itertools._grouper' instances`),
    (h) => {
      const parent = h.refs[0] as PyHolder;
      const ps = parent.state as { grouper: number };
      const gs = h.state as { id: number };
      if (ps.grouper !== gs.id) return null;
      if (!parent.refs[4]) {
        if (!groupbyStep(parent)) return null;
      }
      if (!it.eq(h.refs[1]!, parent.refs[3]!)) return null;
      const v = parent.refs[4]!;
      parent.refs[4] = null;
      return v;
    },
  );
  const groupbyStep = (g: PyHolder): boolean => {
    const v = pull(g, 0);
    if (v === null) return false;
    const key = g.refs[1] ? it.call(g.refs[1], [v]) : it.incref(v);
    const oldK = g.refs[3];
    const oldV = g.refs[4];
    g.refs[3] = key;
    g.refs[4] = v;
    it.xdecref(oldK);
    it.xdecref(oldV);
    return true;
  };
  let grouperIds = 0;
  iterType(
    'groupby',
    (ty, a, k) => {
      const keyf = a[1] ?? k.get('key');
      return H(ty, [iter(a[0] ?? k.get('iterable')!), keyf && keyf !== rt.None ? it.incref(keyf) : null, null, null, null], { grouper: 0 });
    },
    (h) => {
      const st = h.state as { grouper: number };
      st.grouper = 0;
      // Skip to the next key different from the target.
      for (;;) {
        if (!h.refs[3] || !h.refs[4]) {
          if (!groupbyStep(h)) return null;
        }
        if (!h.refs[2]) break;
        if (!it.eq(h.refs[2], h.refs[3]!)) break;
        if (!groupbyStep(h)) return null;
      }
      const old = h.refs[2];
      h.refs[2] = it.incref(h.refs[3]!);
      it.xdecref(old);
      st.grouper = ++grouperIds;
      const grouper = H(grouperT, [it.incref(h), it.incref(h.refs[2]!)], { id: st.grouper });
      return rt.newTuple([it.incref(h.refs[2]!), grouper]);
    },
  );

  // tee(iterable, n=2): tee objects sharing one buffer (refs [source iterator, items...]).
  const teeDataT = rt.defineStaticType('_tee_dataobject', 'other', true, 488);
  teeDataT.moduleName = 'itertools';
  const teeT = iterType(
    '_tee',
    (ty, a) => {
      const data = rt.newHolder(teeDataT, [iter(a[0])], null, 488);
      return H(ty, [data], { i: 0 });
    },
    (h) => {
      const data = h.refs[0] as PyHolder;
      const st = h.state as { i: number };
      const idx = st.i + 1;
      if (idx >= data.refs.length) {
        const v = pull(data, 0);
        if (v === null) return null;
        data.refs.push(v);
      }
      st.i++;
      return it.incref(data.refs[idx]!);
    },
  );
  it.defineMethods(teeT, { __copy__: (self) => H(teeT, [it.incref((self as PyHolder).refs[0]!)], { i: ((self as PyHolder).state as { i: number }).i }) });
  const tee: NativeFn = (_s, args) => {
    const n = args.length > 1 ? toIndex(it, args[1]) : 2;
    if (n < 0) it.raise('ValueError', 'n must be >= 0');
    if (n === 0) return it.incref(rt.emptyTuple);
    const first = it.call(teeT, [args[0]]);
    const out = [first];
    for (let i = 1; i < n; i++) out.push(H(teeT, [it.incref((first as PyHolder).refs[0]!)], { i: 0 }));
    return rt.newTuple(out);
  };

  it.extraModules.set('itertools', () => {
    const values: Record<string, () => PyObject> = {};
    for (const [name, ty] of Object.entries(types)) if (!name.startsWith('_')) values[name] = () => it.incref(ty);
    return makeModule(it, 'itertools', { tee }, values);
  });
}

/** chain.from_iterable: a classmethod-like constructor on the chain type. */
function chainFromIterable(it: Interpreter, chainT: PyType, H: (ty: PyType, refs: (PyObject | null)[], state?: unknown) => PyHolder): void {
  const fn = it.rt.newBuiltinFunction('from_iterable', (_s, args) => H(chainT, [it.getIter(args[0]), null]), null, 'chain.from_iterable');
  const w = it.rt.newWrapper(it.t.staticmethod, fn);
  // Lives in the static type's namespace for the whole run, untracked like a static type's contents.
  for (const o of [fn, w]) {
    o.ob_refcnt += it.rt.profile.immortalRefcnt;
    it.rt.gc.untrack(o);
  }
  it.defineMethods(chainT, {});
  (it.methods.get(chainT) as Map<string, PyObject>).set('from_iterable', w);
}
