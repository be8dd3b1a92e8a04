// Bookkeeping of obmalloc's arena map, the radix tree behind address_in_range
// in CPython 3.10+ (WITH_PYMALLOC_RADIX_TREE).
//
// The tree indexes "ideal" arenas: address ranges aligned to ARENA_SIZE. On
// 64-bit with 1 MiB arenas the top 15 bits pick a slot of the static root,
// the next 15 a slot of a mid node, the next 14 a slot of a bottom node, and
// the low 20 bits are the offset in the ideal arena. Mid and bottom nodes are
// calloc'ed the first time an arena touches them and never freed, even when
// the arena is. An arena whose base is not ARENA_SIZE-aligned (the usual case
// with mmap) straddles two ideal arenas and touches the nodes of both: its
// base's (recording tail_hi) and base + ARENA_SIZE's (recording tail_lo).
//
// refscope finds pools through its own table, so it keeps this tree only for
// what is observable: the node counts and byte figures of sys._debugmallocstats(),
// plus the coverage test itself, which checkConsistency() uses as a cross-check.

import type { RadixTreeShape } from './geometry.js';

export class ArenaMapAccounting {
  /** Mid nodes that exist, keyed by address / 2^(arena+bot+mid bits). */
  private readonly mids = new Set<number>();
  /** Bottom nodes that exist, keyed by address / 2^(arena+bot bits). */
  private readonly bots = new Set<number>();
  /** tail_hi per ideal arena (address / ARENA_SIZE): -1 for an aligned arena starting there. */
  private readonly tailHi = new Map<number, number>();
  /** tail_lo per ideal arena: an arena from below extends up to this offset. */
  private readonly tailLo = new Map<number, number>();
  private readonly arenaSize: number;
  private readonly botSpan: number;
  private readonly midSpan: number;

  constructor(readonly shape: RadixTreeShape) {
    this.arenaSize = 2 ** shape.arenaBits;
    this.botSpan = 2 ** (shape.arenaBits + shape.botBits);
    this.midSpan = 2 ** (shape.arenaBits + shape.botBits + shape.midBits);
  }

  get midCount(): number {
    return this.mids.size;
  }

  get botCount(): number {
    return this.bots.size;
  }

  /** arena_map_mark_used(base, used): record or clear an arena's coverage. */
  markUsed(base: number, used: boolean): void {
    this.touch(base, used);
    const ideal = Math.floor(base / this.arenaSize);
    const tail = base % this.arenaSize;
    if (tail === 0) {
      this.set(this.tailHi, ideal, used ? -1 : 0);
      return;
    }
    this.set(this.tailHi, ideal, used ? tail : 0);
    this.touch(base + this.arenaSize, used);
    this.set(this.tailLo, ideal + 1, used ? tail : 0);
  }

  /** arena_map_is_used(p): is `addr` inside a live arena? */
  isUsed(addr: number): boolean {
    if (!this.bots.has(Math.floor(addr / this.botSpan))) return false;
    const ideal = Math.floor(addr / this.arenaSize);
    const hi = this.tailHi.get(ideal) ?? 0;
    const lo = this.tailLo.get(ideal) ?? 0;
    const tail = addr % this.arenaSize;
    return tail < lo || (tail >= hi && hi !== 0);
  }

  /** Nodes are created when an arena is marked used and never freed. */
  private touch(addr: number, create: boolean): void {
    if (!create) return;
    this.mids.add(Math.floor(addr / this.midSpan));
    this.bots.add(Math.floor(addr / this.botSpan));
  }

  private set(map: Map<number, number>, key: number, value: number): void {
    if (value === 0) map.delete(key);
    else map.set(key, value);
  }
}
