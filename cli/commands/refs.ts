// refscope refs: objgraph.show_refs over a saved snapshot.
import type { Argv } from 'yargs';
import type { Command } from './command.js';
import { graphOptions, runGraph, type GraphArgs } from './graph-args.js';

export const refs: Command<GraphArgs> = {
  command: 'refs <snapshot>',
  describe: 'Draw what an object refers to, as objgraph.show_refs()',
  builder: (y: Argv) => graphOptions(y),
  examples: [
    ['refscope refs end.json --type Cache -o cache.svg', 'what the first Cache holds, as an SVG image'],
    ['refscope refs end.json --address 0x7f3a5c012340 --too-many 30 -o obj.dot', 'DOT text, up to 30 edges per object'],
    ['refscope refs end.json --type Registry --filter-type dict --filter-type Session', 'only dicts and Sessions'],
  ],
  run: (args) => runGraph(args, 'referents'),
};
