/*
 * Recording (+ audit) → ReportModel: every number the report shows is
 * computed here, so the template stays logic-less and the model can be
 * tested without HTML.
 *
 * Caps, so a run with thousands of steps still opens quickly (all stated in
 * the report's "About this report" list): charts draw at most MAX_POINTS
 * x positions (bucket maxima); the growth table shows the first
 * GROWTH_HEAD and last GROWTH_TAIL steps; collections and finalizer tables
 * show the first TABLE_HEAD and last TABLE_TAIL rows; at most MAX_GRAPHS
 * suspects get a chain and a graph; the pymalloc grid shows MAX_ARENAS
 * arenas; program output is cut at MAX_OUTPUT characters.
 */
import { edgeLabelSuffix, SHOW_GRAPH_DEFAULTS, showGraph } from '../objgraph/showgraph.js';
import { renderDot } from '../render/render.js';
import { describeChain, findBackrefChain } from '../snapshot/chain.js';
import { snapshotGraphModel } from '../snapshot/graph.js';
import { formatGrowth, growthFromPeaks } from '../snapshot/growth.js';
import { describeObject } from '../snapshot/labels.js';
import type { Snapshot } from '../snapshot/model.js';
import { collectionName, type AuditResult } from './audit.js';
import { lineChart, MAX_POINTS } from './chart.js';
import type { AuditView, CollectionRow, FinalizerRow, GrowthRow, ReportModel, Suspect } from './model.js';
import type { Recording, StepRecord } from './recorder.js';
import { judge, RULES, type Judgement, type TypeSeries } from './rules.js';
import { sanitizeSvg } from './svg.js';

export const GROWTH_HEAD = 20;
export const GROWTH_TAIL = 40;
export const TABLE_HEAD = 100;
export const TABLE_TAIL = 100;
export const MAX_GRAPHS = 5;
export const MAX_ARENAS = 16;
export const MAX_OUTPUT = 20_000;
const MAX_LISTED_SUSPECTS = 30;
const MAX_SITES = 30;
const CHART_TYPES = 6;

export interface BuildOptions {
  createdBy?: string;
  /** render back-reference graphs (Graphviz wasm); default true */
  graphs?: boolean;
}

