/*
 * The Runtime: one simulated CPython memory manager.
 *
 * It owns the allocator (pymalloc model), the collector, the built-in type
 * objects, the caches (small ints, one-character strings, interned strings,
 * singletons) and the free lists. Every object is born through `register`
 * and dies through `dealloc` — the single choke point that makes stress mode
 * (collect on every allocation) and the consistency checker possible.
 *
 * Ownership convention, used everywhere: functions that return a PyObject
 * return a *new* (owned) reference; functions that take items to store
 * (newTuple, newList) *steal* the references they are given.
 *
 * Deallocation order follows subtype_dealloc: untrack, __del__ (PEP 442: at
 * most once; 2.7: every time the count hits zero), weakref callbacks, the
 * object's contents (in the order of its type, see containers.ts), free the
 * memory (to a free list when there is room), then drop the type reference.
 * Deep structures are released through a trashcan like CPython's, so a long
 * linked list does not overflow the JS stack.
 *
 * Free lists (3.11): list 80, dict 80 (plus 80 minimum-size keys), float
 * 100, tuple sizes 1..20 × 2000. An object served from or returned to a free
 * list changes neither the allocator nor the GC count — which is exactly
 * why `gc.get_count()` moves the way it does in CPython.
 */
import { Collector, type CollectorHost } from '../gc/collector.js';
import { GEOMETRY_27, GEOMETRY_311, type Geometry } from '../alloc/geometry.js';
import { PyMalloc } from '../alloc/pymalloc.js';
import { NULL_REF, PyBuiltinFunction, PyCell, PyCode, PyFunction, PyGetSetDescriptor, PyMethod, PyModule, PyProperty, PyWrapper } from './callables.js';
import { EMPTY_ENTRIES, PyDict, PyList, PySet, PyTuple } from './containers.js';
import { DICT27_BASICSIZE, DICT27_ENTRY_SIZE, dict27Insert, dict27PresizeForMerge, dict27Resize, PyDict27, type Dict27Host } from './dicttable27.js';
import { codePoints, strHash27, type PyHash } from './hash.js';
import { PyBaseException, PyFrameObject, PyGenerator, PyTraceback } from './frames.js';
import { PyClassObj, PyInstance, PyOldInstance } from './instances.js';
import { PyHolder, PyWeakref } from './misc.js';
import { GcFlag, PyObject, TypeFlag, type Releaser } from './object.js';
import { type Profile, PROFILE_311 } from './profile.js';
import { PyByteArray, PyBytes, PyComplex, PyFloat, PyInt, PyPlain, PyStr, StrKind, type IntValue } from './scalars.js';
import { PyType, type Layout } from './types.js';

/** Callbacks into the interpreter (the heap never imports it). */
export interface RuntimeHooks {
  /** Calls `o.__del__()`; exceptions are reported ("Exception ignored in"), never raised. */
  finalize(o: PyObject): void;
  /** Calls a weakref's callback with the weakref; exceptions are reported. */
  callWeakrefCallback(wr: PyWeakref): void;
  /** Runs gc.callbacks. */
  invokeGcCallbacks(phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void;
  /** A Python exception is being raised right now. */
  errorPending(): boolean;
  /** Text inside `<...>` in gc debug lines. */
  debugRepr(o: PyObject): string;
  writeStderr(s: string): void;
  /** Called whenever a simulated object is allocated (for reports: allocation sites). */
  onAllocate?(o: PyObject): void;
  /** Seconds for the collector's `elapsed` figure; default performance.now() (tests pass a fake clock). */
  clock?(): number;
}

const NO_HOOKS: RuntimeHooks = {
  finalize() {},
  callWeakrefCallback() {},
  invokeGcCallbacks() {},
  errorPending: () => false,
  debugRepr: (o) => `${(o.ob_type as PyType).tp_name} 0x${o.id.toString(16)}`,
  writeStderr: (s) => process.stderr.write(s),
};

/** Raised when the simulated heap grows past the configured limit; the interpreter maps it to MemoryError. */
export class SimulatedMemoryError extends Error {}

/** Trashcan nesting limit (CPython's _PyTrash_UNWIND_LEVEL). */
const TRASHCAN_LIMIT = 50;

export interface RuntimeOptions {
  profile?: Profile;
  hooks?: RuntimeHooks;
  /** Maximum number of live simulated objects before MemoryError. */
  maxObjects?: number;
  /** Collect on every GC allocation (consistency stress mode). */
  stress?: boolean;
  /**
   * Simulated heap limit in bytes (arenas plus large blocks). Crossing it
   * raises SimulatedMemoryError once; a 25% reserve then lets the program
   * handle the MemoryError, and crossing that too is fatal.
   */
  maxBytes?: number;
  /**
   * Keep a registry of live objects (`Runtime.live`) for the consistency
   * checker and snapshots. Off by default: then it costs one null test per
   * allocation and per deallocation.
   */
  trackLive?: boolean;
}

/** The built-in types every runtime creates. */
export class BuiltinTypes {
  [name: string]: PyType;
}

export class Runtime implements Releaser {
  readonly profile: Profile;
  readonly mem: PyMalloc;
  readonly gc: Collector;
  hooks: RuntimeHooks;
  readonly types: Record<string, PyType> = {};
  /** `type`, `object` and the other types the interpreter uses constantly. */
  readonly typeType: PyType;
  readonly objectType: PyType;
  readonly None: PyPlain;
  readonly True: PyInt;
  readonly False: PyInt;
  readonly NotImplemented: PyPlain;
  readonly Ellipsis: PyPlain;
  readonly emptyTuple: PyTuple;
  readonly emptyStr: PyStr;
  readonly emptyBytes: PyBytes;
  private readonly smallInts: PyInt[] = [];
  private readonly latin1: PyStr[] = [];
  private readonly byteChars: PyBytes[] = [];
  private readonly interned = new Map<string, PyStr>();
  /** gc.garbage (a real list). */
  readonly garbage: PyList;

  // Free lists hold block addresses; the memory stays allocated.
  private readonly listFree: number[] = [];
  private readonly dictFree: number[] = [];
  private readonly dictKeysFree: number[] = [];
  private readonly floatFree: number[] = [];
  private readonly tupleFree: number[][] = [];

  private serialCounter = 0;
  /** See RuntimeOptions.maxBytes. */
  maxBytes: number;
  private memoryErrorRaised = false;
  private memoryCheckTick = 0;
  /** Live simulated objects (for --max-memory and reports). */
  liveObjects = 0;
  maxObjects: number;
  /** Every live object born through `register`, when `trackLive` is on; null otherwise. */
  readonly live: Set<PyObject> | null;
  private trashDepth = 0;
  private readonly trashPending: PyObject[] = [];
  readonly geometry: Geometry;

  constructor(opts: RuntimeOptions = {}) {
    this.profile = opts.profile ?? PROFILE_311;
    this.hooks = opts.hooks ?? NO_HOOKS;
    this.maxObjects = opts.maxObjects ?? 20_000_000;
    this.geometry = this.profile.version === '2.7' ? GEOMETRY_27 : GEOMETRY_311;
    this.maxBytes = opts.maxBytes ?? Infinity;
    this.mem = new PyMalloc({ geometry: this.geometry });
    this.gc = new Collector(this.makeCollectorHost());
    this.gc.stress = opts.stress ?? false;
    this.live = opts.trackLive ? new Set() : null;
    for (let i = 0; i <= this.profile.tupleFreelistSizes; i++) this.tupleFree.push([]);

    // Bootstrap `type` and `object`: static types are immortal and untracked.
    const typeType = new PyType(null, 'type', TypeFlag.HAVE_GC | TypeFlag.BASETYPE, null, 'type', 888);
    typeType.ob_type = typeType;
    const objectType = new PyType(typeType, 'object', TypeFlag.BASETYPE, null, 'object', 16);
    typeType.tp_base = objectType;
    typeType.mro = [typeType, objectType];
    this.typeType = typeType;
    this.objectType = objectType;
    this.makeStatic(typeType, 904);
    this.makeStatic(objectType, 904);
    this.types.type = typeType;
    this.types.object = objectType;
    this.defineBuiltinTypes();

    const t = this.types;
    this.None = this.makeStatic(new PyPlain(t.NoneType), 16);
    this.NotImplemented = this.makeStatic(new PyPlain(t.NotImplementedType), 16);
    this.Ellipsis = this.makeStatic(new PyPlain(t.ellipsis), 16);
    this.False = this.makeStatic(new PyInt(t.bool, 0), 32);
    this.True = this.makeStatic(new PyInt(t.bool, 1), 32);
    this.emptyTuple = this.makeStatic(new PyTuple(t.tuple, []), 48);
    this.emptyStr = this.makeStatic(new PyStr(t.str, ''), 64);
    this.emptyStr.interned = true;
    this.interned.set('', this.emptyStr);
    this.emptyBytes = this.makeStatic(new PyBytes(t.bytes, new Uint8Array(0)), 48);
    for (let v = this.profile.smallIntMin; v <= this.profile.smallIntMax; v++) {
      this.smallInts.push(this.makeStatic(new PyInt(t.int, v), 32));
    }
    for (let c = 0; c < 256; c++) {
      this.latin1.push(this.makeStatic(new PyStr(t.str, String.fromCharCode(c)), c < 128 ? 64 : 80));
      this.byteChars.push(this.makeStatic(new PyBytes(t.bytes, Uint8Array.of(c)), 48));
    }
    this.garbage = this.newList([]);
    // gc.garbage lives for the whole run.
    this.garbage.ob_refcnt += this.profile.immortalRefcnt;
  }

