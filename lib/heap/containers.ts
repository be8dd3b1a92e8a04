/*
 * Container storage: tuple, list, dict, set/frozenset.
 *
 * These classes hold the data and know how the collector sees them
 * (traverse/clear) and in which order they release their items when they die
 * — that order is observable through __del__ output:
 *   list, tuple: last item to first (list_dealloc / tupledealloc walk down);
 *   dict: entry by entry, first to last, key then value (free_keys_object);
 *   set: in hash-table order (the table itself is run by settable.ts).
 *
 * Python semantics (hashing, equality, resizing policy of lists) live in the
 * interpreter; the layout numbers that decide sys.getsizeof and pymalloc
 * usage (list capacity, dict keys size, set table size) are fields here so
 * that both the sizes and the allocator see the same thing.
 */
import type { PyHash } from './hash.js';
import { decodeAddress, encodeAddress, GcFlag, PyObject, TypeFlag, type PyTypeLike, type Releaser, type Visit } from './object.js';

/*
 * The `__dict__` of an instance of a list, dict or set subclass. Only such
 * instances have one, so instead of a field on every list, dict and set
 * (millions of them in a big heap, 8 bytes each) it lives in a side table,
 * with a gcFlags bit so that traverse tests a bit, not the table. A WeakMap
 * keyed by the object holds no shared state: each object belongs to one
 * Runtime, and the entry goes when the object does.
 */
const instDicts = new WeakMap<PyObject, PyObject>();

export function getInstDict(o: PyObject): PyObject | null {
  return o.gcFlags & GcFlag.HAS_INSTDICT ? instDicts.get(o)! : null;
}

export function setInstDict(o: PyObject, d: PyObject | null): void {
  if (d === null) {
    if (o.gcFlags & GcFlag.HAS_INSTDICT) instDicts.delete(o);
    o.gcFlags &= ~GcFlag.HAS_INSTDICT;
  } else {
    instDicts.set(o, d);
    o.gcFlags |= GcFlag.HAS_INSTDICT;
  }
}

/**
 * subtype_traverse's part for an instance of a subclass of a built-in type,
 * visited before the base type's own traverse: the instance `__dict__`, then
 * the heap type itself. The instance owns a reference to its class, so a
 * cycle through the class (`L.inst = L()`) is only found when it is visited.
 */
export function visitSubtypeHead(o: PyObject, visit: Visit): void {
  if (o.gcFlags & GcFlag.HAS_INSTDICT) visit(instDicts.get(o)!);
  const ty = o.ob_type;
  if (ty.tp_flags & TypeFlag.HEAPTYPE) visit(ty);
}

/** Drops the `__dict__` of a built-in subclass's instance, if it has one. */
export function releaseInstDict(o: PyObject, r: Releaser): void {
  if (!(o.gcFlags & GcFlag.HAS_INSTDICT)) return;
  const d = instDicts.get(o)!;
  setInstDict(o, null);
  r.decref(d);
}

/*
 * A 3.11 split-table dict: an instance `__dict__` whose keys are its class's
 * shared keys (CACHED_KEYS) and which holds only a values array. Its
 * getsizeof counts the values array as sized by the class keys at the time
 * of the call (nentries + usable), not the keys, so it is kept here as the
 * class the keys belong to. Entries are stored like a combined dict's; only
 * the size differs. The mark goes when the dict becomes combined.
 */
const splitDicts = new WeakMap<PyObject, PyTypeLike>();

export class PyTuple extends PyObject {
  items: PyObject[];
  hash: PyHash | undefined = undefined;
  constructor(type: PyTypeLike, items: PyObject[]) {
    super(type);
    this.items = items;
    const n = items.length;
    this.gcFlags |= (n < 31 ? n : 31) << GcFlag.SIZE_SHIFT;
  }
  /**
   * Number of items at creation, capped at 31 (the free lists keep tuples of
   * up to 20 items): decides the tuple free list the memory goes to. Kept in
   * gcFlags bits rather than a field of its own: a big heap holds many tuples.
   */
  get allocSize(): number {
    return (this.gcFlags & GcFlag.SIZE_MASK) >> GcFlag.SIZE_SHIFT;
  }
  override traverse(visit: Visit): void {
    // tupletraverse goes from the last item down to the first (after a subclass's __dict__ and type).
    visitSubtypeHead(this, visit);
    const items = this.items;
    for (let i = items.length - 1; i >= 0; i--) visit(items[i]);
  }
  override clear(r: Releaser): void {
    // Tuples have no tp_clear (a cycle through a tuple is broken elsewhere);
    // a subclass's subtype_clear drops the instance __dict__.
    releaseInstDict(this, r);
  }
  override releaseContents(r: Releaser): void {
    releaseInstDict(this, r);
    const items = this.items;
    for (let i = items.length - 1; i >= 0; i--) r.decref(items[i]);
    this.items = EMPTY;
  }
}
const EMPTY: PyObject[] = [];

