/**
 * objgraph's `_show_graph`: the breadth-first DOT writer behind `show_refs`,
 * `show_backrefs` and `show_chain`, as a pure function.
 *
 * Design
 * ------
 * objgraph's DOT text is a user-visible contract: people diff it, grep it and
 * feed it to their own tools, and objgraph's own tests compare it byte for
 * byte. So this module reproduces it exactly, line for line, and nothing
 * else: no file handling, no rendering, no printing (those live in the
 * objgraph API layer and in `render/`).
 *
 * The writer is generic over a node type `N` and sees the object graph only
 * through a {@link GraphModel}: identity, neighbours, label text, edge label,
 * "is a module", "has `__del__`". The same code therefore draws a live
 * simulated heap (neighbours = `gc.get_referents` / `gc.get_referrers`) and a
 * saved snapshot (neighbours from its edge lists), and tests can feed it a
 * hand-built graph, which is exactly how objgraph tests itself.
 *
 * The walk, in objgraph's order (read {@link showGraph} top to bottom):
 *
 *  1. header, then one `[fontcolor=red]` line per root, all roots first;
 *  2. BFS: each dequeued node writes its label line, its fill colour (an HSV
 *     gradient from white at depth 0 to dark grey at `maxDepth`; modules
 *     green, highlighted nodes blue), white text when the fill is dark, and
 *     the `__del__` marker;
 *  3. nodes at `maxDepth`, and culled nodes, are drawn but not expanded;
 *  4. otherwise every neighbour that is neither ignored nor filtered out
 *     gets an edge, up to `tooMany` of them; the rest are counted into one
 *     red "N more references" node. An edge to an already-seen node is still
 *     drawn (cycles, duplicates), but the node is enqueued only once.
 *
 * Node identity is `model.key(n)`: two values with the same key are the same
 * node, exactly as objgraph keys its `depth` map by `id()`. Roots are not
 * de-duplicated: `[x, x]` writes x's lines twice and counts two nodes.
 *
 * Labels are plain text here and quoted by this module ({@link quote});
 * edge labels arrive as objgraph's ready-made attribute suffix (see
 * {@link edgeLabelSuffix}), because that is the unit objgraph's helpers and
 * tests deal in.
 */

/**
 * The object graph as {@link showGraph} sees it.
 *
 * @example
 * ```ts
 * // A live heap, drawn like show_refs:
 * const model: GraphModel<PyObject> = {
 *   key: (o) => o.address,
 *   neighbours: (o) => gc.getReferents(o),
 *   label: (o) => `${typeName(o)}\n${shortRepr(o)}`,
 *   edgeLabel: (referrer, referent) => edgeLabelFor(referrer, referent),
 *   isModule: (o) => o.type === moduleType,
 *   hasDel: (o) => typeHasDel(o.type),
 * };
 * ```
 */
export interface GraphModel<N> {
  /** Identity (CPython's `id()`, a snapshot address). Also the DOT id: `o<key>`, with every `-` turned into `_`. */
  key(n: N): number | bigint | string;
  /** The nodes to expand to, in order: referents for show_refs, referrers for show_backrefs. */
  neighbours(n: N): Iterable<N>;
  /** Label text before quoting: lines joined with `\n` (type name [+ refcount], short repr, extra info). */
  label(n: N): string;
  /**
   * objgraph's `_edge_label(referrer, referent)`: `''` or a ready suffix such as
   * ` [label="x",weight=2]`. Always called with the *referrer* first, whatever
   * the direction of the walk.
   */
  edgeLabel(referrer: N, referent: N): string;
  /** `inspect.ismodule`: any module, proper or not, is filled green. Default: never. */
  isModule?(n: N): boolean;
  /** Whether the node's class defines `__del__` (the class object itself is not marked). Default: never. */
  hasDel?(n: N): boolean;
}

