/**
 * `import objgraph` inside a script: objgraph 3.5's public API as a native
 * module of the simulated interpreter.
 *
 * Every function keeps objgraph's signature, defaults, implicit
 * `gc.collect()`, ordering and tie-breaking rules, messages and exceptions,
 * and prints byte-identical text (see ../../../shared/reference/objgraph.md).
 * The computations are in ./live.ts (names, labels, edges, referrers) and
 * ./showgraph.ts (the DOT writer); this file binds arguments, runs the
 * searches, and talks to files and stdout.
 *
 * What objgraph keeps in Python containers (queues, ignore sets, neighbour
 * lists, the `objects` list) is kept in JavaScript here, so none of it can
 * appear in a graph, a chain or a count. The references objgraph's
 * containers hold are still taken (a node waiting in the queue is kept
 * alive while user callbacks run), and `refcounts=True` subtracts them again.
 *
 * State objgraph keeps in mutable default arguments (`growth`'s
 * `peak_stats={}`, `get_new_ids`'s `_state={}`) lives per interpreter.
 *
 * Rendering: objgraph runs Graphviz's `dot` and waits; refscope renders with
 * Graphviz compiled to WebAssembly, which is asynchronous, so the image is
 * written in the background and the same lines are printed at once.
 * `objgraphRenders(it)` resolves when every image is on disk.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PyModule } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyClassObj, PyOldInstance } from '../heap/instances.js';
import type { PyObject } from '../heap/object.js';
import { PyInt, PyStr } from '../heap/scalars.js';
import type { PyType } from '../heap/types.js';
import type { Interpreter } from '../python/interp.js';
import { formatFromFilename, renderDot, UnsupportedFormatError } from '../render/render.js';
import { bindArgs, given, type Bound, type Param } from './args.js';
import {
  classCounts,
  classNameIs,
  edgeLabel,
  forEachTracked,
  longTypeName,
  nameClass,
  namedCounts,
  objLabel,
  referents,
  ReferrerIndex,
  shortTypeName,
  trackedClassCounts,
  typeName,
} from './live.js';
import { showGraph, type GraphModel } from './showgraph.js';

/** Per-interpreter objgraph state (objgraph's mutable default arguments) and pending renders. */
interface ObjgraphState {
  /** growth()'s shared `peak_stats={}` */
  peakStats: Map<string, number>;
  /** get_new_ids()'s `_state` */
  newIds: { old: Map<string, Set<number>>; current: Map<string, Set<number>>; new: PyObject; shortnames: boolean } | null;
  renders: Promise<void>[];
}

const states = new WeakMap<Interpreter, ObjgraphState>();

function stateOf(it: Interpreter): ObjgraphState {
  let s = states.get(it);
  if (!s) {
    s = { peakStats: new Map(), newIds: null, renders: [] };
    states.set(it, s);
  }
  return s;
}

/**
 * Makes `import objgraph` available to scripts run by `it`.
 * @example
 * const it = createInterpreter();
 * installObjgraph(it);   // createInterpreter already does this
 */
export function installObjgraph(it: Interpreter): void {
  it.extraModules.set('objgraph', () => buildModule(it));
}

/**
 * Resolves when every image an objgraph call of this interpreter started
 * (`filename='x.png'`) has been written. Render errors are reported on the
 * interpreter's stderr, never thrown.
 */
export async function objgraphRenders(it: Interpreter): Promise<void> {
  const s = states.get(it);
  if (!s) return;
  while (s.renders.length) await Promise.all(s.renders.splice(0));
}

// ------------------------------------------------------------------ helpers

const p = (name: string, optional = true): Param => ({ name, optional });

function truthyArg(it: Interpreter, v: PyObject | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : it.truthy(v);
}

/** A Python callable as a JS predicate (`bool(f(o))`). */
function predicate(it: Interpreter, f: PyObject): (o: PyObject) => boolean {
  return (o) => {
    const r = it.call(f, [o]);
    try {
      return it.truthy(r);
    } finally {
      it.decref(r);
    }
  };
}

