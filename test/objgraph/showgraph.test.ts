import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  edgeLabelSuffix,
  formatG,
  gradient,
  isIdentifier,
  nodeAttrs,
  nodeId,
  quote,
  showGraph,
  SHOW_GRAPH_DEFAULTS,
  type GraphModel,
  type ShowGraphOptions,
} from '../../lib/objgraph/showgraph.js';
import { captureSection, firstDigraph, renumberDotIds } from './dotids.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/objgraph/fixtures/${name}`, import.meta.url), 'utf8');

// ---------------------------------------------------------------------------
// A tiny in-memory heap. Each object lists its neighbours *in the direction of
// the walk* (referents for show_refs, referrers for show_backrefs), each with
// the edge label objgraph would compute for that reference.

type Key = number | string;
interface Obj {
  label: string;
  /** Neighbours in walk order; `[key, suffix]` when the edge has a label. */
  nb?: Array<Key | [Key, string]>;
  module?: boolean;
  del?: boolean;
}

function heap(objs: Record<Key, Obj>, direction: 'refs' | 'backrefs'): GraphModel<Key> {
  const edgeLabels = new Map<string, string>();
  const neighbours = new Map<string, Key[]>();
  for (const [k, o] of Object.entries(objs)) {
    const list: Key[] = [];
    for (const entry of o.nb ?? []) {
      const [to, label] = Array.isArray(entry) ? entry : [entry, ''];
      list.push(to);
      const [referrer, referent] = direction === 'refs' ? [k, String(to)] : [String(to), k];
      const pair = `${referrer}>${referent}`;
      if (!edgeLabels.has(pair)) edgeLabels.set(pair, label);
    }
    neighbours.set(k, list);
  }
  const get = (n: Key) => {
    const o = objs[n];
    if (!o) throw new Error(`object ${n} not in the test heap`);
    return o;
  };
  return {
    key: (n) => n,
    neighbours: (n) => neighbours.get(String(n)) ?? [],
    label: (n) => get(n).label,
    edgeLabel: (a, b) => edgeLabels.get(`${a}>${b}`) ?? '',
    isModule: (n) => get(n).module ?? false,
    hasDel: (n) => get(n).del ?? false,
  };
}

const refs = (o: Partial<ShowGraphOptions<Key>> = {}): ShowGraphOptions<Key> => ({
  ...SHOW_GRAPH_DEFAULTS,
  swapSourceTarget: true,
  ...o,
});
const backrefs = (o: Partial<ShowGraphOptions<Key>> = {}): ShowGraphOptions<Key> => ({
  ...SHOW_GRAPH_DEFAULTS,
  swapSourceTarget: false,
  ...o,
});

function sameDot(actual: string, expected: string) {
  assert.fixture(renumberDotIds(actual), renumberDotIds(expected));
}

const dictKey = (k: string) => edgeLabelSuffix(k, 2);
const attr = (k: string) => edgeLabelSuffix(k, 10);

// ---------------------------------------------------------------------------
const helpers = suite('showgraph helpers');

helpers('formatG matches Python %g', () => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [0.3, '0.3'],
    [0.6, '0.6'],
    [0.825, '0.825'],
    [0.5 + 0.65 * 0.5, '0.825'],
    [1 * (1 - 1 / 3) + 0.3 * (1 / 3), '0.766667'],
    [1 * (1 - 2 / 3) + 0.3 * (2 / 3), '0.533333'],
    [0.475, '0.475'],
    [0.65, '0.65'],
    [100000, '100000'],
    [1000000, '1e+06'],
    [1234565, '1.23456e+06'], // exact tie: Python rounds half to even
    [1234575, '1.23458e+06'],
    [999999.5, '1e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000123456789, '0.000123457'],
    [-2.5, '-2.5'],
    [1e100, '1e+100'],
    [5e-324, '4.94066e-324'],
    [123.456, '123.456'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ];
  for (const [x, s] of cases) assert.is(formatG(x), s, `%g of ${x}`);
});

