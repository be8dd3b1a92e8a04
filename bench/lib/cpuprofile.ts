// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time and total
// (inclusive) time per function, and self time per file. Used to see where
// refscope spends its time on a benchmark:
//
//   node --cpu-prof --cpu-prof-name=p.cpuprofile dist/cli/main.js run alloc_churn.py
//   node dist/bench/lib/cpuprofile.js p.cpuprofile [--top N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  /** "name (file:line)" */
  key: string;
  selfMs: number;
  totalMs: number;
}

/** Self and inclusive time per function (recursion counted once per sample). */
export function summarizeProfile(p: CpuProfile): { totalMs: number; functions: FunctionTime[]; files: Map<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url ? path.basename(f.url.replace(/^file:\/\//, '')) : '';
    return `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // A sample's time is the delta to the next sample.
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const leaf = byId.get(p.samples[i]!)!;
    const k = keyOf(leaf);
    self.set(k, (self.get(k) ?? 0) + ms);
    const file = leaf.callFrame.url ? leaf.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/') : `(${leaf.callFrame.functionName})`;
    files.set(file, (files.get(file) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const key = keyOf(byId.get(id)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + ms);
    }
  }
  const functions = [...self.keys(), ...total.keys()]
    .filter((k, i, a) => a.indexOf(k) === i)
    .map((key) => ({ key, selfMs: self.get(key) ?? 0, totalMs: total.get(key) ?? 0 }));
  return { totalMs, functions, files };
}

function main(argv: string[]): void {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: node dist/bench/lib/cpuprofile.js FILE.cpuprofile [--top N]\n');
    process.exitCode = 2;
    return;
  }
  const topIdx = argv.indexOf('--top');
  const top = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { totalMs, functions, files } = summarizeProfile(p);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  const row = (ms: number, label: string) => `${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${label}`;
  console.log(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nself time:`);
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(row(f.selfMs, f.key));
  console.log('\ntotal (inclusive) time:');
  for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(row(f.totalMs, f.key));
  console.log('\nself time by file:');
  for (const [f, ms] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(row(ms, f));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
