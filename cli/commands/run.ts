// `refscope run SCRIPT.py [ARGS...]`: like `python3 -u SCRIPT.py ARGS...` on the simulated runtime.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { objgraphRenders, runSource } from '../../lib/index.js';
import { EXIT_HEAP_INCONSISTENT, UsageError } from '../errors.js';
import { scriptWorker, writeFdSync } from '../interrupt.js';
import type { Command } from './command.js';

interface RunArgs {
  script: string;
  args?: string[];
  python: '3.11' | '2.7';
  stress?: boolean;
  check?: boolean;
  snapshots?: string;
  timeout?: number;
  'max-memory': number;
}

/** Problems printed by `run --check`: the first ones point at the bug, the rest usually follow from it. */
const SHOWN_PROBLEMS = 20;

function formatProblems(problems: string[]): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  const more = problems.length > shown.length ? `  ... and ${problems.length - shown.length} more\n` : '';
  return `refscope: heap consistency check failed (${problems.length} problem${problems.length === 1 ? '' : 's'}; this is a refscope bug):\n${shown.map((p) => `  ${p}\n`).join('')}${more}`;
}

export const runCommand: Command<RunArgs> = {
  command: 'run <script> [args..]',
  describe: 'Run a Python script on the simulated CPython memory manager, printing what CPython prints',
  builder: (y) =>
    y
      .positional('script', { type: 'string', describe: 'the Python script to run' })
      .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script as sys.argv[1:]' })
      .option('python', { type: 'string', choices: ['3.11', '2.7'] as const, default: '3.11' as const, describe: 'CPython version to simulate' })
      .option('stress', { type: 'boolean', describe: 'collect on every GC allocation while the collector is enabled (slow; for checking refscope itself)' })
      .option('timeout', { type: 'number', describe: 'stop the script after SECONDS (exit status 124)' })
      .option('max-memory', {
        type: 'number',
        default: 384,
        describe: 'simulated heap limit in MB; beyond it the script gets MemoryError (keeps Node healthy)',
      })
      .option('check', {
        type: 'boolean',
        describe:
          'check the simulated heap after every collection, after the script and after shutdown; problems go to stderr with exit status 71 (for checking refscope itself; with --stress, after every GC allocation)',
      })
      .option('snapshots', {
        type: 'string',
        describe: 'write a heap snapshot DIR/NNN-label.json for each refscope.snapshot("label") call, and NNN-end.json when the script ends',
      }),
  examples: [
    ['refscope run leak.py', 'run leak.py as CPython 3.11 would'],
    ['refscope run --python 2.7 legacy.py', 'run with Python 2.7 semantics (uncollectable __del__ cycles)'],
    ['refscope run --stress --check leak.py', 'check refscope itself: collect on every allocation and check the heap after each collection'],
    ['refscope run leak.py --snapshots snaps', 'also write snaps/000-<label>.json per refscope.snapshot(label), then snaps/NNN-end.json'],
  ],
  async run(args) {
    if (args.timeout !== undefined && !(args.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    if (!(args['max-memory'] > 0)) throw new UsageError('--max-memory must be a positive number of megabytes');
    // In the script worker (cli/interrupt.ts) Ctrl-C reaches the script as
    // KeyboardInterrupt, and output goes straight to fds 1 and 2, in order.
    const worker = scriptWorker();
    const stdout = worker ? (s: string) => writeFdSync(1, s) : (s: string) => void process.stdout.write(s);
    const stderr = worker ? (s: string) => writeFdSync(2, s) : (s: string) => void process.stderr.write(s);
    let source: string;
    try {
      source = readFileSync(args.script, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const py = args.python === '2.7' ? 'python2.7' : 'python3';
      if (code === 'ENOENT') {
        stderr(`${py}: can't open file '${path.resolve(args.script)}': [Errno 2] No such file or directory\n`);
        return 2;
      }
      throw new UsageError(`cannot read ${args.script}: ${(e as Error).message}`);
    }
    worker?.accept(true);
    let result: ReturnType<typeof runSource>;
    try {
      // Python 3.9+ makes the script's path absolute (__file__, tracebacks);
      // 2.7 keeps it as given. sys.argv[0] stays as given in both.
      result = runSource(source, args.python === '2.7' ? args.script : path.resolve(args.script), {
        python: args.python,
        argv: [args.script, ...(args.args ?? []).map(String)],
        stress: args.stress,
        check: args.check,
        snapshots: args.snapshots,
        timeout: args.timeout,
        maxMemory: args['max-memory'] * 1024 * 1024,
        stdout,
        stderr,
        interrupt: worker?.interrupt,
      });
    } finally {
      worker?.accept(false);
    }
    const { exitCode, interpreter, problems, interrupted } = result;
    // Images from objgraph's filename='x.png' are rendered in the background.
    await objgraphRenders(interpreter);
    if (problems && problems.length > 0) {
      stderr(formatProblems(problems));
      return EXIT_HEAP_INCONSISTENT;
    }
    // Like CPython 3, end by SIGINT after an uncaught KeyboardInterrupt (exitCode is 130 where that is not possible).
    if (interrupted) worker?.endBySigint();
    return exitCode;
  },
};
