// Character properties and case mappings as CPython 3.11 sees them.
//
// The JS engine ships its own Unicode data (usually newer than CPython 3.11's
// Unicode 14.0), reachable through `\p{...}` regex classes and
// `toUpperCase`/`toLowerCase`. Each predicate here is that engine class
// corrected by a small generated table of ranges where CPython disagrees
// (unicodetables.ts), so answers follow CPython, not the engine. ASCII is
// decided without any regex.

import * as T from './unicodetables.js';

// Base classes; test/python/text/gen/unicode_tables.mjs must use the same.
const NOT_PRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const ALPHA_RE = /\p{L}/u;
const DECIMAL_RE = /\p{Nd}/u;
const NUMERIC_RE = /\p{N}/u;
const UPPER_RE = /\p{Uppercase}/u;
const LOWER_RE = /\p{Lowercase}/u;
const TITLE_RE = /\p{Lt}/u;
const IDSTART_RE = /[\p{XID_Start}_]/u;
const IDCONT_RE = /\p{XID_Continue}/u;
const CASED_RE = /\p{Cased}/u;
const CASE_IGNORABLE_RE = /\p{Case_Ignorable}/u;

/** Looks cp up in a [first, last, value] table; -1 when absent. */
function diffLookup(table: readonly number[], cp: number): number {
  let lo = 0;
  let hi = table.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = mid * 3;
    if (cp < table[i]) hi = mid - 1;
    else if (cp > table[i + 1]) lo = mid + 1;
    else return table[i + 2];
  }
  return -1;
}

function corrected(table: readonly number[], re: RegExp, cp: number): boolean {
  const d = diffLookup(table, cp);
  return d === -1 ? re.test(String.fromCodePoint(cp)) : d === 1;
}

/** `chr(cp).isprintable()`. */
export function isPrintableCp(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  if (cp < 0xa0) return false;
  const d = diffLookup(T.PRINTABLE_DIFF, cp);
  return d === -1 ? !NOT_PRINTABLE_RE.test(String.fromCodePoint(cp)) : d === 1;
}

/** `chr(cp).isspace()`: bidirectional WS/B/S or category Zs. */
export function isSpaceCp(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20);
  return (
    cp === 0x85 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

/** `chr(cp).isalpha()`. */
export function isAlphaCp(cp: number): boolean {
  if (cp < 0x80) return ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  return corrected(T.ALPHA_DIFF, ALPHA_RE, cp);
}

/** `chr(cp).isdecimal()`. */
export function isDecimalCp(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return corrected(T.DECIMAL_DIFF, DECIMAL_RE, cp);
}

/** `chr(cp).isdigit()`. */
export function isDigitCp(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return corrected(T.DIGIT_DIFF, DECIMAL_RE, cp);
}

/** `chr(cp).isnumeric()`. */
export function isNumericCp(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return corrected(T.NUMERIC_DIFF, NUMERIC_RE, cp);
}

/** `chr(cp).isalnum()`. */
export function isAlnumCp(cp: number): boolean {
  return isAlphaCp(cp) || isDecimalCp(cp) || isDigitCp(cp) || isNumericCp(cp);
}

/** CPython's Py_UNICODE_ISUPPER (derived property Uppercase). */
export function isUpperCp(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a;
  return corrected(T.UPPER_DIFF, UPPER_RE, cp);
}

/** CPython's Py_UNICODE_ISLOWER (derived property Lowercase). */
export function isLowerCp(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a;
  return corrected(T.LOWER_DIFF, LOWER_RE, cp);
}

/** CPython's Py_UNICODE_ISTITLE (category Lt). */
export function isTitleCp(cp: number): boolean {
  if (cp < 0x80) return false;
  return corrected(T.TITLE_DIFF, TITLE_RE, cp);
}

/** XID_Start or '_' (the first character of an identifier). */
export function isIdStartCp(cp: number): boolean {
  if (cp < 0x80) return cp === 0x5f || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  return corrected(T.IDSTART_DIFF, IDSTART_RE, cp);
}

/** XID_Continue (the later characters of an identifier). */
export function isIdContinueCp(cp: number): boolean {
  if (cp < 0x80) {
    return cp === 0x5f || (cp >= 0x30 && cp <= 0x39) || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  }
  return corrected(T.IDCONT_DIFF, IDCONT_RE, cp);
}

/** Unicode Cased (used by title() and the final-sigma rule). */
export function isCasedCp(cp: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  return CASED_RE.test(String.fromCodePoint(cp));
}

function isCaseIgnorableCp(cp: number): boolean {
  return CASE_IGNORABLE_RE.test(String.fromCodePoint(cp));
}

/**
 * The decimal value of a character for which isDecimalCp holds, else -1.
 * Unicode lays every decimal digit set out as a run of ten code points
 * from zero to nine, so the value is the offset within the run.
 */
export function decimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x80 || !isDecimalCp(cp)) return -1;
  let start = cp;
  while (start > 0 && isDecimalCp(start - 1)) start--;
  return (cp - start) % 10;
}

/** Full upper-case mapping of one code point (may be several characters). */
export function upperCp(cp: number): string {
  return T.UPPER_MAP.get(cp) ?? String.fromCodePoint(cp).toUpperCase();
}

/** Full title-case mapping of one code point. */
export function titleCp(cp: number): string {
  return T.TITLE_MAP.get(cp) ?? String.fromCodePoint(cp).toUpperCase();
}

/** Full case folding of one code point. */
export function casefoldCp(cp: number): string {
  return T.CASEFOLD_MAP.get(cp) ?? String.fromCodePoint(cp).toLowerCase();
}

/**
 * Full lower-case mapping of the code point at UTF-16 offset i of s, with
 * CPython's final-sigma rule for U+03A3: it becomes U+03C2 when preceded by
 * a cased letter and not followed by one (case-ignorables skipped).
 */
export function lowerAt(s: string, i: number, cp: number): string {
  if (cp === 0x3a3) return finalSigma(s, i) ? '\u03c2' : '\u03c3';
  return T.LOWER_MAP.get(cp) ?? String.fromCodePoint(cp).toLowerCase();
}

function finalSigma(s: string, i: number): boolean {
  let j = i;
  let cased = false;
  while (j > 0) {
    const c = s.codePointAt(j - 1)!;
    // step back over a surrogate pair as one character
    const cp = c >= 0xdc00 && c <= 0xdfff && j >= 2 ? s.codePointAt(j - 2)! : c;
    j -= cp > 0xffff ? 2 : 1;
    if (isCaseIgnorableCp(cp)) continue;
    cased = isCasedCp(cp);
    break;
  }
  if (!cased) return false;
  j = i + 1;
  while (j < s.length) {
    const cp = s.codePointAt(j)!;
    j += cp > 0xffff ? 2 : 1;
    if (isCaseIgnorableCp(cp)) continue;
    return !isCasedCp(cp);
  }
  return true;
}

/** True when any code point of s has a CPython mapping differing from JS. */
export function hasMapException(s: string, which: 'upper' | 'lower'): boolean {
  const map = which === 'upper' ? T.UPPER_MAP : T.LOWER_MAP;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (map.has(cp)) return true;
  }
  return false;
}
