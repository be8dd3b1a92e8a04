// `refscope report SCRIPT.py [-o report.html] [--python 3.11|2.7]`: run a
// script and write one self-contained HTML leak report.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateReport } from '../../lib/index.js';
import { UsageError } from '../errors.js';
import type { Command } from './command.js';

interface ReportArgs {
  script: string;
  output?: string;
  python: '3.11' | '2.7';
  graphs: boolean;
}

/** Reads a script; a missing file is a usage error (exit 2). */
export function readScript(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Progress on stderr, only when stderr is a terminal: steps, live objects, elapsed; at most 10 times a second. */
export function progressReporter(): ((p: { steps: number; liveObjects: number; elapsedMs: number; run: string }) => void) & { done(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let last = 0;
  let shown = false;
  const fn = (p: { steps: number; liveObjects: number; elapsedMs: number; run: string }) => {
    if (!tty || p.elapsedMs - last < 100) return;
    last = p.elapsedMs;
    shown = true;
    process.stderr.write(`\r${p.run === 'main' ? 'run' : 'what-if run'}: step ${p.steps}, ${p.liveObjects} live objects, ${(p.elapsedMs / 1000).toFixed(1)} s\x1b[K`);
  };
  return Object.assign(fn, {
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  });
}

export const reportCommand: Command<ReportArgs> = {
  command: 'report <script>',
  describe: 'Run a script and write a self-contained HTML leak report: verdict, timeline, growth, suspects with back-reference graphs, GC, finalizers, pymalloc map, allocation sites, __del__ audit',
  builder: (y) =>
    y
      .positional('script', { type: 'string', describe: 'the Python script to run' })
      .option('output', { alias: 'o', type: 'string', describe: 'where to write the report (default: SCRIPT-report.html next to the current directory)' })
      .option('python', { type: 'string', choices: ['3.11', '2.7'] as const, default: '3.11' as const, describe: 'CPython version to simulate' })
      .option('graphs', { type: 'boolean', default: true, describe: 'draw back-reference graphs (--no-graphs skips Graphviz)' }),
  examples: [
    ['refscope report leak.py', 'run leak.py and write leak-report.html'],
    ['refscope report leak.py -o /tmp/leak.html', 'choose where the report goes'],
    ['refscope report --python 2.7 legacy.py', 'the same with Python 2.7 semantics (uncollectable __del__ cycles)'],
  ],
  async run(args) {
    const source = readScript(args.script);
    const name = path.basename(args.script);
    const out = args.output ?? `${name.replace(/\.py$/, '')}-report.html`;
    const progress = progressReporter();
    const { html, recording } = await generateReport(source, name, { python: args.python, graphs: args.graphs, createdBy: 'refscope 0.1.0', onProgress: progress });
    progress.done();
    writeFileSync(out, html);
    process.stdout.write(`Report written to ${out} (${recording.steps.length} steps, script exit status ${recording.exitCode})\n`);
    return 0;
  },
};
