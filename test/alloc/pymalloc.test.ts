// Allocation behaviour of the pymalloc model: addresses, LIFO reuse, pool
// states, usedpools order, usableArenas order, arena release, raw requests,
// realloc. Addresses follow from DEFAULT_MMAP_TOP (0x7f3a5c2e7000): the first
// arena is mapped 1 MiB below it at 0x7f3a5c1e7000, which is 4 KiB- but not
// 16 KiB-aligned, so its first pool starts at 0x7f3a5c1e8000.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AllocatorError } from '../../lib/alloc/errors.js';
import { DEFAULT_HEAP_BASE, DEFAULT_MMAP_TOP, GEOMETRY_311 } from '../../lib/alloc/geometry.js';
import { PyMalloc } from '../../lib/alloc/pymalloc.js';

const isAllocatorError = (e: unknown): boolean => e instanceof AllocatorError;
const FIRST_ARENA = DEFAULT_MMAP_TOP - 0x100000;
const FIRST_POOL = 0x7f3a5c1e8000;
const POOL = GEOMETRY_311.poolSize;

function sound(pm: PyMalloc): void {
  assert.equal(pm.checkConsistency(), []);
}

/** Allocates one whole pool of 512-byte blocks (31 of them) and returns them. */
function fillPool(pm: PyMalloc): number[] {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) out.push(pm.malloc(512));
  return out;
}

function freeAll(pm: PyMalloc, blocks: number[]): void {
  for (const b of blocks) pm.free(b);
}

const Blocks = suite('pymalloc blocks');

Blocks('the first block sits after the header of the first aligned pool', () => {
  const pm = new PyMalloc();
  assert.is(FIRST_ARENA, 0x7f3a5c1e7000);
  assert.is(pm.malloc(64), FIRST_POOL + 48);
  const [arena] = pm.describeArenas();
  assert.is(arena!.address, FIRST_ARENA);
  assert.ok(arena!.lostToAlignment);
  assert.is(arena!.ntotalpools, 63);
  sound(pm);
});

Blocks('5 consecutive 64-byte allocations are 64 bytes apart', () => {
  const pm = new PyMalloc();
  const a = [57, 64, 60, 49, 64].map((n) => pm.malloc(n));
  assert.equal(
    a.map((x) => x - a[0]!),
    [0, 64, 128, 192, 256],
  );
  sound(pm);
});

Blocks('freed blocks come back last-freed-first', () => {
  const pm = new PyMalloc();
  const o = [1, 2, 3, 4, 5].map(() => pm.malloc(64));
  pm.free(o[0]!);
  pm.free(o[2]!);
  pm.free(o[3]!);
  assert.equal([pm.malloc(64), pm.malloc(64), pm.malloc(64)], [o[3], o[2], o[0]]);
  // Then virgin blocks again, right after o5.
  assert.is(pm.malloc(64), o[4]! + 64);
  sound(pm);
});

Blocks('size classes get separate pools', () => {
  const pm = new PyMalloc();
  const a = pm.malloc(16);
  const b = pm.malloc(17);
  const c = pm.malloc(16);
  assert.is(a, FIRST_POOL + 48);
  assert.is(b, FIRST_POOL + POOL + 48);
  assert.is(c, a + 16);
  assert.is(pm.blockSizeOf(b), 32);
  sound(pm);
});

Blocks.run();

const Pools = suite('pymalloc pools');

Pools('used -> full -> used -> empty, with front-linking on usedpools', () => {
  const pm = new PyMalloc();
  const a = fillPool(pm);
  const poolA = FIRST_POOL;
  // Full: off usedpools.
  assert.equal(pm.usedpoolsOrder(31), []);
  assert.is(pm.describeArenas()[0]!.pools[0]!.state, 'full');
  const b0 = pm.malloc(512);
  const poolB = poolA + POOL;
  assert.is(b0, poolB + 48);
  assert.equal(pm.usedpoolsOrder(31), [poolB]);
  // A free in the full pool puts it back in front of B.
  pm.free(a[7]!);
  assert.equal(pm.usedpoolsOrder(31), [poolA, poolB]);
  assert.equal(
    pm.describeArenas()[0]!.pools.slice(0, 3).map((p) => [p.state, p.blocksInUse]),
    [
      ['used', 30],
      ['used', 1],
      ['untouched', 0],
    ],
  );
  // ...so the next allocation reuses that block.
  assert.is(pm.malloc(512), a[7]);
  assert.equal(pm.usedpoolsOrder(31), [poolB]);
  // B empties: it leaves usedpools for its arena's freepools and keeps its class.
  pm.free(b0);
  assert.equal(pm.usedpoolsOrder(31), []);
  const slotB = pm.describeArenas()[0]!.pools[1]!;
  assert.equal([slotB.state, slotB.szidx, slotB.blocksInUse], ['empty', 31, 0]);
  assert.is(pm.usableArenasOrder()[0]!.nfreepools, 62);
  sound(pm);
});

