// Heap snapshots: plain, immutable data copied out of a live simulated heap.
//
// A snapshot is what objgraph would see if it could freeze the interpreter at
// one step: every object (tracked by the GC or not) with its type, size,
// refcount and generation, every reference with the label objgraph would draw
// on its edge, and the `sys.modules` table that defines a "proper module" (a
// GC root for back-reference chains). Nothing in here points back into the
// live heap, so reports and the CLI can keep snapshots forever.
//
// Layout. The heap can hold a million objects, so a snapshot is columnar:
// one typed array per field, indexed by the object's *index* (its position in
// the heap walk, i.e. `gc.get_objects()` order, which objgraph's first-seen
// tie-breaking and `gc.get_referrers` ordering depend on). Free text (reprs,
// labels, names) lives once in an interned string table and columns hold
// indices into it. References are stored grouped by source object, in
// `gc.get_referents` order within a source, so the referents of object i are
// the contiguous range `referenceStart(i) .. referenceEnd(i)`.
//
// Indexes that not every analysis needs (by type, by address, referrers) are
// built lazily on first use, each in O(objects + references).
//
// Identity across snapshots. CPython reuses addresses as soon as memory is
// freed, so `id()` alone cannot tell a new object from a dead one that lived
// at the same address. The heap gives every allocation a `serial` (an
// allocation sequence number, never reused); an object in two snapshots is
// "the same object" iff both its address and its serial match.
//
// Where to start reading: `SnapshotBuilder` (how a heap fills a snapshot),
// then `Snapshot` (how analyses read one).

/** Schema version written to and required from snapshot files. */
export const SNAPSHOT_VERSION = 1;

/** Longest repr kept per object; longer ones are cut and flagged. */
export const MAX_REPR_LENGTH = 200;

/** Longest name or label kept (type names, module names, edge names, labels). */
export const MAX_NAME_LENGTH = 1024;

/** Object and reference indices are int32, which bounds the counts. */
export const MAX_COUNT = 0x7fffffff;

export type Profile = '3.11' | '2.7';

/** A GC generation; `null` for objects the collector does not track. */
export type Generation = 0 | 1 | 2 | 'permanent' | null;

/** Generation as stored in the `gen` column. */
export const enum GenCode {
  /** not in any generation (untracked, or `gen: null`) */
  None = -1,
  /** `gc.freeze()`d objects */
  Permanent = 3,
}

/** Bits of the `flags` column. */
export const enum ObjectFlag {
  /** tracked by the cyclic GC (visible to `gc.get_objects()`, hence to objgraph) */
  Tracked = 1,
  /** the type defines `__del__` (objgraph draws its `__del__` marker) */
  Finalizer = 2,
  /** `tp_finalize` already ran (PEP 442: it never runs twice) */
  Finalized = 4,
  /** `repr` was longer than MAX_REPR_LENGTH and was cut */
  ReprTruncated = 8,
  /** the object is a module; the `module` column holds its `__name__` */
  Module = 16,
}

/**
 * How objgraph labels an edge (`_edge_label`), decided when the snapshot is
 * taken because it needs live objects (`source.__dict__ is target`...).
 * - `other`: list/tuple/set membership, instance slots, type links: no label
 * - `__dict__`, `__self__`, `__func__`, `__globals__`: labelled with that name
 * - `attribute`: another function/frame attribute (`__code__`, `f_globals`...), `name`
 * - `key`: a dict value under a str key matching objgraph's identifier regex
 *   (`[a-zA-Z_][a-zA-Z_0-9]*$`; Python's `$` also lets a final newline through)
 * - `key-repr`: a dict value under any other key: objgraph writes its type name
 *   and short repr (`int\n42`, `str\n'not an ident'`)
 */
export type EdgeKind = 'other' | '__dict__' | '__self__' | '__func__' | '__globals__' | 'attribute' | 'key' | 'key-repr';

/** Edge kinds in code order: the `kind` column holds an index into this list. */
export const EDGE_KINDS: readonly EdgeKind[] = ['other', '__dict__', '__self__', '__func__', '__globals__', 'attribute', 'key', 'key-repr'];

export const enum EdgeCode {
  Other = 0,
  Dict = 1,
  Self = 2,
  Func = 3,
  Globals = 4,
  Attribute = 5,
  Key = 6,
  KeyRepr = 7,
}

/** The label data of one reference, as a heap author passes it to `addReference`. */
export type EdgeLabel =
  | { kind: 'other' | '__dict__' | '__self__' | '__func__' | '__globals__' }
  | { kind: 'attribute' | 'key'; name: string }
  | { kind: 'key-repr'; keyType: string; keyTypeLong: string; keyRepr: string };

/** The unlabelled edge; share it instead of allocating one per reference. */
export const OTHER_EDGE: EdgeLabel = Object.freeze({ kind: 'other' });

