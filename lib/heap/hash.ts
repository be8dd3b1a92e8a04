/*
 * CPython's hash functions, per profile.
 *
 * Hash values are observable twice: hash() prints them, and sets (both
 * versions) and 2.7 dicts iterate in hash-table slot order, which the hash
 * decides. So every function here reproduces CPython's value exactly.
 *
 * A Py_hash_t is a signed 64-bit integer. JS numbers hold 53 bits, so a hash
 * is a `PyHash`: a number when it is a safe integer, else a bigint (always
 * that canonical form, so `===` compares hashes). Most hashes people see are
 * small ints and stay numbers; str, tuple and pointer hashes use all 64 bits.
 * The inner loops (SipHash, the tuple and 2.7 str multipliers) work on
 * 32-bit halves instead of bigints: bigint arithmetic allocates.
 *
 * 3.11 randomises str and bytes hashes per process (SipHash-1-3 keyed from
 * os.urandom); scripts cannot depend on them. We use the key CPython uses
 * under PYTHONHASHSEED=0 (all zeros), so that runs are deterministic and
 * match `PYTHONHASHSEED=0 python3`. 2.7 does not randomise by default.
 *
 * Leaf module: imports nothing.
 */

/** A Python hash value: a safe-integer number, or a bigint outside that range. */
export type PyHash = number | bigint;

const TWO32 = 4294967296;

/** The canonical PyHash of a signed 64-bit value given as two 32-bit halves. */
export function hashFromParts(hi: number, lo: number): PyHash {
  hi |= 0;
  lo >>>= 0;
  // Safe when the value fits in 53 bits: hi in [-2^21, 2^21).
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Low 32 bits of a hash (as a signed int32): what table indexing uses. */
export function hashLo(h: PyHash): number {
  return typeof h === 'number' ? h | 0 : Number(BigInt.asIntN(32, h));
}

/** High 32 bits of a hash (as a signed int32): the perturbation shifts them in. */
export function hashHi(h: PyHash): number {
  return typeof h === 'number' ? Math.floor(h / TWO32) | 0 : Number(BigInt.asIntN(32, h >> 32n));
}

/** The hash of a signed 64-bit bigint value (wrapped), canonical form. */
function fromBig(v: bigint): PyHash {
  const s = BigInt.asIntN(64, v);
  return s >= -9007199254740991n && s <= 9007199254740991n ? Number(s) : s;
}

/** -1 is CPython's error return: a hash that comes out as -1 becomes -2. */
function notMinusOne(h: PyHash): PyHash {
  return h === -1 ? -2 : h;
}

// ------------------------------------------------------------ 64-bit helpers

/** High half of the last mul64 result (the low half is returned). */
let mulHi = 0;

/** Low 64 bits of (ahi:alo) * (bhi:blo); returns the low half, sets mulHi. */
function mul64(ahi: number, alo: number, bhi: number, blo: number): number {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  const hi = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  mulHi = (hi + Math.imul(ahi, blo) + Math.imul(alo, bhi)) >>> 0;
  return lo;
}

// ---------------------------------------------------------------- pointers

/**
 * _Py_HashPointer (both versions): the address rotated right by 4 bits, so
 * that the always-zero alignment bits do not all land in the same slots.
 */
export function pointerHash(addr: number): PyHash {
  const lo = addr % TWO32;
  const hi = (addr - lo) / TWO32;
  const rlo = ((lo >>> 4) | (hi << 28)) >>> 0;
  const rhi = ((hi >>> 4) | (lo << 28)) >>> 0;
  return notMinusOne(hashFromParts(rhi, rlo));
}

// -------------------------------------------------------------- 3.11: ints

const MODULUS_BITS = 61;
const MODULUS = (1n << 61n) - 1n;

/** 3.11 long_hash: the value reduced modulo 2**61 - 1, keeping the sign; -1 becomes -2. */
export function intHash311(v: number | bigint): PyHash {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v === -1 ? -2 : v;
    v = BigInt(v);
  }
  let r = (v < 0n ? -v : v) % MODULUS;
  if (v < 0n) r = -r;
  return notMinusOne(fromBig(r));
}

/**
 * 3.11 _Py_HashDouble: the rational value of the float reduced modulo
 * 2**61 - 1 (so equal ints and floats hash alike). A NaN hashes by identity
 * (`nanHash`), infinities to ±314159.
 */
