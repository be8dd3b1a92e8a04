// sys.getsizeof for the table of the reference (§9, 3.11 64-bit), address
// spacing and reuse (pymalloc LIFO blocks, free lists), and the caches.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PyObject } from '../../lib/heap/object.js';
import type { Runtime } from '../../lib/heap/runtime.js';
import { heapType, withRuntime } from './support.js';

const Sizes = suite('heap sizes');

function dictOf(rt: Runtime, n: number): PyObject {
  const d = rt.newDict();
  for (let i = 0; i < n; i++) rt.dictAppend(d, `k${i}`, 0, rt.newStr(`k${i}`), rt.newInt(i), true);
  return d;
}

Sizes('getsizeof matches CPython 3.11 for the built-in objects', () => {
  withRuntime({}, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    const S = heapType(rt, 'S', { slots: ['a', 'b'] });
    const cases: Array<[string, PyObject, number]> = [
      ['[]', rt.newList([]), 56],
      ['list((1,2,3))', rt.newList([rt.newInt(1), rt.newInt(2), rt.newInt(3)]), 80],
      ['{}', rt.newDict(), 64],
      ['dict(a=1,b=2)', dictOf(rt, 2), 184],
      ['set()', rt.newSet(), 216],
      ['()', rt.newTuple([]), 40],
      ['(1,)', rt.newTuple([rt.newInt(1)]), 48],
      ['(1,2)', rt.newTuple([rt.newInt(1), rt.newInt(2)]), 56],
      ['tuple(range(3))', rt.newTuple([rt.newInt(0), rt.newInt(1), rt.newInt(2)]), 64],
      ['0', rt.newInt(0), 28],
      ['1', rt.newInt(1), 28],
      ['2**30-1', rt.newInt(2 ** 30 - 1), 28],
      ['2**30', rt.newInt(2 ** 30), 32],
      ['2**60', rt.newInt(2n ** 60n), 36],
      ['2**90', rt.newInt(2n ** 90n), 40],
      ['True', rt.newBool(true), 28],
      ['1.5', rt.newFloat(1.5), 24],
      ['1j', rt.newComplex(0, 1), 32],
      ['None', rt.None, 16],
      ["''", rt.newStr(''), 49],
      ["'a'", rt.newStr('a'), 50],
      ["'abc'", rt.newStr('abc'), 52],
      ['10-char str', rt.newStr('abcdefghij'), 59],
      ["'é'", rt.newStr('é'), 74],
      ["'€'", rt.newStr('€'), 76],
      ["b''", rt.newBytes(new Uint8Array(0)), 33],
      ["b'abc'", rt.newBytes(Uint8Array.of(97, 98, 99)), 36],
      ['bytearray()', rt.newByteArray(new Uint8Array(0)), 56],
      ['A()', rt.newInstance(A), 56],
      ['__slots__ instance', rt.newInstance(S), 48],
      ['object()', rt.newPlain(rt.objectType), 16],
      ['class A', A, 1688],
      ['cell', rt.newCell(null), 40],
    ];
    const got = cases.map(([what, o]) => `${what}: ${rt.sizeof(o)}`);
    assert.equal(got, cases.map(([what, , n]) => `${what}: ${n}`));
    for (const [, o] of cases) if (o !== A && o !== S && o !== rt.None) rt.decref(o);
    keep(A);
    keep(S);
  });
});

Sizes('dict with str keys grows 64, 184, 272, 464, 832, 1584', () => {
  withRuntime({}, ({ rt }) => {
    const sizes = [0, 1, 6, 11, 22, 43].map((n) => {
      const d = dictOf(rt, n);
      const s = rt.sizeof(d);
      rt.decref(d);
      return s;
    });
    assert.equal(sizes, [64, 184, 272, 464, 832, 1584]);
  });
});

Sizes('list.append over-allocates: capacities 4, 8, 16, 24, 32, 40, 52, 64, 76', () => {
  withRuntime({}, ({ rt }) => {
    const l = rt.newList([]);
    const caps: number[] = [];
    for (let n = 0; n < 70; n++) {
      const before = l.allocated;
      rt.listAppend(l, rt.None);
      if (l.allocated !== before) caps.push(l.allocated);
    }
    assert.equal(caps, [4, 8, 16, 24, 32, 40, 52, 64, 76]);
    assert.is(rt.sizeof(l), 56 + 8 * 76);
    rt.decref(l);
  });
});

