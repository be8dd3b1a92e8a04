/*
 * pymalloc: CPython's small-object allocator (Objects/obmalloc.c), simulated.
 *
 * Where this sits. The object layer (lib/heap) asks for `malloc(nbytes)` and
 * gets back a number, the simulated address that `id()` will show; it gives
 * it back with `free(address)`. Nothing here knows about Python objects. Read
 * this file next to obmalloc.c (3.11): the structures and functions keep their
 * names, camelCased (usedpools, freepools, usableArenas, nfp2lasta, newArena,
 * allocateFromNewPool, poolExtend, insertToUsedpool, insertToFreepool).
 *
 * Strategy. Requests of 1..SMALL_REQUEST_THRESHOLD bytes are rounded up to a
 * multiple of ALIGNMENT, which names their size class. Each class has its own
 * fixed-size allocator built from pools: a pool is POOL_SIZE bytes, a header
 * followed by equal blocks of one class. Pools are carved from arenas, big
 * ARENA_SIZE regions mapped with (simulated) mmap. Everything else (0 bytes,
 * large requests) goes to the raw malloc in raw.ts. The profile's Geometry
 * (geometry.ts) supplies all the sizes.
 *
 * Pool states. Once carved, a pool is always in exactly one state:
 *   used   some blocks allocated, some free. It is on the circular list
 *          usedpools[szidx]; allocation of that class always takes the first
 *          pool of that list. A pool enters the list at the FRONT, both when
 *          created and when a free makes a full pool used again, so the next
 *          allocation reuses the block that was just freed.
 *   full   no free block left; the pool is on no list at all.
 *   empty  no block allocated (ref.count == 0); the pool is on its arena's
 *          freepools list (LIFO) and remembers its szidx, so reusing it for
 *          the same class skips re-initialisation and keeps its free list.
 * Pools of an arena not yet carved are "untouched"; they are counted in the
 * arena's nfreepools together with the empty ones.
 *
 * Blocks. A pool's free blocks form a LIFO list headed by `freeblock`, and the
 * blocks never handed out ("virgin") are not on it: `nextoffset` is the offset
 * of the first virgin block and `maxnextoffset` the last offset where a block
 * fits. A fresh pool returns block 0 and puts block 1 on the list; when the
 * list runs dry, poolExtend moves one more virgin block onto it, or, when
 * there is none, the pool is full and leaves usedpools. Consequences that
 * scripts observe: consecutive allocations are one block apart, and freed
 * addresses come back last-freed-first (this is why `id()` values repeat).
 *
 * Arenas. `usableArenas` is a doubly linked list of the arenas that have a free
 * or untouched pool, sorted ascending by nfreepools, so new pools come from
 * the most used arena and nearly empty arenas get the chance to drain.
 * `nfp2lasta[n]` points at the last arena of that list with n free pools, which
 * keeps re-sorting O(1) (bpo-37029). When every pool of an arena is empty the
 * arena is unmapped and its arena object goes back on `unusedArenaObjects`,
 * except the last arena of usableArenas, which is kept to avoid thrashing
 * (bpo-37257). mmap only promises page alignment, so an arena whose base is
 * not POOL_SIZE-aligned loses its first partial pool (63 usable pools with the
 * 3.11 geometry).
 *
 * Invariants (checkConsistency() verifies them all):
 *   - a pool's refCount equals the number of its blocks marked allocated;
 *   - usedpools[i] holds exactly the carved pools of class i with
 *     0 < refCount < numBlocks(i); full pools have no free block and no virgin
 *     block; empty pools are on their arena's freepools;
 *   - an arena's nfreepools = its empty pools + its untouched pools, and the
 *     arena is on usableArenas iff nfreepools > 0; that list is sorted
 *     ascending and nfp2lasta agrees with it;
 *   - the stats categories add up to narenas * ARENA_SIZE.
 *
 * How it is represented. Addresses are plain numbers above 2^32, so no bitwise
 * operator ever touches one (`addr - addr % POOL_SIZE` rounds down). A pool is
 * found from an address through `poolTable`, an array indexed by the pool's
 * distance below the top of the mmap region. A pool's free list lives in an
 * Int16Array indexed by block number: the entry of a free block is the next
 * free block (NIL ends the list, CPython's NULL) and the entry of a block
 * handed out is ALLOCATED, which also lets free() reject addresses that are
 * not allocated in O(1). malloc and free allocate no JS objects; only carving
 * a pool or mapping an arena does.
 *
 * Where to start reading: malloc(), then allocateFromNewPool(), then free()
 * and insertToFreepool().
 */

