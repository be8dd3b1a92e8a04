import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  describeChain,
  diff,
  findBackrefChain,
  findRefChain,
  formatChain,
  formatDiff,
  formatGrowth,
  formatMostCommonTypes,
  growth,
  growthFromPeaks,
  mostCommonTypes,
  sameObject,
  typestats,
} from '../../lib/index.js';
import { buildHeap, step1, step2 } from './heap.js';

const Stats = suite('typestats and most common types');

Stats('typestats: tracked objects, first-seen order', () => {
  const { snap } = step1();
  assert.equal([...typestats(snap)], [['module', 3], ['function', 1], ['dict', 6], ['list', 1], ['Session', 2], ['Temp', 1]]);
  assert.equal([...typestats(snap, { shortnames: false })].slice(0, 2), [['builtins.module', 3], ['builtins.function', 1]]);
  assert.equal(typestats(snap, { filter: (s, i) => s.objects.size[i] > 104 }).get('dict'), 3);
});

Stats('most common: stable sort, ties in first-seen order, objgraph text', () => {
  const { snap } = step1();
  assert.equal(mostCommonTypes(snap), [['dict', 6], ['module', 3], ['Session', 2], ['function', 1], ['list', 1], ['Temp', 1]]);
  assert.is(formatMostCommonTypes(mostCommonTypes(snap, { limit: 3 })), 'dict    6\nmodule  3\nSession 2\n');
});

Stats('limit 0 means all; allObjects adds untracked objects', () => {
  const { snap } = step1();
  const all = mostCommonTypes(snap, { limit: 0, allObjects: true });
  assert.equal(all.slice(6), [['str', 1], ['int', 1], ['tuple', 1]]);
  assert.is(mostCommonTypes(snap, { limit: 0 }).length, 6);
});

Stats('the objgraph doc example', () => {
  assert.is(
    formatMostCommonTypes([['list', 3], ['dict', 2], ['MyBigFatObject', 2], ['tuple', 1]]),
    'list           3\ndict           2\nMyBigFatObject 2\ntuple          1\n',
  );
  assert.is(formatMostCommonTypes([]), '');
});

Stats.run();

const Growth = suite('growth');

Growth('objgraph growth between two snapshots', () => {
  assert.equal(growth(step1().snap, step2().snap), [['Session', 3, 1]]);
  assert.equal(growth(step2().snap, step1().snap), [['module', 3, 1]]);
});

Growth('peaks never go down (objgraph issue #48)', () => {
  const peaks = new Map<string, number>();
  assert.equal(growthFromPeaks(peaks, new Map([['a', 5], ['b', 1]])), [['a', 5, 5], ['b', 1, 1]]);
  assert.equal(growthFromPeaks(peaks, new Map([['a', 2], ['b', 3]])), [['b', 3, 2]]);
  assert.equal(growthFromPeaks(peaks, new Map([['a', 4], ['b', 3]])), [], 'a regrew under its peak');
  assert.equal(growthFromPeaks(new Map(), new Map([['x', 1], ['y', 3], ['z', 1]]), 2), [['y', 3, 3], ['x', 1, 1]]);
});

Growth('show_growth text', () => {
  assert.is(formatGrowth([['dict', 1422, 2], ['MyBigFatObject', 4, 2]]), 'dict               1422        +2\nMyBigFatObject        4        +2\n');
  assert.is(formatGrowth([]), '');
});

Growth.run();

const Diff = suite('diff');

Diff('per type counts, bytes, appeared and disappeared; reused address told apart by serial', () => {
  const a = step1();
  const b = step2();
  const d = diff(a.snap, b.snap);
  const row = (name: string) => d.types.find((r) => r.name === name);
  assert.equal(row('Session'), { name: 'Session', oldCount: 2, newCount: 3, oldBytes: 96, newBytes: 144, appeared: 2, appearedBytes: 96, disappeared: 1, disappearedBytes: 48 });
  assert.equal(row('Temp'), { name: 'Temp', oldCount: 1, newCount: 1, oldBytes: 48, newBytes: 48, appeared: 1, appearedBytes: 48, disappeared: 1, disappearedBytes: 48 });
  assert.is(sameObject(a.snap, a.ix.temp, b.snap, b.ix.temp), false);
  assert.is(sameObject(a.snap, a.ix.A, b.snap, b.ix.A), true);
  assert.equal(d.types.map((r) => r.name), ['Session', 'list', 'dict', 'Temp', 'module']);
  assert.equal(d.appeared, [b.ix.C, b.ix.dictC, b.ix.D, b.ix.dictD, b.ix.temp]);
  assert.equal(d.disappeared, [a.ix.B, a.ix.dictB, a.ix.temp, a.ix.fake, a.ix.fakedict]);
  assert.is(d.types.some((r) => r.name === 'function'), false, 'unchanged types are left out');
});

Diff('count change = appeared - disappeared, for every type and the total', () => {
  const d = diff(step1().snap, step2().snap, { allObjects: true });
  for (const r of [...d.types, d.total]) assert.is(r.newCount - r.oldCount, r.appeared - r.disappeared, r.name);
});

Diff('an object that became tracked appears to objgraph, and only with tracked-only counting', () => {
  const spec = (gen: 0 | null) => buildHeap([{ id: 'd', address: 1, serial: 1, type: 'dict', gen }], {});
  const d = diff(spec(null).snap, spec(0).snap);
  assert.equal(d.types.map((r) => [r.name, r.oldCount, r.newCount, r.appeared]), [['dict', 0, 1, 1]]);
  assert.equal(diff(spec(null).snap, spec(0).snap, { allObjects: true }).types, []);
  assert.equal(diff(spec(0).snap, spec(0).snap).types, []);
});

