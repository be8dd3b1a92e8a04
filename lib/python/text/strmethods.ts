// The pure parts of Python's str methods on JS strings. Indexes and counts
// are in code points (see codepoints.ts); start/end arguments follow slice
// rules, undefined standing for None. Argument type checks (is sep a str?)
// are the interpreter's; everything after them is here, with CPython's
// messages.

import { TextError } from './errors.js';
import { cpLength, cpOffset, cpIndexOf, hasAstral } from './codepoints.js';
import * as U from './unicode.js';

const ASCII_RE = /^[\x00-\x7f]*$/;

function forEachCp(s: string, fn: (cp: number, i: number) => void): void {
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    fn(cp, i);
    if (cp > 0xffff) i++;
  }
}

function every(s: string, pred: (cp: number) => boolean): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (!pred(cp)) return false;
    if (cp > 0xffff) i++;
  }
  return true;
}

// ---- searching ----

/** Clamped [start, end) as UTF-16 offsets, or null when start > len. */
function range(s: string, start: number | undefined, end: number | undefined): [number, number] | null {
  const astral = hasAstral(s);
  const len = cpLength(s, astral);
  let a = start ?? 0;
  let b = end ?? len;
  if (b > len) b = len;
  else if (b < 0) b = Math.max(0, b + len);
  if (a < 0) a = Math.max(0, a + len);
  if (a > len) return null;
  return astral ? [cpOffset(s, a, true), cpOffset(s, Math.max(a, b), true)] : [a, Math.max(a, b)];
}

/**
 * `s.find(sub, start, end)`: code point index or -1.
 * @example find('abcabc', 'c', 3) // 5
 */
export function find(s: string, sub: string, start?: number, end?: number): number {
  const r = range(s, start, end);
  if (r === null || r[1] - r[0] < sub.length) return -1;
  const i = s.slice(0, r[1]).indexOf(sub, r[0]);
  return i < 0 ? -1 : cpIndexOf(s, i);
}

/** `s.rfind(sub, start, end)`. */
export function rfind(s: string, sub: string, start?: number, end?: number): number {
  const r = range(s, start, end);
  if (r === null || r[1] - r[0] < sub.length) return -1;
  const i = s.lastIndexOf(sub, r[1] - sub.length);
  return i < r[0] ? -1 : cpIndexOf(s, i);
}

/** `s.index(sub, start, end)`: ValueError `substring not found`. */
export function index(s: string, sub: string, start?: number, end?: number): number {
  const i = find(s, sub, start, end);
  if (i < 0) throw new TextError('ValueError', 'substring not found');
  return i;
}

/** `s.rindex(sub, start, end)`. */
export function rindex(s: string, sub: string, start?: number, end?: number): number {
  const i = rfind(s, sub, start, end);
  if (i < 0) throw new TextError('ValueError', 'substring not found');
  return i;
}

/** `s.count(sub, start, end)`: non-overlapping occurrences. */
export function count(s: string, sub: string, start?: number, end?: number): number {
  const r = range(s, start, end);
  if (r === null) return 0;
  if (sub.length === 0) return cpLength(s.slice(r[0], r[1])) + 1;
  let n = 0;
  const hay = s.slice(0, r[1]);
  for (let i = hay.indexOf(sub, r[0]); i >= 0; i = hay.indexOf(sub, i + sub.length)) n++;
  return n;
}

function tailMatch(s: string, sub: string, start: number | undefined, end: number | undefined, atEnd: boolean): boolean {
  const r = range(s, start, end);
  if (r === null) return false;
  const [a, b] = r;
  if (b - a < sub.length) return false;
  return atEnd ? s.startsWith(sub, b - sub.length) : s.startsWith(sub, a);
}

/** `s.startswith(prefix, start, end)`; prefix may be a tuple's strings. */
export function startsWith(s: string, prefix: string | readonly string[], start?: number, end?: number): boolean {
  if (typeof prefix === 'string') return tailMatch(s, prefix, start, end, false);
  return prefix.some((p) => tailMatch(s, p, start, end, false));
}