import { AllocatorError, hexAddress } from './errors.js';
import {
  DEFAULT_HEAP_BASE,
  DEFAULT_MMAP_TOP,
  GEOMETRY_311,
  type Geometry,
  numBlocks as numBlocksOf,
} from './geometry.js';
import { ArenaMmap } from './mmap.js';
import { ArenaMapAccounting } from './radix.js';
import { RawMalloc } from './raw.js';
import {
  formatDebugMallocStatsText,
  type ArenaMapStats,
  type FreeListStat,
  type MallocStats,
  type SizeClassStats,
} from './stats.js';

/** Free-list link meaning "end of list" (CPython's NULL freeblock). */
const NIL = -1;
/** Link value of a block that is handed out. */
const ALLOCATED = -2;
/** szidx of a freshly carved pool that has not been given a class yet. */
export const DUMMY_SIZE_IDX = 0xffff;
/** Arena objects in the first `arenas` vector; it doubles when exhausted. */
const INITIAL_ARENA_OBJECTS = 16;

/**
 * struct pool_header. Live, internal state: exposed through poolOf() for
 * checkers and tests, never to be mutated by callers.
 */
export class PoolHeader {
  /** ref.count: blocks handed out. */
  refCount = 0;
  /** Block number at the head of the free list, or NIL. */
  freeblock = NIL;
  /** usedpools links (circular, through the class's sentinel), or the freepools chain. */
  nextpool: PoolHeader;
  prevpool: PoolHeader;
  /** Size class, or DUMMY_SIZE_IDX before first use. */
  szidx = DUMMY_SIZE_IDX;
  /** Block size of szidx, cached. */
  size = 0;
  /** Byte offset of the first virgin block. */
  nextoffset = 0;
  /** Largest byte offset at which a whole block still fits. */
  maxnextoffset = 0;
  /** Per block: next free block number, NIL, or ALLOCATED. */
  links: Int16Array;

  constructor(
    /** Pool base address (the header's address). 0 for a usedpools sentinel. */
    readonly address: number,
    /** The owning arena object (CPython's arenaindex), null for a sentinel. */
    readonly arena: ArenaObject | null,
    capacity: number,
  ) {
    this.nextpool = this;
    this.prevpool = this;
    this.links = new Int16Array(capacity);
  }
}

/** struct arena_object. Live, internal state. */
export class ArenaObject {
  /** Base of the mapped arena, 0 while the object is unused. */
  address = 0;
  /** Next pool to carve (pool-aligned). */
  poolAddress = 0;
  /** Empty pools plus untouched pools. */
  nfreepools = 0;
  /** Pools the arena holds after alignment (63 or 64). */
  ntotalpools = 0;
  /** Head of the LIFO list of empty pools (linked through nextpool). */
  freepools: PoolHeader | null = null;
  /** usableArenas links, or the unusedArenaObjects chain (nextarena only). */
  nextarena: ArenaObject | null = null;
  prevarena: ArenaObject | null = null;
  /** Carved pools in address order: refscope's walk list, not in CPython. */
  readonly pools: PoolHeader[] = [];

  constructor(
    /** Position in the arenas vector (CPython's arenaindex). */
    readonly index: number,
  ) {}
}

/** Pool state as shown in reports. */
export type PoolState = 'used' | 'full' | 'empty' | 'untouched';

/** One pool slot of an arena, for reports. */
export interface PoolInfo {
  readonly address: number;
  readonly state: PoolState;
  /** Size class; for an empty pool the class it last had; null if untouched. */
  readonly szidx: number | null;
  readonly blockSize: number | null;
  readonly blocksInUse: number;
  /** Blocks the pool holds in its class; null if untouched. */
  readonly numBlocks: number | null;
}

/** One mapped arena, for reports. */
export interface ArenaInfo {
  /** Index of the arena object. */
  readonly index: number;
  readonly address: number;
  /** True when the base was not pool-aligned and the first partial pool is lost. */
  readonly lostToAlignment: boolean;
  readonly ntotalpools: number;
  readonly nfreepools: number;
  /** All ntotalpools slots in address order: carved pools, then untouched ones. */
  readonly pools: readonly PoolInfo[];
}

/** Arena counters of sys._debugmallocstats(). */
export interface ArenaCounters {
  readonly allocatedTotal: number;
  readonly reclaimed: number;
  readonly highwater: number;
  readonly current: number;
}

export interface PyMallocOptions {
  /** Profile geometry; default GEOMETRY_311. */
  readonly geometry?: Geometry;
  /** Top of the simulated mmap region (page-aligned); default DEFAULT_MMAP_TOP. */
  readonly mmapTop?: number;
  /** Base of the raw malloc heap; default DEFAULT_HEAP_BASE. */
  readonly heapBase?: number;
  /**
   * Called at the start of every newArena(), as CPython dumps the stats there
   * when PYTHONMALLOCSTATS is set.
   */
  readonly onNewArena?: (allocator: PyMalloc) => void;
}