/** Builds the report model; renders the suspects' back-reference graphs. */
export async function buildReport(rec: Recording, audit: AuditResult | null, opts: BuildOptions = {}): Promise<ReportModel> {
  const steps = rec.steps;
  const names = typeNames(steps);
  const counts = new Map<string, number[]>(names.map((n) => [n, steps.map(() => 0)]));
  steps.forEach((s, k) => s.types.forEach(([name, count]) => (counts.get(name)![k] = count)));
  const judged = judgeTypes(rec, names, counts);
  const suspects: Suspect[] = [];
  const end = rec.endSnapshot;
  for (const { series, j } of judged.filter((x) => x.j.verdict !== 'not').slice(0, MAX_LISTED_SUSPECTS)) {
    suspects.push(await suspect(end, series, j, suspects.length < MAX_GRAPHS && opts.graphs !== false, rec.attributeNames));
  }
  const otherGrowth = judged
    .filter((x) => x.j.verdict === 'not' && x.series.counts[x.series.counts.length - 1] > x.series.counts[0])
    .slice(0, 20)
    .map(({ series, j }) => ({ type: series.name, reason: j.reason, counts: countsText(series.counts) }));

  const top = [...names]
    .sort((a, b) => (suspectRank(b, suspects) - suspectRank(a, suspects)) || last(counts.get(b)!) - last(counts.get(a)!))
    .slice(0, CHART_TYPES);
  const stepLabels = steps.map((s) => `step ${s.index + 1} (${s.label})`);
  const markers = rec.collections.map((c) => ({
    at: c.stepsBefore - 0.5,
    title: `${collectionName(c.index, c.automatic)}: generation ${c.generation}, ${c.collected} collected, ${c.uncollectable} uncollectable`,
    uncollectable: c.uncollectable > 0,
  }));
  const charts = {
    types: lineChart({ title: 'Live objects of the top types per step (GC-tracked, as objgraph counts)', steps: stepLabels, series: top.map((n) => ({ name: n, values: counts.get(n)! })), markers }),
    memory: [
      lineChart({ title: 'pymalloc blocks in use', steps: stepLabels, series: [{ name: 'blocks', values: steps.map((s) => s.memory.blocks) }], markers, width: 420, height: 200 }),
      lineChart({ title: 'pools in use', steps: stepLabels, series: [{ name: 'pools', values: steps.map((s) => s.memory.pools) }], markers, width: 420, height: 200 }),
      lineChart({ title: 'arenas', steps: stepLabels, series: [{ name: 'arenas', values: steps.map((s) => s.memory.arenas) }], markers, width: 420, height: 200 }),
    ],
  };

  const model: ReportModel = {
    title: `refscope report: ${rec.script}`,
    script: rec.script,
    profile: profileText(rec),
    createdBy: opts.createdBy ?? 'refscope',
    exitCode: rec.exitCode,
    summary: summary(rec, suspects, audit),
    output: {
      stdout: rec.stdout.slice(0, MAX_OUTPUT),
      stderr: rec.stderr.slice(0, MAX_OUTPUT),
      truncated: rec.stdout.length > MAX_OUTPUT || rec.stderr.length > MAX_OUTPUT,
    },
    charts,
    growth: growthRows(steps),
    suspects,
    otherGrowth,
    rules: RULES.map((r) => ({ name: r.name, describe: r.describe })),
    gc: gcSection(rec),
    finalizers: finalizerSection(rec),
    pymalloc: pymallocSection(rec),
    allocationSites: {
      rows: rec.allocationSites.slice(0, MAX_SITES).map((s) => ({
        where: `${s.file}:${s.line}`,
        text: s.text,
        count: s.count,
        bytes: s.bytes,
        types: s.types.map(([t, n]) => `${t} ×${n}`).join(', '),
      })),
      omitted: Math.max(0, rec.allocationSites.length - MAX_SITES),
    },
    audit: audit ? auditView(audit) : null,
    about: [
      `Steps are taken at each refscope.snapshot() call, each objgraph call, each explicit gc.collect() and at the end of the script; this run has ${steps.length}.`,
      `Counts are GC-tracked objects by type name, as objgraph counts them; "appeared"/"freed" match objects by address and allocation serial, so a reused address is not mistaken for a survivor.`,
      `Charts draw at most ${MAX_POINTS} points per line (the maximum of each bucket of steps); the growth table shows the first ${GROWTH_HEAD} and last ${GROWTH_TAIL} steps; the collection and finalizer tables the first ${TABLE_HEAD} and last ${TABLE_TAIL} rows; ${MAX_GRAPHS} suspects get a back-reference graph; the pymalloc map shows ${MAX_ARENAS} arenas. Omitted rows are counted where they would be.`,
      'Time is simulated: a collection\'s cost is the number of objects in the generations it examined; the clock of a run is its number of allocations.',
      'This file is self-contained: no scripts, no network; every name and repr from the script is escaped.',
    ],
  };
  return model;
}

/** Longest name or label shown in text (graphs have objgraph's own cuts). */
const MAX_TEXT = 120;

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

function last(a: number[]): number {
  return a[a.length - 1] ?? 0;
}

function suspectRank(name: string, suspects: Suspect[]): number {
  const s = suspects.findIndex((x) => x.type === name);
  return s < 0 ? 0 : 100 - s;
}

function typeNames(steps: StepRecord[]): string[] {
  const seen = new Set<string>();
  for (const s of steps) for (const [n] of s.types) seen.add(n);
  return [...seen];
}

function countsText(c: number[]): string {
  if (c.length <= 12) return c.join(' → ');
  return `${c.slice(0, 4).join(' → ')} → … → ${c.slice(-6).join(' → ')}`;
}

