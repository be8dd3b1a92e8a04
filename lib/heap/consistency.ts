/*
 * Heap consistency checker: the invariants the memory core promises, checked
 * from the outside after the fact (tests run it after every case, and the
 * stress pass runs it after collecting on every allocation).
 *
 * What is checked, in this order:
 *
 *   1. Generation lists. Each of the four lists (gen 0, 1, 2, permanent) is
 *      a well-formed circular list: walking gcNext from the sentinel comes
 *      back to it, every gcPrev mirrors a gcNext, no object is on two lists
 *      or twice on one, each object's `gen` names its list, every object on
 *      a list is of a GC type, is not freed, and carries no scan-time flag
 *      (COLLECTING, UNREACHABLE) once no collection is running.
 *   2. The allocator's own invariants (PyMalloc.checkConsistency()).
 *
 *   The rest needs the registry of live objects (`new Runtime({ trackLive:
 *   true })`) and is skipped without it:
 *
 *   3. Tracking: a live object with gcNext set was found on a list; an
 *      untracked one has no stale links and gen UNTRACKED.
 *   4. Block accounting: the blocks in use (pymalloc + raw) are exactly the
 *      blocks of live objects, their buffers (list items, dict keys, set
 *      table, instance values) and the free lists — each one allocated and
 *      owned once.
 *   5. References: no live object refers to a freed one (strong references
 *      through traverse and the few owned references traverse does not
 *      report, weak references through their referent); each object's
 *      weakref list points back at it.
 *   6. Refcounts: ob_refcnt is at least the number of references from other
 *      live objects; with `externalRoots` (object → references held from
 *      outside the heap: variables of the caller, frames) it must be exactly
 *      internal + external. Immortal-ish objects (static objects, interned
 *      strings, gc.garbage) are skipped.
 */
import { PyCode } from './callables.js';
import { PyDict, PyList, PySet } from './containers.js';
import { PyFrameObject } from './frames.js';
import { PyInstance } from './instances.js';
import { PyWeakref } from './misc.js';
import { PyByteArray } from './scalars.js';
import { GcFlag, Gen, PyObject, TypeFlag } from './object.js';
import type { Runtime } from './runtime.js';
import type { PyType } from './types.js';

/** Stop reporting after this many problems: one bug usually causes thousands. */
const MAX_PROBLEMS = 50;

/**
 * Every strong reference `o` owns, in traverse order followed by the owned
 * references traverse does not report (code constants, a frame object's
 * globals and builtins, the type of a heap-type instance that does not
 * visit it).
 */
export function visitOwned(o: PyObject, visit: (r: PyObject) => void): void {
  const ty = o.ob_type as PyType;
  let typeVisited = false;
  o.traverse((r) => {
    if (r === ty) typeVisited = true;
    visit(r);
  });
  if (o instanceof PyCode) for (const c of o.consts) visit(c);
  if (o instanceof PyFrameObject && o.ownsFrame && !o.frame.finished) {
    visit(o.frame.globals);
    visit(o.frame.builtins);
  }
  // subtype_dealloc drops one reference to a heap type; most instances visit it already.
  if (ty !== null && ty.tp_flags & TypeFlag.HEAPTYPE && !typeVisited) visit(ty);
}

export interface CheckOptions {
  /**
   * The check runs while the interpreter is busy: from the collector's
   * `afterCollection` hook, inside an allocation whose block has no owner
   * yet and with `collecting` still set although no scan is running. The
   * total of blocks in use is then not compared (each block is still
   * checked), and leftover scan flags are reported all the same. Objects
   * with refcount 0 are being deallocated further up the JS stack (a
   * __del__ run by their contents' release allocated): like CPython's
   * list_dealloc they may still point at contents already released, so
   * their references and buffers are not checked.
   */
  inFlight?: boolean;
}

/**
 * Checks the heap invariants; returns one line per problem, empty when the
 * heap is sound.
 *
 * @example
 * const rt = new Runtime({ trackLive: true });
 * const l = rt.newList([]);
 * checkConsistency(rt, new Map([[l, 1]]));   // []
 */
