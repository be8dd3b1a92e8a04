/*
 * The cyclic garbage collector, after CPython 3.11's Modules/gcmodule.c.
 *
 * Reference counting frees everything except reference cycles. The collector
 * finds cycles that nothing outside them refers to, using only refcounts and
 * tp_traverse — it never asks the interpreter for roots:
 *
 *   1. updateRefs:     gc_refs = ob_refcnt for every object of the young list.
 *   2. subtractRefs:   for every reference *between* young objects, gc_refs--.
 *                      What is left is the number of references from outside.
 *   3. moveUnreachable: objects with gc_refs > 0 are reachable, and so is
 *                      everything they reach; the rest is moved to
 *                      `unreachable` (tentatively, until proven reachable).
 *   4. untrack tuples (every collection) and dicts (full collections) that
 *      can never be part of a cycle — done during moveUnreachable's scan
 *      rather than in two more walks (see there for why it is equivalent).
 *   5. moveLegacyFinalizers: objects with a legacy tp_del (the 2.7 profile's
 *      __del__) and everything they reach are uncollectable.
 *   6. handleWeakrefs: clear weak references to garbage, call callbacks of
 *      weakrefs that are not garbage themselves — before any finalizer.
 *   7. finalizeGarbage: PEP 442 — call __del__ once per object.
 *   8. handleResurrectedObjects: run 1–3 again; anything a finalizer made
 *      reachable survives.
 *   9. deleteGarbage: tp_clear each remaining object (or save it in
 *      gc.garbage under DEBUG_SAVEALL), which breaks the cycles so reference
 *      counting frees them.
 *
 * Generations are circular doubly linked lists through gcNext/gcPrev with a
 * sentinel head, as in CPython; tracking appends at the tail of generation
 * 0. The object states during a collection are: untracked (gcNext null),
 * reachable (COLLECTING cleared), tentatively unreachable (in `unreachable`
 * with COLLECTING set). `collectMain` is the main function: read it first.
 *
 * gc_refs has no field of its own: like CPython, which keeps it in
 * _gc_prev, updateRefs stores it in gcPrev (a number then, read and written
 * through getRefs/setRefs) for every object of the young list. Only
 * forward links are used until moveUnreachable, which walks young with a
 * trailing `prev` and restores each prev link as it goes, as
 * move_unreachable does; objects it moves to `unreachable` get real links
 * (UNREACHABLE flag set) at once. One field fewer on millions of objects.
 *
 * Counts (gc.get_count()) follow CPython exactly: count[0] is "GC
 * allocations minus GC deallocations since the last collection" (free lists
 * bypass both), collecting generation g bumps count[g+1] and zeroes the
 * younger counts, and a full collection is skipped while fewer than 25% of
 * the long-lived objects are new (long_lived_pending < long_lived_total/4).
 */
import { PyDict, PyList, PyTuple } from '../heap/containers.js';
import { PyInstance } from '../heap/instances.js';
import { GcFlag, PyObject, TypeFlag, type PyTypeLike, type Releaser } from '../heap/object.js';
import { PyInt, PyStr } from '../heap/scalars.js';

export const NUM_GENERATIONS = 3;

/** gc.DEBUG_* flags (values shared by 3.11 and 2.7 except LEAK). */
export const enum DebugFlag {
  STATS = 1,
  COLLECTABLE = 2,
  UNCOLLECTABLE = 4,
  /** 2.7 only: print collectable/uncollectable old-style instances. */
  INSTANCES = 8,
  /** 2.7 only: print collectable/uncollectable objects other than instances. */
  OBJECTS = 16,
  SAVEALL = 32,
}

/** What the collector needs from the runtime that owns it. */
export interface CollectorHost {
  readonly releaser: Releaser;
  /** Legacy (2.7) semantics: __del__ is tp_del and makes a cycle uncollectable. */
  readonly legacyFinalizers: boolean;
  /** Debug output format of 2.7 (trailing period, INSTANCES/OBJECTS filtering, no permanent line). */
  readonly py27Debug: boolean;
  hasFinalizer(o: PyObject): boolean;
  hasLegacyDel(o: PyObject): boolean;
  /** Runs tp_finalize (__del__); the collector has already set FINALIZED and holds a reference. */
  finalize(o: PyObject): void;
  /** handle_weakrefs for one unreachable object: clear its weakrefs, return those whose callbacks must run. */
  clearWeakrefs(o: PyObject, isGarbage: (wr: PyObject) => boolean): PyObject[];
  /** Is this object itself a weak reference (cleared without running its callback)? */
  isWeakref(o: PyObject): boolean;
  clearWeakrefSelf(o: PyObject): void;
  /** Calls a weakref callback with the weakref; errors are reported, not raised. */
  callWeakrefCallback(wr: PyObject): void;
  /** The exact `tuple`, `list` and `dict` types (their instances are PyTuple / PyList / PyDict). */
  readonly tupleType: PyTypeLike;
  readonly listType: PyTypeLike;
  readonly dictType: PyTypeLike;
  /** Objects of a type that has tp_traverse (GC types). */
  isGC(o: PyObject): boolean;
  /** Appends to gc.garbage (taking a new reference). */
  appendGarbage(o: PyObject): void;
  clearFreelists(): void;
  /** gc.callbacks; errors are reported, not raised. */
  invokeCallbacks(phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void;
  /** Text for a debug line: `<A 0x7f..>` contents; 2.7 old-style instances differ. */
  debugRepr(o: PyObject): string;
  /** Is this a 2.7 old-style instance (DEBUG_INSTANCES vs DEBUG_OBJECTS)? */
  isOldInstance(o: PyObject): boolean;
  writeStderr(s: string): void;
  /** Seconds for the `elapsed` figure. */
  clock(): number;
  /** A Python exception is pending (automatic collection is then skipped). */
  errorPending(): boolean;
}

/** Sentinel list head: a bare object that is never a Python object. */
function makeHead(): PyObject {
  const h = new PyObject(null as unknown as PyTypeLike);
  h.gcNext = h;
  h.gcPrev = h;
  return h;
}

export class GenerationStats {
  collections = 0;
  collected = 0;
  uncollectable = 0;
}

export class Collector {
  readonly heads: PyObject[] = [makeHead(), makeHead(), makeHead()];
  readonly permanent = makeHead();
  threshold = [700, 10, 10];
  count = [0, 0, 0];
  enabled = true;
  debug = 0;
  collecting = false;
  longLivedTotal = 0;
  longLivedPending = 0;
  readonly stats = [new GenerationStats(), new GenerationStats(), new GenerationStats()];
  /** Every collection, for reports: generation, collected, uncollectable. */
  readonly history: Array<{ generation: number; collected: number; uncollectable: number; automatic: boolean }> = [];
  /** Collect (fully) on every GC allocation while automatic collection is enabled (consistency stress mode). */
  stress = false;
  /**
   * Called after every collection, once its callbacks have run and before
   * `collecting` is cleared (`refscope run --check` checks the heap here).
   * Null in normal runs, so it costs one test per collection.
   */
  afterCollection: ((generation: number, automatic: boolean) => void) | null = null;