/** Rules over every type; the end step is dropped for a type whose count it only repeats. */
function judgeTypes(rec: Recording, names: string[], counts: Map<string, number[]>): Array<{ series: TypeSeries; j: Judgement }> {
  const steps = rec.steps;
  const labels = steps.map((s) => s.label);
  // The end step often only repeats the last mark for a type: drop it there.
  const endRepeats = steps.length >= 2 && steps[steps.length - 1].kind === 'end';
  const end = rec.endSnapshot;
  const firstSerial = steps[0]?.serialHigh ?? 0;
  const survivors = new Map<string, number>();
  for (let i = 0; i < end.objectCount; i++) {
    if (!end.isTracked(i) || end.objects.serial[i] <= firstSerial) continue;
    const n = end.typeOf(i).short;
    survivors.set(n, (survivors.get(n) ?? 0) + 1);
  }
  const out = names.map((name) => {
    const c = counts.get(name)!;
    const keep = endRepeats && c[c.length - 1] === c[c.length - 2] ? c.length - 1 : c.length;
    const series: TypeSeries = { name, counts: c.slice(0, keep), labels: labels.slice(0, keep), survivors: survivors.get(name) ?? 0 };
    return { series, j: judge(series) };
  });
  const rank = { leak: 0, maybe: 1, not: 2 };
  // The script's own classes first: a leak report is read for them, and builtins (the
  // lists and dicts inside them) usually grow *because* of them.
  const own = new Set<string>();
  for (const t of end.types) if (t.long !== t.short && !t.long.startsWith('builtins.')) own.add(t.short);
  const mine = (n: string) => (own.has(n) ? 0 : 1);
  return out.sort((a, b) => rank[a.j.verdict] - rank[b.j.verdict] || mine(a.series.name) - mine(b.series.name) || growthOf(b.series) - growthOf(a.series));
}

function growthOf(s: TypeSeries): number {
  return last(s.counts) - s.counts[0];
}

async function suspect(end: Snapshot, series: TypeSeries, j: Judgement, withGraph: boolean, attributes: Map<string, string>): Promise<Suspect> {
  const objs = end.objectsOfType(series.name);
  const base: Suspect = {
    type: series.name,
    verdict: j.verdict,
    rule: j.rule,
    reason: j.reason,
    counts: countsText(series.counts),
    alive: objs.length,
    holder: '',
    chain: [],
    chainFound: false,
    graphSvg: null,
    graphNote: withGraph ? '' : `No graph: only the first ${MAX_GRAPHS} suspects get one.`,
  };
  if (objs.length === 0) return { ...base, graphNote: 'No object of this type is alive at the end.' };
  // The newest object of the type: the one most likely made by the leaking step.
  let obj = objs[0];
  for (const i of objs) if (end.objects.serial[i] > end.objects.serial[obj]) obj = i;
  const chain = findBackrefChain(end, obj);
  const found = end.isProperModule(chain[0]);
  // An unlabelled hop out of a 3.11 instance is an inline attribute: name it.
  const hops = describeChain(end, chain).map((h, k) => {
    if (k === 0 || h.edge) return h;
    const name = attributes.get(`${end.objects.address[chain[k - 1]]}:${end.objects.address[h.index]}`);
    return name ? { ...h, edge: name } : h;
  });
  base.chainFound = found;
  base.chain = hops.map((h, k) => ({ edge: k === 0 ? '' : h.edge ? `-[${clip(h.edge.replace(/\n/g, ' '))}]->` : '->', node: clip(describeObject(end, h.index)) }));
  base.holder = found ? clip(holderName(end, hops)) : '';
  if (withGraph) {
    try {
      const inChain = new Set(chain);
      // Edge labels are cut like node labels (objgraph keeps a long dict key whole, which makes a page-wide graph).
      const edgeSuffix = (text: string, weight?: number) => edgeLabelSuffix(text.length > 40 ? `${text.slice(0, 39)}…` : text, weight);
      const model = snapshotGraphModel(end, { direction: 'referrers', edgeSuffix });
      const { dot, nodes } = showGraph([obj], model, {
        ...SHOW_GRAPH_DEFAULTS,
        maxDepth: Math.min(6, Math.max(SHOW_GRAPH_DEFAULTS.maxDepth, chain.length - 1)),
        swapSourceTarget: false,
        cull: (n) => end.isProperModule(n),
        highlight: (n) => inChain.has(n) && n !== obj,
      });
      base.graphSvg = sanitizeSvg(await renderDot(dot, 'svg'));
      base.graphNote = `show_backrefs of the newest ${series.name} (${nodes} nodes); the chain above is filled blue.`;
    } catch (err) {
      base.graphNote = `The graph could not be drawn: ${(err as Error).message}`;
    }
  }
  return base;
}