function intArg(it: Interpreter, v: PyObject | undefined, dflt: number | null): number | null {
  if (v === undefined || v === it.rt.None) return v === undefined ? dflt : null;
  if (!(v instanceof PyInt)) it.typeError(`'${it.typeName(v)}' object cannot be interpreted as an integer`);
  return Number(v.v);
}

function strArg(it: Interpreter, v: PyObject, what: string): string {
  if (!(v instanceof PyStr)) it.typeError(`${what} must be str, not ${it.typeName(v)}`);
  return v.v;
}

/** Python's `seq[:n]` for a JS array (n may be negative). */
function head<T>(rows: T[], n: number): T[] {
  return rows.slice(0, n);
}

/**
 * The objects an objgraph function looks at: the `objects` argument, or
 * `gc.get_objects()`. Like objgraph's list, it holds a reference to each
 * object until `release()`; for the heap walk that only matters when user
 * code (a filter) runs, so the references are taken only then.
 */
class ObjectList {
  readonly items: PyObject[];
  private held: boolean;
  constructor(
    private readonly it: Interpreter,
    objects: PyObject | undefined,
    hold: boolean,
  ) {
    if (objects === undefined) {
      this.items = it.rt.gc.objects(null);
      this.held = hold;
      if (hold) for (const o of this.items) it.incref(o);
    } else {
      this.items = [...it.iterate(objects)];
      this.held = true;
    }
  }
  release(): void {
    if (!this.held) return;
    this.held = false;
    for (const o of this.items) this.it.decref(o);
  }
}

function withObjects<T>(it: Interpreter, objects: PyObject | undefined, hold: boolean, fn: (items: PyObject[]) => T): T {
  const list = new ObjectList(it, objects, hold);
  try {
    return fn(list.items);
  } finally {
    list.release();
  }
}

/**
 * Feeds `fn` the objects of the `objects` argument (iterated into a JS
 * array first, as objgraph's loop would) or, when it is absent, of the
 * tracked walk, for computations that run no Python code per object: no
 * `gc.get_objects()` list is built, which objgraph's own list would make
 * invisible to the results anyway.
 */
function eachObject(it: Interpreter, objects: PyObject | undefined, fn: (o: PyObject) => void): void {
  if (objects === undefined) return forEachTracked(it.rt, fn);
  const items = [...it.iterate(objects)];
  try {
    for (const o of items) fn(o);
  } finally {
    for (const o of items) it.decref(o);
  }
}

/** {@link classCounts} of the `objects` argument, or of the tracked objects when it is absent. */
function objectClassCounts(it: Interpreter, objects: PyObject | undefined): Map<PyType | PyClassObj, number> {
  return objects === undefined ? trackedClassCounts(it.rt) : classCounts((fn) => eachObject(it, objects, fn));
}

/** typestats: name → count in first-seen order. */
function typestats(it: Interpreter, objects: PyObject | undefined, shortnames: boolean, filter: PyObject | undefined): Map<string, number> {
  const cache = new Map<PyObject, string>();
  if (!filter) return namedCounts(it, objectClassCounts(it, objects), shortnames, cache);
  const keep = predicate(it, filter);
  return withObjects(it, objects, true, (items) => {
    const stats = new Map<string, number>();
    for (const o of items) {
      if (!keep(o)) continue;
      const name = typeName(it, o, shortnames, cache);
      stats.set(name, (stats.get(name) ?? 0) + 1);
    }
    return stats;
  });
}

function mostCommon(it: Interpreter, b: Bound): Array<[string, number]> {
  const stats = typestats(it, given(it, b.get('objects')), truthyArg(it, b.get('shortnames'), true), given(it, b.get('filter')));
  const rows = [...stats].sort((x, y) => y[1] - x[1]);
  const limitArg = b.get('limit');
  const limit = limitArg === undefined ? 10 : it.truthy(limitArg) ? intArg(it, limitArg, 10)! : 0;
  return limit ? head(rows, limit) : rows;
}

/** Writes text to `file` (None → sys.stdout at call time), as objgraph's `file.write`. */
function write(it: Interpreter, file: PyObject | undefined, text: string): void {
  it.writeTo(file === undefined || file === it.rt.None ? it.sysStdout() : file, text);
}

