// The report model: plain data, everything the HTML template shows and
// nothing it has to compute. Strings are raw text (the template escapes
// them); the only pre-built markup is `graphSvg`, Graphviz output passed
// through `sanitizeSvg`.
import type { AuditResult } from './audit.js';
import type { ChartGeometry } from './chart.js';
import type { Verdict } from './rules.js';

export interface ReportModel {
  title: string;
  script: string;
  profile: string;
  createdBy: string;
  exitCode: number;
  summary: {
    level: 'leak' | 'maybe' | 'clean';
    headline: string;
    sentences: string[];
    totals: Array<{ name: string; value: string }>;
  };
  output: { stdout: string; stderr: string; truncated: boolean };
  charts: { types: ChartGeometry; memory: ChartGeometry[] };
  growth: { rows: GrowthRow[]; omitted: number; note: string };
  suspects: Suspect[];
  otherGrowth: Array<{ type: string; reason: string; counts: string }>;
  rules: Array<{ name: string; describe: string }>;
  gc: {
    collections: CollectionRow[];
    omitted: number;
    garbage: Array<{ type: string; address: string; description: string; reason: string; site: string }>;
    garbageNote: string;
  };
  finalizers: {
    rows: FinalizerRow[];
    omitted: number;
    resurrections: number;
    weakrefs: Array<{ order: number; weakref: string; callback: string; when: string }>;
  };
  pymalloc: {
    arenas: Array<{ index: number; address: string; summary: string; pools: Array<{ state: string; title: string; fill: number }> }>;
    omittedArenas: number;
    stats: string;
    legend: Array<{ state: string; text: string }>;
  };
  allocationSites: { rows: Array<{ where: string; text: string; count: number; bytes: number; types: string }>; omitted: number };
  audit: AuditView | null;
  about: string[];
}

export interface GrowthRow {
  step: number;
  label: string;
  line: string;
  /** objgraph's show_growth text for this step (peak semantics) */
  growth: string;
  appeared: string;
  disappeared: string;
}

export interface Suspect {
  type: string;
  verdict: Verdict;
  rule: string;
  reason: string;
  counts: string;
  alive: number;
  /** 'ConnectionManager.connections' */
  holder: string;
  /** one line per hop: 'module __main__ -[__dict__]-> dict ...' */
  chain: Array<{ edge: string; node: string }>;
  chainFound: boolean;
  graphSvg: string | null;
  graphNote: string;
}

export interface CollectionRow {
  n: number;
  generation: number;
  kind: string;
  line: string;
  collected: number;
  uncollectable: number;
  examined: number;
  finalizers: number;
  afterStep: string;
}

export interface FinalizerRow {
  order: number;
  object: string;
  site: string;
  when: string;
  resurrected: boolean;
}

export interface AuditView {
  result: AuditResult;
  cycles: Array<{
    n: number;
    members: string;
    references: string[];
    modern: string;
    modernOutcome: string;
    legacy: string;
  }>;
  keptAlive: string;
  note: string;
}