  // ------------------------------------------------------------- types

  private defineBuiltinTypes(): void {
    const GC = TypeFlag.HAVE_GC;
    const B = TypeFlag.BASETYPE;
    const def = (name: string, layout: Layout, flags: number, basicsize: number, base: PyType = this.objectType, itemsize = 0) => {
      const ty = new PyType(this.typeType, name, flags, base, layout, basicsize, itemsize);
      this.makeStatic(ty, 904);
      this.types[name] = ty;
      return ty;
    };
    const int = def('int', 'int', B, 24, this.objectType, 4);
    def('bool', 'bool', 0, 24, int, 4);
    def('float', 'float', B, 24);
    def('complex', 'complex', B, 32);
    def('str', 'str', B, this.profile.strAsciiHeader);
    def('bytes', 'bytes', B, 33);
    // Not a GC type in CPython (newByteArray allocates it without a GC header).
    def('bytearray', 'bytearray', B, this.profile.version === '2.7' ? 48 : 56);
    def('NoneType', 'none', 0, 16);
    def('NotImplementedType', 'notimplemented', 0, 16);
    def('ellipsis', 'ellipsis', 0, 16);
    def('tuple', 'tuple', GC | B, 24, this.objectType, 8);
    def('list', 'list', GC | B, 40);
    def('dict', 'dict', GC | B, this.profile.version === '2.7' ? DICT27_BASICSIZE : 48);
    def('set', 'set', GC | B, 200);
    def('frozenset', 'frozenset', GC | B, 200);
    def('range', 'range', 0, 48);
    def('slice', 'slice', GC, 40);
    def('function', 'function', GC, 136);
    def('builtin_function_or_method', 'builtin_function', GC, 56);
    def('method', 'method', GC, 32);
    def('cell', 'cell', GC, 24);
    def('code', 'code', 0, 192);
    def('module', 'module', GC | B, 56);
    def('weakref.ReferenceType', 'weakref', GC | B, 64);
    def('weakref.ProxyType', 'weakproxy', GC, 64);
    def('weakref.CallableProxyType', 'weakproxy', GC, 64);
    def('property', 'property', GC | B, 64);
    def('staticmethod', 'staticmethod', GC | B, 32);
    def('classmethod', 'classmethod', GC | B, 32);
    def('getset_descriptor', 'getset_descriptor', GC, 48);
    // Generators have a finalizer (closing a suspended generator runs its cleanup).
    // 3.11 generators and frame objects embed the interpreter frame: their
    // basic size is the fixed part, each object adds a slot per local and
    // stack entry (see generatorBytes, frameBytes).
    def('generator', 'generator', GC | TypeFlag.HAS_FINALIZE, this.profile.version === '2.7' ? 48 : 152);
    def('frame', 'frame', GC, this.profile.version === '2.7' ? 384 : 120);
    def('traceback', 'traceback', GC, 48);
    def('BaseException', 'exception', GC | B, 72);
    def('instance', 'oldinstance', GC, 40);
    def('classobj', 'classobj', GC, 64);
    // Everything else that holds references is a PyHolder of an interpreter-defined type.
    this.types.weakref = this.types.ReferenceType = this.types['weakref.ReferenceType'];
    this.types.weakproxy = this.types.ProxyType = this.types['weakref.ProxyType'];
    this.types.weakcallableproxy = this.types.CallableProxyType = this.types['weakref.CallableProxyType'];
  }

  /**
   * Makes a static (non-heap) type for the interpreter: iterators, views,
   * module-specific types. GC types are tracked like any GC object.
   */
  defineStaticType(name: string, layout: Layout, gc: boolean, basicsize: number, base: PyType = this.objectType, baseType = false): PyType {
    const ty = new PyType(this.typeType, name, (gc ? TypeFlag.HAVE_GC : 0) | (baseType ? TypeFlag.BASETYPE : 0), base, layout, basicsize);
    this.makeStatic(ty, 904);
    return ty;
  }

  /**
   * Creates a heap type (a `class` statement). The caller fills dict/bases/mro (owned refs).
   * A direct subclass of `object` gets the `__weakref__` slot (and, without a
   * managed dict, the `__dict__` slot) in its basicsize, as type_new adds
   * them: 24 in 3.11, 32 in 2.7. A class whose `__slots__` leaves those out
   * should set tp_basicsize back to the base's size.
   */
  newHeapType(name: string, base: PyType, flags: number): PyType {
    const layout = base.layout === 'object' ? 'instance' : base.layout;
    const gcFlag = TypeFlag.HAVE_GC | TypeFlag.HEAPTYPE | TypeFlag.BASETYPE;
    const managed = this.profile.managedDict && layout === 'instance' ? TypeFlag.MANAGED_DICT : 0;
    const basicsize = base.layout === 'object' ? base.tp_basicsize + 8 + (managed ? 0 : 8) : base.tp_basicsize;
    const ty = new PyType(this.typeType, name, flags | gcFlag | managed, base, layout, basicsize);
    this.incref(base);
    this.register(ty, this.sizeOfType(), true);
    return ty;
  }

  private sizeOfType(): number {
    return 1688 - this.profile.gcHeadSize;
  }

  // ------------------------------------------------------- allocation

  /** Static objects: not allocated from pymalloc, never freed, never tracked. */
  private makeStatic<T extends PyObject>(o: T, fakeSize: number): T {
    o.ob_refcnt = this.profile.immortalRefcnt;
    o.id = this.staticAddr;
    this.staticAddr += fakeSize;
    o.serial = ++this.serialCounter;
    return o;
  }
  /** Static objects live in the data segment of the (simulated) python binary. */
  private staticAddr = 0x55d14a000000 + 0x94f20;

  /**
   * The allocation choke point. `bytes` is the object's size without the GC
   * header; GC objects get the header and bump the GC count (which may run
   * an automatic collection before the caller tracks the object).
   * `reuse` is a block address taken from a free list (no count change).
   */
  register<T extends PyObject>(o: T, bytes: number, isGC: boolean, reuse = 0): T {
    if (this.liveObjects >= this.maxObjects) throw new SimulatedMemoryError('simulated heap limit reached');
    const pre = isGC ? this.preHeaderSize(o) : 0;
    let block = reuse;
    // The limit is checked before the allocator is touched (never from inside
    // it), on large requests and every 1024 allocations.
    if (block === 0 && (bytes + pre > 512 || (++this.memoryCheckTick & 1023) === 0)) this.checkMemory(bytes + pre);
    if (block === 0) {
      block = this.mem.malloc(bytes + pre);
      if (isGC) this.gc.onAlloc();
    }
    o.id = block + pre;
    o.serial = ++this.serialCounter;
    this.liveObjects++;
    if (this.live !== null) this.live.add(o);
    if (this.hooks.onAllocate) this.hooks.onAllocate(o);
    return o;
  }

