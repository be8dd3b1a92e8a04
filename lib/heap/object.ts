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
 *               null when the object is untracked (CPython: _gc_next == 0)
 *   gcRefs      scratch copy of the refcount during a collection
 *               (CPython keeps it in _gc_prev >> 2)
 *   gcFlags     FINALIZED (PEP 442: tp_finalize already ran) and COLLECTING
 *               (the object is in the generation being collected)
 *   gen         which generation list holds it (for get_objects(generation))
 *
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

export class PyObject {
  // The header fields are `declare`d and assigned in the constructor rather
  // than written as class-field initializers: with ES2022 define semantics a
  // field initializer shared by every subclass goes megamorphic, and V8 (Node
  // 20) then defines each field through a runtime call — that made object
  // creation about 10x slower. Plain assignments stay on the fast path.
  declare ob_refcnt: number;
  declare ob_type: PyTypeLike;
  declare id: number;
  declare gcNext: PyObject | null;
  declare gcPrev: PyObject | null;
  declare gcRefs: number;
  declare gcFlags: number;
  declare gen: number;
  /** Allocation sequence number: tells apart objects that reuse an address. */
  declare serial: number;
  /** Weak references to this object, oldest first (tp_weaklistoffset list). */
  declare weakrefs: PyObject[] | null;

  constructor(type: PyTypeLike) {
    this.ob_refcnt = 1;
    this.ob_type = type;
    this.id = 0;
    this.gcNext = null;
    this.gcPrev = null;
    this.gcRefs = 0;
    this.gcFlags = 0;
    this.gen = Gen.UNTRACKED;
    this.serial = 0;
    this.weakrefs = null;
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
