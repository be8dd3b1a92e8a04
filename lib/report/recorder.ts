/*
 * The recorder: runs a script once and writes down what a leak report needs.
 *
 * Steps. A step is a moment where the heap is snapshotted: every
 * `refscope.snapshot("label")` call, every `objgraph` call, every explicit
 * `gc.collect()`, and the end of the script. The recorder finds them by
 * wrapping the module functions as the modules are imported (whoever
 * provides the module), so a step is taken right after the call returns,
 * at the line that made it.
 *
 * Memory. A run may have thousands of steps and a snapshot is the whole
 * heap, so only two snapshots are alive at a time: the previous one (for
 * new/freed objects by type, matched by address *and* serial so a reused
 * address is not mistaken for a survivor) and the current one. Each step
 * keeps only compact figures: counts and bytes per type, pymalloc totals,
 * new/freed per type. The end snapshot is kept for chains and graphs.
 *
 * Events come from the Runtime's hooks, wrapped (never replaced): every
 * `__del__` call in order, weakref callbacks, GC start/stop (to time each
 * collection in interpreter instructions and see what it put in
 * gc.garbage), and every allocation (its source line, for allocation sites
 * of the objects still alive at the end, tracemalloc-style).
 */
import { PyBuiltinFunction, PyCode, PyModule } from '../heap/callables.js';
import { PyDict, PyList } from '../heap/containers.js';
import { PyInstance } from '../heap/instances.js';
import { PyWeakref } from '../heap/misc.js';
import { TypeFlag, type PyObject } from '../heap/object.js';
import { profileFor, type Profile } from '../heap/profile.js';
import { PyStr } from '../heap/scalars.js';
import type { PyType } from '../heap/types.js';
import type { Interpreter, NativeFn } from '../python/interp.js';
import { diff } from '../snapshot/diff.js';
import type { Snapshot } from '../snapshot/model.js';
import { typeTotals } from '../snapshot/typestats.js';
import { defaultCapture, type CaptureFn } from './capture.js';
import { createInterpreter, runMain } from '../python/run.js';

export type StepKind = 'mark' | 'objgraph' | 'collect' | 'end';

/** Compact figures of one step (no snapshot). */
export interface StepRecord {
  index: number;
  label: string;
  kind: StepKind;
  /** script line that made the step (null at the end) */
  line: number | null;
  /** objects allocated so far: the simulated clock */
  allocations: number;
  /** GC-tracked objects per type, first-seen order: [name, count, bytes] */
  types: Array<[string, number, number]>;
  trackedObjects: number;
  /** every live object, tracked or not */
  liveObjects: number;
  memory: MemoryFigures;
  /** objects that appeared / disappeared since the previous step, by type (address + serial identity) */
  appeared: Array<[string, number]>;
  disappeared: Array<[string, number]>;
  /** highest allocation serial in the heap at this step: later objects are newer */
  serialHigh: number;
  /** collections that happened before this step (index into Recording.collections, exclusive end) */
  collectionsBefore: number;
}

export interface MemoryFigures {
  /** pymalloc blocks in use (sys.getallocatedblocks) */
  blocks: number;
  /** pools holding at least one block */
  pools: number;
  arenas: number;
  /** bytes in allocated blocks */
  allocatedBytes: number;
}

export interface CollectionRecord {
  index: number;
  generation: number;
  collected: number;
  uncollectable: number;
  automatic: boolean;
  /** script line running when it started */
  line: number | null;
  /** objects allocated before it started (simulated clock) */
  startAllocations: number;
  /** objects in the generations it examined: its cost in simulated steps */
  examined: number;
  /** finalizers and weakref callbacks run inside it, in events */
  finalizers: number;
  /** objects it appended to gc.garbage */
  garbageAdded: GarbageObject[];
  /** gc.DEBUG_SAVEALL was set */
  saveAll: boolean;
  /** number of steps recorded before it */
  stepsBefore: number;
}

export interface ObjectRef {
  type: string;
  address: number;
  serial: number;
  /** a safe description (never runs Python code) */
  text: string;
  /** allocation site 'file:line', if known */
  site: string | null;
}