/** 'ConnectionManager.connections': the last named reference on the chain and its owner. */
export function holderName(s: Snapshot, hops: ReturnType<typeof describeChain>): string {
  for (let k = hops.length - 1; k >= 1; k--) {
    const edge = hops[k].edge;
    if (!edge || edge === '__dict__' || edge.includes('\n')) continue;
    let owner = k - 1;
    if (owner >= 1 && hops[owner].edge === '__dict__') owner--;
    const o = hops[owner];
    const ownerName = s.isModule(o.index) ? s.label(o.index) : o.type;
    return `${ownerName}.${edge}`;
  }
  return hops.length > 1 ? hops[hops.length - 2].type : '';
}

function growthRows(steps: StepRecord[]): ReportModel['growth'] {
  const peaks = new Map<string, number>();
  const rows: GrowthRow[] = steps.map((s) => {
    const g = growthFromPeaks(peaks, new Map(s.types.map(([n, c]) => [n, c])), 10);
    return {
      step: s.index + 1,
      label: s.label,
      line: s.line === null ? '' : String(s.line),
      growth: s.index === 0 ? '(first step: the baseline)' : formatGrowth(g) || '(nothing grew past its peak)',
      appeared: s.index === 0 ? '' : pairs(s.appeared, '+'),
      disappeared: pairs(s.disappeared, '−'),
    };
  });
  if (rows.length <= GROWTH_HEAD + GROWTH_TAIL) return { rows, omitted: 0, note: '' };
  const omitted = rows.length - GROWTH_HEAD - GROWTH_TAIL;
  return {
    rows: [...rows.slice(0, GROWTH_HEAD), ...rows.slice(-GROWTH_TAIL)],
    omitted,
    note: `${omitted} steps between step ${GROWTH_HEAD} and step ${rows.length - GROWTH_TAIL + 1} are not listed (the chart above covers every step).`,
  };
}

function pairs(p: Array<[string, number]>, sign: string, max = 8): string {
  const text = p.slice(0, max).map(([n, c]) => `${n} ${sign}${c}`).join(', ');
  return p.length > max ? `${text}, … (${p.length - max} more types)` : text;
}

function headTail<T>(rows: T[]): { rows: T[]; omitted: number } {
  if (rows.length <= TABLE_HEAD + TABLE_TAIL) return { rows, omitted: 0 };
  return { rows: [...rows.slice(0, TABLE_HEAD), ...rows.slice(-TABLE_TAIL)], omitted: rows.length - TABLE_HEAD - TABLE_TAIL };
}

function stepName(rec: Recording, k: number): string {
  return k <= 0 ? 'before the first step' : `after step ${k} (${rec.steps[k - 1]?.label ?? ''})`;
}

function gcSection(rec: Recording): ReportModel['gc'] {
  const all: CollectionRow[] = rec.collections.map((c) => ({
    n: c.index + 1,
    generation: c.generation,
    kind: c.automatic ? 'automatic' : 'gc.collect()',
    line: c.line === null ? '' : String(c.line),
    collected: c.collected,
    uncollectable: c.uncollectable,
    examined: c.examined,
    finalizers: c.finalizers,
    afterStep: stepName(rec, c.stepsBefore),
  }));
  const { rows, omitted } = headTail(all);
  const reasons = {
    saveall: 'gc.DEBUG_SAVEALL was set: the collector saves every unreachable object here instead of freeing it',
    'legacy-finalizer': 'legacy finalizer: it defines __del__ and sits in (or hangs off) an unreachable cycle, which Python ≤ 3.3 / 2.7 cannot collect',
    script: 'put there by the script (or by a collection the recorder did not see)',
  };
  const garbage = rec.garbage.map((g) => ({ type: g.type, address: `0x${g.address.toString(16)}`, description: g.text, reason: reasons[g.reason], site: g.site ?? '' }));
  const garbageNote = garbage.length
    ? `gc.garbage holds ${garbage.length} object${garbage.length === 1 ? '' : 's'} at the end; each keeps everything it refers to alive.`
    : rec.legacyFinalizers
      ? 'gc.garbage is empty at the end.'
      : 'gc.garbage is empty at the end (with PEP 442 finalizers only gc.DEBUG_SAVEALL puts objects there).';
  return { collections: rows, omitted, garbage, garbageNote };
}

