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
import { PyClassObj, PyOldInstance } from '../heap/instances.js';
import type { PyObject } from '../heap/object.js';
import { PyStr } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
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
  const t = typeOfForName(o);
  if (t instanceof PyClassObj) return t.name;
  void it;
  return t.tp_name;
}

/**
 * objgraph's `_long_typename`: `'%s.%s' % (type.__module__, type.__name__)`,
 * or just the name when `__module__` is missing or empty. `cache` (one per
 * objgraph call) keeps a heap walk from asking each type again.
 */
export function longTypeName(it: Interpreter, o: PyObject, cache?: Map<PyObject, string>): string {
  const t = typeOfForName(o);
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
    const ks = source.ks;
    const vs = source.vs;
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (k === null || vs[i] !== target) continue;
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
 * `gc.get_referrers(o)` answered from a reverse index: for each object, the
 * tracked objects that refer to it, each once, in `gc.get_objects()` order.
 */
export class ReferrerIndex {
  private index = new Map<PyObject, PyObject[]>();
  private builtAt = -1;

  constructor(private readonly it: Interpreter) {}

  /** Referrers of `o` (borrowed). */
  referrers(o: PyObject): PyObject[] {
    const rt = this.it.rt;
    if (this.builtAt !== rt.serial()) this.build();
    const list = this.index.get(o);
    if (!list) return [];
    // A referrer freed by a callback since the build is no longer tracked.
    return list.every((r) => r.gcNext !== null) ? list : list.filter((r) => r.gcNext !== null);
  }

  private build(): void {
    const index = new Map<PyObject, PyObject[]>();
    for (const src of this.it.rt.gc.objects(null)) {
      src.traverse((dst) => {
        const list = index.get(dst);
        if (list === undefined) index.set(dst, [src]);
        else if (list[list.length - 1] !== src) list.push(src);
      });
    }
    this.index = index;
    this.builtAt = this.it.rt.serial();
  }
}
