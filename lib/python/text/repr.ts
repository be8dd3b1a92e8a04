// repr() of str and bytes, as CPython 3.11 (unicode_repr, bytes_repr) and
// 2.7 (string_repr, unicode_repr) print them. Quote choice is shared: single
// quotes unless the text holds a single quote and no double quote.

import { isPrintableCp } from './unicode.js';

// Text that needs no escaping at all: printable ASCII without ' or \.
const PLAIN_RE = /^[ !"#-&(-[\]-~]*$/;
const HEX = '0123456789abcdef';

function hex2(c: number): string {
  return '\\x' + HEX[c >> 4] + HEX[c & 15];
}

function hexN(prefix: string, c: number, width: number): string {
  return prefix + c.toString(16).padStart(width, '0');
}

function pickQuote(s: string): string {
  return s.includes("'") && !s.includes('"') ? '"' : "'";
}

/** Escape for one ASCII code unit (c < 0x80), or undefined when kept. */
function asciiEscape(c: number, quote: number): string | undefined {
  if (c === quote || c === 0x5c) return '\\' + String.fromCharCode(c);
  if (c === 0x09) return '\\t';
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  if (c < 0x20 || c === 0x7f) return hex2(c);
  return undefined;
}

function escapeNonAscii(cp: number): string {
  if (cp <= 0xff) return hex2(cp);
  if (cp <= 0xffff) return hexN('\\u', cp, 4);
  return hexN('\\U', cp, 8);
}

function reprBody(s: string, keepPrintable: boolean): string {
  const quote = pickQuote(s);
  const q = quote.charCodeAt(0);
  let out = quote;
  let run = 0; // start of the pending run of characters kept as they are
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    let width = 1;
    if (c < 0x80) {
      esc = asciiEscape(c, q);
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) width = 2;
      if (!(keepPrintable && isPrintableCp(cp))) esc = escapeNonAscii(cp);
    }
    if (esc !== undefined) {
      out += s.slice(run, i) + esc;
      run = i + width;
    }
    i += width - 1;
  }
  return out + s.slice(run) + quote;
}

/**
 * `repr(s)` for a Python 3 str.
 * @example strRepr("it's\n") // `"it's\\n"`
 */
export function strRepr(s: string): string {
  if (PLAIN_RE.test(s)) return "'" + s + "'";
  return reprBody(s, true);
}

/**
 * `ascii(s)`: like repr but every non-ASCII character escaped.
 * @example asciiRepr('é') // "'\\xe9'"
 */
export function asciiRepr(s: string): string {
  if (PLAIN_RE.test(s)) return "'" + s + "'";
  return reprBody(s, false);
}

function bytesBody(b: Uint8Array | string): string {
  const get = typeof b === 'string' ? (i: number) => b.charCodeAt(i) & 0xff : (i: number) => b[i];
  let hasSingle = false;
  let hasDouble = false;
  for (let i = 0; i < b.length; i++) {
    const c = get(i);
    if (c === 0x27) hasSingle = true;
    else if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  const q = quote.charCodeAt(0);
  let out = quote;
  for (let i = 0; i < b.length; i++) {
    const c = get(i);
    out += c >= 0x80 ? hex2(c) : (asciiEscape(c, q) ?? String.fromCharCode(c));
  }
  return out + quote;
}

/**
 * `ascii(o)` from `repr(o)`: every non-ASCII character escaped as
 * \xhh, \uhhhh or \Uhhhhhhhh (reprs never need quotes changed for it).
 * @example asciiOfRepr("'é'") // "'\\xe9'"
 */
export function asciiOfRepr(r: string): string {
  return r.replace(/[^\x00-\x7f]/gu, (ch) => escapeNonAscii(ch.codePointAt(0)!));
}

/**
 * `repr(b)` for Python 3 bytes.
 * @example bytesRepr(new Uint8Array([0x61, 0xff])) // "b'a\\xff'"
 */
export function bytesRepr(b: Uint8Array): string {
  return 'b' + bytesBody(b);
}

/**
 * `repr(s)` for a Python 2.7 str, which is bytes: given as a Uint8Array or
 * as a JS string of byte values (each char < 0x100).
 * @example strRepr27('\xc3\xa9') // "'\\xc3\\xa9'"
 */
export function strRepr27(b: Uint8Array | string): string {
  return bytesBody(b);
}

/**
 * `repr(u)` for a Python 2.7 unicode (UCS-4 build): `u'...'`, every
 * non-ASCII character escaped.
 * @example unicodeRepr27('é') // "u'\\xe9'"
 */
export function unicodeRepr27(s: string): string {
  return 'u' + asciiRepr(s);
}