/**
 * Everything a heap author provides per object (see `SnapshotBuilder.addObject`).
 * @example
 * { address: 0x7f0000010030, serial: 412, type: 'list', typeLong: 'builtins.list',
 *   size: 88, refcount: 2, gen: 0, finalizer: false, finalized: false,
 *   repr: '[1, 2, 3]', label: '3 items' }
 */
export interface ObjectRecord {
  /** `id(obj)`: the simulated address; unique within one snapshot */
  address: number;
  /** allocation sequence number; never reused, so (address, serial) identifies an object across snapshots */
  serial: number;
  /** `type(obj).__name__` */
  type: string;
  /** objgraph's long name: `'%s.%s' % (type.__module__, type.__name__)`, or just the name if `__module__` is empty */
  typeLong: string;
  /** `sys.getsizeof(obj)` */
  size: number;
  /** `ob_refcnt` (what `sys.getrefcount(obj) - 1` prints) */
  refcount: number;
  /** the generation; `null` if untracked */
  gen: Generation;
  /** tracked by the GC; defaults to `gen !== null` (give it to record "tracked but mid-collection") */
  tracked?: boolean;
  /** `hasattr(type(obj), '__del__')` */
  finalizer: boolean;
  /** its finalizer already ran */
  finalized: boolean;
  /** `repr(obj)`; cut to MAX_REPR_LENGTH characters by the builder */
  repr: string;
  /** objgraph's `_short_repr`: `3 items`, a module/function/type name, or repr[:40] */
  label: string;
  /** set iff the object is a module: its `__name__` */
  module?: string;
}

/** A read-out of one object, for display; analyses read the columns directly. */
export interface ObjectView {
  index: number;
  address: number;
  serial: number;
  type: string;
  typeLong: string;
  size: number;
  refcount: number;
  gen: Generation;
  tracked: boolean;
  finalizer: boolean;
  finalized: boolean;
  repr: string;
  reprTruncated: boolean;
  label: string;
  isModule: boolean;
  module: string | null;
}

export interface SnapshotMeta {
  /** schema version (SNAPSHOT_VERSION) */
  version: number;
  /** what the step is called: `gc.collect() #2`, `mark: after warmup`, `end` */
  label: string;
  /** index of the step in the run, from 0 */
  step: number;
  profile: Profile;
  /** the script's name as the user gave it (no absolute paths) */
  script: string;
  /** the tool that wrote it, e.g. `refscope 0.1.0` */
  createdBy: string;
}

export interface TypeInfo {
  /** `__name__` */
  short: string;
  /** `module.name` */
  long: string;
}

/** One `sys.modules` entry. */
export interface ModuleEntry {
  name: string;
  /** object index */
  object: number;
}

/** Object columns, indexed by object index. Treat as read-only. */
export interface ObjectColumns {
  address: Float64Array;
  serial: Float64Array;
  /** index into `types` */
  type: Int32Array;
  size: Float64Array;
  refcount: Float64Array;
  /** 0, 1, 2, GenCode.Permanent or GenCode.None */
  gen: Int8Array;
  /** ObjectFlag bits */
  flags: Uint8Array;
  /** index into `strings` */
  repr: Int32Array;
  /** index into `strings` */
  label: Int32Array;
  /** index into `strings` (the module's `__name__`) or -1 */
  module: Int32Array;
}

/** Reference columns, grouped by `from` in object order. Treat as read-only. */
export interface ReferenceColumns {
  from: Int32Array;
  to: Int32Array;
  /** index into EDGE_KINDS */
  kind: Uint8Array;
  /** `attribute`/`key`: index into `strings` of the name; `key-repr`: of the key's repr; else -1 */
  name: Int32Array;
  /** `key-repr`: index into `types` of the key's type; else -1 */
  keyType: Int32Array;
}

/** The raw parts of a snapshot, as the builder and the loader produce them. */
export interface SnapshotParts {
  meta: SnapshotMeta;
  strings: string[];
  types: TypeInfo[];
  objects: ObjectColumns;
  references: ReferenceColumns;
  modules: ModuleEntry[];
}

/** A file or value that is not a valid snapshot; the message is meant for users. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const GEN_BY_CODE: readonly Generation[] = [0, 1, 2, 'permanent'];

export function genToCode(gen: Generation): number {
  if (gen === null) return GenCode.None;
  return gen === 'permanent' ? GenCode.Permanent : gen;
}

export function genFromCode(code: number): Generation {
  return code < 0 ? null : GEN_BY_CODE[code];
}

/**
 * An immutable heap snapshot with lazily built indexes.
 * @example
 * const s = loadSnapshot('step-3.json');
 * for (const i of s.objectsOfType('Session')) console.log(s.object(i).repr);
 */
