/**
 * SVG → PNG with resvg compiled to WebAssembly (`@resvg/resvg-wasm`): no
 * native binaries, no system libraries, the same pixels on every machine.
 *
 * Fonts. resvg-wasm sees no system fonts, so text would silently vanish
 * without help. We ship the font through npm: Tinos (`@fontsource/tinos`,
 * SIL OFL), which is metric-compatible with Times New Roman. That matters
 * because Graphviz sizes every node box from its built-in Times metrics
 * (`font-family="Times,serif"` is its default); with a Times-metric font the
 * text fills the boxes exactly as `dot -Tpng` draws it. All regular-weight
 * subsets are loaded (Latin, Latin Extended, Greek, Cyrillic, Hebrew,
 * Vietnamese); resvg falls back across them glyph by glyph. Characters
 * outside them (CJK, emoji) are not drawn. Every generic family (serif,
 * sans-serif, monospace, …) maps to Tinos, so a user-chosen `fontname` still
 * renders, in Tinos.
 *
 * The wasm (about 2.5 MB) and the fonts are read from node_modules on the
 * first call and kept for the life of the process; `initWasm` may run only
 * once per process, which the cached promise guarantees.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff.js';

type ResvgModule = typeof import('@resvg/resvg-wasm');

const require = createRequire(import.meta.url);

/** The font family every text falls back to. */
export const RASTER_FONT_FAMILY = 'Tinos';
const FONT_SUBSETS = ['latin', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext', 'hebrew', 'vietnamese'];

interface Rasterizer {
  resvg: ResvgModule;
  fonts: Uint8Array[];
}

let rasterizerLoad: Promise<Rasterizer> | undefined;

function loadRasterizer(): Promise<Rasterizer> {
  rasterizerLoad ??= (async () => {
    const resvg = await import('@resvg/resvg-wasm');
    const [wasm, fonts] = await Promise.all([
      readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
      Promise.all(
        FONT_SUBSETS.map(async (subset) => {
          const woff = await readFile(require.resolve(`@fontsource/tinos/files/tinos-${subset}-400-normal.woff`));
          return woffToSfnt(woff);
        }),
      ),
    ]);
    await resvg.initWasm(wasm);
    return { resvg, fonts };
  })().catch((err: unknown) => {
    rasterizerLoad = undefined;
    throw err;
  });
  return rasterizerLoad;
}

/** Options for {@link svgToPng}. */
export interface PngOptions {
  /** Zoom factor; 1 (the default) gives 96 dpi, the size `dot -Tpng` gives. */
  scale?: number;
  /** Background behind transparent areas; Graphviz already paints the graph white. Default white. */
  background?: string;
}

/**
 * Rasterises an SVG document to PNG bytes.
 *
 * @example
 * ```ts
 * const png = await svgToPng(await dotToSvg('digraph { a -> b; }'));
 * png.subarray(0, 8); // 89 50 4e 47 0d 0a 1a 0a
 * ```
 */
export async function svgToPng(svg: string, opts: PngOptions = {}): Promise<Uint8Array> {
  const { resvg, fonts } = await loadRasterizer();
  const scale = opts.scale ?? 1;
  const renderer = new resvg.Resvg(svg, {
    font: {
      fontBuffers: fonts,
      defaultFontFamily: RASTER_FONT_FAMILY,
      serifFamily: RASTER_FONT_FAMILY,
      sansSerifFamily: RASTER_FONT_FAMILY,
      monospaceFamily: RASTER_FONT_FAMILY,
      cursiveFamily: RASTER_FONT_FAMILY,
      fantasyFamily: RASTER_FONT_FAMILY,
    },
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    background: opts.background ?? 'white',
  });
  try {
    const image = renderer.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