/**
 * One simulated pymalloc (object and mem domains) plus its raw malloc.
 * Each runtime makes its own; there is no shared state.
 *
 * @example
 * const pm = new PyMalloc();          // 3.11 geometry
 * const a = pm.malloc(56);            // a 64-byte block
 * const b = pm.malloc(56);            // b === a + 64
 * pm.free(a);
 * pm.malloc(60) === a;                // LIFO reuse
 */
export class PyMalloc {
  readonly geometry: Geometry;
  /** The layer-0 allocator for requests pymalloc does not serve. */
  readonly raw: RawMalloc;

  /** usedpools: one sentinel per class; sentinel.nextpool is the first used pool. */
  private readonly usedpools: PoolHeader[];
  /** The arenas vector (allarenas). */
  private readonly arenas: ArenaObject[] = [];
  private maxarenas = 0;
  private unusedArenaObjects: ArenaObject | null = null;
  private usableArenas: ArenaObject | null = null;
  /** nfp2lasta[n]: the last arena in usableArenas with n free pools. */
  private readonly nfp2lasta: (ArenaObject | null)[];

  private narenasCurrentlyAllocated = 0;
  private ntimesArenaAllocated = 0;
  private narenasHighwater = 0;
  /** Blocks handed out by pymalloc. */
  private pymallocBlocks = 0;
  /** Blocks malloc() sent to the raw allocator (CPython's raw_allocated_blocks). */
  private rawAllocatedBlocks = 0;

  private readonly mmap: ArenaMmap;
  private readonly arenaMap: ArenaMapAccounting | null;
  /** Pool headers by (poolTableTop - base) / POOL_SIZE. */
  private readonly poolTable: (PoolHeader | undefined)[] = [];
  /** mmapTop rounded up to POOL_SIZE, so every pool base maps to an integer slot. */
  private readonly poolTableTop: number;
  /** Lowest arena base ever mapped; addresses below are never pymalloc's. */
  private arenaLow: number;
  private readonly onNewArena: ((allocator: PyMalloc) => void) | undefined;

  // Geometry, copied into fields for the hot paths.
  private readonly alignmentShift: number;
  private readonly threshold: number;
  private readonly poolSize: number;
  private readonly poolOverhead: number;

  constructor(options: PyMallocOptions = {}) {
    const g = options.geometry ?? GEOMETRY_311;
    this.geometry = g;
    this.alignmentShift = g.alignmentShift;
    this.threshold = g.smallRequestThreshold;
    this.poolSize = g.poolSize;
    this.poolOverhead = g.poolOverhead;
    const top = options.mmapTop ?? DEFAULT_MMAP_TOP;
    this.mmap = new ArenaMmap(top, g.arenaSize);
    this.poolTableTop = Math.ceil(top / g.poolSize) * g.poolSize;
    this.arenaLow = top;
    this.raw = new RawMalloc(options.heapBase ?? DEFAULT_HEAP_BASE);
    this.arenaMap = g.radixTree === null ? null : new ArenaMapAccounting(g.radixTree);
    this.onNewArena = options.onNewArena;
    this.usedpools = [];
    for (let i = 0; i < g.numSizeClasses; i++) this.usedpools.push(new PoolHeader(0, null, 0));
    this.nfp2lasta = new Array<ArenaObject | null>(g.maxPoolsInArena + 1).fill(null);
  }

  // ---------------------------------------------------------------- malloc

  /**
   * PyObject_Malloc: a block of at least `nbytes`, as an address.
   * Requests of 0 or above the threshold go to the raw malloc.
   */
  malloc(nbytes: number): number {
    if (nbytes > 0 && nbytes <= this.threshold) {
      // nbytes is a small request size here, never an address: shifting is safe.
      const size = (nbytes - 1) >> this.alignmentShift;
      const pool = this.usedpools[size]!.nextpool;
      if (pool.arena !== null) {
        // A used pool of this class exists: pop the head of its free list.
        ++pool.refCount;
        ++this.pymallocBlocks;
        const bp = pool.freeblock;
        pool.freeblock = pool.links[bp]!;
        pool.links[bp] = ALLOCATED;
        if (pool.freeblock === NIL) this.poolExtend(pool);
        return pool.address + this.poolOverhead + bp * pool.size;
      }
      return this.allocateFromNewPool(size);
    }
    if (!Number.isInteger(nbytes) || nbytes < 0) {
      throw new AllocatorError(`malloc of an invalid size: ${nbytes}`);
    }
    ++this.rawAllocatedBlocks;
    return this.raw.malloc(nbytes);
  }

  /** The free list ran dry: add one virgin block to it, or retire the full pool. */
  private poolExtend(pool: PoolHeader): void {
    if (pool.nextoffset <= pool.maxnextoffset) {
      const bp = (pool.nextoffset - this.poolOverhead) / pool.size;
      pool.freeblock = bp;
      pool.links[bp] = NIL;
      pool.nextoffset += pool.size;
      return;
    }
    // Full: unlink from usedpools.
    const next = pool.nextpool;
    const prev = pool.prevpool;
    next.prevpool = prev;
    prev.nextpool = next;
  }

