import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { showGraph, SHOW_GRAPH_DEFAULTS, type GraphModel } from '../../lib/objgraph/showgraph.js';
import { DotSyntaxError, xmlSafe } from '../../lib/render/graphviz.js';
import { svgToPng } from '../../lib/render/raster.js';
import { formatFromFilename, renderDot, UnsupportedFormatError } from '../../lib/render/render.js';
import { isWoff, woffToSfnt } from '../../lib/render/woff.js';

const sampleDot = readFileSync(new URL('../../../test/objgraph/fixtures/sample-graph.dot', import.meta.url), 'utf8');

const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.is(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
  return [view.getUint32(16), view.getUint32(20)];
}
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A one-node objgraph graph whose label is `text`. */
function oneNode(text: string): string {
  const model: GraphModel<number> = { key: (n) => n, neighbours: () => [], label: () => text, edgeLabel: () => '' };
  return showGraph([1], model, { ...SHOW_GRAPH_DEFAULTS, swapSourceTarget: true }).dot;
}

// ---------------------------------------------------------------------------
const formats = suite('render: formatFromFilename');

formats('known extensions, case-insensitive, with directories', () => {
  assert.is(formatFromFilename('graph.dot'), 'dot');
  assert.is(formatFromFilename('out/graph.svg'), 'svg');
  assert.is(formatFromFilename('a.b/leak.PNG'), 'png');
});

formats('unsupported extensions name the supported ones', () => {
  for (const name of ['graph.pdf', 'graph.xdot', 'graph', 'dir.png/graph', '.png']) {
    try {
      formatFromFilename(name);
      assert.unreachable(`${name} should be rejected`);
    } catch (err) {
      assert.instance(err, UnsupportedFormatError);
      const msg = (err as Error).message;
      assert.ok(msg.includes(`"${name}"`), msg);
      assert.ok(msg.includes('.dot, .svg, .png'), msg);
    }
  }
  assert.throws(() => formatFromFilename('graph.pdf'), /extension "\.pdf"/);
});

formats.run();

// ---------------------------------------------------------------------------
const svg = suite('render: DOT to SVG');

svg('dot format returns the text unchanged', async () => {
  assert.is(await renderDot(sampleDot, 'dot'), sampleDot);
});

svg('sample graph: one <g class="node"> per node, labels present', async () => {
  const out = await renderDot(sampleDot, 'svg');
  assert.ok(out.includes('<svg'));
  assert.is(count(out, /<g id="node\d+" class="node">/g), 4);
  assert.is(count(out, /<g id="edge\d+" class="edge">/g), 5);
  for (const text of ['>list<', '>3 items<', '>dict<', '>1 items<', '>0 items<', '>x<']) assert.ok(out.includes(text), text);
  assert.ok(out.includes('fill="red"'), 'root text is red');
  assert.ok(out.includes('fill="#c3c3c3"'), 'depth-1 fill is objgraph grey 0,0,0.766667');
});

svg('hostile labels and attributes come out escaped', async () => {
  const hostile = '</svg><script>alert(1)</script>&"\'';
  const dot = oneNode(`str\n${hostile}`).replace('"];', `", tooltip="${hostile.replaceAll('"', '\\"')}"];`);
  const out = await renderDot(dot, 'svg');
  assert.not.ok(/<script/i.test(out), 'no live <script>');
  assert.is(count(out, /<\/svg>/g), 1, 'only the document closes the svg');
  assert.ok(out.includes('&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;'), 'label text escaped');
  assert.ok(out.includes('xlink:title="&lt;/svg&gt;&lt;script&gt;'), 'tooltip escaped');
});

svg('every character 0..255 in labels (objgraph quoting.txt) gives well-formed SVG and a PNG', async () => {
  // A dict {chr(i): i}: one root, 256 children whose labels hold each raw character.
  const model: GraphModel<number> = {
    key: (n) => n,
    neighbours: (n) => (n < 0 ? Array.from({ length: 256 }, (_, i) => i) : []),
    label: (n) => (n < 0 ? 'dict\n256 items' : `str\n${String.fromCharCode(n)}\ud800`),
    edgeLabel: () => '',
  };
  const { dot } = showGraph([-1], model, { maxDepth: 1, tooMany: 600, swapSourceTarget: true });
  const out = await renderDot(dot, 'svg');
  assert.is(count(out, /class="node"/g), 257);
  assert.not.ok(/[\0-\x08\x0B\x0C\x0E-\x1F]/.test(out), 'no C0 control characters');
  assert.not.ok(/[\uD800-\uDFFF]/.test(out), 'no lone surrogates');
  assert.ok(out.includes('\uFFFD'));
  const png = await renderDot(dot, 'png', { scale: 0.05 }); // resvg parses it; a small bitmap keeps the test fast
  assert.equal([...png.subarray(0, 8)], PNG_SIGNATURE);
});

