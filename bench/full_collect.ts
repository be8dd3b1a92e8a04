// Benchmark: one full collection over a large live heap, refscope's memory
// core against CPython, side by side.
//
// The heap is the one of ../shared/bench/full_collect.py, built directly
// through the Runtime API (no interpreter):
//
//     gc.disable()
//     heap = []
//     for i in range(250000):
//         heap.append([i, {"k": [i]}, (i, [])])
//     n = gc.collect()          # timed
//
// i.e. 1.25 M tracked containers. Each round runs both sides in fresh child
// processes, alternating A B A B (the machines are shared and noisy, so only
// a ratio from one run means much), and records the collection time and the
// peak RSS of each child. Prints the medians, the median ratio and RSS.
//
// Usage: node dist/bench/full_collect.js [--rounds N] [--size N]
//        node dist/bench/full_collect.js --child [--size N]   (one refscope run, JSON out)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime } from '../lib/heap/runtime.js';

interface Sample {
  collect: number;
  rssMB: number;
  n: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs as dist/bench/full_collect.js. */
const repoRoot = path.resolve(here, '..', '..');
const PY_SCRIPT = path.resolve(repoRoot, '..', 'shared', 'bench', 'full_collect.py');

function argValue(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Builds the heap through the API and times gc.collect(). */
function runChild(size: number): Sample {
  const rt = new Runtime();
  rt.gc.enabled = false;
  const heap = rt.newList([]);
  for (let i = 0; i < size; i++) {
    const iv = rt.newInt(i); // the loop variable's reference
    rt.incref(iv);
    const inner = rt.newList([iv]);
    const d = rt.newDict();
    rt.dictAppend(d, 'k', 0, rt.intern('k'), inner, true);
    rt.incref(iv);
    const t = rt.newTuple([iv, rt.newList([])]);
    rt.incref(iv);
    const outer = rt.newList([iv, d, t]);
    rt.listAppend(heap, outer);
    rt.decref(outer);
    rt.decref(iv);
  }
  const start = performance.now();
  const n = rt.gc.collectManual(2);
  const collect = (performance.now() - start) / 1000;
  // Keep the heap alive until after the measurement.
  if (heap.items.length !== size) throw new Error('internal: heap lost items');
  const rssMB = process.resourceUsage().maxRSS / 1024;
  return { collect, rssMB, n };
}

function pythonBinary(): string {
  const r = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  if (r.status === 0) {
    const p = path.join(r.stdout.trim(), 'versions', '3.11.7', 'bin', 'python');
    if (existsSync(p)) return p;
  }
  return 'python3';
}

// Runs the script as __main__ and reports the peak RSS (ru_maxrss, KiB on Linux) on stderr.
const PY_WRAPPER = 'import resource, runpy, sys; runpy.run_path(sys.argv[1], run_name="__main__"); sys.stderr.write("maxrss %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)';

function runPython(python: string): Sample {
  const r = spawnSync(python, ['-c', PY_WRAPPER, PY_SCRIPT], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${python} ${PY_SCRIPT} failed: ${r.stderr}`);
  const collect = Number(/^collect ([\d.e-]+)/m.exec(r.stdout)?.[1]);
  const n = Number(r.stdout.split('\n')[0]);
  const rssMB = Number(/maxrss (\d+)/.exec(r.stderr)?.[1]) / 1024;
  return { collect, rssMB, n };
}

function runOurs(size: number): Sample {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--size', String(size)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`refscope child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const size = argValue('--size', 250_000);
  if (process.argv.includes('--child')) {
    process.stdout.write(JSON.stringify(runChild(size)) + '\n');
    return;
  }
  const rounds = argValue('--rounds', 5);
  const havePython = existsSync(PY_SCRIPT);
  if (!havePython) console.log(`full_collect: ${path.relative(repoRoot, PY_SCRIPT)} not found, CPython side skipped`);
  const python = pythonBinary();
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(runOurs(size));
    if (havePython) theirs.push(runPython(python));
    const last = theirs.length ? `  cpython ${theirs[theirs.length - 1].collect.toFixed(4)} s` : '';
    console.log(`round ${r + 1}: refscope ${ours[r].collect.toFixed(4)} s${last}`);
  }
  const a = median(ours.map((s) => s.collect));
  const rssA = median(ours.map((s) => s.rssMB));
  console.log(`refscope: collect median ${a.toFixed(4)} s, peak RSS ${rssA.toFixed(0)} MB, gc.collect() = ${ours[0].n}`);
  if (!havePython) return;
  const b = median(theirs.map((s) => s.collect));
  const rssB = median(theirs.map((s) => s.rssMB));
  const ratios = ours.map((s, i) => s.collect / theirs[i].collect);
  console.log(`cpython (${python === 'python3' ? 'python3' : '3.11.7'}): collect median ${b.toFixed(4)} s, peak RSS ${rssB.toFixed(0)} MB, gc.collect() = ${theirs[0].n}`);
  console.log(`ratio refscope/cpython: collect ${median(ratios).toFixed(2)}x (median of per-round ratios), peak RSS ${(rssA / rssB).toFixed(2)}x`);
}

main();