  /** How many objects surveyUnreachable saw. */
  private surveyed = 0;

  /** handleWeakrefs cleared something this collection (so Python code may have run). */
  private weakrefsHandled = false;

  /** host.tupleType, cached (the Runtime creates its types after the collector). */
  private tupleType: PyTypeLike | null = null;

  constructor(private readonly host: CollectorHost) {}

  // ------------------------------------------------------------------ lists

  /** _PyObject_GC_TRACK: append at the tail of generation 0. */
  track(o: PyObject): void {
    if (o.gcNext !== null) return;
    const head = this.heads[0];
    const last = head.gcPrev!;
    last.gcNext = o;
    o.gcPrev = last;
    o.gcNext = head;
    head.gcPrev = o;
    setGen(o, 0);
  }

  /** _PyObject_GC_UNTRACK */
  untrack(o: PyObject): void {
    if (o.gcNext === null) return;
    unlink(o);
    o.gcFlags &= ~GcFlag.GEN_MASK;
  }

  isTracked(o: PyObject): boolean {
    return o.gcNext !== null;
  }

  /** Counts of objects in each generation list (the DEBUG_STATS line). */
  generationSizes(): number[] {
    return this.heads.map(listSize);
  }

  freezeCount(): number {
    return listSize(this.permanent);
  }

  /** Objects of a generation (or all three) in list order. */
  objects(generation: number | null): PyObject[] {
    const out: PyObject[] = [];
    const gens = generation === null ? [0, 1, 2] : [generation];
    for (const g of gens) {
      const head = this.heads[g];
      for (let o = head.gcNext!; o !== head; o = o.gcNext!) out.push(o);
    }
    return out;
  }

  /** All tracked objects including the permanent generation (for snapshots and checks). */
  allTracked(): PyObject[] {
    const out = this.objects(null);
    for (let o = this.permanent.gcNext!; o !== this.permanent; o = o.gcNext!) out.push(o);
    return out;
  }

  freeze(): void {
    for (let i = 0; i < NUM_GENERATIONS; i++) {
      gcListMerge(this.heads[i], this.permanent, PERMANENT_GEN);
      this.count[i] = 0;
    }
  }

  unfreeze(): void {
    gcListMerge(this.permanent, this.heads[NUM_GENERATIONS - 1], NUM_GENERATIONS - 1);
  }

  // ------------------------------------------------------- allocation hooks

  /**
   * _PyObject_GC_Link: a GC object was allocated (not from a free list).
   * May run an automatic collection before the new object is tracked.
   */
  onAlloc(): void {
    this.count[0]++;
    if (this.collecting || !this.enabled || this.threshold[0] === 0) return;
    // Stress mode collects wherever CPython *could* run an automatic
    // collection, and only there: a script that disabled the collector
    // (gc.disable(), threshold 0) relies on its cycles surviving until it
    // calls gc.collect(), and stress must not change what a script prints.
    if (!this.stress && this.count[0] <= this.threshold[0]) return;
    if (this.host.errorPending()) return;
    this.runAutomatic(this.stress);
  }

  /** PyObject_GC_Del: a GC object's memory was released (not to a free list). */
  onFree(): void {
    if (this.count[0] > 0) this.count[0]--;
  }

  private runAutomatic(stress: boolean): void {
    this.collecting = true;
    try {
      if (stress) this.collectWithCallback(NUM_GENERATIONS - 1, true);
      else this.collectGenerations();
    } finally {
      this.collecting = false;
    }
  }

  /** gc_collect_generations: pick the oldest generation over its threshold. */
  private collectGenerations(): number {
    for (let i = NUM_GENERATIONS - 1; i >= 0; i--) {
      if (this.count[i] > this.threshold[i]) {
        // Avoid quadratic behaviour: a full collection only when the
        // number of new long-lived objects is at least 25% of the total.
        if (i === NUM_GENERATIONS - 1 && this.longLivedPending < Math.trunc(this.longLivedTotal / 4)) continue;
        return this.collectWithCallback(i, true);
      }
    }
    return 0;
  }

  /** gc.collect(generation): returns 0 when a collection is already running. */
  collectManual(generation: number): number {
    if (this.collecting) return 0;
    this.collecting = true;
    try {
      return this.collectWithCallback(generation, false);
    } finally {
      this.collecting = false;
    }
  }

  private collectWithCallback(generation: number, automatic: boolean): number {
    this.host.invokeCallbacks('start', generation, 0, 0);
    const [collected, uncollectable] = this.collectMain(generation);
    this.history.push({ generation, collected, uncollectable, automatic });
    this.host.invokeCallbacks('stop', generation, collected, uncollectable);
    if (this.afterCollection !== null) this.afterCollection(generation, automatic);
    return collected + uncollectable;
  }

  // -------------------------------------------------------- the collection

