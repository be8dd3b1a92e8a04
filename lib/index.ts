// refscope's public API: nothing but re-exports. The CLI imports only this file.
export {
  showGraph,
  SHOW_GRAPH_DEFAULTS,
  nodeId,
  quote,
  gradient,
  formatHsv,
  formatG,
  nodeAttrs,
  edgeLabelSuffix,
  isIdentifier,
} from './objgraph/showgraph.js';
export type { GraphModel, ShowGraphOptions, ShowGraphResult, Hsv } from './objgraph/showgraph.js';
export {
  GEOMETRY_311,
  GEOMETRY_27,
  GEOMETRY_ARTICLE,
  DEFAULT_MMAP_TOP,
  DEFAULT_HEAP_BASE,
  sizeClassIndex,
  blockSize,
  numBlocks,
  quantizationLoss,
  type Geometry,
  type RadixTreeShape,
} from './alloc/geometry.js';
export {
  PyMalloc,
  type PyMallocOptions,
  type ArenaInfo,
  type PoolInfo,
  type PoolState,
  type ArenaCounters,
} from './alloc/pymalloc.js';
export { RawMalloc, rawChunkSize } from './alloc/raw.js';
export { AllocatorError } from './alloc/errors.js';
export {
  printone,
  withCommas,
  formatAllocatorStatsLine,
  formatMallocStats,
  formatDebugMallocStatsText,
  type FreeListStat,
  type MallocStats,
  type SizeClassStats,
  type ArenaMapStats,
} from './alloc/stats.js';