export function floatHash311(x: number, nanHash: () => PyHash): PyHash {
  if (Number.isNaN(x)) return nanHash();
  if (!Number.isFinite(x)) return x > 0 ? 314159 : -314159;
  if (Number.isInteger(x)) return intHash311(Number.isSafeInteger(x) ? x : BigInt(x));
  // x = m * 2**e with m an odd-or-any 53-bit integer; 2**61 ≡ 1, so 2**e ≡ 2**(e mod 61).
  const neg = x < 0;
  let m = Math.abs(x);
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  const k = ((e % MODULUS_BITS) + MODULUS_BITS) % MODULUS_BITS;
  let r = (BigInt(m) << BigInt(k)) % MODULUS;
  if (neg) r = -r;
  return notMinusOne(fromBig(r));
}

// ------------------------------------------------------------ 3.11: tuples

// xxHash primes used by 3.11's tuplehash (64-bit build), as 32-bit halves.
const XXP1_HI = 0x9e3779b1;
const XXP1_LO = 0x85ebca87;
const XXP2_HI = 0xc2b2ae3d;
const XXP2_LO = 0x27d4eb4f;
const XXP5_HI = 0x27d4eb2f;
const XXP5_LO = 0x165667c5;

/** 3.11 tuplehash, an xxHash variant over the item hashes. */
export function tupleHash311(items: readonly PyHash[]): PyHash {
  let hi = XXP5_HI;
  let lo = XXP5_LO;
  for (let i = 0; i < items.length; i++) {
    const h = items[i];
    // acc += lane * PRIME2
    let plo = mul64(hashHi(h), hashLo(h), XXP2_HI, XXP2_LO);
    let phi = mulHi;
    const slo = lo + plo;
    hi = (hi + phi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
    lo = slo >>> 0;
    // acc = rotl(acc, 31)
    const nhi = ((hi << 31) | (lo >>> 1)) >>> 0;
    const nlo = ((lo << 31) | (hi >>> 1)) >>> 0;
    // acc *= PRIME1
    plo = mul64(nhi, nlo, XXP1_HI, XXP1_LO);
    phi = mulHi;
    hi = phi;
    lo = plo;
  }
  // acc += len ^ (PRIME5 ^ 3527539)
  const xlo = (items.length ^ (XXP5_LO ^ 3527539)) >>> 0;
  const xhi = XXP5_HI;
  const slo = lo + xlo;
  hi = (hi + xhi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
  lo = slo >>> 0;
  if (hi === 0xffffffff && lo === 0xffffffff) return 1546275796;
  return hashFromParts(hi, lo);
}

// ------------------------------------------------------ 3.11: str, bytes

/** SipHash state: v0..v3 as (hi, lo) pairs. */
const V = new Uint32Array(8);

function sipRound(): void {
  // Two half rounds: (v0, v1, v2, v3, 13, 16) then (v2, v1, v0, v3, 17, 21).
  halfRound(0, 1, 2, 3, 13, 16);
  halfRound(2, 1, 0, 3, 17, 21);
}

function halfRound(a: number, b: number, c: number, d: number, s: number, t: number): void {
  add(a, b);
  add(c, d);
  rotl(b, s);
  xorInto(b, a);
  rotl(d, t);
  xorInto(d, c);
  // a = rotl(a, 32): swap halves.
  const h = V[a * 2];
  V[a * 2] = V[a * 2 + 1];
  V[a * 2 + 1] = h;
}

function add(d: number, s: number): void {
  const lo = V[d * 2 + 1] + V[s * 2 + 1];
  V[d * 2] = V[d * 2] + V[s * 2] + (lo > 0xffffffff ? 1 : 0);
  V[d * 2 + 1] = lo;
}

function xorInto(d: number, s: number): void {
  V[d * 2] ^= V[s * 2];
  V[d * 2 + 1] ^= V[s * 2 + 1];
}

function rotl(d: number, n: number): void {
  const hi = V[d * 2];
  const lo = V[d * 2 + 1];
  V[d * 2] = (hi << n) | (lo >>> (32 - n));
  V[d * 2 + 1] = (lo << n) | (hi >>> (32 - n));
}

/** SipHash-1-3 with a zero key, little-endian, as CPython's pyhash.c siphash13. */
function siphash13(data: Uint8Array): PyHash {
  const n = data.length;
  // v = k ^ "somepseudorandomlygeneratedbytes", with k0 = k1 = 0.
  V[0] = 0x736f6d65;
  V[1] = 0x70736575;
  V[2] = 0x646f7261;
  V[3] = 0x6e646f6d;
  V[4] = 0x6c796765;
  V[5] = 0x6e657261;
  V[6] = 0x74656462;
  V[7] = 0x79746573;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const mlo = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    const mhi = data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24);
    V[6] ^= mhi;
    V[7] ^= mlo;
    sipRound();
    V[0] ^= mhi;
    V[1] ^= mlo;
  }
  // Last block: the remaining bytes, and the length in the top byte.
  let blo = 0;
  let bhi = (n & 0xff) << 24;
  for (let j = 0; i + j < n; j++) {
    if (j < 4) blo |= data[i + j] << (8 * j);
    else bhi |= data[i + j] << (8 * (j - 4));
  }
  V[6] ^= bhi;
  V[7] ^= blo;
  sipRound();
  V[0] ^= bhi;
  V[1] ^= blo;
  V[5] ^= 0xff;
  sipRound();
  sipRound();
  sipRound();
  const hi = V[0] ^ V[2] ^ V[4] ^ V[6];
  const lo = V[1] ^ V[3] ^ V[5] ^ V[7];
  return hashFromParts(hi, lo);
}