Sizes('2.7 profile: 32-byte GC header, instances always have a dict slot', () => {
  withRuntime({ profile: '2.7' }, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    const a = rt.newInstance(A);
    const l = rt.newList([]);
    assert.is(rt.sizeof(l), 72);
    assert.is(rt.sizeof(a), 64);
    rt.decref(a);
    rt.decref(l);
  });
});

Sizes.run();

const Ids = suite('heap id reuse');
const exact = { stressable: false };

Ids('consecutive instances are 64 bytes apart; freed blocks come back LIFO', () => {
  withRuntime(exact, ({ rt, keep }) => {
    const A = heapType(rt, 'A');
    keep(A);
    const os = [0, 1, 2, 3, 4].map(() => rt.newInstance(A));
    for (let i = 1; i < 5; i++) assert.is(os[i].id - os[i - 1].id, 64);
    assert.is(rt.mem.blockSizeOf(os[0].id - 32), 64, 'a 56-byte instance (32-byte pre-header) in a 64-byte block');
    const ids = os.map((o) => o.id);
    for (const i of [1, 3, 4]) rt.decref(os[i]);
    const again = [0, 1, 2].map(() => rt.newInstance(A));
    assert.equal(again.map((o) => o.id), [ids[4], ids[3], ids[1]]);
    for (const o of [os[0], os[2], ...again]) rt.decref(o);
  });
});

Ids('l=[]; i=id(l); del l; id([]) == i (list free list)', () => {
  withRuntime(exact, ({ rt }) => {
    const l = rt.newList([]);
    const i = l.id;
    rt.decref(l);
    const m = rt.newList([]);
    assert.is(m.id, i);
    assert.is.not(m.serial, l.serial, 'a different object at the same address');
    rt.decref(m);
    const f = rt.newFloat(1.5);
    const fi = f.id;
    rt.decref(f);
    const g = rt.newFloat(2.5);
    assert.is(g.id, fi, 'floats too');
    rt.decref(g);
  });
});

Ids('id([]) == id([]) even right after a full collection emptied the free lists', () => {
  withRuntime(exact, ({ rt }) => {
    rt.gc.collectManual(2);
    const a = rt.newList([]);
    const ia = a.id;
    rt.decref(a);
    const b = rt.newList([]);
    assert.is(b.id, ia);
    rt.decref(b);
  });
});

Ids.run();

const Caches = suite('heap caches');

Caches('small ints [-5, 256] are shared and immortal; others are not', () => {
  withRuntime({}, ({ rt }) => {
    const same = (make: () => PyObject): boolean => {
      const a = make();
      const b = make();
      const r = a === b;
      rt.decref(a);
      rt.decref(b);
      return r;
    };
    assert.ok(same(() => rt.newInt(256)));
    assert.not.ok(same(() => rt.newInt(257)));
    assert.ok(same(() => rt.newInt(-5)));
    assert.not.ok(same(() => rt.newInt(-6)));
    assert.ok(same(() => rt.newInt(0n)), 'a bigint in range is the cached small int');
    assert.ok(rt.newInt(1).ob_refcnt >= 999999999);
    rt.decref(rt.smallInt(1)!);
  });
});

Caches('latin-1 single characters, the empty string and single bytes are singletons', () => {
  withRuntime({}, ({ rt }) => {
    const pairs: Array<[PyObject, PyObject, boolean]> = [
      [rt.newStr('a'), rt.newStr('a'), true],
      [rt.newStr('\u00c8'), rt.newStr('\u00c8'), true],
      [rt.newStr('\u0100'), rt.newStr('\u0100'), false],
      [rt.newStr(''), rt.newStr(''), true],
      [rt.newStr('ab'), rt.newStr('ab'), false],
      [rt.newBytes(Uint8Array.of(65)), rt.newBytes(Uint8Array.of(65)), true],
      [rt.newTuple([]), rt.newTuple([]), true],
      [rt.intern('hello_world'), rt.intern('hello_world'), true],
    ];
    assert.equal(pairs.map(([a, b]) => a === b), pairs.map(([, , s]) => s));
    for (const [a, b] of pairs) {
      rt.decref(a);
      rt.decref(b);
    }
    assert.not.ok(rt.gc.isTracked(rt.emptyTuple));
  });
});

Caches.run();