export function checkConsistency(rt: Runtime, externalRoots?: Map<PyObject, number>, opts: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const report = (msg: string): boolean => {
    if (problems.length < MAX_PROBLEMS) problems.push(msg);
    return problems.length < MAX_PROBLEMS;
  };
  const name = (o: PyObject): string => {
    const ty = o.ob_type as PyType | null;
    return `<${ty ? ty.tp_name : '?'} 0x${o.id.toString(16)} #${o.serial}>`;
  };

  // 1. Generation lists.
  const gc = rt.gc;
  const onList = new Set<PyObject>();
  const lists: Array<[PyObject, number]> = [
    [gc.heads[0], 0],
    [gc.heads[1], 1],
    [gc.heads[2], 2],
    [gc.permanent, Gen.PERMANENT],
  ];
  for (const [head, g] of lists) {
    let prev = head;
    let o = head.gcNext;
    while (o !== head) {
      if (o === null) {
        report(`generation ${g}: list broken after ${prev === head ? 'the head' : name(prev)} (gcNext null)`);
        break;
      }
      if (o.gcPrev !== prev) report(`generation ${g}: ${name(o)}.gcPrev does not point back to its predecessor`);
      if (onList.has(o)) {
        report(`generation ${g}: ${name(o)} is on a generation list twice (or the list loops)`);
        break;
      }
      onList.add(o);
      if (o.gen !== g) report(`${name(o)} is on generation list ${g} but its gen field says ${o.gen}`);
      const ty = o.ob_type as PyType | null;
      if (ty === null || !ty.isGC) report(`${name(o)} is tracked but its type is not a GC type`);
      if (o.gcFlags & GcFlag.FREED) report(`${name(o)} is tracked but has been freed`);
      if ((opts.inFlight || !gc.collecting) && o.gcFlags & (GcFlag.COLLECTING | GcFlag.UNREACHABLE)) {
        report(`${name(o)} still carries collection flags (${o.gcFlags}) outside a collection`);
      }
      prev = o;
      o = o.gcNext;
    }
    if (head.gcPrev !== prev) report(`generation ${g}: the head's gcPrev is not the last object`);
  }

  // 2. The allocator.
  for (const p of rt.mem.checkConsistency()) report(`allocator: ${p}`);

  if (rt.live === null) return problems;
  const registry = rt.live;
  // An object without a type would stop the walks below with a JS error.
  const live: PyObject[] = [];
  for (const o of registry) {
    if (o.ob_type) live.push(o);
    else report(`${name(o)} is live but has no type`);
  }

  // 3. Tracking state of every live object.
  for (const o of live) {
    if (o.gcFlags & GcFlag.FREED) report(`${name(o)} is in the live registry but marked freed`);
    if (o.gcNext !== null) {
      if (!onList.has(o)) report(`${name(o)} looks tracked (gcNext set) but is on no generation list`);
    } else if (o.gcPrev !== null || o.gen !== Gen.UNTRACKED) {
      report(`${name(o)} is untracked but keeps gcPrev/gen (${o.gen})`);
    }
  }
  for (const o of onList) if (!registry.has(o)) report(`${name(o)} is tracked but not in the live registry`);

  // 4. Block accounting. Owners are described lazily: this loop sees every block.
  const owners = new Map<number, PyObject | null>();
  const ownerName = (o: PyObject | null, what: string): string => (o === null ? 'a free list' : `${name(o)}${what}`);
  const claim = (addr: number, owner: PyObject | null, what: string): void => {
    if (owners.has(addr)) {
      report(`block 0x${addr.toString(16)} claimed by both ${ownerName(owners.get(addr)!, '')} and ${ownerName(owner, what)}`);
      return;
    }
    owners.set(addr, owner);
    try {
      rt.mem.blockSizeOf(addr);
    } catch {
      report(`block 0x${addr.toString(16)} of ${ownerName(owner, what)} is not allocated`);
    }
  };
  const dying = (o: PyObject): boolean => opts.inFlight === true && o.ob_refcnt === 0;
  for (const o of live) {
    const ty = o.ob_type as PyType;
    claim(o.id - (ty.isGC ? rt.preHeaderSize(o) : 0), o, '');
    if (dying(o)) continue;
    if (o instanceof PyList && o.bufAddr) claim(o.bufAddr, o, ' items');
    else if (o instanceof PyDict && o.keysAddr) claim(o.keysAddr, o, ' keys');
    else if (o instanceof PySet && o.tableAddr) claim(o.tableAddr, o, ' table');
    else if (o instanceof PyInstance && o.valuesAddr) claim(o.valuesAddr, o, ' values');
    else if (o instanceof PyByteArray && o.bufAddr) claim(o.bufAddr, o, ' bytes');
  }
  for (const a of rt.freelistBlocks()) claim(a, null, '');
  const inUse = rt.mem.pymallocBlocksInUse + rt.mem.raw.blocksInUse;
  if (inUse !== owners.size && !opts.inFlight) {
    report(`allocator has ${inUse} blocks in use but live objects, buffers and free lists account for ${owners.size}`);
  }

  // 5 and 6. References and refcounts.
  const internal = new Map<PyObject, number>();
  let current: PyObject = null as unknown as PyObject;
  const visit = (r: PyObject): void => {
    if (r.gcFlags & GcFlag.FREED) {
      report(`${name(current)} refers to freed object ${name(r)}`);
      return;
    }
    internal.set(r, (internal.get(r) ?? 0) + 1);
  };
  for (const o of live) {
    if (dying(o)) continue;
    current = o;
    visitOwned(o, visit);
    if (o instanceof PyWeakref && o.referent !== null) {
      const t = o.referent;
      if (t.gcFlags & GcFlag.FREED) report(`weakref ${name(o)} points at freed object ${name(t)}`);
      else if (!t.weakrefs || !t.weakrefs.includes(o)) report(`weakref ${name(o)} is missing from its referent's list`);
    }
    if (o.weakrefs !== null) {
      for (const w of o.weakrefs) {
        if ((w as PyWeakref).referent !== o) report(`${name(o)} lists weakref ${name(w)} that points elsewhere`);
        if (w.gcFlags & GcFlag.FREED) report(`${name(o)} lists freed weakref ${name(w)}`);
      }
    }
  }
  // Interned strings and gc.garbage carry the immortal base on top of their
  // real count, which then moves up and down around it.
  const immortal = Math.floor(rt.profile.immortalRefcnt / 2);
  for (const o of live) {
    const rc = o.ob_refcnt;
    if (rc >= immortal || dying(o)) continue;
    const n = internal.get(o) ?? 0;
    if (rc < n) report(`${name(o)} has refcount ${rc} but ${n} references from live objects`);
    else if (externalRoots !== undefined) {
      const expected = n + (externalRoots.get(o) ?? 0);
      if (rc !== expected) report(`${name(o)} has refcount ${rc}; expected ${expected} (${n} internal + ${expected - n} external)`);
    } else if (rc <= 0) report(`${name(o)} is live with refcount ${rc}`);
  }
  if (externalRoots !== undefined) {
    for (const o of externalRoots.keys()) {
      if (o.gcFlags & GcFlag.FREED) report(`external root ${name(o)} has been freed`);
    }
  }
  return problems;
}

