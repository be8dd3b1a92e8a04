// pymalloc geometry as profile data.
//
// obmalloc's shape is fixed at compile time by a handful of macros
// (ALIGNMENT, SMALL_REQUEST_THRESHOLD, POOL_SIZE, ARENA_SIZE, POOL_OVERHEAD,
// WITH_PYMALLOC_RADIX_TREE). They differ between CPython versions, so refscope
// keeps them as data: one `Geometry` record per profile, and the allocator is
// the same code for all of them. This is a leaf module: it imports nothing.
//
// Size classes: a request of `nbytes` in 1..SMALL_REQUEST_THRESHOLD is served
// from class `(nbytes - 1) / ALIGNMENT` (rounded down), whose blocks are
// `(idx + 1) * ALIGNMENT` bytes. A pool of POOL_SIZE bytes starts with a
// POOL_OVERHEAD-byte header and holds `(POOL_SIZE - POOL_OVERHEAD) / size`
// blocks; the remainder is lost to quantization.

/** The compile-time shape of one CPython's obmalloc (64-bit Linux). */
export interface Geometry {
  /** Short profile name, for messages and reports. */
  readonly name: string;
  /** Bytes; every block address and size is a multiple. Must be 2^ALIGNMENT_SHIFT. */
  readonly alignment: number;
  /** log2(alignment). */
  readonly alignmentShift: number;
  /** Largest request pymalloc serves itself; larger (and 0) go to the raw malloc. A multiple of alignment. */
  readonly smallRequestThreshold: number;
  /** smallRequestThreshold / alignment: the number of size classes. */
  readonly numSizeClasses: number;
  /** Bytes per pool; a power of two, so a pool is found from any block address by rounding down. */
  readonly poolSize: number;
  /** Bytes per arena (one simulated mmap); a multiple of poolSize. */
  readonly arenaSize: number;
  /** arenaSize / poolSize: pools in an arena whose base happens to be pool-aligned. */
  readonly maxPoolsInArena: number;
  /** sizeof(struct pool_header) rounded up to alignment: 48 on 64-bit builds. */
  readonly poolOverhead: number;
  /**
   * The radix tree that implements address_in_range (3.10+), or null for the
   * older arenaindex check. Only its accounting is modelled: node counts and
   * node sizes for the "arena map" lines of sys._debugmallocstats().
   */
  readonly radixTree: RadixTreeShape | null;
}

/** Bit split of a 64-bit address in obmalloc's arena map (IGNORE_BITS = 0). */
export interface RadixTreeShape {
  /** log2(arenaSize): the low bits the tree throws away. */
  readonly arenaBits: number;
  /** Index bits of the root (MAP_TOP) array. */
  readonly topBits: number;
  /** Index bits of a mid node. */
  readonly midBits: number;
  /** Index bits of a bottom node; topBits + midBits + botBits + arenaBits = 64. */
  readonly botBits: number;
  /** sizeof the root array: 2^topBits pointers. Static, always counted. */
  readonly rootBytes: number;
  /** sizeof one mid node: 2^midBits pointers. */
  readonly midNodeBytes: number;
  /** sizeof one bottom node: 2^botBits arena_coverage_t (two int32). */
  readonly botNodeBytes: number;
}

const POINTER_BITS = 64;
const POINTER_BYTES = 8;
/** sizeof(arena_coverage_t): tail_hi and tail_lo, two int32. */
const ARENA_COVERAGE_BYTES = 8;

/** The 64-bit radix tree layout for a given arena size, as obmalloc derives it. */
function radixTreeFor(arenaBits: number): RadixTreeShape {
  // Interior levels share the bits left above the arena bits, rounded up, and
  // the bottom level takes the rest: 15/15/14 for 1 MiB arenas.
  const interior = Math.floor((POINTER_BITS - arenaBits + 2) / 3);
  const botBits = POINTER_BITS - arenaBits - 2 * interior;
  return {
    arenaBits,
    topBits: interior,
    midBits: interior,
    botBits,
    rootBytes: 2 ** interior * POINTER_BYTES,
    midNodeBytes: 2 ** interior * POINTER_BYTES,
    botNodeBytes: 2 ** botBits * ARENA_COVERAGE_BYTES,
  };
}

