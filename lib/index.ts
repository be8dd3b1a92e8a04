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
