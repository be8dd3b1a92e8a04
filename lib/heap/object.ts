/*
 * The object header: what every simulated Python object carries.
 *
 * CPython puts a `PyObject` header (ob_refcnt, ob_type) at the start of every
 * object and, for types with Py_TPFLAGS_HAVE_GC, a 16-byte `PyGC_Head`
 * (_gc_next, _gc_prev) immediately before it. We keep the same information
 * as fields of one JS class so that the collector can walk generation lists
 * by pointer, exactly like gcmodule.c does:
 *
 *   ob_refcnt   strong references (sys.getrefcount() - 1 for its argument)
 *   ob_type     the type object (instances of heap types own a reference)
 *   id          the simulated address, i.e. id(); decided by the allocator
 *   gcNext/gcPrev  links of the generation list the object is in; gcNext is
 *               null when the object is untracked (CPython: _gc_next == 0).
 *               During a collection gcPrev holds gc_refs instead, exactly as
 *               CPython keeps it in _gc_prev (see lib/gc/collector.ts)
 *   gcFlags     FINALIZED (PEP 442: tp_finalize already ran), COLLECTING
 *               (the object is in the generation being collected), the other
 *               GcFlag bits, and the generation (for get_objects(generation))
 *   serial      allocation sequence number
 *
 * The header is kept small because a simulated heap holds millions of these
 * (a full collection over a large heap is benchmarked against CPython, time
 * and memory): V8 gives every field 8 bytes, and a number outside the small
 * integer range (2^31) becomes a separate 16-byte heap box. So:
 *   - `id` is an accessor over `addr`, a small integer encoding of the
 *     address (see encodeAddress); real simulated addresses are ~2^47.
 *   - `gen` is an accessor over three bits of gcFlags.
 *   - `weakrefs` (rare) is an accessor over a side table; a gcFlags bit says
 *     whether the object has an entry, so the common "no weakrefs" test
 *     never touches the table.
 *   - there is no gc_refs field: gcPrev doubles as it during a collection.

 * Subclasses add their own fields and implement `traverse` (tp_traverse: the
 * visit order is observable through gc.get_referents and objgraph, so each
 * type follows CPython's order) and `clear` (tp_clear, used to break cycles).
 * How an object releases its contents when it dies (tp_dealloc) is
 * `releaseContents`, called by the Runtime's deallocation choke point.
 */

/** Bits of gcFlags. */
export const enum GcFlag {
  /** tp_finalize (__del__) has been called on this object; it never runs again. */
  FINALIZED = 1,
  /** The object belongs to the generation currently being collected. */
  COLLECTING = 2,
  /** The object is a weakref that has been queued by handle_weakrefs. */
  QUEUED = 4,
  /** Set on objects moved to the unreachable list during move_unreachable (NEXT_MASK_UNREACHABLE). */
  UNREACHABLE = 8,
  /** Set by the Runtime when the object's memory has been released (for the consistency checker). */
  FREED = 16,
  /** The object has a list of weak references in the side table (see `weakrefs`). */
  HAS_WEAKREFS = 32,
  /** A list/dict/set subclass instance has a `__dict__` in the side table (see containers.ts). */
  HAS_INSTDICT = 64,
  /** A 3.11 instance dict still sharing its class's keys (see containers.ts). */
  SPLIT_DICT = 128,
  /** Bits 8..10 hold the generation + 1 (0: untracked); see `gen`. */
  GEN_SHIFT = 8,
  GEN_MASK = 7 << 8,
  /** Bits 11..15: a tuple's size at creation, capped at 31 (see PyTuple.allocSize). */
  SIZE_SHIFT = 11,
  SIZE_MASK = 31 << 11,
}

/** Generation index stored in `gen`. */
export const enum Gen {
  UNTRACKED = -1,
  PERMANENT = 3,
}

/** A tp_traverse visitor. */
export type Visit = (o: PyObject) => void;

/** Filled in by the Runtime for objects that die: keeps release order decisions in one place. */
export interface Releaser {
  decref(o: PyObject): void;
  xdecref(o: PyObject | null | undefined): void;
  /** Frees a variable-size buffer (list items, dict keys, set table) at a simulated address. */
  releaseBuffer(addr: number): void;
}

/*
 * Address encoding. Simulated addresses lie in two regions, like a Linux
 * process: the executable and brk heap near 0x55d1_0000_0000 (static objects,
 * raw malloc) and the mmap area just below 0x7f3b_0000_0000 (pymalloc arenas);
 * every one is a multiple of 8. Within 8 GiB of either anchor the address is
 * stored as a small integer (its distance in 8-byte words, +1 above the low
 * anchor, negated below the high one), which V8 keeps inline as a Smi. Any
 * other value (tests and tools may use arbitrary ids) is stored shifted out of
 * that range, so the mapping stays a bijection and nothing is ever lost.
 */
const LOW_ANCHOR = 0x55d100000000;
const HIGH_ANCHOR = 0x7f3b00000000;
/** Words reachable from an anchor: 2^30 words of 8 bytes = 8 GiB. */
const SPAN = 2 ** 30;
/** Offset that moves non-encodable values out of [-SPAN, SPAN]. */
const RAW_SHIFT = 2 ** 31;

