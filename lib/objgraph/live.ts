/**
 * objgraph's view of a live simulated heap: type names, node labels, edge
 * labels, referents and referrers, exactly as objgraph computes them on
 * CPython with `type()`, `repr()`, `getattr()`, `gc.get_referents()` and
 * `gc.get_referrers()`.
 *
 * Design
 * ------
 * objgraph runs inside the interpreter it measures, so every helper here
 * goes through the interpreter's own protocol where objgraph does (a user
 * `__repr__` is called for a label, `obj.__self__` is tested for truth,
 * `getattr(source, '__dict__')` is asked for an edge label, which
 * materialises a 3.11 instance dict or a function dict exactly as it does on
 * CPython). What objgraph keeps in its own lists, sets and frames (the queue,
 * the ignore set, the neighbour lists) lives on the JavaScript side here, so
 * it never shows up as a referrer, which is what objgraph's ignore set
 * achieves on CPython.
 *
 * Referrers come from a reverse index over the tracked objects built in one
 * pass (objgraph calls `gc.get_referrers` per node, a scan of the whole heap
 * each time). The index is rebuilt when anything was allocated since it was
 * built (a user callback ran Python code), and a referrer that stopped being
 * tracked since (freed) is skipped, so callbacks cannot make it lie.
 */
import { PyBuiltinFunction, PyCode, PyFunction, PyMethod, PyModule } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyFrameObject } from '../heap/frames.js';
import { PyClassObj, PyInstance, PyOldInstance } from '../heap/instances.js';
import type { PyObject } from '../heap/object.js';
import { PyInt, PyStr } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import type { Runtime } from '../heap/runtime.js';
import { PyExc } from '../python/errors.js';
import type { Interpreter } from '../python/interp.js';
import { edgeLabelSuffix, isIdentifier } from './showgraph.js';

/** Python's `s[:n]` on a str: code points, not UTF-16 units. */
export function pySlice(s: string, n: number): string {
  if (s.length <= n) return s;
  let out = '';
  let count = 0;
  for (const ch of s) {
    if (count++ === n) break;
    out += ch;
  }
  return out;
}

/** The class objgraph names an object by: `type(obj)`, or the class of a 2.7 old-style instance. */
function typeOfForName(o: PyObject): PyType | PyClassObj {
  if (o instanceof PyOldInstance) return o.cls as PyClassObj;
  return o.ob_type as PyType;
}

/** objgraph's `_short_typename`: `type(obj).__name__`. */
export function shortTypeName(it: Interpreter, o: PyObject): string {
  void it;
  return classShortName(typeOfForName(o));
}

/** `__name__` of the class objgraph names an object by. */
function classShortName(t: PyType | PyClassObj): string {
  return t instanceof PyClassObj ? t.name : t.tp_name;
}

/**
 * objgraph's `_long_typename`: `'%s.%s' % (type.__module__, type.__name__)`,
 * or just the name when `__module__` is missing or empty. `cache` (one per
 * objgraph call) keeps a heap walk from asking each type again.
 */
export function longTypeName(it: Interpreter, o: PyObject, cache?: Map<PyObject, string>): string {
  return classLongName(it, typeOfForName(o), cache);
}

/** {@link longTypeName} of a class. */
function classLongName(it: Interpreter, t: PyType | PyClassObj, cache?: Map<PyObject, string>): string {
  const hit = cache?.get(t);
  if (hit !== undefined) return hit;
  let name: string;
  let module = '';
  if (t instanceof PyClassObj) {
    name = t.name;
    const m = it.dictGetStr(t.dict as PyDict, '__module__');
    if (m instanceof PyStr) module = m.v;
  } else {
    name = t.tp_name;
    const m = it.getattrOrNull(t, '__module__');
    if (m) {
      // objgraph tests truthiness and formats with %s.
      if (it.truthy(m)) module = it.strString(m);
      it.decref(m);
    }
  }
  const long = module ? `${module}.${name}` : name;
  cache?.set(t, long);
  return long;
}