Pools('an emptied pool is reused first, with its free list if the class matches', () => {
  const pm = new PyMalloc();
  fillPool(pm);
  const b = [pm.malloc(512), pm.malloc(512), pm.malloc(512)];
  pm.free(b[0]!);
  pm.free(b[2]!);
  pm.free(b[1]!);
  // Same class: the old free list is kept (LIFO: b1, b2, b0, then virgin).
  assert.equal([pm.malloc(512), pm.malloc(512), pm.malloc(512), pm.malloc(512)], [b[1], b[2], b[0], b[2]! + 512]);
  sound(pm);
});

Pools('an emptied pool taken by another class is re-initialised', () => {
  const pm = new PyMalloc();
  const x = pm.malloc(512);
  const poolX = FIRST_POOL;
  pm.free(x);
  assert.is(pm.malloc(100), poolX + 48);
  assert.is(pm.malloc(100), poolX + 48 + 112);
  assert.is(pm.describeArenas()[0]!.pools[0]!.szidx, 6);
  sound(pm);
});

Pools('freepools is LIFO', () => {
  const pm = new PyMalloc();
  const p1 = pm.malloc(16);
  const p2 = pm.malloc(32);
  const p3 = pm.malloc(48);
  pm.free(p1);
  pm.free(p3);
  // The pool of p3 was emptied last, so it is the next pool handed out.
  assert.is(pm.malloc(64), p3);
  assert.is(pm.malloc(80), p1);
  assert.ok(p2 > 0);
  sound(pm);
});

Pools.run();

const Arenas = suite('pymalloc arenas');

/** Fills `n` whole pools and returns their blocks, pool by pool. */
function fillPools(pm: PyMalloc, n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(fillPool(pm));
  return out;
}

Arenas('arenas are mapped top-down, one pool lost to alignment each', () => {
  const pm = new PyMalloc();
  fillPools(pm, 63);
  assert.equal(pm.usableArenasOrder(), []);
  pm.malloc(512);
  const arenas = pm.describeArenas();
  assert.equal(
    arenas.map((a) => [a.index, a.address, a.ntotalpools, a.nfreepools]),
    [
      [0, FIRST_ARENA, 63, 0],
      [1, FIRST_ARENA - 0x100000, 63, 62],
    ],
  );
  sound(pm);
});

Arenas('usableArenas stays sorted by nfreepools, most used first', () => {
  const pm = new PyMalloc();
  const a = fillPools(pm, 63);
  const b = fillPools(pm, 63);
  fillPool(pm); // arena 2 gets one pool
  const order = () => pm.usableArenasOrder().map((x) => [x.index, x.nfreepools]);
  assert.equal(order(), [[2, 62]]);
  freeAll(pm, a[5]!); // arena 0: 1 free pool -> head
  assert.equal(order(), [[0, 1], [2, 62]]);
  freeAll(pm, b[0]!); // arena 1: 1 free pool -> head
  assert.equal(order(), [[1, 1], [0, 1], [2, 62]]);
  freeAll(pm, b[1]!); // arena 1: 2 -> slides right past arena 0
  assert.equal(order(), [[0, 1], [1, 2], [2, 62]]);
  sound(pm);
  // The next pool comes from the head (arena 0), which leaves the list; the
  // pool kept its class, so its blocks come back in reverse order of freeing.
  const again = fillPool(pm);
  assert.equal(again, [...a[5]!].reverse());
  assert.equal(order(), [[1, 2], [2, 62]]);
  sound(pm);
});

Arenas('a wholly free arena is unmapped, except the last usable one (anti-thrash)', () => {
  const pm = new PyMalloc();
  const a = fillPools(pm, 63);
  const b = fillPool(pm);
  freeAll(pm, b);
  // Arena 1 is entirely free but is the last of usableArenas: kept.
  assert.equal(pm.arenaCounters(), { allocatedTotal: 2, reclaimed: 0, highwater: 2, current: 2 });
  assert.equal(pm.usableArenasOrder().map((x) => [x.index, x.nfreepools]), [[1, 63]]);
  for (const blocks of a) freeAll(pm, blocks);
  // Arena 0 emptied with arena 1 after it: unmapped.
  assert.equal(pm.arenaCounters(), { allocatedTotal: 2, reclaimed: 1, highwater: 2, current: 1 });
  assert.equal(pm.describeArenas().map((x) => x.index), [1]);
  assert.is(pm.pymallocBlocksInUse, 0);
  sound(pm);
  // Its address is no longer pymalloc's.
  assert.not.ok(pm.isPymallocAddress(a[0]![0]!));
  assert.throws(() => pm.free(a[0]![0]!), isAllocatorError);
});

