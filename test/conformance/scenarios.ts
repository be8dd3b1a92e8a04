// Running the conformance scenarios under refscope, shared by the command-line
// runner (run.ts) and the uvu suite (conformance.test.ts).
//
// A scenario is fixtures/conformance/<profile folder>/NAME.py with the output
// real CPython prints for it in NAME.expected (written by the oracle script
// only). The contract (fixtures/conformance/README.md): run the scenario from
// its own folder, stdout and stderr through one pipe in the order written,
// append `[exit N]`, normalize, compare exactly.
//
// Each run happens in a fresh temporary copy of the scenario's folder, since
// scenarios may write files (objgraph's .dot output), and is killed after a
// timeout so that a hang is one failure rather than a stuck suite.
//
// The ratchet: fixtures/conformance/PENDING lists the scenarios known not to
// pass yet. A listed scenario that passes is an error too, so the list only
// ever shrinks as the simulator improves (see checkRatchet).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unifiedDiff } from './diff.js';
import { normalize } from './normalize.js';

/** The repository root: this file is test/conformance/ in the sources, dist/test/conformance/ once built. */
export const repoRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = path.join(repoRoot, 'fixtures', 'conformance');
export const pendingFile = path.join(fixturesDir, 'PENDING');
/** The shipped CLI (the bundle `npm run build` makes). */
export const cliPath = path.join(repoRoot, 'dist', 'refscope.js');

function findRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error(`no package.json above ${dir}`);
  }
}

export type Profile = '3.11' | '2.7';

/** Scenario folder for each profile, and the `run` arguments that select it. */
export const PROFILES: Record<Profile, { folder: string; args: string[] }> = {
  '3.11': { folder: 'py311', args: [] },
  '2.7': { folder: 'py27', args: ['--python', '2.7'] },
};

export interface Scenario {
  /** 'py311/cycle_self': the key used in PENDING and in reports. */
  id: string;
  profile: Profile;
  /** The scenario's folder (absolute). */
  dir: string;
  /** File name without `.py`. */
  name: string;
}

export interface Outcome {
  scenario: Scenario;
  passed: boolean;
  expected: string;
  /** Normalized output, with the `[exit N]` line. */
  actual: string;
  timedOut: boolean;
  millis: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Every scenario of the given profiles whose id contains `filter`, sorted by id. */
export function listScenarios(profiles: Profile[] = ['3.11', '2.7'], filter = ''): Scenario[] {
  const found: Scenario[] = [];
  for (const profile of profiles) {
    const dir = path.join(fixturesDir, PROFILES[profile].folder);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.py')) continue;
      const name = file.slice(0, -3);
      if (!existsSync(path.join(dir, `${name}.expected`))) continue;
      const id = `${PROFILES[profile].folder}/${name}`;
      if (id.includes(filter)) found.push({ id, profile, dir, name });
    }
  }
  return found.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * Run one scenario under refscope and compare its normalized output with the
 * expected text. Never throws for a failing scenario; the outcome says why.
 */
export async function runScenario(scenario: Scenario, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Outcome> {
  const started = Date.now();
  const expected = readFileSync(path.join(scenario.dir, `${scenario.name}.expected`), 'utf8');
  const tmp = mkdtempSync(path.join(tmpdir(), 'refscope-conformance-'));
  try {
    const work = path.join(tmp, PROFILES[scenario.profile].folder);
    mkdirSync(work);
    cpSync(scenario.dir, work, { recursive: true, filter: (src) => !src.endsWith('.expected') });
    // One file for both streams: the child's fds 1 and 2 share one open file
    // description (one offset), so the text interleaves exactly as written,
    // like `2>&1`.
    const outPath = path.join(tmp, 'output');
    const fd = openSync(outPath, 'w');
    let status: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; spawnError?: Error };
    try {
      status = await new Promise((resolve) => {
        const child = spawn(
          process.execPath,
          [cliPath, 'run', ...PROFILES[scenario.profile].args, `${scenario.name}.py`],
          { cwd: work, stdio: ['ignore', fd, fd], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
        );
        let timedOut = false;
        let exited = false;
        const timer = setTimeout(() => {
          // Inside `npm test` other suites run synchronously in this process
          // and can hold the event loop past the deadline; the child may have
          // finished long ago with its exit not yet processed (timers run
          // before the poll phase that reports it). Let the loop poll first.
          setImmediate(() =>
            setImmediate(() => {
              if (exited) return;
              timedOut = true;
              child.kill('SIGKILL');
            }),
          );
        }, timeoutMs);
        child.on('error', (spawnError) => {
          exited = true;
          clearTimeout(timer);
          resolve({ code: null, signal: null, timedOut, spawnError });
        });
        child.on('exit', (code, signal) => {
          exited = true;
          clearTimeout(timer);
          resolve({ code, signal, timedOut });
        });
      });
    } finally {
      closeSync(fd);
    }
    let raw = readFileSync(outPath, 'utf8');
    if (status.spawnError) raw += `refscope could not be started: ${status.spawnError.message}\n`;
    if (raw !== '' && !raw.endsWith('\n')) raw += '\n';
    const actual = status.timedOut
      ? normalize(raw + `[timed out after ${timeoutMs / 1000} s]\n`)
      : normalize(raw + `[exit ${exitStatus(status.code, status.signal)}]\n`);
    return { scenario, passed: actual === expected, expected, actual, timedOut: status.timedOut, millis: Date.now() - started };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The status a shell reports: the exit code, or 128 + the signal number. */
function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signals: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
  return 128 + (signal ? signals[signal] ?? 0 : 0);
}

/**
 * Run scenarios with at most `jobs` at a time. `onDone` sees each outcome as
 * it finishes; the result is in the order of `scenarios`.
 */
export async function runScenarios(
  scenarios: Scenario[],
  options: { jobs?: number; timeoutMs?: number; onDone?: (o: Outcome) => void } = {},
): Promise<Outcome[]> {
  const jobs = Math.max(1, options.jobs ?? 2);
  const results: Outcome[] = new Array(scenarios.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < scenarios.length) {
      const k = next++;
      const outcome = await runScenario(scenarios[k]!, options.timeoutMs);
      results[k] = outcome;
      options.onDone?.(outcome);
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, scenarios.length) }, worker));
  return results;
}