Diff('aligned table', () => {
  const text = formatDiff(diff(step1().snap, step2().snap), 3);
  assert.fixture(
    text,
    [
      'type     old  new  change  old bytes  new bytes  change  appeared  disappeared',
      'Session    2    3      +1         96        144     +48         2            1',
      'list       1    1      +0         64         80     +16         0            0',
      'dict       6    6      +0       1136       1136      +0         2            2',
      '-------  ---  ---  ------  ---------  ---------  ------  --------  -----------',
      'total     14   14      +0       1696       1688      -8         5            5',
      '(2 more changed types; --limit 0 shows all)',
      '',
    ].join('\n'),
  );
  assert.is(formatDiff(diff(step1().snap, step1().snap)), 'No type changed in count, bytes or identity.\n');
});

Diff.run();

const Chains = suite('chains');

Chains('shortest back-reference chain from a proper module, through a cycle', () => {
  const { snap, ix } = step1();
  const chain = findBackrefChain(snap, ix.B);
  assert.equal(chain, [ix.main, ix.globals, ix.registry, ix.sessions, ix.A, ix.dictA, ix.B]);
  assert.fixture(
    formatChain(snap, findBackrefChain(snap, ix.A)),
    [
      'module 0x1000 (__main__)',
      '  -[__dict__]-> dict 0x2000 (3 items)',
      '  -[registry]-> dict 0x3000 (1 items)',
      '  -[sessions]-> list 0x4000 (1 items)',
      '  -> Session 0x5000 (<__main__.Session object at 0x5000>)',
      '',
    ].join('\n'),
  );
});

Chains('a module outside sys.modules is not a root; a predicate can make it one', () => {
  const { snap, ix } = step1();
  assert.is(findBackrefChain(snap, ix.A)[0], ix.main);
  assert.equal(findBackrefChain(snap, ix.A, (s, i) => s.isModule(i)), [ix.fake, ix.fakedict, ix.A]);
});

Chains('ties go to the referrer met first in the heap walk', () => {
  const specs = (first: 'm1' | 'm2') => {
    const mods = [
      { id: 'm1', address: 0x10, serial: 1, type: 'module', module: 'm1', refs: [['d1', { kind: '__dict__' as const }]] as Array<[string, { kind: '__dict__' }]> },
      { id: 'm2', address: 0x20, serial: 2, type: 'module', module: 'm2', refs: [['d2', { kind: '__dict__' as const }]] as Array<[string, { kind: '__dict__' }]> },
    ];
    const dicts = [
      { id: 'd1', address: 0x30, serial: 3, type: 'dict', refs: [['x', { kind: 'key' as const, name: 'x' }]] as Array<[string, { kind: 'key'; name: string }]> },
      { id: 'd2', address: 0x40, serial: 4, type: 'dict', refs: [['x', { kind: 'key' as const, name: 'y' }]] as Array<[string, { kind: 'key'; name: string }]> },
    ];
    if (first === 'm2') dicts.reverse();
    return buildHeap([...mods, ...dicts, { id: 'x', address: 0x50, serial: 5, type: 'Thing' }], { m1: 'm1', m2: 'm2' });
  };
  const a = specs('m1');
  assert.equal(findBackrefChain(a.snap, a.ix.x), [a.ix.m1, a.ix.d1, a.ix.x]);
  const b = specs('m2');
  assert.equal(findBackrefChain(b.snap, b.ix.x), [b.ix.m2, b.ix.d2, b.ix.x]);
});

Chains('not found within max depth: [obj]; a matching start: [obj]', () => {
  const { snap, ix } = step1();
  assert.equal(findBackrefChain(snap, ix.A, undefined, 3), [ix.A]);
  assert.equal(findBackrefChain(snap, ix.A, undefined, 4), [ix.main, ix.globals, ix.registry, ix.sessions, ix.A]);
  assert.equal(findBackrefChain(snap, ix.main), [ix.main]);
  assert.equal(findBackrefChain(snap, ix.A, undefined, 20, { extraIgnore: [ix.sessions, ix.fakedict] }), [ix.A], 'only the cycle is left');
});

Chains('untracked referrers are skipped, as gc.get_referrers skips them', () => {
  const { snap, ix } = step1();
  assert.equal(findBackrefChain(snap, ix.int42), [ix.main, ix.globals, ix.int42]);
  const t = buildHeap(
    [
      { id: 'm', address: 1, serial: 1, type: 'module', module: 'm', refs: [['tup']] },
      { id: 'tup', address: 2, serial: 2, type: 'tuple', gen: null, refs: [['s']] },
      { id: 's', address: 3, serial: 3, type: 'str', gen: null },
    ],
    { m: 'm' },
  );
  assert.equal(findBackrefChain(t.snap, t.ix.s), [t.ix.s]);
  assert.equal(findBackrefChain(t.snap, t.ix.s, undefined, 20, { includeUntracked: true }), [t.ix.m, t.ix.tup, t.ix.s]);
});

Chains('forward chain: [obj, ..., match], referents order', () => {
  const { snap, ix } = step1();
  const isSession = (s: typeof snap, i: number) => s.typeOf(i).short === 'Session';
  assert.equal(findRefChain(snap, ix.main, isSession), [ix.main, ix.globals, ix.registry, ix.sessions, ix.A]);
  assert.equal(findRefChain(snap, ix.sys, isSession), [ix.sys]);
  const hops = describeChain(snap, findRefChain(snap, ix.main, (s, i) => s.typeOf(i).short === 'tuple'));
  assert.equal(hops.map((h) => h.edge), [null, '__dict__', 'int\n42']);
  assert.is(hops[2].address, '0x7200');
});

Chains.run();