/** Walk options; the objgraph defaults are in {@link SHOW_GRAPH_DEFAULTS}. */
export interface ShowGraphOptions<N> {
  /** Nodes at depth 0..maxDepth are drawn; those at maxDepth are not expanded. */
  maxDepth: number;
  /** At most this many accepted neighbours get edges; the rest go into one elision node. */
  tooMany: number;
  /**
   * true for show_refs (edges point from the expanded node to its
   * neighbours), false for show_backrefs (edges point from the neighbour,
   * the referrer, to the expanded node). Also picks the elision wording.
   */
  swapSourceTarget: boolean;
  /** A neighbour is skipped when this is false. Roots are never filtered. */
  filter?: (n: N) => boolean;
  /** Highlighted nodes are filled blue (this wins over the module green). */
  highlight?: (n: N) => boolean;
  /**
   * Extra node attributes, written sorted by name after the label; `null` and
   * `undefined` values are dropped. As in objgraph, giving this function at all
   * writes the `, ` separator, even when every value is dropped.
   */
  extraNodeAttrs?: (n: N) => Record<string, string | null | undefined>;
  /** A culled node is drawn but not expanded (show_backrefs culls proper modules). */
  cull?: (n: N) => boolean;
  /** Neighbours to skip silently and without counting (objgraph's ignore set of ids). */
  ignore?: (n: N) => boolean;
}

/** objgraph's defaults for `max_depth` and `too_many`. */
export const SHOW_GRAPH_DEFAULTS = { maxDepth: 3, tooMany: 10 } as const;

/** What {@link showGraph} produced. */
export interface ShowGraphResult {
  /** The complete DOT text, ending with `}\n`. */
  dot: string;
  /** objgraph's "(N nodes)": the number of BFS dequeues (duplicate roots count twice; elision and `__del__` pseudo-nodes don't). */
  nodes: number;
}

/** An HSV colour with components in 0..1, as Graphviz accepts it in `"h,s,v"`. */
export type Hsv = readonly [h: number, s: number, v: number];

const NODE_FILL_START: Hsv = [0, 0, 1];
const NODE_FILL_END: Hsv = [0, 0, 0.3];
const ELISION_FILL_START: Hsv = [0, 1, 1];
const ELISION_FILL_END: Hsv = [0, 1, 0.3];
/** Hue and saturation of module nodes (green). */
const MODULE_HS = [0.3, 1] as const;
/** Hue and saturation of highlighted nodes (blue); their value is lifted to 0.5 + v/2. */
const HIGHLIGHT_HS = [0.6, 0.6] as const;
/** Fills darker than this get white text. */
const DARK_FILL = 0.5;

/**
 * Writes objgraph's DOT for the graph reachable from `roots`.
 *
 * @example
 * ```ts
 * const x = { id: 1, refs: [] }, y = { id: 2, refs: [x] };
 * const { dot, nodes } = showGraph([y], {
 *   key: (n) => n.id,
 *   neighbours: (n) => n.refs,
 *   label: (n) => `list\n${n.refs.length} items`,
 *   edgeLabel: () => '',
 * }, { ...SHOW_GRAPH_DEFAULTS, swapSourceTarget: true });
 * // nodes === 2; dot contains '  o2 -> o1;'
 * ```
 */
