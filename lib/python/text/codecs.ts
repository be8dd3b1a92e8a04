// str.encode() and bytes.decode() for the codecs scripts actually use:
// UTF-8, Latin-1 and ASCII, with the standard error handlers. Failures
// carry CPython's UnicodeEncodeError / UnicodeDecodeError messages; like
// CPython, an error covers the whole run of bad characters (encode) or the
// maximal invalid subpart of a UTF-8 sequence (decode).

import { TextError } from './errors.js';

/** Canonical codec names, as they appear in error messages. */
export type CodecName = 'utf-8' | 'latin-1' | 'ascii';

const ALIASES: Record<string, CodecName> = {};
for (const a of ['utf_8', 'utf8', 'u8', 'utf', 'utf8_ucs2', 'utf8_ucs4', 'cp65001']) ALIASES[a] = 'utf-8';
for (const a of ['latin_1', 'latin1', 'latin', 'l1', 'iso8859_1', 'iso_8859_1', '8859', 'cp819', 'iso_ir_100', 'csisolatin1', 'iso_8859_1_1987', 'ibm819']) ALIASES[a] = 'latin-1';
for (const a of ['ascii', 'us_ascii', '646', 'ansi_x3.4_1968', 'ansi_x3_4_1968', 'ansi_x3.4_1986', 'cp367', 'csascii', 'ibm367', 'iso646_us', 'iso_646.irv_1991', 'iso_ir_6', 'us']) ALIASES[a] = 'ascii';

/**
 * The codec an encoding name means, or LookupError `unknown encoding: x`.
 * @example lookupCodec('UTF8') // 'utf-8'
 */
export function lookupCodec(encoding: string): CodecName {
  // encodings.normalize_encoding: runs of other characters become '_'
  const key = encoding.toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '');
  const c = ALIASES[key];
  if (c === undefined) throw new TextError('LookupError', `unknown encoding: ${encoding}`);
  return c;
}

function escapeCp(cp: number): string {
  if (cp < 0x100) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

function unknownHandler(errors: string): TextError {
  return new TextError('LookupError', `unknown error handler name '${errors}'`);
}

class ByteSink {
  buf = new Uint8Array(64);
  n = 0;
  push(b: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = b;
  }
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.push(s.charCodeAt(i));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

function pushUtf8(out: ByteSink, cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6));
    out.push(0x80 | (cp & 63));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12));
    out.push(0x80 | ((cp >> 6) & 63));
    out.push(0x80 | (cp & 63));
  } else {
    out.push(0xf0 | (cp >> 18));
    out.push(0x80 | ((cp >> 12) & 63));
    out.push(0x80 | ((cp >> 6) & 63));
    out.push(0x80 | (cp & 63));
  }
}

/**
 * `s.encode(encoding, errors)`.
 * @example encode('é', 'utf-8') // Uint8Array [0xc3, 0xa9]
 */
export function encode(s: string, encoding = 'utf-8', errors = 'strict'): Uint8Array {
  const codec = lookupCodec(encoding);
  const cps = Array.from(s, (c) => c.codePointAt(0)!);
  const limit = codec === 'ascii' ? 0x80 : codec === 'latin-1' ? 0x100 : 0x110000;
  const bad = codec === 'utf-8' ? (cp: number) => cp >= 0xd800 && cp <= 0xdfff : (cp: number) => cp >= limit;
  const out = new ByteSink();
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    if (!bad(cp)) {
      if (codec === 'utf-8') pushUtf8(out, cp);
      else out.push(cp);
      continue;
    }
    let end = i + 1;
    while (end < cps.length && bad(cps[end])) end++;
    switch (errors) {
      case 'strict': {
        const reason = codec === 'utf-8' ? 'surrogates not allowed' : `ordinal not in range(${limit})`;
        const what = end - i === 1
          ? `character '${escapeCp(cp)}' in position ${i}`
          : `characters in position ${i}-${end - 1}`;
        throw new TextError('UnicodeEncodeError', `'${codec}' codec can't encode ${what}: ${reason}`);
      }
      case 'ignore':
        break;
      case 'replace':
        for (let k = i; k < end; k++) out.push(0x3f);
        break;
      case 'backslashreplace':
        for (let k = i; k < end; k++) out.ascii(escapeCp(cps[k]));
        break;
      case 'xmlcharrefreplace':
        for (let k = i; k < end; k++) out.ascii(`&#${cps[k]};`);
        break;
      case 'surrogateescape':
        for (let k = i; k < end; k++) {
          if (cps[k] < 0xdc80 || cps[k] > 0xdcff) return encode(s, encoding, 'strict');
          out.push(cps[k] - 0xdc00);
        }
        break;
      case 'surrogatepass':
        if (codec !== 'utf-8') return encode(s, encoding, 'strict');
        for (let k = i; k < end; k++) pushUtf8(out, cps[k]);
        break;
      default:
        throw unknownHandler(errors);
    }
    i = end - 1;
  }
  return out.result();
}

/**
 * Length of the maximal valid prefix of a UTF-8 sequence at i and its
 * reason when invalid: [cp, length] when valid, [-1, badLength, reason].
 */
function utf8At(b: Uint8Array, i: number): [number, number, string?] {
  const c = b[i];
  if (c < 0x80) return [c, 1];
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return [-1, 1, 'invalid start byte'];
  let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
  for (let k = 1; k <= need; k++) {
    if (i + k >= b.length) return [-1, k, 'unexpected end of data'];
    const d = b[i + k];
    if (d < lo || d > hi) return [-1, k, 'invalid continuation byte'];
    lo = 0x80;
    hi = 0xbf;
    cp = (cp << 6) | (d & 63);
  }
  return [cp, need + 1];
}

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `b.decode(encoding, errors)`.
 * @example decode(new Uint8Array([0xc3, 0xa9])) // 'é'
 */
export function decode(b: Uint8Array, encoding = 'utf-8', errors = 'strict'): string {
  const codec = lookupCodec(encoding);
  if (codec === 'utf-8') {
    try {
      return UTF8_FATAL.decode(b);
    } catch {
      // invalid somewhere: the slow path below finds where and why
    }
  }
  let out = '';
  if (codec === 'latin-1') {
    for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
    return out;
  }
  for (let i = 0; i < b.length; ) {
    let cp: number;
    let len: number;
    let reason: string | undefined;
    if (b[i] < 0x80) {
      cp = b[i];
      len = 1;
    } else if (codec === 'ascii') {
      [cp, len, reason] = [-1, 1, 'ordinal not in range(128)'];
    } else {
      [cp, len, reason] = utf8At(b, i);
    }
    if (cp >= 0) {
      out += String.fromCodePoint(cp);
      i += len;
      continue;
    }
    switch (errors) {
      case 'strict': {
        const what = len === 1
          ? `byte 0x${b[i].toString(16).padStart(2, '0')} in position ${i}`
          : `bytes in position ${i}-${i + len - 1}`;
        throw new TextError('UnicodeDecodeError', `'${codec}' codec can't decode ${what}: ${reason}`);
      }
      case 'ignore':
        break;
      case 'replace':
        out += '\ufffd';
        break;
      case 'backslashreplace':
        for (let k = i; k < i + len; k++) out += '\\x' + b[k].toString(16).padStart(2, '0');
        break;
      case 'surrogateescape':
        for (let k = i; k < i + len; k++) out += String.fromCharCode(0xdc00 + b[k]);
        break;
      default:
        throw unknownHandler(errors);
    }
    i += len;
  }
  return out;
}
