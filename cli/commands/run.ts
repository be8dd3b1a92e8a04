// `refscope run SCRIPT.py [ARGS...]`: like `python3 -u SCRIPT.py ARGS...` on the simulated runtime.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { objgraphRenders, runSource } from '../../lib/index.js';
import { UsageError } from '../errors.js';
import type { Command } from './command.js';

interface RunArgs {
  script: string;
  args?: string[];
  python: '3.11' | '2.7';
  stress?: boolean;
  snapshots?: string;
}

export const runCommand: Command<RunArgs> = {
  command: 'run <script> [args..]',
  describe: 'Run a Python script on the simulated CPython memory manager, printing what CPython prints',
  builder: (y) =>
    y
      .positional('script', { type: 'string', describe: 'the Python script to run' })
      .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script as sys.argv[1:]' })
      .option('python', { type: 'string', choices: ['3.11', '2.7'] as const, default: '3.11' as const, describe: 'CPython version to simulate' })
      .option('stress', { type: 'boolean', describe: 'collect on every GC allocation (slow; for checking refscope itself)' })
      .option('snapshots', {
        type: 'string',
        describe: 'write a heap snapshot DIR/NNN-label.json for each refscope.snapshot("label") call, and NNN-end.json when the script ends',
      }),
  examples: [
    ['refscope run leak.py', 'run leak.py as CPython 3.11 would'],
    ['refscope run --python 2.7 legacy.py', 'run with Python 2.7 semantics (uncollectable __del__ cycles)'],
    ['refscope run leak.py --snapshots snaps', 'also write snaps/000-<label>.json per refscope.snapshot(label), then snaps/NNN-end.json'],
  ],
  async run(args) {
    let source: string;
    try {
      source = readFileSync(args.script, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const py = args.python === '2.7' ? 'python2.7' : 'python3';
      if (code === 'ENOENT') {
        process.stderr.write(`${py}: can't open file '${path.resolve(args.script)}': [Errno 2] No such file or directory\n`);
        return 2;
      }
      throw new UsageError(`cannot read ${args.script}: ${(e as Error).message}`);
    }
    const { exitCode, interpreter } = runSource(source, args.script, {
      python: args.python,
      argv: [args.script, ...(args.args ?? []).map(String)],
      stress: args.stress,
      snapshots: args.snapshots,
    });
    // Images from objgraph's filename='x.png' are rendered in the background.
    await objgraphRenders(interpreter);
    return exitCode;
  },
};