/** `s.endswith(suffix, start, end)`; suffix may be a tuple's strings. */
export function endsWith(s: string, suffix: string | readonly string[], start?: number, end?: number): boolean {
  if (typeof suffix === 'string') return tailMatch(s, suffix, start, end, true);
  return suffix.some((p) => tailMatch(s, p, start, end, true));
}

// ---- splitting ----

function isSpaceAt(s: string, i: number): boolean {
  return U.isSpaceCp(s.charCodeAt(i));
}

/**
 * `s.split(sep, maxsplit)`; sep undefined/null splits on whitespace runs.
 * @example split(' a  b ') // ['a', 'b']; split('a,b,c', ',', 1) // ['a', 'b,c']
 */
export function split(s: string, sep?: string | null, maxsplit = -1): string[] {
  if (maxsplit < 0) maxsplit = Number.MAX_SAFE_INTEGER;
  const out: string[] = [];
  if (sep === undefined || sep === null) {
    let i = 0;
    const n = s.length;
    while (maxsplit-- > 0) {
      while (i < n && isSpaceAt(s, i)) i++;
      if (i === n) return out;
      const j = i;
      while (i < n && !isSpaceAt(s, i)) i++;
      out.push(s.slice(j, i));
    }
    while (i < n && isSpaceAt(s, i)) i++;
    if (i < n) out.push(s.slice(i));
    return out;
  }
  if (sep === '') throw new TextError('ValueError', 'empty separator');
  let i = 0;
  for (let j = s.indexOf(sep); j >= 0 && maxsplit-- > 0; j = s.indexOf(sep, i)) {
    out.push(s.slice(i, j));
    i = j + sep.length;
  }
  out.push(s.slice(i));
  return out;
}

/** `s.rsplit(sep, maxsplit)`. */
export function rsplit(s: string, sep?: string | null, maxsplit = -1): string[] {
  if (maxsplit < 0) return split(s, sep, -1);
  const out: string[] = [];
  if (sep === undefined || sep === null) {
    let i = s.length;
    while (maxsplit-- > 0) {
      while (i > 0 && isSpaceAt(s, i - 1)) i--;
      if (i === 0) return out.reverse();
      const j = i;
      while (i > 0 && !isSpaceAt(s, i - 1)) i--;
      out.push(s.slice(i, j));
    }
    while (i > 0 && isSpaceAt(s, i - 1)) i--;
    if (i > 0) out.push(s.slice(0, i));
    return out.reverse();
  }
  if (sep === '') throw new TextError('ValueError', 'empty separator');
  let end = s.length;
  while (maxsplit-- > 0) {
    const j = end - sep.length < 0 ? -1 : s.lastIndexOf(sep, end - sep.length);
    if (j < 0) break;
    out.push(s.slice(j + sep.length, end));
    end = j;
  }
  out.push(s.slice(0, end));
  return out.reverse();
}

function isLineBreak(c: number): boolean {
  return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/**
 * `s.splitlines(keepends)`: \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029.
 * @example splitlines('a\r\nb\x0bc') // ['a', 'b', 'c']
 */
export function splitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const j = i;
    while (i < n && !isLineBreak(s.charCodeAt(i))) i++;
    let eol = i;
    if (i < n) {
      i += s.charCodeAt(i) === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      if (keepends) eol = i;
    }
    out.push(s.slice(j, eol));
  }
  return out;
}

/** `s.partition(sep)`. */
export function partition(s: string, sep: string): [string, string, string] {
  if (sep === '') throw new TextError('ValueError', 'empty separator');
  const i = s.indexOf(sep);
  return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)];
}

/** `s.rpartition(sep)`. */
export function rpartition(s: string, sep: string): [string, string, string] {
  if (sep === '') throw new TextError('ValueError', 'empty separator');
  const i = s.lastIndexOf(sep);
  return i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)];
}

// ---- stripping, replacing ----