function emptyMax(it: Interpreter): never {
  it.raise('ValueError', 'max() arg is an empty sequence');
}

function collect(it: Interpreter): void {
  it.rt.gc.collectManual(2);
}

/** The `getattr(obj, '__name__', None)` / `sys.modules.get(...)` test of is_proper_module. */
function isProperModule(it: Interpreter, o: PyObject): boolean {
  if (!(o instanceof PyModule)) return false;
  let name: PyObject | null = null;
  try {
    name = it.getattrOrNull(o, '__name__');
  } catch {
    name = null;
  }
  const key = name ?? it.rt.None;
  try {
    return it.dictGet(it.modules as PyDict, key) === o;
  } finally {
    it.xdecref(name);
  }
}

function idSet(it: Interpreter, ids: PyObject): Set<number> {
  const out = new Set<number>();
  for (const v of it.iterate(ids)) {
    if (v instanceof PyInt) out.add(Number(v.v));
    it.decref(v);
  }
  return out;
}

/** Holds references for the JS side of a search, like objgraph's queue and parent dict. */
class Holds {
  private readonly counts = new Map<PyObject, number>();
  constructor(private readonly it: Interpreter) {}
  hold(o: PyObject): void {
    this.it.incref(o);
    this.counts.set(o, (this.counts.get(o) ?? 0) + 1);
  }
  drop(o: PyObject): void {
    const n = this.counts.get(o)!;
    if (n === 1) this.counts.delete(o);
    else this.counts.set(o, n - 1);
    this.it.decref(o);
  }
  count(o: PyObject): number {
    return this.counts.get(o) ?? 0;
  }
  releaseAll(): void {
    const all = [...this.counts];
    this.counts.clear();
    for (const [o, n] of all) for (let i = 0; i < n; i++) this.it.decref(o);
  }
}

// ------------------------------------------------------------------ chains

function findChain(it: Interpreter, b: Bound, backwards: boolean): PyObject {
  const obj = b.get('obj')!;
  const pred = b.get('predicate')!;
  const maxDepth = intArg(it, b.get('max_depth'), 20)!;
  const extra = b.get('extra_ignore') ?? it.rt.emptyTuple;
  const ignore = idSet(it, extra);
  ignore.add(extra.id);
  const test = pred === properModuleFn.get(it) ? (o: PyObject) => isProperModule(it, o) : predicate(it, pred);
  const holds = new Holds(it);
  holds.hold(obj);
  collect(it);
  const index = backwards ? new ReferrerIndex(it, [obj]) : null;
  const depth = new Map<PyObject, number>([[obj, 0]]);
  const parent = new Map<PyObject, PyObject | null>([[obj, null]]);
  const queue: PyObject[] = [obj];
  try {
    for (let h = 0; h < queue.length; h++) {
      const target = queue[h]!;
      if (test(target)) {
        const chain: PyObject[] = [];
        for (let t: PyObject | null = target; t !== null; t = parent.get(t)!) chain.push(it.incref(t));
        if (!backwards) chain.reverse();
        return it.rt.newList(chain);
      }
      const d = depth.get(target)!;
      if (d >= maxDepth) continue;
      const nbrs = index ? index.referrers(target) : referents(target);
      for (const source of nbrs) {
        if (ignore.has(source.id) || depth.has(source)) continue;
        depth.set(source, d + 1);
        parent.set(source, target);
        holds.hold(source);
        queue.push(source);
      }
    }
    return it.rt.newList([it.incref(obj)]);
  } finally {
    holds.releaseAll();
  }
}

/** objgraph.is_proper_module of each interpreter, recognised as a predicate without a Python call. */
const properModuleFn = new WeakMap<Interpreter, PyObject>();

// ------------------------------------------------------------------ graphs

const GRAPH_PARAMS: Param[] = [
  p('objs', false),
  p('max_depth'),
  p('extra_ignore'),
  p('filter'),
  p('too_many'),
  p('highlight'),
  p('filename'),
  p('extra_info'),
  p('refcounts'),
  p('shortnames'),
  p('output'),
  p('extra_node_attrs'),
];