  /**
   * An object of a heap type owns a reference to its type (deallocNow drops
   * it), so factories that accept a subclass take that reference here.
   */
  private ownType(o: PyObject): void {
    if ((o.ob_type as PyType).tp_flags & TypeFlag.HEAPTYPE) o.ob_type.ob_refcnt++;
  }

  /** Simulated bytes in use: pymalloc arenas plus blocks from the raw allocator. */
  heapBytes(): number {
    return this.mem.arenaCounters().current * this.geometry.arenaSize + this.mem.raw.bytesInUse;
  }

  /** Throws SimulatedMemoryError when `extra` more bytes would cross the limit. */
  private checkMemory(extra: number): void {
    if (this.maxBytes === Infinity) return;
    this.memoryRecovered();
    const limit = this.memoryErrorRaised ? this.maxBytes * 1.25 : this.maxBytes;
    if (this.heapBytes() + extra <= limit) return;
    if (this.memoryErrorRaised) throw new SimulatedMemoryError('fatal: the simulated heap exceeded --max-memory again while handling MemoryError');
    this.memoryErrorRaised = true;
    throw new SimulatedMemoryError('simulated heap limit reached');
  }

  /**
   * For factories that build large contents before allocating the object
   * (bytes(n)): MemoryError before the JS memory is taken, not after.
   */
  reserve(nbytes: number): void {
    if (nbytes > 512) this.checkMemory(nbytes);
  }

  /** The program dealt with a MemoryError and freed memory: re-arm the limit. */
  memoryRecovered(): void {
    if (this.memoryErrorRaised && this.heapBytes() < this.maxBytes * 0.9) this.memoryErrorRaised = false;
  }

  /** Bytes before id(): the GC header, plus the 3.11 managed-dict pre-header for plain instances. */
  preHeaderSize(o: PyObject): number {
    const ty = o.ob_type as PyType;
    return (ty.tp_flags & TypeFlag.MANAGED_DICT ? 16 : 0) + this.profile.gcHeadSize;
  }

  /** Starts tracking a GC object (appends it to generation 0). */
  track(o: PyObject): void {
    this.gc.track(o);
  }

  serial(): number {
    return this.serialCounter;
  }

  // ------------------------------------------------------- refcounts

  incref(o: PyObject): void {
    o.ob_refcnt++;
  }

  decref(o: PyObject): void {
    if (--o.ob_refcnt === 0) this.dealloc(o);
  }

  xdecref(o: PyObject | null | undefined): void {
    if (o && --o.ob_refcnt === 0) this.dealloc(o);
  }

  releaseBuffer(addr: number): void {
    this.mem.free(addr);
  }

  /** The deallocation choke point (tp_dealloc). */
  dealloc(o: PyObject): void {
    if (o === NULL_REF) return;
    if (this.trashDepth >= TRASHCAN_LIMIT) {
      // Too deep: finish it later, when the outermost dealloc unwinds.
      this.trashPending.push(o);
      return;
    }
    this.trashDepth++;
    try {
      this.deallocNow(o);
    } finally {
      this.trashDepth--;
    }
    if (this.trashDepth === 0 && this.trashPending.length > 0) this.drainTrash();
  }

  private drainTrash(): void {
    this.trashDepth++;
    try {
      while (this.trashPending.length > 0) this.deallocNow(this.trashPending.pop()!);
    } finally {
      this.trashDepth--;
    }
  }

  private deallocNow(o: PyObject): void {
    const ty = o.ob_type as PyType;
    const flags = ty.tp_flags;
    if (o.gcNext !== null) this.gc.untrack(o);
    if (this.profile.legacyFinalizers) {
      // 2.7 subtype_dealloc / instance_dealloc clear weak references (and call
      // their callbacks) before __del__ runs.
      if (o.gcFlags & GcFlag.HAS_WEAKREFS) this.clearWeakrefsOnDealloc(o);
      // instance_dealloc looks __del__ up on the old-style class.
      if (o instanceof PyOldInstance && (o.cls as PyClassObj).hasDel && !(flags & TypeFlag.HAS_FINALIZE)) {
        o.ob_refcnt = 1;
        this.hooks.finalize(o);
        if (--o.ob_refcnt !== 0) {
          if (ty.isGC) this.gc.track(o);
          return;
        }
      }
    }
    if (flags & TypeFlag.HAS_FINALIZE) {
      if (this.profile.legacyFinalizers || !(o.gcFlags & GcFlag.FINALIZED)) {
        if (!this.profile.legacyFinalizers) o.gcFlags |= GcFlag.FINALIZED;
        // Temporarily resurrect the object while __del__ runs.
        o.ob_refcnt = 1;
        this.hooks.finalize(o);
        if (--o.ob_refcnt !== 0) {
          // Resurrected: __del__ stored a reference somewhere. Re-track.
          if (ty.isGC) this.gc.track(o);
          return;
        }
      }
    }
    if (o.gcFlags & GcFlag.HAS_WEAKREFS) this.clearWeakrefsOnDealloc(o);
    if (o instanceof PyWeakref) o.detach();
    o.releaseContents(this);
    this.freeObject(o, ty);
    this.liveObjects--;
    o.gcFlags |= GcFlag.FREED;
    if (this.live !== null) this.live.delete(o);
    if (flags & TypeFlag.HEAPTYPE) this.decref(ty);
  }

  /** PyObject_ClearWeakRefs at refcount death: clear all, then call callbacks (newest registration order as CPython). */
  private clearWeakrefsOnDealloc(o: PyObject): void {
    const refs = o.weakrefs!;
    o.weakrefs = null;
    const withCallbacks: PyWeakref[] = [];
    for (const wr of refs) {
      const w = wr as PyWeakref;
      w.referent = null;
      if (w.callback) withCallbacks.push(w);
    }
    for (const w of withCallbacks) {
      // The weakref may die during an earlier callback; keep it alive while calling.
      w.ob_refcnt++;
      const cb = w.callback;
      if (cb) {
        this.hooks.callWeakrefCallback(w);
        // A callback runs once: drop it.
        if (w.callback === cb) {
          w.callback = null;
          this.decref(cb);
        }
      }
      this.decref(w);
    }
  }

  /** Returns an object's memory to its free list or to the allocator. */
  private freeObject(o: PyObject, ty: PyType): void {
    const isGC = ty.isGC;
    const block = o.id - (isGC ? this.preHeaderSize(o) : 0);
    const p = this.profile;
    const exact = !ty.isHeapType;
    switch (ty.layout) {
      case 'list': {
        const l = o as PyList;
        if (l.bufAddr) this.mem.free(l.bufAddr);
        l.bufAddr = 0;
        if (exact && this.listFree.length < p.listFreelist) {
          this.listFree.push(block);
          return;
        }
        break;
      }
      case 'dict': {
        const d = o as PyDict;
        if (d.keysAddr) {
          if (exact && d.log2size === 3 && !d.general && this.dictKeysFree.length < p.dictFreelist) this.dictKeysFree.push(d.keysAddr);
          else this.mem.free(d.keysAddr);
          d.keysAddr = 0;
        }
        if (exact && this.dictFree.length < p.dictFreelist) {
          this.dictFree.push(block);
          return;
        }
        break;
      }
      case 'tuple': {
        // releaseContents emptied items; the size was recorded at creation.
        const size = (o as PyTuple).allocSize;
        if (exact && size > 0 && size <= p.tupleFreelistSizes && this.tupleFree[size].length < p.tupleFreelist) {
          this.tupleFree[size].push(block);
          return;
        }
        break;
      }
      case 'float':
        if (exact && this.floatFree.length < p.floatFreelist) {
          this.floatFree.push(block);
          return;
        }
        break;
      case 'set':
      case 'frozenset': {
        const st = o as PySet;
        if (st.tableAddr) this.mem.free(st.tableAddr);
        st.tableAddr = 0;
        break;
      }
      case 'instance': {
        const inst = o as PyInstance;
        if (inst.valuesAddr) this.mem.free(inst.valuesAddr);
        inst.valuesAddr = 0;
        break;
      }
    }
    this.mem.free(block);
    if (isGC) this.gc.onFree();
  }