/** 3.11 _Py_HashBytes: 0 for no bytes, else SipHash-1-3; -1 becomes -2. */
export function bytesHash311(data: Uint8Array): PyHash {
  if (data.length === 0) return 0;
  return notMinusOne(siphash13(data));
}

/**
 * 3.11 unicode_hash: _Py_HashBytes over the PEP 393 representation (1, 2 or
 * 4 bytes per code point, little-endian, by the widest code point).
 */
export function strHash311(s: string): PyHash {
  if (s.length === 0) return 0;
  let max = 0;
  const cps: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    cps.push(c);
    if (c > max) max = c;
  }
  const width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
  const data = new Uint8Array(cps.length * width);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    data[i * width] = c & 0xff;
    if (width > 1) data[i * width + 1] = (c >>> 8) & 0xff;
    if (width > 2) {
      data[i * width + 2] = (c >>> 16) & 0xff;
      data[i * width + 3] = 0;
    }
  }
  return bytesHash311(data);
}

// --------------------------------------------------------- 3.11: frozenset

/** _shuffle_bits of frozenset_hash: spreads close item hashes apart. Returns lo, sets mulHi. */
function shuffleBits(hi: number, lo: number): number {
  // ((h ^ 89869747) ^ (h << 16)) * 3644798167
  const xlo = (lo ^ 89869747 ^ (lo << 16)) >>> 0;
  const xhi = (hi ^ ((hi << 16) | (lo >>> 16))) >>> 0;
  return mul64(xhi, xlo, 0, 3644798167);
}

/**
 * 3.11 frozenset_hash over the table: the XOR of the shuffled hashes of
 * the active entries, mixed with the size. Equal sets hash alike whatever
 * their table layout, which is why only active entries count here (CPython
 * XORs every slot, then cancels the empty and dummy ones out).
 */
export function frozensetHash311(hashes: readonly PyHash[]): PyHash {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i];
    lo ^= shuffleBits(hashHi(h), hashLo(h));
    hi ^= mulHi;
  }
  // hash ^= (len + 1) * 1927868237
  let plo = mul64(0, hashes.length + 1, 0, 1927868237);
  hi ^= mulHi;
  lo ^= plo;
  hi >>>= 0;
  lo >>>= 0;
  // hash ^= (hash >> 11) ^ (hash >> 25)
  const s11lo = ((lo >>> 11) | (hi << 21)) >>> 0;
  const s11hi = hi >>> 11;
  const s25lo = ((lo >>> 25) | (hi << 7)) >>> 0;
  const s25hi = hi >>> 25;
  lo = (lo ^ s11lo ^ s25lo) >>> 0;
  hi = (hi ^ s11hi ^ s25hi) >>> 0;
  // hash = hash * 69069 + 907133923
  plo = mul64(hi, lo, 0, 69069);
  const slo = plo + 907133923;
  hi = (mulHi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
  lo = slo >>> 0;
  if (hi === 0xffffffff && lo === 0xffffffff) return 590923713;
  return hashFromParts(hi, lo);
}

// ----------------------------------------------------------------- 2.7

/** 2.7 int_hash: the C long value itself; -1 becomes -2. */
export function intHash27(v: number | bigint): PyHash {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v === -1 ? -2 : v;
  return longHash27(v);
}

const ULONG_MASK = (1n << 64n) - 1n;

/**
 * 2.7 long_hash: folds the 30-bit digits (most significant first) into an
 * unsigned long with an end-around carry, i.e. the absolute value modulo
 * 2**64 - 1 (with its particular representative), then applies the sign.
 */
