// refscope report end to end: fixture scripts → HTML, checked by content.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateReport, judge, sanitizeSvg, visibleControls } from '../../lib/index.js';
import { fixture, sectionText } from './helpers.js';

const Report = suite('report');

Report('service leak: verdict in words names the type, the rule and the holder', async () => {
  const { html, model } = await generateReport(fixture('report/service_leak.py'), 'service_leak.py');
  const summary = sectionText(html, 'summary');
  assert.match(summary, 'Leak found: Session');
  assert.match(summary, 'Session grew by 4 at each of the last 4 steps');
  assert.match(summary, 'kept alive by Registry.sessions');
  assert.is(model.suspects[0].type, 'Session');
  assert.is(model.suspects[0].rule, 'constant-delta');
  const suspects = sectionText(html, 'suspects');
  assert.match(suspects, '-[sessions]-> dict');
  assert.match(suspects, 'module 0x');
  // An inline Graphviz graph, and the chain drawn blue in it.
  assert.match(html, /<figure class="graph"><svg/);
  assert.match(html, /fill="#[0-9a-f]{6}"/);
  const growth = sectionText(html, 'growth');
  assert.match(growth, 'after batch 3');
  assert.match(growth, /Session\s+16\s+\+4/);
  assert.match(growth, 'Session +4');
  // Timeline: one polyline per top type and a GC marker for the explicit collection.
  assert.match(html, /<polyline points="[\d., ]+" fill="none" stroke="#1f77b4"/);
  assert.match(html, /class="gc-mark"><title>gc.collect\(\) #1: generation 2/);
  const sites = sectionText(html, 'sites');
  assert.match(sites, 'service_leak.py:18 s = Session("user-%d-%d" % (batch, i)) 48 2712 str ×24, Session ×24');
  assert.ok(!/<script/i.test(html), 'no script at all in the report');
});

Report('clean run: no leak, every section still there', async () => {
  const { html, model } = await generateReport(fixture('report/clean.py'), 'clean.py');
  assert.is(model.summary.level, 'clean');
  assert.match(sectionText(html, 'summary'), 'No leak found');
  assert.match(sectionText(html, 'suspects'), 'No type kept growing');
  assert.match(sectionText(html, 'gc'), 'gc.collect()');
  for (const id of ['timeline', 'growth', 'finalizers', 'pymalloc', 'sites', 'audit', 'output', 'about']) sectionText(html, id);
});

Report('demo: __del__ cycle in finalizers, GC table and audit; pymalloc grid', async () => {
  const { html } = await generateReport(fixture('demo/leak.py'), 'leak.py');
  const fin = sectionText(html, 'finalizers');
  assert.match(fin, /1 Node object at 0x[0-9a-f]+ leak.py:36 gc.collect\(\) #2 \(line 41\) freed/);
  assert.match(fin, /2 Node object at 0x[0-9a-f]+ leak.py:36/);
  const gc = sectionText(html, 'gc');
  assert.match(gc, /2 gc.collect\(\) 2 41 2 0/);
  const audit = sectionText(html, 'audit');
  assert.match(audit, /Node 0x[0-9a-f]+\.peer → Node 0x/);
  assert.match(audit, 'CPython 3.4+ (PEP 442): finalized in arbitrary order by gc.collect() #2');
  assert.match(audit, 'CPython ≤ 3.3 / 2.7: gc.collect() #2 (line 41) found 2 uncollectable objects');
  assert.match(html, /<span class="pool (full|used)" style="--fill: \d+%" title="(full|used) pool at 0x[0-9a-f]+: size class \d+/);
  assert.match(sectionText(html, 'pymalloc'), '# arenas allocated total');
  assert.match(sectionText(html, 'summary'), 'Connection grew in 4 of 5 steps (0 → 20)');
  assert.match(sectionText(html, 'summary'), 'kept alive by ConnectionManager.connections');
});

Report('finalizers that run at interpreter shutdown are recorded after the script\'s own', async () => {
  const { html, model } = await generateReport(fixture('report/shutdown_del.py'), 'shutdown_del.py', { graphs: false });
  const fin = sectionText(html, 'finalizers');
  assert.match(fin, /1 Resource object at 0x[0-9a-f]+ shutdown_del.py:12 reference count reached zero \(line 13\) freed/);
  assert.match(fin, /2 Resource object at 0x[0-9a-f]+ shutdown_del.py:10 interpreter shutdown: reference count reached zero freed/);
  assert.match(fin, /3 Resource object at 0x[0-9a-f]+ shutdown_del.py:11 interpreter shutdown: reference count reached zero freed/);
  // The program's output includes what those finalizers printed, in CPython's order.
  assert.match(sectionText(html, 'output'), 'closing temp done closing db closing cache');
  assert.is(model.summary.level === 'clean' || model.summary.level !== undefined, true);
});

Report('python 2.7: gc.garbage listed with its reason', async () => {
  const { html, model } = await generateReport(fixture('conformance/py27/del_cycle_uncollectable.py'), 'del_cycle_uncollectable.py', { python: '2.7', graphs: false });
  assert.is(model.profile, 'CPython 2.7 (legacy finalizers)');
  const gc = sectionText(html, 'gc');
  assert.match(gc, /1 gc.collect\(\) 2 16 0 4 \d+ 0 before the first step/);
  assert.match(sectionText(html, 'audit'), 'CPython 3.4+ (PEP 442): finalized in arbitrary order');
});

Report('hostile reprs, labels and output are escaped and cut', async () => {
  const { html } = await generateReport(fixture('report/hostile.py'), 'hostile.py');
  assert.ok(!/<script/i.test(html), 'no <script> element');
  assert.ok(!/<img/i.test(html), 'no <img> element');
  assert.ok(!/\son[a-z]+=/i.test(html.replace(/&[a-z#0-9]+;/gi, '')), 'no event handler attribute');
  assert.ok(!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(html), 'no raw control character');
  assert.ok(!html.includes('x'.repeat(1000)), 'long strings are cut');
  assert.match(html, '&lt;/script&gt;&lt;script&gt;window.__pwned');
  assert.match(sectionText(html, 'growth'), `step <b>0</b> "quoted" 'single' & \\x00\\x07`);
  assert.match(sectionText(html, 'output'), 'control: \\x01\\x02\\x7f');
  // the hostile dict keys are edge labels of the Conn chain and graph
  assert.match(sectionText(html, 'suspects'), /-\[str '<\/script><script>window.__pwned/);
});

Report('sanitizeSvg drops links, scripts and handlers', () => {
  const svg = sanitizeSvg('<?xml version="1.0"?><!DOCTYPE svg><!-- c --><svg><a xlink:href="javascript:alert(1)" target="_top"><text onclick="x()">t</text></a><script>alert(2)</script><foreignObject><p>x</p></foreignObject></svg>');
  assert.is(svg, '<svg><text>t</text></svg>');
  assert.is(visibleControls('a\x01b\n'), 'a\\x01b\n');
});

Report('rules: ordered, first decision wins', () => {
  const s = (counts: number[], survivors = 0) => judge({ name: 'T', counts, labels: counts.map((_, i) => `s${i}`), survivors });
  assert.is(s([0, 5, 10, 15, 20]).rule, 'constant-delta');
  assert.is(s([0, 1, 3, 4, 9]).rule, 'grew-k-of-k');
  assert.is(s([0, 3, 5, 4, 6, 8, 7, 9]).verdict, 'maybe');
  assert.is(s([5, 9, 5]).rule, 'no-growth');
  assert.is(s([0, 15], 15).rule, 'survivors');
  assert.is(s([0, 15, 4], 1).rule, 'grew-then-shrank');
});

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

Report('CLI: refscope report -o writes the file and says where; nothing on stderr when not a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refscope-report-'));
  try {
    const out = join(dir, 'r.html');
    const r = spawnSync(process.execPath, [MAIN, 'report', fixture.path('demo/leak.py'), '-o', out, '--no-graphs'], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stderr, '');
    assert.match(r.stdout, `Report written to ${out}`);
    assert.match(readFileSync(out, 'utf8'), 'Leak report for <code>leak.py</code>');
    const bad = spawnSync(process.execPath, [MAIN, 'report', join(dir, 'missing.py')], { encoding: 'utf8' });
    assert.is(bad.status, 2);
    assert.match(bad.stderr, 'cannot read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Report.run();
