/*
 * Line charts as plain geometry: numbers and short strings that the
 * template turns into inline SVG elements. No markup is built here, so
 * every piece of text (type names come from the script) goes through the
 * template's escaping like any other value.
 *
 * Long runs: a chart has at most MAX_POINTS x positions. Beyond that, steps
 * are grouped into equal buckets and each bucket shows its maximum (a leak
 * is about highs, and the max keeps a spike visible), which the caption says.
 */

/** Most x positions drawn per series. */
export const MAX_POINTS = 400;

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export interface ChartSeries {
  name: string;
  values: number[];
}

export interface ChartGeometry {
  title: string;
  width: number;
  height: number;
  /** plot area */
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** x of the y-axis labels */
  tickX: number;
  lines: Array<{ name: string; color: string; points: string; last: number; legendX: number; legendY: number; dots: Array<{ x: number; y: number; title: string }> }>;
  yTicks: Array<{ y: number; label: string }>;
  xTicks: Array<{ x: number; label: string }>;
  markers: Array<{ x: number; title: string; uncollectable: boolean }>;
  caption: string;
}

export interface ChartInput {
  title: string;
  /** label of each step */
  steps: string[];
  series: ChartSeries[];
  /** vertical marks at fractional step positions (a collection between steps k-1 and k is at k - 0.5) */
  markers?: Array<{ at: number; title: string; uncollectable?: boolean }>;
  width?: number;
  height?: number;
  unit?: string;
}

export function lineChart(input: ChartInput): ChartGeometry {
  const width = input.width ?? 900;
  const height = input.height ?? 260;
  const left = 64;
  const right = width - 170;
  const top = 16;
  const bottom = height - 36;
  const n = input.steps.length;
  const bucket = Math.max(1, Math.ceil(n / MAX_POINTS));
  const slots = Math.max(1, Math.ceil(n / bucket));
  const reduced = input.series.map((s) => {
    const v: number[] = [];
    for (let b = 0; b < slots; b++) v.push(Math.max(...s.values.slice(b * bucket, (b + 1) * bucket)));
    return v;
  });
  const maxY = Math.max(1, ...reduced.flat());
  const niceMax = nice(maxY);
  const xOf = (slot: number) => (slots === 1 ? (left + right) / 2 : left + ((right - left) * slot) / (slots - 1));
  const yOf = (v: number) => bottom - ((bottom - top) * v) / niceMax;
  const r = (x: number) => Math.round(x * 10) / 10;
  const lines = input.series.map((s, k) => {
    const vals = reduced[k];
    const pts = vals.map((v, i) => `${r(xOf(i))},${r(yOf(v))}`).join(' ');
    const dots = slots <= 60 ? vals.map((v, i) => ({ x: r(xOf(i)), y: r(yOf(v)), title: `${s.name}: ${v}${input.unit ?? ''} at ${input.steps[i * bucket]}` })) : [];
    return { name: s.name, color: PALETTE[k % PALETTE.length], points: pts, last: s.values[s.values.length - 1] ?? 0, legendX: right + 16, legendY: top + 18 * k, dots };
  });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: r(yOf(niceMax * f)), label: compact(niceMax * f) }));
  const every = Math.max(1, Math.ceil(slots / 8));
  const xTicks: ChartGeometry['xTicks'] = [];
  for (let i = 0; i < slots; i += every) xTicks.push({ x: r(xOf(i)), label: bucket === 1 ? String(i + 1) : `${i * bucket + 1}` });
  const markers = (input.markers ?? []).map((m) => {
    const slot = Math.min(slots - 1, Math.max(0, m.at / bucket));
    const x = slots === 1 ? xOf(0) - 12 : left + ((right - left) * slot) / (slots - 1);
    return { x: r(Math.max(left, Math.min(right, x))), title: m.title, uncollectable: m.uncollectable ?? false };
  });
  const caption = bucket > 1 ? `${n} steps drawn as ${slots} points: each point is the maximum of ${bucket} consecutive steps.` : `${n} step${n === 1 ? '' : 's'}.`;
  return { title: input.title, width, height, left, top, right, bottom, tickX: left - 6, lines, yTicks, xTicks, markers, caption };
}

function nice(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function compact(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}
