/*
 * ReportModel → one self-contained HTML file, through the handlebars
 * templates in `templates/` (report.hbs, the partials in
 * templates/partials/, report.css inlined).
 *
 * Escaping: every value goes through `{{...}}`, handlebars' HTML escaping
 * (& < > " ' ` =), in text and in attributes alike, in HTML and in the
 * inline SVG charts. The only triple-stash values are the stylesheet (our
 * own file) and the Graphviz graphs, which `sanitizeSvg` has stripped of
 * links, scripts and handlers, and whose text Graphviz escaped. Before
 * rendering, control characters in every model string are made visible
 * (`\x01`), so a hostile `__repr__` can neither hide text nor break XML.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import type { ReportModel } from './model.js';

/**
 * handlebars is loaded when a report is first rendered, not when the module
 * is: the CLI bundle would otherwise parse and initialise it (and its
 * source-map dependency, a sixth of the bundle) at every `refscope run`.
 */
function loadHandlebars(): typeof Handlebars {
  return createRequire(import.meta.url)('handlebars') as typeof Handlebars;
}

let compiled: Handlebars.TemplateDelegate | undefined;
let stylesheet = '';

/** The templates/ folder of the package (from lib/report or dist/lib/report). */
export function templatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    const candidate = path.join(dir, 'templates');
    if (existsSync(path.join(candidate, 'report.hbs'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('refscope: templates/report.hbs not found next to the package');
}

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const dir = templatesDir();
  const hb = loadHandlebars().create();
  const partials = path.join(dir, 'partials');
  for (const f of readdirSync(partials)) {
    if (f.endsWith('.hbs')) hb.registerPartial(f.slice(0, -4), readFileSync(path.join(partials, f), 'utf8'));
  }
  // Two small helpers keep the templates logic-less but readable.
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('plus1', (n: number) => n + 1);
  stylesheet = readFileSync(path.join(dir, 'report.css'), 'utf8');
  compiled = hb.compile(readFileSync(path.join(dir, 'report.hbs'), 'utf8'), { strict: false, noEscape: false });
  return compiled;
}

const CONTROL = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters as visible `\xNN` / `\uNNNN` escapes (tab and newline kept). */
export function visibleControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function cleanStrings<T>(v: T, skip: ReadonlySet<string>): T {
  if (typeof v === 'string') return visibleControls(v) as T;
  if (Array.isArray(v)) return v.map((x) => cleanStrings(x, skip)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = skip.has(k) ? x : cleanStrings(x, skip);
    return out as T;
  }
  return v;
}

/**
 * The report as one HTML document.
 * @example
 * const html = renderReportHtml(await buildReport(recording, audit));
 */
export function renderReportHtml(model: ReportModel): string {
  const t = template();
  const safe = cleanStrings(model, new Set(['graphSvg']));
  return t({ ...safe, css: stylesheet });
}