export interface GarbageObject extends ObjectRef {
  /** why it is in gc.garbage */
  reason: 'saveall' | 'legacy-finalizer' | 'script';
  hasDel: boolean;
}

export interface FinalizerEvent {
  order: number;
  object: ObjectRef;
  /** collection index when the collector ran it, null on refcount death */
  collection: number | null;
  line: number | null;
  /** still alive after its finalizer (and the collection) */
  resurrected: boolean;
  /** called during interpreter shutdown (clearing __main__ and the last collections), after the end step */
  atExit: boolean;
}

export interface WeakrefCallbackEvent {
  order: number;
  weakref: ObjectRef;
  callback: string;
  collection: number | null;
  line: number | null;
}

export interface AllocationSite {
  file: string;
  line: number;
  /** source text of the line */
  text: string;
  count: number;
  bytes: number;
  /** most common types allocated there and still alive: [name, count] */
  types: Array<[string, number]>;
}

export interface Recording {
  script: string;
  source: string;
  python: '3.11' | '2.7';
  legacyFinalizers: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
  steps: StepRecord[];
  collections: CollectionRecord[];
  finalizers: FinalizerEvent[];
  weakrefCallbacks: WeakrefCallbackEvent[];
  /** gc.garbage at the end */
  garbage: GarbageObject[];
  /** id() of the gc.garbage list itself (cycle searches must not run through it) */
  garbageListAddress: number;
  allocationSites: AllocationSite[];
  /** the heap at the end */
  endSnapshot: Snapshot;
  /** 3.11 inline attributes (unlabelled in snapshots, as objgraph sees them): 'fromAddress:toAddress' → name */
  attributeNames: Map<string, string>;
  /** snapshots taken right after collections that made objects uncollectable (the audit's evidence) */
  uncollectableSnapshots: Array<{ collection: number; snapshot: Snapshot; attributeNames: Map<string, string> }>;
  /** pymalloc at the end */
  arenas: ReturnType<Interpreter['rt']['mem']['describeArenas']>;
  mallocStatsText: string;
  /** objects allocated during the run */
  allocations: number;
  elapsedMs: number;
}

export interface Progress {
  steps: number;
  liveObjects: number;
  elapsedMs: number;
}

export interface RecordOptions {
  python?: '3.11' | '2.7';
  /** run with legacy (<= 3.3 / 2.7) finalizer semantics (true) or PEP 442 (false); default: the profile's */
  legacyFinalizers?: boolean;
  capture?: CaptureFn;
  argv?: string[];
  maxObjects?: number;
  /** called after every step */
  onProgress?: (p: Progress) => void;
  /** program output (default: kept in the recording only) */
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** most steps recorded; later step points are skipped (the end is always recorded) */
  maxSteps?: number;
}

/** Most uncollectable-evidence snapshots kept (each is a whole heap). */
const MAX_EVIDENCE_SNAPSHOTS = 8;
/** Most finalizer / weakref events kept in detail; the rest are counted. */
export const MAX_EVENTS = 10_000;

/** The Runtime profile for a run: the version's, with finalizer semantics overridden if asked. */
export function recordingProfile(python: '3.11' | '2.7', legacyFinalizers?: boolean): Profile {
  const base = profileFor(python);
  if (legacyFinalizers === undefined || legacyFinalizers === base.legacyFinalizers) return base;
  return { ...base, legacyFinalizers };
}

/**
 * Runs `source` and records steps and events.
 * @example
 * const rec = recordRun(readFileSync('leak.py', 'utf8'), 'leak.py');
 * rec.steps.map((s) => s.label) // ['gc.collect() #1', ..., 'end']
 */