  /** gc: clear_freelists, run by every full collection. */
  clearFreelists(): void {
    // Free-listed objects go back to the allocator. The GC count is not
    // touched: these frees bypass PyObject_GC_Del's accounting (gc.collect
    // just zeroed the counts anyway).
    for (const a of this.listFree) this.mem.free(a);
    for (const a of this.dictFree) this.mem.free(a);
    for (const a of this.dictKeysFree) this.mem.free(a);
    for (const a of this.floatFree) this.mem.free(a);
    for (const l of this.tupleFree) {
      for (const a of l) this.mem.free(a);
      l.length = 0;
    }
    this.listFree.length = this.dictFree.length = this.dictKeysFree.length = this.floatFree.length = 0;
  }

  /** Block addresses parked on the free lists (for the consistency checker). */
  freelistBlocks(): number[] {
    const out = [...this.listFree, ...this.dictFree, ...this.dictKeysFree, ...this.floatFree];
    for (const l of this.tupleFree) out.push(...l);
    return out;
  }

  /** Sizes of the free lists, for sys._debugmallocstats(). */
  freelistStats(): Array<{ count: number; name: string; size: number }> {
    const rows = [
      { count: this.dictFree.length, name: 'free PyDictObject', size: 48 },
      { count: this.floatFree.length, name: 'free PyFloatObject', size: 24 },
      { count: this.listFree.length, name: 'free PyListObject', size: 40 },
    ];
    for (let i = 1; i <= this.profile.tupleFreelistSizes; i++) {
      rows.push({ count: this.tupleFree[i].length, name: `free ${i}-sized PyTupleObject`, size: 24 + 8 * i });
    }
    return rows;
  }

  // -------------------------------------------------- object factories

  /** A new reference to the int `v` (cached for small values). */
  newInt(v: IntValue): PyInt {
    if (typeof v === 'number') {
      if (v >= this.profile.smallIntMin && v <= this.profile.smallIntMax && Number.isInteger(v)) {
        const o = this.smallInts[v - this.profile.smallIntMin];
        o.ob_refcnt++;
        return o;
      }
    } else if (v >= -9007199254740991n && v <= 9007199254740991n) {
      return this.newInt(Number(v));
    }
    const o = new PyInt(this.types.int, v);
    return this.register(o, intAllocSize(v), false);
  }

  /** 2.7: a new `unicode` object (types.unicode exists in the 2.7 profile only). */
  newUnicode(s: string): PyStr {
    const o = new PyStr(this.types.unicode, s);
    return this.register(o, this.strSize(o), false);
  }

  /** 2.7: a new `long` object (types.long exists in the 2.7 profile only). */
  newLong(v: IntValue): PyInt {
    const o = new PyInt(this.types.long, v);
    return this.register(o, intAllocSize(v), false);
  }

  /** The cached small int, or null (no new reference). */
  smallInt(v: number): PyInt | null {
    return v >= this.profile.smallIntMin && v <= this.profile.smallIntMax ? this.smallInts[v - this.profile.smallIntMin] : null;
  }

  newBool(b: boolean): PyInt {
    const o = b ? this.True : this.False;
    o.ob_refcnt++;
    return o;
  }

  newFloat(v: number): PyFloat {
    const o = new PyFloat(this.types.float, v);
    const reuse = this.floatFree.pop() ?? 0;
    return this.register(o, 24, false, reuse);
  }

  newComplex(re: number, im: number): PyComplex {
    return this.register(new PyComplex(this.types.complex, re, im), 32, false);
  }

  /** A new str; the empty string and one-character latin-1 strings are the cached singletons. */
  newStr(s: string): PyStr {
    if (s.length <= 1) {
      if (s.length === 0) {
        this.emptyStr.ob_refcnt++;
        return this.emptyStr;
      }
      const c = s.charCodeAt(0);
      if (c < 256) {
        const o = this.latin1[c];
        o.ob_refcnt++;
        return o;
      }
    }
    const o = new PyStr(this.types.str, s);
    return this.register(o, this.strSize(o), false);
  }

  /**
   * sys.intern / compile-time interning: the one shared object for this text.
   * `literal`: a name-like constant of compiled code. CPython 3.11 keeps
   * these as static objects, so a one-character literal such as 'a' is a
   * different object from chr(97), the latin-1 cache entry.
   */
  intern(s: string, literal = false): PyStr {
    let o = this.interned.get(s);
    if (o === undefined) {
      if ((literal && s.length === 1) || this.profile.staticStrings?.has(s)) {
        // A string the binary holds as static data: interning it never
        // touches pymalloc (made on first use here; identity is all that shows).
        o = new PyStr(this.types.str, s);
        // Static data is 16-byte aligned like every object address.
        o = this.makeStatic(o, (this.strSize(o) + 15) & ~15);
        o.interned = true;
        this.interned.set(s, o);
        o.ob_refcnt++;
        return o;
      }
      o = this.newStr(s);
      if (o.interned || o.ob_refcnt >= this.profile.immortalRefcnt) return o; // a cached singleton
      o.interned = true;
      // Interned strings created by the compiler behave as static (3.11 deep-frozen / immortal-ish).
      o.ob_refcnt += this.profile.immortalRefcnt - 1;
      this.interned.set(s, o);
      return o;
    }
    o.ob_refcnt++;
    return o;
  }

  /** sys.intern(s): returns the interned equal string (new ref), interning `s` itself if none. */
  internObject(s: PyStr): PyStr {
    const cur = this.interned.get(s.v);
    if (cur !== undefined) {
      cur.ob_refcnt++;
      return cur;
    }
    if (s.ob_type !== this.types.str) {
      s.ob_refcnt++;
      return s;
    }
    s.interned = true;
    this.interned.set(s.v, s);
    s.ob_refcnt++;
    return s;
  }

  isInterned(s: string): PyStr | undefined {
    return this.interned.get(s);
  }

  strSize(o: PyStr): number {
    const p = this.profile;
    if (p.version === '2.7') return p.strAsciiHeader + o.v.length;
    const k = o.kind;
    if (k === StrKind.ASCII) return p.strAsciiHeader + o.length + 1;
    return p.strCompactHeader + (o.length + 1) * k;
  }

  /** A new bytes object; the empty one and the 256 one-byte ones are cached singletons (exact bytes only). */
  newBytes(v: Uint8Array, type: PyType = this.types.bytes): PyBytes {
    if (v.length <= 1 && type === this.types.bytes) {
      const o = v.length === 0 ? this.emptyBytes : this.byteChars[v[0]];
      o.ob_refcnt++;
      return o;
    }
    const o = new PyBytes(type, v);
    this.ownType(o);
    this.register(o, type.tp_basicsize + v.length, type.isGC);
    if (type.isGC) this.gc.track(o);
    return o;
  }

  /**
   * A new bytearray holding `v` (taken, not copied), its buffer exactly
   * len + 1 bytes as PyByteArray_FromStringAndSize and a first
   * PyByteArray_Resize both make it; an empty one has no buffer. The object
   * is allocated before its buffer, as bytearray_new/bytearray_init do.
   */
  newByteArray(v: Uint8Array, type: PyType = this.types.bytearray): PyByteArray {
    const o = new PyByteArray(type, new Uint8Array(0));
    this.ownType(o);
    this.register(o, type.tp_basicsize, type.isGC);
    if (type.isGC) this.gc.track(o);
    if (v.length > 0) {
      this.byteArrayResize(o, v.length);
      o.buf = v;
    }
    return o;
  }