function finalizerSection(rec: Recording): ReportModel['finalizers'] {
  const when = (c: number | null, line: number | null) =>
    c === null ? `reference count reached zero${line ? ` (line ${line})` : ''}` : `${collectionName(c, rec.collections[c]?.automatic ?? false)}${rec.collections[c]?.line ? ` (line ${rec.collections[c].line})` : ''}`;
  const all: FinalizerRow[] = rec.finalizers.map((f) => ({
    order: f.order,
    object: f.object.text,
    site: f.object.site ?? '',
    when: f.atExit ? `interpreter shutdown: ${when(f.collection, f.line)}` : when(f.collection, f.line),
    resurrected: f.resurrected,
  }));
  const { rows, omitted } = headTail(all);
  return {
    rows,
    omitted,
    resurrections: rec.finalizers.filter((f) => f.resurrected).length,
    weakrefs: rec.weakrefCallbacks.slice(0, TABLE_HEAD + TABLE_TAIL).map((w) => ({ order: w.order, weakref: w.weakref.text, callback: w.callback, when: when(w.collection, w.line) })),
  };
}

function pymallocSection(rec: Recording): ReportModel['pymalloc'] {
  const arenas = rec.arenas.slice(0, MAX_ARENAS).map((a) => {
    const counts = { used: 0, full: 0, empty: 0, untouched: 0 };
    const pools = a.pools.map((p) => {
      counts[p.state]++;
      const title =
        p.state === 'untouched'
          ? 'untouched pool (never carved)'
          : `${p.state} pool at 0x${p.address.toString(16)}: size class ${p.szidx} (${p.blockSize}-byte blocks), ${p.blocksInUse} of ${p.numBlocks} blocks in use`;
      return { state: p.state, title, fill: p.numBlocks ? Math.round((100 * p.blocksInUse) / p.numBlocks) : 0 };
    });
    return {
      index: a.index,
      address: `0x${a.address.toString(16)}`,
      summary: `${a.ntotalpools} pools: ${counts.full} full, ${counts.used} used, ${counts.empty} empty, ${counts.untouched} untouched`,
      pools,
    };
  });
  return {
    arenas,
    omittedArenas: Math.max(0, rec.arenas.length - MAX_ARENAS),
    stats: rec.mallocStatsText,
    legend: [
      { state: 'full', text: 'full: every block in use' },
      { state: 'used', text: 'used: some blocks in use (shade = how full)' },
      { state: 'empty', text: 'empty: carved, no block in use' },
      { state: 'untouched', text: 'untouched: never carved' },
    ],
  };
}

function profileText(rec: Recording): string {
  if (rec.python === '2.7') return rec.legacyFinalizers ? 'CPython 2.7 (legacy finalizers)' : 'CPython 2.7 profile with PEP 442 finalizers (what-if)';
  return rec.legacyFinalizers ? 'CPython 3.11 profile with legacy finalizers (what Python ≤ 3.3 would do)' : 'CPython 3.11';
}

