// The snapshot GraphModel adapter drives objgraph's DOT writer to the exact
// text objgraph printed for the same heap (captures in test/objgraph/fixtures).
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { edgeLabelSuffix, showGraph, SHOW_GRAPH_DEFAULTS, snapshotGraphModel } from '../../lib/index.js';
import { buildHeap } from './heap.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/objgraph/fixtures/${name}`, import.meta.url), 'utf8');

const Graph = suite('snapshot graph model');

Graph('show_refs of the docs quick start: y = [x, [x], dict(x=x)]', () => {
  const { snap, ix } = buildHeap(
    [
      // CPython's list traverse visits the last element first.
      { id: 'y', address: 139697491882496, serial: 1, type: 'list', label: '3 items', refs: [['d'], ['inner'], ['x']] },
      { id: 'd', address: 139697493831808, serial: 2, type: 'dict', label: '1 items', refs: [['x', { kind: 'key', name: 'x' }]] },
      { id: 'inner', address: 139697493069248, serial: 3, type: 'list', label: '1 items', refs: [['x']] },
      { id: 'x', address: 139697494056320, serial: 4, type: 'list', label: '0 items' },
    ],
    {},
  );
  const model = snapshotGraphModel(snap, { direction: 'referents', edgeSuffix: edgeLabelSuffix });
  const { dot, nodes } = showGraph([ix.y], model, { ...SHOW_GRAPH_DEFAULTS, swapSourceTarget: true });
  assert.is(nodes, 4);
  assert.fixture(dot, fixture('sample-graph.dot'));
});

Graph('show_backrefs of a module-level __dict__ cycle: labels, culling, module colour', () => {
  const DICT = { kind: '__dict__' } as const;
  const key = (name: string) => ({ kind: 'key', name }) as const;
  const node = (addr: number) => `<__main__.Node object at 0x${addr.toString(16)}>`;
  const { snap, ix } = buildHeap(
    [
      { id: 'module', address: 140715515102928, serial: 1, type: 'module', label: '__main__', module: '__main__', refs: [['globals', DICT]] },
      { id: 'func', address: 140715514945408, serial: 2, type: 'function', label: '<function <module> at 0x7ffae2485f80>', refs: [['globals', { kind: '__globals__' }]] },
      { id: 'globals', address: 140715515097344, serial: 3, type: 'dict', label: '16 items', refs: [['a', key('a')], ['b', key('b')]] },
      { id: 'dictB', address: 140715510858432, serial: 4, type: 'dict', label: '1 items', refs: [['a', key('other')]] },
      { id: 'dictA', address: 140715515097600, serial: 5, type: 'dict', label: '1 items', refs: [['b', key('other')]] },
      { id: 'a', address: 140715512755152, serial: 6, type: 'Node', label: node(0x7ffae226f3d0), refs: [['dictA', DICT]] },
      { id: 'b', address: 140715512755280, serial: 7, type: 'Node', label: node(0x7ffae226f450), refs: [['dictB', DICT]] },
    ],
    { __main__: 'module' },
  );
  const model = snapshotGraphModel(snap, { direction: 'referrers', edgeSuffix: edgeLabelSuffix });
  const { dot, nodes } = showGraph([ix.a], model, {
    ...SHOW_GRAPH_DEFAULTS,
    swapSourceTarget: false,
    cull: (i) => snap.isProperModule(i),
  });
  assert.fixture(dot, fixture('backrefs-cycle.dot'));
  assert.is(nodes, 7);
});

Graph('labels, __del__ marker and untracked referrers', () => {
  const { snap, ix } = buildHeap(
    [
      { id: 'tup', address: 1, serial: 1, type: 'tuple', gen: null, label: '1 items', refs: [['s']] },
      { id: 'lst', address: 2, serial: 2, type: 'list', label: '1 items', refs: [['s']] },
      { id: 's', address: 3, serial: 3, type: 'Res', finalizer: true, label: 'Res()' },
    ],
    {},
  );
  const model = snapshotGraphModel(snap, { direction: 'referrers', edgeSuffix: edgeLabelSuffix, shortnames: false });
  assert.equal([...model.neighbours(ix.s)], [ix.lst]);
  assert.equal([...snapshotGraphModel(snap, { direction: 'referrers', edgeSuffix: edgeLabelSuffix, includeUntracked: true }).neighbours(ix.s)], [ix.tup, ix.lst]);
  assert.is(model.label(ix.s), '__main__.Res\nRes()');
  assert.is(model.hasDel(ix.s), true);
  assert.is(model.hasDel(ix.lst), false);
  assert.is(model.key(ix.s), 3);
  assert.is(model.edgeLabel(ix.lst, ix.s), '');
});

Graph.run();