helpers('gradient interpolates like objgraph, start colour at max_depth 0', () => {
  const vs = [0, 1, 2, 3].map((d) => formatG(gradient([0, 0, 1], [0, 0, 0.3], d, 3)[2]));
  assert.equal(vs, ['1', '0.766667', '0.533333', '0.3']);
  const v4 = [1, 2, 3, 4].map((d) => formatG(gradient([0, 0, 1], [0, 0, 0.3], d, 4)[2]));
  assert.equal(v4, ['0.825', '0.65', '0.475', '0.3']);
  assert.equal(gradient([1, 2, 3], [4, 5, 6], 0, 0), [1, 2, 3]);
});

helpers('quote escapes backslash, quote, newline and NUL as objgraph does', () => {
  // Captured: repr(objgraph._quote('a"b\\c\nd\0e')) == 'a\\"b\\\\c\\nd\\\\0e'
  assert.is(quote('a"b\\c\nd\0e'), 'a\\"b\\\\c\\nd\\\\0e');
  assert.is(quote("str\n'\"'"), "str\\n'\\\"'");
});

helpers('node ids and attributes', () => {
  assert.is(nodeId(139697491882496), 'o139697491882496');
  assert.is(nodeId(-42), 'o_42');
  assert.is(nodeId('-1-2'), 'o_1_2');
  // objgraph's StringRepresentationTest, exact
  assert.is(
    nodeAttrs({ url: 'http://e.com/object', shape: 'diamond', ignored: null }),
    ', shape="diamond", url="http://e.com/object"',
  );
  assert.is(nodeAttrs({ a: 'x"y' }), ', a="x\\"y"');
  assert.is(nodeAttrs({ only: null }), ', ');
  assert.is(nodeAttrs({ b: '1', a: '2', B: '3' }), ', B="3", a="2", b="1"');
});

helpers('edge label suffixes and identifier rule', () => {
  // Captured in out-capture_features.txt, section 10
  assert.is(attr('__self__'), ' [label="__self__",weight=10]');
  assert.is(dictKey('abc'), ' [label="abc",weight=2]');
  assert.is(edgeLabelSuffix("str\n'a b'"), ' [label="str\\n\'a b\'"]');
  assert.is(edgeLabelSuffix('tuple\n2 items'), ' [label="tuple\\n2 items"]');
  assert.ok(isIdentifier('abc'));
  assert.ok(isIdentifier('_x9'));
  assert.ok(isIdentifier('abc\n'));
  assert.not.ok(isIdentifier('abc\n\n'));
  assert.not.ok(isIdentifier('9x'));
  assert.not.ok(isIdentifier('a b'));
  assert.not.ok(isIdentifier('é'));
  assert.not.ok(isIdentifier(''));
});

helpers('renumberDotIds renames ids in order of appearance, not inside quotes', () => {
  assert.is(
    renumberDotIds('  o77 -> o_5;\n  o_5[label="o5 o77"];\n  too_many_o77->o77;\n  o5_has_a_del[x];\n'),
    '  n1 -> n2;\n  n2[label="o5 o77"];\n  too_many_n1->n1;\n  n3_has_a_del[x];\n',
  );
});

helpers.run();

// ---------------------------------------------------------------------------
// objgraph's own ShowGraphTest, with TestObject(name) objects (§3.1).
const unit = suite('showgraph: objgraph ShowGraphTest');

const testObjects = (edges: Record<string, string[]>) => {
  const objs: Record<string, Obj> = {};
  for (const name of ['A', 'B', 'C']) objs[name] = { label: `TestObject\nTestObject(${name})`, nb: edges[name] ?? [] };
  return objs;
};

unit('basic output: one object, no edges', () => {
  const { dot, nodes } = showGraph(['A'], heap(testObjects({}), 'backrefs'), backrefs());
  assert.is(
    dot,
    'digraph ObjectGraph {\n' +
      '  node[shape=box, style=filled, fillcolor=white];\n' +
      '  oA[fontcolor=red];\n' +
      '  oA[label="TestObject\\nTestObject(A)"];\n' +
      '  oA[fillcolor="0,0,1"];\n' +
      '}\n',
  );
  assert.is(nodes, 1);
});

