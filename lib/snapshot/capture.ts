/**
 * Live heap → Snapshot: copies what objgraph would see at one step of a run
 * (and a little more) out of a running interpreter.
 *
 * Design
 * ------
 * A snapshot must not change the heap it describes, so nothing here runs
 * Python code or allocates Python objects: reprs of user instances are the
 * built-in `<mod.Class object at 0x…>` (a user `__repr__` could do
 * anything), container reprs are built here with a length budget instead of
 * by the interpreter, type long names read `__module__` from the class dict,
 * and edge labels are decided from the objects' fields, not by `getattr`.
 *
 * Which objects: every object the collector tracks (generations 0–2 in
 * `gc.get_objects()` order, then the permanent generation), then every
 * untracked object reachable from them through `tp_traverse` (small ints,
 * strs, atom-only tuples and dicts), in discovery order. References are each
 * object's `gc.get_referents` list, labelled as objgraph's `_edge_label`
 * labels the pair (the first key of a dict holding the value, the first
 * function attribute in `dir()` order, `__dict__`, `__self__`, …).
 *
 * Also here: the `refscope` module scripts import (`refscope.snapshot(label)`)
 * and {@link SnapshotRecorder}, which writes `NNN-label.json` files for
 * `refscope run --snapshots DIR`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { NULL_REF, PyBuiltinFunction, PyCode, PyFunction, PyGetSetDescriptor, PyMethod, PyModule, PyWrapper } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyBaseException, PyFrameObject } from '../heap/frames.js';
import { PyClassObj, PyInstance, PyOldInstance } from '../heap/instances.js';
import { GcFlag, type PyObject } from '../heap/object.js';
import { PyBytes, PyComplex, PyFloat, PyInt, PyStr } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import { isIdentifier } from '../objgraph/showgraph.js';
import type { Interpreter, NativeFn } from '../python/interp.js';
import { bindArgs } from '../objgraph/args.js';
import { strRepr } from '../python/text/repr.js';
import { SnapshotBuilder } from './builder.js';
import { saveSnapshot } from './json.js';
import { MAX_REPR_LENGTH, OTHER_EDGE, type EdgeLabel, type Generation, type Snapshot } from './model.js';

/** What `createdBy` says in snapshots refscope writes. */
export const CREATED_BY = 'refscope 0.1.0';

/** Options of {@link captureSnapshot}. */
export interface CaptureOptions {
  /** the script's name as the user gave it (default: the file the interpreter runs) */
  script?: string;
  /** default {@link CREATED_BY} */
  createdBy?: string;
}

/**
 * Copies the live heap of `it` into an immutable {@link Snapshot}: every
 * GC-tracked object and every untracked object reachable from them, with
 * address, serial, short and long type name, `sys.getsizeof` size, refcount,
 * generation, finalizer flags, a bounded built-in repr and objgraph's short
 * label; every reference in `tp_traverse` order with objgraph's edge label;
 * and `sys.modules`. Runs no Python code and allocates no Python objects,
 * so taking a snapshot does not disturb the run.
 *
 * @param it the interpreter whose heap to copy (usually mid-run, from a hook)
 * @param label what the step is called (`'after warmup'`, `'end'`)
 * @param step index of the step in the run, from 0
 * @example
 * ```ts
 * const { interpreter } = runSource('x = [[] for _ in range(3)]\n', 'demo.py');
 * const snap = captureSnapshot(interpreter, 'end', 0);
 * mostCommonTypes(snap, { limit: 3 });      // [['list', 4], ...]
 * saveSnapshot(snap, 'end.json');
 * ```
 */
