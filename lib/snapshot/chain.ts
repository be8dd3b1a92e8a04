// Shortest reference chains: objgraph's `find_backref_chain` and
// `find_ref_chain`, over a snapshot.
//
// Both are one breadth-first search (`findChain`, objgraph's `_find_chain`)
// with a different neighbour function: referrers for back-reference chains
// (the snapshot's reverse index, in heap-walk order, as gc.get_referrers),
// referents for forward chains (gc.get_referents order). The first discovery
// wins, so ties break exactly as objgraph's do. The predicate is tested on
// the start object first; when nothing matches within `maxDepth` hops the
// result is `[obj]`, as objgraph's, so callers can always draw it.
//
// gc.get_referrers only returns GC-tracked objects, so untracked referrers
// (an atom-only tuple holding a str) are skipped unless `includeUntracked`.
import { formatAddress, type Snapshot } from './model.js';
import { describeObject, edgeLabelText, referenceBetween } from './labels.js';

export type ObjectPredicate = (s: Snapshot, index: number) => boolean;

/** objgraph's `is_proper_module`, the default chain root. */
export const isProperModule: ObjectPredicate = (s, i) => s.isProperModule(i);

export interface ChainOptions {
  /** object indices never stepped on (objgraph's `extra_ignore`) */
  extraIgnore?: Iterable<number>;
  /** back-reference chains: also walk untracked referrers */
  includeUntracked?: boolean;
}

/**
 * The shortest chain from an object matching `predicate` (a proper module by
 * default) down to `obj`: `[root, ..., obj]`, or `[obj]` if none is found
 * within `maxDepth` hops.
 * @example
 * const chain = findBackrefChain(snap, snap.objectsOfType('Session')[0]);
 * process.stdout.write(formatChain(snap, chain));
 */
export function findBackrefChain(s: Snapshot, obj: number, predicate: ObjectPredicate = isProperModule, maxDepth = 20, opts: ChainOptions = {}): number[] {
  const neighbours = opts.includeUntracked
    ? (i: number) => s.referrers(i)
    : (i: number) => s.referrers(i).filter((j) => s.isTracked(j));
  return findChain(s, obj, predicate, maxDepth, neighbours, opts.extraIgnore);
}

/** The shortest chain from `obj` to an object matching `predicate`: `[obj, ..., match]`, or `[obj]`. */
export function findRefChain(s: Snapshot, obj: number, predicate: ObjectPredicate, maxDepth = 20, opts: ChainOptions = {}): number[] {
  return findChain(s, obj, predicate, maxDepth, (i) => s.referents(i), opts.extraIgnore).reverse();
}

/** BFS from obj; returns the path found, match first and obj last. */
function findChain(s: Snapshot, obj: number, predicate: ObjectPredicate, maxDepth: number, neighbours: (i: number) => ArrayLike<number>, extraIgnore?: Iterable<number>): number[] {
  const UNSEEN = -2;
  const parent = new Int32Array(s.objectCount).fill(UNSEEN);
  const depth = new Int32Array(s.objectCount);
  for (const i of extraIgnore ?? []) if (i >= 0 && i < s.objectCount && i !== obj) parent[i] = -3;
  const queue = new Int32Array(s.objectCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = obj;
  parent[obj] = -1;
  while (head < tail) {
    const target = queue[head++];
    if (predicate(s, target)) {
      const chain: number[] = [];
      for (let i = target; i !== -1; i = parent[i]) chain.push(i);
      return chain;
    }
    if (depth[target] >= maxDepth) continue;
    const next = neighbours(target);
    for (let k = 0; k < next.length; k++) {
      const n = next[k];
      if (parent[n] !== UNSEEN) continue;
      parent[n] = target;
      depth[n] = depth[target] + 1;
      queue[tail++] = n;
    }
  }
  return [obj];
}

/** One hop of a chain, as data: the edge label from the previous object ('' if unlabelled). */
export interface ChainHop {
  index: number;
  address: string;
  type: string;
  label: string;
  /** label of the edge from the previous hop; null on the first */
  edge: string | null;
}

/** A chain with its edge labels (each hop's edge comes from the previous object). */
export function describeChain(s: Snapshot, chain: readonly number[], shortnames = true): ChainHop[] {
  return chain.map((i, k) => {
    const t = s.typeOf(i);
    let edge: string | null = null;
    if (k > 0) {
      const r = referenceBetween(s, chain[k - 1], i);
      edge = r < 0 ? '' : edgeLabelText(s, r, shortnames);
    }
    return { index: i, address: formatAddress(s.objects.address[i]), type: shortnames ? t.short : t.long, label: s.label(i), edge };
  });
}

/**
 * One line per hop, the edge label on the arrow:
 * ```
 * module 0x7f0000001000 (__main__)
 *   -[__dict__]-> dict 0x7f0000002000 (16 items)
 *   -[sessions]-> list 0x7f0000003000 (3 items)
 *   -> Session 0x7f0000004000 (<__main__.Session object at 0x7f000)
 * ```
 */
export function formatChain(s: Snapshot, chain: readonly number[], shortnames = true): string {
  return describeChain(s, chain, shortnames)
    .map((hop, k) => {
      const node = describeObject(s, hop.index, shortnames);
      if (k === 0) return `${node}\n`;
      return hop.edge ? `  -[${hop.edge.replace(/\n/g, ' ')}]-> ${node}\n` : `  -> ${node}\n`;
    })
    .join('');
}