/** The type name in the form objgraph's `shortnames` flag asks for. */
export function typeName(it: Interpreter, o: PyObject, shortnames: boolean, cache?: Map<PyObject, string>): string {
  return shortnames ? shortTypeName(it, o) : longTypeName(it, o, cache);
}

/** `isinstance(exc, Exception)`: what objgraph's `except Exception` catches. */
export function isException(it: Interpreter, e: unknown): e is PyExc {
  return e instanceof PyExc && it.isInstance(e.exc, it.exc.Exception as PyType);
}

/** `repr(obj)[:40]`, calling a user `__repr__` as objgraph does. */
function reprCut(it: Interpreter, o: PyObject): string {
  return pySlice(it.reprString(o), 40);
}

/** objgraph's `_name_or_repr`: `__name__` if it is a str, else `repr(value)[:40]`. */
function nameOrRepr(it: Interpreter, o: PyObject): string {
  let name: PyObject | null;
  try {
    name = it.getattrOrNull(o, '__name__');
  } catch (e) {
    if (e instanceof PyExc && it.isInstance(e.exc, it.exc.AttributeError as PyType)) name = null;
    else throw e;
  }
  if (name === null) return reprCut(it, o);
  try {
    if (name instanceof PyStr) return name.v;
  } finally {
    it.decref(name);
  }
  return reprCut(it, o);
}

/** The part of a path after its last `/` (os.path.basename). */
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function isSizedContainer(it: Interpreter, o: PyObject): boolean {
  if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict) return true;
  return o instanceof PySet && it.isInstance(o, it.t.set as PyType);
}

/**
 * objgraph's `_short_repr`: a name for types, modules and built-in
 * functions; `name (bound)` for bound methods (when `__self__` is true);
 * `lambda: file.py:line`; `file:line` for frames; `N items` for tuples,
 * lists, dicts and sets; otherwise `repr(obj)[:40]`. May raise (a user
 * `__repr__`, `__bool__` or `__len__`); see {@link safeRepr}.
 */
export function shortRepr(it: Interpreter, o: PyObject): string {
  if (o instanceof PyType || o instanceof PyModule || o instanceof PyBuiltinFunction) return nameOrRepr(it, o);
  if (o instanceof PyMethod) {
    const name = nameOrRepr(it, o.func);
    return it.truthy(o.self) ? `${name} (bound)` : name;
  }
  if (o instanceof PyFunction && o.name instanceof PyStr && o.name.v === '<lambda>') {
    return `lambda: ${basename(o.code.filename)}:${o.code.firstlineno}`;
  }
  if (o instanceof PyFrameObject) return `${(o.frame.code as PyCode).filename}:${o.frame.lineno}`;
  if (isSizedContainer(it, o)) return `${it.len(o)} items`;
  return reprCut(it, o);
}

/** objgraph's `_safe_repr`: {@link shortRepr}, or `(unrepresentable)` if it raises an Exception. */
export function safeRepr(it: Interpreter, o: PyObject): string {
  try {
    return shortRepr(it, o);
  } catch (e) {
    if (isException(it, e)) return '(unrepresentable)';
    throw e;
  }
}

/** Options of objgraph's `_obj_label`. */
export interface LabelOptions {
  shortnames: boolean;
  /** `[N]` after the type name (objgraph's refcounts=True) */
  refcount?: (o: PyObject) => number;
  /** `str(extra_info(obj))` as a third line */
  extraInfo?: (o: PyObject) => string;
}

/** objgraph's `_obj_label` before quoting: type name [refcount], short repr, extra info. */
export function objLabel(it: Interpreter, o: PyObject, opts: LabelOptions, cache?: Map<PyObject, string>): string {
  let first = typeName(it, o, opts.shortnames, cache);
  if (opts.refcount) first += ` [${opts.refcount(o)}]`;
  const lines = [first, safeRepr(it, o)];
  if (opts.extraInfo) lines.push(opts.extraInfo(o));
  return lines.join('\n');
}

/** `getattr(o, name, None)`: a new reference or null; only AttributeError means "none". */
function getattrOrNone(it: Interpreter, o: PyObject, name: string): PyObject | null {
  try {
    return it.getattrOrNull(o, name);
  } catch (e) {
    if (e instanceof PyExc && it.isInstance(e.exc, it.exc.AttributeError as PyType)) return null;
    throw e;
  }
}

