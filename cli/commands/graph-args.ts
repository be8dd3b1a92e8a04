// What `refscope backrefs` and `refscope refs` share: options, picking the
// roots, drawing with objgraph's writer, and writing DOT/SVG/PNG.
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import {
  edgeLabelSuffix,
  formatFromFilename,
  renderDot,
  showGraph,
  snapshotGraphModel,
  UnsupportedFormatError,
  type Snapshot,
} from '../../lib/index.js';
import { UsageError } from '../errors.js';
import { openSnapshot, pickObject, pickOptions, printJson, wholeNumber, type PickArgs } from './snapshot-args.js';

export interface GraphArgs extends PickArgs {
  snapshot: string;
  all: boolean;
  maxDepth: number;
  tooMany: number;
  filterType?: string[];
  excludeType?: string[];
  longNames: boolean;
  output?: string;
  json: boolean;
}

/** The options of both graph commands (objgraph's defaults: max_depth=3, too_many=10). */
export function graphOptions(y: Argv): Argv {
  y.positional('snapshot', { type: 'string', describe: 'snapshot file (JSON)' });
  pickOptions(y);
  return y
    .option('all', { type: 'boolean', default: false, describe: 'start from every GC-tracked object of --type (objgraph.by_type(NAME))' })
    .option('max-depth', { type: 'number', default: 3, describe: 'draw objects up to this many hops away (objgraph max_depth)' })
    .option('too-many', { type: 'number', default: 10, describe: 'at most this many edges per object; the rest become one "N more" node' })
    .option('filter-type', { type: 'string', array: true, describe: 'only step to objects of this type (repeatable); the start objects are always drawn' })
    .option('exclude-type', { type: 'string', array: true, describe: 'never step to objects of this type (repeatable)' })
    .option('long-names', { type: 'boolean', default: false, describe: "qualified type names ('builtins.dict')" })
    .option('output', { alias: 'o', type: 'string', describe: 'write FILE.dot, FILE.svg or FILE.png instead of printing DOT' })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON: {nodes, output} or {nodes, dot}' });
}

/** Draws the graph as objgraph's show_refs (referents) or show_backrefs (referrers). */
export async function runGraph(args: GraphArgs, direction: 'referents' | 'referrers'): Promise<number> {
  const maxDepth = wholeNumber(args.maxDepth, 'max-depth');
  const tooMany = wholeNumber(args.tooMany, 'too-many');
  let format: 'dot' | 'svg' | 'png' | undefined;
  if (args.output !== undefined) {
    try {
      format = formatFromFilename(args.output);
    } catch (err) {
      if (err instanceof UnsupportedFormatError) throw new UsageError(err.message);
      throw err;
    }
  }
  const s = openSnapshot(args.snapshot);
  const roots = pickRoots(s, args);
  const model = snapshotGraphModel(s, { direction, shortnames: !args.longNames, edgeSuffix: edgeLabelSuffix });
  const typeIs = (names: string[]) => (i: number) => names.some((n) => (n.includes('.') ? s.typeOf(i).long : s.typeOf(i).short) === n);
  const only = args.filterType?.length ? typeIs(args.filterType) : undefined;
  const excluded = args.excludeType?.length ? typeIs(args.excludeType) : undefined;
  const { dot, nodes } = showGraph(roots, model, {
    maxDepth,
    tooMany,
    swapSourceTarget: direction === 'referents',
    filter: only || excluded ? (i) => (!only || only(i)) && !excluded?.(i) : undefined,
    // show_backrefs stops at proper modules so the graph does not spread into sys.modules.
    cull: direction === 'referrers' ? (i) => s.isProperModule(i) : undefined,
  });
  if (args.output === undefined) {
    if (args.json) printJson({ nodes, dot });
    else process.stdout.write(dot);
    return 0;
  }
  const bytes = await renderDot(dot, format!);
  writeFileSync(args.output, bytes);
  if (args.json) printJson({ nodes, output: args.output });
  else process.stdout.write(`Graph written to ${args.output} (${nodes} nodes)\n`);
  return 0;
}

function pickRoots(s: Snapshot, args: GraphArgs): number[] {
  if (!args.all) return [pickObject(s, args)];
  if (args.type === undefined || args.nth !== undefined || args.address !== undefined) {
    throw new UsageError('--all takes --type NAME and neither --nth nor --address');
  }
  const roots = s.objectsOfType(args.type);
  if (roots.length === 0) pickObject(s, args); // the same message as without --all
  return roots;
}