export class Snapshot {
  readonly meta: SnapshotMeta;
  readonly strings: readonly string[];
  readonly types: readonly TypeInfo[];
  readonly objects: ObjectColumns;
  readonly references: ReferenceColumns;
  readonly modules: readonly ModuleEntry[];
  readonly objectCount: number;
  readonly referenceCount: number;
  /** referenceStart[i] .. referenceStart[i + 1] are object i's references */
  private readonly referenceStart: Int32Array;
  private referrerStart?: Int32Array;
  private referrerList?: Int32Array;
  private addressIndex?: AddressIndex;
  private typeStart?: Int32Array;
  private typeList?: Int32Array;
  private moduleIndex?: Map<string, number>;

  /** Parts must be consistent (the builder and the loader check them). */
  constructor(parts: SnapshotParts) {
    this.meta = Object.freeze({ ...parts.meta });
    this.strings = Object.freeze(parts.strings);
    this.types = Object.freeze(parts.types.map((t) => Object.freeze({ ...t })));
    this.objects = Object.freeze(parts.objects);
    this.references = Object.freeze(parts.references);
    this.modules = Object.freeze(parts.modules.map((m) => Object.freeze({ ...m })));
    this.objectCount = parts.objects.address.length;
    this.referenceCount = parts.references.from.length;
    this.referenceStart = groupStarts(parts.references.from, this.objectCount);
  }

  /** First reference index of object i (references are grouped by source). */
  referenceBegin(i: number): number {
    return this.referenceStart[i];
  }

  /** One past the last reference index of object i. */
  referenceEnd(i: number): number {
    return this.referenceStart[i + 1];
  }

  /** Object indices that object i refers to, in `gc.get_referents` order (duplicates kept). */
  referents(i: number): Int32Array {
    return this.references.to.subarray(this.referenceStart[i], this.referenceStart[i + 1]);
  }

  /**
   * Object indices that refer to object i, each once, in heap-walk order: what
   * `gc.get_referrers` returns, except that untracked referrers are included
   * (check `isTracked` to drop them as CPython would).
   */
  referrers(i: number): Int32Array {
    if (!this.referrerStart) this.buildReferrers();
    return this.referrerList!.subarray(this.referrerStart![i], this.referrerStart![i + 1]);
  }

  /** Index of the object at `address`, or -1. */
  indexOfAddress(address: number): number {
    if (!this.addressIndex) this.addressIndex = new AddressIndex(this.objects.address);
    return this.addressIndex.get(address);
  }

  /**
   * Objects whose type name is `name`, in heap-walk order: objgraph's `by_type`.
   * A name with a dot compares long names (`builtins.dict`), otherwise short
   * names. Only GC-tracked objects, as objgraph sees, unless `allObjects`.
   */
  objectsOfType(name: string, opts: { allObjects?: boolean } = {}): number[] {
    if (!this.typeStart) this.buildTypeIndex();
    const long = name.includes('.');
    const out: number[] = [];
    let groups = 0;
    for (let t = 0; t < this.types.length; t++) {
      if ((long ? this.types[t].long : this.types[t].short) !== name) continue;
      groups++;
      for (let k = this.typeStart![t]; k < this.typeStart![t + 1]; k++) {
        const i = this.typeList![k];
        if (opts.allObjects || this.isTracked(i)) out.push(i);
      }
    }
    // Several types can share a short name; heap-walk order is across all of them.
    if (groups > 1) out.sort((a, b) => a - b);
    return out;
  }

  /** The object's type (short and long names). */
  typeOf(i: number): TypeInfo {
    return this.types[this.objects.type[i]];
  }

  isTracked(i: number): boolean {
    return (this.objects.flags[i] & ObjectFlag.Tracked) !== 0;
  }

  isModule(i: number): boolean {
    return (this.objects.flags[i] & ObjectFlag.Module) !== 0;
  }

  hasFinalizer(i: number): boolean {
    return (this.objects.flags[i] & ObjectFlag.Finalizer) !== 0;
  }

  /** objgraph's `is_proper_module`: a module that `sys.modules` maps its own name to. */
  isProperModule(i: number): boolean {
    if (!this.isModule(i)) return false;
    if (!this.moduleIndex) this.moduleIndex = new Map(this.modules.map((m) => [m.name, m.object]));
    return this.moduleIndex.get(this.strings[this.objects.module[i]]) === i;
  }

  /** objgraph's node label: `_short_repr`. */
  label(i: number): string {
    return this.strings[this.objects.label[i]];
  }