function attrsOf(it: Interpreter, f: PyObject): (o: PyObject) => Record<string, string | null> {
  return (o) => {
    const d = it.call(f, [o]);
    try {
      const out: Record<string, string | null> = {};
      const entries: Array<[PyObject, PyObject]> = d instanceof PyDict ? [...it.dictEntries(d)] : [];
      for (const [k, v] of entries) {
        if (v === it.rt.None) {
          out[it.strString(k)] = null;
          continue;
        }
        if (!(v instanceof PyStr)) it.raise('AttributeError', `'${it.typeName(v)}' object has no attribute 'replace'`);
        out[it.strString(k)] = v.v;
      }
      return out;
    } finally {
      it.decref(d);
    }
  };
}

function showGraphCall(it: Interpreter, b: Bound, backwards: boolean): PyObject {
  const rt = it.rt;
  const objsArg = b.get('objs')!;
  const many = objsArg instanceof PyList || objsArg instanceof PyTuple;
  const roots: PyObject[] = many ? [...(objsArg as PyList | PyTuple).items] : [objsArg];
  const filename = given(it, b.get('filename'));
  const output = given(it, b.get('output'));
  if (filename && it.truthy(filename) && output && it.truthy(output)) it.raise('ValueError', 'Cannot specify both output and filename.');
  const maxDepth = intArg(it, b.get('max_depth'), 3)!;
  const tooMany = intArg(it, b.get('too_many'), 10)!;
  const shortnames = truthyArg(it, b.get('shortnames'), true);
  const refcounts = truthyArg(it, b.get('refcounts'), false);
  const extra = b.get('extra_ignore') ?? rt.emptyTuple;
  const ignoreIds = idSet(it, extra);
  ignoreIds.add(extra.id);
  if (many) ignoreIds.add(objsArg.id);
  const filterF = given(it, b.get('filter'));
  const highlightF = given(it, b.get('highlight'));
  const extraInfoF = given(it, b.get('extra_info'));
  const attrsF = given(it, b.get('extra_node_attrs'));

  const holds = new Holds(it);
  for (const r of roots) holds.hold(r);
  const rootSet = new Set(roots);
  collect(it);
  const index = backwards ? new ReferrerIndex(it, roots) : null;
  const cache = new Map<PyObject, string>();
  let heldNeighbours: PyObject[] = [];
  const releaseNeighbours = () => {
    for (const o of heldNeighbours) holds.drop(o);
    heldNeighbours = [];
  };
  const enqueued = new Set<PyObject>(roots);
  const model: GraphModel<PyObject> = {
    key: (o) => o.id,
    neighbours: (o) => {
      releaseNeighbours();
      const list = index ? index.referrers(o) : referents(o);
      for (const n of list) holds.hold(n);
      heldNeighbours = list.slice();
      return list.map((n) => {
        // The queue keeps what it holds: objgraph's queue.append(source).
        if (!enqueued.has(n) && !ignoreIds.has(n.id)) {
          enqueued.add(n);
          holds.hold(n);
        }
        return n;
      });
    },
    label: (o) =>
      objLabel(
        it,
        o,
        {
          shortnames,
          refcount: refcounts
            ? (x) => x.ob_refcnt - holds.count(x) + (rootSet.has(x) ? (many ? -1 : 2) : 0)
            : undefined,
          extraInfo: extraInfoF
            ? (x) => {
                const r = it.call(extraInfoF, [x]);
                try {
                  return it.strString(r);
                } finally {
                  it.decref(r);
                }
              }
            : undefined,
        },
        cache,
      ),
    edgeLabel: (src, dst) => edgeLabel(it, src, dst, shortnames, cache),
    isModule: (o) => o instanceof PyModule,
    hasDel: (o) => {
      if (o instanceof PyOldInstance) return (o.cls as PyClassObj).hasDel;
      return it.lookupType(o.ob_type as PyType, '__del__') !== null;
    },
  };
  let result;
  try {
    result = showGraph(roots, model, {
      maxDepth,
      tooMany,
      swapSourceTarget: !backwards,
      ignore: (n) => ignoreIds.has(n.id),
      filter: filterF ? predicate(it, filterF) : undefined,
      highlight: highlightF ? predicate(it, highlightF) : undefined,
      extraNodeAttrs: attrsF ? attrsOf(it, attrsF) : undefined,
      cull: backwards ? (o) => isProperModule(it, o) : undefined,
    });
  } finally {
    releaseNeighbours();
    holds.releaseAll();
  }
  const { dot, nodes } = result;

  if (output && it.truthy(output)) {
    it.writeTo(output, dot);
    return it.none();
  }
  const fname = filename && it.truthy(filename) ? strArg(it, filename, 'filename') : null;
  if (fname !== null && fname.endsWith('.dot')) {
    writeFileSync(fname, dot, 'utf8');
    write(it, undefined, `Graph written to ${fname} (${nodes} nodes)\n`);
    return it.none();
  }
  const dotFile = tempDotName();
  writeFileSync(dotFile, dot, 'utf8');
  write(it, undefined, `Graph written to ${dotFile} (${nodes} nodes)\n`);
  let image = fname;
  if (image === null) {
    write(it, undefined, 'Graph viewer (xdot) not found, generating a png instead\n');
    image = dotFile.slice(0, -4) + '.png';
  }
  let format;
  try {
    format = formatFromFilename(image);
  } catch (e) {
    if (!(e instanceof UnsupportedFormatError)) throw e;
    // objgraph would hand any extension to `dot -T<ext>`; we render only these.
    write(it, undefined, `dot failed (exit code 1) while executing "dot -T${path.extname(image).slice(1)} -o${image} ${dotFile}": ${e.message}\n`);
    return it.none();
  }
  const target = image;
  const job = renderDot(dot, format)
    .then((bytes) => writeFileSync(target, bytes))
    .catch((err: unknown) => it.stderr(`refscope: could not render ${target}: ${(err as Error)?.message ?? String(err)}\n`));
  stateOf(it).renders.push(job);
  write(it, undefined, `Image generated as ${image}\n`);
  return it.none();
}