  /** No used pool of this class: take a pool from the head arena of usableArenas. */
  private allocateFromNewPool(size: number): number {
    if (this.usableArenas === null) {
      const fresh = this.newArena();
      fresh.nextarena = null;
      fresh.prevarena = null;
      this.usableArenas = fresh;
      this.nfp2lasta[fresh.nfreepools] = fresh;
    }
    const ua = this.usableArenas;
    // ua has the fewest free pools; taking one keeps it first, so only the
    // fingers move: it is no longer an arena with nfreepools, and it becomes
    // the last (and only) one with nfreepools - 1.
    if (this.nfp2lasta[ua.nfreepools] === ua) this.nfp2lasta[ua.nfreepools] = null;
    if (ua.nfreepools > 1) this.nfp2lasta[ua.nfreepools - 1] = ua;

    let pool = ua.freepools;
    if (pool !== null) {
      ua.freepools = pool.nextpool === pool ? null : pool.nextpool;
    } else {
      pool = this.carvePool(ua);
    }
    if (--ua.nfreepools === 0) {
      // Wholly allocated: leave usableArenas.
      this.usableArenas = ua.nextarena;
      if (this.usableArenas !== null) this.usableArenas.prevarena = null;
    }

    // Frontlink to usedpools (the list is empty: that is why we are here).
    const head = this.usedpools[size]!;
    pool.nextpool = head;
    pool.prevpool = head;
    head.nextpool = pool;
    head.prevpool = pool;
    pool.refCount = 1;
    ++this.pymallocBlocks;
    if (pool.szidx === size) {
      // Same class as last time: header and free list are still valid.
      const bp = pool.freeblock;
      pool.freeblock = pool.links[bp]!;
      pool.links[bp] = ALLOCATED;
      // An empty pool's list holds at least blocks 0 and 1, so it cannot run dry here.
      return pool.address + this.poolOverhead + bp * pool.size;
    }
    // Initialise for this class: return block 0, put block 1 on the free list.
    const bsize = (size + 1) << this.alignmentShift;
    const nb = numBlocksOf(size, this.geometry);
    if (pool.links.length < nb) pool.links = new Int16Array(nb);
    pool.szidx = size;
    pool.size = bsize;
    pool.links[0] = ALLOCATED;
    pool.links[1] = NIL;
    pool.freeblock = 1;
    pool.nextoffset = this.poolOverhead + 2 * bsize;
    pool.maxnextoffset = this.poolSize - bsize;
    return pool.address + this.poolOverhead;
  }

  /** Carves the next untouched pool off an arena (its pool_address). */
  private carvePool(ao: ArenaObject): PoolHeader {
    const pool = new PoolHeader(ao.poolAddress, ao, 0);
    ao.poolAddress += this.poolSize;
    ao.pools.push(pool);
    this.poolTable[this.slotOf(pool.address)] = pool;
    return pool;
  }

  /** new_arena: map an arena and take an arena object for it. */
  private newArena(): ArenaObject {
    if (this.onNewArena !== undefined) this.onNewArena(this);
    if (this.unusedArenaObjects === null) {
      // Double the vector; the new objects are chained in index order.
      const numarenas = this.maxarenas > 0 ? this.maxarenas * 2 : INITIAL_ARENA_OBJECTS;
      for (let i = this.maxarenas; i < numarenas; i++) this.arenas.push(new ArenaObject(i));
      for (let i = this.maxarenas; i < numarenas; i++) {
        this.arenas[i]!.nextarena = i < numarenas - 1 ? this.arenas[i + 1]! : null;
      }
      this.unusedArenaObjects = this.arenas[this.maxarenas]!;
      this.maxarenas = numarenas;
    }
    const ao = this.unusedArenaObjects;
    this.unusedArenaObjects = ao.nextarena;
    const address = this.mmap.map();
    if (address < this.arenaLow) this.arenaLow = address;
    this.arenaMap?.markUsed(address, true);
    ao.address = address;
    ++this.narenasCurrentlyAllocated;
    ++this.ntimesArenaAllocated;
    if (this.narenasCurrentlyAllocated > this.narenasHighwater) {
      this.narenasHighwater = this.narenasCurrentlyAllocated;
    }
    ao.freepools = null;
    ao.pools.length = 0;
    ao.poolAddress = address;
    ao.nfreepools = this.geometry.maxPoolsInArena;
    const excess = address % this.poolSize;
    if (excess !== 0) {
      --ao.nfreepools;
      ao.poolAddress += this.poolSize - excess;
    }
    ao.ntotalpools = ao.nfreepools;
    return ao;
  }

  // ------------------------------------------------------------------ free

