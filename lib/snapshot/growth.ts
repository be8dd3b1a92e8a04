// objgraph's `growth` / `show_growth` between snapshots.
//
// objgraph compares the current counts with *peak* counts kept in a mutable
// default argument: a type is reported when its count exceeds its highest
// count so far, and the peak then rises. Types that shrink never appear, and
// a type that shrank and regrew under its old peak is not reported either
// (objgraph issue #48, "broken as designed"). Here the peaks are an explicit
// Map the caller owns (`growthFromPeaks`), and `growth(old, new)` is the
// common two-step case where the old snapshot's counts are the peaks.
//
// objgraph runs gc.collect() before counting; a snapshot is whatever the heap
// held when it was taken, so the snapshotter decides whether to collect first.
import type { Snapshot } from './model.js';
import { typestats, type TypeStatsOptions } from './typestats.js';

/** `[name, current count, increase over the peak]`, as objgraph's growth returns. */
export type GrowthRow = [name: string, count: number, delta: number];

/**
 * Compares `stats` with `peaks` and raises the peaks (the caller's state).
 * Rows are sorted by increase, stable (ties in first-seen order), and cut to
 * `limit` unless it is 0.
 */
export function growthFromPeaks(peaks: Map<string, number>, stats: Map<string, number>, limit = 10): GrowthRow[] {
  const rows: GrowthRow[] = [];
  for (const [name, count] of stats) {
    const old = peaks.get(name) ?? 0;
    if (count > old) {
      rows.push([name, count, count - old]);
      peaks.set(name, count);
    }
  }
  rows.sort((a, b) => b[2] - a[2]);
  return limit ? rows.slice(0, limit) : rows;
}

/**
 * objgraph's `growth` from one snapshot to the next.
 * @example
 * formatGrowth(growth(before, after)) // 'Session        3       +3\n'
 */
export function growth(old: Snapshot, current: Snapshot, opts: TypeStatsOptions & { limit?: number } = {}): GrowthRow[] {
  return growthFromPeaks(typestats(old, opts), typestats(current, opts), opts.limit ?? 10);
}

/**
 * objgraph's `show_growth` text: `'%-*s%9d %+9d\n'` per row, nothing when
 * nothing grew.
 */
export function formatGrowth(rows: readonly GrowthRow[]): string {
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, count, delta]) => `${name.padEnd(width)}${String(count).padStart(9)} ${signed(delta).padStart(9)}\n`).join('');
}

function signed(n: number): string {
  return n < 0 ? String(n) : `+${n}`;
}
