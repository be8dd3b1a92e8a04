// `npm run bench`: refscope against CPython on the benchmark scripts of
// bench/programs/, side by side in one run.
//
// The machines are shared and noisy, so absolute seconds from different runs
// mean little: each benchmark runs refscope and CPython alternately (A B A B)
// for N rounds, each run a fresh child process in a fresh copy of the
// script's folder, and the figure that counts is the median of the per-round
// ratios refscope/CPython. Reported per benchmark: median whole-process time
// and median timing line (the script's own `elapsed` / `collect` / ...) of
// each side, their median ratios, peak RSS of each side (see lib/measure.ts
// for how), and whether the printed results are identical (they must be; a
// difference makes the exit status 1). Missing a performance target does not:
// this is a benchmark, not a test.
//
// The refscope side is `refscope run SCRIPT` through the CLI, except where an
// API benchmark exists (dist/bench/full_collect.js, which builds the same
// heap through the Runtime without the interpreter): that is run with
// `--child` and its JSON line `{collect, n, ...}` is the result.
//
// Usage: node dist/bench/run.js [--only NAME[,NAME]] [--rounds N] [--json]
//                               [--cli] [--timeout SECONDS]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARKS, type Benchmark } from './lib/benchmarks.js';
import { chooseReaper, measure, type Measured, type Reaper } from './lib/measure.js';
import { compareResults, toResult, type RunOutput } from './lib/output.js';
import {
  fmtMB,
  fmtRatio,
  fmtSeconds,
  fmtTarget,
  markdownTable,
  resultsCell,
  skippedSummary,
  summarize,
  type BenchSummary,
  type Sample,
} from './lib/report.js';

const USAGE = `Usage: npm run bench -- [options]   (node dist/bench/run.js [options])

Runs each benchmark of bench/programs/ under refscope and CPython, alternating,
and prints median times, median ratios refscope/CPython, peak RSS and whether
the printed results are identical (exit status 1 when they are not).

Options:
  --only NAME[,NAME]  run only these benchmarks (repeatable): ${BENCHMARKS.map((b) => b.name).join(', ')}
  --rounds N          rounds of A B per benchmark (default 5)
  --json              print the results as JSON on stdout (progress goes to stderr)
  --cli               run every refscope side through the CLI, even where an API benchmark exists
  --timeout SECONDS   kill a run after this long (default 600)
  -h, --help          this text`;

/** dist/bench/run.js → the repository root. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const programsDir = path.join(repoRoot, 'bench', 'programs');
const sharedDir = path.resolve(repoRoot, '..', 'shared', 'bench');
const cliMain = path.join(repoRoot, 'dist', 'refscope.js');

interface Options {
  only: string[];
  rounds: number;
  json: boolean;
  cli: boolean;
  timeoutMs: number;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      rounds: { type: 'string' },
      json: { type: 'boolean' },
      cli: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const only = (values.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim().replace(/\.py$/, '')).filter(Boolean);
  for (const name of only) {
    if (!BENCHMARKS.some((b) => b.name === name)) throw new UsageError(`unknown benchmark '${name}' (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  }
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds wants a positive integer, not '${values.rounds}'`);
  const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout wants a positive number of seconds, not '${values.timeout}'`);
  return { only, rounds, json: !!values.json, cli: !!values.cli, timeoutMs: timeout * 1000 };
}

/** pyenv's 3.11.7 when present, else python3 on PATH. */
function findPython(): string {
  const r = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  if (r.status === 0) {
    const p = path.join(r.stdout.trim(), 'versions', '3.11.7', 'bin', 'python');
    if (existsSync(p)) return p;
  }
  return 'python3';
}

function commandOutput(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout + r.stderr).trim() : undefined;
}

function objgraphFile(): string | undefined {
  const listing = commandOutput('dpkg', ['-L', 'python3-objgraph']);
  const file = listing?.split('\n').find((l) => l.endsWith('/objgraph.py'));
  return file && existsSync(file) ? file : undefined;
}

/**
 * A folder holding only objgraph.py (a link to Debian's python3-objgraph),
 * for CPython's PYTHONPATH, as ../shared/conformance/tools/oracle.sh does;
 * installs the package (and Graphviz, which objgraph's images need) when
 * missing. Returns a reason instead when objgraph cannot be had.
 */
function prepareObjgraph(scratch: string, log: (s: string) => void): { dir: string } | { reason: string } {
  let file = objgraphFile();
  if (!file || !commandOutput('dot', ['-V'])) {
    log('objgraph or Graphviz missing for the CPython side: apt-get install -y python3-objgraph graphviz ...');
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-objgraph graphviz'], {
      stdio: 'ignore',
    });
    if (r.status !== 0) log('  apt-get failed');
    file = objgraphFile();
  }
  if (!file) return { reason: 'objgraph is not available to CPython (install python3-objgraph)' };
  if (!commandOutput('dot', ['-V'])) return { reason: "Graphviz 'dot' is not available to CPython's objgraph (install graphviz)" };
  const dir = path.join(scratch, 'pythonpath');
  mkdirSync(dir);
  symlinkSync(file, path.join(dir, 'objgraph.py'));
  return { dir };
}

