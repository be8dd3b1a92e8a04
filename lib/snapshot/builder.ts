// SnapshotBuilder: the one way a live heap turns itself into a Snapshot.
//
// Protocol (all linear, no per-object allocation beyond the record passed in):
//   1. `addObject(rec)` for every object, in heap-walk order: GC-tracked
//      objects in `gc.get_objects()` order (objgraph's first-seen order and
//      `gc.get_referrers` order come from it); untracked objects (small ints,
//      strs, atom-only tuples and dicts) may be interleaved anywhere. Keep the
//      returned index (e.g. in a Map from the live object to it).
//   2. `addModule(name, index)` for every `sys.modules` entry.
//   3. `addReference(from, to, edge)` for every reference, each source's in
//      `gc.get_referents` (tp_traverse) order. Sources may come in any order;
//      `finish` groups them stably.
//   4. `finish(meta)` once.
//
// Columns grow by doubling, strings are interned through one Map, and
// `finish` groups references with a counting sort: O(objects + references).
import {
  AddressIndex,
  EdgeCode,
  genToCode,
  MAX_COUNT,
  MAX_NAME_LENGTH,
  MAX_REPR_LENGTH,
  ObjectFlag,
  OTHER_EDGE,
  Snapshot,
  SNAPSHOT_VERSION,
  type EdgeLabel,
  type ModuleEntry,
  type ObjectColumns,
  type ObjectRecord,
  type ReferenceColumns,
  type SnapshotMeta,
  type TypeInfo,
} from './model.js';

/** What `finish` needs besides the objects; `version` is filled in. */
export type SnapshotMetaInput = Omit<SnapshotMeta, 'version'>;

const INITIAL_CAPACITY = 1024;
/** Reprs and labels up to this length are interned (see internText); names always are. */
const INTERN_TEXT_MAX_LENGTH = 16;

function grow<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/**
 * Collects objects and references, then freezes them into a Snapshot.
 * @example
 * const b = new SnapshotBuilder();
 * const mod = b.addObject({ ...moduleRecord, module: '__main__' });
 * const d = b.addObject(globalsDictRecord);
 * b.addModule('__main__', mod);
 * b.addReference(mod, d, { kind: '__dict__' });
 * const snap = b.finish({ label: 'end', step: 0, profile: '3.11', script: 'leak.py', createdBy: 'refscope' });
 */
export class SnapshotBuilder {
  private objectCapacity = INITIAL_CAPACITY;
  private objectCount = 0;
  private o: ObjectColumns = {
    address: new Float64Array(INITIAL_CAPACITY),
    serial: new Float64Array(INITIAL_CAPACITY),
    type: new Int32Array(INITIAL_CAPACITY),
    size: new Float64Array(INITIAL_CAPACITY),
    refcount: new Float64Array(INITIAL_CAPACITY),
    gen: new Int8Array(INITIAL_CAPACITY),
    flags: new Uint8Array(INITIAL_CAPACITY),
    repr: new Int32Array(INITIAL_CAPACITY),
    label: new Int32Array(INITIAL_CAPACITY),
    module: new Int32Array(INITIAL_CAPACITY),
  };
  private referenceCapacity = INITIAL_CAPACITY;
  private referenceCount = 0;
  private r: ReferenceColumns = {
    from: new Int32Array(INITIAL_CAPACITY),
    to: new Int32Array(INITIAL_CAPACITY),
    kind: new Uint8Array(INITIAL_CAPACITY),
    name: new Int32Array(INITIAL_CAPACITY),
    keyType: new Int32Array(INITIAL_CAPACITY),
  };
  /** true while references arrive grouped by source in object order (the usual case: no sort needed) */
  private referencesGrouped = true;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly types: TypeInfo[] = [];
  /** short name → long name → type index (no key strings built per object) */
  private readonly typeIndex = new Map<string, Map<string, number>>();
  private readonly modules: ModuleEntry[] = [];
  private finished = false;