  /**
   * PyObject_Free. Throws AllocatorError (an internal error, never a Python
   * exception) if `addr` is not an allocated block.
   */
  free(addr: number): void {
    const pool = this.lookupPool(addr);
    if (pool === undefined) {
      this.raw.free(addr);
      --this.rawAllocatedBlocks;
      return;
    }
    const bp = this.blockNumber(pool, addr, 'free');
    // Push on the pool's free list (LIFO).
    const lastfree = pool.freeblock;
    pool.links[bp] = lastfree;
    pool.freeblock = bp;
    --pool.refCount;
    --this.pymallocBlocks;
    if (lastfree === NIL) {
      // The pool was full, so it is on no list: back to the front of usedpools.
      this.insertToUsedpool(pool);
      return;
    }
    if (pool.refCount !== 0) return;
    this.insertToFreepool(pool);
  }

  /** Links a pool that was full at the front of its usedpools list. */
  private insertToUsedpool(pool: PoolHeader): void {
    const next = this.usedpools[pool.szidx]!.nextpool;
    const prev = next.prevpool;
    pool.nextpool = next;
    pool.prevpool = prev;
    next.prevpool = pool;
    prev.nextpool = pool;
  }

  /** A pool became empty: move it to its arena's freepools and re-sort the arena. */
  private insertToFreepool(pool: PoolHeader): void {
    const next = pool.nextpool;
    const prev = pool.prevpool;
    next.prevpool = prev;
    prev.nextpool = next;

    const ao = pool.arena!;
    // freepools is singly linked through nextpool; a pool pointing at itself ends it.
    pool.nextpool = ao.freepools ?? pool;
    ao.freepools = pool;
    let nf = ao.nfreepools;
    const lastnf = this.nfp2lasta[nf] ?? null;
    if (lastnf === ao) {
      // ao was the rightmost with nf free pools; its left neighbour may take over.
      const p = ao.prevarena;
      this.nfp2lasta[nf] = p !== null && p.nfreepools === nf ? p : null;
    }
    ao.nfreepools = ++nf;

    // Case 1: every pool is free. Unmap the arena, unless it is the last one
    // of usableArenas: keeping one wholly free arena avoids mapping and
    // unmapping an arena on every iteration of a simple loop (bpo-37257).
    if (nf === ao.ntotalpools && ao.nextarena !== null) {
      if (ao.prevarena === null) this.usableArenas = ao.nextarena;
      else ao.prevarena.nextarena = ao.nextarena;
      ao.nextarena.prevarena = ao.prevarena;
      this.releaseArena(ao);
      return;
    }
    // Case 2: the arena was full, so it is on no list: it has the fewest free
    // pools of all, so it goes to the head.
    if (nf === 1) {
      ao.nextarena = this.usableArenas;
      ao.prevarena = null;
      if (this.usableArenas !== null) this.usableArenas.prevarena = ao;
      this.usableArenas = ao;
      if (this.nfp2lasta[1] === null) this.nfp2lasta[1] = ao;
      return;
    }
    if (this.nfp2lasta[nf] === null) this.nfp2lasta[nf] = ao;
    // Case 4: ao was the rightmost of its old count, so it is still in order.
    if (ao === lastnf) return;
    // Case 3: slide ao right, to just after the last arena that had nf - 1.
    const target = lastnf!;
    if (ao.prevarena !== null) ao.prevarena.nextarena = ao.nextarena;
    else this.usableArenas = ao.nextarena;
    ao.nextarena!.prevarena = ao.prevarena;
    ao.prevarena = target;
    ao.nextarena = target.nextarena;
    if (ao.nextarena !== null) ao.nextarena.prevarena = ao;
    target.nextarena = ao;
  }

  /** Unmaps an arena whose pools are all free and recycles its arena object. */
  private releaseArena(ao: ArenaObject): void {
    ao.nextarena = this.unusedArenaObjects;
    ao.prevarena = null;
    this.unusedArenaObjects = ao;
    this.arenaMap?.markUsed(ao.address, false);
    this.mmap.unmap(ao.address);
    for (const pool of ao.pools) this.poolTable[this.slotOf(pool.address)] = undefined;
    ao.pools.length = 0;
    ao.freepools = null;
    ao.address = 0;
    --this.narenasCurrentlyAllocated;
  }

  // --------------------------------------------------------------- realloc

  /**
   * PyObject_Realloc. A pymalloc block stays in place when the new size fits
   * and does not shrink it by 25% or more (4 * nbytes > 3 * blocksize);
   * otherwise it is moved (malloc, then free). A raw block stays with the raw
   * allocator whatever the new size, as in CPython. `addr` 0 is malloc.
   */
  realloc(addr: number, nbytes: number): number {
    if (addr === 0) return this.malloc(nbytes);
    const pool = this.lookupPool(addr);
    if (pool === undefined) return this.raw.realloc(addr, nbytes);
    this.blockNumber(pool, addr, 'realloc');
    const size = pool.size;
    if (nbytes <= size && 4 * nbytes > 3 * size) return addr;
    const moved = this.malloc(nbytes);
    this.free(addr);
    return moved;
  }