/** The stored form of an address (0 stays 0: "no address yet"). */
export function encodeAddress(a: number): number {
  if (a === 0) return 0;
  if (a % 8 === 0) {
    // `| 0`: the arithmetic on ~2^47 values yields a heap number even when
    // the result is small; stored as is, it would make V8 keep every
    // object's address field as a separate 16-byte box.
    const lo = (a - LOW_ANCHOR) / 8;
    if (lo >= 0 && lo < SPAN) return (lo + 1) | 0;
    const hi = (HIGH_ANCHOR - a) / 8;
    if (hi >= 0 && hi < SPAN) return (-hi - 1) | 0;
  }
  return a > 0 ? a + RAW_SHIFT : a - RAW_SHIFT;
}

/** Inverse of encodeAddress. */
export function decodeAddress(v: number): number {
  if (v > 0) return v <= SPAN ? LOW_ANCHOR + (v - 1) * 8 : v - RAW_SHIFT;
  if (v < 0) return v >= -SPAN ? HIGH_ANCHOR + (v + 1) * 8 : v + RAW_SHIFT;
  return 0;
}

/**
 * Weak reference lists, for the few objects that have weak references. A
 * WeakMap keyed by the object itself holds no global state in any useful
 * sense: an object belongs to exactly one Runtime, and the entry goes when
 * the object does.
 */
const weakrefLists = new WeakMap<PyObject, PyObject[]>();

export class PyObject {
  // The header fields are `declare`d and assigned in the constructor rather
  // than written as class-field initializers: with ES2022 define semantics a
  // field initializer shared by every subclass goes megamorphic, and V8 (Node
  // 20) then defines each field through a runtime call — that made object
  // creation about 10x slower. Plain assignments stay on the fast path.
  declare ob_refcnt: number;
  declare ob_type: PyTypeLike;
  /** The address in encodeAddress form; read it through `id`. */
  declare addr: number;
  declare gcNext: PyObject | null;
  declare gcPrev: PyObject | null;
  declare gcFlags: number;
  /** Allocation sequence number: tells apart objects that reuse an address. */
  declare serial: number;

  constructor(type: PyTypeLike) {
    // Assignment order is field order in memory: what a collection pass reads
    // (links, flags, refcount, type) comes first, together.
    this.gcNext = null;
    this.gcPrev = null;
    this.gcFlags = 0;
    this.ob_refcnt = 1;
    this.ob_type = type;
    this.addr = 0;
    this.serial = 0;
  }

  /** The simulated address, i.e. id(). */
  get id(): number {
    return decodeAddress(this.addr);
  }
  set id(a: number) {
    this.addr = encodeAddress(a);
  }

  /** Which generation list holds the object (Gen.UNTRACKED, 0..2, Gen.PERMANENT). */
  get gen(): number {
    return ((this.gcFlags & GcFlag.GEN_MASK) >> GcFlag.GEN_SHIFT) - 1;
  }
  set gen(g: number) {
    this.gcFlags = (this.gcFlags & ~GcFlag.GEN_MASK) | ((g + 1) << GcFlag.GEN_SHIFT);
  }

  /** Weak references to this object, oldest first (tp_weaklistoffset list), or null. */
  get weakrefs(): PyObject[] | null {
    return this.gcFlags & GcFlag.HAS_WEAKREFS ? weakrefLists.get(this)! : null;
  }
  set weakrefs(list: PyObject[] | null) {
    if (list === null) {
      if (this.gcFlags & GcFlag.HAS_WEAKREFS) weakrefLists.delete(this);
      this.gcFlags &= ~GcFlag.HAS_WEAKREFS;
    } else {
      weakrefLists.set(this, list);
      this.gcFlags |= GcFlag.HAS_WEAKREFS;
    }
  }

  /** tp_traverse: visit every strong reference the collector should know about. */
  traverse(_visit: Visit): void {}

  /** tp_clear: drop references that could be part of a cycle. */
  clear(_r: Releaser): void {}

  /** The tp_dealloc part that releases owned references, in CPython's order. */
  releaseContents(r: Releaser): void {
    this.clear(r);
  }
}

/**
 * The part of a type object the header needs. The full type (PyType) lives in
 * types.ts; this keeps object.ts a leaf module.
 */
export interface PyTypeLike extends PyObject {
  tp_name: string;
  /** Py_TPFLAGS_* bits, see TypeFlag. */
  tp_flags: number;
}

/** Py_TPFLAGS_* bits we model. */
export const enum TypeFlag {
  HEAPTYPE = 1 << 9,
  BASETYPE = 1 << 10,
  /** Instances are GC objects (carry a PyGC_Head). */
  HAVE_GC = 1 << 14,
  /** 3.11 managed dict: attributes live in an inline values array. */
  MANAGED_DICT = 1 << 4,
  /** The class defines __del__ (tp_finalize). */
  HAS_FINALIZE = 1 << 0,
  /** Legacy tp_del (2.7 __del__): cycles holding one are uncollectable. */
  HAS_LEGACY_DEL = 1 << 1,
  /** The type is a 2.7 old-style class instance type. */
  OLD_STYLE = 1 << 2,
}
