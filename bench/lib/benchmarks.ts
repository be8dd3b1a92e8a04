// The benchmark list: each script, its timing line and the target the issues
// set for refscope/CPython (issue 2: full collection; issue 3: run; issue 4:
// objgraph). Leaf module: data only.

/** Which measurement a target applies to. */
export type Metric = 'whole' | 'timing';

export interface Benchmark {
  /** Script name without .py, as in bench/programs/. */
  name: string;
  /** The label of the script's timing line (`elapsed 0.115`). */
  label: string;
  /** The ratio refscope/CPython must not exceed, and on which measurement. */
  target: { metric: Metric; max: number };
  /** CPython needs objgraph importable. */
  objgraph: boolean;
  /**
   * A TypeScript benchmark that measures the same thing through the API
   * (dist/bench/NAME.js, run with --child); used for the refscope side in
   * place of the CLI when it exists.
   */
  api?: string;
}

export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'alloc_churn', label: 'elapsed', target: { metric: 'whole', max: 5 }, objgraph: false },
  { name: 'cycle_garbage', label: 'elapsed', target: { metric: 'whole', max: 5 }, objgraph: false },
  { name: 'full_collect', label: 'collect', target: { metric: 'timing', max: 2 }, objgraph: false, api: 'full_collect' },
  { name: 'objgraph_big_heap', label: 'objgraph', target: { metric: 'timing', max: 0.5 }, objgraph: true },
  { name: 'backrefs_render', label: 'render', target: { metric: 'timing', max: 2 }, objgraph: true },
];
