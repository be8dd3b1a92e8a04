// The byte-string parts of bytes/bytearray methods that differ from str's:
// CPython's bytes methods (Objects/bytes_methods.c, pystrhex.c) know only
// ASCII — whitespace is " \t\n\r\v\f", letters are A-Z a-z, digits 0-9 —
// so b"\xe9".upper() stays b"\xe9" and b"\x1c".isspace() is False, where the
// str methods would use Unicode tables.
//
// Byte strings travel here as "latin-1 strings": one JS char per byte
// (code unit = byte value). The searching, splitting-on-a-separator,
// replacing and padding algorithms of strmethods.ts then apply unchanged,
// since with no character above 0xff code points and code units coincide.

import { TextError } from './errors.js';

/**
 * The latin-1 string of a byte array (one char per byte).
 * @example latin1(Uint8Array.of(0x61, 0xff)) // 'a\xff'
 */
export function latin1(b: Uint8Array): string {
  // fromCharCode.apply on chunks: one call per byte would be slow and one
  // call for a megabyte would overflow the argument stack.
  let out = '';
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/** The bytes of a latin-1 string (every char must be < 0x100). */
export function fromLatin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** bytes.strip() and split() whitespace: Py_ISSPACE. */
export const ASCII_WHITESPACE = ' \t\n\r\x0b\x0c';

export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}
function isAlpha(c: number): boolean {
  return isLower(c) || isUpper(c);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `b.split(None, maxsplit)`: runs of ASCII whitespace. */
export function splitWhitespace(s: string, maxsplit = -1): string[] {
  if (maxsplit < 0) maxsplit = Number.MAX_SAFE_INTEGER;
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (maxsplit-- > 0) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i === n) return out;
    const j = i;
    while (i < n && !isSpace(s.charCodeAt(i))) i++;
    out.push(s.slice(j, i));
  }
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i < n) out.push(s.slice(i));
  return out;
}

/** `b.rsplit(None, maxsplit)`. */
export function rsplitWhitespace(s: string, maxsplit = -1): string[] {
  if (maxsplit < 0) return splitWhitespace(s, -1);
  const out: string[] = [];
  let i = s.length;
  while (maxsplit-- > 0) {
    while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
    if (i === 0) return out.reverse();
    const j = i;
    while (i > 0 && !isSpace(s.charCodeAt(i - 1))) i--;
    out.push(s.slice(i, j));
  }
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  if (i > 0) out.push(s.slice(0, i));
  return out.reverse();
}

/**
 * `b.splitlines(keepends)`: only \n, \r and \r\n end a line (not \v, \f or
 * \x1c-\x1e as in str).
 * @example splitlines('a\x0bb\r\nc') // ['a\x0bb', 'c']
 */
export function splitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const j = i;
    while (i < n && s.charCodeAt(i) !== 0x0a && s.charCodeAt(i) !== 0x0d) i++;
    let eol = i;
    if (i < n) {
      i += s.charCodeAt(i) === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      if (keepends) eol = i;
    }
    out.push(s.slice(j, eol));
  }
  return out;
}

function mapBytes(b: Uint8Array, f: (c: number, i: number) => number): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = f(b[i], i);
  return out;
}

export function upper(b: Uint8Array): Uint8Array {
  return mapBytes(b, (c) => (isLower(c) ? c - 32 : c));
}
export function lower(b: Uint8Array): Uint8Array {
  return mapBytes(b, (c) => (isUpper(c) ? c + 32 : c));
}
export function swapcase(b: Uint8Array): Uint8Array {
  return mapBytes(b, (c) => (isLower(c) ? c - 32 : isUpper(c) ? c + 32 : c));
}
/** First byte upper-cased, the rest lower-cased. */
export function capitalize(b: Uint8Array): Uint8Array {
  return mapBytes(b, (c, i) => (i === 0 ? (isLower(c) ? c - 32 : c) : isUpper(c) ? c + 32 : c));
}
/** Letters after a non-letter upper-cased, others lower-cased. */
export function title(b: Uint8Array): Uint8Array {
  let prevCased = false;
  return mapBytes(b, (c) => {
    let r = c;
    if (isLower(c)) r = prevCased ? c : c - 32;
    else if (isUpper(c)) r = prevCased ? c + 32 : c;
    prevCased = isAlpha(c);
    return r;
  });
}

function all(b: Uint8Array, pred: (c: number) => boolean): boolean {
  if (b.length === 0) return false;
  for (let i = 0; i < b.length; i++) if (!pred(b[i])) return false;
  return true;
}
export const isalpha = (b: Uint8Array): boolean => all(b, isAlpha);
export const isdigit = (b: Uint8Array): boolean => all(b, isDigit);
export const isalnum = (b: Uint8Array): boolean => all(b, (c) => isAlpha(c) || isDigit(c));
export const isspace = (b: Uint8Array): boolean => all(b, isSpace);
/** isascii is True for the empty string, unlike the others. */
export const isascii = (b: Uint8Array): boolean => b.every((c) => c < 0x80);
/** At least one cased byte, and no upper-case one. */
export function islower(b: Uint8Array): boolean {
  let cased = false;
  for (const c of b) {
    if (isUpper(c)) return false;
    if (isLower(c)) cased = true;
  }
  return cased;
}
export function isupper(b: Uint8Array): boolean {
  let cased = false;
  for (const c of b) {
    if (isLower(c)) return false;
    if (isUpper(c)) cased = true;
  }
  return cased;
}
/** Upper-case letters only after uncased bytes, lower-case only after cased ones. */
export function istitle(b: Uint8Array): boolean {
  let cased = false;
  let prevCased = false;
  for (const c of b) {
    if (isUpper(c)) {
      if (prevCased) return false;
      prevCased = cased = true;
    } else if (isLower(c)) {
      if (!prevCased) return false;
      prevCased = cased = true;
    } else prevCased = false;
  }
  return cased;
}

const HEX = '0123456789abcdef';

/**
 * `b.hex(sep, bytes_per_sep)`: groups of |bytes_per_sep| bytes, counted
 * from the right when it is positive and from the left when negative.
 * @example hex(Uint8Array.of(1, 2, 3), '-', 2) // '01-0203'
 */
export function hex(b: Uint8Array, sep = '', bytesPerSep = 1): string {
  const parts: string[] = [];
  for (const c of b) parts.push(HEX[c >> 4] + HEX[c & 15]);
  if (sep === '' || bytesPerSep === 0 || b.length === 0) return parts.join('');
  const k = Math.abs(bytesPerSep);
  const groups: string[] = [];
  if (bytesPerSep > 0) {
    const first = parts.length % k || k;
    groups.push(parts.slice(0, first).join(''));
    for (let i = first; i < parts.length; i += k) groups.push(parts.slice(i, i + k).join(''));
  } else {
    for (let i = 0; i < parts.length; i += k) groups.push(parts.slice(i, i + k).join(''));
  }
  return groups.join(sep);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * `bytes.fromhex(s)`: pairs of hex digits, ASCII whitespace allowed
 * between pairs; the error names the position of the offending character.
 */
export function fromhex(s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const hi = hexValue(s.charCodeAt(i));
    const lo = i + 1 < n ? hexValue(s.charCodeAt(i + 1)) : -1;
    if (hi < 0 || lo < 0) {
      throw new TextError('ValueError', `non-hexadecimal number found in fromhex() arg at position ${hi < 0 ? i : i + 1}`);
    }
    out.push(hi * 16 + lo);
    i += 2;
  }
  return Uint8Array.from(out);
}
