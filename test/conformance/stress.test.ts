// The stress pass over the conformance scenarios: every scenario that passes
// normally (not in fixtures/conformance/PENDING) runs again in-process with
// `stress` (a full collection on every GC allocation while automatic
// collection is enabled) and `check` (the heap consistency check after every
// collection, after the script and after interpreter shutdown), i.e.
// `refscope run --stress --check`. Each test asserts:
//
//   - no consistency problem and no internal (JS) error;
//   - the output (stdout and stderr in order, `[exit N]`, normalized as the
//     conformance contract says) is the output of a normal run, since stress
//     mode must not change what a script prints. Comparing with a normal run
//     rather than the .expected file keeps a plain regression (which the
//     conformance suite reports) from showing up here too. Scenarios whose
//     output observes when automatic collections happen are exempt from this
//     comparison only (SCHEDULE_DEPENDENT below).
//
// Each scenario runs from a fresh temporary folder holding a copy of its
// script (scenarios only ever write objgraph .dot files next to themselves),
// with the process's working directory switched there for the synchronous
// run and restored at once. Scenarios that would render images (objgraph
// filename='x.png') are skipped: rendering finishes in the background,
// after the working directory is restored.
//
// Time: the whole set (stressed and normal runs) takes about 15 s on this
// 2-core machine, while other work shares it (the slowest are
// py311/err_recursion and py311/alloc_blocks, where a full collection plus
// a heap check per allocation is quadratic in the live objects), so
// `npm test` runs all of it. There is no per-scenario timeout in-process: a
// hang here is a hang the normal conformance run (which has one) shows first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConsistencyWatch } from '../../lib/heap/consistency.js';
import { Runtime } from '../../lib/heap/runtime.js';
import { runSource } from '../../lib/python/run.js';
import { unifiedDiff } from './diff.js';
import { normalize } from './normalize.js';
import { listScenarios, readPending, type Scenario } from './scenarios.js';

/** Whose output legitimately changes when a collection runs on every allocation, and why. */
const SCHEDULE_DEPENDENT: Record<string, string> = {
  'py311/gc_automatic': 'asserts that automatic collections are of generation 0',
  'py311/gc_thresholds': 'asserts which generations the threshold schedule collects',
  'py311/gc_untrack_tuple_dict': 'gc.is_tracked() of a new tuple, which any collection untracks',
};

/** objgraph renders images asynchronously, relative to a working directory this suite does not keep. */
const RENDERS_IMAGE = /filename\s*=\s*['"][^'"]*\.(png|svg|pdf|jpe?g|gif)['"]/;

interface Run {
  output: string;
  problems: string[];
  collections: number;
}

/** Runs a scenario in-process from a fresh folder, as `refscope run [--stress --check] NAME.py` would from the scenario's folder. */
function runScenario(s: Scenario, source: string, stress: boolean): Run {
  const file = `${s.name}.py`;
  const dir = mkdtempSync(path.join(tmpdir(), 'refscope-stress-'));
  const home = process.cwd();
  let out = '';
  try {
    writeFileSync(path.join(dir, file), source);
    process.chdir(dir);
    const r = runSource(source, file, {
      python: s.profile,
      argv: [file],
      stress,
      check: stress,
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    });
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    return {
      output: normalize(`${out}[exit ${r.exitCode}]\n`),
      // A syntax error returns before the checks: there is nothing to check.
      problems: r.problems ?? [],
      collections: r.runtime.gc.history.length,
    };
  } finally {
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
  }
}

const Watch = suite('stress check');

Watch('the check reports a refcount lower than the references to it, at the first collection after', () => {
  const rt = new Runtime({ trackLive: true });
  const watch = new ConsistencyWatch(rt);
  const item = rt.newList([]);
  rt.incref(item);
  const holder = rt.newList([item, item]);
  rt.gc.collectManual(2);
  assert.equal(watch.problems, []);
  item.ob_refcnt--;
  rt.gc.collectManual(2);
  assert.is(watch.problems.length, 1, watch.problems.join('\n'));
  assert.match(watch.problems[0]!, /^after collection 2 \(generation 2, gc\.collect\(\)\): <list 0x[0-9a-f]+ #\d+> has refcount 1 but 2 references/);
  item.ob_refcnt++;
  rt.decref(holder);
  assert.ok(watch.check('at the end'));
});

Watch.run();

const Stress = suite('conformance under stress');
const pending = readPending();

for (const s of listScenarios()) {
  if (pending.has(s.id)) continue;
  const source = readFileSync(path.join(s.dir, `${s.name}.py`), 'utf8');
  if (RENDERS_IMAGE.test(source)) {
    Stress.skip(`${s.id}: renders an image`, () => undefined);
    continue;
  }
  Stress(s.id, () => {
    let run: Run;
    try {
      run = runScenario(s, source, true);
    } catch (e) {
      assert.unreachable(`internal error under stress: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    }
    if (run.problems.length > 0) {
      assert.unreachable(`heap consistency (${run.problems.length} problems, after ${run.collections} collections):\n${run.problems.slice(0, 20).join('\n')}`);
    }
    if (SCHEDULE_DEPENDENT[s.id]) return;
    const normal = runScenario(s, source, false).output;
    if (run.output !== normal) {
      assert.unreachable(`stress mode changed the output:\n${unifiedDiff(normal, run.output, `${s.id} (normal run)`, `${s.id} (--stress --check)`)}`);
    }
  });
}

Stress.run();
