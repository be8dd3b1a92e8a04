/*
 * The hash table of a set or frozenset, as Objects/setobject.c keeps it.
 *
 * Iteration over a set is a walk over its table slots, so the order a script
 * sees (printing, list(s), for loops, pop(), the order items die in) is the
 * order in which they sit in the table. That depends on their hashes, on the
 * probe sequence, on when the table is resized and on the order items were
 * inserted, so all of those follow CPython:
 *
 *   slots       key, null (never used) or undefined (dummy: a deleted key,
 *               which probing must step over, not stop at)
 *   fill/used   active + dummy slots / active slots
 *   probing     i = hash & mask, then i = i*5 + 1 + perturb with perturb
 *               the hash shifted right 5 bits per step; 3.11 first scans
 *               LINEAR_PROBES slots after each probe (when they fit before
 *               the end of the table). 2.7 shifts perturb after the step.
 *   growth      3.11: when fill*5 >= mask*3 after a new slot is used; 2.7:
 *               when fill*3 >= size*2 after an insertion. The new size is
 *               the smallest power of two above used*4 (used*2 past 50000).
 *   rebuild     a resize reinserts the old table's keys in slot order.
 *
 * Hashes are 64-bit (see hash.ts); probing needs their low bits and the
 * perturbation shifts the high ones in, so a probe keeps the unsigned hash
 * as two 32-bit halves.
 *
 * The functions take the key comparison as a callback: equality may run
 * Python code, which lives above the heap.
 */
import type { PySet } from './containers.js';
import { hashHi, hashLo, type PyHash } from './hash.js';
import type { PyObject } from './object.js';

/** Slots scanned after each probe before perturbing (3.11's LINEAR_PROBES). */
const LINEAR_PROBES = 9;
/** Bits of the hash shifted into each perturbed probe. */
const PERTURB_SHIFT = 5;
/** PySet_MINSIZE: the inline small table. */
export const SET_MINSIZE = 8;

/** Python-level equality of a stored key and a probe key (identity already failed). */
export type KeyEq = (stored: PyObject, key: PyObject) => boolean;

/** What a table resize needs from the owner of the memory. */
export interface SetTableHost {
  /** Called after the table changed size: allocate the new table, free the old one. */
  setTableResized(s: PySet): void;
}

function sameHash(a: PyHash, b: PyHash): boolean {
  return a === b;
}

/**
 * set_lookkey: the slot index holding a key equal to `key`, or -1. Starts
 * over if a comparison changed the table (Python code can mutate the set).
 */
export function setLookup(s: PySet, key: PyObject, h: PyHash, eq: KeyEq, legacy: boolean): number {
  for (;;) {
    const table = s.table;
    const hashes = s.hashes;
    const mask = s.mask;
    const r = legacy ? lookup27(s, table, hashes, mask, key, h, eq) : lookup311(s, table, hashes, mask, key, h, eq);
    if (r !== RESTART) return r;
  }
}

const RESTART = -2;

function compare(s: PySet, table: PySet['table'], idx: number, stored: PyObject, key: PyObject, eq: KeyEq): number {
  const same = eq(stored, key);
  if (s.table !== table || table[idx] !== stored) return RESTART;
  return same ? 1 : 0;
}

function lookup311(s: PySet, table: PySet['table'], hashes: PyHash[], mask: number, key: PyObject, h: PyHash, eq: KeyEq): number {
  // perturb, unsigned, as two halves.
  let plo = hashLo(h) >>> 0;
  let phi = hashHi(h) >>> 0;
  let i = plo & mask;
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = 0; j <= probes; j++) {
      const idx = i + j;
      const e = table[idx];
      if (e === null) return -1;
      if (e !== undefined && sameHash(hashes[idx], h)) {
        if (e === key) return idx;
        const c = compare(s, table, idx, e, key, eq);
        if (c === RESTART) return RESTART;
        if (c) return idx;
      }
    }
    plo = ((plo >>> PERTURB_SHIFT) | (phi << (32 - PERTURB_SHIFT))) >>> 0;
    phi >>>= PERTURB_SHIFT;
    i = (i * 5 + 1 + plo) & mask;
  }
}

