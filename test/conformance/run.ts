// The conformance runner: `npm run conformance -- [options] [filter]`.
//
// Runs every scenario under fixtures/conformance (or those whose id, such as
// py311/cycle_self, contains the filter), prints a diff for each unexpected
// result and ends with `N passed, M failed`. The exit status follows the
// ratchet of fixtures/conformance/PENDING: 0 when every scenario not listed
// passes and every listed one still fails, 1 otherwise.
//
//   --profile 3.11|2.7   only that profile's scenarios
//   --jobs N             scenarios run in parallel (default 2)
//   --timeout S          seconds before a scenario is killed (default 30)
//   --update-pending     rewrite PENDING from this run's results
//   --diff-pending       also print diffs for failures listed in PENDING
//                        (always on when a filter is given)
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_TIMEOUT_MS,
  PROFILES,
  describeFailure,
  listScenarios,
  readPending,
  runScenarios,
  verdict,
  writePending,
  type Profile,
} from './scenarios.js';

interface Options {
  filter: string;
  profiles: Profile[];
  jobs: number;
  timeoutMs: number;
  updatePending: boolean;
  diffPending: boolean;
}

const USAGE = `usage: npm run conformance -- [--profile 3.11|2.7] [--jobs N] [--timeout S] [--update-pending] [--diff-pending] [filter]`;

class UsageError extends Error {}

/** Runs at least this long get their duration printed. */
const SLOW_MS = 5_000;

function parseArgs(argv: string[]): Options {
  const options: Options = {
    filter: '',
    profiles: ['3.11', '2.7'],
    jobs: 2,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    updatePending: false,
    diffPending: false,
  };
  const value = (k: number, flag: string): string => {
    const v = argv[k + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => inline ?? value(k++, flag);
    switch (flag) {
      case '--profile': {
        const p = take();
        if (!(p in PROFILES)) throw new UsageError(`unknown profile ${p} (3.11 or 2.7)`);
        options.profiles = [p as Profile];
        break;
      }
      case '--jobs':
      case '-j': {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 1) throw new UsageError('--jobs needs a positive integer');
        options.jobs = n;
        break;
      }
      case '--timeout': {
        const s = Number(take());
        if (!(s > 0)) throw new UsageError('--timeout needs a positive number of seconds');
        options.timeoutMs = s * 1000;
        break;
      }
      case '--update-pending':
        options.updatePending = true;
        break;
      case '--diff-pending':
        options.diffPending = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        if (options.filter) throw new UsageError('give at most one filter');
        options.filter = arg;
    }
  }
  if (options.filter) options.diffPending = true;
  return options;
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`conformance: ${err.message}\n`);
    process.stderr.write(USAGE + '\n');
    return err.message ? 2 : 0;
  }
  const scenarios = listScenarios(options.profiles, options.filter);
  if (scenarios.length === 0) {
    process.stderr.write(`conformance: no scenario matches ${JSON.stringify(options.filter)}\n`);
    return 2;
  }
  const pending = readPending();
  const outcomes = await runScenarios(scenarios, {
    jobs: options.jobs,
    timeoutMs: options.timeoutMs,
    onDone: (o) => {
      const v = verdict(o, pending);
      const label = { pass: 'PASS', pending: 'PENDING', fail: 'FAIL', fixed: 'FIXED' }[v.kind];
      const slow = o.millis >= SLOW_MS ? ` (${(o.millis / 1000).toFixed(1)} s)` : '';
      process.stdout.write(`${label.padEnd(8)}${o.scenario.id}${o.timedOut ? ' (timed out)' : slow}\n`);
      if (v.kind === 'fail' || (v.kind === 'pending' && options.diffPending)) {
        process.stdout.write(indent(describeFailure(o)));
      }
    },
  });
  const counts = { pass: 0, pending: 0, fail: 0, fixed: 0 };
  for (const o of outcomes) counts[verdict(o, pending).kind]++;
  const passed = counts.pass + counts.fixed;
  const failed = counts.fail + counts.pending;

  process.stdout.write('\n');
  if (counts.fixed) {
    process.stdout.write(`${counts.fixed} scenario(s) listed in PENDING pass now; remove them from the list:\n`);
    for (const o of outcomes) if (verdict(o, pending).kind === 'fixed') process.stdout.write(`  ${o.scenario.id}\n`);
  }
  if (counts.fail) process.stdout.write(`${counts.fail} failure(s) not listed in PENDING.\n`);
  if (counts.pending) process.stdout.write(`${counts.pending} failure(s) listed in PENDING (expected for now).\n`);
  if (options.updatePending) {
    const { added, removed } = writePending(outcomes);
    process.stdout.write(
      `PENDING updated: ${added.length} added, ${removed.length} removed` +
        (removed.length ? ` (${removed.join(', ')})` : '') +
        '.\n',
    );
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  const ratchetHolds = counts.fail === 0 && counts.fixed === 0;
  return ratchetHolds || options.updatePending ? 0 : 1;
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ').replace(/ +$/gm, '').replace(/\n*$/, '\n');
}

// Only when started as a program: uvu imports every file of this folder when
// given a pattern, and importing must not run the suite.
if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`conformance: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}

export { parseArgs, main };