unit('extra node attrs', () => {
  const { dot } = showGraph(['A'], heap(testObjects({}), 'backrefs'), backrefs({ extraNodeAttrs: () => ({ x: 'y' }) }));
  assert.ok(dot.includes('  oA[label="TestObject\\nTestObject(A)", x="y"];\n'));
});

unit('simple chain, backrefs orientation', () => {
  const { dot, nodes } = showGraph(['A'], heap(testObjects({ A: ['B'] }), 'backrefs'), backrefs());
  assert.is(
    dot,
    'digraph ObjectGraph {\n' +
      '  node[shape=box, style=filled, fillcolor=white];\n' +
      '  oA[fontcolor=red];\n' +
      '  oA[label="TestObject\\nTestObject(A)"];\n' +
      '  oA[fillcolor="0,0,1"];\n' +
      '  oB -> oA;\n' +
      '  oB[label="TestObject\\nTestObject(B)"];\n' +
      '  oB[fillcolor="0,0,0.766667"];\n' +
      '}\n',
  );
  assert.is(nodes, 2);
});

unit('cull: B is drawn but not expanded, C never reached', () => {
  const model = heap(testObjects({ A: ['B'], B: ['C'] }), 'backrefs');
  const culled = showGraph(['A'], model, backrefs({ cull: (n) => n === 'B' }));
  const chain = showGraph(['A'], heap(testObjects({ A: ['B'] }), 'backrefs'), backrefs());
  assert.is(culled.dot, chain.dot);
  assert.is(culled.nodes, 2);
});

unit.run();

// ---------------------------------------------------------------------------
// Hand-built heaps reproducing the captured graphs (addresses from the capture).
const captured = suite('showgraph: hand-built captures');

captured('docs quick start: sample-graph.dot (4 nodes, list traversed last to first)', () => {
  const model = heap(
    {
      139697491882496: { label: 'list\n3 items', nb: [139697493831808, 139697493069248, 139697494056320] },
      139697493831808: { label: 'dict\n1 items', nb: [[139697494056320, ' [label="x",weight=2]']] },
      139697493069248: { label: 'list\n1 items', nb: [139697494056320] },
      139697494056320: { label: 'list\n0 items' },
    },
    'refs',
  );
  const { dot, nodes } = showGraph([139697491882496], model, refs());
  assert.is(dot, fixture('sample-graph.dot')); // same addresses: byte for byte, no renaming
  assert.is(nodes, 4);
});

captured('list cycle: edge back to a seen node is still drawn', () => {
  const model = heap(
    {
      140582640560832: { label: 'list\n1 items', nb: [140582638400064] },
      140582638400064: { label: 'list\n1 items', nb: [140582640560832] },
    },
    'refs',
  );
  const expected = firstDigraph(captureSection(fixture('out-capture_cycle.txt'), 'list cycle'));
  assert.is(showGraph([140582640560832], model, refs()).dot, expected);
});

captured('dict cycle with identifier and non-identifier keys, max_depth=2', () => {
  const model = heap(
    {
      140582638437568: {
        label: 'dict\n2 items',
        nb: [
          [140582642744896, edgeLabelSuffix("str\n'not an ident'")],
          140582640331312,
          [140582637976064, edgeLabelSuffix('int\n42')],
          10862536,
        ],
      },
      140582642744896: { label: 'dict\n1 items', nb: [[140582638437568, dictKey('back')]] },
      140582640331312: { label: "str\n'not an ident'" },
      140582637976064: { label: 'list\n1 items', nb: [140582642744896] },
      10862536: { label: 'int\n42' },
    },
    'refs',
  );
  const expected = firstDigraph(captureSection(fixture('out-capture_cycle.txt'), 'dict cycle'));
  // Different addresses on purpose: compare after renaming.
  const shifted = (k: Key) => Number(k) + 1000;
  const moved: GraphModel<Key> = { ...model, key: shifted };
  sameDot(showGraph([140582638437568], moved, refs({ maxDepth: 2 })).dot, expected);
});

const features = fixture('out-capture_features.txt');