function stripper(s: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  let test: (cp: number) => boolean;
  if (chars === undefined || chars === null) test = U.isSpaceCp;
  else if (!hasAstral(chars)) test = (cp) => cp <= 0xffff && chars.includes(String.fromCharCode(cp));
  else {
    const set = new Set(Array.from(chars, (c) => c.codePointAt(0)!));
    test = (cp) => set.has(cp);
  }
  let a = 0;
  let b = s.length;
  if (left) {
    while (a < b) {
      const cp = s.codePointAt(a)!;
      if (!test(cp)) break;
      a += cp > 0xffff ? 2 : 1;
    }
  }
  if (right) {
    while (b > a) {
      const lo = s.charCodeAt(b - 1);
      const cp = lo >= 0xdc00 && lo <= 0xdfff && b - 2 >= a ? s.codePointAt(b - 2)! : lo;
      if (!test(cp)) break;
      b -= cp > 0xffff ? 2 : 1;
    }
  }
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** `s.strip(chars)`. */
export function strip(s: string, chars?: string | null): string {
  return stripper(s, chars, true, true);
}

/** `s.lstrip(chars)`. */
export function lstrip(s: string, chars?: string | null): string {
  return stripper(s, chars, true, false);
}

/** `s.rstrip(chars)`. */
export function rstrip(s: string, chars?: string | null): string {
  return stripper(s, chars, false, true);
}

/**
 * `s.replace(old, new, count)`; an empty old inserts between code points.
 * @example replace('aaa', 'a', 'b', 2) // 'bba'
 */
export function replace(s: string, old: string, rep: string, count = -1): string {
  if (count < 0) count = Number.MAX_SAFE_INTEGER;
  if (count === 0) return s;
  if (old === '') {
    const cps = Array.from(s);
    let out = '';
    let i = 0;
    for (; i < cps.length && count > 0; i++, count--) out += rep + cps[i];
    if (count > 0) return out + rep;
    return out + cps.slice(i).join('');
  }
  if (count === Number.MAX_SAFE_INTEGER) return s.split(old).join(rep);
  let out = '';
  let i = 0;
  for (let j = s.indexOf(old); j >= 0 && count > 0; j = s.indexOf(old, i), count--) {
    out += s.slice(i, j) + rep;
    i = j + old.length;
  }
  return out + s.slice(i);
}

// ---- padding ----

function fillChar(fill: string): string {
  if (fill.length === 0 || fill.length > 2 || (fill.length === 2 && !hasAstral(fill))) {
    throw new TextError('TypeError', 'The fill character must be exactly one character long');
  }
  return fill;
}

/** `s.center(width, fill)`; CPython puts the odd pad left when width is odd. */
export function center(s: string, width: number, fill = ' '): string {
  fill = fillChar(fill);
  const len = cpLength(s);
  if (len >= width) return s;
  const marg = width - len;
  const left = (marg >> 1) + (marg & width & 1);
  return fill.repeat(left) + s + fill.repeat(marg - left);
}

/** `s.ljust(width, fill)`. */
export function ljust(s: string, width: number, fill = ' '): string {
  fill = fillChar(fill);
  const len = cpLength(s);
  return len >= width ? s : s + fill.repeat(width - len);
}

/** `s.rjust(width, fill)`. */
export function rjust(s: string, width: number, fill = ' '): string {
  fill = fillChar(fill);
  const len = cpLength(s);
  return len >= width ? s : fill.repeat(width - len) + s;
}

/** `s.zfill(width)`: zeros after a leading sign. */
export function zfill(s: string, width: number): string {
  const n = width - cpLength(s);
  if (n <= 0) return s;
  const c = s[0];
  if (c === '+' || c === '-') return c + '0'.repeat(n) + s.slice(1);
  return '0'.repeat(n) + s;
}

/** `s.expandtabs(tabsize)`: columns restart after \n and \r. */
export function expandtabs(s: string, tabsize = 8): string {
  if (!s.includes('\t')) return s;
  let out = '';
  let col = 0;
  forEachCp(s, (cp) => {
    if (cp === 0x09) {
      if (tabsize > 0) {
        const n = tabsize - (col % tabsize);
        out += ' '.repeat(n);
        col += n;
      }
    } else {
      out += String.fromCodePoint(cp);
      col = cp === 0x0a || cp === 0x0d ? 0 : col + 1;
    }
  });
  return out;
}

// ---- case ----

/** `s.upper()` (full mappings: 'ß' -> 'SS'). */
export function upper(s: string): string {
  if (ASCII_RE.test(s) || !U.hasMapException(s, 'upper')) return s.toUpperCase();
  let out = '';
  forEachCp(s, (cp) => (out += U.upperCp(cp)));
  return out;
}

/** `s.lower()` (with the final-sigma rule). */
export function lower(s: string): string {
  if (ASCII_RE.test(s) || !U.hasMapException(s, 'lower')) return s.toLowerCase();
  let out = '';
  forEachCp(s, (cp, i) => (out += U.lowerAt(s, i, cp)));
  return out;
}

/** `s.casefold()`. */
export function casefold(s: string): string {
  if (ASCII_RE.test(s)) return s.toLowerCase();
  let out = '';
  forEachCp(s, (cp) => (out += U.casefoldCp(cp)));
  return out;
}

/** `s.swapcase()`. */
export function swapcase(s: string): string {
  let out = '';
  forEachCp(s, (cp, i) => {
    if (U.isUpperCp(cp)) out += U.lowerAt(s, i, cp);
    else if (U.isLowerCp(cp)) out += U.upperCp(cp);
    else out += String.fromCodePoint(cp);
  });
  return out;
}

/** `s.capitalize()` (3.8+: title case for the first character). */
export function capitalize(s: string): string {
  let out = '';
  forEachCp(s, (cp, i) => (out += i === 0 ? U.titleCp(cp) : U.lowerAt(s, i, cp)));
  return out;
}

/** `s.title()`: title case after an uncased character, lower case after a cased one. */
export function title(s: string): string {
  let out = '';
  let prevCased = false;
  forEachCp(s, (cp, i) => {
    out += prevCased ? U.lowerAt(s, i, cp) : U.titleCp(cp);
    prevCased = U.isCasedCp(cp);
  });
  return out;
}

// ---- predicates ----

/** `s.isspace()`. */
export const isspace = (s: string): boolean => every(s, U.isSpaceCp);
/** `s.isalpha()`. */
export const isalpha = (s: string): boolean => every(s, U.isAlphaCp);
/** `s.isalnum()`. */
export const isalnum = (s: string): boolean => every(s, U.isAlnumCp);
/** `s.isdecimal()`. */
export const isdecimal = (s: string): boolean => every(s, U.isDecimalCp);
/** `s.isdigit()`. */
export const isdigit = (s: string): boolean => every(s, U.isDigitCp);
/** `s.isnumeric()`. */
export const isnumeric = (s: string): boolean => every(s, U.isNumericCp);
/** `s.isascii()` (true for ''). */
export const isascii = (s: string): boolean => ASCII_RE.test(s);
/** `s.isprintable()` (true for ''). */
export const isprintable = (s: string): boolean => s.length === 0 || every(s, U.isPrintableCp);

/** `s.isidentifier()`: XID_Start or '_', then XID_Continue. */
export function isidentifier(s: string): boolean {
  if (s.length === 0) return false;
  const first = s.codePointAt(0)!;
  if (!U.isIdStartCp(first)) return false;
  return every(s.slice(first > 0xffff ? 2 : 1) || 'a', U.isIdContinueCp);
}

/** `s.isupper()`: some cased character and no lower or title case one. */
export function isupper(s: string): boolean {
  let cased = false;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (U.isLowerCp(cp) || U.isTitleCp(cp)) return false;
    if (!cased && U.isUpperCp(cp)) cased = true;
  }
  return cased;
}

/** `s.islower()`. */
export function islower(s: string): boolean {
  let cased = false;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (U.isUpperCp(cp) || U.isTitleCp(cp)) return false;
    if (!cased && U.isLowerCp(cp)) cased = true;
  }
  return cased;
}

/** `s.istitle()`: upper/title case only after uncased, lower only after cased. */
export function istitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (U.isUpperCp(cp) || U.isTitleCp(cp)) {
      if (prevCased) return false;
      prevCased = cased = true;
    } else if (U.isLowerCp(cp)) {
      if (!prevCased) return false;
      prevCased = cased = true;
    } else prevCased = false;
  }
  return cased;
}