  /**
   * PyByteArray_Resize: gives `b` a logical size of `size` bytes (new bytes
   * are zero), with CPython's buffer policy. The buffer keeps a trailing NUL,
   * so it needs start + size + 1 bytes:
   *  - it fits: a major downsize (size < alloc / 2, C integer division)
   *    reallocates to size + 1, anything else just sets the size;
   *  - it does not fit: a moderate upsize (size <= alloc * 1.125)
   *    over-allocates like list_resize, size + size/8 + (3 if size < 9
   *    else 6); a major one takes exactly size + 1.
   * A buffer whose start was advanced is copied to a fresh block (malloc,
   * free) rather than reallocated; 2.7 never advances the start.
   */
  byteArrayResize(b: PyByteArray, size: number): void {
    if (size === b.len) return;
    const offset = b.start;
    let alloc = b.alloc;
    if (size + offset + 1 <= alloc) {
      if (size >= Math.floor(alloc / 2)) {
        b.setLength(size);
        return;
      }
      alloc = size + 1;
    } else if (size <= alloc * 1.125) {
      alloc = size + (size >> 3) + (size < 9 ? 3 : 6);
    } else {
      alloc = size + 1;
    }
    if (alloc > 512) this.checkMemory(alloc);
    if (offset > 0) {
      const fresh = this.mem.malloc(alloc);
      this.mem.free(b.bufAddr);
      b.bufAddr = fresh;
    } else {
      b.bufAddr = this.mem.realloc(b.bufAddr, alloc);
    }
    b.start = 0;
    b.alloc = alloc;
    b.setLength(size);
  }

  /**
   * bytearray_setslice_linear's shrink at the front (del b[:n] and the
   * like): 3.x advances ob_start by `n` instead of moving the bytes, then
   * resizes; 2.7 moves them. The caller has already dropped the bytes.
   */
  byteArrayAdvanceStart(b: PyByteArray, n: number): void {
    if (this.profile.version !== '2.7') b.start += n;
  }

  /** A new tuple owning `items` (stolen). The empty tuple is the singleton. */
  newTuple(items: PyObject[], type: PyType = this.types.tuple): PyTuple {
    const n = items.length;
    if (n === 0 && type === this.types.tuple) {
      this.emptyTuple.ob_refcnt++;
      return this.emptyTuple;
    }
    const o = new PyTuple(type, items);
    this.ownType(o);
    const reuse = type === this.types.tuple && n <= this.profile.tupleFreelistSizes ? this.tupleFree[n].pop() ?? 0 : 0;
    this.register(o, 24 + 8 * n, true, reuse);
    this.gc.track(o);
    return o;
  }

  /** A new list owning `items` (stolen), with capacity exactly `capacity` (>= length). */
  newList(items: PyObject[], capacity = items.length, type: PyType = this.types.list): PyList {
    const o = new PyList(type);
    this.ownType(o);
    o.items = items;
    const reuse = type === this.types.list ? this.listFree.pop() ?? 0 : 0;
    this.register(o, 40, true, reuse);
    if (capacity > 0) {
      o.allocated = capacity;
      o.bufAddr = this.mem.malloc(capacity * 8);
    }
    this.gc.track(o);
    return o;
  }

  /**
   * list_resize: make room for `newsize` items with CPython's
   * over-allocation — 3.11: n + n/8 + 6 rounded down to a multiple of 4, or
   * just n rounded up to 4 when that is closer; 2.7: n + n/8 + (3 or 6).
   */
  listResize(l: PyList, newsize: number): void {
    const allocated = l.allocated;
    if (allocated >= newsize && newsize >= allocated >> 1) return;
    let newAllocated: number;
    if (this.profile.version === '2.7') newAllocated = newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6);
    else {
      newAllocated = (newsize + (newsize >> 3) + 6) & ~3;
      if (newsize - l.items.length > newAllocated - newsize) newAllocated = (newsize + 3) & ~3;
    }
    if (newsize === 0) newAllocated = 0;
    this.listSetCapacity(l, newAllocated);
  }

  /** Reallocates a list's item buffer to exactly `cap` slots. */
  listSetCapacity(l: PyList, cap: number): void {
    if (cap === l.allocated) return;
    if (l.bufAddr === 0) l.bufAddr = cap > 0 ? this.mem.malloc(cap * 8) : 0;
    else if (cap === 0) {
      this.mem.free(l.bufAddr);
      l.bufAddr = 0;
    } else l.bufAddr = this.mem.realloc(l.bufAddr, cap * 8);
    l.allocated = cap;
  }

  /** A new, empty dict (untracked until something trackable is inserted). */
  newDict(type: PyType = this.types.dict, presize = 0, insertionOrdered = false): PyDict {
    const legacy = this.profile.version === '2.7';
    // 2.7's OrderedDict keeps its own order: it stays an insertion-ordered dict.
    const o = legacy && !insertionOrdered ? new PyDict27(type) : new PyDict(type);
    this.ownType(o);
    const reuse = type === this.types.dict ? this.dictFree.pop() ?? 0 : 0;
    this.register(o, legacy ? DICT27_BASICSIZE : 48, true, reuse);
    // 2.7's _PyDict_NewPresized only presizes past 5 entries.
    if (o instanceof PyDict27) {
      if (presize > 5) dict27Resize(o, presize, this.dict27Host);
    } else if (presize > 0) this.dictAllocKeys(o, presize <= 5 ? 3 : log2KeysizeFor(((presize * 3 + 1) / 2) | 0));
    // Dict subclasses are tracked from birth; exact dicts are lazily tracked.
    if (type !== this.types.dict) this.gc.track(o);
    return o;
  }

  /** A new keys table for `d`; its usable entries are counted from the entries `d` holds (see PyDict.usable). */
  private dictAllocKeys(d: PyDict, log2size: number): void {
    const bytes = dictKeysBytes(log2size, d.general);
    if (d.keysAddr) this.mem.free(d.keysAddr);
    d.keysAddr = log2size === 3 && !d.general && this.dictKeysFree.length > 0 ? this.dictKeysFree.pop()! : this.mem.malloc(bytes);
    d.log2size = log2size;
  }

  /**
   * Appends a new entry (key and value references stolen). `token` is the
   * lookup token, `hash` the Python hash for SLOW_TOKEN keys. Resizes first
   * when the keys table is full, compacting deleted entries as CPython does.
   */
  dictAppend(d: PyDict, token: unknown, hash: PyHash, key: PyObject, value: PyObject, isStrKey: boolean): void {
    if (d instanceof PyDict27) {
      this.dictInsert27(d, token, hash, key, value, isStrKey);
      return;
    }
    if (d.gcFlags & GcFlag.SPLIT_DICT) this.splitDictInsert(d, token, isStrKey);
    if (!isStrKey && !d.general) {
      d.general = true;
      // The tokens were implicit (each key's text); from now on they are stored.
      d.ts = strKeyTokens(d.kv);
      if (d.log2size !== 0) this.dictResize(d, log2KeysizeFor(d.used * 3));
    }
    if (d.log2size === 0) this.dictAllocKeys(d, 3);
    else if (d.usable <= 0) this.dictResize(d, log2KeysizeFor(d.used * 3));
    const idx = d.nentries;
    if (idx === 0) {
      // First entry: exactly-sized arrays instead of the shared empty ones.
      d.kv = [key, value];
      if (d.ts !== null) d.ts = [token];
    } else {
      d.kv.push(key, value);
      if (d.ts !== null) d.ts.push(token);
    }
    if (d.hs !== null || typeof token === 'symbol') {
      if (d.hs === null) d.hs = new Array(idx).fill(0);
      d.hs.push(hash);
    }
    if (typeof token === 'symbol') {
      if (d.slowIndex === null) d.slowIndex = new Map();
      const b = d.slowIndex.get(hash);
      if (b) b.push(idx);
      else d.slowIndex.set(hash, [idx]);
    } else if (d.index !== null) d.index.set(token, idx);
    else if (idx >= 8) this.dictBuildIndex(d);
    d.used++;
    if (d.gcNext === null && (this.gc.mayBeTracked(key) || this.gc.mayBeTracked(value))) this.gc.track(d);
  }

  /**
   * A new key in a split-table dict: a str key the class keys have, or can
   * still take (insert_into_dictkeys), keeps the dict split; anything else
   * makes it combined (insertdict → insertion_resize).
   */
  private splitDictInsert(d: PyDict, token: unknown, isStrKey: boolean): void {
    const type = d.splitKeysOf as PyType;
    if (isStrKey) {
      const name = token as string;
      if (type.sharedKeys.includes(name)) return;
      if (type.sharedKeysUsable > 0) {
        type.sharedKeys.push(name);
        type.sharedKeysUsable--;
        return;
      }
      // The class keys are full: insertion_resize makes a combined table.
      d.splitKeysOf = null;
      this.dictResize(d, log2KeysizeFor(d.used * 3));
      return;
    }
    // A non-str key: the general-keys resize in dictAppend makes it combined.
    d.splitKeysOf = null;
  }