// a, b: Node instances with materialised __dict__s; plus objects the filter drops.
const abHeap = (direction: 'refs' | 'backrefs') =>
  direction === 'refs'
    ? heap(
        {
          139695864757136: { label: 'Node\nNode(a)', nb: [[139695864744064, attr('__dict__')], 'typeNode'] },
          139695864744064: {
            label: 'dict\n2 items',
            nb: ['strA', [139695864757200, dictKey('other')]],
          },
          139695864757200: { label: 'Node\nNode(b)', nb: [[139695862797824, attr('__dict__')], 'typeNode'] },
          139695862797824: { label: 'dict\n2 items', nb: ['strB', [139695864757136, dictKey('other')]] },
          strA: { label: "str\n'a'" },
          strB: { label: "str\n'b'" },
          typeNode: { label: 'type\nNode' },
        },
        'refs',
      )
    : heap(
        {
          139695864757136: {
            label: 'Node\nNode(a)',
            nb: ['globals', [139695862797824, dictKey('other')], 'frame'],
          },
          139695862797824: { label: 'dict\n2 items', nb: [[139695864757200, attr('__dict__')]] },
          139695864757200: { label: 'Node\nNode(b)', nb: ['globals', [139695864744064, dictKey('other')]] },
          139695864744064: { label: 'dict\n2 items', nb: [[139695864757136, attr('__dict__')]] },
          globals: { label: 'dict\n30 items' },
          frame: { label: 'frame\nx.py:1' },
        },
        'backrefs',
      );
const onlyAB = (n: Key) => typeof n === 'number';

captured('features 1: show_refs with a filter', () => {
  const expected = firstDigraph(captureSection(features, '1.'));
  const { dot, nodes } = showGraph([139695864757136], abHeap('refs'), refs({ filter: onlyAB }));
  assert.is(dot, expected);
  assert.is(nodes, 4);
});

captured('features 2: show_backrefs with the same filter', () => {
  const expected = firstDigraph(captureSection(features, '2.'));
  assert.is(showGraph([139695864757136], abHeap('backrefs'), backrefs({ filter: onlyAB })).dot, expected);
});

captured('features 3: too_many on show_refs, light red elision node', () => {
  const ints = [10861384, 10861352, 10861320, 10861288, 10861256, 10861224, 10861192];
  const objs: Record<Key, Obj> = { 139695861756928: { label: 'list\n7 items', nb: ints } };
  ints.forEach((k, i) => (objs[k] = { label: `int\n${6 - i}` }));
  const expected = firstDigraph(captureSection(features, '3.'));
  const { dot, nodes } = showGraph([139695861756928], heap(objs, 'refs'), refs({ tooMany: 5 }));
  assert.is(dot, expected);
  assert.is(nodes, 6); // references.txt: "(6 nodes)"
});

captured('features 4: too_many on show_backrefs, ignore does not count, max_depth=1', () => {
  const lists = Array.from({ length: 42 }, (_, i) => 139695800000000 + i);
  lists.splice(0, 4, 139695862434368, 139695861756928, 139695862793472, 139695864452544);
  const objs: Record<Key, Obj> = {
    139695861752560: {
      label: "str\n'moo1'",
      // objgraph's own frame and the `refs_to_moo` comprehension cell are ignored
      nb: ['ownFrame', [139695867031872, dictKey('moo')], 'ownFrame', ...lists],
    },
    139695867031872: { label: 'dict\n22 items', nb: ['module'] },
    ownFrame: { label: 'frame' },
    module: { label: 'module\n__main__', module: true },
  };
  for (const l of lists) objs[l] = { label: 'list\n1 items', nb: ['outer'] };
  const expected = firstDigraph(captureSection(features, '4.'));
  const { dot, nodes } = showGraph(
    [139695861752560],
    heap(objs, 'backrefs'),
    backrefs({ tooMany: 5, maxDepth: 1, ignore: (n) => n === 'ownFrame' }),
  );
  assert.is(dot, expected);
  assert.is(nodes, 6); // references.txt: "(6 nodes)"
});

