/**
 * The one entry point for turning objgraph DOT into a file's bytes, as
 * objgraph's `filename=` does by running `dot -T<ext>`: `.dot` is the text
 * itself, `.svg` goes through Graphviz (wasm), `.png` through Graphviz and
 * then resvg (wasm). Both engines load lazily, so importing this module is
 * cheap.
 */
import { dotToSvg } from './graphviz.js';
import { svgToPng, type PngOptions } from './raster.js';

/** The output formats refscope can write. */
export type RenderFormat = 'dot' | 'svg' | 'png';

const FORMATS: readonly RenderFormat[] = ['dot', 'svg', 'png'];

/** Raised for a file name whose extension names no supported format. */
export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError';
}

/**
 * The format named by a file's extension, case-insensitively.
 *
 * @example formatFromFilename('leak.PNG') === 'png'
 * @throws UnsupportedFormatError naming the supported extensions, e.g. for `graph.pdf`.
 */
export function formatFromFilename(name: string): RenderFormat {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if ((FORMATS as readonly string[]).includes(ext)) return ext as RenderFormat;
  const what = ext ? `extension ".${base.slice(dot + 1)}"` : 'no extension';
  throw new UnsupportedFormatError(
    `cannot write "${name}": ${what}; supported extensions are ${FORMATS.map((f) => '.' + f).join(', ')}`,
  );
}

/**
 * Renders DOT text: `'dot'` returns it unchanged, `'svg'` the SVG document,
 * `'png'` the PNG bytes.
 *
 * @example
 * ```ts
 * const { dot } = showGraph(roots, model, opts);
 * await writeFile('graph.png', await renderDot(dot, formatFromFilename('graph.png')));
 * ```
 */
export async function renderDot(dot: string, format: 'dot' | 'svg'): Promise<string>;
export async function renderDot(dot: string, format: 'png', opts?: PngOptions): Promise<Uint8Array>;
export async function renderDot(dot: string, format: RenderFormat, opts?: PngOptions): Promise<string | Uint8Array>;
export async function renderDot(dot: string, format: RenderFormat, opts?: PngOptions): Promise<string | Uint8Array> {
  switch (format) {
    case 'dot':
      return dot;
    case 'svg':
      return dotToSvg(dot);
    case 'png':
      return svgToPng(await dotToSvg(dot), opts);
    default:
      throw new UnsupportedFormatError(`unknown render format "${String(format)}"; supported: ${FORMATS.join(', ')}`);
  }
}
