/*
 * 2.7 dicts: the open-addressing table of Objects/dictobject.c (2.7).
 *
 * A 2.7 dict has no separate entry order: iteration, repr, keys()/values()/
 * items(), popitem() and the order entries die in all follow the table
 * slots. So for the 2.7 profile a PyDict's entry arrays *are* the table:
 *
 *   kv         one entry per slot (length = 2 * table size): slot i's key
 *              in kv[2i] (null for an empty or deleted slot), its value in
 *              kv[2i + 1]; every reader that skips null keys walks the dict
 *              in slot order, as CPython does. nentries is the table size
 *   ts         one token per slot, once the dict has a non-str key
 *   hs         each slot's hash; undefined for a never-used slot, so a null
 *              key with a hash is a dummy (deleted: probing steps over it).
 *              A dummy keeps its old hash, as me_hash does: popitem keeps
 *              its search finger in slot 0's hash
 *   fill27     active + dummy slots (ma_fill); `used` is ma_used
 *   finger27   popitem's search finger while slot 0 is empty (CPython keeps
 *              it in that slot's unused hash field)
 *   log2size   log2 of the table size; 0 before the first insertion (the
 *              inline 8-slot ma_smalltable, all empty); keysAddr is the
 *              malloc'd table once it outgrows the small table
 *
 * Lookups still go through the token index of the PyDict (see containers.ts):
 * only where a new key lands is decided here, by 2.7's probe sequence (i =
 * hash & mask, then i = 5*i + 1 + perturb, perturb shifted 5 bits after each
 * step), first dummy reused. Growth: when fill*3 >= size*2 after an
 * insertion, to the smallest power of two above 4*used (2*used past
 * 50000), entries reinserted in old slot order.
 */
import { PyDict, visitSubtypeHead } from './containers.js';
import { hashHi, hashLo, type PyHash } from './hash.js';
import type { Visit } from './object.js';
import { GcFlag } from './object.js';

/** PyDict_MINSIZE: the inline small table. */
export const DICT27_MINSIZE = 8;
/** sizeof(PyDictEntry): hash, key, value. */
export const DICT27_ENTRY_SIZE = 24;
/** sizeof(PyDictObject) with its 8-entry small table. */
export const DICT27_BASICSIZE = 248;

/** What the table needs from the owner of the memory. */
export interface Dict27Host {
  /** A new table buffer of `bytes`; the old one is freed after (dictresize's order). */
  allocTable(bytes: number): number;
  freeTable(addr: number): void;
}

/** A 2.7 dict: dict_traverse visits every key, then its value, in slot order. */
export class PyDict27 extends PyDict {
  override traverse(visit: Visit): void {
    visitSubtypeHead(this, visit);
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      if (k !== null) {
        visit(k);
        visit(kv[i + 1]!);
      }
    }
  }
}

/** The slot where a key absent from the table goes: the first dummy or the empty slot ending its probe path. */
function freeSlot(kv: PyDict['kv'], hs: (PyHash | undefined)[], mask: number, h: PyHash): { slot: number; empty: boolean } {
  let plo = hashLo(h) >>> 0;
  let phi = hashHi(h) >>> 0;
  let i = plo & mask;
  let freeslot = -1;
  for (;;) {
    if (kv[i << 1] === null) {
      if (hs[i] === undefined) return freeslot >= 0 ? { slot: freeslot, empty: false } : { slot: i, empty: true };
      if (freeslot < 0) freeslot = i;
    }
    i = (i * 5 + 1 + plo) & mask;
    plo = ((plo >>> 5) | (phi << 27)) >>> 0;
    phi >>>= 5;
  }
}

/** insertdict_clean: the first empty slot on the key's probe path (the table has no dummies). */
function cleanSlot(kv: PyDict['kv'], mask: number, h: PyHash): number {
  let plo = hashLo(h) >>> 0;
  let phi = hashHi(h) >>> 0;
  let i = plo & mask;
  while (kv[i << 1] !== null) {
    i = (i * 5 + 1 + plo) & mask;
    plo = ((plo >>> 5) | (phi << 27)) >>> 0;
    phi >>>= 5;
  }
  return i;
}

/** Gives an untouched dict its 8-slot small table. */
function materialize(d: PyDict): void {
  d.kv = new Array(2 * DICT27_MINSIZE).fill(null);
  if (d.ts !== null) d.ts = new Array(DICT27_MINSIZE).fill(undefined);
  d.hs = new Array(DICT27_MINSIZE).fill(undefined);
  d.log2size = 3;
  d.fill27 = 0;
}

/**
 * insertdict + PyDict_SetItem's growth check for a key known to be absent
 * (references stolen). `token` is the lookup token, `h` the key's hash.
 */