captured('features 5: highlight, extra info, refcounts, extra node attrs', () => {
  const model = heap(
    {
      139695861789376: { label: 'list [1]\n1 items\nid=9', nb: [139695864757136] },
      139695864757136: { label: 'Node [3]\nNode(a)\nid=7', nb: [[139695864744064, attr('__dict__')], 'typeNode'] },
      139695864744064: { label: 'dict [1]\n2 items\nid=31', nb: ['strA', 139695864757200] },
      typeNode: { label: 'type\nNode' },
    },
    'refs',
  );
  const typeName: Record<Key, string> = { 139695861789376: 'list', 139695864757136: 'Node', 139695864744064: 'dict' };
  const expected = firstDigraph(captureSection(features, '5.'));
  const { dot } = showGraph(
    [139695861789376],
    model,
    refs({
      maxDepth: 2,
      filter: (n) => n === 139695864757136 || n === 139695864744064,
      highlight: (n) => n === 139695864757136,
      extraNodeAttrs: (n) => ({ URL: 'x/' + typeName[n], tooltip: null, shape: 'ellipse' }),
    }),
  );
  assert.is(dot, expected);
});

captured('features 6: __del__ marker, max_depth=0 draws the root only', () => {
  const model = heap({ 139695861790288: { label: 'WithDel\n<__main__.WithDel object at 0x7f0d7a37f6', nb: ['x'], del: true } }, 'refs');
  const expected = firstDigraph(captureSection(features, '6.'));
  const { dot, nodes } = showGraph([139695861790288], model, refs({ maxDepth: 0 }));
  assert.is(dot, expected);
  assert.is(nodes, 1);
});

captured('features 7: a module is green (show_refs does not cull it)', () => {
  const model = heap(
    {
      139695861782336: { label: 'builtins.list\n1 items', nb: [139695864687216] },
      139695864687216: { label: 'builtins.module\ntypes', module: true, nb: ['moduleDict'] },
    },
    'refs',
  );
  const expected = firstDigraph(captureSection(features, '7.'));
  assert.is(showGraph([139695861782336], model, refs({ maxDepth: 1 })).dot, expected);
});

captured('features 8: show_chain backrefs, module culled and green', () => {
  const model = heap(
    {
      139695861790416: { label: 'Node\nNode(probe)', nb: [[139695867031872, dictKey('probe')], 'other'] },
      139695867031872: { label: 'dict\n30 items', nb: [[139695867037312, attr('__dict__')], 'other'] },
      139695867037312: { label: 'module\n__main__', module: true, nb: ['sysModules'] },
    },
    'backrefs',
  );
  const chain = new Set<Key>([139695861790416, 139695867031872, 139695867037312]);
  const expected = firstDigraph(captureSection(features, '8.'));
  // show_chain: max_depth = len(chain) - 1, filter = in_chains
  const { dot } = showGraph([139695861790416], model, backrefs({ maxDepth: 2, filter: (n) => chain.has(n) }));
  assert.is(dot, expected);
});

captured('backrefs-cycle.dot: default show_backrefs, culling, __globals__ edge, 7 nodes', () => {
  const model = heap(
    {
      140715512755152: {
        label: 'Node\n<__main__.Node object at 0x7ffae226f3d0>',
        nb: [[140715515097344, dictKey('a')], [140715510858432, dictKey('other')]],
      },
      140715515097344: {
        label: 'dict\n16 items',
        nb: [[140715515102928, attr('__dict__')], [140715514945408, attr('__globals__')]],
      },
      140715510858432: { label: 'dict\n1 items', nb: [[140715512755280, attr('__dict__')]] },
      140715515102928: { label: 'module\n__main__', module: true, nb: ['sysModules'] },
      140715514945408: { label: 'function\n<function <module> at 0x7ffae2485f80>' },
      140715512755280: {
        label: 'Node\n<__main__.Node object at 0x7ffae226f450>',
        nb: [[140715515097344, dictKey('b')], [140715515097600, dictKey('other')]],
      },
      140715515097600: { label: 'dict\n1 items', nb: [[140715512755152, attr('__dict__')]] },
    },
    'backrefs',
  );
  const { dot, nodes } = showGraph([140715512755152], model, backrefs({ cull: (n) => n === 140715515102928 }));
  assert.is(dot, fixture('backrefs-cycle.dot'));
  assert.is(nodes, 7);
});

