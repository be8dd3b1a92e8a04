// lib/report: recorder, leak rules, __del__ audit, report model and HTML. Re-exports only.
export { generateReport, auditScript, auditFindings, auditJson, formatAudit, leakVerdicts, AUDIT_CATEGORIES } from './report.js';
export type { AuditCategory, AuditRunsResult, GeneratedReport, ReportOptions } from './report.js';
export { recordRun, recordingProfile } from './recorder.js';
export type { Recording, RecordOptions, StepRecord, CollectionRecord, FinalizerEvent, GarbageObject, Progress } from './recorder.js';
export { auditRuns, cyclesThrough, keptAliveByGarbage } from './audit.js';
export type { AuditResult, DelCycleFinding } from './audit.js';
export { buildReport } from './build.js';
export { renderReportHtml, visibleControls } from './html.js';
export { sanitizeSvg } from './svg.js';
export { RULES, judge } from './rules.js';
export type { Judgement, LeakRule, TypeSeries, Verdict } from './rules.js';
export type { ReportModel } from './model.js';
export type { CaptureFn } from './capture.js';
