/*
 * Atomic objects: int, bool, float, complex, str, bytes and the singletons.
 * None of them is a GC type (they cannot take part in a cycle), so they have
 * no traverse and no PyGC_Head.
 *
 * Ints keep their value as a JS number while it is a safe integer and as a
 * bigint beyond that, so arithmetic on ordinary values stays fast. The value
 * representation is normalised: a bigint-valued PyInt is never within the
 * safe range.
 */
import { releaseInstDict, visitSubtypeHead } from './containers.js';
import type { PyHash } from './hash.js';
import { decodeAddress, encodeAddress, GcFlag, PyObject, type PyTypeLike, type Releaser, type Visit } from './object.js';

/*
 * An instance of a Python subclass of int, float, str or bytes is a GC
 * object whose `__dict__` (when it has one) lives in the side table of
 * containers.ts; exact instances never have one, so these cost one flag test.
 */
function visitInstDict(o: PyObject, visit: Visit): void {
  // subtype_traverse: the __dict__, then the class (exact types are not heap types).
  visitSubtypeHead(o, visit);
}

export type IntValue = number | bigint;

export class PyInt extends PyObject {
  v: IntValue;
  constructor(type: PyTypeLike, v: IntValue) {
    super(type);
    this.v = v;
  }
  override traverse(visit: Visit): void {
    visitInstDict(this, visit);
  }
  override clear(r: Releaser): void {
    releaseInstDict(this, r);
  }
}

export class PyFloat extends PyObject {
  v: number;
  constructor(type: PyTypeLike, v: number) {
    super(type);
    this.v = v;
  }
  override traverse(visit: Visit): void {
    visitInstDict(this, visit);
  }
  override clear(r: Releaser): void {
    releaseInstDict(this, r);
  }
}

export class PyComplex extends PyObject {
  real: number;
  imag: number;
  constructor(type: PyTypeLike, real: number, imag: number) {
    super(type);
    this.real = real;
    this.imag = imag;
  }
}

/** Kind of a PEP 393 compact string: decides its size. */
export const enum StrKind {
  ASCII = 0,
  LATIN1 = 1,
  UCS2 = 2,
  UCS4 = 4,
}

export class PyStr extends PyObject {
  /** The text, UTF-16 as JS keeps it. Python indexes by code point: see cpLength. */
  v: string;
  /** Cached Python hash; undefined until computed. */
  hash: PyHash | undefined = undefined;
  interned = false;
  /** Cached code point length; -1 until computed. */
  private cpLen = -1;
  private kindCache = -1;
  /** 2.7 profile: a byte string (`str`), as opposed to `unicode`. */
  constructor(type: PyTypeLike, v: string) {
    super(type);
    this.v = v;
  }

  /** Length in code points (Python's len()). */
  get length(): number {
    if (this.cpLen < 0) {
      const s = this.v;
      let n = s.length;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            n--;
            i++;
          }
        }
      }
      this.cpLen = n;
    }
    return this.cpLen;
  }

  get kind(): StrKind {
    if (this.kindCache < 0) {
      let max = 0;
      const s = this.v;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > max) max = c;
      }
      if (max < 0x80) this.kindCache = StrKind.ASCII;
      else if (max < 0x100) this.kindCache = StrKind.LATIN1;
      else if (/[\ud800-\udbff][\udc00-\udfff]/.test(s)) this.kindCache = StrKind.UCS4;
      else this.kindCache = StrKind.UCS2;
    }
    return this.kindCache as StrKind;
  }

  override traverse(visit: Visit): void {
    visitInstDict(this, visit);
  }
  override clear(r: Releaser): void {
    releaseInstDict(this, r);
  }
}

export class PyBytes extends PyObject {
  v: Uint8Array;
  hash: PyHash | undefined = undefined;
  constructor(type: PyTypeLike, v: Uint8Array) {
    super(type);
    this.v = v;
  }
  override traverse(visit: Visit): void {
    visitInstDict(this, visit);
  }
  override clear(r: Releaser): void {
    releaseInstDict(this, r);
  }
}

/**
 * bytearray: a mutable byte string owning a separate buffer, as CPython's
 * PyByteArrayObject (ob_bytes, ob_start, ob_alloc). The simulated buffer is
 * `alloc` bytes at `bufAddr`, allocated through PyObject_Malloc by the
 * Runtime (byteArrayResize), so its size decides sys.getsizeof (basicsize +
 * ob_alloc) and its block shows in pymalloc's figures. `start` is ob_start -
 * ob_bytes: deleting from the front only advances it (3.x), and growth then
 * has to fit `start + size + 1` bytes.
 *
 * The JS contents live in `buf` (its capacity is a JS concern, unrelated to
 * `alloc`); the value is buf[0, len).
 */
export class PyByteArray extends PyObject {
  buf: Uint8Array;
  len: number;
  /** ob_alloc: bytes of the simulated buffer (0: no buffer). */
  alloc = 0;
  /** ob_start - ob_bytes. */
  start = 0;
  /** The buffer's address in encodeAddress form (a small integer, stored inline). */
  private bufAt = 0;
  /** Simulated address of the buffer (0 when alloc == 0). */
  get bufAddr(): number {
    return decodeAddress(this.bufAt);
  }
  set bufAddr(a: number) {
    this.bufAt = encodeAddress(a);
  }
  /** Live buffer exports (memoryviews): resizing is refused while > 0. */
  exports = 0;
  constructor(type: PyTypeLike, v: Uint8Array) {
    super(type);
    this.buf = v;
    this.len = v.length;
  }

  /** The current contents (a view: copy it before keeping it). */
  get v(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Sets the JS length, growing the JS storage geometrically (contents kept). */
  setLength(n: number): void {
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2, 16));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    } else if (n > this.len) this.buf.fill(0, this.len, n);
    this.len = n;
  }

  override releaseContents(r: Releaser): void {
    if (this.bufAddr) r.releaseBuffer(this.bufAddr);
    this.bufAddr = 0;
    this.alloc = 0;
  }
}

/** None, NotImplemented, Ellipsis and `object()` instances: no fields of their own. */
export class PyPlain extends PyObject {}