  /** Adds one object; returns its index (use it in addReference/addModule). */
  addObject(rec: ObjectRecord): number {
    this.checkOpen();
    checkRecord(rec);
    const i = this.objectCount;
    if (i === MAX_COUNT) throw new RangeError(`snapshot: more than ${MAX_COUNT} objects`);
    if (i === this.objectCapacity) this.growObjects();
    const o = this.o;
    o.address[i] = rec.address;
    o.serial[i] = rec.serial;
    o.type[i] = this.internType(rec.type, rec.typeLong);
    o.size[i] = rec.size;
    o.refcount[i] = rec.refcount;
    o.gen[i] = genToCode(rec.gen);
    const tracked = rec.tracked ?? rec.gen !== null;
    let flags = 0;
    if (tracked) flags |= ObjectFlag.Tracked;
    if (rec.finalizer) flags |= ObjectFlag.Finalizer;
    if (rec.finalized) flags |= ObjectFlag.Finalized;
    let repr = rec.repr;
    if (repr.length > MAX_REPR_LENGTH) {
      repr = repr.slice(0, MAX_REPR_LENGTH);
      flags |= ObjectFlag.ReprTruncated;
    }
    o.repr[i] = this.internText(repr);
    o.label[i] = this.internText(clip(rec.label));
    if (rec.module !== undefined) {
      flags |= ObjectFlag.Module;
      o.module[i] = this.internName(rec.module);
    } else {
      o.module[i] = -1;
    }
    o.flags[i] = flags;
    this.objectCount = i + 1;
    return i;
  }

  /** Records one `sys.modules` entry: `sys.modules[name]` is object `index`. */
  addModule(name: string, index: number): void {
    this.checkOpen();
    this.checkIndex(index, 'addModule');
    this.modules.push({ name: clip(name), object: index });
  }

  /** Adds the reference `from → to`, in `gc.get_referents(from)` order. */
  addReference(from: number, to: number, edge: EdgeLabel = OTHER_EDGE): void {
    this.checkOpen();
    this.checkIndex(from, 'addReference');
    this.checkIndex(to, 'addReference');
    const k = this.referenceCount;
    if (k === MAX_COUNT) throw new RangeError(`snapshot: more than ${MAX_COUNT} references`);
    if (k === this.referenceCapacity) this.growReferences();
    const r = this.r;
    if (k > 0 && r.from[k - 1] > from) this.referencesGrouped = false;
    r.from[k] = from;
    r.to[k] = to;
    let name = -1;
    let keyType = -1;
    let kind: EdgeCode;
    switch (edge.kind) {
      case 'other': kind = EdgeCode.Other; break;
      case '__dict__': kind = EdgeCode.Dict; break;
      case '__self__': kind = EdgeCode.Self; break;
      case '__func__': kind = EdgeCode.Func; break;
      case '__globals__': kind = EdgeCode.Globals; break;
      case 'attribute':
        kind = EdgeCode.Attribute;
        name = this.internName(edge.name);
        break;
      case 'key':
        kind = EdgeCode.Key;
        name = this.internName(edge.name);
        break;
      case 'key-repr':
        kind = EdgeCode.KeyRepr;
        name = this.internText(edge.keyRepr.slice(0, MAX_REPR_LENGTH));
        keyType = this.internType(edge.keyType, edge.keyTypeLong);
        break;
      default:
        throw new TypeError(`snapshot: unknown edge kind ${JSON.stringify((edge as { kind: unknown }).kind)}`);
    }
    r.kind[k] = kind;
    r.name[k] = name;
    r.keyType[k] = keyType;
    this.referenceCount = k + 1;
  }

  /** Freezes everything into a Snapshot; the builder cannot be used afterwards. */
  finish(meta: SnapshotMetaInput): Snapshot {
    this.checkOpen();
    this.finished = true;
    const n = this.objectCount;
    const m = this.referenceCount;
    const o = this.o;
    const objects: ObjectColumns = {
      address: o.address.slice(0, n),
      serial: o.serial.slice(0, n),
      type: o.type.slice(0, n),
      size: o.size.slice(0, n),
      refcount: o.refcount.slice(0, n),
      gen: o.gen.slice(0, n),
      flags: o.flags.slice(0, n),
      repr: o.repr.slice(0, n),
      label: o.label.slice(0, n),
      module: o.module.slice(0, n),
    };
    const references = this.referencesGrouped ? trimReferences(this.r, m) : groupBySource(this.r, m, n);
    const parts = {
      meta: { version: SNAPSHOT_VERSION, ...meta },
      strings: this.strings,
      types: this.types,
      objects,
      references,
      modules: this.modules,
    };
    // A duplicate address is a heap bug; AddressIndex throws on it.
    return Snapshot.withAddressIndex(parts, new AddressIndex(objects.address));
  }