  /** gc_collect_main: returns [m, n] = [collected, uncollectable]. */
  collectMain(generation: number): [number, number] {
    const host = this.host;
    const debug = this.debug;
    let t0 = 0;
    if (debug & DebugFlag.STATS) {
      host.writeStderr(`gc: collecting generation ${generation}...\n`);
      host.writeStderr(`gc: objects in each generation: ${this.generationSizes().join(' ')}\n`);
      if (!host.py27Debug) host.writeStderr(`gc: objects in permanent generation: ${this.freezeCount()}\n`);
      t0 = host.clock();
    }

    // Update the counts first (gc_collect_main does it before the work).
    if (generation + 1 < NUM_GENERATIONS) this.count[generation + 1] += 1;
    for (let i = 0; i <= generation; i++) this.count[i] = 0;

    // Merge younger generations into the one being collected. Their gen
    // bits are rewritten by updateRefs, which visits every one of them anyway.
    for (let i = 0; i < generation; i++) gcListMerge(this.heads[i], this.heads[generation], generation, true);
    const young = this.heads[generation];
    const old = generation < NUM_GENERATIONS - 1 ? this.heads[generation + 1] : young;
    const oldGen = generation < NUM_GENERATIONS - 1 ? generation + 1 : generation;

    // untrack_tuples (every collection) and untrack_dicts (full collections)
    // happen inside moveUnreachable's scan, which also counts what stays in
    // young (gc_list_size): see moveUnreachable.
    const unreachable = makeHead();
    this.updateAndSubtractRefs(young, generation);
    const kept = this.moveUnreachable(young, unreachable, young === old ? Untrack.TUPLES_AND_DICTS : Untrack.TUPLES);
    const survey = this.surveyUnreachable(unreachable, oldGen);

    if (young !== old) {
      if (generation === NUM_GENERATIONS - 2) this.longLivedPending += kept;
      gcListMerge(young, old, oldGen);
    } else {
      this.longLivedPending = 0;
      this.longLivedTotal = kept;
    }

    // Objects with legacy finalizers, and what they reach, are uncollectable.
    const finalizers = makeHead();
    this.moveLegacyFinalizers(unreachable, finalizers);
    this.moveLegacyFinalizerReachable(finalizers);
    const finalizersMoved = finalizers.gcNext !== finalizers;

    // The collectable lines are printed before finalizers and callbacks run,
    // so objects that get resurrected are still listed.
    if (debug & DebugFlag.COLLECTABLE) {
      for (let o = unreachable.gcNext!; o !== unreachable; o = o.gcNext!) this.debugCycle('collectable', o);
    }

    // The survey saw every object that handle_weakrefs and finalize_garbage
    // would act on; without any, both walks would do nothing.
    this.weakrefsHandled = false;
    let m = survey & Survey.WEAKREFS ? this.handleWeakrefs(unreachable, old, oldGen) : 0;
    const finalized = survey & (Survey.WEAKREFS | Survey.FINALIZERS) ? this.finalizeGarbage(unreachable) : false;

    const finalUnreachable = makeHead();
    if (finalized || this.weakrefsHandled) {
      this.handleResurrectedObjects(unreachable, finalUnreachable, old, oldGen);
    } else {
      // No Python code ran since moveUnreachable (no finalizer was called,
      // and no weak reference was cleared, which could have run callbacks
      // or freed objects with __del__), so nothing can have been
      // resurrected: a garbage object is referred to only by garbage, and
      // get_objects/get_referrers do not see the unreachable list. Every
      // object would have gc_refs 0 again, and the second pass would move
      // them all, in order, to finalUnreachable with their generation set
      // to oldGen: do just that, without the three walks.
      // (The survey already set their generation.)
      gcListMerge(unreachable, finalUnreachable, oldGen, true);
    }

    m += finalized || this.weakrefsHandled || finalizersMoved ? listSize(finalUnreachable) : this.surveyed;
    this.deleteGarbage(finalUnreachable, old, oldGen);

    let n = 0;
    for (let o = finalizers.gcNext!; o !== finalizers; o = o.gcNext!) {
      n++;
      if (debug & DebugFlag.UNCOLLECTABLE) this.debugCycle('uncollectable', o);
    }
    if (debug & DebugFlag.STATS) {
      const secs = (host.clock() - t0).toFixed(4);
      if (host.py27Debug) {
        if (m === 0 && n === 0) host.writeStderr(`gc: done, ${secs}s elapsed.\n`);
        else host.writeStderr(`gc: done, ${m + n} unreachable, ${n} uncollectable, ${secs}s elapsed.\n`);
      } else {
        host.writeStderr(`gc: done, ${m + n} unreachable, ${n} uncollectable, ${secs}s elapsed\n`);
      }
    }

    this.handleLegacyFinalizers(finalizers, old, oldGen);

    if (generation === NUM_GENERATIONS - 1) host.clearFreelists();

    const st = this.stats[generation];
    st.collections++;
    st.collected += m;
    st.uncollectable += n;
    return [m, n];
  }

  private debugCycle(msg: string, o: PyObject): void {
    const host = this.host;
    if (host.py27Debug) {
      // 2.7 prints only with DEBUG_INSTANCES (old-style instances) or DEBUG_OBJECTS (the rest).
      // debug_cycle: an old-style instance is shown by class only under DEBUG_INSTANCES;
      // under DEBUG_OBJECTS alone it is printed like any object, `<instance 0x…>`.
      if (host.isOldInstance(o) && this.debug & DebugFlag.INSTANCES) {
        host.writeStderr(`gc: ${msg} <${host.debugRepr(o)}>\n`);
        return;
      }
      if (!(this.debug & DebugFlag.OBJECTS)) return;
      if (host.isOldInstance(o)) {
        host.writeStderr(`gc: ${msg} <instance 0x${o.id.toString(16).padStart(12, '0')}>\n`);
        return;
      }
    }
    host.writeStderr(`gc: ${msg} <${host.debugRepr(o)}>\n`);
  }