function lookup27(s: PySet, table: PySet['table'], hashes: PyHash[], mask: number, key: PyObject, h: PyHash, eq: KeyEq): number {
  let plo = hashLo(h) >>> 0;
  let phi = hashHi(h) >>> 0;
  let i = plo & mask;
  for (;;) {
    const e = table[i];
    if (e === null) return -1;
    if (e !== undefined && (e === key || sameHash(hashes[i], h))) {
      if (e === key) return i;
      const c = compare(s, table, i, e, key, eq);
      if (c === RESTART) return RESTART;
      if (c) return i;
    }
    // 2.7 steps with the perturb before shifting it.
    i = (i * 5 + 1 + plo) & mask;
    plo = ((plo >>> PERTURB_SHIFT) | (phi << (32 - PERTURB_SHIFT))) >>> 0;
    phi >>>= PERTURB_SHIFT;
  }
}

/**
 * set_add_entry: inserts `key` unless an equal key is present. Returns true
 * when it was inserted (the caller then owns one more reference to it in the
 * table); may resize the table afterwards, as CPython does.
 */
export function setAddEntry(s: PySet, key: PyObject, h: PyHash, eq: KeyEq, legacy: boolean, host: SetTableHost): boolean {
  for (;;) {
    const table = s.table;
    const hashes = s.hashes;
    const mask = s.mask;
    let found: number;
    let freeslot = -1;
    let plo = hashLo(h) >>> 0;
    let phi = hashHi(h) >>> 0;
    let i = plo & mask;
    let restart = false;
    search: for (;;) {
      const probes = legacy ? 0 : i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const idx = i + j;
        const e = table[idx];
        if (e === null) {
          found = idx;
          break search;
        }
        if (e === undefined) {
          // 2.7 reuses the first dummy on the path, 3.11 the last one.
          if (freeslot < 0 || !legacy) freeslot = idx;
        } else if (e === key) {
          return false;
        } else if (sameHash(hashes[idx], h)) {
          const c = compare(s, table, idx, e, key, eq);
          if (c === RESTART) {
            restart = true;
            break search;
          }
          if (c) return false;
        }
      }
      if (legacy) i = (i * 5 + 1 + plo) & mask;
      plo = ((plo >>> PERTURB_SHIFT) | (phi << (32 - PERTURB_SHIFT))) >>> 0;
      phi >>>= PERTURB_SHIFT;
      if (!legacy) i = (i * 5 + 1 + plo) & mask;
    }
    if (restart) continue;
    if (freeslot >= 0) {
      // A dummy on the probe path is reused: fill does not grow.
      table[freeslot] = key;
      hashes[freeslot] = h;
      s.used++;
      // 2.7 checks for growth after any insertion; 3.11 only after a fresh slot.
      if (legacy && s.fill * 3 >= (mask + 1) * 2) setTableResize(s, s.used > 50000 ? s.used * 2 : s.used * 4, legacy, host);
      return true;
    }
    table[found!] = key;
    hashes[found!] = h;
    s.fill++;
    s.used++;
    if (legacy ? s.fill * 3 >= (mask + 1) * 2 : s.fill * 5 >= mask * 3) setTableResize(s, s.used > 50000 ? s.used * 2 : s.used * 4, legacy, host);
    return true;
  }
}

/** set_insert_clean: places a key known to be absent, in a table without dummies. */
function insertClean(table: PySet['table'], hashes: PyHash[], mask: number, key: PyObject, h: PyHash, legacy: boolean): void {
  let plo = hashLo(h) >>> 0;
  let phi = hashHi(h) >>> 0;
  let i = plo & mask;
  for (;;) {
    if (table[i] === null) break;
    if (!legacy && i + LINEAR_PROBES <= mask) {
      let j = 1;
      for (; j <= LINEAR_PROBES; j++) if (table[i + j] === null) break;
      if (j <= LINEAR_PROBES) {
        i += j;
        break;
      }
    }
    if (legacy) i = (i * 5 + 1 + plo) & mask;
    plo = ((plo >>> PERTURB_SHIFT) | (phi << (32 - PERTURB_SHIFT))) >>> 0;
    phi >>>= PERTURB_SHIFT;
    if (!legacy) i = (i * 5 + 1 + plo) & mask;
  }
  table[i] = key;
  hashes[i] = h;
}

/**
 * set_table_resize: a table of the smallest power of two (at least 8) above
 * `minused`, the active keys reinserted in old slot order, dummies dropped.
 */