svg('xmlSafe keeps tab, newline, CR and paired surrogates', () => {
  assert.is(xmlSafe('a\tb\nc\rd\u{1F600}\x01\uFFFF\udc00'), 'a\tb\nc\rd\u{1F600}\uFFFD\uFFFD\uFFFD');
});

svg('bad DOT is a DotSyntaxError naming the problem', async () => {
  try {
    await renderDot('digraph { a -> ; }', 'svg');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, DotSyntaxError);
    assert.match((err as Error).message, /syntax error/);
  }
  // The engine is still usable afterwards.
  assert.ok((await renderDot(sampleDot, 'svg')).includes('class="node"'));
});

svg('a ~100-node objgraph graph lays out', async () => {
  // A list of 33 dicts, each holding two small lists: 100 objects, depth 2.
  const kids = (n: number) => (n === 0 ? Array.from({ length: 33 }, (_, i) => 1 + i) : n <= 33 ? [100 + 2 * n, 101 + 2 * n] : []);
  const model: GraphModel<number> = {
    key: (n) => n,
    neighbours: kids,
    label: (n) => (n === 0 ? 'list\n33 items' : n <= 33 ? 'dict\n2 items' : 'list\n0 items'),
    edgeLabel: (a, b) => (a > 0 && a <= 33 ? ` [label="${b % 2 ? 'right' : 'left'}",weight=2]` : ''),
  };
  const { dot, nodes } = showGraph([0], model, { maxDepth: 2, tooMany: 40, swapSourceTarget: true });
  assert.is(nodes, 100);
  const out = await renderDot(dot, 'svg');
  assert.is(count(out, /class="node"/g), 100);
});

svg.run();

// ---------------------------------------------------------------------------
const png = suite('render: SVG to PNG');

png('sample graph: PNG signature and the size dot -Tpng would give (96 dpi)', async () => {
  const out = await renderDot(sampleDot, 'png');
  assert.instance(out, Uint8Array);
  assert.equal([...out.subarray(0, 8)], PNG_SIGNATURE);
  const [w, h] = pngSize(out);
  const svgText = await renderDot(sampleDot, 'svg');
  const [, wPt, hPt] = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svgText)!;
  assert.ok(Math.abs(w - (Number(wPt) * 96) / 72) <= 1, `width ${w} for ${wPt}pt`);
  assert.ok(Math.abs(h - (Number(hPt) * 96) / 72) <= 1, `height ${h} for ${hPt}pt`);
  assert.ok(w > 100 && w < 400 && h > 150 && h < 500, `${w}x${h}`);
});

png('scale zooms the bitmap', async () => {
  const [w1, h1] = pngSize(await renderDot(sampleDot, 'png'));
  const [w2, h2] = pngSize(await renderDot(sampleDot, 'png', { scale: 2 }));
  assert.ok(Math.abs(w2 - 2 * w1) <= 2 && Math.abs(h2 - 2 * h1) <= 2, `${w1}x${h1} -> ${w2}x${h2}`);
});

png('text is actually drawn (a font is loaded), also Greek and Cyrillic', async () => {
  const page = (text: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="30" font-family="Times,serif" font-size="20">${text}</text></svg>`;
  const blank = await svgToPng(page(''));
  for (const text of ['list', 'Ωμέγα', 'Привет']) {
    const drawn = await svgToPng(page(text));
    assert.not.equal([...drawn], [...blank], `"${text}" rendered nothing`);
  }
  // A family we don't ship still falls back to the shipped font.
  const sans = await svgToPng(page('').replace('Times,serif', 'Helvetica,sans-Serif').replace('></text>', '>list</text>'));
  assert.not.equal([...sans], [...blank]);
});

png.run();

// ---------------------------------------------------------------------------
const woff = suite('render: WOFF to sfnt');

woff('unwraps the shipped Tinos font into a TrueType file', () => {
  const require = createRequire(import.meta.url);
  const src = readFileSync(require.resolve('@fontsource/tinos/files/tinos-latin-400-normal.woff'));
  assert.ok(isWoff(src));
  const ttf = woffToSfnt(src);
  const view = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  assert.is(view.getUint32(0), 0x00010000, 'TrueType flavour');
  const numTables = view.getUint16(4);
  assert.is(numTables, new DataView(src.buffer, src.byteOffset).getUint16(12));
  const tags: string[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 12 + 16 * i;
    tags.push(String.fromCharCode(...ttf.subarray(at, at + 4)));
    const offset = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    assert.is(offset % 4, 0, 'tables are 4-byte aligned');
    assert.ok(offset + length <= ttf.byteLength);
  }
  for (const tag of ['cmap', 'glyf', 'head', 'hmtx', 'loca']) assert.ok(tags.includes(tag), tag);
  assert.equal([...tags].sort(), tags, 'directory sorted by tag');
});

woff('rejects other data', () => {
  assert.not.ok(isWoff(new Uint8Array([0, 1, 0, 0])));
  assert.throws(() => woffToSfnt(new Uint8Array(64)), /not a WOFF/);
});

woff.run();