captured('duplicate roots are drawn and counted twice', () => {
  const model = heap({ 1: { label: 'list\n1 items', nb: [2] }, 2: { label: 'int\n5' } }, 'refs');
  const { dot, nodes } = showGraph([1, 1], model, refs());
  assert.is(nodes, 3);
  assert.is(dot.split('  o1[fontcolor=red];\n').length - 1, 2);
  assert.is(dot.split('  o1[label="list\\n1 items"];\n').length - 1, 2);
  assert.is(dot.split('  o1 -> o2;\n').length - 1, 2);
  assert.is(dot.split('  o2[label=').length - 1, 1);
  // [x, x]: two identical edges
  const twice = heap({ 1: { label: 'list\n2 items', nb: [2, 2] }, 2: { label: 'int\n5' } }, 'refs');
  assert.is(showGraph([1], twice, refs()).dot.split('  o1 -> o2;\n').length - 1, 2);
});

captured('negative ids and hostile labels are quoted', () => {
  const model = heap({ '-7': { label: 'str\n\'a"b\\c\0\'' } }, 'refs');
  const { dot } = showGraph(['-7'], model, refs());
  assert.ok(dot.includes('  o_7[label="str\\n\'a\\"b\\\\c\\\\0\'"];\n'));
});

captured.run();

// ---------------------------------------------------------------------------
// Every captured DOT block, replayed from a heap derived from the capture
// itself (nodes, edges in order, labels, module/__del__/highlight marks, elided
// counts), plus "ghost" neighbours on nodes that must not be expanded.
const replay = suite('showgraph: replay every captured DOT block');

interface Capture {
  dot: string;
  opts: Partial<ShowGraphOptions<Key>>;
  direction: 'refs' | 'backrefs';
  cullModules?: boolean;
  nodes?: number;
}