/** tempfile.mkstemp(prefix='objgraph-', suffix='.dot'): a fresh, unique file name. */
function tempDotName(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'refscope-'));
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789_';
  let name = '';
  for (let i = 0; i < 8; i++) name += chars[Math.floor(Math.random() * chars.length)];
  return path.join(dir, `objgraph-${name}.dot`);
}

// ------------------------------------------------------------------ get_new_ids

function getNewIds(it: Interpreter, b: Bound): PyObject {
  const rt = it.rt;
  const st = stateOf(it);
  if (!st.newIds) {
    const dd = it.t.defaultdict;
    const fresh = dd ? it.call(dd, [it.t.set as PyObject]) : rt.newDict();
    st.newIds = { old: new Map(), current: new Map(), new: fresh, shortnames: true };
  }
  const s = st.newIds;
  const newIds = s.new as PyDict;
  if (truthyArg(it, b.get('skip_update'), false)) return it.incref(newIds);
  const sn = b.get('shortnames');
  if (sn !== undefined && sn !== rt.None) s.shortnames = it.truthy(sn);
  const shortnames = s.shortnames;
  const sortbyArg = b.get('sortby');
  const sortby = sortbyArg === undefined ? 'deltas' : sortbyArg instanceof PyStr ? sortbyArg.v : '';
  const col = ({ old: 1, current: 2, new: 3, deltas: 4 } as Record<string, number>)[sortby];
  collect(it);
  const cache = new Map<PyObject, string>();
  const old = s.old;
  for (const set of old.values()) set.clear();
  for (const [name, ids] of s.current) {
    let o = old.get(name);
    if (!o) old.set(name, (o = new Set()));
    for (const id of ids) o.add(id);
  }
  for (const set of s.current.values()) set.clear();
  for (const o of rt.gc.objects(null)) {
    const name = shortnames ? shortTypeName(it, o) : longTypeName(it, o, cache);
    let set = s.current.get(name);
    if (!set) s.current.set(name, (set = new Set()));
    set.add(o.id);
  }
  for (const [, v] of it.dictEntries(newIds)) if (v instanceof PySet) it.decref(it.callMethod(v, 'clear', []));
  const rows: Array<[string, number, number, number, number]> = [];
  const remove: string[] = [];
  for (const [name, cur] of s.current) {
    let o = old.get(name);
    if (!o) old.set(name, (o = new Set()));
    if (o.size === 0 && cur.size === 0) {
      remove.push(name);
      continue;
    }
    const key = it.str(name);
    let pySet = it.dictGet(newIds, key);
    if (pySet === null) {
      pySet = rt.newSet();
      it.dictSet(newIds, key, pySet);
      it.decref(pySet);
    }
    let added = 0;
    for (const id of cur) {
      if (o.has(id)) continue;
      const v = it.int(id);
      it.setAdd(pySet as PySet, v);
      it.decref(v);
      added++;
    }
    it.decref(key);
    rows.push([name, o.size, cur.size, added, cur.size - o.size]);
  }
  for (const name of remove) {
    old.delete(name);
    s.current.delete(name);
    const key = it.str(name);
    try {
      if (it.dictGet(newIds, key) !== null) it.dictDel(newIds, key);
    } finally {
      it.decref(key);
    }
  }
  if (col === undefined) it.raise('KeyError', `'${sortby}'`);
  rows.sort((x, y) => {
    const d = (y[col] as number) - (x[col] as number);
    return d !== 0 ? d : x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0;
  });
  const limitArg = b.get('limit');
  const limit = limitArg === undefined ? 10 : limitArg === rt.None ? null : intArg(it, limitArg, 10)!;
  const shown = limit === null ? rows : head(rows, limit);
  if (shown.length === 0) return it.incref(newIds);
  const file = given(it, b.get('file'));
  const width = Math.max(...shown.map((r) => r[0].length));
  const rule = '='.repeat(width + 52) + '\n';
  const sgn = (n: number) => (n < 0 ? String(n) : `+${n}`);
  let text = rule;
  text += `${'Type'.padEnd(width)}${'Old_ids'.padStart(13)}${'Current_ids'.padStart(13)}${'New_ids'.padStart(13)}${'Count_Deltas'.padStart(13)}\n`;
  text += rule;
  for (const [name, o, c, n, d] of shown) text += `${name.padEnd(width)}${String(o).padStart(13)}${String(c).padStart(13)}${sgn(n).padStart(13)}${sgn(d).padStart(13)}\n`;
  text += rule;
  write(it, file, text);
  return it.incref(newIds);
}

