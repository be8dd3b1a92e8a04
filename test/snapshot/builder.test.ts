import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_REPR_LENGTH, SnapshotBuilder, SnapshotError, type ObjectRecord } from '../../lib/index.js';
import { buildHeap, step1 } from './heap.js';

const rec = (address: number, over: Partial<ObjectRecord> = {}): ObjectRecord => ({
  address,
  serial: address,
  type: 'list',
  typeLong: 'builtins.list',
  size: 56,
  refcount: 1,
  gen: 0,
  finalizer: false,
  finalized: false,
  repr: '[]',
  label: '0 items',
  ...over,
});
const META = { label: 't', step: 0, profile: '3.11' as const, script: 't.py', createdBy: 'test' };

const Builder = suite('SnapshotBuilder');

Builder('reads objects back as the builder received them', () => {
  const { snap, ix } = step1();
  assert.is(snap.objectCount, 17);
  assert.is(snap.meta.version, 1);
  assert.is(snap.meta.label, 'gc.collect() #1');
  const b = snap.object(ix.B);
  assert.equal(b, {
    index: ix.B, address: 0x5200, serial: 12, type: 'Session', typeLong: '__main__.Session', size: 48, refcount: 1,
    gen: 0, tracked: true, finalizer: true, finalized: false, repr: '<__main__.Session object at 0x5200>',
    reprTruncated: false, label: '<__main__.Session object at 0x5200>', isModule: false, module: null,
  });
  const s = snap.object(ix.xy);
  assert.is(s.gen, null);
  assert.is(s.tracked, false);
  assert.is(snap.object(ix.main).module, '__main__');
  assert.is(snap.object(ix.sysdict).gen, 2);
});

Builder('keeps edge labels, in gc.get_referents order', () => {
  const { snap, ix } = step1();
  assert.equal([...snap.referents(ix.globals)], [ix.registry, ix.temp, ix.xy, ix.pair, ix.int42]);
  const r = snap.referenceBegin(ix.globals);
  assert.equal(snap.edge(r), { kind: 'key', name: 'registry' });
  assert.equal(snap.edge(r + 1), { kind: 'key-repr', keyType: 'str', keyTypeLong: 'builtins.str', keyRepr: "'x y'" });
  assert.equal(snap.edge(r + 2), { kind: 'other' });
  assert.equal(snap.edge(snap.referenceBegin(ix.func)), { kind: '__globals__' });
});

Builder('groups references added out of order by source, stably', () => {
  const b = new SnapshotBuilder();
  const x = b.addObject(rec(1));
  const y = b.addObject(rec(2));
  const z = b.addObject(rec(3));
  b.addReference(z, x);
  b.addReference(x, y, { kind: 'key', name: 'first' });
  b.addReference(z, y);
  b.addReference(x, z, { kind: 'key', name: 'second' });
  const s = b.finish(META);
  assert.equal([...s.references.from], [x, x, z, z]);
  assert.equal([...s.referents(x)], [y, z]);
  assert.equal([...s.referents(z)], [x, y]);
  assert.equal(s.edge(1), { kind: 'key', name: 'second' });
  assert.equal([...s.referents(y)], []);
});

Builder('referrers: heap-walk order, each referrer once (a list [x, x])', () => {
  const b = new SnapshotBuilder();
  const x = b.addObject(rec(1));
  const late = b.addObject(rec(2));
  const early = b.addObject(rec(3));
  b.addReference(early, x);
  b.addReference(late, x);
  b.addReference(late, x);
  const s = b.finish(META);
  assert.equal([...s.referrers(x)], [late, early]);
  assert.equal([...s.referents(late)], [x, x]);
});

Builder('cuts long reprs at MAX_REPR_LENGTH and flags them', () => {
  const b = new SnapshotBuilder();
  b.addObject(rec(1, { repr: 'x'.repeat(500) }));
  b.addObject(rec(2, { repr: 'y'.repeat(MAX_REPR_LENGTH) }));
  const s = b.finish(META);
  assert.is(s.object(0).repr.length, MAX_REPR_LENGTH);
  assert.is(s.object(0).reprTruncated, true);
  assert.is(s.object(1).reprTruncated, false);
});

