// How objects and edges are named in text and graphs, from snapshot data.
import { EDGE_KINDS, EdgeCode, formatAddress, type Snapshot } from './model.js';

/** Index of the first reference from `from` to `to`, or -1. */
export function referenceBetween(s: Snapshot, from: number, to: number): number {
  const targets = s.references.to;
  for (let r = s.referenceBegin(from); r < s.referenceEnd(from); r++) if (targets[r] === to) return r;
  return -1;
}

/**
 * objgraph's edge label text for reference r: '' (unlabelled), a name such
 * as `__dict__` or a dict key, or for a non-identifier key its type name and
 * short repr on two lines (`int\n42`).
 */
export function edgeLabelText(s: Snapshot, r: number, shortnames = true): string {
  const refs = s.references;
  switch (refs.kind[r] as EdgeCode) {
    case EdgeCode.Other:
      return '';
    case EdgeCode.Attribute:
    case EdgeCode.Key:
      return s.strings[refs.name[r]];
    case EdgeCode.KeyRepr: {
      const t = s.types[refs.keyType[r]];
      return `${shortnames ? t.short : t.long}\n${s.strings[refs.name[r]]}`;
    }
    default:
      return EDGE_KINDS[refs.kind[r]];
  }
}

/**
 * objgraph's edge weight: 10 for `__dict__`, bound-method, function and
 * frame attributes; 2 for identifier dict keys; none otherwise.
 */
export function edgeWeight(s: Snapshot, r: number): number | undefined {
  const kind = s.references.kind[r] as EdgeCode;
  if (kind === EdgeCode.Other || kind === EdgeCode.KeyRepr) return undefined;
  return kind === EdgeCode.Key ? 2 : 10;
}

/** One-line description: `dict 0x7f0000001000 (16 items)`. */
export function describeObject(s: Snapshot, i: number, shortnames = true): string {
  const t = s.typeOf(i);
  const label = s.label(i).replace(/\n/g, ' ');
  return `${shortnames ? t.short : t.long} ${formatAddress(s.objects.address[i])}${label ? ` (${label})` : ''}`;
}