export class PyList extends PyObject {
  // An explicit constructor: without one the field initializers make the
  // compiled class call `super(...arguments)`, a slow path on every allocation.
  constructor(type: PyTypeLike) {
    super(type);
  }
  items: PyObject[] = [];
  /** ob_alloc: capacity of the item array, decides getsizeof and the buffer size. */
  allocated = 0;
  /** The item buffer's address in encodeAddress form (a small integer, stored inline). */
  private bufAt = 0;
  /** Simulated address of the item buffer (0 when allocated == 0). */
  get bufAddr(): number {
    return decodeAddress(this.bufAt);
  }
  set bufAddr(a: number) {
    this.bufAt = encodeAddress(a);
  }
  /** `__dict__` of an instance of a list subclass (side table, see instDicts). */
  get instDict(): PyObject | null {
    return getInstDict(this);
  }
  set instDict(d: PyObject | null) {
    setInstDict(this, d);
  }
  override traverse(visit: Visit): void {
    // list_traverse walks from the end to the start (observable in get_referents).
    visitSubtypeHead(this, visit);
    const items = this.items;
    for (let i = items.length - 1; i >= 0; i--) visit(items[i]);
  }
  override clear(r: Releaser): void {
    // _list_clear: detach the items first, then release them last to first.
    const items = this.items;
    this.items = [];
    if (this.bufAddr) r.releaseBuffer(this.bufAddr);
    this.bufAddr = 0;
    this.allocated = 0;
    for (let i = items.length - 1; i >= 0; i--) r.decref(items[i]);
  }
  override releaseContents(r: Releaser): void {
    const d = this.instDict;
    this.instDict = null;
    r.xdecref(d);
    this.clear(r);
  }
}

/** Token of dict keys that need Python-level hashing and equality. */
export const SLOW_TOKEN: unique symbol = Symbol('slow-key');

/**
 * The entry array of an empty dict. Shared by every empty dict so that an
 * empty dict costs no array at all; never written to: Runtime.dictAppend
 * replaces it by an exactly-sized array on the first insertion (a `push` on a
 * fresh `[]` would reserve 18 slots, about 150 bytes for a 1-key dict), and
 * every other writer (dictReplace, dictDeleteAt) indexes an existing entry.
 */
export const EMPTY_ENTRIES: never[] = [];

/** The rarely needed parts of a dict, created on first use. */
class DictExtra {
  ts: unknown[] | null = null;
  hs: PyHash[] | null = null;
  index: Map<unknown, number> | null = null;
  slowIndex: Map<PyHash, number[]> | null = null;
  /** 2.7 tables (dicttable27.ts): ma_fill, and popitem's finger while slot 0 is empty. */
  fill = 0;
  finger = 0;
  /** Insertions so far: a 2.7 table changes in place, so caches cannot go by its length. */
  inserts = 0;
}