function summary(rec: Recording, suspects: Suspect[], audit: AuditResult | null): ReportModel['summary'] {
  const sentences: string[] = [];
  const leaks = suspects.filter((s) => s.verdict === 'leak');
  const maybes = suspects.filter((s) => s.verdict === 'maybe');
  const say = (s: Suspect) => `${s.type} ${s.reason}${s.holder ? `; it is kept alive by ${s.holder}` : ''}.`;
  for (const s of [...leaks, ...maybes].slice(0, 3)) sentences.push(say(s));
  if (leaks.length + maybes.length > 3) sentences.push(`${leaks.length + maybes.length - 3} more types are suspects (see Leak suspects).`);
  if (audit && audit.delCycles.length) {
    const types = [...new Set(audit.delCycles.flatMap((c) => c.members.filter((m) => m.hasDel).map((m) => m.type)))].join(', ');
    const c = audit.delCycles[0];
    sentences.push(
      `${audit.delCycles.length} reference cycle${audit.delCycles.length === 1 ? '' : 's'} hold${audit.delCycles.length === 1 ? 's' : ''} objects with __del__ (${types}): CPython 3.4+ ${c.modern.outcome === 'collected' ? 'finalizes and frees it' : c.modern.outcome === 'resurrected' ? 'finalizes it, and a finalizer resurrects it' : 'does not reach it'}; Python ≤ 3.3 / 2.7 cannot collect it and keeps it in gc.garbage (proved by a second run with legacy finalizers).`,
    );
  }
  if (rec.garbage.length) sentences.push(`gc.garbage holds ${rec.garbage.length} object${rec.garbage.length === 1 ? '' : 's'} at the end of the run.`);
  const resurrected = rec.finalizers.filter((f) => f.resurrected).length;
  if (resurrected) sentences.push(`${resurrected} object${resurrected === 1 ? ' was' : 's were'} resurrected by a finalizer.`);
  if (rec.exitCode !== 0) sentences.push(`The script exited with status ${rec.exitCode} (see Program output).`);
  const level = leaks.length ? 'leak' : maybes.length || (audit?.delCycles.length ?? 0) || rec.garbage.length ? 'maybe' : 'clean';
  const headline =
    level === 'leak' ? `Leak found: ${leaks.map((s) => s.type).slice(0, 3).join(', ')}` : level === 'maybe' ? 'Possible leak: worth a look' : 'No leak found';
  if (sentences.length === 0) sentences.push(`No type kept growing across the ${rec.steps.length} step${rec.steps.length === 1 ? '' : 's'}, and the collector left nothing behind.`);
  const endStep = rec.steps[rec.steps.length - 1];
  const totals = [
    { name: 'steps', value: String(rec.steps.length) },
    { name: 'objects alive at the end', value: `${endStep?.liveObjects ?? 0} (${endStep?.trackedObjects ?? 0} GC-tracked)` },
    { name: 'objects allocated', value: String(rec.allocations) },
    { name: 'collections', value: `${rec.collections.length} (${rec.collections.filter((c) => !c.automatic).length} explicit)` },
    { name: '__del__ calls', value: String(rec.finalizers.length) },
    { name: 'gc.garbage at the end', value: String(rec.garbage.length) },
    { name: 'pymalloc at the end', value: endStep ? `${endStep.memory.blocks} blocks, ${endStep.memory.pools} pools, ${endStep.memory.arenas} arena${endStep.memory.arenas === 1 ? '' : 's'}` : '' },
    { name: 'exit status', value: String(rec.exitCode) },
  ];
  return { level, headline, sentences, totals };
}

function auditView(a: AuditResult): AuditView {
  return {
    result: a,
    cycles: a.delCycles.map((c, k) => ({
      n: k + 1,
      members: c.members.map((m) => `${m.description}${m.hasDel ? ' (__del__)' : ''}${m.site ? ` created at ${m.site}` : ''}`).join('; '),
      references: c.references.map((r) => `${r.via} → ${r.to}`),
      modern: c.modern.text,
      modernOutcome: c.modern.outcome,
      legacy: c.legacy.text,
    })),
    keptAlive: a.keptAliveByGarbage.length ? a.keptAliveByGarbage.map(([t, n]) => `${t} ×${n}`).join(', ') : 'nothing',
    note:
      a.primary === 'modern'
        ? 'The script ran twice: as CPython 3.11 (PEP 442 finalizers) and again with legacy finalizers, which is what CPython ≤ 3.3 and 2.7 do.'
        : 'The script ran twice: as CPython 2.7 (legacy finalizers) and again with PEP 442 finalizers, which is what CPython 3.4+ does.',
  };
}
