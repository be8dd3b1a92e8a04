// The __del__ audit on conformance scenarios whose CPython 2.7 and 3.11
// behaviour is known (their .expected files were captured from real CPython).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { auditFindings, auditJson, auditScript, formatAudit } from '../../lib/index.js';
import { fixture } from './helpers.js';

const Audit = suite('audit');

Audit('3.11 del_cycle_pep442: collected under PEP 442, uncollectable under legacy finalizers', () => {
  const r = auditScript(fixture('conformance/py311/del_cycle_pep442.py'), 'del_cycle_pep442.py');
  // The PEP 442 run prints what CPython 3.11 printed.
  assert.is(r.main.stdout, fixture('conformance/py311/del_cycle_pep442.expected').replace(/\[exit 0\]\n?$/, ''));
  assert.is(r.audit.delCycles.length, 1);
  const c = r.audit.delCycles[0];
  assert.equal(c.members.map((m) => [m.type, m.hasDel, m.site]), [['ClassA', true, 'del_cycle_pep442.py:11'], ['ClassA', true, 'del_cycle_pep442.py:12']]);
  assert.equal(c.references.map((x) => x.via.replace(/0x[0-9a-f]+/g, 'ADDR')), ['ClassA ADDR.b', 'ClassA ADDR.b']);
  assert.is(c.modern.outcome, 'collected');
  assert.match(c.modern.text, 'by gc.collect() #1 (line 18)');
  assert.match(c.legacy.text, 'found 2 uncollectable objects');
  // The legacy run proves it: gc.garbage holds both at the end.
  assert.equal(r.whatIf.garbage.map((g) => [g.type, g.reason]), [['ClassA', 'legacy-finalizer'], ['ClassA', 'legacy-finalizer']]);
  assert.equal(r.audit.garbage, []);
  assert.equal(auditFindings(r), { leak: 0, uncollectable: 0, garbage: 0, 'del-cycle': 1 });
});

Audit('2.7 del_cycle_uncollectable: uncollectable in 2.7, PEP 442 would free it', () => {
  const r = auditScript(fixture('conformance/py27/del_cycle_uncollectable.py'), 'del_cycle_uncollectable.py', { python: '2.7' });
  assert.is(r.audit.primary, 'legacy');
  assert.match(r.main.stdout, /^4\n2 \['d1', 'd2'\]\n/);
  assert.is(r.audit.delCycles.length, 1);
  assert.equal(r.audit.delCycles[0].members.filter((m) => m.hasDel).map((m) => m.type), ['D', 'D']);
  assert.is(r.audit.delCycles[0].modern.outcome, 'collected');
  assert.equal(r.audit.uncollectable.map((u) => u.uncollectable), [4]);
  const text = formatAudit(r);
  assert.match(text, 'CPython 2.7 (legacy finalizers), checked against a run with PEP 442 finalizers');
  assert.match(text, /D 0x[0-9a-f]+\.other -> D 0x/);
});

Audit('resurrection and gc.garbage under DEBUG_SAVEALL are reported', () => {
  const r = auditScript(fixture('conformance/py311/fin_resurrect_gc.py'), 'fin_resurrect_gc.py');
  assert.equal(r.audit.resurrections.map((f) => f.object.type), ['Node', 'Node']);
  assert.is(r.audit.delCycles[0].modern.outcome, 'resurrected');
  const json = auditJson(r) as { resurrections: unknown[]; findings: Record<string, number> };
  assert.is(json.resurrections.length, 2);
  const saveall = auditScript('import gc\nclass A: pass\ngc.set_debug(gc.DEBUG_SAVEALL)\na = A(); a.me = a\ndel a\ngc.collect()\n', 'saveall.py');
  assert.equal(saveall.audit.garbage.map((g) => [g.type, g.reason]), [['A', 'saveall']]);
  assert.equal(saveall.audit.keptAliveByGarbage, [['A', 1]]);
  assert.is(saveall.audit.delCycles.length, 0);
});

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

Audit('CLI: --fail-on sets the exit status, --json is JSON, bad categories are usage errors', () => {
  const run = (...a: string[]) => spawnSync(process.execPath, [MAIN, 'audit', ...a], { encoding: 'utf8' });
  const pep = fixture.path('conformance/py311/del_cycle_pep442.py');
  assert.is(run(pep).status, 0);
  assert.is(run(pep, '--fail-on', 'del-cycle').status, 1);
  assert.is(run(pep, '--fail-on', 'garbage,uncollectable').status, 0);
  const j = run(pep, '--json');
  assert.equal(JSON.parse(j.stdout).findings, { leak: 0, uncollectable: 0, garbage: 0, 'del-cycle': 1 });
  const bad = run(pep, '--fail-on', 'nope');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, "unknown category 'nope'");
  assert.is(run(fixture.path('conformance/py27/del_cycle_uncollectable.py'), '--python', '2.7', '--fail-on', 'uncollectable').status, 1);
});

Audit.run();