  /** Reads one object out as a plain record. */
  object(i: number): ObjectView {
    const o = this.objects;
    const flags = o.flags[i];
    const type = this.types[o.type[i]];
    return {
      index: i,
      address: o.address[i],
      serial: o.serial[i],
      type: type.short,
      typeLong: type.long,
      size: o.size[i],
      refcount: o.refcount[i],
      gen: genFromCode(o.gen[i]),
      tracked: (flags & ObjectFlag.Tracked) !== 0,
      finalizer: (flags & ObjectFlag.Finalizer) !== 0,
      finalized: (flags & ObjectFlag.Finalized) !== 0,
      repr: this.strings[o.repr[i]],
      reprTruncated: (flags & ObjectFlag.ReprTruncated) !== 0,
      label: this.strings[o.label[i]],
      isModule: (flags & ObjectFlag.Module) !== 0,
      module: o.module[i] < 0 ? null : this.strings[o.module[i]],
    };
  }

  /** Reads one reference's label back as the builder received it. */
  edge(r: number): EdgeLabel {
    const refs = this.references;
    const kind = EDGE_KINDS[refs.kind[r]];
    switch (kind) {
      case 'attribute':
      case 'key':
        return { kind, name: this.strings[refs.name[r]] };
      case 'key-repr': {
        const t = this.types[refs.keyType[r]];
        return { kind, keyType: t.short, keyTypeLong: t.long, keyRepr: this.strings[refs.name[r]] };
      }
      default:
        return { kind };
    }
  }

  private buildReferrers(): void {
    // One pass counts, one fills. References are grouped by source in
    // heap-walk order, so filling in reference order yields referrers in
    // heap-walk order, and a source's repeated references to the same target
    // (a list [x, x]) are adjacent and kept once, as gc.get_referrers does.
    const n = this.objectCount;
    const { from, to } = this.references;
    const last = new Int32Array(n).fill(-1);
    const start = new Int32Array(n + 1);
    for (let r = 0; r < from.length; r++) {
      const t = to[r];
      if (last[t] !== from[r]) {
        last[t] = from[r];
        start[t + 1]++;
      }
    }
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const list = new Int32Array(start[n]);
    last.fill(-1);
    for (let r = 0; r < from.length; r++) {
      const t = to[r];
      if (last[t] !== from[r]) {
        last[t] = from[r];
        list[fill[t]++] = from[r];
      }
    }
    this.referrerStart = start;
    this.referrerList = list;
  }

  private buildTypeIndex(): void {
    const types = this.objects.type;
    this.typeStart = groupStarts(types, this.types.length);
    const fill = this.typeStart.slice(0, this.types.length);
    const list = new Int32Array(this.objectCount);
    for (let i = 0; i < types.length; i++) list[fill[types[i]]++] = i;
    this.typeList = list;
  }

  /** Pre-fills the address index (the loader builds it while checking uniqueness). */
  static withAddressIndex(parts: SnapshotParts, index: AddressIndex): Snapshot {
    const s = new Snapshot(parts);
    s.addressIndex = index;
    return s;
  }
}

/** Counting-sort offsets: start[k] .. start[k + 1] are the positions holding key k. */
function groupStarts(keys: Int32Array, groups: number): Int32Array {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  return start;
}

/**
 * Address → object index, as an open-addressing hash table over typed arrays.
 * A Map keyed by numbers above 2^31 (every simulated address) boxes each key
 * as a heap number and is several times slower to fill and probe; this index
 * is built for a million objects on every load and probed once per object by
 * `diff`, so it is worth the thirty lines.
 */
export class AddressIndex {
  private readonly keys: Float64Array;
  /** object index + 1; 0 marks an empty slot */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** Indexes `addresses`; throws SnapshotError on a duplicate (two live objects cannot share an address). */
  constructor(addresses: Float64Array) {
    let capacity = 16;
    // Load factor at most 1/2 keeps linear probes short.
    while (capacity < addresses.length * 2) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < addresses.length; i++) {
      const a = addresses[i];
      let h = hashAddress(a) & this.mask;
      while (this.slots[h] !== 0) {
        if (this.keys[h] === a) throw new SnapshotError(`objects ${this.slots[h] - 1} and ${i} share the address ${formatAddress(a)}`);
        h = (h + 1) & this.mask;
      }
      this.keys[h] = a;
      this.slots[h] = i + 1;
    }
  }

  /** The index of the object at `address`, or -1. */
  get(address: number): number {
    let h = hashAddress(address) & this.mask;
    while (this.slots[h] !== 0) {
      if (this.keys[h] === address) return this.slots[h] - 1;
      h = (h + 1) & this.mask;
    }
    return -1;
  }
}

/** Mixes both 32-bit halves of an address (blocks are 16-byte aligned, so the low bits carry little). */
function hashAddress(a: number): number {
  const lo = a >>> 0;
  const hi = (a / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** `0x7f...`, as Python's `hex(id(obj))`. */
export function formatAddress(address: number): string {
  return '0x' + address.toString(16);
}