Arenas('a released arena object and address range are reused', () => {
  const pm = new PyMalloc();
  const a = fillPools(pm, 63);
  fillPool(pm);
  for (const blocks of a) freeAll(pm, blocks);
  assert.equal(pm.arenaCounters().current, 1);
  // Fill arena 1 (62 pools left), then a new arena is needed.
  fillPools(pm, 62);
  const x = pm.malloc(512);
  assert.is(x, FIRST_POOL + 48);
  const arenas = pm.describeArenas();
  assert.equal(
    arenas.map((r) => [r.index, r.address]),
    [
      [0, FIRST_ARENA],
      [1, FIRST_ARENA - 0x100000],
    ],
  );
  assert.equal(pm.arenaCounters(), { allocatedTotal: 3, reclaimed: 1, highwater: 2, current: 2 });
  sound(pm);
});

Arenas('a pool-aligned arena keeps all 64 pools', () => {
  const pm = new PyMalloc({ mmapTop: 0x7f3a00100000 });
  assert.is(pm.malloc(8), 0x7f3a00000000 + 48);
  const [arena] = pm.describeArenas();
  assert.equal([arena!.ntotalpools, arena!.lostToAlignment], [64, false]);
  assert.is(pm.collectStats().arenaAlignmentBytes, 0);
  sound(pm);
});

Arenas.run();

const Raw = suite('pymalloc raw requests');

Raw('0 bytes and more than 512 go to the raw malloc', () => {
  const pm = new PyMalloc();
  const zero = pm.malloc(0);
  const big = pm.malloc(513);
  const small = pm.malloc(512);
  assert.is(zero, DEFAULT_HEAP_BASE + 16);
  assert.is(big, zero + 32);
  assert.not.ok(pm.isPymallocAddress(zero));
  assert.not.ok(pm.isPymallocAddress(big));
  assert.ok(pm.isPymallocAddress(small));
  assert.is(pm.pymallocBlocksInUse, 1);
  assert.is(pm.getAllocatedBlocks(), 3);
  assert.is(pm.raw.blocksInUse, 2);
  pm.free(big);
  pm.free(zero);
  assert.is(pm.getAllocatedBlocks(), 1);
  // The raw heap reuses chunks of the same size LIFO.
  assert.is(pm.malloc(520), big);
  assert.throws(() => pm.free(big + 16), /0x55d14c2a1040/);
  sound(pm);
});

Raw.run();

const Realloc = suite('pymalloc realloc');

Realloc('keeps the block when it fits and shrinks by less than a quarter', () => {
  const pm = new PyMalloc();
  const p = pm.malloc(64);
  assert.is(pm.realloc(p, 64), p);
  assert.is(pm.realloc(p, 49), p); // 196 > 192
  assert.is(pm.blockSizeOf(p), 64);
  sound(pm);
});

Realloc('moves on growth or a shrink of 25% or more', () => {
  const pm = new PyMalloc();
  const p = pm.malloc(64);
  const q = pm.realloc(p, 48); // 4*48 = 192, not > 3*64: moves to the 48-byte class
  assert.is.not(q, p);
  assert.is(pm.blockSizeOf(q), 48);
  assert.throws(() => pm.free(p), isAllocatorError);
  const r = pm.realloc(q, 65); // growth: the 80-byte class
  assert.is(pm.blockSizeOf(r), 80);
  const s = pm.realloc(r, 600); // past the threshold: raw
  assert.not.ok(pm.isPymallocAddress(s));
  const t = pm.realloc(s, 10); // a raw block stays raw
  assert.not.ok(pm.isPymallocAddress(t));
  assert.is(pm.getAllocatedBlocks(), 1);
  assert.is(pm.realloc(0, 10) > 0, true);
  sound(pm);
});

Realloc('of 0 bytes moves a pymalloc block to the raw allocator', () => {
  const pm = new PyMalloc();
  const p = pm.malloc(16);
  const q = pm.realloc(p, 0);
  assert.not.ok(pm.isPymallocAddress(q));
  assert.is(pm.pymallocBlocksInUse, 0);
  sound(pm);
});

Realloc.run();

const Errors = suite('pymalloc errors');

Errors('free of an address that is not allocated names it', () => {
  const pm = new PyMalloc();
  const p = pm.malloc(64);
  assert.throws(() => pm.free(p + 64), /free of 0x7f3a5c1e8070, which is not an allocated block/);
  assert.throws(() => pm.free(p + 8), /0x7f3a5c1e8038/);
  assert.throws(() => pm.free(0x1234), /0x1234/);
  pm.free(p);
  assert.throws(() => pm.free(p), (e: unknown) => e instanceof AllocatorError && /0x7f3a5c1e8030/.test(e.message));
  assert.throws(() => pm.realloc(p, 10), isAllocatorError);
  sound(pm);
});

Errors.run();