export function recordRun(source: string, script: string, opts: RecordOptions = {}): Recording {
  const python = opts.python ?? '3.11';
  const profile = recordingProfile(python, opts.legacyFinalizers);
  const capture = opts.capture ?? defaultCapture;
  const maxSteps = opts.maxSteps ?? 5000;
  let stdout = '';
  let stderr = '';
  let onMark = (_label: string): void => {};
  const it = createInterpreter({
    profile,
    trackLive: true,
    onSnapshot: (_it, label) => onMark(label),
    argv: opts.argv ?? [script],
    maxObjects: opts.maxObjects,
    stdout: (s) => {
      stdout += s;
      opts.stdout?.(s);
    },
    stderr: (s) => {
      stderr += s;
      opts.stderr?.(s);
    },
  });
  const rt = it.rt;
  const t0 = performance.now();
  const steps: StepRecord[] = [];
  const collections: CollectionRecord[] = [];
  const finalizers: FinalizerEvent[] = [];
  const weakrefCallbacks: WeakrefCallbackEvent[] = [];
  const evidence: Recording['uncollectableSnapshots'] = [];
  const sites = new WeakMap<PyObject, string>();
  const garbageReasons = new WeakMap<PyObject, GarbageObject>();
  /** Set once the script is over and the interpreter shuts down. */
  let shuttingDown = false;
  let previous: Snapshot | null = null;
  let current: Snapshot | null = null;
  let collecting: CollectionRecord | null = null;
  let garbageBefore = 0;
  let eventOrder = 0;
  let allocations = 0;
  const pendingResurrection: Array<{ o: PyObject; ev: FinalizerEvent }> = [];

  const line = (): number | null => (it.frame ? it.frame.lineno : null);
  const ref = (o: PyObject): ObjectRef => ({
    type: (o.ob_type as PyType).tp_name,
    address: o.id,
    serial: o.serial,
    text: describe(o),
    site: sites.get(o) ?? null,
  });
  const settleResurrections = () => {
    for (const { o, ev } of pendingResurrection) ev.resurrected = rt.live!.has(o) && o.ob_refcnt > 0;
    pendingResurrection.length = 0;
  };

  // ---- hooks: wrapped, never replaced
  const hooks = rt.hooks;
  rt.hooks = {
    ...hooks,
    finalize(o) {
      const ev: FinalizerEvent = { order: ++eventOrder, object: ref(o), collection: collecting ? collecting.index : null, line: line(), resurrected: false, atExit: shuttingDown };
      if (finalizers.length < MAX_EVENTS) finalizers.push(ev);
      if (collecting) collecting.finalizers++;
      hooks.finalize(o);
      // Settled at the next step or collection end, when the dealloc that
      // called it (refcount death) or the collection has finished.
      pendingResurrection.push({ o, ev });
    },
    callWeakrefCallback(wr) {
      const cb = (wr as PyWeakref).callback;
      const ev: WeakrefCallbackEvent = { order: ++eventOrder, weakref: ref(wr), callback: cb ? describe(cb) : '', collection: collecting ? collecting.index : null, line: line() };
      if (weakrefCallbacks.length < MAX_EVENTS) weakrefCallbacks.push(ev);
      hooks.callWeakrefCallback(wr);
    },
    invokeGcCallbacks(phase, generation, collected, uncollectable) {
      if (phase === 'start') {
        collecting = {
          index: collections.length,
          generation,
          collected: 0,
          uncollectable: 0,
          automatic: true,
          line: line(),
          startAllocations: allocations,
          examined: rt.gc.generationSizes().slice(0, generation + 1).reduce((a, b) => a + b, 0),
          finalizers: 0,
          garbageAdded: [],
          saveAll: (rt.gc.debug & 32) !== 0,
          stepsBefore: steps.length,
        };
        garbageBefore = rt.garbage.items.length;
      } else if (collecting) {
        const c = collecting;
        const h = rt.gc.history[rt.gc.history.length - 1];
        c.collected = collected;
        c.uncollectable = uncollectable;
        c.automatic = h ? h.automatic : true;
        for (const o of rt.garbage.items.slice(garbageBefore)) {
          const hasDel = hasFinalizer(o);
          const g: GarbageObject = { ...ref(o), reason: c.saveAll ? 'saveall' : hasDel ? 'legacy-finalizer' : 'script', hasDel };
          garbageReasons.set(o, g);
          c.garbageAdded.push(g);
        }
        collections.push(c);
        collecting = null;
        settleResurrections();
        if (c.uncollectable > 0 && !c.saveAll && evidence.length < MAX_EVIDENCE_SNAPSHOTS) {
          evidence.push({ collection: c.index, snapshot: capture(it, `after collection #${c.index + 1}`, -1), attributeNames: inlineAttributeNames(it) });
        }
      }
      hooks.invokeGcCallbacks(phase, generation, collected, uncollectable);
    },
    onAllocate(o) {
      allocations++;
      const f = it.frame;
      if (f) sites.set(o, `${(f.code as PyCode).filename}:${f.lineno}`);
      hooks.onAllocate?.(o);
    },
  };

  // ---- steps
  const takeStep = (label: string, kind: StepKind) => {
    if (kind !== 'end' && steps.length >= maxSteps - 1) return;
    settleResurrections();
    const index = steps.length;
    const snap = capture(it, label, index);
    previous = current;
    current = snap;
    const totals = typeTotals(snap);
    let appeared: Array<[string, number]> = [];
    let disappeared: Array<[string, number]> = [];
    if (previous) {
      const d = diff(previous, snap);
      appeared = d.types.filter((t) => t.appeared > 0).map((t) => [t.name, t.appeared]);
      disappeared = d.types.filter((t) => t.disappeared > 0).map((t) => [t.name, t.disappeared]);
    } else {
      appeared = totals.map((t) => [t.name, t.count]);
    }
    steps.push({
      index,
      label,
      kind,
      line: kind === 'end' ? null : line(),
      allocations,
      types: totals.map((t) => [t.name, t.count, t.bytes]),
      trackedObjects: totals.reduce((n, t) => n + t.count, 0),
      liveObjects: snap.objectCount,
      memory: memoryFigures(it),
      appeared,
      disappeared,
      serialHigh: snap.objects.serial.reduce((a, b) => (b > a ? b : a), 0),
      collectionsBefore: collections.length,
    });
    previous = null;
    opts.onProgress?.({ steps: steps.length, liveObjects: rt.liveObjects, elapsedMs: performance.now() - t0 });
  };

  let collectCalls = 0;
  const wrapped = new WeakSet<PyObject>();
  const wrapModule = (name: string, m: PyObject) => {
    if (!(m instanceof PyModule) || wrapped.has(m)) return;
    wrapped.add(m);
    const d = m.dict as PyDict;
    for (let k = 0; k < d.nentries; k++) {
      const key = d.keyAt(k);
      const fn = d.valueAt(k);
      if (!(key instanceof PyStr) || !(fn instanceof PyBuiltinFunction)) continue;
      const fname = key.v;
      let kind: StepKind | null = null;
      if (name === 'gc' && fname === 'collect') kind = 'collect';
      else if (name === 'objgraph' && fname !== 'is_proper_module') kind = 'objgraph';
      if (!kind) continue;
      const impl = fn.impl as unknown as NativeFn;
      const stepKind = kind;
      const wrapper: NativeFn = (self, args, kw) => {
        const result = impl(self, args, kw);
        let label: string;
        if (stepKind === 'collect') label = `gc.collect() #${++collectCalls}`;
        else label = `objgraph.${fname}()`;
        takeStep(label, stepKind);
        return result;
      };
      fn.impl = wrapper as never;
    }
  };
  onMark = (label) => takeStep(label, 'mark');
  const importModule = it.importModule;
  it.importModule = (name, fromlist) => {
    const m = importModule(name, fromlist);
    if (name === 'gc' || name === 'objgraph') wrapModule(name, m);
    return m;
  };

  // The end step is the heap as the script left it; the shutdown that
  // follows (clearing __main__, the last collections) still records its
  // __del__ calls, weakref callbacks and collections.
  // Everything the report shows "at the end" is read here, before shutdown.
  type EndState = Pick<Recording, 'endSnapshot' | 'allocationSites' | 'attributeNames' | 'arenas' | 'mallocStatsText' | 'garbage'>;
  let endState: EndState | null = null;
  const end = () => {
    takeStep('end', 'end');
    endState = {
      endSnapshot: current!,
      garbage: (rt.garbage as PyList).items.map((o) => garbageReasons.get(o) ?? { ...ref(o), reason: 'script' as const, hasDel: hasFinalizer(o) }),
      allocationSites: allocationSites(it, sites, source, script),
      attributeNames: inlineAttributeNames(it),
      arenas: rt.mem.describeArenas(),
      mallocStatsText: rt.mem.formatDebugMallocStats(rt.freelistStats()),
    };
  };
  const { exitCode } = runMain(it, source, script, {
    beforeShutdown: () => {
      end();
      shuttingDown = true;
    },
  });
  if (!endState) end(); // a syntax error: the script never ran
  settleResurrections();

  return {
    script,
    source,
    python,
    legacyFinalizers: profile.legacyFinalizers,
    exitCode,
    stdout,
    stderr,
    steps,
    collections,
    finalizers,
    weakrefCallbacks,
    ...(endState as unknown as EndState),
    garbageListAddress: rt.garbage.id,
    uncollectableSnapshots: evidence,
    allocations,
    elapsedMs: performance.now() - t0,
  };
}