// ------------------------------------------------------------------ the module

function buildModule(it: Interpreter): PyModule {
  const rt = it.rt;
  const d = rt.newDict();
  const m = rt.newModule('objgraph', d);
  type Impl = (b: Bound) => PyObject;
  const def = (name: string, params: Param[], impl: Impl, opts: { varargs?: boolean; varkw?: boolean } = {}) => {
    const f = rt.newBuiltinFunction(name, (_self, args, kwnames) => impl(bindArgs(it, name, params, args, kwnames, opts)), it.incref(m));
    it.dictSetStr(d, name, f);
    return f;
  };
  it.dictSetStr(d, '__name__', it.str('objgraph'));
  it.dictSetStr(d, '__doc__', it.str('Tools for drawing Python object reference graphs with graphviz.'));
  it.dictSetStr(d, '__author__', it.str('Marius Gedminas (marius@gedmin.as)'));
  it.dictSetStr(d, '__license__', it.str('MIT'));
  it.dictSetStr(d, '__version__', it.str('3.5.0'));
  it.dictSetStr(d, 'IS_INTERACTIVE', it.bool(false));

  def('count', [p('typename', false), p('objects')], (b) => {
    const tn = b.get('typename')!;
    if (!(tn instanceof PyStr)) it.typeError(`argument of type '${it.typeName(tn)}' is not iterable`);
    const matches = classNameIs(it, tn.v);
    let n = 0;
    for (const [t, k] of objectClassCounts(it, given(it, b.get('objects')))) if (matches(t)) n += k;
    return it.int(n);
  });

  def('typestats', [p('objects'), p('shortnames'), p('filter')], (b) => {
    const stats = typestats(it, given(it, b.get('objects')), truthyArg(it, b.get('shortnames'), true), given(it, b.get('filter')));
    const out = rt.newDict();
    for (const [name, n] of stats) it.dictSetStr(out, name, it.int(n));
    return out;
  });

  def('most_common_types', [p('limit'), p('objects'), p('shortnames'), p('filter')], (b) =>
    rt.newList(mostCommon(it, b).map(([name, n]) => rt.newTuple([it.str(name), it.int(n)]))),
  );

  def('show_most_common_types', [p('limit'), p('objects'), p('shortnames'), p('file'), p('filter')], (b) => {
    const rows = mostCommon(it, b);
    if (rows.length === 0) emptyMax(it);
    const width = Math.max(...rows.map(([name]) => name.length));
    const file = given(it, b.get('file'));
    for (const [name, n] of rows) write(it, file, `${name.padEnd(width)} ${n}\n`);
    return it.none();
  });

  /** growth(): rows [name, count, delta]; `peaks` is the caller's dict, or the shared default. */
  const growth = (limitArg: PyObject | undefined, peaks: PyObject | undefined, shortnames: boolean, filter: PyObject | undefined) => {
    collect(it);
    const stats = typestats(it, undefined, shortnames, filter);
    const rows: Array<[string, number, number]> = [];
    const shared = stateOf(it).peakStats;
    for (const [name, n] of stats) {
      let old: number;
      if (peaks === undefined) old = shared.get(name) ?? 0;
      else {
        const key = it.str(name);
        const zero = it.int(0);
        const v = it.callMethod(peaks, 'get', [key, zero]);
        it.decref(zero);
        old = v instanceof PyInt ? Number(v.v) : 0;
        it.decref(v);
        it.decref(key);
      }
      if (n > old) {
        rows.push([name, n, n - old]);
        if (peaks === undefined) shared.set(name, n);
        else {
          const key = it.str(name);
          const v = it.int(n);
          it.setitem(peaks, key, v);
          it.decref(key);
          it.decref(v);
        }
      }
    }
    rows.sort((x, y) => y[2] - x[2]);
    const limit = limitArg === undefined ? 10 : it.truthy(limitArg) ? intArg(it, limitArg, 10)! : 0;
    return limit ? head(rows, limit) : rows;
  };

  def('growth', [p('limit'), p('peak_stats'), p('shortnames'), p('filter')], (b) => {
    const rows = growth(b.get('limit'), b.get('peak_stats'), truthyArg(it, b.get('shortnames'), true), given(it, b.get('filter')));
    return rt.newList(rows.map(([name, n, dn]) => rt.newTuple([it.str(name), it.int(n), it.int(dn)])));
  });

  def('show_growth', [p('limit'), p('peak_stats'), p('shortnames'), p('file'), p('filter')], (b) => {
    const rows = growth(b.get('limit'), given(it, b.get('peak_stats')), truthyArg(it, b.get('shortnames'), true), given(it, b.get('filter')));
    if (rows.length === 0) return it.none();
    const width = Math.max(...rows.map(([name]) => name.length));
    const file = given(it, b.get('file'));
    const sgn = (n: number) => (n < 0 ? String(n) : `+${n}`);
    for (const [name, n, dn] of rows) write(it, file, `${name.padEnd(width)}${String(n).padStart(9)} ${sgn(dn).padStart(9)}\n`);
    return it.none();
  });

  def('get_new_ids', [p('skip_update'), p('limit'), p('sortby'), p('shortnames'), p('file'), p('_state')], (b) => getNewIds(it, b));

  def('get_leaking_objects', [p('objects')], (b) => {
    // objgraph 3.5: collects only when it walks the whole heap, and only
    // referents of the given objects count (fixed after 3.5, issue #82).
    const objects = given(it, b.get('objects'));
    if (objects === undefined) collect(it);
    return withObjects(it, objects, true, (items) => {
      if (items.length === 0) it.raise('UnboundLocalError', "cannot access local variable 'i' where it is not associated with a value");
      const ids = new Set(items.map((o) => o.id));
      for (const o of items) for (const r of referents(o)) ids.delete(r.id);
      return rt.newList(items.filter((o) => ids.has(o.id)).map((o) => it.incref(o)));
    });
  });

  def('by_type', [p('typename', false), p('objects')], (b) => {
    const tn = b.get('typename')!;
    if (!(tn instanceof PyStr)) it.typeError(`argument of type '${it.typeName(tn)}' is not iterable`);
    const objects = given(it, b.get('objects'));
    const matches = classNameIs(it, tn.v);
    const found: PyObject[] = [];
    if (objects !== undefined) {
      withObjects(it, objects, true, (items) => {
        for (const o of items) if (matches(nameClass(o))) found.push(it.incref(o));
      });
      return rt.newList(found);
    }
    // Name the classes before picking objects: a long name may run Python code, which the tracked walk must not.
    const wanted = new Set<PyObject>();
    for (const [t] of classCounts((fn) => forEachTracked(rt, fn))) if (matches(t)) wanted.add(t);
    if (wanted.size)
      forEachTracked(rt, (o) => {
        if (wanted.has(nameClass(o))) found.push(it.incref(o));
      });
    return rt.newList(found);
  });

  def('at', [p('addr', false)], (b) => {
    const a = b.get('addr')!;
    if (a instanceof PyInt) {
      const addr = Number(a.v);
      for (const o of rt.gc.objects(null)) if (o.id === addr) return it.incref(o);
    }
    return it.none();
  });

  def('at_addrs', [p('address_set', false)], (b) => {
    const ids = idSet(it, b.get('address_set')!);
    return rt.newList(rt.gc.objects(null).filter((o) => ids.has(o.id)).map((o) => it.incref(o)));
  });

  const chainParams = [p('obj', false), p('predicate', false), p('max_depth'), p('extra_ignore')];
  def('find_ref_chain', chainParams, (b) => findChain(it, b, false));
  def('find_backref_chain', chainParams, (b) => findChain(it, b, true));

  const showBackrefs = def('show_backrefs', GRAPH_PARAMS, (b) => showGraphCall(it, b, true));
  const showRefs = def('show_refs', GRAPH_PARAMS, (b) => showGraphCall(it, b, false));

  def(
    'show_chain',
    [p('backrefs')],
    (b) => {
      const backrefs = truthyArg(it, b.get('backrefs'), true);
      const chains: PyObject[][] = [];
      for (const c of b.rest) {
        if (!it.truthy(c)) continue;
        const items = [...it.iterate(c)];
        chains.push(items);
      }
      try {
        if (chains.length === 0) emptyMax(it);
        const members = new Set<PyObject>();
        for (const c of chains) for (const o of c) members.add(o);
        const maxDepth = Math.max(...chains.map((c) => c.length)) - 1;
        const fname = backrefs ? 'show_backrefs' : 'show_refs';
        for (const [k] of b.extraKw) {
          if (k === 'max_depth' || k === 'filter') it.typeError(`objgraph.${fname}() got multiple values for keyword argument '${k}'`);
        }
        const objs = rt.newList(chains.map((c) => it.incref(backrefs ? c[c.length - 1]! : c[0]!)));
        const depth = it.int(maxDepth);
        const filter = rt.newBuiltinFunction('in_chains', (_s, args) => it.bool(members.has(args[0]!)), null);
        try {
          const kwnames = ['max_depth', 'filter', ...b.extraKw.map(([k]) => k)];
          return it.call(backrefs ? showBackrefs : showRefs, [objs, depth, filter, ...b.extraKw.map(([, v]) => v)], kwnames);
        } finally {
          it.decref(objs);
          it.decref(depth);
          it.decref(filter);
        }
      } finally {
        for (const c of chains) for (const o of c) it.decref(o);
      }
    },
    { varargs: true, varkw: true },
  );

  const ipm = def('is_proper_module', [p('obj', false)], (b) => it.bool(isProperModule(it, b.get('obj')!)));
  properModuleFn.set(it, ipm);
  void PyTuple;
  return m;
}