export function captureSnapshot(it: Interpreter, label: string, step: number, opts: CaptureOptions = {}): Snapshot {
  const rt = it.rt;
  const b = new SnapshotBuilder();
  const index = new Map<PyObject, number>();
  const order: PyObject[] = [];
  const longNames = new Map<PyObject, string>();

  const add = (o: PyObject) => {
    index.set(o, b.addObject(recordOf(it, o, longNames)));
    order.push(o);
  };
  for (const o of rt.gc.allTracked()) add(o);
  // Untracked objects reachable from the ones already listed, in discovery order.
  for (let i = 0; i < order.length; i++) {
    const o = order[i]!;
    if (!(o.ob_type as PyType).isGC) continue;
    o.traverse((r) => {
      if (r !== NULL_REF && r.ob_type && !index.has(r)) add(r);
    });
  }

  const modules = it.modules as PyDict;
  for (const [k, m] of it.dictEntries(modules)) {
    const i = index.get(m);
    if (k instanceof PyStr && i !== undefined) b.addModule(k.v, i);
  }

  for (let i = 0; i < order.length; i++) {
    const o = order[i]!;
    if (!(o.ob_type as PyType).isGC) continue;
    const labelFor = edgeLabeller(it, o, longNames);
    o.traverse((r) => {
      const j = index.get(r);
      if (j !== undefined) b.addReference(i, j, labelFor(r));
    });
  }

  return b.finish({
    label,
    step,
    profile: rt.profile.version,
    script: opts.script ?? it.sources.keys().next().value ?? it.argv[0] ?? '',
    createdBy: opts.createdBy ?? CREATED_BY,
  });
}

// ------------------------------------------------------------------ objects

function recordOf(it: Interpreter, o: PyObject, longNames: Map<PyObject, string>) {
  const rt = it.rt;
  const gen: Generation = o.gcNext === null ? null : o.gen === 3 ? 'permanent' : (o.gen as 0 | 1 | 2);
  const mod = o instanceof PyModule ? moduleName(it, o) : undefined;
  return {
    address: o.id,
    serial: o.serial,
    type: shortName(o),
    typeLong: longName(it, o, longNames),
    size: rt.sizeof(o),
    refcount: o.ob_refcnt,
    gen,
    finalizer: hasDel(it, o),
    finalized: (o.gcFlags & GcFlag.FINALIZED) !== 0,
    repr: safeRepr(it, o, MAX_REPR_LENGTH + 1),
    label: shortLabel(it, o),
    ...(mod !== undefined ? { module: mod } : {}),
  };
}

function classOf(o: PyObject): PyType | PyClassObj {
  return o instanceof PyOldInstance ? (o.cls as PyClassObj) : (o.ob_type as PyType);
}

function shortName(o: PyObject): string {
  const t = classOf(o);
  return t instanceof PyClassObj ? t.name : t.tp_name;
}

/** `module.name` without calling getattr: `__module__` from the class dict, `builtins` for static types. */
function longName(it: Interpreter, o: PyObject, cache: Map<PyObject, string>): string {
  const t = classOf(o);
  const hit = cache.get(t);
  if (hit !== undefined) return hit;
  let module = '';
  let name: string;
  if (t instanceof PyClassObj) {
    name = t.name;
    const m = it.dictGetStr(t.dict as PyDict, '__module__');
    if (m instanceof PyStr) module = m.v;
  } else {
    name = t.tp_name;
    const m = t.isHeapType && t.tp_dict instanceof PyDict ? it.dictGetStr(t.tp_dict, '__module__') : null;
    module = m instanceof PyStr ? m.v : t.isHeapType ? '' : t.moduleName || 'builtins';
  }
  const long = module ? `${module}.${name}` : name;
  cache.set(t, long);
  return long;
}

function moduleName(it: Interpreter, m: PyModule): string {
  const n = it.dictGetStr(m.dict as PyDict, '__name__');
  return n instanceof PyStr ? n.v : m.name;
}