Builder('interns types, names and short texts once; long reprs are stored as they come', () => {
  const b = new SnapshotBuilder();
  for (let i = 0; i < 100; i++) b.addObject(rec(i + 1));
  b.addObject(rec(1000, { type: 'Node', typeLong: '__main__.Node', repr: '<__main__.Node object at 0x3e8>', label: '<__main__.Node object at 0x3e8>' }));
  b.addObject(rec(1001, { type: 'Node', typeLong: 'other.Node' }));
  const s = b.finish(META);
  assert.equal(s.types, [{ short: 'list', long: 'builtins.list' }, { short: 'Node', long: '__main__.Node' }, { short: 'Node', long: 'other.Node' }]);
  assert.equal([...s.strings], ['[]', '0 items', '<__main__.Node object at 0x3e8>', '<__main__.Node object at 0x3e8>']);
  assert.is(s.object(100).label, '<__main__.Node object at 0x3e8>');
});

Builder('refuses heap bugs: bad indices, duplicate addresses, bad fields, reuse after finish', () => {
  const b = new SnapshotBuilder();
  const x = b.addObject(rec(1));
  assert.throws(() => b.addReference(x, 5), /object index 5 out of range/);
  assert.throws(() => b.addReference(-1, x), /out of range/);
  assert.throws(() => b.addModule('m', 3), /out of range/);
  assert.throws(() => b.addObject(rec(2, { size: -1 })), /size must be a non-negative safe integer/);
  assert.throws(() => b.addObject(rec(2, { address: 1.5 })), /address/);
  assert.throws(() => b.addObject(rec(2, { gen: 7 as never })), /bad generation/);
  b.addObject(rec(1));
  assert.throws(() => b.finish(META), (e: unknown) => e instanceof SnapshotError && /share the address 0x1/.test((e as Error).message));
  assert.throws(() => b.addObject(rec(3)), /already finished/);
});

Builder('grows past its initial capacity', () => {
  const b = new SnapshotBuilder();
  for (let i = 0; i < 5000; i++) {
    b.addObject(rec(i + 1));
    if (i) b.addReference(i, i - 1);
  }
  const s = b.finish(META);
  assert.is(s.objectCount, 5000);
  assert.is(s.referenceCount, 4999);
  assert.equal([...s.referrers(4998)], [4999]);
  assert.is(s.indexOfAddress(5000), 4999);
});

Builder.run();

const Indexes = suite('Snapshot indexes');

Indexes('by type: short and long names, tracked only unless asked', () => {
  const { snap, ix } = step1();
  assert.equal(snap.objectsOfType('Session'), [ix.A, ix.B]);
  assert.equal(snap.objectsOfType('__main__.Session'), [ix.A, ix.B]);
  assert.equal(snap.objectsOfType('builtins.Session'), []);
  assert.equal(snap.objectsOfType('str'), []);
  assert.equal(snap.objectsOfType('str', { allObjects: true }), [ix.xy]);
  assert.equal(snap.objectsOfType('module'), [ix.main, ix.sys, ix.fake]);
});

Indexes('by type: types sharing a short name merge in heap-walk order', () => {
  const { snap, ix } = buildHeap(
    [
      { id: 'a', address: 1, serial: 1, type: 'Node', typeLong: 'a.Node' },
      { id: 'b', address: 2, serial: 2, type: 'Node', typeLong: 'b.Node' },
      { id: 'c', address: 3, serial: 3, type: 'Node', typeLong: 'a.Node' },
    ],
    {},
  );
  assert.equal(snap.objectsOfType('Node'), [ix.a, ix.b, ix.c]);
  assert.equal(snap.objectsOfType('a.Node'), [ix.a, ix.c]);
});

Indexes('by address, and proper modules', () => {
  const { snap, ix } = step1();
  assert.is(snap.indexOfAddress(0x5200), ix.B);
  assert.is(snap.indexOfAddress(0x5201), -1);
  assert.is(snap.isProperModule(ix.main), true);
  assert.is(snap.isProperModule(ix.sys), true);
  assert.is(snap.isProperModule(ix.fake), false, 'a module that sys.modules does not hold');
  assert.is(snap.isProperModule(ix.globals), false);
});

Indexes('referrers of an object in a cycle', () => {
  const { snap, ix } = step1();
  assert.equal([...snap.referrers(ix.A)], [ix.sessions, ix.dictB, ix.fakedict]);
  assert.equal([...snap.referrers(ix.globals)], [ix.main, ix.func]);
  assert.equal([...snap.referrers(ix.main)], []);
});

Indexes.run();
