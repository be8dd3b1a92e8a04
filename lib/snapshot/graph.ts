// A snapshot as objgraph's graph writer sees it: the GraphModel adapter for
// `showGraph` (lib/objgraph/showgraph.ts), with object indices as nodes.
//
// The snapshot layer sits below objgraph, so this module does not import it:
// the returned object matches `GraphModel<number>` structurally, and the one
// piece of objgraph formatting it needs (the ` [label="...",weight=N]` edge
// suffix) is passed in by the caller, who has `edgeLabelSuffix` at hand.
import type { Snapshot } from './model.js';
import { edgeLabelText, edgeWeight, referenceBetween } from './labels.js';

export interface SnapshotGraphOptions {
  /** `referents` draws like show_refs, `referrers` like show_backrefs */
  direction: 'referents' | 'referrers';
  /** type names in labels (default true, objgraph's shortnames) */
  shortnames?: boolean;
  /** referrers: also follow untracked ones (gc.get_referrers never returns them) */
  includeUntracked?: boolean;
  /** objgraph's edge label suffix for a non-empty label: pass `edgeLabelSuffix` from the objgraph layer */
  edgeSuffix: (text: string, weight?: number) => string;
}

/** Structurally a `GraphModel<number>`: nodes are object indices. */
export interface SnapshotGraphModel {
  key(i: number): number;
  neighbours(i: number): Iterable<number>;
  label(i: number): string;
  edgeLabel(referrer: number, referent: number): string;
  isModule(i: number): boolean;
  hasDel(i: number): boolean;
}

/**
 * @example
 * const model = snapshotGraphModel(snap, { direction: 'referrers', edgeSuffix: edgeLabelSuffix });
 * const { dot } = showGraph([i], model, { ...SHOW_GRAPH_DEFAULTS, swapSourceTarget: false, cull: (n) => snap.isProperModule(n) });
 */
export function snapshotGraphModel(s: Snapshot, opts: SnapshotGraphOptions): SnapshotGraphModel {
  const shortnames = opts.shortnames ?? true;
  const neighbours =
    opts.direction === 'referents'
      ? (i: number) => s.referents(i)
      : opts.includeUntracked
        ? (i: number) => s.referrers(i)
        : (i: number) => s.referrers(i).filter((j) => s.isTracked(j));
  return {
    // objgraph's node ids are `o<id(obj)>`, the decimal address.
    key: (i) => s.objects.address[i],
    neighbours,
    label: (i) => `${shortnames ? s.typeOf(i).short : s.typeOf(i).long}\n${s.label(i)}`,
    edgeLabel: (referrer, referent) => {
      const r = referenceBetween(s, referrer, referent);
      const text = r < 0 ? '' : edgeLabelText(s, r, shortnames);
      return text ? opts.edgeSuffix(text, edgeWeight(s, r)) : '';
    },
    isModule: (i) => s.isModule(i),
    hasDel: (i) => s.hasFinalizer(i),
  };
}
