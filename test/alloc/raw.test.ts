// The layer-0 raw malloc: deterministic addresses, LIFO reuse per chunk size,
// realloc in place or moved.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AllocatorError } from '../../lib/alloc/errors.js';
import { RawMalloc, rawChunkSize } from '../../lib/alloc/raw.js';

const Raw = suite('raw malloc');
const BASE = 0x55d14c2a1000;

Raw('chunk sizes follow glibc: +8, rounded to 16, at least 32', () => {
  assert.equal([1, 24, 25, 40, 513, 1000].map(rawChunkSize), [32, 32, 48, 48, 528, 1008]);
});

Raw('carves upward and reuses freed chunks of the same size LIFO', () => {
  const raw = new RawMalloc(BASE);
  const a = raw.malloc(600);
  const b = raw.malloc(600);
  const c = raw.malloc(1000);
  assert.equal([a - BASE, b - BASE, c - BASE], [16, 16 + 608, 16 + 2 * 608]);
  raw.free(a);
  raw.free(b);
  assert.is(raw.malloc(1000), c + 1008); // other size: fresh chunk
  assert.is(raw.malloc(590), b); // same chunk size (608): last freed first
  assert.is(raw.malloc(600), a);
  assert.is(raw.blocksInUse, 4);
});

Raw('realloc: same chunk stays, the top chunk grows in place, others move', () => {
  const raw = new RawMalloc(BASE);
  const a = raw.malloc(600);
  assert.is(raw.realloc(a, 595), a);
  assert.is(raw.realloc(a, 5000), a); // a borders the top
  const b = raw.malloc(100);
  const a2 = raw.realloc(a, 6000); // no longer at the top: moves
  assert.is(a2, b + rawChunkSize(100));
  assert.not.ok(raw.owns(a));
  assert.is(raw.realloc(a2, 100), a2); // shrinking keeps the address
  assert.is(raw.chunkSizeOf(a2), 112);
});

Raw('bad frees are internal errors naming the address', () => {
  const raw = new RawMalloc(BASE);
  const a = raw.malloc(600);
  raw.free(a);
  assert.throws(
    () => raw.free(a),
    (e: unknown) => e instanceof AllocatorError && e.message === 'free of 0x55d14c2a1010, which is not an allocated block',
  );
});

Raw.run();