/** `getattr(o, name, None) is target`, releasing the attribute. */
function attrIs(it: Interpreter, o: PyObject, name: string, target: PyObject): boolean {
  const v = getattrOrNone(it, o, name);
  if (v === null) return false;
  it.decref(v);
  return v === target;
}

/**
 * The attributes of a Python function that `dir()` lists and that can hold
 * a referent, in `dir()`'s alphabetical order. The rest of `dir(function)`
 * are methods and slot wrappers, fresh objects that are never `is` a
 * referent. `__dict__` keys set by the user are merged in by name.
 */
const FUNCTION_ATTRS = [
  '__annotations__',
  '__builtins__',
  '__closure__',
  '__code__',
  '__defaults__',
  '__dict__',
  '__doc__',
  '__globals__',
  '__kwdefaults__',
  '__module__',
  '__name__',
  '__qualname__',
];

/**
 * objgraph's `_edge_label(source, target)`, where source is the referrer:
 * the DOT attribute suffix (` [label="x",weight=2]`) or `''`.
 */
export function edgeLabel(it: Interpreter, source: PyObject, target: PyObject, shortnames: boolean, cache?: Map<PyObject, string>): string {
  // 1. target is source.__dict__ (a type's __dict__ is a fresh mappingproxy, never its dict).
  if (target instanceof PyDict && !(source instanceof PyType) && attrIs(it, source, '__dict__', target)) {
    return edgeLabelSuffix('__dict__', 10);
  }
  // 2. frames: f_locals / f_globals
  if (source instanceof PyFrameObject) {
    if (source.frame.locals !== null && target === source.frame.locals) return edgeLabelSuffix('f_locals', 10);
    if (target === source.frame.globals) return edgeLabelSuffix('f_globals', 10);
  }
  // 3. bound methods
  if (source instanceof PyMethod) {
    if (target === source.self) return edgeLabelSuffix('__self__', 10);
    if (target === source.func) return edgeLabelSuffix('__func__', 10);
  }
  // 4. Python functions: the first attribute in dir() order that is the target.
  if (source instanceof PyFunction) {
    // dir() reads __dict__ first, which creates the function's dict on CPython too.
    const d = getattrOrNone(it, source, '__dict__');
    const names = new Set(FUNCTION_ATTRS);
    if (d instanceof PyDict) for (const [k] of it.dictEntries(d)) if (k instanceof PyStr) names.add(k.v);
    it.xdecref(d);
    for (const name of [...names].sort(comparePy)) {
      if (attrIs(it, source, name, target)) return edgeLabelSuffix(name, 10);
    }
  }
  // 5. dicts: the first key whose value is the target.
  if (source instanceof PyDict) {
    const n = source.nentries;
    for (let i = 0; i < n; i++) {
      const k = source.keyAt(i);
      if (k === null || source.valueAt(i) !== target) continue;
      if (k instanceof PyStr && isIdentifier(k.v)) return edgeLabelSuffix(k.v, 2);
      return edgeLabelSuffix(`${typeName(it, k, shortnames, cache)}\n${safeRepr(it, k)}`);
    }
  }
  return '';
}