  // ------------------------------------------------------------ addressing

  /** address_in_range: true if `addr` lies in a pool pymalloc carved. */
  isPymallocAddress(addr: number): boolean {
    return this.lookupPool(addr) !== undefined;
  }

  /** Usable bytes of an allocated block (pymalloc block size or raw chunk payload). */
  blockSizeOf(addr: number): number {
    const pool = this.lookupPool(addr);
    if (pool !== undefined) {
      this.blockNumber(pool, addr, 'blockSizeOf');
      return pool.size;
    }
    const chunk = this.raw.chunkSizeOf(addr);
    if (chunk === undefined) throw new AllocatorError(`blockSizeOf ${hexAddress(addr)}, which is not an allocated block`);
    return chunk - 8;
  }

  /** The live pool header holding `addr`, if any. Internal state: do not mutate. */
  poolOf(addr: number): PoolHeader | undefined {
    return this.lookupPool(addr);
  }

  private slotOf(base: number): number {
    return (this.poolTableTop - base) / this.poolSize;
  }

  private lookupPool(addr: number): PoolHeader | undefined {
    if (addr < this.arenaLow || addr >= this.poolTableTop) return undefined;
    // Same slot as slotOf(addr - addr % POOL_SIZE): for base <= addr < base +
    // POOL_SIZE the distance from the aligned top rounds up to the base's.
    // Avoiding `%` matters: on numbers above 2^31 it is a call to fmod.
    return this.poolTable[Math.ceil((this.poolTableTop - addr) / this.poolSize)];
  }

  /** The block number of an allocated `addr` in `pool`; throws otherwise. */
  private blockNumber(pool: PoolHeader, addr: number, op: string): number {
    const bp = (addr - pool.address - this.poolOverhead) / pool.size;
    // A fractional, negative or out-of-range bp reads undefined.
    if (pool.links[bp] !== ALLOCATED) {
      throw new AllocatorError(`${op} of ${hexAddress(addr)}, which is not an allocated block`);
    }
    return bp;
  }

  // ------------------------------------------------------------ statistics

  /** Blocks handed out by pymalloc itself. */
  get pymallocBlocksInUse(): number {
    return this.pymallocBlocks;
  }

  /**
   * sys.getallocatedblocks() (3.11): pymalloc blocks in use plus the blocks
   * malloc() passed on to the raw allocator. (Observed on 3.11.7: 1000 strings
   * of 1000+ characters add 1002 blocks.)
   */
  getAllocatedBlocks(): number {
    return this.pymallocBlocks + this.rawAllocatedBlocks;
  }

  /** The arena lines of the stats. */
  arenaCounters(): ArenaCounters {
    return {
      allocatedTotal: this.ntimesArenaAllocated,
      reclaimed: this.ntimesArenaAllocated - this.narenasCurrentlyAllocated,
      highwater: this.narenasHighwater,
      current: this.narenasCurrentlyAllocated,
    };
  }

  /** Walks every arena and pool, as pymalloc_print_stats does. */
  collectStats(): MallocStats {
    const g = this.geometry;
    const pools = new Array<number>(g.numSizeClasses).fill(0);
    const used = new Array<number>(g.numSizeClasses).fill(0);
    const avail = new Array<number>(g.numSizeClasses).fill(0);
    let narenas = 0;
    let unusedPools = 0;
    let alignment = 0;
    for (const ao of this.arenas) {
      if (ao.address === 0) continue;
      narenas++;
      unusedPools += ao.nfreepools;
      if (ao.address % g.poolSize !== 0) alignment += g.poolSize;
      for (const p of ao.pools) {
        if (p.refCount === 0) continue;
        pools[p.szidx]!++;
        used[p.szidx]! += p.refCount;
        avail[p.szidx]! += numBlocksOf(p.szidx, g) - p.refCount;
      }
    }
    const classes: SizeClassStats[] = [];
    let allocatedBytes = 0;
    let availableBytes = 0;
    let poolHeaderBytes = 0;
    let quantizationBytes = 0;
    for (let i = 0; i < g.numSizeClasses; i++) {
      const size = (i + 1) * g.alignment;
      classes.push({ idx: i, size, pools: pools[i]!, blocksInUse: used[i]!, availBlocks: avail[i]! });
      allocatedBytes += used[i]! * size;
      availableBytes += avail[i]! * size;
      poolHeaderBytes += pools[i]! * g.poolOverhead;
      quantizationBytes += pools[i]! * ((g.poolSize - g.poolOverhead) % size);
    }
    const total =
      allocatedBytes + availableBytes + unusedPools * g.poolSize + poolHeaderBytes + quantizationBytes + alignment;
    let arenaMap: ArenaMapStats | null = null;
    if (this.arenaMap !== null) {
      const shape = this.arenaMap.shape;
      arenaMap = {
        midNodes: this.arenaMap.midCount,
        botNodes: this.arenaMap.botCount,
        rootBytes: shape.rootBytes,
        midBytes: this.arenaMap.midCount * shape.midNodeBytes,
        botBytes: this.arenaMap.botCount * shape.botNodeBytes,
      };
    }
    return {
      geometry: g,
      classes,
      arenasAllocatedTotal: this.ntimesArenaAllocated,
      arenasReclaimed: this.ntimesArenaAllocated - narenas,
      arenasHighwater: this.narenasHighwater,
      arenasCurrent: narenas,
      allocatedBytes,
      availableBytes,
      unusedPools,
      poolHeaderBytes,
      quantizationBytes,
      arenaAlignmentBytes: alignment,
      total,
      arenaMap,
    };
  }

