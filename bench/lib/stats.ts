// Small statistics for the benchmark driver. Pure functions, no I/O, so the
// driver's arithmetic is unit-tested (test/bench/driver.test.ts).

/**
 * The median of the finite values in `xs` (NaN when there are none).
 * With an even count it is the mean of the two middle values.
 *
 * @example median([3, 1, 2]) // 2
 */
export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * a / b, or NaN when either is missing or b is not positive: a ratio against a
 * zero or absent baseline means nothing, and NaN keeps it out of medians.
 */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return NaN;
  return a / b;
}

/**
 * The median of the per-round ratios a[i] / b[i]. Rounds are paired because
 * the two runs of one round saw the same machine load; a ratio of medians
 * would pair a quiet refscope round with a noisy CPython one.
 */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const rs: number[] = [];
  for (let i = 0; i < n; i++) rs.push(ratio(a[i]!, b[i]!));
  return median(rs);
}