export function dict27Insert(d: PyDict, token: unknown, h: PyHash, key: PyDict['kv'][number], value: PyDict['kv'][number], host: Dict27Host): void {
  if (d.kv.length === 0) materialize(d);
  const mask = d.nentries - 1;
  const hs = d.hs!;
  const { slot, empty } = freeSlot(d.kv, hs, mask, h);
  d.kv[slot << 1] = key;
  d.kv[(slot << 1) + 1] = value;
  hs[slot] = h;
  if (d.ts !== null) d.ts[slot] = token;
  if (empty) d.fill27++;
  d.used++;
  d.inserts27++;
  indexAdd(d, token, h, slot);
  if (d.fill27 * 3 >= (mask + 1) * 2) dict27Resize(d, (d.used > 50000 ? 2 : 4) * d.used, host);
}

function indexAdd(d: PyDict, token: unknown, h: PyHash, slot: number): void {
  if (typeof token === 'symbol') {
    if (d.slowIndex === null) d.slowIndex = new Map();
    const b = d.slowIndex.get(h);
    if (b) b.push(slot);
    else d.slowIndex.set(h, [slot]);
  } else if (d.index !== null) d.index.set(token, slot);
  else if (d.used > DICT27_MINSIZE) buildIndex(d);
}

function buildIndex(d: PyDict): void {
  const m = new Map<unknown, number>();
  const n = d.nentries;
  const ts = d.ts;
  for (let i = 0; i < n; i++) {
    const k = d.keyAt(i);
    if (k === null) continue;
    const token = ts !== null ? ts[i] : (k as unknown as { v: string }).v;
    if (typeof token !== 'symbol') m.set(token, i);
  }
  d.index = m;
}

/**
 * dictresize: a table of the smallest power of two (at least 8) above
 * `minused`, active entries reinserted in old slot order, dummies dropped.
 */
export function dict27Resize(d: PyDict, minused: number, host: Dict27Host): void {
  let size = DICT27_MINSIZE;
  while (size <= minused) size <<= 1;
  const oldSize = d.nentries;
  if (size === DICT27_MINSIZE && oldSize <= DICT27_MINSIZE && d.fill27 === d.used) {
    // Already the small table and no dummies to purge.
    if (oldSize === 0) materialize(d);
    return;
  }
  const okv = d.kv;
  const ots = d.ts;
  const ohs = d.hs ?? [];
  const kv: PyDict['kv'] = new Array(2 * size).fill(null);
  const ts: unknown[] | null = ots !== null ? new Array(size).fill(undefined) : null;
  const hs: (PyHash | undefined)[] = new Array(size).fill(undefined);
  const mask = size - 1;
  for (let i = 0; i < oldSize; i++) {
    const k = okv[i << 1];
    if (k === null) continue;
    const j = cleanSlot(kv, mask, ohs[i]!);
    kv[j << 1] = k;
    kv[(j << 1) + 1] = okv[(i << 1) + 1];
    hs[j] = ohs[i];
    if (ts !== null) ts[j] = ots![i];
  }
  d.kv = kv;
  d.ts = ts;
  d.hs = hs as PyHash[];
  d.fill27 = d.used;
  d.finger27 = 0;
  d.log2size = Math.log2(size);
  d.index = null;
  d.slowIndex = null;
  for (let i = 0; i < size; i++) {
    if (kv[i << 1] === null) continue;
    const token = ts !== null ? ts[i] : undefined;
    if (typeof token === 'symbol') indexAdd(d, token, hs[i]!, i);
  }
  if (d.used > DICT27_MINSIZE) buildIndex(d);
  const old = d.keysAddr;
  d.keysAddr = size > DICT27_MINSIZE ? host.allocTable(size * DICT27_ENTRY_SIZE) : 0;
  if (old) host.freeTable(old);
}

/** PyDict_Merge's up-front resize before `n` entries of another dict are inserted. */
export function dict27PresizeForMerge(d: PyDict, n: number, host: Dict27Host): void {
  const size = Math.max(d.nentries, DICT27_MINSIZE);
  if ((d.fill27 + n) * 3 >= size * 2) dict27Resize(d, (d.used + n) * 2, host);
}

/**
 * dict_popitem's choice: slot 0 if active, else the first active slot from
 * the finger kept in slot 0's hash (1 when it is out of range). Records the
 * next finger; the caller deletes the entry.
 */
export function dict27PopSlot(d: PyDict): number {
  const kv = d.kv;
  const hs = d.hs!;
  const mask = d.nentries - 1;
  let i = 0;
  if (kv[0] === null) {
    // An empty slot 0 keeps the finger beside the table (hs[0] would make it a dummy).
    const f = hs[0] === undefined ? d.finger27 : hs[0];
    i = typeof f === 'number' && f >= 1 && f <= mask ? f : 1;
    while (kv[i << 1] === null) {
      i++;
      if (i > mask) i = 1;
    }
  }
  return i;
}

/** After popping slot i: the finger for the next popitem (slot 0 is then empty or a dummy). */
export function dict27SetFinger(d: PyDict, i: number): void {
  if (d.hs![0] === undefined) d.finger27 = i + 1;
  else d.hs![0] = i + 1;
}