  private intern(s: string): number {
    let k = this.stringIndex.get(s);
    if (k === undefined) {
      k = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, k);
    }
    return k;
  }

  /**
   * Reprs and labels: short ones repeat (`'0 items'`, `'42'`, `'()'`) and are
   * shared; long ones are nearly always unique (they carry addresses), so
   * hashing them into the Map would cost more than the duplicates it saves.
   */
  private internText(s: string): number {
    if (s.length <= INTERN_TEXT_MAX_LENGTH) return this.intern(s);
    this.strings.push(s);
    return this.strings.length - 1;
  }

  private internName(s: string): number {
    return this.intern(clip(s));
  }

  private internType(short: string, long: string): number {
    let byLong = this.typeIndex.get(short);
    if (!byLong) {
      byLong = new Map();
      this.typeIndex.set(short, byLong);
    }
    let t = byLong.get(long);
    if (t === undefined) {
      t = this.types.length;
      this.types.push({ short: clip(short), long: clip(long) });
      byLong.set(long, t);
    }
    return t;
  }

  private checkOpen(): void {
    if (this.finished) throw new Error('SnapshotBuilder: already finished');
  }

  private checkIndex(i: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.objectCount) {
      throw new RangeError(`SnapshotBuilder.${what}: object index ${i} out of range (have ${this.objectCount} objects)`);
    }
  }

  private growObjects(): void {
    const cap = Math.min(this.objectCapacity * 2, MAX_COUNT);
    const o = this.o;
    this.o = {
      address: grow(o.address, cap),
      serial: grow(o.serial, cap),
      type: grow(o.type, cap),
      size: grow(o.size, cap),
      refcount: grow(o.refcount, cap),
      gen: grow(o.gen, cap),
      flags: grow(o.flags, cap),
      repr: grow(o.repr, cap),
      label: grow(o.label, cap),
      module: grow(o.module, cap),
    };
    this.objectCapacity = cap;
  }

  private growReferences(): void {
    const cap = Math.min(this.referenceCapacity * 2, MAX_COUNT);
    const r = this.r;
    this.r = {
      from: grow(r.from, cap),
      to: grow(r.to, cap),
      kind: grow(r.kind, cap),
      name: grow(r.name, cap),
      keyType: grow(r.keyType, cap),
    };
    this.referenceCapacity = cap;
  }
}

function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

/** Catches heap bugs here rather than as an unreadable file later. */
function checkRecord(rec: ObjectRecord): void {
  for (const field of ['address', 'serial', 'size', 'refcount'] as const) {
    if (!isCount(rec[field])) {
      throw new RangeError(`SnapshotBuilder.addObject: ${field} must be a non-negative safe integer, got ${rec[field]}`);
    }
  }
  const g = rec.gen;
  if (!(g === null || g === 0 || g === 1 || g === 2 || g === 'permanent')) {
    throw new RangeError(`SnapshotBuilder.addObject: bad generation ${String(g)}`);
  }
  if (g !== null && rec.tracked === false) {
    throw new RangeError('SnapshotBuilder.addObject: an object in a generation is tracked');
  }
}

function clip(s: string): string {
  return s.length > MAX_NAME_LENGTH ? s.slice(0, MAX_NAME_LENGTH) : s;
}

function trimReferences(r: ReferenceColumns, m: number): ReferenceColumns {
  return {
    from: r.from.slice(0, m),
    to: r.to.slice(0, m),
    kind: r.kind.slice(0, m),
    name: r.name.slice(0, m),
    keyType: r.keyType.slice(0, m),
  };
}

/** Stable counting sort of the first m references by source: O(m + n). */
function groupBySource(r: ReferenceColumns, m: number, n: number): ReferenceColumns {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) start[r.from[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const out: ReferenceColumns = {
    from: new Int32Array(m),
    to: new Int32Array(m),
    kind: new Uint8Array(m),
    name: new Int32Array(m),
    keyType: new Int32Array(m),
  };
  for (let k = 0; k < m; k++) {
    const p = start[r.from[k]]++;
    out.from[p] = r.from[k];
    out.to[p] = r.to[k];
    out.kind[p] = r.kind[k];
    out.name[p] = r.name[k];
    out.keyType[p] = r.keyType[k];
  }
  return out;
}