  /**
   * update_refs + subtract_refs + move_unreachable; `gen` is the generation
   * `base` belongs to. Returns the number of objects left in `base`.
   */
  private deduceUnreachable(base: PyObject, unreachable: PyObject, gen: number, untrack: Untrack): number {
    this.updateRefs(base, gen);
    this.subtractRefs(base);
    const kept = this.moveUnreachable(base, unreachable, untrack);
    // Objects left in `unreachable` keep COLLECTING (that is how the later
    // phases recognise garbage) but lose the scan-time UNREACHABLE mark.
    for (let u = unreachable.gcNext!; u !== unreachable; u = u.gcNext!) u.gcFlags &= ~GcFlag.UNREACHABLE;
    return kept;
  }

  /**
   * gc_refs = ob_refcnt for every object of the list, and mark it COLLECTING.
   * From here until moveUnreachable, the list's prev links hold gc_refs.
   * Also records `gen` as the objects' generation (younger generations were
   * merged into this list without touching each object).
   *
   * The loops of a collection are split by the commonest classes of the
   * heap, each branch touching its object through a `const` of its own (see
   * "Monomorphic sites" at the end of this file).
   */
  private updateRefs(containers: PyObject, gen: number): void {
    const genBits = ((gen + 1) << GcFlag.GEN_SHIFT) | GcFlag.COLLECTING;
    for (let o = containers.gcNext!; o !== containers; ) {
      const c = o.constructor;
      if (c === PyInstance) {
        const x = o as unknown as Counted;
        x.gcPrev = x.ob_refcnt;
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        o = x.gcNext!;
      } else if (c === PyList) {
        const x = o as unknown as Counted;
        x.gcPrev = x.ob_refcnt;
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        o = x.gcNext!;
      } else if (c === PyDict) {
        const x = o as unknown as Counted;
        x.gcPrev = x.ob_refcnt;
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        o = x.gcNext!;
      } else if (c === PyTuple) {
        const x = o as unknown as Counted;
        x.gcPrev = x.ob_refcnt;
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        o = x.gcNext!;
      } else {
        const x = o as unknown as Counted;
        x.gcPrev = x.ob_refcnt;
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        o = x.gcNext!;
      }
    }
  }

  /**
   * updateRefs and subtractRefs in one walk, for the first analysis of a
   * collection: every walk over a big generation is a cache miss per object,
   * and this saves one of them.
   *
   * A referent can be visited before the walk reaches it, while its gcPrev is
   * still a list link and its gc_refs not yet ob_refcnt. Such a referent is
   * not COLLECTING yet, so the visitor recognises young objects by their
   * generation bits instead (young is exactly the tracked objects of
   * generations 0..gen: the permanent generation's bits are higher, an
   * untracked object's are 0) and counts the early visits in gcPrev as a
   * negative number, which the walk adds ob_refcnt to when it gets there.
   * Objects already reached are COLLECTING and decremented as in
   * subtractRefs. The result is the same gc_refs for every object.
   */
  private updateAndSubtractRefs(young: PyObject, gen: number): void {
    const genBits = ((gen + 1) << GcFlag.GEN_SHIFT) | GcFlag.COLLECTING;
    youngGenLimit = (gen + 1) << GcFlag.GEN_SHIFT;
    for (let o = young.gcNext!; o !== young; ) {
      const c = o.constructor;
      if (c === PyInstance) {
        const x = o as PyInstance;
        const early = x.gcPrev as unknown;
        (x as unknown as Counted).gcPrev = x.ob_refcnt + (typeof early === 'number' ? early : 0);
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        x.traverse(visitDecrefFirst);
        o = x.gcNext!;
      } else if (c === PyList) {
        const x = o as PyList;
        const early = x.gcPrev as unknown;
        (x as unknown as Counted).gcPrev = x.ob_refcnt + (typeof early === 'number' ? early : 0);
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        x.traverse(visitDecrefFirst);
        o = x.gcNext!;
      } else if (c === PyDict) {
        const x = o as PyDict;
        const early = x.gcPrev as unknown;
        (x as unknown as Counted).gcPrev = x.ob_refcnt + (typeof early === 'number' ? early : 0);
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        x.traverse(visitDecrefFirst);
        o = x.gcNext!;
      } else if (c === PyTuple) {
        const x = o as PyTuple;
        const early = x.gcPrev as unknown;
        (x as unknown as Counted).gcPrev = x.ob_refcnt + (typeof early === 'number' ? early : 0);
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        x.traverse(visitDecrefFirst);
        o = x.gcNext!;
      } else {
        const x = o;
        const early = x.gcPrev as unknown;
        (x as unknown as Counted).gcPrev = x.ob_refcnt + (typeof early === 'number' ? early : 0);
        x.gcFlags = (x.gcFlags & ~GcFlag.GEN_MASK) | genBits;
        x.traverse(visitDecrefFirst);
        o = x.gcNext!;
      }
    }
  }

  /**
   * Subtract internal references: what remains counts references from outside.
   *
   * This and moveUnreachable call tp_traverse once per object of the
   * generation, so the call is split by the commonest classes: each
   * `traverse` call site then only ever sees one class, and V8 inlines that
   * class's traverse together with the visitor (a generic `o.traverse(visit)`
   * is a megamorphic call making one more indirect call per referent). The
   * visit order is still each type's own traverse. Instances of Python
   * classes (PyInstance, whatever their type) get their own call site too:
   * they are most of the objects of many heaps.
   */
  private subtractRefs(containers: PyObject): void {
    for (let o = containers.gcNext!; o !== containers; ) {
      const c = o.constructor;
      if (c === PyInstance) {
        const x = o as PyInstance;
        x.traverse(visitDecref);
        o = x.gcNext!;
      } else if (c === PyList) {
        const x = o as PyList;
        x.traverse(visitDecref);
        o = x.gcNext!;
      } else if (c === PyDict) {
        const x = o as PyDict;
        x.traverse(visitDecref);
        o = x.gcNext!;
      } else if (c === PyTuple) {
        const x = o as PyTuple;
        x.traverse(visitDecref);
        o = x.gcNext!;
      } else {
        const x = o;
        x.traverse(visitDecref);
        o = x.gcNext!;
      }
    }
  }

