// Counts by type: objgraph's `typestats`, `most_common_types` and
// `show_most_common_types`, over a snapshot instead of `gc.get_objects()`.
//
// Order is objgraph's: a type name's place is where the heap walk first met
// it (object index order), and sorting by count is stable, so ties keep that
// order. Only GC-tracked objects count, as objgraph only sees those; pass
// `allObjects` to include untracked ints, strs and atom-only containers too.
import type { Snapshot } from './model.js';

export interface TypeStatsOptions {
  /** `type.__name__` (default) or `module.name`, as objgraph's `shortnames` */
  shortnames?: boolean;
  /** count untracked objects too (objgraph cannot see them) */
  allObjects?: boolean;
  /** objgraph's `filter`: objects for which it returns false are skipped */
  filter?: (snapshot: Snapshot, index: number) => boolean;
}

/** One row: a type name, how many objects, and their `sys.getsizeof` total. */
export interface TypeTotal {
  name: string;
  count: number;
  bytes: number;
}

/**
 * Count and bytes per type name, in first-seen order. One pass over the
 * objects by type index, then names merged in first-seen order of their types.
 * @example
 * typeTotals(snap) // [{ name: 'dict', count: 12, bytes: 2944 }, ...]
 */
export function typeTotals(s: Snapshot, opts: TypeStatsOptions = {}): TypeTotal[] {
  const { shortnames = true, allObjects = false, filter } = opts;
  const nTypes = s.types.length;
  const counts = new Float64Array(nTypes);
  const bytes = new Float64Array(nTypes);
  const firstSeen: number[] = [];
  const type = s.objects.type;
  const size = s.objects.size;
  for (let i = 0; i < s.objectCount; i++) {
    if (!allObjects && !s.isTracked(i)) continue;
    if (filter && !filter(s, i)) continue;
    const t = type[i];
    if (counts[t] === 0) firstSeen.push(t);
    counts[t]++;
    bytes[t] += size[i];
  }
  const byName = new Map<string, TypeTotal>();
  for (const t of firstSeen) {
    const name = shortnames ? s.types[t].short : s.types[t].long;
    const row = byName.get(name);
    if (row) {
      row.count += counts[t];
      row.bytes += bytes[t];
    } else {
      byName.set(name, { name, count: counts[t], bytes: bytes[t] });
    }
  }
  return [...byName.values()];
}

/** objgraph's `typestats`: type name → count, in first-seen order. */
export function typestats(s: Snapshot, opts: TypeStatsOptions = {}): Map<string, number> {
  return new Map(typeTotals(s, opts).map((r) => [r.name, r.count]));
}

/**
 * `typeTotals` sorted by count, most first, stable (ties in first-seen order),
 * cut to `limit` unless it is 0 (objgraph: a falsy limit means all).
 */
export function mostCommonTypeTotals(s: Snapshot, opts: TypeStatsOptions & { limit?: number } = {}): TypeTotal[] {
  const rows = typeTotals(s, opts).sort((a, b) => b.count - a.count);
  const limit = opts.limit ?? 10;
  return limit ? rows.slice(0, limit) : rows;
}

/** objgraph's `most_common_types`: `[name, count]` pairs. */
export function mostCommonTypes(s: Snapshot, opts: TypeStatsOptions & { limit?: number } = {}): Array<[string, number]> {
  return mostCommonTypeTotals(s, opts).map((r) => [r.name, r.count]);
}

/**
 * objgraph's `show_most_common_types` text: `'%-*s %i\n' % (width, name, count)`,
 * the name padded to the longest name, one space, the count unaligned.
 * objgraph raises ValueError on an empty list; this returns ''.
 */
export function formatMostCommonTypes(rows: ReadonlyArray<readonly [string, number]>): string {
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, count]) => `${name.padEnd(width)} ${count}\n`).join('');
}
