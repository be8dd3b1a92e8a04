// A simulated anonymous `mmap` for arenas.
//
// CPython 3.x on Linux maps each arena with mmap(ARENA_SIZE). The kernel's
// top-down allocator hands out the highest free gap below mmap_base, so
// successive arenas sit just below one another and an unmapped arena's range
// is the first one handed out again. Addresses are 4 KiB (page) aligned and
// nothing more, which is why a 16 KiB-pool build loses the first partial pool
// of nearly every arena. This model keeps exactly that: one fixed top, arenas
// carved downward, freed ranges reused highest first.

import { AllocatorError, hexAddress } from './errors.js';

/** Linux page size: mmap's only alignment guarantee. */
export const PAGE_SIZE = 4096;

/** Deterministic top-down mapper of equal-sized regions. */
export class ArenaMmap {
  /** Lowest address mapped so far; everything below is virgin. */
  private bottom: number;
  /** Bases of unmapped ranges between `bottom` and `top`. */
  private readonly holes: number[] = [];

  constructor(
    readonly top: number,
    readonly size: number,
  ) {
    if (top % PAGE_SIZE !== 0) throw new AllocatorError(`mmap top ${hexAddress(top)} is not page-aligned`);
    if (size % PAGE_SIZE !== 0) throw new AllocatorError(`mmap size ${size} is not a multiple of the page size`);
    this.bottom = top;
  }

  /** Maps one region and returns its base. */
  map(): number {
    if (this.holes.length > 0) {
      // The highest gap wins, as in the kernel's top-down search.
      let best = 0;
      for (let i = 1; i < this.holes.length; i++) if (this.holes[i]! > this.holes[best]!) best = i;
      const base = this.holes[best]!;
      this.holes[best] = this.holes[this.holes.length - 1]!;
      this.holes.pop();
      return base;
    }
    this.bottom -= this.size;
    return this.bottom;
  }

  /** Unmaps a region previously returned by map(). */
  unmap(base: number): void {
    if (base < this.bottom || base >= this.top || (this.top - base) % this.size !== 0 || this.holes.includes(base)) {
      throw new AllocatorError(`munmap of ${hexAddress(base)}, which is not a mapped arena`);
    }
    this.holes.push(base);
  }
}
