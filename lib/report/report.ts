// The two entry points the CLI uses: a whole HTML report, and the audit.
// Both run the script twice (the user's profile, and the same profile with
// the other finalizer semantics) because the audit proves what each CPython
// does with __del__ cycles by running it, and the report shows the audit.
import { auditRuns, collectionName, type AuditResult } from './audit.js';
import { buildReport, type BuildOptions } from './build.js';
import type { CaptureFn } from './capture.js';
import { renderReportHtml } from './html.js';
import type { ReportModel } from './model.js';
import { recordRun, type Progress, type Recording } from './recorder.js';
import { judge, type Verdict } from './rules.js';

export interface ReportOptions extends BuildOptions {
  python?: '3.11' | '2.7';
  argv?: string[];
  capture?: CaptureFn;
  maxSteps?: number;
  onProgress?: (p: Progress & { run: 'main' | 'what-if' }) => void;
}

export interface AuditRunsResult {
  /** the run with the profile's own finalizer semantics */
  main: Recording;
  /** the same script with the other finalizer semantics */
  whatIf: Recording;
  audit: AuditResult;
}

/** Runs the script with both finalizer semantics and audits the __del__ cycles. */
export function auditScript(source: string, script: string, opts: ReportOptions = {}): AuditRunsResult {
  const python = opts.python ?? '3.11';
  const common = { python, argv: opts.argv, capture: opts.capture, maxSteps: opts.maxSteps };
  const main = recordRun(source, script, { ...common, onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, run: 'main' })) });
  const whatIf = recordRun(source, script, {
    ...common,
    legacyFinalizers: !main.legacyFinalizers,
    onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, run: 'what-if' })),
  });
  const [modern, legacy] = main.legacyFinalizers ? [whatIf, main] : [main, whatIf];
  return { main, whatIf, audit: auditRuns(modern, legacy) };
}

export interface GeneratedReport {
  html: string;
  model: ReportModel;
  recording: Recording;
  audit: AuditResult;
}

/**
 * Runs a script and writes its leak report.
 * @example
 * const { html } = await generateReport(readFileSync('leak.py', 'utf8'), 'leak.py');
 * writeFileSync('report.html', html);
 */
export async function generateReport(source: string, script: string, opts: ReportOptions = {}): Promise<GeneratedReport> {
  const { main, audit } = auditScript(source, script, opts);
  const model = await buildReport(main, audit, opts);
  return { html: renderReportHtml(model), model, recording: main, audit };
}

export type AuditCategory = 'leak' | 'uncollectable' | 'garbage' | 'del-cycle';
export const AUDIT_CATEGORIES: readonly AuditCategory[] = ['leak', 'uncollectable', 'garbage', 'del-cycle'];

/** Leak suspects of a recording with the LEAK verdict: [type, reason]. */
export function leakVerdicts(rec: Recording, at: Verdict = 'leak'): Array<[string, string]> {
  const names = new Set<string>();
  for (const s of rec.steps) for (const [n] of s.types) names.add(n);
  const out: Array<[string, string]> = [];
  for (const name of names) {
    const counts = rec.steps.map((s) => s.types.find(([n]) => n === name)?.[1] ?? 0);
    const j = judge({ name, counts, labels: rec.steps.map((s) => s.label), survivors: 0 });
    if (j.verdict === at) out.push([name, j.reason]);
  }
  return out;
}

/** Which --fail-on categories have findings. */
export function auditFindings(r: AuditRunsResult): Record<AuditCategory, number> {
  return {
    leak: leakVerdicts(r.main).length,
    uncollectable: r.audit.uncollectable.length,
    garbage: r.audit.garbage.length,
    'del-cycle': r.audit.delCycles.length,
  };
}

/** The audit as JSON-ready data. */
export function auditJson(r: AuditRunsResult): Record<string, unknown> {
  const a = r.audit;
  return {
    script: a.script,
    python: a.python,
    findings: auditFindings(r),
    delCycles: a.delCycles,
    leaks: leakVerdicts(r.main).map(([type, reason]) => ({ type, reason })),
    uncollectable: a.uncollectable,
    garbage: a.garbage.map((g) => ({ type: g.type, address: `0x${g.address.toString(16)}`, site: g.site, reason: g.reason })),
    keptAliveByGarbage: a.keptAliveByGarbage.map(([type, count]) => ({ type, count })),
    resurrections: a.resurrections.map((f) => ({ type: f.object.type, address: `0x${f.object.address.toString(16)}`, site: f.object.site })),
  };
}

/** The audit as text, one finding per paragraph. */
export function formatAudit(r: AuditRunsResult): string {
  const a = r.audit;
  const out: string[] = [];
  const profile = a.python === '2.7' ? 'CPython 2.7 (legacy finalizers), checked against a run with PEP 442 finalizers' : 'CPython 3.11 (PEP 442 finalizers), checked against a run with legacy finalizers (CPython <= 3.3 / 2.7)';
  out.push(`__del__ audit of ${a.script}: ${profile}`);
  out.push('');
  if (a.delCycles.length === 0) out.push('No reference cycle holds an object with __del__.');
  a.delCycles.forEach((c, k) => {
    out.push(`Cycle ${k + 1}: ${c.members.length} object${c.members.length === 1 ? '' : 's'}`);
    for (const m of c.members) out.push(`  ${m.description}${m.hasDel ? '  (defines __del__)' : ''}${m.site ? `  created at ${m.site}` : ''}`);
    out.push('  references:');
    for (const ref of c.references) out.push(`    ${ref.via} -> ${ref.to}`);
    out.push(`  CPython 3.4+: ${c.modern.text}`);
    out.push(`  CPython <= 3.3 / 2.7: ${c.legacy.text}`);
    out.push('');
  });
  const leaks = leakVerdicts(r.main);
  out.push(`Leaks: ${leaks.length ? leaks.map(([t, why]) => `${t} ${why}`).join('; ') : 'none'}`);
  out.push(
    `Uncollectable: ${a.uncollectable.length ? a.uncollectable.map((u) => `${collectionName(u.collection, false).replace('gc.collect()', 'collection')} (generation ${u.generation}${u.line ? `, line ${u.line}` : ''}): ${u.uncollectable}`).join('; ') : 'none'}`,
  );
  out.push(`gc.garbage at the end: ${a.garbage.length ? a.garbage.map((g) => `${g.type} 0x${g.address.toString(16)} (${g.reason}${g.site ? `, created at ${g.site}` : ''})`).join('; ') : 'empty'}`);
  out.push(`Kept alive only by gc.garbage: ${a.keptAliveByGarbage.length ? a.keptAliveByGarbage.map(([t, n]) => `${t} x${n}`).join(', ') : 'nothing'}`);
  out.push(`Resurrections: ${a.resurrections.length ? a.resurrections.map((f) => `${f.object.type} 0x${f.object.address.toString(16)}${f.object.site ? ` (created at ${f.object.site})` : ''}`).join('; ') : 'none'}`);
  return out.join('\n') + '\n';
}
