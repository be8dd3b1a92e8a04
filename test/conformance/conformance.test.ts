// The conformance scenarios inside `npm test`, as a ratchet over
// fixtures/conformance/PENDING: a scenario not listed must pass, and a listed
// one must still fail (so a fixed scenario is taken off the list). The
// scenarios run in parallel, a few at a time, as soon as this file loads;
// each test waits for its own outcome.
import { availableParallelism } from 'node:os';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listScenarios, readPending, ratchetMessage, runScenarios, type Outcome } from './scenarios.js';

const scenarios = listScenarios();
const pending = readPending();
const jobs = Math.max(2, Math.min(8, availableParallelism() - 1));

const outcomes = new Map<string, Promise<Outcome>>();
{
  const settle = new Map<string, { resolve: (o: Outcome) => void; reject: (e: unknown) => void }>();
  for (const s of scenarios) {
    const p = new Promise<Outcome>((resolve, reject) => settle.set(s.id, { resolve, reject }));
    p.catch(() => undefined); // reported by the test that awaits it
    outcomes.set(s.id, p);
  }
  runScenarios(scenarios, { jobs, onDone: (o) => settle.get(o.scenario.id)!.resolve(o) }).catch((err: unknown) => {
    // A harness error (not a failing scenario) would otherwise leave every test waiting.
    for (const s of scenarios) settle.get(s.id)!.reject(err);
  });
}

const Conformance = suite('conformance');

Conformance('the scenarios are there and PENDING names only existing ones', () => {
  assert.ok(scenarios.some((s) => s.profile === '3.11'), 'no py311 scenarios found');
  assert.ok(scenarios.some((s) => s.profile === '2.7'), 'no py27 scenarios found');
  const ids = new Set(scenarios.map((s) => s.id));
  const stale = [...pending].filter((id) => !ids.has(id));
  assert.equal(stale, [], `PENDING lists scenarios that do not exist: ${stale.join(', ')}`);
});

for (const s of scenarios) {
  Conformance(s.id, async () => {
    const outcome = await outcomes.get(s.id)!;
    const problem = ratchetMessage(outcome, pending);
    if (problem) assert.unreachable(problem);
  });
}

Conformance.run();