  /**
   * Split young into reachable (stays in young) and tentatively unreachable.
   * A reachable object makes everything it refers to reachable: referents
   * already moved to `unreachable` come back to the tail of young, so the
   * scan reaches them again. Returns how many objects stay in young.
   *
   * It also does untrack_tuples and (Untrack.TUPLES_AND_DICTS) untrack_dicts,
   * which CPython runs as two more walks over young right after this one.
   * Every walk over a big generation costs a cache miss per object, so doing
   * them here, while each object is at hand, saves two of the five walks of
   * a full collection. The outcome is the same as CPython's:
   *  - the scan meets the reachable objects in their final list order, so a
   *    tuple is decided when every tuple before it has been and none after
   *    it — exactly what untrack_tuples sees;
   *  - a dict's verdict depends on no other dict, only on whether its tuple
   *    values stay tracked. A dict holding a GC value that is not an exact
   *    tuple stays tracked; one with no GC value at all is untracked at once;
   *    one whose only GC values are exact tuples is decided after the scan,
   *    when every tuple has been, as untrack_dicts would.
   */
  private moveUnreachable(young: PyObject, unreachable: PyObject, untrack: Untrack): number {
    const { listType, tupleType, dictType } = this.host;
    const untrackDicts = untrack === Untrack.TUPLES_AND_DICTS;
    const dictsToDecide: PyDict[] = [];
    let kept = 0;
    currentYoung = young;
    // The last object kept in young; its gcNext is the next one to scan.
    let prev = young;
    let o = young.gcNext!;
    while (o !== young) {
      // The commonest case first, split by class: reachable, and staying
      // tracked. Everything else takes the general path below.
      const c = o.constructor;
      if (c === PyInstance) {
        const x = o as PyInstance;
        if ((x as unknown as Counted).gcPrev > 0) {
          x.traverse(visitReachable);
          x.gcFlags &= ~GcFlag.COLLECTING;
          x.gcPrev = prev;
          prev = x;
          kept++;
          o = x.gcNext!;
          continue;
        }
        // Tentatively unreachable (as below): garbage of a young
        // collection is mostly instances.
        const next = x.gcNext!;
        prev.gcNext = next;
        const last = unreachable.gcPrev!;
        last.gcNext = x;
        x.gcPrev = last;
        x.gcNext = unreachable;
        unreachable.gcPrev = x;
        x.gcFlags |= GcFlag.UNREACHABLE;
        o = next;
        continue;
      } else if (c === PyList) {
        const x = o as PyList;
        if ((x as unknown as Counted).gcPrev > 0) {
          x.traverse(visitReachable);
          x.gcFlags &= ~GcFlag.COLLECTING;
          x.gcPrev = prev;
          prev = x;
          kept++;
          o = x.gcNext!;
          continue;
        }
      } else if (c === PyDict) {
        const x = o as PyDict;
        if ((x as unknown as Counted).gcPrev > 0 && !(untrackDicts && x.ob_type === dictType)) {
          x.traverse(visitReachable);
          x.gcFlags &= ~GcFlag.COLLECTING;
          x.gcPrev = prev;
          prev = x;
          kept++;
          o = x.gcNext!;
          continue;
        }
      }
      if (getRefs(o) > 0) {
        // Reachable: its referents are reachable too. (The type split: see
        // subtractRefs.)
        const ty = o.ob_type;
        if (ty === listType) (o as PyList).traverse(visitReachable);
        else if (ty === tupleType) (o as PyTuple).traverse(visitReachable);
        else if (ty === dictType) (o as PyDict).traverse(visitReachable);
        else if (o.constructor === PyInstance) (o as PyInstance).traverse(visitReachable);
        else o.traverse(visitReachable);
        o.gcFlags &= ~GcFlag.COLLECTING;
        let leave = false;
        if (untrack !== Untrack.NOTHING && ty === tupleType) {
          leave = !this.anyMayBeTracked((o as PyTuple).items);
        } else if (untrackDicts && ty === dictType) {
          const verdict = this.dictVerdict(o as PyDict);
          if (verdict === DictVerdict.DECIDE_LATER) dictsToDecide.push(o as PyDict);
          leave = verdict === DictVerdict.UNTRACK;
        }
        if (leave) {
          // Untracked: unlinked here, where its successor's gcPrev may still
          // hold gc_refs (the scan sets that link when it gets there).
          prev.gcNext = o.gcNext;
          o.gcNext = null;
          o.gcPrev = null;
          o.gcFlags &= ~GcFlag.GEN_MASK;
        } else {
          // Its gc_refs is no longer needed: gcPrev becomes a link again.
          o.gcPrev = prev;
          prev = o;
          kept++;
        }
      } else {
        // Tentatively unreachable: move it; it may come back later.
        prev.gcNext = o.gcNext;
        appendTo(unreachable, o);
        o.gcFlags |= GcFlag.UNREACHABLE;
      }
      // Not o.gcNext read earlier: visitReachable may have appended after o.
      o = prev.gcNext!;
    }
    young.gcPrev = prev;
    // Every tuple has been decided: the remaining dicts can be.
    for (const d of dictsToDecide) {
      if (!this.dictMayBeTracked(d)) {
        this.untrack(d);
        kept--;
      }
    }
    return kept;
  }

  /**
   * untrack_dicts' question for one dict, asked during the scan, when tuples
   * after it in young may still be untracked (see moveUnreachable).
   */
  private dictVerdict(d: PyDict): DictVerdict {
    const kv = d.kv;
    const general = d.general;
    const tupleType = this.host.tupleType;
    let tuples = false;
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      if (k === null) continue;
      const v = kv[i + 1]!;
      if (this.mayBeTracked(v)) {
        if (v.ob_type !== tupleType) return DictVerdict.KEEP;
        tuples = true;
      }
      if (general && this.mayBeTracked(k)) {
        if (k.ob_type !== tupleType) return DictVerdict.KEEP;
        tuples = true;
      }
    }
    return tuples ? DictVerdict.DECIDE_LATER : DictVerdict.UNTRACK;
  }