/** Python's str ordering (code points). */
function comparePy(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `gc.get_referents(o)` as borrowed references, in tp_traverse order (nothing for non-GC types). */
export function referents(o: PyObject): PyObject[] {
  const out: PyObject[] = [];
  if ((o.ob_type as PyType).isGC) o.traverse((r) => out.push(r));
  return out;
}

/**
 * Calls `fn` for every object `gc.get_objects()` would list, in its order
 * (generation 0, 1, 2, each oldest first), without building the list. The
 * generation lists are walked in place, so `fn` must not run Python code
 * (an allocation could collect and move objects between lists).
 */
export function forEachTracked(rt: Runtime, fn: (o: PyObject) => void): void {
  for (const head of rt.gc.heads) for (let o = head.gcNext!; o !== head; o = o.gcNext!) fn(o);
}

/**
 * How many of the objects `each` feeds belong to each class objgraph names
 * objects by, classes in first-seen order: one Map update per object and no
 * string work, so the heap walk stays cheap and runs no Python code.
 */
export function classCounts(each: (fn: (o: PyObject) => void) => void): Map<PyType | PyClassObj, number> {
  const perClass = new Map<PyType | PyClassObj, number>();
  each((o) => {
    const t = typeOfForName(o);
    perClass.set(t, (perClass.get(t) ?? 0) + 1);
  });
  return perClass;
}

/**
 * {@link classCounts} over the tracked objects (`gc.get_objects()` order).
 * The walk is split by the commonest classes, as the collector's are (see
 * "Monomorphic sites" in ../gc/collector.ts), and a heap's objects come in
 * runs of few classes, so the last class's count is kept at hand.
 */
export function trackedClassCounts(rt: Runtime): Map<PyType | PyClassObj, number> {
  const classes: Array<PyType | PyClassObj> = [];
  const counts: number[] = [];
  const slotOf = new Map<PyType | PyClassObj, number>();
  let last: PyType | PyClassObj | null = null;
  let lastSlot = -1;
  for (const head of rt.gc.heads) {
    for (let o = head.gcNext!; o !== head; ) {
      let t: PyType | PyClassObj;
      const c = o.constructor;
      if (c === PyInstance) {
        const x = o as PyInstance;
        t = x.ob_type as PyType;
        o = x.gcNext!;
      } else if (c === PyList) {
        const x = o as PyList;
        t = x.ob_type as PyType;
        o = x.gcNext!;
      } else if (c === PyDict) {
        const x = o as PyDict;
        t = x.ob_type as PyType;
        o = x.gcNext!;
      } else if (c === PyTuple) {
        const x = o as PyTuple;
        t = x.ob_type as PyType;
        o = x.gcNext!;
      } else {
        const x = o;
        t = typeOfForName(x);
        o = x.gcNext!;
      }
      if (t !== last) {
        last = t;
        const slot = slotOf.get(t);
        if (slot === undefined) {
          lastSlot = classes.length;
          slotOf.set(t, lastSlot);
          classes.push(t);
          counts.push(0);
        } else {
          lastSlot = slot;
        }
      }
      counts[lastSlot]++;
    }
  }
  const perClass = new Map<PyType | PyClassObj, number>();
  for (let i = 0; i < classes.length; i++) perClass.set(classes[i]!, counts[i]!);
  return perClass;
}

/**
 * objgraph's `typestats` without a filter, from {@link classCounts}: name →
 * count in first-seen order. A name's first class is the class of its first
 * object, so names come out in the order objgraph's dict inserts them, also
 * when two classes share a short name.
 */
export function namedCounts(
  it: Interpreter,
  perClass: Map<PyType | PyClassObj, number>,
  shortnames: boolean,
  cache?: Map<PyObject, string>,
): Map<string, number> {
  const stats = new Map<string, number>();
  for (const [t, n] of perClass) {
    const name = shortnames ? classShortName(t) : classLongName(it, t, cache);
    stats.set(name, (stats.get(name) ?? 0) + n);
  }
  return stats;
}

/**
 * Whether a class's name is `name` in objgraph's `count`/`by_type` sense
 * (the long name when `name` contains a dot), decided once per class. The
 * long name asks the class for `__module__`, which can run Python code.
 */
export function classNameIs(it: Interpreter, name: string): (t: PyType | PyClassObj) => boolean {
  const long = name.includes('.');
  const decided = new Map<PyObject, boolean>();
  return (t) => {
    let answer = decided.get(t);
    if (answer === undefined) {
      answer = (long ? classLongName(it, t) : classShortName(t)) === name;
      decided.set(t, answer);
    }
    return answer;
  };
}

/** The class objgraph names `o` by (`type(o)`, or the class of a 2.7 old-style instance). */
export function nameClass(o: PyObject): PyType | PyClassObj {
  return typeOfForName(o);
}

/**
 * `gc.get_referrers(o)` answered from a reverse index: for each object, the
 * tracked objects that refer to it, each once, in `gc.get_objects()` order.
 *
 * Design
 * ------
 * The index is built in one walk over the tracked objects (objgraph calls
 * `gc.get_referrers` per node, a scan of the whole heap each time), and is
 * laid out in typed arrays so that building it allocates no JS object per
 * edge or per target (on a heap of a few hundred thousand objects, a Map of
 * arrays cost more in allocation and V8 collections than the walk itself):
 *
 *   sources     the tracked objects in walk order; an edge names its
 *               source by position here
 *   edgeSource, edgeNext
 *               one entry per (target, source) pair: the source's position
 *               and the target's previous edge (-1 ends the chain), so each
 *               target's edges form a list, newest first
 *   table       open addressing from a target's key to its newest edge; the
 *               key is the object's `serial` (its allocation number, unique
 *               for the whole run), or a negative number handed out on
 *               demand to the few objects never registered with the
 *               runtime (serial 0)
 *
 * A source's visits are consecutive, so a source that refers to a target
 * twice is recognised by the target's newest edge, and each referrer is
 * listed once. Reading a list backwards gives walk order.
 *
 * A search only ever asks for the referrers of its roots and of objects the
 * index handed out, which were tracked when it was built; so the first build
 * records only edges into tracked objects and the roots, which skips the bulk
 * of a heap's edges (ints, strings, untracked dicts and tuples). When
 * anything was allocated since the build (a user callback ran Python code),
 * the index is rebuilt, then over every edge: what the callback untracked may
 * still be asked for. A referrer that stopped being tracked since the build
 * (freed) is skipped, so callbacks cannot make it lie.
 */
export class ReferrerIndex {
  private sources: PyObject[] = [];
  private edgeSource = new Int32Array(1024);
  private edgeNext = new Int32Array(1024);
  private edges = 0;
  /** keys (0 = empty slot); 32-bit while every serial fits, which is any run of fewer than 2^31 allocations */
  private tableKey: Int32Array | Float64Array = new Int32Array(0);
  /** newest edge of the slot's target */
  private tableHead = new Int32Array(0);
  private tableMask = 0;
  private tableUsed = 0;
  /** keys of objects without a serial */
  private readonly unregistered = new Map<PyObject, number>();
  private builtAt = -1;
  private readonly roots: Set<PyObject>;
  private untrackedRoots = new Set<PyObject>();
  /** the position in `sources` of the object whose referents are being visited */
  private src = -1;

  /** `roots`: the objects a search starts from (they may be untracked: an int, an untracked tuple). */
  constructor(
    private readonly it: Interpreter,
    roots: Iterable<PyObject>,
  ) {
    this.roots = new Set(roots);
  }

  /** Referrers of `o` (borrowed), in `gc.get_objects()` order. */
  referrers(o: PyObject): PyObject[] {
    if (this.builtAt !== this.it.rt.serial()) this.build(this.builtAt !== -1);
    const out: PyObject[] = [];
    const slot = this.find(this.keyOf(o));
    if (this.tableKey[slot] === 0) return out;
    for (let e = this.tableHead[slot]!; e !== -1; e = this.edgeNext[e]!) {
      const r = this.sources[this.edgeSource[e]!]!;
      // A referrer freed by a callback since the build is no longer tracked.
      if (r.gcNext !== null) out.push(r);
    }
    return out.reverse();
  }

  private build(everyEdge: boolean): void {
    const rt = this.it.rt;
    const sources: PyObject[] = [];
    this.sources = sources;
    this.edges = 0;
    // Every target is a live object: size the table for all of them at half load, so it never grows.
    this.resetTable(rt.liveObjects + this.roots.size);
    // Roots untracked now stay keys; tracked ones are keys anyway.
    this.untrackedRoots = new Set([...this.roots].filter((r) => r.gcNext === null));
    const visit = everyEdge ? this.record : this.untrackedRoots.size ? this.recordTrackedOrRoot : this.recordTracked;
    // One pass: each source is visited while it is in cache. The walk is
    // split by the commonest classes, as the collector's are (see "Monomorphic
    // sites" in ../gc/collector.ts): forEachTracked(rt, ...) in effect.
    for (const head of rt.gc.heads) {
      for (let o = head.gcNext!; o !== head; ) {
        this.src = sources.length;
        const c = o.constructor;
        if (c === PyInstance) {
          const x = o as PyInstance;
          sources.push(x);
          x.traverse(visit);
          o = x.gcNext!;
        } else if (c === PyList) {
          const x = o as PyList;
          sources.push(x);
          x.traverse(visit);
          o = x.gcNext!;
        } else if (c === PyDict) {
          const x = o as PyDict;
          sources.push(x);
          x.traverse(visit);
          o = x.gcNext!;
        } else if (c === PyTuple) {
          const x = o as PyTuple;
          sources.push(x);
          x.traverse(visit);
          o = x.gcNext!;
        } else {
          const x = o;
          sources.push(x);
          x.traverse(visit);
          o = x.gcNext!;
        }
      }
    }
    this.src = -1;
    this.builtAt = this.it.rt.serial();
  }

  /** record for tracked targets only, split by class like the build's walk. */
  private readonly recordTracked = (dst: PyObject): void => {
    const c = dst.constructor;
    if (c === PyInt) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (c === PyInstance) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (c === PyList) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (c === PyDict) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (c === PyStr) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (c === PyType) {
      const x = dst;
      if (x.gcNext !== null) this.recordKey(x.serial, x);
    } else if (dst.gcNext !== null) {
      this.record(dst);
    }
  };

  private readonly recordTrackedOrRoot = (dst: PyObject): void => {
    if (dst.gcNext !== null || this.untrackedRoots.has(dst)) this.record(dst);
  };

  /** Adds the current source to `dst`'s referrers unless it is already the newest one. */
  private readonly record = (dst: PyObject): void => {
    this.recordKey(dst.serial, dst);
  };

  /** record, given the target's serial (read by the caller, whose access sites know the class). */
  private recordKey(serial: number, dst: PyObject): void {
    const key = serial !== 0 ? serial : this.keyOf(dst);
    let slot = this.find(key);
    if (this.tableKey[slot] === 0) {
      if (2 * (this.tableUsed + 1) > this.tableMask + 1) {
        this.growTable();
        slot = this.find(key);
      }
      this.tableKey[slot] = key;
      this.tableHead[slot] = -1;
      this.tableUsed++;
    }
    const head = this.tableHead[slot]!;
    if (head !== -1 && this.edgeSource[head] === this.src) return;
    const e = this.edges++;
    if (e === this.edgeSource.length) {
      const grownSource = new Int32Array(2 * e);
      grownSource.set(this.edgeSource);
      this.edgeSource = grownSource;
      const grownNext = new Int32Array(2 * e);
      grownNext.set(this.edgeNext);
      this.edgeNext = grownNext;
    }
    this.edgeSource[e] = this.src;
    this.edgeNext[e] = head;
    this.tableHead[slot] = e;
  }

  private keyOf(o: PyObject): number {
    if (o.serial !== 0) return o.serial;
    let key = this.unregistered.get(o);
    if (key === undefined) this.unregistered.set(o, (key = -1 - this.unregistered.size));
    return key;
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private find(key: number): number {
    const mask = this.tableMask;
    const keys = this.tableKey;
    // Fibonacci hashing of the low 32 bits; serials are consecutive integers.
    let slot = Math.imul(key | 0, 0x9e3779b1) & mask;
    for (;;) {
      const k = keys[slot];
      if (k === key || k === 0) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private resetTable(expected: number): void {
    let size = 1024;
    while (size < 2 * expected) size *= 2;
    this.tableKey = this.it.rt.serial() < 0x7fffffff ? new Int32Array(size) : new Float64Array(size);
    this.tableHead = new Int32Array(size);
    this.tableMask = size - 1;
    this.tableUsed = 0;
  }

  private growTable(): void {
    const keys = this.tableKey;
    const heads = this.tableHead;
    this.resetTable(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === 0) continue;
      const slot = this.find(k);
      this.tableKey[slot] = k;
      this.tableHead[slot] = heads[i]!;
      this.tableUsed++;
    }
  }
}