  /** dict.popitem on a split table: it first becomes combined, as large as the class keys (2**6 slots). */
  dictUnsplit(d: PyDict): void {
    if (!(d.gcFlags & GcFlag.SPLIT_DICT)) return;
    d.splitKeysOf = null;
    this.dictResize(d, SHARED_KEYS_LOG2SIZE);
  }

  /**
   * 2.7: the new entry goes where the table's probing puts it (see
   * dicttable27.ts). A str key's hash is computed here (callers setting
   * attributes do not have it); other keys come with theirs.
   */
  private dictInsert27(d: PyDict, token: unknown, hash: PyHash, key: PyObject, value: PyObject, isStrKey: boolean): void {
    if (!isStrKey && !d.general) {
      d.general = true;
      d.ts = strKeyTokens(d.kv);
    }
    if (key instanceof PyStr && typeof token === 'string') hash = key.hash ??= strHash27(codePoints(key.v));
    dict27Insert(d, token, hash, key, value, this.dict27Host);
    if (d.gcNext === null && (this.gc.mayBeTracked(key) || this.gc.mayBeTracked(value))) this.gc.track(d);
  }

  /** The memory of 2.7 dict tables. */
  private readonly dict27Host: Dict27Host = {
    allocTable: (bytes) => this.mem.malloc(bytes),
    freeTable: (addr) => this.mem.free(addr),
  };

  /** 2.7 dictresize(d, minused), e.g. dict.fromkeys sizing for a dict or set source. */
  dictResizeFor27(d: PyDict, minused: number): void {
    dict27Resize(d, minused, this.dict27Host);
  }

  /** 2.7 PyDict_Merge: one resize up front before merging `n` entries (no-op for 3.11). */
  dictPresizeForMerge(d: PyDict, n: number): void {
    if (d instanceof PyDict27) dict27PresizeForMerge(d, n, this.dict27Host);
  }

  /** Replaces the value of entry `idx` (new value stolen), releasing the old one afterwards. */
  dictReplace(d: PyDict, idx: number, value: PyObject): void {
    const old = d.valueAt(idx)!;
    d.kv[(idx << 1) + 1] = value;
    if (d.gcNext === null && this.gc.mayBeTracked(value)) this.gc.track(d);
    this.decref(old);
  }

  /** Deletes entry `idx`: the slot becomes a dummy; value then key are released. */
  dictDeleteAt(d: PyDict, idx: number): void {
    const k = d.keyAt(idx)!;
    const v = d.valueAt(idx)!;
    const ts = d.ts;
    const token = ts !== null ? ts[idx] : (k as PyStr).v;
    d.kv[idx << 1] = null;
    d.kv[(idx << 1) + 1] = null;
    if (ts !== null) ts[idx] = undefined;
    if (typeof token === 'symbol') {
      const h = d.hs![idx];
      const b = d.slowIndex!.get(h)!;
      b.splice(b.indexOf(idx), 1);
      if (b.length === 0) d.slowIndex!.delete(h);
    } else if (d.index !== null) d.index.delete(token);
    d.used--;
    this.decref(v);
    this.decref(k);
  }

  /** Finds the entry index for a fast token (no Python calls), or -1. */
  dictFind(d: PyDict, token: unknown): number {
    if (d.index !== null) {
      const i = d.index.get(token);
      return i === undefined ? -1 : i;
    }
    const ts = d.ts;
    const kv = d.kv;
    if (ts === null) {
      // Only exact str keys: the token is the key's text.
      for (let i = 0; i < kv.length; i += 2) {
        const k = kv[i];
        if (k !== null && (k as PyStr).v === token) return i >> 1;
      }
      return -1;
    }
    for (let i = 0; i < ts.length; i++) if (ts[i] === token && kv[i << 1] !== null) return i;
    return -1;
  }

  private dictBuildIndex(d: PyDict): void {
    const m = new Map<unknown, number>();
    const ts = d.ts;
    const n = d.nentries;
    for (let i = 0; i < n; i++) {
      const k = d.keyAt(i);
      if (k === null) continue;
      const token = ts !== null ? ts[i] : (k as PyStr).v;
      if (typeof token !== 'symbol') m.set(token, i);
    }
    d.index = m;
  }

