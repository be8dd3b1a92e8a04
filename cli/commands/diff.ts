// refscope diff: what grew, appeared and disappeared between two snapshots.
import type { Argv } from 'yargs';
import { diff, formatDiff, formatGrowth, growth } from '../../lib/index.js';
import type { Command } from './command.js';
import { openSnapshot, printJson, wholeNumber } from './snapshot-args.js';

interface DiffArgs {
  old: string;
  new: string;
  limit: number;
  allObjects: boolean;
  longNames: boolean;
  growth: boolean;
  json: boolean;
}

export const diffCommand: Command<DiffArgs> = {
  command: 'diff <old> <new>',
  describe: 'What grew, appeared and disappeared between two snapshots, by type, with counts and bytes',
  builder: (y: Argv) =>
    y
      .epilog(
        [
          'Objects are matched by address AND allocation serial (a sequence number the simulated heap',
          'gives every allocation). CPython reuses a freed address at once, so a new object at an old',
          'address counts as one object that disappeared and one that appeared, never as the same one.',
          'As in objgraph, only objects the GC tracks are counted unless --all-objects is given.',
        ].join('\n'),
      )
      .positional('old', { type: 'string', describe: 'the earlier snapshot file' })
      .positional('new', { type: 'string', describe: 'the later snapshot file' })
      .option('limit', { type: 'number', default: 10, describe: 'how many changed types to show; 0 shows all' })
      .option('all-objects', { type: 'boolean', default: false, describe: 'count objects the GC does not track too' })
      .option('long-names', { type: 'boolean', default: false, describe: "qualified type names ('builtins.dict')" })
      .option('growth', {
        type: 'boolean',
        default: false,
        describe: "print objgraph.show_growth() instead: types whose count rose above the old count, as 'name count +delta'",
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON: {old, new, types, total}, or with --growth [[name, count, delta]]' }),
  examples: [
    ['refscope diff step-1.json step-2.json', 'types that changed, most grown first'],
    ['refscope diff step-1.json step-2.json --limit 0', 'every changed type'],
    ['refscope diff a.json b.json --json', 'per type: oldCount, newCount, oldBytes, newBytes, appeared, disappeared'],
    ['refscope diff a.json b.json --growth', "objgraph's show_growth text"],
  ],
  async run(args) {
    const limit = wholeNumber(args.limit, 'limit');
    const old = openSnapshot(args.old);
    const current = openSnapshot(args.new);
    if (old.meta.profile !== current.meta.profile) {
      process.stderr.write(`refscope: warning: comparing a ${old.meta.profile} snapshot with a ${current.meta.profile} one\n`);
    }
    const opts = { allObjects: args.allObjects, shortnames: !args.longNames };
    if (args.growth) {
      const rows = growth(old, current, { ...opts, limit });
      if (args.json) printJson(rows);
      else process.stdout.write(formatGrowth(rows));
      return 0;
    }
    const d = diff(old, current, opts);
    if (args.json) {
      printJson({ old: old.meta, new: current.meta, types: limit ? d.types.slice(0, limit) : d.types, total: d.total });
    } else {
      const step = (s: typeof old) => `step ${s.meta.step}${s.meta.label ? ` (${s.meta.label})` : ''}`;
      process.stdout.write(`${args.old}: ${step(old)}  ->  ${args.new}: ${step(current)}\n\n${formatDiff(d, limit)}`);
    }
    return 0;
  },
};