  /**
   * The full sys._debugmallocstats() text, with the free-list lines the object
   * layer passes in.
   *
   * @example pm.formatDebugMallocStats([{ name: 'free PyDictObject', count: 8, size: 48 }])
   */
  formatDebugMallocStats(freeLists: readonly FreeListStat[] = []): string {
    return formatDebugMallocStatsText(this.collectStats(), freeLists);
  }

  // --------------------------------------------------------- introspection

  /** Every mapped arena, in arena-object order, with the state of each pool slot. */
  describeArenas(): ArenaInfo[] {
    const g = this.geometry;
    const out: ArenaInfo[] = [];
    for (const ao of this.arenas) {
      if (ao.address === 0) continue;
      const pools: PoolInfo[] = [];
      for (const p of ao.pools) {
        const nb = numBlocksOf(p.szidx, g);
        const state: PoolState = p.refCount === 0 ? 'empty' : p.refCount === nb ? 'full' : 'used';
        pools.push({
          address: p.address,
          state,
          szidx: p.szidx,
          blockSize: p.size,
          blocksInUse: p.refCount,
          numBlocks: nb,
        });
      }
      for (let a = ao.poolAddress; pools.length < ao.ntotalpools; a += g.poolSize) {
        pools.push({ address: a, state: 'untouched', szidx: null, blockSize: null, blocksInUse: 0, numBlocks: null });
      }
      out.push({
        index: ao.index,
        address: ao.address,
        lostToAlignment: ao.address % g.poolSize !== 0,
        ntotalpools: ao.ntotalpools,
        nfreepools: ao.nfreepools,
        pools,
      });
    }
    return out;
  }

  /** Pool addresses on usedpools[szidx], front first. */
  usedpoolsOrder(szidx: number): number[] {
    const head = this.usedpools[szidx];
    const out: number[] = [];
    if (head === undefined) return out;
    for (let p = head.nextpool; p !== head; p = p.nextpool) out.push(p.address);
    return out;
  }

  /** usableArenas, head first: arena object index, base and free pools. */
  usableArenasOrder(): { index: number; address: number; nfreepools: number }[] {
    const out: { index: number; address: number; nfreepools: number }[] = [];
    for (let a = this.usableArenas; a !== null; a = a.nextarena) {
      out.push({ index: a.index, address: a.address, nfreepools: a.nfreepools });
    }
    return out;
  }

  // ----------------------------------------------------------- consistency