  /** dictresize: new keys table, entries compacted in order. */
  private dictResize(d: PyDict, log2size: number): void {
    const old = d.kv;
    // Exactly sized (a `push` on a fresh [] would reserve spare room), up to
    // the length beyond which V8 would make a preallocated array a slow
    // dictionary-backed one; the writes below are in order, so both work.
    const kv: (PyObject | null)[] = d.used <= 32768 ? new Array(d.used * 2) : [];
    const oldTs = d.ts;
    const ts: unknown[] | null = oldTs !== null ? [] : null;
    const hs: PyHash[] | null = d.hs ? [] : null;
    let j = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === null) continue;
      kv[j++] = old[i];
      kv[j++] = old[i + 1];
      if (ts !== null) ts.push(oldTs![i >> 1]);
      if (hs) hs.push(d.hs![i >> 1]);
    }
    d.kv = j === 0 ? EMPTY_ENTRIES : kv;
    d.ts = ts;
    d.hs = hs;
    d.index = null;
    d.slowIndex = null;
    if (hs && ts !== null) {
      d.slowIndex = new Map();
      for (let i = 0; i < ts.length; i++) {
        if (typeof ts[i] === 'symbol') {
          const b = d.slowIndex.get(hs[i]);
          if (b) b.push(i);
          else d.slowIndex.set(hs[i], [i]);
        }
      }
    }
    if (j >= 16) this.dictBuildIndex(d);
    this.dictAllocKeys(d, log2size);
  }

  /** dict.clear(): release all entries (first to last) and go back to the empty keys. */
  dictClear(d: PyDict): void {
    d.clearContents(this);
  }

  /** A new set or frozenset (always tracked). */
  newSet(frozen = false, type?: PyType): PySet {
    const o = new PySet(type ?? (frozen ? this.types.frozenset : this.types.set));
    this.ownType(o);
    this.register(o, 200, true);
    this.gc.track(o);
    return o;
  }

  /** Records a set table resize (for sizes and the allocator). */
  setTableResized(s: PySet): void {
    // set_table_resize allocates the new table before it frees the old one.
    const old = s.tableAddr;
    s.tableAddr = s.mask + 1 > 8 ? this.mem.malloc((s.mask + 1) * 16) : 0;
    if (old) this.mem.free(old);
  }

  /** A new instance of a heap type (3.11: inline values; 2.7: a dict from birth). */
  newInstance(type: PyType): PyInstance {
    const o = new PyInstance(type);
    this.incref(type);
    this.register(o, type.tp_basicsize + (type.slotNames ? 8 * type.slotNames.length : 0), true);
    if (type.slotNames) o.slots = new Array(type.slotNames.length).fill(null);
    if (type.hasInstanceDict) {
      if (type.tp_flags & TypeFlag.MANAGED_DICT) {
        // init_inline_values: the class keys shrink by one per instance
        // (which is what every split dict's getsizeof then reports).
        if (type.sharedKeysUsable > 1) type.sharedKeysUsable--;
        o.values = [];
        this.instanceValuesResized(o);
      } else {
        o.dict = this.newDict();
      }
    }
    this.gc.track(o);
    return o;
  }

  /** Keeps the simulated values array allocation in step with the class's shared keys. */
  instanceValuesResized(o: PyInstance): void {
    const n = (o.ob_type as PyType).sharedKeys.length + 1;
    const bytes = ((n + 2 + 7) & ~7) + 8 * n;
    if (bytes === o.valuesSize && o.valuesAddr) return;
    if (o.valuesAddr) o.valuesAddr = this.mem.realloc(o.valuesAddr, bytes);
    else o.valuesAddr = this.mem.malloc(bytes);
    o.valuesSize = bytes;
  }

  /**
   * Stores attribute `name` on an instance (value reference stolen): in the
   * inline values (3.11 managed dict, extending the class's shared keys) or
   * in the instance dict. A replaced value is released afterwards.
   */
  instanceSetAttr(o: PyInstance, name: string, value: PyObject): void {
    if (o.values !== null) {
      const type = o.ob_type as PyType;
      const keys = type.sharedKeys;
      let i = keys.indexOf(name);
      if (i < 0) {
        if (type.sharedKeysUsable <= 0) {
          // The class keys are full: the attributes move to a dict.
          const d = this.materializeDict(o);
          this.dictAppend(d, name, 0, this.intern(name), value, true);
          return;
        }
        i = keys.length;
        keys.push(name);
        type.sharedKeysUsable--;
      }
      while (o.values.length <= i) o.values.push(null);
      this.instanceValuesResized(o);
      const old = o.values[i];
      o.values[i] = value;
      this.xdecref(old);
      return;
    }
    if (o.dict === null && !(o.ob_type as PyType).hasInstanceDict) throw new Error(`internal: ${(o.ob_type as PyType).tp_name} instance has no __dict__`);
    const d = (o.dict ?? this.materializeDict(o)) as PyDict;
    const idx = this.dictFind(d, name);
    if (idx >= 0) this.dictReplace(d, idx, value);
    else this.dictAppend(d, name, 0, this.intern(name), value, true);
  }

  /**
   * Materialises a 3.11 instance's `__dict__`: the inline values move into
   * a real dict (in shared-keys order), which the instance then owns.
   */
  materializeDict(o: PyInstance): PyDict {
    if (o.dict) return o.dict as PyDict;
    const d = this.newDict();
    const keys = (o.ob_type as PyType).sharedKeys;
    const vals = o.values ?? [];
    o.values = null;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v) this.dictAppend(d, keys[i], 0, this.intern(keys[i]), v, true);
    }
    // make_dict_from_instance_attributes: the dict shares the class keys.
    if ((o.ob_type as PyType).tp_flags & TypeFlag.MANAGED_DICT) d.splitKeysOf = o.ob_type;
    if (o.valuesAddr) this.mem.free(o.valuesAddr);
    o.valuesAddr = 0;
    o.valuesSize = 0;
    o.dict = d;
    return d;
  }

  newOldInstance(cls: PyClassObj, dict: PyDict): PyOldInstance {
    const o = new PyOldInstance(this.types.instance, cls, dict);
    this.register(o, 40, true);
    this.gc.track(o);
    return o;
  }

  newClassObj(name: string, bases: PyTuple, dict: PyDict): PyClassObj {
    const o = new PyClassObj(this.types.classobj, name, bases, dict);
    this.register(o, 64, true);
    this.gc.track(o);
    return o;
  }

  newFunction(code: PyCode, globals: PyDict, builtins: PyDict, module: PyObject | null, name: PyStr, qualname: PyStr): PyFunction {
    // References to code, globals, builtins, module, name and qualname are stolen.
    const o = new PyFunction(this.types.function, code, globals, builtins, module, name, qualname);
    this.register(o, 136, true);
    this.gc.track(o);
    return o;
  }

  newCode(consts: PyObject[], name: string, qualname: string, filename: string, firstlineno: number, body: unknown): PyCode {
    return this.register(new PyCode(this.types.code, consts, name, qualname, filename, firstlineno, body), 192, false);
  }

  newCell(ref: PyObject | null): PyCell {
    const o = new PyCell(this.types.cell, ref);
    this.register(o, 24, true);
    this.gc.track(o);
    return o;
  }

  /** A bound method (func and self references stolen). */
  newMethod(func: PyObject, self: PyObject): PyMethod {
    const o = new PyMethod(this.types.method, func, self);
    this.register(o, 32, true);
    this.gc.track(o);
    return o;
  }

  newBuiltinFunction(name: string, impl: PyBuiltinFunction['impl'], self: PyObject | null, qualname = name): PyBuiltinFunction {
    const o = new PyBuiltinFunction(this.types.builtin_function_or_method, name, impl, self, qualname);
    this.register(o, 56, true);
    this.gc.track(o);
    return o;
  }

  newWrapper(type: PyType, callable: PyObject): PyWrapper {
    const o = new PyWrapper(type, callable);
    this.ownType(o);
    this.register(o, 32, true);
    this.gc.track(o);
    return o;
  }

  newProperty(type: PyType, fget: PyObject | null, fset: PyObject | null, fdel: PyObject | null, doc: PyObject | null): PyProperty {
    const o = new PyProperty(type, fget, fset, fdel, doc);
    this.ownType(o);
    this.register(o, 64, true);
    this.gc.track(o);
    return o;
  }

  newGetSetDescriptor(owner: PyType, name: string): PyGetSetDescriptor {
    this.incref(owner);
    const o = new PyGetSetDescriptor(this.types.getset_descriptor, owner, name);
    this.register(o, 48, true);
    this.gc.track(o);
    return o;
  }

  newModule(name: string, dict: PyDict): PyModule {
    const o = new PyModule(this.types.module, dict, name);
    this.register(o, 56, true);
    this.gc.track(o);
    return o;
  }

  /** A weak reference to `referent` (callback reference stolen), registered on the referent. */
  newWeakref(type: PyType, referent: PyObject, callback: PyObject | null, isProxy: boolean): PyWeakref {
    const o = new PyWeakref(type, referent, callback, isProxy);
    this.ownType(o);
    this.register(o, 64, true);
    if (referent.weakrefs === null) referent.weakrefs = [];
    // CPython's list: refs without callbacks first (they are shared), then
    // refs with callbacks, newest first — the order callbacks run in.
    const list = referent.weakrefs;
    let at = 0;
    while (at < list.length && !(list[at] as PyWeakref).callback) at++;
    if (callback === null) list.unshift(o);
    else list.splice(at, 0, o);
    this.gc.track(o);
    return o;
  }

  newHolder(type: PyType, refs: (PyObject | null)[], state: unknown, bytes: number, track = true): PyHolder {
    const o = new PyHolder(type, refs, state);
    this.ownType(o);
    this.register(o, bytes, type.isGC);
    if (track && type.isGC) this.gc.track(o);
    return o;
  }

  newPlain(type: PyType): PyPlain {
    const o = new PyPlain(type);
    if (type.isHeapType) this.incref(type);
    this.register(o, 16, type.isGC);
    if (type.isGC) this.gc.track(o);
    return o;
  }

  newException(type: PyType, args: PyTuple): PyBaseException {
    const o = new PyBaseException(type, args);
    if (type.isHeapType) this.incref(type);
    this.register(o, 72, true);
    this.gc.track(o);
    return o;
  }

  newTraceback(next: PyObject | null, frame: PyFrameObject, lineno: number): PyTraceback {
    const o = new PyTraceback(this.types.traceback, next, frame, lineno);
    this.register(o, 48, true);
    this.gc.track(o);
    return o;
  }

  /**
   * A frame object; `slots` is co_nlocalsplus + co_stacksize of its code
   * (2.7: co_stacksize + co_nlocals + cells + frees, f_localsplus).
   */
  newFrameObject(frame: PyFrameObject['frame'], slots: number): PyFrameObject {
    const o = new PyFrameObject(this.types.frame, frame, slots);
    this.register(o, this.frameBytes(o), true);
    return o;
  }

  private frameBytes(o: PyFrameObject): number {
    // 2.7's struct already holds one f_localsplus slot.
    return this.profile.version === '2.7' ? 384 + 8 * Math.max(0, o.slots - 1) : 120 + 8 * o.slots;
  }

  /** A generator; `slots` is co_nlocalsplus + co_stacksize of its code (3.11 embeds the frame). */
  newGenerator(type: PyType, frame: PyGenerator['frame'], name: PyStr, qualname: PyStr, slots: number): PyGenerator {
    const o = new PyGenerator(type, frame, name, qualname, slots);
    this.ownType(o);
    this.register(o, this.generatorBytes(o), true);
    this.gc.track(o);
    return o;
  }

  private generatorBytes(o: PyGenerator): number {
    return (o.ob_type as PyType).tp_basicsize + (this.profile.version === '2.7' ? 0 : 8 * o.slots);
  }

  // ----------------------------------------------------------- sizes

  /** sys.getsizeof(o) */
  sizeof(o: PyObject): number {
    const ty = o.ob_type as PyType;
    const pre = ty.isGC ? this.preHeaderSize(o) : 0;
    switch (ty.layout) {
      // Instances of Python subclasses are GC objects (pre) with the
      // subclass's tp_basicsize (a __dict__ / __weakref__ slot more), except
      // where the type's __sizeof__ ignores it (int; str, whose subclass
      // instances are not compact strings in 3.x).
      case 'int':
      case 'bool':
        // 2.7's int is fixed-size: a subclass's instance is its tp_basicsize.
        if (pre !== 0 && this.profile.version === '2.7' && !ty.isSubtypeOf(this.types.long)) return pre + ty.tp_basicsize;
        return pre + intAllocSize((o as PyInt).v);
      case 'float':
        return pre + ty.tp_basicsize;
      case 'str': {
        if (pre === 0 || this.profile.version === '2.7') return pre + this.strSize(o as PyStr);
        const str = o as PyStr;
        return pre + this.profile.strCompactHeader + 8 + (str.length + 1) * Math.max(1, str.kind);
      }
      case 'bytes':
        return pre + ty.tp_basicsize + (o as PyBytes).v.length;
      case 'bytearray':
        return pre + ty.tp_basicsize + (o as PyByteArray).alloc;
      case 'tuple':
        return pre + ty.tp_basicsize + 8 * (o as PyTuple).items.length;
      case 'list':
        return pre + ty.tp_basicsize + 8 * (o as PyList).allocated;
      case 'dict': {
        const d = o as PyDict;
        if (d.gcFlags & GcFlag.SPLIT_DICT) {
          // _PyDict_SizeOf: a split table counts its values array, as large
          // as the class keys' entries plus usable slots are now.
          const t = d.splitKeysOf as PyType;
          return pre + ty.tp_basicsize + 8 * (t.sharedKeys.length + t.sharedKeysUsable);
        }
        // 2.7: the object holds an 8-slot table; a bigger one is a separate block.
        if (this.profile.version === '2.7') return pre + ty.tp_basicsize + (d.log2size > 3 ? DICT27_ENTRY_SIZE << d.log2size : 0);
        return pre + ty.tp_basicsize + (d.log2size ? dictKeysBytes(d.log2size, d.general) : 0);
      }
      case 'set':
      case 'frozenset': {
        const s = o as PySet;
        return pre + ty.tp_basicsize + (s.mask + 1 > 8 ? (s.mask + 1) * 16 : 0);
      }
      case 'instance':
        return pre + ty.tp_basicsize + (ty.slotNames ? 8 * ty.slotNames.length : 0);
      case 'generator':
        return pre + this.generatorBytes(o as PyGenerator);
      case 'frame':
        return pre + this.frameBytes(o as PyFrameObject);
      case 'type':
        return ty.isHeapType || o instanceof PyType ? 1688 : 1688;
      default:
        return pre + ty.tp_basicsize;
    }
  }

  // ------------------------------------------------ collector plumbing

  private makeCollectorHost(): CollectorHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rt = this;
    let tupleType: PyType | undefined;
    let listType: PyType | undefined;
    let dictType: PyType | undefined;
    return {
      releaser: rt,
      get legacyFinalizers() {
        return rt.profile.legacyFinalizers;
      },
      get py27Debug() {
        return rt.profile.version === '2.7';
      },
      hasFinalizer: (o) => ((o.ob_type as PyType).tp_flags & TypeFlag.HAS_FINALIZE) !== 0,
      hasLegacyDel: (o) => rt.profile.legacyFinalizers && rt.hasLegacyDel(o),
      finalize: (o) => rt.hooks.finalize(o),
      clearWeakrefs(o, isGarbage) {
        const refs = o.weakrefs;
        if (!refs) return [];
        o.weakrefs = null;
        const out: PyObject[] = [];
        for (const wr of refs) {
          const w = wr as PyWeakref;
          w.referent = null;
          if (w.callback && !isGarbage(w)) out.push(w);
        }
        return out;
      },
      isWeakref: (o) => o instanceof PyWeakref,
      clearWeakrefSelf: (o) => {
        const w = o as PyWeakref;
        w.detach();
        const cb = w.callback;
        w.callback = null;
        rt.xdecref(cb);
      },
      callWeakrefCallback: (wr) => {
        const w = wr as PyWeakref;
        const cb = w.callback;
        if (!cb) return;
        rt.hooks.callWeakrefCallback(w);
        if (w.callback === cb) {
          w.callback = null;
          rt.decref(cb);
        }
      },
      // rt.types is a big dynamic record (slow keyed lookups), so the types are cached.
      get tupleType() {
        return (tupleType ??= rt.types.tuple);
      },
      get listType() {
        return (listType ??= rt.types.list);
      },
      get dictType() {
        return (dictType ??= rt.types.dict);
      },
      isGC: (o) => rt.isGCObject(o),
      appendGarbage: (o) => rt.listAppend(rt.garbage, o),
      clearFreelists: () => rt.clearFreelists(),
      invokeCallbacks: (phase, g, c, u) => rt.hooks.invokeGcCallbacks(phase, g, c, u),
      debugRepr: (o) => rt.hooks.debugRepr(o),
      isOldInstance: (o) => o instanceof PyOldInstance,
      writeStderr: (s) => rt.hooks.writeStderr(s),
      clock: () => (rt.hooks.clock ? rt.hooks.clock() : performance.now() / 1000),
      errorPending: () => rt.hooks.errorPending(),
    };
  }

  /**
   * PyObject_IS_GC: the type has HAVE_GC and, for type objects, the type is a
   * heap type (static types are never collected: type_is_gc).
   */
  isGCObject(o: PyObject): boolean {
    if (!(o.ob_type as PyType).isGC) return false;
    return !(o instanceof PyType) || o.isHeapType;
  }

  /** 2.7: does this object's class define __del__ (tp_del)? */
  hasLegacyDel(o: PyObject): boolean {
    if (o instanceof PyOldInstance) return (o.cls as PyClassObj).hasDel;
    if (o instanceof PyGenerator) return false;
    return ((o.ob_type as PyType).tp_flags & TypeFlag.HAS_FINALIZE) !== 0;
  }

  /** list.append (new reference taken). */
  listAppend(l: PyList, o: PyObject): void {
    o.ob_refcnt++;
    this.listResize(l, l.items.length + 1);
    l.items.push(o);
  }
}


