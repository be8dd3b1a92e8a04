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
  type PoolHeader,
  type ArenaObject,
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
export { renderDot, formatFromFilename, UnsupportedFormatError } from './render/render.js';
export type { RenderFormat } from './render/render.js';
export { dotToSvg, graphvizVersion, DotSyntaxError } from './render/graphviz.js';
export { svgToPng, RASTER_FONT_FAMILY } from './render/raster.js';
export type { PngOptions } from './render/raster.js';

// Heap snapshots: model, builder, JSON files, analyses (lib/snapshot/).
export {
  Snapshot,
  SnapshotError,
  SNAPSHOT_VERSION,
  MAX_REPR_LENGTH,
  MAX_NAME_LENGTH,
  EDGE_KINDS,
  OTHER_EDGE,
  formatAddress,
  genFromCode,
} from './snapshot/model.js';
export type {
  EdgeKind,
  EdgeLabel,
  Generation,
  ModuleEntry,
  ObjectRecord,
  ObjectView,
  Profile as SnapshotProfile,
  SnapshotMeta,
  TypeInfo,
} from './snapshot/model.js';
export { SnapshotBuilder } from './snapshot/builder.js';
export type { SnapshotMetaInput } from './snapshot/builder.js';
export {
  loadSnapshot,
  saveSnapshot,
  parseSnapshot,
  snapshotFromJson,
  snapshotToJson,
  writeSnapshotJson,
  MAX_SNAPSHOT_BYTES,
  SNAPSHOT_FORMAT,
} from './snapshot/json.js';
export { typeTotals, typestats, mostCommonTypes, mostCommonTypeTotals, formatMostCommonTypes } from './snapshot/typestats.js';
export type { TypeStatsOptions, TypeTotal } from './snapshot/typestats.js';
export { growth, growthFromPeaks, formatGrowth } from './snapshot/growth.js';
export type { GrowthRow } from './snapshot/growth.js';
export { diff, sameObject, formatDiff } from './snapshot/diff.js';
export type { DiffOptions, SnapshotDiff, TypeDiff } from './snapshot/diff.js';
export { findBackrefChain, findRefChain, isProperModule, describeChain, formatChain } from './snapshot/chain.js';
export type { ChainHop, ChainOptions, ObjectPredicate } from './snapshot/chain.js';
export { describeObject, edgeLabelText, edgeWeight, referenceBetween } from './snapshot/labels.js';
export { snapshotGraphModel } from './snapshot/graph.js';
export type { SnapshotGraphModel, SnapshotGraphOptions } from './snapshot/graph.js';
export { checkConsistency, visitOwned } from './heap/consistency.js';
export { Runtime, SimulatedMemoryError } from './heap/runtime.js';
export type { RuntimeHooks, RuntimeOptions } from './heap/runtime.js';
export { PROFILE_311, PROFILE_27, profileFor } from './heap/profile.js';
export { runSource, createInterpreter } from './python/run.js';
export type { RunOptions, RunResult } from './python/run.js';
export * as text from './python/text/index.js';
// Python front end (lib/python/syntax): parse, scope analysis, syntax errors.
export { parse, exprName, type Profile as SyntaxProfile } from './python/syntax/parser.js';
export { buildSymtable, type Scope, type SymbolTable, type NameScope, type ScopeType } from './python/syntax/symtable.js';
export { PySyntaxError, formatSyntaxError, isPySyntaxError, type SyntaxErrorType } from './python/syntax/errors.js';
export { dump as dumpAst, pyStrRepr, pyBytesRepr, pyFloatRepr } from './python/syntax/dump.js';
export type * as PyAst from './python/syntax/ast.js';
// objgraph inside scripts (lib/objgraph/module.ts) and live-heap snapshots (lib/snapshot/capture.ts).
export { installObjgraph, objgraphRenders } from './objgraph/module.js';
export { captureSnapshot, SnapshotRecorder, installRefscopeModule, labelForFile, CREATED_BY } from './snapshot/capture.js';
export type { CaptureOptions } from './snapshot/capture.js';
export * from './report/index.js';