  /** Does any of these objects satisfy MAY_BE_TRACKED (the loop of _PyTuple_MaybeUntrack)? */
  private anyMayBeTracked(items: readonly PyObject[]): boolean {
    for (let i = 0; i < items.length; i++) if (this.mayBeTracked(items[i])) return true;
    return false;
  }

  /** _PyTuple_MaybeUntrack */
  maybeUntrackTuple(t: PyObject): void {
    if (!this.anyMayBeTracked((t as PyTuple).items)) this.untrack(t);
  }

  /**
   * _PyDict_MaybeUntrack's test: does any value, or any key unless every key
   * is a str (never GC), satisfy MAY_BE_TRACKED?
   */
  private dictMayBeTracked(d: PyDict): boolean {
    const kv = d.kv;
    const general = d.general;
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      if (k === null) continue;
      if (this.mayBeTracked(kv[i + 1]!) || (general && this.mayBeTracked(k))) return true;
    }
    return false;
  }

  /** MAY_BE_TRACKED: a GC object that is not an untracked tuple. */
  mayBeTracked(o: PyObject): boolean {
    const ty = o.ob_type;
    // Most referents are ints and strs: one flag test settles them.
    if (!(ty.tp_flags & TypeFlag.HAVE_GC) || !this.host.isGC(o)) return false;
    return ty !== (this.tupleType ??= this.host.tupleType) || o.gcNext !== null;
  }

  /**
   * One walk over the tentatively unreachable objects, right after
   * moveUnreachable: clears their scan-time UNREACHABLE mark, records the
   * generation they are collected from (where survivors go; set here so that
   * the quiet path's merge need not walk them again), counts them, and notes
   * whether any is or has a weak reference (handle_weakrefs' work) or has a
   * finalizer still to run (finalize_garbage's). Returns Survey bits; the
   * count goes to `surveyed`.
   */
  private surveyUnreachable(unreachable: PyObject, oldGen: number): number {
    const host = this.host;
    const genBits = (oldGen + 1) << GcFlag.GEN_SHIFT;
    const pep442 = !host.legacyFinalizers;
    let bits = 0;
    let count = 0;
    for (let o = unreachable.gcNext!; o !== unreachable; ) {
      count++;
      if (o.constructor === PyInstance) {
        // Never a weak reference itself (weakrefs are their own class).
        const x = o as PyInstance;
        const flags = x.gcFlags;
        x.gcFlags = (flags & ~(GcFlag.UNREACHABLE | GcFlag.GEN_MASK)) | genBits;
        if (flags & GcFlag.HAS_WEAKREFS) bits |= Survey.WEAKREFS;
        if (pep442 && !(flags & GcFlag.FINALIZED) && host.hasFinalizer(x)) bits |= Survey.FINALIZERS;
        o = x.gcNext!;
      } else {
        const flags = o.gcFlags;
        o.gcFlags = (flags & ~(GcFlag.UNREACHABLE | GcFlag.GEN_MASK)) | genBits;
        if (flags & GcFlag.HAS_WEAKREFS || host.isWeakref(o)) bits |= Survey.WEAKREFS;
        if (pep442 && !(flags & GcFlag.FINALIZED) && host.hasFinalizer(o)) bits |= Survey.FINALIZERS;
        o = o.gcNext!;
      }
    }
    this.surveyed = count;
    return bits;
  }

  private moveLegacyFinalizers(unreachable: PyObject, finalizers: PyObject): void {
    if (!this.host.legacyFinalizers) return;
    let o = unreachable.gcNext!;
    while (o !== unreachable) {
      const next = o.gcNext!;
      if (this.host.hasLegacyDel(o)) {
        o.gcFlags &= ~GcFlag.COLLECTING;
        unlink(o);
        appendTo(finalizers, o);
      }
      o = next;
    }
  }

  /** Everything reachable from an uncollectable object is uncollectable too. */
  private moveLegacyFinalizerReachable(finalizers: PyObject): void {
    for (let o = finalizers.gcNext!; o !== finalizers; o = o.gcNext!) {
      o.traverse((r) => {
        if (r.gcFlags & GcFlag.COLLECTING) {
          r.gcFlags &= ~GcFlag.COLLECTING;
          unlink(r);
          appendTo(finalizers, r);
        }
      });
    }
  }

  /**
   * Clear weakrefs to unreachable objects and run the callbacks of weakrefs
   * that are not themselves garbage. Returns the weakrefs freed by their
   * own callbacks (they count as collected).
   */
  private handleWeakrefs(unreachable: PyObject, old: PyObject, oldGen: number): number {
    const host = this.host;
    const wrcbToCall: PyObject[] = [];
    const isGarbage = (wr: PyObject) => (wr.gcFlags & GcFlag.COLLECTING) !== 0;
    for (let o = unreachable.gcNext!; o !== unreachable; o = o.gcNext!) {
      if (host.isWeakref(o)) {
        this.weakrefsHandled = true;
        host.clearWeakrefSelf(o);
      }
      if (!(o.gcFlags & GcFlag.HAS_WEAKREFS)) continue;
      this.weakrefsHandled = true;
      for (const wr of host.clearWeakrefs(o, isGarbage)) {
        // Keep the weakref alive while we call its callback.
        wr.ob_refcnt++;
        wrcbToCall.push(wr);
      }
    }
    let freed = 0;
    for (const wr of wrcbToCall) {
      host.callWeakrefCallback(wr);
      if (wr.ob_refcnt === 1) freed++;
      host.releaser.decref(wr);
    }
    void old;
    void oldGen;
    return freed;
  }

  /**
   * finalize_garbage: PEP 442 __del__, once per object, in list order.
   * Returns whether any finalizer was called.
   */
  private finalizeGarbage(collectable: PyObject): boolean {
    const host = this.host;
    if (host.legacyFinalizers) return false;
    // Most garbage has no __del__: find the first object that needs one
    // without relinking anything. Only from there on can a finalizer change
    // the list, so only from there is each object moved to `seen` first.
    let first = collectable.gcNext!;
    while (first !== collectable && (first.gcFlags & GcFlag.FINALIZED || !host.hasFinalizer(first))) first = first.gcNext!;
    if (first === collectable) return false;
    const seen = makeHead();
    if (first !== collectable.gcNext) {
      // The objects before it, as one block: what the loop below would have
      // moved one by one.
      const head = collectable.gcNext!;
      const last = first.gcPrev!;
      seen.gcNext = head;
      head.gcPrev = seen;
      last.gcNext = seen;
      seen.gcPrev = last;
      collectable.gcNext = first;
      first.gcPrev = collectable;
    }
    while (collectable.gcNext !== collectable) {
      const o = collectable.gcNext!;
      unlink(o);
      appendTo(seen, o);
      if (!(o.gcFlags & GcFlag.FINALIZED) && host.hasFinalizer(o)) {
        o.gcFlags |= GcFlag.FINALIZED;
        o.ob_refcnt++;
        host.finalize(o);
        host.releaser.decref(o);
      }
    }
    gcListMerge(seen, collectable, -1, true);
    return true;
  }

  /**
   * handle_resurrected_objects: re-run the reachability analysis on the
   * finalized garbage; what a finalizer made reachable survives (moved to
   * the old generation), the rest is truly unreachable.
   */
  private handleResurrectedObjects(unreachable: PyObject, stillUnreachable: PyObject, old: PyObject, oldGen: number): void {
    // Objects may have died during finalization (their memory already
    // released); those have left the list. Recompute on the survivors.
    for (let o = unreachable.gcNext!; o !== unreachable; o = o.gcNext!) o.gcFlags |= GcFlag.COLLECTING;
    this.deduceUnreachable(unreachable, stillUnreachable, oldGen, Untrack.NOTHING);
    // What stayed in `unreachable` is reachable again: clear marks and keep it.
    for (let o = unreachable.gcNext!; o !== unreachable; o = o.gcNext!) o.gcFlags &= ~GcFlag.COLLECTING;
    gcListMerge(unreachable, old, oldGen);
  }

  /** delete_garbage: tp_clear (or save) each object; survivors go to `old`. */
  private deleteGarbage(collectable: PyObject, old: PyObject, oldGen: number): void {
    const host = this.host;
    while (collectable.gcNext !== collectable) {
      const o = collectable.gcNext!;
      if (this.debug & DebugFlag.SAVEALL) {
        host.appendGarbage(o);
      } else {
        o.ob_refcnt++;
        o.clear(host.releaser);
        host.releaser.decref(o);
      }
      if (collectable.gcNext === o) {
        // Still alive: it is not garbage after all (or saved).
        o.gcFlags &= ~GcFlag.COLLECTING;
        unlink(o);
        appendTo(old, o);
        setGen(o, oldGen);
      }
    }
  }

  /** handle_legacy_finalizers: objects with tp_del (or all, under SAVEALL) go to gc.garbage. */
  private handleLegacyFinalizers(finalizers: PyObject, old: PyObject, oldGen: number): void {
    const host = this.host;
    for (let o = finalizers.gcNext!; o !== finalizers; o = o.gcNext!) {
      if (this.debug & DebugFlag.SAVEALL || host.hasLegacyDel(o)) host.appendGarbage(o);
    }
    gcListMerge(finalizers, old, oldGen);
  }
}

