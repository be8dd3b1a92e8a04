// Summaries of a benchmark's rounds and their text / markdown rendering.
// Pure functions (unit-tested); the driver does the running.
import type { Benchmark } from './benchmarks.js';
import { median, medianRatio } from './stats.js';

/** One side's measurements in one round. */
export interface Sample {
  /** Whole-process wall time, seconds. */
  wall: number;
  /** The script's timing line, seconds (NaN when missing). */
  timing: number;
  /** Peak RSS, MB. */
  rssMB: number;
}

export interface SideSummary {
  wall: number;
  timing: number;
  rssMB: number;
}

export interface BenchSummary {
  name: string;
  label: string;
  target: Benchmark['target'];
  /** Why the benchmark did not run, when it did not. */
  skipped?: string;
  /** How the refscope side ran: the CLI or an API benchmark. */
  via: string;
  rounds: { refscope: Sample; cpython: Sample }[];
  refscope: SideSummary;
  cpython: SideSummary;
  ratio: { whole: number; timing: number; rss: number };
  /** The target ratio is met (false when the ratio is unknown). */
  met: boolean;
  /** Distinct result differences seen over all rounds; empty when identical. */
  diffs: string[];
  /** Runs that could not complete (timeout, could not start). */
  errors: string[];
}

/** Medians and median per-round ratios over the rounds of one benchmark. */
export function summarize(
  bench: Benchmark,
  via: string,
  rounds: { refscope: Sample; cpython: Sample }[],
  diffs: string[],
  errors: string[],
): BenchSummary {
  const side = (k: 'refscope' | 'cpython'): SideSummary => ({
    wall: median(rounds.map((r) => r[k].wall)),
    timing: median(rounds.map((r) => r[k].timing)),
    rssMB: median(rounds.map((r) => r[k].rssMB)),
  });
  const pick = (k: keyof Sample) => [rounds.map((r) => r.refscope[k]), rounds.map((r) => r.cpython[k])] as const;
  const ratio = {
    whole: medianRatio(...pick('wall')),
    timing: medianRatio(...pick('timing')),
    rss: medianRatio(...pick('rssMB')),
  };
  const r = bench.target.metric === 'whole' ? ratio.whole : ratio.timing;
  return {
    name: bench.name,
    label: bench.label,
    target: bench.target,
    via,
    rounds,
    refscope: side('refscope'),
    cpython: side('cpython'),
    ratio,
    met: Number.isFinite(r) && r <= bench.target.max,
    diffs,
    errors,
  };
}

/** A benchmark that did not run. */
export function skippedSummary(bench: Benchmark, reason: string): BenchSummary {
  const none = { wall: NaN, timing: NaN, rssMB: NaN };
  return {
    name: bench.name,
    label: bench.label,
    target: bench.target,
    skipped: reason,
    via: '',
    rounds: [],
    refscope: none,
    cpython: none,
    ratio: { whole: NaN, timing: NaN, rss: NaN },
    met: false,
    diffs: [],
    errors: [],
  };
}

/** Seconds with three significant decimals, or "n/a". */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return 'n/a';
  return s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${s.toFixed(3)} s`;
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  return r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function fmtMB(mb: number): string {
  return Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a';
}

/** "≤ 5× whole process" / "≤ 2× collect". */
export function fmtTarget(b: { target: Benchmark['target']; label: string }): string {
  return `≤ ${b.target.max}× ${b.target.metric === 'whole' ? 'whole process' : b.label}`;
}

/** The verdict on a benchmark's printed results. */
export function resultsCell(s: BenchSummary): string {
  if (s.skipped) return 'skipped';
  if (s.errors.length) return 'FAILED TO RUN';
  return s.diffs.length ? 'DIFFER' : 'identical';
}

/** The summary as a markdown table that can be pasted into the README. */
export function markdownTable(summaries: readonly BenchSummary[]): string {
  const head = [
    'benchmark',
    'refscope whole',
    'CPython whole',
    'ratio whole',
    'refscope timing',
    'CPython timing',
    'ratio timing',
    'target',
    'peak RSS refscope / CPython',
    'results',
  ];
  const rows = summaries.map((s) => {
    if (s.skipped) return [s.name, '', '', '', '', '', '', fmtTarget(s), '', `skipped: ${s.skipped}`];
    const mark = (metric: 'whole' | 'timing', r: number) =>
      s.target.metric === metric && Number.isFinite(r) ? `${fmtRatio(r)} ${s.met ? '✓' : '✗'}` : fmtRatio(r);
    return [
      s.name,
      fmtSeconds(s.refscope.wall),
      fmtSeconds(s.cpython.wall),
      mark('whole', s.ratio.whole),
      `${fmtSeconds(s.refscope.timing)} (${s.label})`,
      fmtSeconds(s.cpython.timing),
      mark('timing', s.ratio.timing),
      fmtTarget(s),
      `${fmtMB(s.refscope.rssMB)} / ${fmtMB(s.cpython.rssMB)} (${fmtRatio(s.ratio.rss)})`,
      resultsCell(s),
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