/**
 * One run in a fresh folder holding only the script: the script may write
 * files (backrefs_render.svg) and they are part of its result. TMPDIR points
 * into the run's own folder so objgraph's temporary DOT files go away too.
 */
function runInFreshFolder(
  scratch: string,
  script: string,
  command: string,
  args: (scriptName: string) => string[],
  env: NodeJS.ProcessEnv,
  reaper: Reaper,
  timeoutMs: number,
): { m: Measured; files: string[] } {
  const run = mkdtempSync(path.join(scratch, 'run-'));
  try {
    const work = path.join(run, 'work');
    const tmp = path.join(run, 'tmp');
    mkdirSync(work);
    mkdirSync(tmp);
    const name = path.basename(script);
    copyFileSync(script, path.join(work, name));
    const m = measure({ command, args: args(name), cwd: work, env: { ...env, TMPDIR: tmp }, timeoutMs }, reaper);
    const files = readdirSync(work).filter((f) => f !== name);
    return { m, files };
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

/** The API benchmark's JSON line as the output the Python script would print. */
function apiOutput(m: Measured, bench: Benchmark): RunOutput {
  if (m.status === 0) {
    try {
      const j = JSON.parse(m.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
      if (typeof j[bench.label] === 'number' && typeof j.n === 'number') {
        return { stdout: `${j.n}\n${bench.label} ${j[bench.label]}\n`, stderr: m.stderr, status: 0, files: [] };
      }
    } catch {
      // Not the expected JSON: compared raw below, which reports the difference.
    }
  }
  return { stdout: m.stdout, stderr: m.stderr, status: m.status, files: [] };
}

interface Env {
  python: string;
  pythonVersion: string;
  reaper: Reaper;
  objgraph: { dir: string } | { reason: string } | undefined;
  scratch: string;
}

function runBenchmark(bench: Benchmark, opts: Options, env: Env, log: (s: string) => void): BenchSummary {
  const script = path.join(programsDir, `${bench.name}.py`);
  if (!existsSync(script)) return skippedSummary(bench, `${path.relative(repoRoot, script)} not found`);
  if (bench.objgraph && env.objgraph && 'reason' in env.objgraph) return skippedSummary(bench, env.objgraph.reason);
  const apiJs = bench.api && !opts.cli ? path.join(repoRoot, 'dist', 'bench', `${bench.api}.js`) : undefined;
  const useApi = !!apiJs && existsSync(apiJs);
  const via = useApi ? `API (bench/${bench.api}.ts --child)` : 'CLI (refscope run)';
  const pyEnv: NodeJS.ProcessEnv = { ...process.env };
  if (bench.objgraph && env.objgraph && 'dir' in env.objgraph) {
    pyEnv.PYTHONPATH = [env.objgraph.dir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  }
  log(`\n${bench.name}  (timing line '${bench.label}', target ${fmtTarget(bench)}, refscope via ${via})`);
  const rounds: { refscope: Sample; cpython: Sample }[] = [];
  // Each distinct difference with the rounds it was seen in.
  const diffs = new Map<string, number[]>();
  const errors: string[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    // A: refscope.
    const a = useApi
      ? runInFreshFolder(env.scratch, script, process.execPath, () => [apiJs!, '--child'], process.env, env.reaper, opts.timeoutMs)
      : runInFreshFolder(env.scratch, script, process.execPath, (s) => [cliMain, 'run', s], process.env, env.reaper, opts.timeoutMs);
    const aOut: RunOutput = useApi ? apiOutput(a.m, bench) : { stdout: a.m.stdout, stderr: a.m.stderr, status: a.m.status, files: a.files };
    // B: CPython.
    const b = runInFreshFolder(env.scratch, script, env.python, (s) => ['-u', s], pyEnv, env.reaper, opts.timeoutMs);
    const bOut: RunOutput = { stdout: b.m.stdout, stderr: b.m.stderr, status: b.m.status, files: b.files };
    if (a.m.error) errors.push(`round ${i + 1} refscope: ${a.m.error}`);
    if (b.m.error) errors.push(`round ${i + 1} cpython: ${b.m.error}`);
    const ra = toResult(aOut, bench.label);
    const rb = toResult(bOut, bench.label);
    for (const d of compareResults(ra, rb)) diffs.set(d, [...(diffs.get(d) ?? []), i + 1]);
    rounds.push({
      refscope: { wall: a.m.wall, timing: ra.seconds, rssMB: a.m.rssMB },
      cpython: { wall: b.m.wall, timing: rb.seconds, rssMB: b.m.rssMB },
    });
    const show = (w: number, t: number, rss: number) => `${fmtSeconds(w)} (${bench.label} ${fmtSeconds(t)}, ${fmtMB(rss)})`;
    log(
      `  round ${i + 1}: refscope ${show(a.m.wall, ra.seconds, a.m.rssMB)}  cpython ${show(b.m.wall, rb.seconds, b.m.rssMB)}` +
        `  ratio ${fmtRatio(a.m.wall / b.m.wall)} / ${fmtRatio(ra.seconds / rb.seconds)}`,
    );
  }
  const seen = [...diffs].map(([d, rs]) => (rs.length === opts.rounds ? d : `${d}\n  (in round${rs.length > 1 ? 's' : ''} ${rs.join(', ')} only)`));
  return summarize(bench, via, rounds, seen, errors);
}

function printSummary(s: BenchSummary, out: (s: string) => void): void {
  if (s.skipped) {
    out(`${s.name}: SKIPPED: ${s.skipped}`);
    return;
  }
  const targetRatio = s.target.metric === 'whole' ? s.ratio.whole : s.ratio.timing;
  out(`${s.name}  (refscope via ${s.via}, ${s.rounds.length} rounds, medians)`);
  out(`  refscope  whole ${fmtSeconds(s.refscope.wall)}  ${s.label} ${fmtSeconds(s.refscope.timing)}  peak RSS ${fmtMB(s.refscope.rssMB)}`);
  out(`  cpython   whole ${fmtSeconds(s.cpython.wall)}  ${s.label} ${fmtSeconds(s.cpython.timing)}  peak RSS ${fmtMB(s.cpython.rssMB)}`);
  out(
    `  ratio     whole ${fmtRatio(s.ratio.whole)}  ${s.label} ${fmtRatio(s.ratio.timing)}  peak RSS ${fmtRatio(s.ratio.rss)}` +
      `  target ${fmtTarget(s)}: ${fmtRatio(targetRatio)} ${s.met ? 'met' : Number.isFinite(targetRatio) ? 'MISSED' : '(no figure)'}`,
  );
  for (const e of s.errors) out(`  !!! ${e}`);
  if (s.diffs.length) {
    out('  !!! RESULTS DIFFER between refscope and CPython:');
    for (const d of s.diffs) out(`  !!!   ${d.replace(/\n/g, '\n  !!!   ')}`);
  } else if (!s.errors.length) {
    out('  results identical');
  }
}

/** Warns when bench/programs/ has drifted from ../shared/bench/ (the source of the copies). */
function checkCopies(log: (s: string) => void): void {
  if (!existsSync(sharedDir)) return;
  for (const b of BENCHMARKS) {
    const ours = path.join(programsDir, `${b.name}.py`);
    const theirs = path.join(sharedDir, `${b.name}.py`);
    if (existsSync(ours) && existsSync(theirs) && readFileSync(ours, 'utf8') !== readFileSync(theirs, 'utf8')) {
      log(`warning: bench/programs/${b.name}.py differs from ../shared/bench/${b.name}.py; copy it again`);
    }
  }
}

function main(argv: string[]): number {
  let opts: Options;
  try {
    const parsed = parseOptions(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    opts = parsed;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const out = (s: string) => process.stdout.write(s + '\n');
  const log = opts.json ? (s: string) => process.stderr.write(s + '\n') : out;
  if (!existsSync(cliMain)) {
    process.stderr.write(`bench: ${path.relative(repoRoot, cliMain)} not found; run npm run build first\n`);
    return 2;
  }
  checkCopies(log);
  const selected = BENCHMARKS.filter((b) => opts.only.length === 0 || opts.only.includes(b.name));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'refscope-bench-'));
  try {
    const python = findPython();
    const pythonVersion = commandOutput(python, ['--version']) ?? 'unknown';
    const reaper = chooseReaper(python);
    const objgraph = selected.some((b) => b.objgraph) ? prepareObjgraph(scratch, log) : undefined;
    const env: Env = { python, pythonVersion, reaper, objgraph, scratch };
    const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load ${os.loadavg()[0]!.toFixed(2)}`;
    log(`refscope (Node ${process.version}) against ${pythonVersion} (${python}); ${opts.rounds} rounds, alternating`);
    log(`peak RSS via ${reaper.method === 'gnu-time' ? 'GNU time (%M)' : "a Python wrapper's getrusage(RUSAGE_CHILDREN)"}; ${machine}`);
    const summaries = selected.map((b) => runBenchmark(b, opts, env, log));
    const failed = summaries.some((s) => s.diffs.length > 0 || s.errors.length > 0);
    if (opts.json) {
      const json = {
        node: process.version,
        python: pythonVersion,
        rounds: opts.rounds,
        rssMethod: reaper.method,
        machine,
        ok: !failed,
        benchmarks: summaries.map((s) => ({ ...s, results: resultsCell(s) })),
      };
      // NaN is not JSON: missing figures become null.
      out(JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
    } else {
      out('\n== Summary ==');
      for (const s of summaries) printSummary(s, out);
      out(`\nrefscope/CPython, median of ${opts.rounds} alternating rounds; Node ${process.version}, ${pythonVersion}; ${machine}:\n`);
      out(markdownTable(summaries));
      if (failed) out('\n!!! Some printed results differ from CPython or a run failed: exit status 1.');
    }
    return failed ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