// -------------------------------------------------------- list primitives

function unlink(o: PyObject): void {
  const prev = o.gcPrev!;
  const next = o.gcNext!;
  prev.gcNext = next;
  next.gcPrev = prev;
  o.gcNext = null;
  o.gcPrev = null;
}

function appendTo(head: PyObject, o: PyObject): void {
  const last = head.gcPrev!;
  last.gcNext = o;
  o.gcPrev = last;
  o.gcNext = head;
  head.gcPrev = o;
}

/** Moves every object of `from` to the tail of `to` and records the generation. */
function gcListMerge(from: PyObject, to: PyObject, gen: number, keepGen = false): void {
  if (from.gcNext === from) return;
  if (!keepGen) for (let o = from.gcNext!; o !== from; o = o.gcNext!) setGen(o, gen);
  const first = from.gcNext!;
  const last = from.gcPrev!;
  const tail = to.gcPrev!;
  tail.gcNext = first;
  first.gcPrev = tail;
  last.gcNext = to;
  to.gcPrev = last;
  from.gcNext = from;
  from.gcPrev = from;
}

function listSize(head: PyObject): number {
  let n = 0;
  for (let o = head.gcNext!; o !== head; o = o.gcNext!) n++;
  return n;
}

// Visitors are module-level functions (not closures made per call) so the
// hot loops of a full collection allocate nothing.

/** What moveUnreachable untracks among the reachable objects it scans. */
const enum Untrack {
  /** Nothing (the second pass over finalized garbage). */
  NOTHING,
  /** Exact tuples that can never be part of a cycle (every collection). */
  TUPLES,
  /** Those, and exact dicts likewise (full collections only). */
  TUPLES_AND_DICTS,
}

/** What surveyUnreachable found among the tentatively unreachable objects. */
const enum Survey {
  /** An object is a weak reference or has some (handle_weakrefs has work). */
  WEAKREFS = 1,
  /** An object has a finalizer that has not run (finalize_garbage has work). */
  FINALIZERS = 2,
}

/** moveUnreachable's verdict on a dict. */
const enum DictVerdict {
  /** It holds a GC object that stays tracked: it stays tracked. */
  KEEP,
  /** It holds no GC object: untrack it. */
  UNTRACK,
  /** Its only GC referents are tuples that may yet be untracked. */
  DECIDE_LATER,
}

/** Gen.PERMANENT (frozen objects). */
const PERMANENT_GEN = 3;

/** Records the generation in the gcFlags bits that PyObject.gen reads. */
function setGen(o: PyObject, gen: number): void {
  o.gcFlags = (o.gcFlags & ~GcFlag.GEN_MASK) | ((gen + 1) << GcFlag.GEN_SHIFT);
}

/** gc_get_refs: valid for objects of the young list from updateRefs until moveUnreachable scans them. */
function getRefs(o: PyObject): number {
  return o.gcPrev as unknown as number;
}

