// sys._debugmallocstats() text, byte for byte as CPython 3.11 prints it.
//
// The numbers come from PyMalloc.collectStats() (a walk over every arena and
// pool, like pymalloc_print_stats); this module only formats. The helpers
// mirror obmalloc's: `printone` writes a label padded to 35 columns, `=`, and
// the value right-aligned in 21 columns with thousands commas;
// `formatAllocatorStatsLine` is _PyDebugAllocatorStats, the free-list lines
// that object types append after the allocator's report.

import type { Geometry } from './geometry.js';

/** One row of the class table. */
export interface SizeClassStats {
  readonly idx: number;
  /** Block size in bytes. */
  readonly size: number;
  /** Pools of this class that hold at least one block (used or full). */
  readonly pools: number;
  readonly blocksInUse: number;
  /** Free blocks in those pools, virgin ones included. */
  readonly availBlocks: number;
}

/** The radix tree figures (3.10+ geometries only). */
export interface ArenaMapStats {
  readonly midNodes: number;
  readonly botNodes: number;
  readonly rootBytes: number;
  readonly midBytes: number;
  readonly botBytes: number;
}

/** Everything pymalloc_print_stats reports, as numbers. */
export interface MallocStats {
  readonly geometry: Geometry;
  /** One entry per size class, in index order, including classes without pools. */
  readonly classes: readonly SizeClassStats[];
  readonly arenasAllocatedTotal: number;
  readonly arenasReclaimed: number;
  readonly arenasHighwater: number;
  readonly arenasCurrent: number;
  readonly allocatedBytes: number;
  readonly availableBytes: number;
  /** Free pools plus pools never carved, over all arenas. */
  readonly unusedPools: number;
  readonly poolHeaderBytes: number;
  readonly quantizationBytes: number;
  readonly arenaAlignmentBytes: number;
  /** Sum of the six categories above; always arenasCurrent * arenaSize. */
  readonly total: number;
  readonly arenaMap: ArenaMapStats | null;
}

/** A free-list line: `name` is CPython's block name, pluralised with "s". */
export interface FreeListStat {
  /** e.g. "free PyDictObject" or "free 2-sized PyTupleObject". */
  readonly name: string;
  readonly count: number;
  /** Bytes per object. */
  readonly size: number;
}

/** Label column width before the `=`. */
const LABEL_WIDTH = 35;
/** Width of the value column after the `=`. */
const VALUE_WIDTH = 21;
/** `%48s`: width of a free-list description. */
const FREELIST_WIDTH = 48;

/** A non-negative integer with thousands commas: 4194304 -> "4,194,304". */
export function withCommas(value: number): string {
  const digits = String(value);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/**
 * One `label = value` line of the report, newline included.
 *
 * @example printone('# arenas allocated total', 4)
 * // "# arenas allocated total           =                    4\n"
 */
export function printone(label: string, value: number): string {
  return label.padEnd(LABEL_WIDTH) + '=' + withCommas(value).padStart(VALUE_WIDTH) + '\n';
}

/**
 * A free-list line, as _PyDebugAllocatorStats prints it.
 *
 * @example formatAllocatorStatsLine({ name: 'free PyDictObject', count: 8, size: 48 })
 * // "            8 free PyDictObjects * 48 bytes each =                  384\n"
 */
export function formatAllocatorStatsLine(stat: FreeListStat): string {
  const text = `${stat.count} ${stat.name}s * ${stat.size} bytes each`;
  return printone(text.padStart(FREELIST_WIDTH) + ' ', stat.count * stat.size);
}

/** The allocator's own report (_PyObject_DebugMallocStats). */
export function formatMallocStats(s: MallocStats): string {
  const g = s.geometry;
  let out = `Small block threshold = ${g.smallRequestThreshold}, in ${g.numSizeClasses} size classes.\n`;
  out += '\n';
  out += 'class   size   num pools   blocks in use  avail blocks\n';
  out += '-----   ----   ---------   -------------  ------------\n';
  for (const c of s.classes) {
    if (c.pools === 0) continue;
    out +=
      String(c.idx).padStart(5) +
      ' ' +
      String(c.size).padStart(6) +
      ' ' +
      String(c.pools).padStart(11) +
      ' ' +
      String(c.blocksInUse).padStart(15) +
      ' ' +
      String(c.availBlocks).padStart(13) +
      '\n';
  }
  out += '\n';
  out += printone('# arenas allocated total', s.arenasAllocatedTotal);
  out += printone('# arenas reclaimed', s.arenasReclaimed);
  out += printone('# arenas highwater mark', s.arenasHighwater);
  out += printone('# arenas allocated current', s.arenasCurrent);
  out += printone(`${s.arenasCurrent} arenas * ${g.arenaSize} bytes/arena`, s.arenasCurrent * g.arenaSize);
  out += '\n';
  out += printone('# bytes in allocated blocks', s.allocatedBytes);
  out += printone('# bytes in available blocks', s.availableBytes);
  out += printone(`${s.unusedPools} unused pools * ${g.poolSize} bytes`, s.unusedPools * g.poolSize);
  out += printone('# bytes lost to pool headers', s.poolHeaderBytes);
  out += printone('# bytes lost to quantization', s.quantizationBytes);
  out += printone('# bytes lost to arena alignment', s.arenaAlignmentBytes);
  out += printone('Total', s.total);
  const m = s.arenaMap;
  if (m !== null) {
    out += '\narena map counts\n';
    out += printone('# arena map mid nodes', m.midNodes);
    out += printone('# arena map bot nodes', m.botNodes);
    out += '\n';
    out += printone('# bytes lost to arena map root', m.rootBytes);
    out += printone('# bytes lost to arena map mid', m.midBytes);
    out += printone('# bytes lost to arena map bot', m.botBytes);
    out += printone('Total', m.rootBytes + m.midBytes + m.botBytes);
  }
  return out;
}

/**
 * The whole sys._debugmallocstats() text (3.11 writes it to stderr): the
 * allocator report, a blank line, then one line per free list, in the order
 * given (CPython's is dict, float, list, tuple sizes 1..20, ...).
 */
export function formatDebugMallocStatsText(s: MallocStats, freeLists: readonly FreeListStat[]): string {
  let out = formatMallocStats(s) + '\n';
  for (const f of freeLists) out += formatAllocatorStatsLine(f);
  return out;
}