function unquote(s: string): string {
  return s.replace(/\\\\0|\\\\|\\"|\\n/g, (m) => ({ '\\\\0': '\0', '\\\\': '\\', '\\"': '"', '\\n': '\n' })[m]!);
}

function replayCapture(c: Capture): { dot: string; nodes: number } {
  const labels = new Map<string, string>();
  const extra = new Map<string, Record<string, string>>();
  const nb = new Map<string, Array<[string, string]>>();
  const modules = new Set<string>();
  const highlighted = new Set<string>();
  const dels = new Set<string>();
  const skipped = new Map<string, number>();
  const roots: string[] = [];
  for (const line of c.dot.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}(o\d+)\[fontcolor=red\];$/.exec(line))) roots.push(m[1]!);
    else if ((m = /^ {2}(o\d+)\[label="((?:[^"\\]|\\.)*)"(.*)\];$/.exec(line))) {
      labels.set(m[1]!, unquote(m[2]!));
      if (m[3]) extra.set(m[1]!, Object.fromEntries([...m[3].matchAll(/, (\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
    } else if ((m = /^ {2}(o\d+)\[fillcolor="([^"]*)"\];$/.exec(line))) {
      if (m[2]!.startsWith('0.3,1,')) modules.add(m[1]!);
      if (m[2]!.startsWith('0.6,0.6,')) highlighted.add(m[1]!);
    } else if ((m = /^ {2}(o\d+) -> (o\d+)(.*);$/.exec(line))) {
      const [from, to] = c.direction === 'refs' ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
      if (!nb.has(from)) nb.set(from, []);
      nb.get(from)!.push([to, m[3]!]);
    } else if ((m = /^ {2}(o\d+)->o\d+_has_a_del/.exec(line))) dels.add(m[1]!);
    else if ((m = /^ {2}too_many_(o\d+)\[label="(\d+) more/.exec(line))) skipped.set(m[1]!, Number(m[2]));
  }
  // BFS depths over the captured edges decide which nodes must stay unexpanded.
  const maxDepth = c.opts.maxDepth ?? SHOW_GRAPH_DEFAULTS.maxDepth;
  const depth = new Map(roots.map((r) => [r, 0]));
  const order = [...roots];
  for (let i = 0; i < order.length; i++) {
    for (const [to] of nb.get(order[i]!) ?? []) {
      if (!depth.has(to)) {
        depth.set(to, depth.get(order[i]!)! + 1);
        order.push(to);
      }
    }
  }
  const objs: Record<Key, Obj> = {};
  for (const [id, label] of labels) {
    const list: Array<Key | [Key, string]> = (nb.get(id) ?? []).map(([to, l]) => [to.slice(1), l] as [Key, string]);
    for (let i = 0; i < (skipped.get(id) ?? 0); i++) list.push(`elided${id}_${i}`);
    const unexpanded = depth.get(id)! >= maxDepth || (c.cullModules && modules.has(id));
    if (unexpanded) list.push('ghost');
    objs[id.slice(1)] = { label, nb: list, module: modules.has(id), del: dels.has(id) };
  }
  objs['ghost'] = { label: 'must not be drawn' };
  for (const [id, k] of skipped) for (let i = 0; i < k; i++) objs[`elided${id}_${i}`] = { label: 'elided' };
  const opts: ShowGraphOptions<Key> = {
    ...(c.direction === 'refs' ? refs(c.opts) : backrefs(c.opts)),
    ...(highlighted.size ? { highlight: (n: Key) => highlighted.has(`o${n}`) } : {}),
    ...(extra.size ? { extraNodeAttrs: (n: Key) => extra.get(`o${n}`) ?? {} } : {}),
    ...(c.cullModules ? { cull: (n: Key) => modules.has(`o${n}`) } : {}),
  };
  return showGraph(
    roots.map((r) => r.slice(1)),
    heap(objs, c.direction),
    opts,
  );
}

const cycleCapture = fixture('out-capture_cycle.txt');
const captures: Record<string, Capture> = {
  'sample-graph.dot': { dot: fixture('sample-graph.dot'), opts: {}, direction: 'refs', nodes: 4 },
  'cycle-refs.dot': { dot: fixture('cycle-refs.dot'), opts: { maxDepth: 4 }, direction: 'refs', nodes: 27 },
  'backrefs-cycle.dot': { dot: fixture('backrefs-cycle.dot'), opts: {}, direction: 'backrefs', cullModules: true, nodes: 7 },
  'cycle: show_refs([a], max_depth=4)': {
    dot: firstDigraph(captureSection(cycleCapture, 'show_refs([a], max_depth=4, output')),
    opts: { maxDepth: 4 },
    direction: 'refs',
  },
  'cycle: list cycle': { dot: firstDigraph(captureSection(cycleCapture, 'list cycle')), opts: {}, direction: 'refs' },
  'cycle: dict cycle': {
    dot: firstDigraph(captureSection(cycleCapture, 'dict cycle')),
    opts: { maxDepth: 2 },
    direction: 'refs',
  },
  'features 1': { dot: firstDigraph(captureSection(features, '1.')), opts: {}, direction: 'refs' },
  'features 2': { dot: firstDigraph(captureSection(features, '2.')), opts: {}, direction: 'backrefs' },
  'features 3': { dot: firstDigraph(captureSection(features, '3.')), opts: { tooMany: 5 }, direction: 'refs', nodes: 6 },
  'features 4': {
    dot: firstDigraph(captureSection(features, '4.')),
    opts: { tooMany: 5, maxDepth: 1 },
    direction: 'backrefs',
    nodes: 6,
  },
  'features 5': { dot: firstDigraph(captureSection(features, '5.')), opts: { maxDepth: 2 }, direction: 'refs' },
  'features 6': { dot: firstDigraph(captureSection(features, '6.')), opts: { maxDepth: 0 }, direction: 'refs' },
  'features 7': { dot: firstDigraph(captureSection(features, '7.')), opts: { maxDepth: 1 }, direction: 'refs' },
  'features 8': {
    dot: firstDigraph(captureSection(features, '8.')),
    opts: { maxDepth: 2 },
    direction: 'backrefs',
    cullModules: true,
  },
  'features 9': { dot: firstDigraph(captureSection(features, '9.')), opts: {}, direction: 'refs', nodes: 4 },
};

for (const [name, c] of Object.entries(captures)) {
  replay(name, () => {
    const { dot, nodes } = replayCapture(c);
    sameDot(dot, c.dot);
    assert.is(dot, c.dot); // same addresses as captured, so also byte for byte
    if (c.nodes !== undefined) assert.is(nodes, c.nodes);
  });
}

replay.run();