export class PyDict extends PyObject {
  // An explicit constructor: without one the field initializers make the
  // compiled class call `super(...arguments)`, a slow path on every allocation.
  constructor(type: PyTypeLike) {
    super(type);
  }
  /**
   * Entries in insertion order, key and value side by side: entry i is
   * kv[2i] (its key; null for a deleted entry, DKIX_DUMMY) and kv[2i + 1]
   * (its value). One array rather than one per column: a big heap holds
   * many small dicts, and each JS array costs about 50 bytes before its items.
   * Read it through keyAt/valueAt/nentries.
   * 2.7 profile: entry i is the hash table's slot i instead (see dicttable27.ts).
   */
  kv: (PyObject | null)[] = EMPTY_ENTRIES;
  /** dk_nentries: entries appended since the keys table was made, deleted ones included. */
  get nentries(): number {
    return this.kv.length >> 1;
  }
  /** Key of entry i (null: deleted). */
  keyAt(i: number): PyObject | null {
    return this.kv[i << 1];
  }
  /** Value of entry i (null: deleted). */
  valueAt(i: number): PyObject | null {
    return this.kv[(i << 1) + 1];
  }
  /** Index of the first entry not deleted (the oldest key), or -1. */
  firstEntry(): number {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] !== null) return i >> 1;
    return -1;
  }
  /** hs, index, slowIndex and ts: few dicts need them, so they share one lazily made object. */
  private extra: DictExtra | null = null;
  /** Number of live entries (ma_used). */
  used = 0;
  /**
   * log2size << 1 | general: two facts about the keys table in one small
   * integer field (a big heap holds many dicts; each field costs 8 bytes).
   */
  private keysShape = 0;
  /** The keys object's address in encodeAddress form (a small integer, stored inline). */
  private keysAt = 0;
  /** Simulated address of the keys object (0 for the shared empty keys). */
  get keysAddr(): number {
    return decodeAddress(this.keysAt);
  }
  set keysAddr(a: number) {
    this.keysAt = encodeAddress(a);
  }
  /** log2 of the keys table size; 0 means the shared empty keys (no allocation). */
  get log2size(): number {
    return this.keysShape >> 1;
  }
  set log2size(v: number) {
    this.keysShape = (v << 1) | (this.keysShape & 1);
  }
  /** A non-str key was inserted: entries are 24 bytes instead of 16. */
  get general(): boolean {
    return (this.keysShape & 1) !== 0;
  }
  set general(g: boolean) {
    this.keysShape = g ? this.keysShape | 1 : this.keysShape & ~1;
  }
  /**
   * dk_usable: entries that can still be appended before a resize. Every
   * append since the keys table was made took one, deleted ones included
   * (a deleted entry stays a dummy until the next resize compacts it
   * away), so it is the table's usable size less `nentries`.
   */
  get usable(): number {
    const log2size = this.keysShape >> 1;
    return log2size === 0 ? 0 : (((2 << log2size) / 3) | 0) - (this.kv.length >> 1);
  }
  /**
   * Lookup token of each entry (see the interpreter's keyToken): a JS
   * primitive or object compared with SameValueZero, or SLOW_TOKEN for keys
   * that need Python-level __hash__/__eq__ (then `hs` holds the hash).
   * Null while every key is an exact str (`general` false): the token of
   * such a key is its text, so the array would only repeat the keys.
   */
  get ts(): unknown[] | null {
    return this.extra === null ? null : this.extra.ts;
  }
  set ts(v: unknown[] | null) {
    if (v !== null || this.extra !== null) (this.extra ??= new DictExtra()).ts = v;
  }

  /** The class whose shared keys this split-table dict uses, or null for a combined dict. */
  get splitKeysOf(): PyTypeLike | null {
    return this.gcFlags & GcFlag.SPLIT_DICT ? splitDicts.get(this)! : null;
  }
  set splitKeysOf(t: PyTypeLike | null) {
    if (t === null) {
      if (this.gcFlags & GcFlag.SPLIT_DICT) splitDicts.delete(this);
      this.gcFlags &= ~GcFlag.SPLIT_DICT;
    } else {
      splitDicts.set(this, t);
      this.gcFlags |= GcFlag.SPLIT_DICT;
    }
  }

  /** Python hash of each entry, kept once a SLOW_TOKEN key has been inserted. */
  get hs(): PyHash[] | null {
    return this.extra === null ? null : this.extra.hs;
  }
  set hs(v: PyHash[] | null) {
    if (v !== null || this.extra !== null) (this.extra ??= new DictExtra()).hs = v;
  }
  /** token → entry index, built once the dict outgrows a linear scan. */
  get index(): Map<unknown, number> | null {
    return this.extra === null ? null : this.extra.index;
  }
  set index(v: Map<unknown, number> | null) {
    if (v !== null || this.extra !== null) (this.extra ??= new DictExtra()).index = v;
  }
  /** hash → entry indices for SLOW_TOKEN entries. */
  get slowIndex(): Map<PyHash, number[]> | null {
    return this.extra === null ? null : this.extra.slowIndex;
  }
  set slowIndex(v: Map<PyHash, number[]> | null) {
    if (v !== null || this.extra !== null) (this.extra ??= new DictExtra()).slowIndex = v;
  }
  /** 2.7 profile: active + dummy slots of the table (see dicttable27.ts). */
  get fill27(): number {
    return this.extra === null ? 0 : this.extra.fill;
  }
  set fill27(v: number) {
    (this.extra ??= new DictExtra()).fill = v;
  }
  /** 2.7 profile: insertions so far (new keys land inside the table, not at its end). */
  get inserts27(): number {
    return this.extra === null ? 0 : this.extra.inserts;
  }
  set inserts27(v: number) {
    (this.extra ??= new DictExtra()).inserts = v;
  }
  /** 2.7 profile: popitem's search finger while slot 0 is empty. */
  get finger27(): number {
    return this.extra === null ? 0 : this.extra.finger;
  }
  set finger27(v: number) {
    (this.extra ??= new DictExtra()).finger = v;
  }
  /** `__dict__` of an instance of a dict subclass (side table, see instDicts). */
  get instDict(): PyObject | null {
    return getInstDict(this);
  }
  set instDict(d: PyObject | null) {
    setInstDict(this, d);
  }

  override traverse(visit: Visit): void {
    // dict_traverse: unicode-keyed tables only visit values; others visit key and value.
    visitSubtypeHead(this, visit);
    const kv = this.kv;
    if (this.general) {
      for (let i = 0; i < kv.length; i += 2) {
        const k = kv[i];
        if (k !== null) {
          // dict_traverse visits the value, then the key.
          visit(kv[i + 1]!);
          visit(k);
        }
      }
    } else {
      for (let i = 0; i < kv.length; i += 2) if (kv[i] !== null) visit(kv[i + 1]!);
    }
  }

  /** Drops every entry (dict_tp_clear / dict.clear()): keys and values, first to last. */
  clearContents(r: Releaser): void {
    const kv = this.kv;
    this.kv = EMPTY_ENTRIES;
    this.extra = null;
    this.used = 0;
    this.splitKeysOf = null;
    // PyDict_Clear goes back to the shared empty keys.
    if (this.keysAddr) r.releaseBuffer(this.keysAddr);
    this.keysAddr = 0;
    this.keysShape = 0;
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      if (k !== null) {
        r.decref(k);
        r.decref(kv[i + 1]!);
      }
    }
  }
  override clear(r: Releaser): void {
    this.clearContents(r);
  }
  override releaseContents(r: Releaser): void {
    const d = this.instDict;
    this.instDict = null;
    r.xdecref(d);
    this.clearContents(r);
  }
}