export function longHash27(v: number | bigint): PyHash {
  let b = BigInt(v);
  const neg = b < 0n;
  if (neg) b = -b;
  // Below 2**63 - 1 the fold leaves the value itself.
  if (b < 0x7fffffffffffffffn) return notMinusOne(fromBig(neg ? -b : b));
  const digits: bigint[] = [];
  while (b > 0n) {
    digits.push(b & 0x3fffffffn);
    b >>= 30n;
  }
  let x = 0n;
  for (let i = digits.length - 1; i >= 0; i--) {
    x = ((x >> 34n) | (x << 30n)) & ULONG_MASK;
    x += digits[i];
    if (x > ULONG_MASK) x = (x & ULONG_MASK) + 1n;
  }
  if (neg) x = (-x) & ULONG_MASK;
  return notMinusOne(fromBig(x));
}

/** 2.7 _Py_HashDouble: integral values hash as the equal int/long; others mix frexp's parts. */
export function floatHash27(v: number): PyHash {
  if (Number.isNaN(v)) return 0;
  if (!Number.isFinite(v)) return v > 0 ? 314159 : -271828;
  if (Number.isInteger(v)) {
    if (Math.abs(v) > 2 ** 62) return longHash27(BigInt(v));
    return intHash27(v === 0 ? 0 : v);
  }
  // frexp: v = m * 2**e with 0.5 <= |m| < 1.
  let e = Math.floor(Math.log2(Math.abs(v))) + 1;
  let m = v / 2 ** e;
  // log2 can be off by one at the edges; fix m into [0.5, 1).
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  m *= 2147483648;
  const hipart = Math.trunc(m);
  m = (m - hipart) * 2147483648;
  const x = hipart + Math.trunc(m) + e * 32768;
  return x === -1 ? -2 : x;
}

/**
 * 2.7 string_hash / unicode_hash (no -R randomisation): a multiplicative
 * hash over the bytes (str) or code points (unicode, UCS4 build), in 64-bit
 * unsigned arithmetic. `units` yields the bytes or code points.
 */
export function strHash27(units: ArrayLike<number>): PyHash {
  const n = units.length;
  if (n === 0) return 0;
  // x = first << 7
  let lo = (units[0] << 7) >>> 0;
  let hi = units[0] >>> 25;
  for (let i = 0; i < n; i++) {
    lo = mul64(hi, lo, 0, 1000003);
    hi = mulHi;
    lo = (lo ^ units[i]) >>> 0;
  }
  lo = (lo ^ n) >>> 0;
  if (hi === 0xffffffff && lo === 0xffffffff) return -2;
  return hashFromParts(hi, lo);
}

/** Code points of a JS string (what a UCS4 2.7 unicode hashes over). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** Char codes of a JS string holding one byte per char (a 2.7 str). */
export function byteUnits(s: string): number[] {
  const out: number[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** 2.7 tuplehash: the classic multiplier that grows with the position. */
export function tupleHash27(items: readonly PyHash[]): PyHash {
  // x = 0x345678; mult = 1000003
  let hi = 0;
  let lo = 0x345678;
  let mhi = 0;
  let mlo = 1000003;
  let len = items.length;
  for (let i = 0; i < items.length; i++) {
    const h = items[i];
    // x = (x ^ y) * mult
    lo = mul64((hi ^ hashHi(h)) >>> 0, (lo ^ hashLo(h)) >>> 0, mhi, mlo);
    hi = mulHi;
    len--;
    // mult += 82520 + len + len
    const slo = mlo + 82520 + len + len;
    mhi = (mhi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
    mlo = slo >>> 0;
  }
  const slo = lo + 97531;
  hi = (hi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
  lo = slo >>> 0;
  if (hi === 0xffffffff && lo === 0xffffffff) return -2;
  return hashFromParts(hi, lo);
}

/** 2.7 frozenset_hash: size-seeded, XOR of the dispersed item hashes, in slot order. */
export function frozensetHash27(hashes: readonly PyHash[]): PyHash {
  // hash = 1927868237 * (len + 1)
  let lo = mul64(0, 1927868237, 0, hashes.length + 1);
  let hi = mulHi;
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i];
    const hl = hashLo(h);
    const hh = hashHi(h);
    // (h ^ (h << 16) ^ 89869747) * 3644798167
    const xlo = (hl ^ (hl << 16) ^ 89869747) >>> 0;
    const xhi = (hh ^ ((hh << 16) | (hl >>> 16))) >>> 0;
    lo = (lo ^ mul64(xhi, xlo, 0, 3644798167)) >>> 0;
    hi = (hi ^ mulHi) >>> 0;
  }
  // hash = hash * 69069 + 907133923
  lo = mul64(hi, lo, 0, 69069);
  hi = mulHi;
  const slo = lo + 907133923;
  hi = (hi + (slo > 0xffffffff ? 1 : 0)) >>> 0;
  lo = slo >>> 0;
  if (hi === 0xffffffff && lo === 0xffffffff) return 590923713;
  return hashFromParts(hi, lo);
}
