// Python indexes str by code point; JS strings are UTF-16. Almost every
// string a script builds has no surrogate pair, and then a code point index
// is a UTF-16 index. So each helper checks once, with one native regex scan,
// and only strings with astral characters take the slow path. A caller that
// caches the answer on its str object can pass it as `astral` and skip even
// that scan.
//
// Compromise: a Python str holding two lone surrogates that happen to form a
// pair ('\ud83d\ude00' built from escapes) is one character here. CPython
// keeps them apart; scripts doing that are rare.

import { TextError } from './errors.js';

const PAIR_RE = /[\ud800-\udbff][\udc00-\udfff]/;

/** True when s holds a surrogate pair, i.e. code points != UTF-16 units. */
export function hasAstral(s: string): boolean {
  return PAIR_RE.test(s);
}

/**
 * `len(s)`.
 * @example cpLength('a\u{1F600}') // 2
 */
export function cpLength(s: string, astral = hasAstral(s)): number {
  if (!astral) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** UTF-16 offset of code point index cp (0 <= cp <= length). */
export function cpOffset(s: string, cp: number, astral = hasAstral(s)): number {
  if (!astral) return cp;
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** Code point index of UTF-16 offset off. */
export function cpIndexOf(s: string, off: number, astral = hasAstral(s)): number {
  if (!astral) return off;
  return cpLength(s.slice(0, off), true);
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code points of s as one-character strings. */
export function cpArray(s: string, astral = hasAstral(s)): string[] {
  return astral ? Array.from(s) : s.split('');
}

/**
 * `s[i]` with negative indexes; IndexError `string index out of range`.
 * @example cpIndex('abc', -1) // 'c'
 */
export function cpIndex(s: string, i: number, astral = hasAstral(s)): string {
  if (!astral) {
    if (i < 0) i += s.length;
    if (i < 0 || i >= s.length) throw new TextError('IndexError', 'string index out of range');
    return s[i];
  }
  const cps = Array.from(s);
  if (i < 0) i += cps.length;
  if (i < 0 || i >= cps.length) throw new TextError('IndexError', 'string index out of range');
  return cps[i];
}

/**
 * Python's `slice.indices(length)`: clamps start/stop (undefined = omitted)
 * for the given step. Returns [start, stop, step, count].
 */
export function sliceIndices(
  length: number,
  start: number | undefined,
  stop: number | undefined,
  step: number | undefined,
): [number, number, number, number] {
  const st = step ?? 1;
  if (st === 0) throw new TextError('ValueError', 'slice step cannot be zero');
  let a: number;
  let b: number;
  if (st > 0) {
    a = start === undefined ? 0 : clamp(start, length, 0, length);
    b = stop === undefined ? length : clamp(stop, length, 0, length);
  } else {
    a = start === undefined ? length - 1 : clamp(start, length, -1, length - 1);
    b = stop === undefined ? -1 : clamp(stop, length, -1, length - 1);
  }
  const count = st > 0 ? (b > a ? Math.floor((b - a - 1) / st) + 1 : 0) : a > b ? Math.floor((a - b - 1) / -st) + 1 : 0;
  return [a, b, st, count];
}

function clamp(i: number, length: number, lo: number, hi: number): number {
  if (i < 0) i += length;
  return i < lo ? lo : i > hi ? hi : i;
}

/**
 * `s[start:stop:step]`; undefined stands for an omitted bound.
 * @example cpSlice('hello', undefined, undefined, -1) // 'olleh'
 */
export function cpSlice(
  s: string,
  start?: number,
  stop?: number,
  step?: number,
  astral = hasAstral(s),
): string {
  if (!astral) {
    const [a, b, st, n] = sliceIndices(s.length, start, stop, step);
    if (st === 1) return a < b ? s.slice(a, b) : '';
    let out = '';
    for (let k = 0, i = a; k < n; k++, i += st) out += s[i];
    return out;
  }
  const cps = Array.from(s);
  const [a, b, st, n] = sliceIndices(cps.length, start, stop, step);
  if (st === 1) return a < b ? cps.slice(a, b).join('') : '';
  let out = '';
  for (let k = 0, i = a; k < n; k++, i += st) out += cps[i];
  return out;
}