export function setTableResize(s: PySet, minused: number, legacy: boolean, host: SetTableHost): void {
  let size = SET_MINSIZE;
  while (size <= minused) size <<= 1;
  // Already the small table and nothing to purge: CPython does nothing.
  if (size === SET_MINSIZE && s.mask + 1 === SET_MINSIZE && s.fill === s.used) return;
  const old = s.table;
  const oldH = s.hashes;
  const table: PySet['table'] = new Array(size).fill(null);
  const hashes: PyHash[] = new Array(size).fill(0);
  const mask = size - 1;
  for (let i = 0; i < old.length; i++) {
    const e = old[i];
    if (e) insertClean(table, hashes, mask, e, oldH[i], legacy);
  }
  s.table = table;
  s.hashes = hashes;
  s.mask = mask;
  s.fill = s.used;
  if (size !== old.length || size > SET_MINSIZE) host.setTableResized(s);
}

/** set_discard_entry: turns the slot of an equal key into a dummy; returns the removed key or null. */
export function setDiscardEntry(s: PySet, key: PyObject, h: PyHash, eq: KeyEq, legacy: boolean): PyObject | null {
  const i = setLookup(s, key, h, eq, legacy);
  if (i < 0) return null;
  const old = s.table[i]!;
  s.table[i] = undefined;
  // 3.11 marks a dummy with hash -1; 2.7 leaves the old hash (set.pop reads slot 0's).
  if (!legacy) s.hashes[i] = -1;
  s.used--;
  return old;
}

/**
 * set_pop: removes the first active slot at or after a search finger, so
 * that repeated pops do not rescan the emptied front. 3.11 keeps the finger
 * in the set; 2.7 keeps it in the hash field of slot 0 (when that slot is
 * not active), which is why a stale hash there can move the start.
 */
export function setPop(s: PySet, legacy: boolean): PyObject {
  const table = s.table;
  const mask = s.mask;
  let i: number;
  if (legacy) {
    i = 0;
    if (!table[0]) {
      const f = s.hashes[0];
      i = typeof f === 'number' && f >= 1 && f <= mask ? f : 1;
      while (!table[i]) {
        i++;
        if (i > mask) i = 1;
      }
    }
  } else {
    i = s.finger & mask;
    while (!table[i]) {
      i++;
      if (i > mask) i = 0;
    }
  }
  const key = table[i]!;
  table[i] = undefined;
  if (!legacy) s.hashes[i] = -1;
  s.used--;
  if (legacy) s.hashes[0] = i + 1;
  else s.finger = i + 1;
  return key;
}

/**
 * set_merge: adds every key of `other` (references taken by `incref`). One
 * resize up front; 3.11 copies the slots verbatim into an empty table of the
 * same size, or reinserts into an empty table without comparisons.
 */
export function setMerge(so: PySet, other: PySet, eq: KeyEq, legacy: boolean, host: SetTableHost, incref: (o: PyObject) => void): void {
  if (other === so || other.used === 0) return;
  if (legacy ? (so.fill + other.used) * 3 >= (so.mask + 1) * 2 : (so.fill + other.used) * 5 >= so.mask * 3) {
    setTableResize(so, (so.used + other.used) * 2, legacy, host);
  }
  const ot = other.table;
  const oh = other.hashes;
  if (!legacy && so.fill === 0) {
    if (so.mask === other.mask && other.fill === other.used) {
      for (let i = 0; i < ot.length; i++) {
        const k = ot[i];
        if (k) {
          incref(k);
          so.table[i] = k;
          so.hashes[i] = oh[i];
        }
      }
    } else {
      for (let i = 0; i < ot.length; i++) {
        const k = ot[i];
        if (k) {
          incref(k);
          insertClean(so.table, so.hashes, so.mask, k, oh[i], false);
        }
      }
    }
    so.fill = so.used = other.used;
    return;
  }
  for (let i = 0; i < ot.length; i++) {
    const k = ot[i];
    if (k && setAddEntry(so, k, oh[i], eq, legacy, host)) incref(k);
  }
}

/** The active keys in slot order (a snapshot: safe to mutate the set while using it). */
export function setKeys(s: PySet): PyObject[] {
  const out: PyObject[] = [];
  const t = s.table;
  for (let i = 0; i < t.length; i++) {
    const k = t[i];
    if (k) out.push(k);
  }
  return out;
}

/** The active entries' hashes in slot order (parallel to setKeys). */
export function setHashes(s: PySet): PyHash[] {
  const out: PyHash[] = [];
  const t = s.table;
  for (let i = 0; i < t.length; i++) if (t[i]) out.push(s.hashes[i]);
  return out;
}
