// bytearray buffers: PyByteArray_Resize's policy (sizes measured on CPython
// 3.11.7 and 2.7.18 with sys.getsizeof), the buffer's block, and its release.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withRuntime } from './support.js';

const Buffers = suite('bytearray buffers');

Buffers('appending one byte at a time over-allocates like CPython', () => {
  withRuntime({}, ({ rt }) => {
    const b = rt.newByteArray(new Uint8Array(0));
    const allocs: number[] = [];
    for (let n = 1; n <= 40; n++) {
      rt.byteArrayResize(b, n);
      allocs.push(b.alloc);
    }
    // CPython 3.11.7: [sys.getsizeof(b) - 56 for each b.append(1)]
    assert.equal(allocs, [2, 5, 5, 5, 8, 8, 8, 12, 12, 12, 12, 19, 19, 19, 19, 19, 19, 19, 27, 27, 27, 27, 27, 27, 27, 27, 36, 36, 36, 36, 36, 36, 36, 36, 36, 46, 46, 46, 46, 46]);
    assert.is(rt.sizeof(b), 56 + 46);
    rt.decref(b);
  });
});

Buffers('exact sizes, shrinking and the advanced start', () => {
  withRuntime({}, ({ rt }) => {
    const b = rt.newByteArray(new Uint8Array(100));
    assert.is(rt.sizeof(b), 157);
    // del b[:10]: the start moves, nothing is reallocated...
    rt.byteArrayAdvanceStart(b, 10);
    rt.byteArrayResize(b, 90);
    assert.is(b.alloc, 101);
    // ...so growing by one no longer fits: 91 + 91/8 + 6.
    rt.byteArrayResize(b, 91);
    assert.is(b.alloc, 108);
    assert.is(b.start, 0);
    // A major downsize (size < alloc / 2) reallocates to size + 1.
    rt.byteArrayResize(b, 10);
    assert.is(b.alloc, 11);
    rt.byteArrayResize(b, 0);
    assert.is(rt.sizeof(b), 57);
    rt.decref(b);
    const empty = rt.newByteArray(new Uint8Array(0));
    assert.is(rt.sizeof(empty), 56);
    rt.decref(empty);
  });
});

Buffers('the buffer is a block of its own, freed with the object', () => {
  withRuntime({ stressable: false }, ({ rt }) => {
    const before = rt.mem.getAllocatedBlocks();
    const b = rt.newByteArray(Uint8Array.of(1, 2, 3));
    assert.is(rt.mem.getAllocatedBlocks() - before, 2);
    // Past 512 bytes the buffer comes from the raw allocator (still one block for getallocatedblocks).
    const pymallocBefore = rt.mem.pymallocBlocksInUse;
    rt.byteArrayResize(b, 1000);
    assert.is(rt.mem.pymallocBlocksInUse - pymallocBefore, -1);
    assert.is(rt.mem.getAllocatedBlocks() - before, 2);
    rt.decref(b);
    assert.is(rt.mem.getAllocatedBlocks(), before);
  });
});

Buffers('2.7: 48-byte objects, no advanced start', () => {
  withRuntime({ profile: '2.7' }, ({ rt }) => {
    const b = rt.newByteArray(new Uint8Array(10));
    assert.is(rt.sizeof(b), 59);
    rt.byteArrayAdvanceStart(b, 5);
    assert.is(b.start, 0);
    rt.decref(b);
  });
});

Buffers.run();