/** The lookup tokens of entries whose keys are all exact strs: their text (undefined for deleted entries). */
function strKeyTokens(kv: readonly (PyObject | null)[]): unknown[] {
  const ts: unknown[] = [];
  for (let i = 0; i < kv.length; i += 2) {
    const k = kv[i];
    ts.push(k === null ? undefined : (k as PyStr).v);
  }
  return ts;
}

/** Bytes of an int: header + 30-bit digits (at least one). */
export function intAllocSize(v: IntValue): number {
  let n = 0;
  if (typeof v === 'number') {
    let a = Math.abs(v);
    while (a > 0) {
      n++;
      a = Math.floor(a / 1073741824);
    }
  } else {
    let a = v < 0n ? -v : v;
    while (a > 0n) {
      n++;
      a >>= 30n;
    }
  }
  return 24 + 4 * Math.max(n, 1);
}

/** NEXT_LOG2_SHARED_KEYS_MAX_SIZE: log2 of the table size of a class's shared keys. */
const SHARED_KEYS_LOG2SIZE = 6;

/** calculate_log2_keysize: log2 of the keys table size for `minsize` slots (at least 8). */
export function log2KeysizeFor(minsize: number): number {
  // calculate_log2_keysize: the bit length of ((minsize | 8) - 1) | 7. Not
  // quite "the next power of two": 1..7 give 16 (a one-entry dict that
  // gets a non-str key is resized to 16 slots).
  const m = ((minsize | 8) - 1) | 7;
  return 32 - Math.clz32(m);
}

/** Size of a dict keys object: header, index bytes, entries (16 for str-keyed, 24 otherwise). */
export function dictKeysBytes(log2size: number, general: boolean): number {
  const size = 2 ** log2size;
  const ixBytes = log2size < 8 ? 1 : log2size < 16 ? 2 : log2size < 32 ? 4 : 8;
  const usable = Math.floor((size * 2) / 3);
  return 32 + size * ixBytes + usable * (general ? 24 : 16);
}