/** Names of 3.11 inline instance attributes, which snapshots leave unlabelled (objgraph does too). */
export function inlineAttributeNames(it: Interpreter): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of it.rt.live!) {
    if (!(o instanceof PyInstance) || !o.values) continue;
    const keys = (o.ob_type as PyType).sharedKeys;
    o.values.forEach((v, k) => {
      if (v && k < keys.length && !names.has(`${o.id}:${v.id}`)) names.set(`${o.id}:${v.id}`, keys[k]);
    });
  }
  return names;
}

function hasFinalizer(o: PyObject): boolean {
  return ((o.ob_type as PyType).tp_flags & TypeFlag.HAS_FINALIZE) !== 0;
}

/** `Node object at 0x...`: a description that runs no Python code. */
function describe(o: PyObject): string {
  const t = o.ob_type as PyType;
  if (o instanceof PyStr) return JSON.stringify(o.v.length > 60 ? o.v.slice(0, 60) + '…' : o.v);
  return `${t.qualname ?? t.tp_name} object at 0x${o.id.toString(16)}`;
}

function memoryFigures(it: Interpreter): MemoryFigures {
  const stats = it.rt.mem.collectStats();
  let pools = 0;
  let bytes = 0;
  for (const c of stats.classes) {
    pools += c.pools;
    bytes += c.blocksInUse * c.size;
  }
  return { blocks: it.rt.mem.getAllocatedBlocks(), pools, arenas: stats.arenasCurrent, allocatedBytes: bytes };
}

