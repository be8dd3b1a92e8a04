// refscope top: objgraph's show_most_common_types over a saved snapshot.
import type { Argv } from 'yargs';
import { mostCommonTypeTotals, formatMostCommonTypes } from '../../lib/index.js';
import type { Command } from './command.js';
import { openSnapshot, printJson, wholeNumber } from './snapshot-args.js';

interface TopArgs {
  snapshot: string;
  limit: number;
  allObjects: boolean;
  longNames: boolean;
  json: boolean;
}

export const top: Command<TopArgs> = {
  command: 'top <snapshot>',
  describe: 'Most common types in a snapshot, as objgraph.show_most_common_types() prints them',
  builder: (y: Argv) =>
    y
      .positional('snapshot', { type: 'string', describe: 'snapshot file (JSON)' })
      .option('limit', { type: 'number', default: 10, describe: 'how many types to show; 0 shows all (as objgraph)' })
      .option('all-objects', {
        type: 'boolean',
        default: false,
        describe: 'count objects the GC does not track too (ints, strs, atom-only tuples and dicts); objgraph cannot see those',
      })
      .option('long-names', { type: 'boolean', default: false, describe: "qualified type names ('builtins.dict'), as objgraph's shortnames=False" })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON: [{name, count, bytes}] in the same order' }),
  examples: [
    ['refscope top step-3.json', 'the 10 most common GC-tracked types'],
    ['refscope top step-3.json --limit 0 --all-objects', 'every type, untracked objects included'],
    ['refscope top step-3.json --json', 'the same rows as JSON, with sizes in bytes'],
  ],
  async run(args) {
    const limit = wholeNumber(args.limit, 'limit');
    const snapshot = openSnapshot(args.snapshot);
    const rows = mostCommonTypeTotals(snapshot, { limit, allObjects: args.allObjects, shortnames: !args.longNames });
    if (args.json) {
      printJson(rows);
    } else {
      if (rows.length === 0) process.stderr.write(`refscope: ${args.snapshot} holds no ${args.allObjects ? '' : 'GC-tracked '}objects\n`);
      process.stdout.write(formatMostCommonTypes(rows.map((r) => [r.name, r.count] as const)));
    }
    return 0;
  },
};