function hasDel(it: Interpreter, o: PyObject): boolean {
  if (o instanceof PyOldInstance) return (o.cls as PyClassObj).hasDel;
  return it.lookupType(o.ob_type as PyType, '__del__') !== null;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(12, '0')}`;
}

function containerLength(o: PyList | PyTuple | PyDict): number {
  return o instanceof PyDict ? o.used : o.items.length;
}

/**
 * objgraph's `_short_repr` without running Python code: names for types,
 * modules and built-in functions, `name (bound)`, `lambda: file:line`,
 * `file:line` for frames, `N items` for tuples, lists, dicts and sets, else
 * the first 40 characters of the built-in repr.
 */
function shortLabel(it: Interpreter, o: PyObject): string {
  if (o instanceof PyType) return o.tp_name;
  if (o instanceof PyModule) return moduleName(it, o);
  if (o instanceof PyBuiltinFunction) return o.name;
  if (o instanceof PyMethod) {
    const name = o.func instanceof PyFunction && o.func.name instanceof PyStr ? o.func.name.v : safeRepr(it, o.func, 40);
    return plainlyFalse(it, o.self) ? name : `${name} (bound)`;
  }
  if (o instanceof PyFunction && o.name instanceof PyStr && o.name.v === '<lambda>') {
    const f = o.code.filename;
    return `lambda: ${f.slice(f.lastIndexOf('/') + 1)}:${o.code.firstlineno}`;
  }
  if (o instanceof PyFrameObject) return `${(o.frame.code as PyCode).filename}:${o.frame.lineno}`;
  if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict) return `${containerLength(o)} items`;
  if (o instanceof PySet && it.isInstance(o, it.t.set as PyType)) return `${it.setItems(o).length} items`;
  return cut(safeRepr(it, o, 41), 40);
}

/** Falsy without asking user code: None, False, 0, empty built-in containers and strs. */
function plainlyFalse(it: Interpreter, o: PyObject): boolean {
  if (o === it.rt.None || o === it.rt.False) return true;
  if ((o.ob_type as PyType).isHeapType) return false;
  if (o instanceof PyInt) return o.v === 0 || o.v === 0n;
  if (o instanceof PyStr) return o.v.length === 0;
  if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict) return containerLength(o) === 0;
  return false;
}

/** First n code points. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  return Array.from(s).slice(0, n).join('');
}

/**
 * The built-in repr, bounded: about `budget` characters at most, built here
 * for containers (so a million-item list costs nothing and no item's
 * `__repr__` runs) and for the few built-in reprs that would call user code.
 */
function safeRepr(it: Interpreter, o: PyObject, budget: number): string {
  const seen = new Set<PyObject>();
  const rec = (x: PyObject, room: number): string => {
    if (x instanceof PyStr || x instanceof PyInt || x instanceof PyFloat || x instanceof PyComplex || x instanceof PyBytes) {
      if (x instanceof PyStr && x.v.length > room * 4 + 16) {
        // Only the head can be shown; the repr of a shortened copy starts the same way.
        if (!it.py2) return cut(strRepr(x.v.slice(0, room + 8)), room);
      }
      return it.builtinRepr(x);
    }
    if (x instanceof PyList || x instanceof PyTuple || x instanceof PyDict || x instanceof PySet) {
      if (seen.has(x)) return x instanceof PyList ? '[...]' : x instanceof PyDict ? '{...}' : `${shortName(x)}(...)`;
      seen.add(x);
      try {
        return containerRepr(x, room);
      } finally {
        seen.delete(x);
      }
    }
    if (x instanceof PyMethod) {
      const q = x.func instanceof PyFunction && x.func.qualname instanceof PyStr ? x.func.qualname.v : '?';
      return `<bound method ${q} of ${rec(x.self, room)}>`;
    }
    if (x instanceof PyBaseException) {
      const args = x.args instanceof PyTuple ? x.args.items : [];
      return `${shortName(x)}(${args.map((a) => rec(a, room)).join(', ')})`;
    }
    if (x instanceof PyGetSetDescriptor) return `<attribute '${x.name}' of '${(x.owner as PyType).tp_name}' objects>`;
    if (x instanceof PyInstance || x instanceof PyWrapper || (x.ob_type as PyType).isHeapType) {
      const t = x.ob_type as PyType;
      const m = t.tp_dict instanceof PyDict ? it.dictGetStr(t.tp_dict, '__module__') : null;
      const mod = m instanceof PyStr && m.v !== 'builtins' ? `${m.v}.` : '';
      return `<${mod}${t.qualname} object at ${hex(x.id)}>`;
    }
    try {
      return it.builtinRepr(x);
    } catch {
      return `<${shortName(x)} object at ${hex(x.id)}>`;
    }
  };
  const containerRepr = (x: PyList | PyTuple | PyDict | PySet, room: number): string => {
    const parts: string[] = [];
    let used = 2;
    const push = (s: string) => {
      parts.push(s);
      used += s.length + 2;
      return used < room;
    };
    let truncated = false;
    if (x instanceof PyDict) {
      for (let i = 0; i < x.nentries; i++) {
        const k = x.keyAt(i);
        if (k === null) continue;
        if (!push(`${rec(k, room - used)}: ${rec(x.valueAt(i)!, room - used)}`)) {
          truncated = true;
          break;
        }
      }
    } else {
      const items = x instanceof PySet ? it.setItems(x) : x.items;
      for (const item of items) {
        if (!push(rec(item, room - used))) {
          truncated = true;
          break;
        }
      }
    }
    const inner = parts.join(', ') + (truncated ? ', ...' : '');
    if (x instanceof PyList) return `[${inner}]`;
    if (x instanceof PyTuple) return parts.length === 1 && !truncated ? `(${inner},)` : `(${inner})`;
    if (x instanceof PyDict) return x.ob_type === it.t.dict ? `{${inner}}` : `${shortName(x)}({${inner}})`;
    if (parts.length === 0) return `${shortName(x)}()`;
    return x.ob_type === it.t.set ? `{${inner}}` : `${shortName(x)}({${inner}})`;
  };
  return cut(rec(o, budget), budget);
}

// ------------------------------------------------------------------ edges

/** The names a Python function's referents can be reached by, in `dir()` order, with their values. */
function functionAttrs(f: PyFunction, none: PyObject): Array<[string, PyObject | null]> {
  return [
    ['__annotations__', f.annotations],
    ['__builtins__', f.builtins],
    ['__closure__', f.closure ?? none],
    ['__code__', f.code],
    ['__defaults__', f.defaults ?? none],
    ['__dict__', f.dict],
    ['__doc__', f.doc ?? none],
    ['__globals__', f.globals],
    ['__kwdefaults__', f.kwdefaults ?? none],
    ['__module__', f.module ?? none],
    ['__name__', f.name],
    ['__qualname__', f.qualname],
  ];
}

/** The `__dict__` an object shows through getattr, if it is a real dict object (not a type's mappingproxy). */
function ownDict(o: PyObject): PyObject | null {
  if (o instanceof PyType) return null;
  if (o instanceof PyInstance || o instanceof PyModule || o instanceof PyFunction || o instanceof PyOldInstance || o instanceof PyClassObj || o instanceof PyWrapper) {
    return (o as { dict: PyObject | null }).dict;
  }
  if (o instanceof PyDict) return o.instDict;
  return null;
}

/**
 * objgraph's `_edge_label(source, target)` for every referent of `source`,
 * decided from fields (no getattr, no user code). Dict sources index their
 * entries once, so labelling all of a big dict's edges stays linear.
 */
function edgeLabeller(it: Interpreter, source: PyObject, longNames: Map<PyObject, string>): (target: PyObject) => EdgeLabel {
  const d = ownDict(source);
  const none = it.rt.None;
  let fnAttrs: Array<[string, PyObject | null]> | null = null;
  let firstKey: Map<PyObject, PyObject> | null = null;
  return (target) => {
    if (d !== null && target === d && target instanceof PyDict) return { kind: '__dict__' };
    if (source instanceof PyFrameObject) {
      if (source.frame.locals !== null && target === source.frame.locals) return { kind: 'attribute', name: 'f_locals' };
      if (target === source.frame.globals) return { kind: 'attribute', name: 'f_globals' };
    }
    if (source instanceof PyMethod) {
      if (target === source.self) return { kind: '__self__' };
      if (target === source.func) return { kind: '__func__' };
    }
    if (source instanceof PyFunction) {
      if (fnAttrs === null) {
        fnAttrs = functionAttrs(source, none);
        if (source.dict instanceof PyDict) {
          for (const [k, v] of it.dictEntries(source.dict)) if (k instanceof PyStr) fnAttrs.push([k.v, v]);
          fnAttrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        }
      }
      for (const [name, v] of fnAttrs) {
        if (v === target) return name === '__globals__' ? { kind: '__globals__' } : name === '__dict__' ? { kind: '__dict__' } : { kind: 'attribute', name };
      }
    }
    if (source instanceof PyDict) {
      if (firstKey === null) {
        firstKey = new Map();
        for (let i = 0; i < source.nentries; i++) {
          const k = source.keyAt(i);
          const v = source.valueAt(i);
          if (k !== null && v && !firstKey.has(v)) firstKey.set(v, k);
        }
      }
      const k = firstKey.get(target);
      if (k !== undefined) {
        if (k instanceof PyStr && isIdentifier(k.v)) return { kind: 'key', name: k.v };
        return { kind: 'key-repr', keyType: shortName(k), keyTypeLong: longName(it, k, longNames), keyRepr: shortLabel(it, k) };
      }
    }
    return OTHER_EDGE;
  };
}

// ------------------------------------------------------------------ steps

/** A label as a file name part: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function labelForFile(label: string): string {
  const s = label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return s || 'snapshot';
}

/**
 * Writes one snapshot file per step into a directory: `000-label.json`,
 * `001-label.json`, …, numbered in call order (what `refscope run --snapshots`
 * does). Returns the paths written.
 *
 * @example
 * const rec = new SnapshotRecorder('snaps', 'leak.py');
 * rec.record(it, 'before');   // snaps/000-before.json
 * rec.record(it, 'end');      // snaps/001-end.json
 */
export class SnapshotRecorder {
  private step = 0;
  readonly written: string[] = [];
  constructor(
    readonly dir: string,
    readonly script?: string,
  ) {}

  record(it: Interpreter, label: string): string {
    mkdirSync(this.dir, { recursive: true });
    const step = this.step++;
    const file = path.join(this.dir, `${String(step).padStart(3, '0')}-${labelForFile(label)}.json`);
    saveSnapshot(captureSnapshot(it, label, step, { script: this.script }), file);
    this.written.push(file);
    return file;
  }
}

/**
 * Makes `import refscope` available to scripts run by `it`:
 * `refscope.snapshot(label='snapshot')` captures the heap as a step (handed
 * to `onSnapshot`, e.g. {@link SnapshotRecorder.record}) and returns None.
 * Without `onSnapshot` the call does nothing.
 */
export function installRefscopeModule(it: Interpreter, onSnapshot?: (label: string) => void): void {
  it.extraModules.set('refscope', () => {
    const rt = it.rt;
    const d = rt.newDict();
    const m = rt.newModule('refscope', d);
    it.dictSetStr(d, '__name__', it.str('refscope'));
    const impl: NativeFn = (_self, args, kwnames) => {
      const labelObj = bindArgs(it, 'snapshot', [{ name: 'label', optional: true }], args, kwnames).get('label');
      const label = labelObj === undefined ? 'snapshot' : it.strString(labelObj);
      onSnapshot?.(label);
      return it.none();
    };
    const snapshot = rt.newBuiltinFunction('snapshot', impl, it.incref(m));
    it.dictSetStr(d, 'snapshot', snapshot);
    return m;
  });
}