export function showGraph<N>(
  roots: Iterable<N>,
  model: GraphModel<N>,
  opts: ShowGraphOptions<N>,
): ShowGraphResult {
  const { maxDepth, tooMany, swapSourceTarget } = opts;
  const out: string[] = [
    'digraph ObjectGraph {\n',
    '  node[shape=box, style=filled, fillcolor=white];\n',
  ];
  const id = (n: N) => nodeId(model.key(n));

  // depth doubles as the "seen" set, keyed by identity like objgraph's id() map.
  const depth = new Map<number | bigint | string, number>();
  const queue: N[] = [];
  for (const root of roots) {
    out.push(`  ${id(root)}[fontcolor=red];\n`);
    depth.set(model.key(root), 0);
    queue.push(root);
  }

  let nodes = 0;
  for (let head = 0; head < queue.length; head++) {
    nodes++;
    const target = queue[head]!;
    const tid = id(target);
    const tdepth = depth.get(model.key(target))!;

    const attrs = opts.extraNodeAttrs ? nodeAttrs(opts.extraNodeAttrs(target)) : '';
    out.push(`  ${tid}[label="${quote(model.label(target))}"${attrs}];\n`);

    let [h, s, v] = gradient(NODE_FILL_START, NODE_FILL_END, tdepth, maxDepth);
    if (model.isModule?.(target)) [h, s] = MODULE_HS;
    if (opts.highlight?.(target)) {
      [h, s] = HIGHLIGHT_HS;
      v = 0.5 + v * 0.5;
    }
    out.push(`  ${tid}[fillcolor="${formatHsv([h, s, v])}"];\n`);
    if (v < DARK_FILL) out.push(`  ${tid}[fontcolor=white];\n`);
    if (model.hasDel?.(target)) {
      out.push(`  ${tid}->${tid}_has_a_del[color=red,style=dotted,len=0.25,weight=10];\n`);
      out.push(
        `  ${tid}_has_a_del[label="__del__",shape=doublecircle,height=0.25,color=red,fillcolor="0,.5,1",fontsize=6];\n`,
      );
    }

    if (tdepth >= maxDepth) continue;
    if (opts.cull?.(target)) continue;

    let accepted = 0;
    let skipped = 0;
    for (const nb of model.neighbours(target)) {
      if (opts.ignore?.(nb)) continue;
      if (opts.filter && !opts.filter(nb)) continue;
      if (accepted >= tooMany) {
        skipped++;
        continue;
      }
      const [referrer, referent] = swapSourceTarget ? [target, nb] : [nb, target];
      out.push(`  ${id(referrer)} -> ${id(referent)}${model.edgeLabel(referrer, referent)};\n`);
      const nbKey = model.key(nb);
      if (!depth.has(nbKey)) {
        depth.set(nbKey, tdepth + 1);
        queue.push(nb);
      }
      accepted++;
    }

    if (skipped > 0) {
      const fill = gradient(ELISION_FILL_START, ELISION_FILL_END, tdepth + 1, maxDepth);
      const [edge, what] = swapSourceTarget
        ? [`${tid}->too_many_${tid}`, 'references']
        : [`too_many_${tid}->${tid}`, 'backreferences'];
      out.push(`  ${edge}[color=red,style=dotted,len=0.25,weight=10];\n`);
      out.push(
        `  too_many_${tid}[label="${skipped} more ${what}",shape=box,height=0.25,color=red,fillcolor="${formatHsv(fill)}",fontsize=6];\n`,
      );
      // Unconditional in objgraph, even on the light red of shallow elisions.
      out.push(`  too_many_${tid}[fontcolor=white];\n`);
    }
  }
  out.push('}\n');
  return { dot: out.join(''), nodes };
}

/**
 * objgraph's `_obj_node_id`: `o<key>` with every `-` replaced by `_`
 * (negative ids exist on some platforms).
 *
 * @example nodeId(-5) === 'o_5'
 */
export function nodeId(key: number | bigint | string): string {
  return `o${String(key)}`.replaceAll('-', '_');
}

/**
 * objgraph's `_quote` for text inside a DOT double-quoted string: `\` → `\\`,
 * `"` → `\"`, newline → `\n`, and NUL → `\\0` (backslash, backslash, zero:
 * objgraph's own spelling, which Graphviz shows as `\0`). Applied in that
 * order, so the escapes it adds are not escaped again.
 *
 * @example quote('a"b\\c\nd\0e') === 'a\\"b\\\\c\\nd\\\\0e'
 */
export function quote(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\0', '\\\\0');
}

/**
 * objgraph's `_gradient`: linear interpolation from `start` (depth 0) to
 * `end` (depth == maxDepth); `start` itself when `maxDepth` is 0. The
 * arithmetic is written exactly as objgraph's, `a*(1-f) + b*f`, so the
 * floating-point results (and hence the `%g` text) are identical.
 *
 * @example gradient([0, 0, 1], [0, 0, 0.3], 1, 3) // [0, 0, 0.7666666666666667]
 */
export function gradient(start: Hsv, end: Hsv, depth: number, maxDepth: number): Hsv {
  if (maxDepth === 0) return start;
  const f = depth / maxDepth;
  const mix = (a: number, b: number) => a * (1 - f) + b * f;
  return [mix(start[0], end[0]), mix(start[1], end[1]), mix(start[2], end[2])];
}

/** `"%g,%g,%g"` of an HSV triple, as objgraph writes fill colours. */
export function formatHsv([h, s, v]: Hsv): string {
  return `${formatG(h)},${formatG(s)},${formatG(v)}`;
}

/**
 * objgraph's `_obj_attrs`: `, k1="v1", k2="v2"` sorted by name (code-point
 * order, as Python sorts str), values quoted, `null`/`undefined` dropped.
 * Names are written as given. The leading `, ` is always there, as in
 * objgraph, so an all-dropped dict yields `", "`.
 *
 * @example nodeAttrs({ url: 'u', shape: 'box', x: null }) === ', shape="box", url="u"'
 */