/** gc_set_refs: gcPrev holds gc_refs (see the top of this file). */
function setRefs(o: PyObject, n: number): void {
  (o as unknown as { gcPrev: number }).gcPrev = n;
}

function visitDecref(o: PyObject): void {
  // Split by class like the loops (see "Monomorphic sites" below): ints and
  // strs are most referents, and never tracked.
  const c = o.constructor;
  if (c === PyInt) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else if (c === PyInstance) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else if (c === PyList) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else if (c === PyDict) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else if (c === PyStr) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else if (c === PyTuple) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  } else {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) x.gcPrev--;
  }
}

/** Generation bits of the youngest generation not collected (see updateAndSubtractRefs). */
let youngGenLimit = 0;

/** visitDecref of updateAndSubtractRefs, split by class like visitDecref. */
function visitDecrefFirst(o: PyObject): void {
  const c = o.constructor;
  if (c === PyInt) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if (flags & GcFlag.GEN_MASK) decrefEarly(o);
  } else if (c === PyInstance) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if ((flags & GcFlag.GEN_MASK) !== 0 && (flags & GcFlag.GEN_MASK) <= youngGenLimit) {
      const early = x.gcPrev as unknown;
      x.gcPrev = typeof early === 'number' ? early - 1 : -1;
    }
  } else if (c === PyList) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if ((flags & GcFlag.GEN_MASK) !== 0 && (flags & GcFlag.GEN_MASK) <= youngGenLimit) {
      const early = x.gcPrev as unknown;
      x.gcPrev = typeof early === 'number' ? early - 1 : -1;
    }
  } else if (c === PyDict) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if ((flags & GcFlag.GEN_MASK) !== 0 && (flags & GcFlag.GEN_MASK) <= youngGenLimit) {
      const early = x.gcPrev as unknown;
      x.gcPrev = typeof early === 'number' ? early - 1 : -1;
    }
  } else if (c === PyStr) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if (flags & GcFlag.GEN_MASK) decrefEarly(o);
  } else if (c === PyTuple) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (flags & GcFlag.COLLECTING) x.gcPrev--;
    else if ((flags & GcFlag.GEN_MASK) !== 0 && (flags & GcFlag.GEN_MASK) <= youngGenLimit) {
      const early = x.gcPrev as unknown;
      x.gcPrev = typeof early === 'number' ? early - 1 : -1;
    }
  } else {
    const flags = o.gcFlags;
    if (flags & GcFlag.COLLECTING) setRefs(o, getRefs(o) - 1);
    else if (flags & GcFlag.GEN_MASK) decrefEarly(o);
  }
}

/** visitDecrefFirst for a tracked referent not reached yet, whatever its class. */
function decrefEarly(o: PyObject): void {
  const bits = o.gcFlags & GcFlag.GEN_MASK;
  if (bits === 0 || bits > youngGenLimit) return;
  const early = o.gcPrev as unknown;
  setRefs(o, typeof early === 'number' ? early - 1 : -1);
}

let currentYoung: PyObject = makeHead();

function visitReachable(o: PyObject): void {
  const c = o.constructor;
  if (c === PyInt) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) markReachable(o);
  } else if (c === PyInstance) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (!(flags & GcFlag.COLLECTING)) return;
    if (flags & GcFlag.UNREACHABLE) markReachable(o);
    else if (x.gcPrev === 0) x.gcPrev = 1;
  } else if (c === PyList) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (!(flags & GcFlag.COLLECTING)) return;
    if (flags & GcFlag.UNREACHABLE) markReachable(o);
    else if (x.gcPrev === 0) x.gcPrev = 1;
  } else if (c === PyDict) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (!(flags & GcFlag.COLLECTING)) return;
    if (flags & GcFlag.UNREACHABLE) markReachable(o);
    else if (x.gcPrev === 0) x.gcPrev = 1;
  } else if (c === PyStr) {
    const x = o as unknown as Counted;
    if (x.gcFlags & GcFlag.COLLECTING) markReachable(o);
  } else if (c === PyTuple) {
    const x = o as unknown as Counted;
    const flags = x.gcFlags;
    if (!(flags & GcFlag.COLLECTING)) return;
    if (flags & GcFlag.UNREACHABLE) markReachable(o);
    else if (x.gcPrev === 0) x.gcPrev = 1;
  } else if (o.gcFlags & GcFlag.COLLECTING) {
    markReachable(o);
  }
}

/** visitReachable for a referent of the collection, whatever its class (the general, slower path). */
function markReachable(o: PyObject): void {
  const flags = o.gcFlags;
  if (flags & GcFlag.UNREACHABLE) {
    // The move_unreachable trick: an object already moved to `unreachable`
    // has been scanned; bring it back to the tail of young, where the scan
    // will reach it again. Its links are real ones (the unreachable list's).
    unlink(o);
    appendTo(currentYoung, o);
    o.gcFlags = flags & ~GcFlag.UNREACHABLE;
    setRefs(o, 1);
  } else if (getRefs(o) === 0) {
    // Still ahead in young, not yet scanned: it is reachable after all.
    setRefs(o, 1);
  }
}

/*
 * Monomorphic sites
 * -----------------
 * A heap holds objects of dozens of JS classes (one per kind of Python
 * object). V8 remembers, per property access in the source, which object
 * layouts it has seen; past four it gives up on inline checks and looks every
 * access up in a global cache, several times slower — and the collector's
 * loops see every class of the heap, so each header access (gcNext, gcPrev,
 * gcFlags, ob_refcnt) paid that price, per object and per pass. So the hot
 * loops and visitors first read the object's class (one such lookup), then
 * handle the commonest classes in branches of their own, each through a
 * `const` of its own: those accesses only ever see one layout and compile to
 * a plain load. (Without the `const`, V8 did not keep the branches' accesses
 * apart.) Helper functions are avoided in those branches for the same reason:
 * a helper's accesses see every caller's objects.
 */

/** The header as the collector sees it while gcPrev holds gc_refs. */
interface Counted {
  gcNext: PyObject | null;
  gcPrev: number;
  gcFlags: number;
  ob_refcnt: number;
}