/**
 * Checks the heap after every collection (through the collector's
 * `afterCollection` hook) and at the points of a run its owner names, and
 * keeps what it finds, each problem prefixed with where it was found. After
 * the first collection that finds problems it stops checking collections:
 * one bug usually repeats in every later check, and the first report is the
 * one that points at it. Used by `refscope run --check`.
 *
 * @example
 * const rt = new Runtime({ trackLive: true, stress: true });
 * const watch = new ConsistencyWatch(rt);
 * // ... run code on rt ...
 * watch.check('at the end');
 * watch.problems;   // [] when every check passed
 */
export class ConsistencyWatch {
  /** Every problem found so far, as `where: problem`. */
  readonly problems: string[] = [];
  /** Collections checked so far. */
  collections = 0;
  private readonly hook: (generation: number, automatic: boolean) => void;

  constructor(private readonly rt: Runtime) {
    this.hook = (generation, automatic) => {
      this.collections++;
      const where = `after collection ${this.collections} (generation ${generation}, ${automatic ? 'automatic' : 'gc.collect()'})`;
      if (!this.check(where, { inFlight: true })) this.stop();
    };
    rt.gc.afterCollection = this.hook;
  }

  /** Checks the heap now; false when problems were found (they are added to `problems`). */
  check(where: string, opts: CheckOptions = {}): boolean {
    const found = checkConsistency(this.rt, undefined, opts);
    for (const p of found) this.problems.push(`${where}: ${p}`);
    return found.length === 0;
  }

  /** Stops checking after collections. */
  stop(): void {
    if (this.rt.gc.afterCollection === this.hook) this.rt.gc.afterCollection = null;
  }
}