  /**
   * Checks every invariant of the design comment; returns one message per
   * violation (empty when the state is sound). O(heap), for tests and
   * stress modes.
   */
  checkConsistency(): string[] {
    const errors: string[] = [];
    const g = this.geometry;
    const inUsedList = new Set<PoolHeader>();
    for (let i = 0; i < this.usedpools.length; i++) {
      const head = this.usedpools[i]!;
      let n = 0;
      for (let p = head.nextpool; p !== head; p = p.nextpool) {
        if (++n > 1_000_000) {
          errors.push(`usedpools[${i}] is not a proper circular list`);
          break;
        }
        if (p.nextpool.prevpool !== p) errors.push(`usedpools[${i}]: broken back link at pool ${hexAddress(p.address)}`);
        inUsedList.add(p);
        if (p.szidx !== i) errors.push(`usedpools[${i}] holds pool ${hexAddress(p.address)} of class ${p.szidx}`);
        if (p.arena === null || p.arena.address === 0) {
          errors.push(`usedpools[${i}] holds pool ${hexAddress(p.address)} of an unmapped arena`);
        }
      }
    }

    let blocks = 0;
    let narenas = 0;
    for (const ao of this.arenas) {
      if (ao.address === 0) continue;
      narenas++;
      const where = `arena ${ao.index} at ${hexAddress(ao.address)}`;
      const free = new Set<PoolHeader>();
      for (let p = ao.freepools, n = 0; p !== null; p = p.nextpool === p ? null : p.nextpool) {
        if (++n > g.maxPoolsInArena) {
          errors.push(`${where}: freepools list does not end`);
          break;
        }
        free.add(p);
      }
      const untouched = ao.ntotalpools - ao.pools.length;
      if (ao.nfreepools !== free.size + untouched) {
        errors.push(`${where}: nfreepools ${ao.nfreepools} but ${free.size} empty + ${untouched} untouched pools`);
      }
      if (this.arenaMap !== null && !(this.arenaMap.isUsed(ao.address) && this.arenaMap.isUsed(ao.address + g.arenaSize - 1))) {
        errors.push(`${where}: not covered by the arena map`);
      }
      for (const p of ao.pools) {
        const at = `pool ${hexAddress(p.address)}`;
        if (this.lookupPool(p.address) !== p) errors.push(`${at}: not reachable from its address`);
        if (p.arena !== ao) errors.push(`${at}: wrong arena`);
        blocks += p.refCount;
        if (p.szidx === DUMMY_SIZE_IDX) {
          errors.push(`${at}: carved but never given a size class`);
          continue;
        }
        const nb = numBlocksOf(p.szidx, g);
        const virgin = (p.nextoffset - g.poolOverhead) / p.size;
        let allocated = 0;
        for (let b = 0; b < virgin && b < nb; b++) if (p.links[b] === ALLOCATED) allocated++;
        let listed = 0;
        for (let b = p.freeblock; b !== NIL; b = p.links[b]!) {
          if (b < 0 || b >= virgin || ++listed > nb) {
            errors.push(`${at}: corrupt free list`);
            break;
          }
        }
        if (allocated !== p.refCount) errors.push(`${at}: ref.count ${p.refCount} but ${allocated} blocks allocated`);
        if (allocated + listed + Math.max(0, nb - virgin) !== nb) {
          errors.push(`${at}: ${allocated} allocated + ${listed} free + ${Math.max(0, nb - virgin)} virgin != ${nb} blocks`);
        }
        const isUsed = p.refCount > 0 && p.refCount < nb;
        if (isUsed !== inUsedList.has(p)) {
          errors.push(`${at}: ${isUsed ? 'partially used but not' : 'not partially used but'} on usedpools[${p.szidx}]`);
        }
        if (p.refCount === nb && p.freeblock !== NIL) errors.push(`${at}: full but has a free block`);
        if ((p.refCount === 0) !== free.has(p)) {
          errors.push(`${at}: ${p.refCount === 0 ? 'empty but not' : 'in use but'} on its arena's freepools`);
        }
      }
    }
    if (blocks !== this.pymallocBlocks) errors.push(`block counter ${this.pymallocBlocks} but ${blocks} blocks in pools`);
    if (narenas !== this.narenasCurrentlyAllocated) {
      errors.push(`arena counter ${this.narenasCurrentlyAllocated} but ${narenas} arenas mapped`);
    }

    // usableArenas: exactly the arenas with free pools, ascending, fingers right.
    const onList = new Set<ArenaObject>();
    let prev: ArenaObject | null = null;
    for (let a = this.usableArenas; a !== null; a = a.nextarena) {
      if (onList.has(a)) {
        errors.push('usableArenas is cyclic');
        break;
      }
      onList.add(a);
      if (a.prevarena !== prev) errors.push(`usableArenas: broken back link at arena ${a.index}`);
      if (prev !== null && prev.nfreepools > a.nfreepools) {
        errors.push(`usableArenas not sorted: arena ${prev.index} (${prev.nfreepools}) before arena ${a.index} (${a.nfreepools})`);
      }
      const next = a.nextarena;
      const isLast = next === null || next.nfreepools !== a.nfreepools;
      if (isLast !== (this.nfp2lasta[a.nfreepools] === a)) {
        errors.push(`nfp2lasta[${a.nfreepools}] does not point at the last arena with ${a.nfreepools} free pools`);
      }
      prev = a;
    }
    for (let nf = 0; nf < this.nfp2lasta.length; nf++) {
      const a = this.nfp2lasta[nf];
      if (a !== null && a !== undefined && (!onList.has(a) || a.nfreepools !== nf)) {
        errors.push(`nfp2lasta[${nf}] points at arena ${a.index}, which has ${a.nfreepools} free pools or is not usable`);
      }
    }
    for (const ao of this.arenas) {
      if (ao.address !== 0 && (ao.nfreepools > 0) !== onList.has(ao)) {
        errors.push(`arena ${ao.index}: ${ao.nfreepools} free pools but ${onList.has(ao) ? '' : 'not '}on usableArenas`);
      }
    }

    const s = this.collectStats();
    if (s.total !== s.arenasCurrent * g.arenaSize) {
      errors.push(`stats total ${s.total} != ${s.arenasCurrent} arenas * ${g.arenaSize}`);
    }
    return errors;
  }
}