/** tracemalloc-style: source lines of the script that allocated objects alive now. */
function allocationSites(it: Interpreter, sites: WeakMap<PyObject, string>, source: string, script: string): AllocationSite[] {
  const lines = source.split(/\r?\n/);
  const bySite = new Map<string, { count: number; bytes: number; types: Map<string, number> }>();
  for (const o of it.rt.live!) {
    const s = sites.get(o);
    if (!s) continue;
    let row = bySite.get(s);
    if (!row) bySite.set(s, (row = { count: 0, bytes: 0, types: new Map() }));
    row.count++;
    row.bytes += it.rt.sizeof(o);
    const tn = (o.ob_type as PyType).tp_name;
    row.types.set(tn, (row.types.get(tn) ?? 0) + 1);
  }
  const out: AllocationSite[] = [];
  for (const [s, row] of bySite) {
    const colon = s.lastIndexOf(':');
    const file = s.slice(0, colon);
    const line = Number(s.slice(colon + 1));
    out.push({
      file,
      line,
      text: file === script ? (lines[line - 1] ?? '').trim() : '',
      count: row.count,
      bytes: row.bytes,
      types: [...row.types].sort((a, b) => b[1] - a[1]).slice(0, 4),
    });
  }
  return out.sort((a, b) => b.bytes - a.bytes || a.line - b.line);
}
