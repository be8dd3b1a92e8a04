// The allocator's only error channel: internal invariant violations.
//
// A bad free or a corrupted pool is a bug in refscope (the object layer freed
// something twice, or an address that never came from the allocator), never
// something a Python script can cause or catch, so it is not a Python
// exception. The message always names the address involved.

/** An allocator invariant was violated; the message names the address. */
export class AllocatorError extends Error {
  override readonly name = 'AllocatorError';
}

/** Formats an address like CPython's `%p`: `0x7f3a5c1eb030`. */
export function hexAddress(addr: number): string {
  return '0x' + addr.toString(16);
}