function makeGeometry(
  name: string,
  alignmentShift: number,
  smallRequestThreshold: number,
  poolSize: number,
  arenaSize: number,
  radix: boolean,
): Geometry {
  const alignment = 2 ** alignmentShift;
  return Object.freeze({
    name,
    alignment,
    alignmentShift,
    smallRequestThreshold,
    numSizeClasses: smallRequestThreshold / alignment,
    poolSize,
    arenaSize,
    maxPoolsInArena: arenaSize / poolSize,
    // sizeof(struct pool_header) is 48 on 64-bit (four pointers, four uints),
    // already a multiple of both 8 and 16.
    poolOverhead: Math.ceil(48 / alignment) * alignment,
    radixTree: radix ? radixTreeFor(Math.log2(arenaSize)) : null,
  });
}

/**
 * CPython 3.11 (3.10+): 16-byte alignment, 32 classes, 16 KiB pools
 * (USE_LARGE_POOLS), 1 MiB arenas (USE_LARGE_ARENAS), radix-tree
 * address_in_range. Checked against `_debugmallocstats` of 3.11.7.
 */
export const GEOMETRY_311: Geometry = makeGeometry('3.11', 4, 512, 16 * 1024, 1024 * 1024, true);

/**
 * The geometry described by the widely read "Real Python" article on CPython
 * memory management (CPython <= 3.7.3): 8-byte alignment, 64 classes, 4 KiB
 * pools, 256 KiB arenas. Useful for teaching; no real 64-bit build since
 * 3.7.4 / 2.7.17 uses it.
 */
export const GEOMETRY_ARTICLE: Geometry = makeGeometry('article', 3, 512, 4 * 1024, 256 * 1024, false);

/**
 * CPython 2.7.18, 64-bit Linux: 16-byte alignment, threshold 512 (32 classes),
 * 4 KiB pools, 256 KiB arenas, arenaindex-based address_in_range.
 *
 * Evidence, measured on pyenv's 2.7.18 by the address spacing of many
 * consecutive `str` objects (a str of length n asks for 37 + n bytes):
 * - 16-byte alignment (bpo-27987, backported to 2.7.17): 41-byte requests are
 *   48 apart but 50- and 57-byte requests are 64 apart (8-byte alignment would
 *   give 56 for 50); 257- and 264-byte requests are both 272 apart.
 * - SMALL_REQUEST_THRESHOLD is 512, not 256: 257..512-byte requests land in
 *   the mmap'd arena region (0x7f...) at block-size spacing, while 513 bytes
 *   and up come from the brk heap (0x55...), malloc's region.
 * - POOL_SIZE 4 KiB with a 48-byte header: a run of 48-byte blocks jumps by
 *   112 (= 64 + 48) at every 0x...fc0 -> 0x...030 page boundary.
 * - ARENA_SIZE 256 KiB, mmap'd and page-aligned (no pool lost to alignment):
 *   the pages holding 300,000 small strings form contiguous runs of 256, 640,
 *   768, 832... pages, all multiples of 64 pools.
 */
export const GEOMETRY_27: Geometry = makeGeometry('2.7', 4, 512, 4 * 1024, 256 * 1024, false);

/**
 * Top of the simulated mmap region. Arenas are mapped top-down below it, like
 * Linux's mmap_base. It is 4 KiB-aligned but not 16 KiB-aligned, so with 16 KiB
 * pools each arena loses its first partial pool to alignment (63 usable pools,
 * as CPython 3.11 reports); with 4 KiB pools nothing is lost.
 */
export const DEFAULT_MMAP_TOP = 0x7f3a5c2e7000;

/** Start of the simulated brk heap that the raw malloc carves upward. */
export const DEFAULT_HEAP_BASE = 0x55d14c2a1000;

/**
 * Size class index of a request, or -1 when pymalloc does not serve it
 * (0 bytes or more than the threshold: those go to the raw malloc).
 *
 * @example sizeClassIndex(64) === 3; sizeClassIndex(65) === 4; sizeClassIndex(513) === -1
 */
export function sizeClassIndex(nbytes: number, g: Geometry = GEOMETRY_311): number {
  if (nbytes <= 0 || nbytes > g.smallRequestThreshold) return -1;
  return Math.floor((nbytes - 1) / g.alignment);
}

/** Block size in bytes of size class `idx`. @example blockSize(3) === 64 */
export function blockSize(idx: number, g: Geometry = GEOMETRY_311): number {
  return (idx + 1) * g.alignment;
}

/** Blocks in one pool of size class `idx` (NUMBLOCKS). @example numBlocks(0) === 1021 */
export function numBlocks(idx: number, g: Geometry = GEOMETRY_311): number {
  return Math.floor((g.poolSize - g.poolOverhead) / blockSize(idx, g));
}

/** Bytes at the end of a pool of class `idx` that no block can use. */
export function quantizationLoss(idx: number, g: Geometry = GEOMETRY_311): number {
  return (g.poolSize - g.poolOverhead) % blockSize(idx, g);
}
