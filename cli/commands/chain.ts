// refscope chain: why is this object alive? The shortest back-reference chain
// from a module, as objgraph.find_backref_chain(obj, objgraph.is_proper_module).
import type { Argv } from 'yargs';
import { describeChain, describeObject, findBackrefChain, formatChain } from '../../lib/index.js';
import type { Command } from './command.js';
import { openSnapshot, pickObject, pickOptions, printJson, wholeNumber, type PickArgs } from './snapshot-args.js';

interface ChainArgs extends PickArgs {
  snapshot: string;
  maxDepth: number;
  longNames: boolean;
  json: boolean;
}

export const chain: Command<ChainArgs> = {
  command: 'chain <snapshot>',
  describe: 'The shortest chain of references from a module to an object (what keeps it alive), one hop per line',
  builder: (y: Argv) => {
    y.positional('snapshot', { type: 'string', describe: 'snapshot file (JSON)' });
    pickOptions(y);
    return y
      .option('max-depth', { type: 'number', default: 20, describe: 'give up after this many hops (objgraph max_depth)' })
      .option('long-names', { type: 'boolean', default: false, describe: "qualified type names ('builtins.dict')" })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON: {found, chain: [{index, address, type, label, edge}]}' });
  },
  examples: [
    ['refscope chain end.json --type Session', 'what keeps the first Session alive'],
    ['refscope chain end.json --type Session --nth -1', 'the same for the last Session in heap order'],
    ['refscope chain end.json --address 0x7f3a5c012340', 'the object whose id() is 0x7f3a5c012340'],
  ],
  async run(args) {
    const maxDepth = wholeNumber(args.maxDepth, 'max-depth');
    const snapshot = openSnapshot(args.snapshot);
    const obj = pickObject(snapshot, args);
    const path = findBackrefChain(snapshot, obj, undefined, maxDepth);
    const found = snapshot.isProperModule(path[0]);
    const shortnames = !args.longNames;
    if (args.json) {
      printJson({ found, chain: describeChain(snapshot, path, shortnames) });
    } else if (found) {
      process.stdout.write(formatChain(snapshot, path, shortnames));
    } else {
      process.stdout.write(`No chain from a module to ${describeObject(snapshot, obj, shortnames)} within ${maxDepth} hops.\n`);
    }
    return 0;
  },
};
