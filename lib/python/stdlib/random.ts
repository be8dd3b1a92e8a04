/*
 * `_random`: the C half of CPython's random module, the Mersenne Twister
 * (MT19937) with CPython's seeding, so that a seeded generator gives the
 * very numbers CPython gives. `random` itself is Python over it, as in
 * CPython (py/random.ts for 3.x, py/random27.ts for 2.7).
 *
 *   seed(None)  624 words from the system's random source (os.urandom in
 *               CPython): different on every run, as in CPython;
 *   seed(int)   init_by_array over |n| in 32-bit words, least significant
 *               first (0 gives the one word 0);
 *   seed(other) the same over hash(other) as an unsigned word. random.py
 *               turns str and bytes into an int first (3.x), so this is for
 *               floats (CPython's numeric hash) and, in 2.7, strings (2.7's
 *               string hash, which is not randomised there).
 *
 * random() is 53 bits from two words; getrandbits(k) takes words from the
 * least significant end, the last one shifted down to the bits still
 * needed. getstate() is the 624 words and the position, 625 ints.
 */
import { randomBytes, createHash } from 'node:crypto';
import { PyTuple } from '../../heap/containers.js';
import type { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyBytes, PyFloat, PyInt, PyStr } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { makeModule } from './support.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The generator state of one `_random.Random` object. */
export class MersenneTwister {
  readonly mt = new Uint32Array(N);
  /** mti: the next word to temper; N + 1 before any seeding. */
  index = N + 1;

  initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1];
      mt[i] = (Math.imul(1812433253, p ^ (p >>> 30)) + i) >>> 0;
    }
    this.index = N;
  }

  initByArray(key: ArrayLike<number>): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const len = key.length;
    for (let k = Math.max(N, len); k > 0; k--) {
      const p = mt[i - 1];
      mt[i] = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1664525)) >>> 0) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const p = mt[i - 1];
      mt[i] = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1566083941)) >>> 0) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** genrand_uint32 */
  next(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random_random: 53 random bits as a float in [0, 1). */
  random(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /** Seeds from a non-negative integer (its 32-bit words, least significant first). */
  seedInt(n: bigint): void {
    const key: number[] = [];
    while (n > 0n) {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
  }

  /** random_seed_urandom: N words of system randomness. */
  seedSystem(): void {
    const b = randomBytes(N * 4);
    this.initByArray(new Uint32Array(b.buffer, b.byteOffset, N));
  }
}

const P61 = (1n << 61n) - 1n;

/** CPython 3's hash of a finite float (_Py_HashDouble: the value modulo 2**61 - 1). */
function floatHash3(x: number): bigint {
  if (!Number.isFinite(x)) return x > 0 ? 314159n : x < 0 ? -314159n : 0n;
  if (x === 0) return 0n;
  // x = m * 2**e exactly, m an integer.
  let e = 0;
  let m = Math.abs(x);
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  let h = BigInt(m) % P61;
  const shift = (((e % 61) + 61) % 61) as number;
  h = (h << BigInt(shift)) % P61;
  if (x < 0) h = -h;
  return h === -1n ? -2n : h;
}

/** CPython 2.7's hash of a byte string (no randomisation), as a signed 64-bit value. */
function strHash27(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const mask = (1n << 64n) - 1n;
  let x = BigInt(bytes[0]) << 7n;
  for (const c of bytes) x = ((1000003n * x) & mask) ^ BigInt(c);
  x ^= BigInt(bytes.length);
  x = BigInt.asIntN(64, x);
  return x === -1n ? -2n : x;
}

export function installRandom(it: Interpreter): void {
  const rt = it.rt;
  // Instances hold no Python references: the generator state is plain data.
  const randomT: PyType = rt.defineStaticType('Random', 'other', false, it.py2 ? 5016 : 2504, it.t.object, true);
  randomT.moduleName = '_random';
  const mtOf = (o: PyObject): MersenneTwister => {
    const st = (o as PyHolder).state;
    if (!(st instanceof MersenneTwister)) it.typeError(`descriptor requires a '_random.Random' object but received '${it.typeName(o)}'`);
    return st;
  };

  const seed = (g: MersenneTwister, arg: PyObject | undefined): void => {
    if (arg === undefined || arg === rt.None) {
      g.seedSystem();
      return;
    }
    if (arg instanceof PyInt) {
      const v = BigInt(arg.v);
      g.seedInt(v < 0n ? -v : v);
      return;
    }
    // The hash, as an unsigned machine word.
    let h: bigint;
    if (arg instanceof PyFloat && !it.py2) h = floatHash3(arg.v);
    else if (it.py2 && arg instanceof PyStr) h = strHash27(new TextEncoder().encode(arg.v));
    else if (it.py2 && arg instanceof PyBytes) h = strHash27(arg.v);
    else h = BigInt(it.hash(arg));
    g.seedInt(BigInt.asUintN(64, h));
  };

  const getrandbits = (g: MersenneTwister, k: number): PyObject => {
    // 2.7 refuses 0 bits as well.
    if (it.py2 && k <= 0) it.raise('ValueError', 'number of bits must be greater than zero');
    if (k < 0) it.raise('ValueError', 'number of bits must be non-negative');
    if (k === 0) return it.int(0);
    if (k <= 32) return it.int(g.next() >>> (32 - k));
    let r = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let w = g.next();
      if (left < 32) w >>>= 32 - left;
      r |= BigInt(w) << shift;
      shift += 32n;
    }
    return it.int(r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r);
  };

  const newRandom = (ty: PyType): PyHolder => rt.newHolder(ty, [], new MersenneTwister(), ty.tp_basicsize, ty.isHeapType);

  it.constructors.set(randomT, (ty, args) => {
    const o = newRandom(ty);
    if (ty.isHeapType) return o; // the subclass's __init__ seeds it (random.Random.__init__)
    try {
      if (args.length > 1) it.typeError(`Random() expected at most 1 argument, got ${args.length}`);
      seed(mtOf(o), args[0]);
    } catch (e) {
      it.decref(o);
      throw e;
    }
    return o;
  });

  const methods: Record<string, NativeFn> = {
    random: (self) => rt.newFloat(mtOf(self!).random()),
    seed: (self, args) => {
      seed(mtOf(self!), args[0]);
      return it.none();
    },
    getrandbits: (self, args) => {
      if (!(args[0] instanceof PyInt)) it.typeError(`'${it.typeName(args[0])}' object cannot be interpreted as an integer`);
      return getrandbits(mtOf(self!), Number(args[0].v));
    },
    getstate: (self) => {
      const g = mtOf(self!);
      const items: PyObject[] = Array.from(g.mt, (w) => it.int(w));
      items.push(it.int(g.index));
      return rt.newTuple(items);
    },
    setstate: (self, args) => {
      const g = mtOf(self!);
      const st = args[0];
      if (!(st instanceof PyTuple)) it.typeError('state vector must be a tuple');
      if (st.items.length !== N + 1) it.raise('ValueError', 'state vector is the wrong size');
      const words = st.items.map((x) => {
        if (!(x instanceof PyInt)) it.typeError(`'${it.typeName(x)}' object cannot be interpreted as an integer`);
        const v = BigInt(x.v);
        if (v < 0n || v > 0xffffffffffffffffn) it.raise('OverflowError', v < 0n ? "can't convert negative value to unsigned int" : 'Python int too large to convert to C unsigned long');
        return v;
      });
      const index = Number(words[N]);
      if (index < 0 || index > N) it.raise('ValueError', 'invalid state');
      for (let i = 0; i < N; i++) g.mt[i] = Number(words[i] & 0xffffffffn);
      g.index = index;
      return it.none();
    },
  };
  it.defineMethods(randomT, methods);

  it.extraModules.set('_random', () =>
    makeModule(
      it,
      '_random',
      {
        // random.py's seed(str/bytes) (version 2): the bytes followed by their SHA-512 digest, read as a big-endian int.
        _sha512_seed: (_s, args) => {
          const b = args[0] instanceof PyBytes ? args[0].v : new TextEncoder().encode((args[0] as PyStr).v);
          const all = Buffer.concat([Buffer.from(b), createHash('sha512').update(b).digest()]);
          return it.int(BigInt('0x' + all.toString('hex')));
        },
      },
      { Random: () => it.incref(randomT) },
    ),
  );
}
