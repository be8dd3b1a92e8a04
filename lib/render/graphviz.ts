/**
 * DOT → SVG with Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`),
 * using the `dot` layout engine, the one objgraph runs.
 *
 * The wasm module (about 2 MB, embedded in the package's JavaScript) is
 * loaded lazily, on the first call, and then kept for the life of the
 * process: commands that never render never pay for it, and a report that
 * renders fifty graphs loads it once. The cache is a promise, so concurrent
 * first calls share one load; a failed load is forgotten so a later call can
 * try again.
 *
 * Graphviz escapes every piece of user text it writes into SVG (labels,
 * tooltips, ids, URLs are XML-escaped; node names in comments have `-`
 * escaped so `-->` cannot close a comment). It does not judge URL schemes:
 * a `URL="javascript:…"` node attribute is written as a link, escaped but
 * live. Code that inlines these SVGs into HTML should keep that in mind.
 * It also copies control characters (a `__repr__` may return `'\x01'`)
 * straight into the SVG, which makes it invalid XML that no viewer (and not
 * resvg) will open; {@link xmlSafe} replaces them with U+FFFD.
 */
import type { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphvizLoad: Promise<Graphviz> | undefined;

/** The process-wide Graphviz instance, loaded on first use. */
export function loadGraphviz(): Promise<Graphviz> {
  graphvizLoad ??= import('@hpcc-js/wasm-graphviz')
    .then((m) => m.Graphviz.load())
    .catch((err: unknown) => {
      graphvizLoad = undefined;
      throw err;
    });
  return graphvizLoad;
}

/** Raised when Graphviz rejects the DOT text (its message names the line). */
export class DotSyntaxError extends Error {
  override readonly name = 'DotSyntaxError';
}

/**
 * Lays out `dot` with the `dot` engine and returns the SVG document text.
 *
 * @example
 * ```ts
 * const svg = await dotToSvg('digraph { a -> b; }');
 * svg.includes('<g id="node1" class="node">'); // true
 * ```
 * @throws DotSyntaxError when Graphviz cannot parse the text.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const graphviz = await loadGraphviz();
  let svg: string;
  try {
    svg = graphviz.layout(dot, 'svg', 'dot');
  } catch (err) {
    throw new DotSyntaxError(`Graphviz could not read the graph: ${String((err as Error)?.message ?? err).trim()}`);
  }
  if (!svg) throw new DotSyntaxError('Graphviz produced no output for the graph');
  return xmlSafe(svg);
}

/**
 * Characters XML 1.0 forbids anywhere in a document: C0 controls other than
 * tab, newline and carriage return, U+FFFE/U+FFFF, and unpaired surrogates.
 */
const NON_XML_CHARS = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces every character XML cannot carry with U+FFFD. Safe on Graphviz
 * SVG because such characters only ever come from user text (labels,
 * tooltips), never from markup.
 *
 * @example xmlSafe('<text>a\x01b</text>') === '<text>a\uFFFDb</text>'
 */
export function xmlSafe(svg: string): string {
  return svg.replace(NON_XML_CHARS, '\uFFFD');
}

/** The Graphviz version inside the wasm build (loads it if needed). */
export async function graphvizVersion(): Promise<string> {
  return (await loadGraphviz()).version();
}
