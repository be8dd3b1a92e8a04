// Layer 0: a simulated C `malloc`, for the requests pymalloc does not serve.
//
// CPython sends requests of 0 bytes or above SMALL_REQUEST_THRESHOLD to the
// system allocator. refscope needs those addresses to be deterministic and to
// be reused the way a real malloc reuses them (so `id()` values repeat), but it
// does not need glibc's bins. The model:
//
// - chunks are carved upward from a fixed heap base (the brk heap, far below
//   the mmap region where arenas live), so raw and pymalloc addresses never mix;
// - a chunk's size is glibc's: request + 8 bytes of header, rounded up to 16,
//   at least 32; the returned address is chunk + 16 (16-byte aligned);
// - a freed chunk goes on a LIFO list for its exact chunk size, and a request
//   of that chunk size takes the most recently freed one first;
// - realloc keeps the address when the chunk size is unchanged or shrinks
//   (a remainder of 32+ bytes becomes a free chunk), grows in place when the
//   chunk is the last one carved, and otherwise moves (malloc, then free).
//
// Compromises, admitted: no coalescing of neighbours, no mmap threshold (huge
// requests stay in the heap region), no fastbin/tcache limits. None of this
// changes anything CPython prints except raw addresses, which are
// deterministic but not glibc's.

import { AllocatorError, hexAddress } from './errors.js';

/** glibc's MINSIZE on 64-bit. */
const MIN_CHUNK = 32;
/** Size field in front of a chunk's user data. */
const CHUNK_HEADER = 8;
/** malloc's alignment (MALLOC_ALIGNMENT). */
const CHUNK_ALIGN = 16;
/** Offset of the user address from the chunk start (prev_size + size). */
const USER_OFFSET = 16;

/** The chunk size glibc would use for an `nbytes` request. */
export function rawChunkSize(nbytes: number): number {
  const n = Math.ceil((nbytes + CHUNK_HEADER) / CHUNK_ALIGN) * CHUNK_ALIGN;
  return n < MIN_CHUNK ? MIN_CHUNK : n;
}

/**
 * Deterministic simulated `malloc` / `free` / `realloc`.
 *
 * @example
 * const raw = new RawMalloc(0x55d14c2a1000);
 * const a = raw.malloc(600);   // 0x55d14c2a1010
 * raw.free(a);
 * raw.malloc(600) === a;       // LIFO reuse of the same chunk size
 */
export class RawMalloc {
  /** Next chunk start to carve. */
  private top: number;
  /** Live chunks: key (address - base) / 16, a small integer; value chunk size. */
  private readonly live = new Map<number, number>();
  /** Free chunk starts, LIFO per chunk size. */
  private readonly freeBySize = new Map<number, number[]>();
  private liveBytes = 0;

  constructor(readonly base: number) {
    if (base % CHUNK_ALIGN !== 0) throw new AllocatorError(`raw heap base ${hexAddress(base)} is not 16-byte aligned`);
    this.top = base;
  }

  /** Number of live chunks. */
  get blocksInUse(): number {
    return this.live.size;
  }

  /** Sum of the chunk sizes of live chunks. */
  get bytesInUse(): number {
    return this.liveBytes;
  }

  /** Highest address the heap has reached (the brk). */
  get brk(): number {
    return this.top;
  }

  /** Allocates `nbytes` (0 is served as 1, like CPython's PyMem_RawMalloc). */
  malloc(nbytes: number): number {
    const size = rawChunkSize(nbytes === 0 ? 1 : nbytes);
    const stack = this.freeBySize.get(size);
    let chunk: number;
    if (stack !== undefined && stack.length > 0) {
      chunk = stack.pop()!;
    } else {
      chunk = this.top;
      this.top += size;
    }
    this.live.set(this.key(chunk + USER_OFFSET), size);
    this.liveBytes += size;
    return chunk + USER_OFFSET;
  }

  /** Frees a live address; anything else is an AllocatorError naming it. */
  free(addr: number): void {
    const key = this.key(addr);
    const size = this.live.get(key);
    if (size === undefined) throw new AllocatorError(`free of ${hexAddress(addr)}, which is not an allocated block`);
    this.live.delete(key);
    this.liveBytes -= size;
    this.pushFree(addr - USER_OFFSET, size);
  }

  /** Resizes a live block; see the module comment for when it moves. */
  realloc(addr: number, nbytes: number): number {
    const key = this.key(addr);
    const old = this.live.get(key);
    if (old === undefined) throw new AllocatorError(`realloc of ${hexAddress(addr)}, which is not an allocated block`);
    const size = rawChunkSize(nbytes === 0 ? 1 : nbytes);
    const chunk = addr - USER_OFFSET;
    if (size === old) return addr;
    if (chunk + old === this.top) {
      // The last chunk borders the top: grow or shrink it in place.
      this.top = chunk + size;
      this.resizeLive(key, old, size);
      return addr;
    }
    if (size < old) {
      const rest = old - size;
      if (rest < MIN_CHUNK) return addr;
      this.resizeLive(key, old, size);
      this.pushFree(chunk + size, rest);
      return addr;
    }
    const moved = this.malloc(nbytes);
    this.free(addr);
    return moved;
  }

  /** True if `addr` is a live block of this allocator. */
  owns(addr: number): boolean {
    return this.live.has(this.key(addr));
  }

  /** Chunk size of a live block, or undefined. */
  chunkSizeOf(addr: number): number | undefined {
    return this.live.get(this.key(addr));
  }

  private key(addr: number): number {
    // Non-integer keys (unaligned or foreign addresses) simply never match.
    return (addr - this.base) / CHUNK_ALIGN;
  }

  private resizeLive(key: number, old: number, size: number): void {
    this.live.set(key, size);
    this.liveBytes += size - old;
  }

  private pushFree(chunk: number, size: number): void {
    let stack = this.freeBySize.get(size);
    if (stack === undefined) {
      stack = [];
      this.freeBySize.set(size, stack);
    }
    stack.push(chunk);
  }
}
