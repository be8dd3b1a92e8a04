// What changed between two snapshots, by type.
//
// Identity. An object in both snapshots is the same object iff its address
// AND its allocation serial match. Addresses alone lie: CPython hands a freed
// block to the next allocation of the same size class at once, so "the dict
// at 0x7f..10" in step 3 may be a different dict from the one in step 2. The
// serial is an allocation sequence number the heap assigns and never reuses,
// so a reused address shows up as one object disappearing and one appearing.
//
// Per type name (short by default, as objgraph) the diff reports the count and
// the `sys.getsizeof` bytes in each snapshot and how many objects appeared
// (counted in the new one only) and disappeared (counted in the old one
// only), so that newCount - oldCount = appeared - disappeared. A type can keep
// its count and still churn. As everywhere in objgraph, only GC-tracked
// objects count unless `allObjects` is set.
import type { Snapshot } from './model.js';

export interface DiffOptions {
  shortnames?: boolean;
  allObjects?: boolean;
}

export interface TypeDiff {
  name: string;
  oldCount: number;
  newCount: number;
  oldBytes: number;
  newBytes: number;
  /** objects of this type only in the new snapshot */
  appeared: number;
  appearedBytes: number;
  /** objects of this type only in the old snapshot */
  disappeared: number;
  disappearedBytes: number;
}

export interface SnapshotDiff {
  /**
   * Types with any change, most grown first: by count increase, then by bytes
   * increase, ties in first-seen order (the new heap walk, then types that
   * are only in the old snapshot).
   */
  types: TypeDiff[];
  /** new-snapshot indices of objects that appeared, in heap-walk order */
  appeared: number[];
  /** old-snapshot indices of objects that disappeared, in heap-walk order */
  disappeared: number[];
  /** sums over all types (including unchanged ones) */
  total: TypeDiff;
}

/** True iff old object i and new object j are the same object (address and serial). */
export function sameObject(old: Snapshot, i: number, current: Snapshot, j: number): boolean {
  return old.objects.address[i] === current.objects.address[j] && old.objects.serial[i] === current.objects.serial[j];
}

/**
 * Compares two snapshots, in O(objects) using the address index.
 * @example
 * const d = diff(before, after);
 * d.types[0] // { name: 'Session', oldCount: 0, newCount: 3, appeared: 3, ... }
 */
export function diff(old: Snapshot, current: Snapshot, opts: DiffOptions = {}): SnapshotDiff {
  const { shortnames = true, allObjects = false } = opts;
  const rows = new Map<string, TypeDiff>();
  // Rows resolved per type index, so the per-object work is an array read.
  const rowOfType = (s: Snapshot): Array<TypeDiff | undefined> => new Array(s.types.length);
  const oldRows = rowOfType(old);
  const newRows = rowOfType(current);
  const row = (s: Snapshot, cache: Array<TypeDiff | undefined>, i: number): TypeDiff => {
    const t = s.objects.type[i];
    let r = cache[t];
    if (r) return r;
    const name = shortnames ? s.types[t].short : s.types[t].long;
    r = rows.get(name);
    if (!r) {
      r = { name, oldCount: 0, newCount: 0, oldBytes: 0, newBytes: 0, appeared: 0, appearedBytes: 0, disappeared: 0, disappearedBytes: 0 };
      rows.set(name, r);
    }
    cache[t] = r;
    return r;
  };
  const counted = (s: Snapshot, i: number) => allObjects || s.isTracked(i);

  // Which old objects survive: mark them while walking the new snapshot.
  const survived = new Uint8Array(old.objectCount);
  const appeared: number[] = [];
  for (let j = 0; j < current.objectCount; j++) {
    const i = old.indexOfAddress(current.objects.address[j]);
    const same = i >= 0 && old.objects.serial[i] === current.objects.serial[j];
    if (same) survived[i] = 1;
    if (!counted(current, j)) continue;
    const r = row(current, newRows, j);
    const size = current.objects.size[j];
    r.newCount++;
    r.newBytes += size;
    // Counted now but not before: new, or it became tracked (objgraph would
    // see it for the first time). Either way newCount - oldCount stays
    // appeared - disappeared.
    if (!same || !counted(old, i)) {
      r.appeared++;
      r.appearedBytes += size;
      appeared.push(j);
    }
  }
  const disappeared: number[] = [];
  for (let i = 0; i < old.objectCount; i++) {
    if (!counted(old, i)) continue;
    const r = row(old, oldRows, i);
    const size = old.objects.size[i];
    r.oldCount++;
    r.oldBytes += size;
    if (!survived[i] || !counted(current, current.indexOfAddress(old.objects.address[i]))) {
      r.disappeared++;
      r.disappearedBytes += size;
      disappeared.push(i);
    }
  }

  const total: TypeDiff = { name: 'total', oldCount: 0, newCount: 0, oldBytes: 0, newBytes: 0, appeared: 0, appearedBytes: 0, disappeared: 0, disappearedBytes: 0 };
  for (const r of rows.values()) {
    total.oldCount += r.oldCount;
    total.newCount += r.newCount;
    total.oldBytes += r.oldBytes;
    total.newBytes += r.newBytes;
    total.appeared += r.appeared;
    total.appearedBytes += r.appearedBytes;
    total.disappeared += r.disappeared;
    total.disappearedBytes += r.disappearedBytes;
  }
  const types = [...rows.values()]
    .filter((r) => r.oldCount !== r.newCount || r.oldBytes !== r.newBytes || r.appeared || r.disappeared)
    .sort((a, b) => b.newCount - b.oldCount - (a.newCount - a.oldCount) || b.newBytes - b.oldBytes - (a.newBytes - a.oldBytes));
  return { types, appeared, disappeared, total };
}

/**
 * An aligned table of the first `limit` changed types (0: all), with a total
 * line and a note on how many rows were left out.
 * @example
 * type     old  new  change  old bytes  new bytes  change  appeared  disappeared
 * Session    0    3      +3          0        168    +168         3            0
 */
export function formatDiff(d: SnapshotDiff, limit = 10): string {
  if (d.types.length === 0) return 'No type changed in count, bytes or identity.\n';
  const shown = limit ? d.types.slice(0, limit) : d.types;
  const line = (r: TypeDiff) => [
    r.name,
    String(r.oldCount),
    String(r.newCount),
    signed(r.newCount - r.oldCount),
    String(r.oldBytes),
    String(r.newBytes),
    signed(r.newBytes - r.oldBytes),
    String(r.appeared),
    String(r.disappeared),
  ];
  const header = ['type', 'old', 'new', 'change', 'old bytes', 'new bytes', 'change', 'appeared', 'disappeared'];
  const body = shown.map(line);
  const table = [header, ...body, line(d.total)];
  const widths = header.map((_, c) => Math.max(...table.map((cells) => cells[c].length)));
  const render = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd() + '\n';
  let out = render(header) + body.map(render).join('');
  out += render(widths.map((w) => '-'.repeat(w))) + render(line(d.total));
  const left = d.types.length - shown.length;
  if (left > 0) out += `(${left} more changed type${left === 1 ? '' : 's'}; --limit 0 shows all)\n`;
  return out;
}

function signed(n: number): string {
  return n < 0 ? String(n) : `+${n}`;
}
