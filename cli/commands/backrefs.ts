// refscope backrefs: objgraph.show_backrefs over a saved snapshot.
import type { Argv } from 'yargs';
import type { Command } from './command.js';
import { graphOptions, runGraph, type GraphArgs } from './graph-args.js';

export const backrefs: Command<GraphArgs> = {
  command: 'backrefs <snapshot>',
  describe: 'Draw what refers to an object, as objgraph.show_backrefs() (stops at modules in sys.modules)',
  builder: (y: Argv) => graphOptions(y),
  examples: [
    ['refscope backrefs end.json --type Session -o session.svg', 'who holds the first Session, as an SVG image'],
    ['refscope backrefs end.json --address 0x7f3a5c012340 --max-depth 6 -o why.png', 'a deeper graph, as PNG'],
    ['refscope backrefs end.json --type Session --all --exclude-type function', 'every Session, DOT on stdout'],
  ],
  run: (args) => runGraph(args, 'referrers'),
};