export function nodeAttrs(attrs: Record<string, string | null | undefined>): string {
  const parts = Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== null && e[1] !== undefined)
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([name, value]) => `${name}="${quote(value)}"`);
  return ', ' + parts.join(', ');
}

/**
 * The suffix objgraph's `_edge_label` returns for a non-empty label:
 * ` [label="<quoted text>",weight=<w>]`, or ` [label="<quoted text>"]` when no
 * weight is given (objgraph's non-identifier dict keys). objgraph uses weight
 * 10 for attribute-like edges (`__dict__`, `__self__`, `__globals__`, …) and 2
 * for identifier dict keys.
 *
 * @example edgeLabelSuffix('x', 2) === ' [label="x",weight=2]'
 * @example edgeLabelSuffix("str\n'a b'") === ' [label="str\\n\'a b\'"]'
 */
export function edgeLabelSuffix(text: string, weight?: number): string {
  return weight === undefined ? ` [label="${quote(text)}"]` : ` [label="${quote(text)}",weight=${weight}]`;
}

/**
 * objgraph's `_is_identifier`: `re.match('[a-zA-Z_][a-zA-Z_0-9]*$', s)`.
 * ASCII only; and because Python's `$` also matches before a final newline,
 * `'abc\n'` counts as an identifier.
 *
 * @example isIdentifier('abc\n') === true; isIdentifier('é') === false
 */
export function isIdentifier(s: string): boolean {
  return /^[a-zA-Z_][a-zA-Z_0-9]*\n?$/.test(s);
}

/**
 * Python's `'%g' % x`: `precision` significant digits (6 by default), fixed
 * notation when the decimal exponent after rounding is in [-4, precision),
 * exponent notation (`1e-05`, `1.5e+20`) otherwise, trailing zeros and a
 * trailing point removed. Rounding is done on the exact decimal value of the
 * double with ties to even, as CPython does; JavaScript's `toPrecision`
 * would round exact ties up and differ (1234565 → `1.23456e+06` in Python).
 *
 * @example formatG(0.7666666666666667) === '0.766667'
 * @example formatG(1) === '1'; formatG(0.825) === '0.825'; formatG(1e-5) === '1e-05'
 */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const p = precision === 0 ? 1 : precision;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return sign + '0';

  const [digits, exp10] = roundSignificant(Math.abs(x), p);
  // digits has exactly p characters, the value is 0.d1d2... * 10^(exp10+1)
  if (exp10 < -4 || exp10 >= p) {
    let mantissa = digits[0]! + '.' + digits.slice(1);
    mantissa = stripZeros(mantissa);
    const e = Math.abs(exp10);
    return `${sign}${mantissa}e${exp10 < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  let fixed: string;
  if (exp10 >= 0) {
    fixed = digits.slice(0, exp10 + 1) + '.' + digits.slice(exp10 + 1);
  } else {
    fixed = '0.' + '0'.repeat(-exp10 - 1) + digits;
  }
  return sign + stripZeros(fixed);
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Rounds a positive finite double to `p` significant decimal digits with
 * ties to even, working on its exact decimal expansion (every double is a
 * finite decimal). Returns the `p` digits and the decimal exponent of the
 * first one.
 */
function roundSignificant(x: number, p: number): [digits: string, exp10: number] {
  // x = mant * 2^e2 exactly.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const e2 = (biased === 0 ? 1 : biased) - 1075;

  // Exact decimal: x = int(all) * 10^-scale.
  let all: bigint;
  let scale: number;
  if (e2 >= 0) {
    all = mant << BigInt(e2);
    scale = 0;
  } else {
    all = mant * 5n ** BigInt(-e2);
    scale = -e2;
  }
  const str = all.toString();
  let exp10 = str.length - 1 - scale;
  if (str.length <= p) return [str.padEnd(p, '0'), exp10];

  let kept = BigInt(str.slice(0, p));
  const rest = str.slice(p);
  const first = rest.charCodeAt(0) - 48;
  const beyond = /[1-9]/.test(rest.slice(1));
  if (first > 5 || (first === 5 && (beyond || kept % 2n === 1n))) kept += 1n;
  let digits = kept.toString();
  if (digits.length > p) {
    // 9.99999|5 rounded up to 10.0000: one more digit, one higher exponent.
    digits = digits.slice(0, p);
    exp10 += 1;
  }
  return [digits, exp10];
}

/** Python's str ordering: by code point, not by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