/** The ids listed in PENDING (blank lines and `#` comments ignored). */
export function readPending(file = pendingFile): Set<string> {
  if (!existsSync(file)) return new Set();
  const ids = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  return new Set(ids);
}

const PENDING_HEADER = `# Conformance scenarios known not to pass yet, one per line (folder/name).
# The conformance suite checks both directions: every scenario not listed here
# must pass, and every scenario listed must still fail, so remove a line as
# soon as its scenario passes. Regenerate from the current results with
#   npm run conformance -- --update-pending
`;

/**
 * Rewrite PENDING from the outcomes of a run. Entries for scenarios that were
 * not run (a filtered run) are kept as they are; entries for scenarios that
 * no longer exist are dropped.
 */
export function writePending(outcomes: Outcome[], file = pendingFile): { added: string[]; removed: string[] } {
  const old = readPending(file);
  const existing = new Set(listScenarios().map((s) => s.id));
  const ran = new Set(outcomes.map((o) => o.scenario.id));
  const next = new Set<string>();
  for (const id of old) if (!ran.has(id) && existing.has(id)) next.add(id);
  for (const o of outcomes) if (!o.passed) next.add(o.scenario.id);
  const sorted = [...next].sort();
  writeFileSync(file, PENDING_HEADER + sorted.map((id) => id + '\n').join(''));
  return { added: sorted.filter((id) => !old.has(id)), removed: [...old].filter((id) => !next.has(id)).sort() };
}

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'pending' } // fails and is listed: expected for now
  | { kind: 'fail' } // fails and is not listed: a regression or a new failure
  | { kind: 'fixed' }; // passes but is still listed: the list must shrink

export function verdict(outcome: Outcome, pending: Set<string>): Verdict {
  const listed = pending.has(outcome.scenario.id);
  if (outcome.passed) return { kind: listed ? 'fixed' : 'pass' };
  return { kind: listed ? 'pending' : 'fail' };
}

/** The message for a ratchet violation, or undefined when the outcome is as the list says. */
export function ratchetMessage(outcome: Outcome, pending: Set<string>): string | undefined {
  const v = verdict(outcome, pending);
  const id = outcome.scenario.id;
  if (v.kind === 'fixed') {
    return `${id} passes now but is still listed in fixtures/conformance/PENDING: remove its line (or run npm run conformance -- --update-pending)`;
  }
  if (v.kind === 'fail') {
    return (
      `${id} fails and is not listed in fixtures/conformance/PENDING` +
      (outcome.timedOut ? ' (timed out)' : '') +
      `:\n${describeFailure(outcome)}`
    );
  }
  return undefined;
}

/** The diff between the expected and the actual output of a failed scenario. */
export function describeFailure(outcome: Outcome): string {
  const id = outcome.scenario.id;
  return unifiedDiff(outcome.expected, outcome.actual, `${id}.expected`, `${id} (refscope)`);
}