/** Marker for a deleted slot of a set's hash table. */
export const DUMMY_SLOT = 1;

export class PySet extends PyObject {
  // An explicit constructor: without one the field initializers make the
  // compiled class call `super(...arguments)`, a slow path on every allocation.
  constructor(type: PyTypeLike) {
    super(type);
  }
  /** Open-addressing table (setobject.c, see settable.ts): key or null (empty) or undefined (dummy). */
  table: (PyObject | null | undefined)[] = new Array(8).fill(null);
  /** Hash of each slot's key (for a 2.7 dummy, of the key that was there). */
  hashes: PyHash[] = new Array(8).fill(0);
  mask = 7;
  /** Active + dummy slots. */
  fill = 0;
  /** Active slots. */
  used = 0;
  /** pop() search finger (3.11; 2.7 keeps it in slot 0's hash). */
  finger = 0;
  /** The table's address in encodeAddress form (a small integer, stored inline). */
  private tableAt = 0;
  /** Simulated address of the table when it outgrew the inline smalltable. */
  get tableAddr(): number {
    return decodeAddress(this.tableAt);
  }
  set tableAddr(a: number) {
    this.tableAt = encodeAddress(a);
  }
  hash: PyHash | undefined = undefined;
  /** `__dict__` of an instance of a set subclass (side table, see instDicts). */
  get instDict(): PyObject | null {
    return getInstDict(this);
  }
  set instDict(d: PyObject | null) {
    setInstDict(this, d);
  }

  override traverse(visit: Visit): void {
    visitSubtypeHead(this, visit);
    const t = this.table;
    for (let i = 0; i < t.length; i++) {
      const k = t[i];
      if (k) visit(k);
    }
  }
  override clear(r: Releaser): void {
    const t = this.table;
    this.table = new Array(8).fill(null);
    this.hashes = new Array(8).fill(0);
    this.mask = 7;
    this.fill = 0;
    this.used = 0;
    if (this.tableAddr) r.releaseBuffer(this.tableAddr);
    this.tableAddr = 0;
    for (let i = 0; i < t.length; i++) {
      const k = t[i];
      if (k) r.decref(k);
    }
  }
  override releaseContents(r: Releaser): void {
    const d = this.instDict;
    this.instDict = null;
    r.xdecref(d);
    this.clear(r);
  }
}
