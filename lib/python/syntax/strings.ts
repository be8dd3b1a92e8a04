// Decoding of string literal bodies (escapes, raw strings, bytes) for both
// profiles. Leaf module: no imports besides types.

/** Splits a STRING token into its lower-case prefix, quote length and body. */
export function splitString(tok: string): { prefix: string; body: string; bodyStart: number; quoteLen: number } {
  let i = 0;
  while (tok[i] !== '"' && tok[i] !== "'") i++;
  const prefix = tok.slice(0, i).toLowerCase();
  const q = tok[i];
  const quoteLen = tok.startsWith(q.repeat(3), i) ? 3 : 1;
  return { prefix, body: tok.slice(i + quoteLen, tok.length - quoteLen), bodyStart: i + quoteLen, quoteLen };
}

/** Result of decoding: text (code points) or bytes as 0..255 code units. */
export type Decoded = { ok: true; v: string } | { ok: false; msg: string };

function utf8Units(s: string): string {
  // Byte string in UTF-8 as one code unit per byte.
  return String.fromCharCode(...new TextEncoder().encode(s));
}

/**
 * Decodes a literal body. `bytes` means a bytes literal (or any 2.7 byte
 * string): the result's code units are bytes. `unicodeEscapes` enables
 * \u, \U and \N (text strings, and 2.7 `ur''`).
 */
export function decodeBody(body: string, raw: boolean, bytes: boolean, unicodeEscapes: boolean): Decoded {
  if (raw && !unicodeEscapes) return { ok: true, v: bytes ? utf8Units(body) : body.replace(/\r\n/g, '\n') };
  let out = '';
  let lit = '';
  const flush = () => { if (lit) { out += bytes ? utf8Units(lit) : lit; lit = ''; } };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\r' && body[i + 1] === '\n') continue;
    if (c !== '\\') { lit += c; continue; }
    const n = body[i + 1];
    if (raw) {
      // 2.7 ur'': only \u and \U are escapes.
      if ((n === 'u' || n === 'U') && countBackslashes(body, i) % 2 === 1) {
        const len = n === 'u' ? 4 : 8;
        const hex = body.slice(i + 2, i + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < len) return { ok: false, msg: `(unicode error) 'rawunicodeescape' codec can't decode bytes: truncated \\${n}XXXX` };
        flush(); out += String.fromCodePoint(parseInt(hex, 16)); i += 1 + len; continue;
      }
      lit += c; continue;
    }
    i++;
    switch (n) {
      case '\n': break;
      case '\r': if (body[i + 1] === '\n') i++; break;
      case '\\': lit += '\\'; break;
      case "'": lit += "'"; break;
      case '"': lit += '"'; break;
      case 'a': lit += '\x07'; break;
      case 'b': lit += '\b'; break;
      case 'f': lit += '\f'; break;
      case 'n': lit += '\n'; break;
      case 'r': lit += '\r'; break;
      case 't': lit += '\t'; break;
      case 'v': lit += '\v'; break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
          return { ok: false, msg: bytes ? `(value error) invalid \\x escape at position ${i - 1}` : `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i - 1}-${i + hex.replace(/[^0-9a-fA-F].*/, '').length}: truncated \\xXX escape` };
        }
        flush(); out += String.fromCharCode(parseInt(hex, 16)); i += 2; break;
      }
      case 'u': case 'U': case 'N':
        if (!unicodeEscapes) { lit += '\\' + n; break; }
        if (n === 'N') {
          const m = /^\{([^}]*)\}/.exec(body.slice(i + 1));
          const cp = m ? NAMED[m[1].toUpperCase()] : undefined;
          if (cp === undefined) return { ok: false, msg: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i - 1}-${i + (m ? m[0].length : 0)}: ${m ? 'unknown Unicode character name' : 'malformed \\N character escape'}` };
          flush(); out += String.fromCodePoint(cp); i += m![0].length; break;
        } else {
          const len = n === 'u' ? 4 : 8;
          const hex = body.slice(i + 1, i + 1 + len);
          if (hex.length < len || !/^[0-9a-fA-F]+$/.test(hex)) return { ok: false, msg: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i - 1}-${i + hex.replace(/[^0-9a-fA-F].*/, '').length}: truncated \\${n}${'X'.repeat(len)} escape` };
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) return { ok: false, msg: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i - 1}-${i + len}: illegal Unicode character` };
          flush(); out += String.fromCodePoint(cp); i += len; break;
        }
      default:
        if (n !== undefined && /[0-7]/.test(n)) {
          let j = i, v = 0;
          while (j < i + 3 && /[0-7]/.test(body[j] ?? '')) v = v * 8 + Number(body[j++]);
          flush(); out += bytes ? String.fromCharCode(v & 0xff) : String.fromCharCode(v); i = j - 1; break;
        }
        // Unknown escapes are kept as written (CPython warns, 3.12 louder).
        lit += '\\' + (n ?? '');
    }
  }
  flush();
  return { ok: true, v: out };
}

function countBackslashes(s: string, i: number): number {
  let n = 0;
  while (i >= 0 && s[i] === '\\') { n++; i--; }
  return n;
}

// \N{...}: refscope has no Unicode name database; these are the names seen in
// practice. Others raise CPython's "unknown Unicode character name".
const NAMED: Record<string, number> = {
  'BULLET': 0x2022, 'EM DASH': 0x2014, 'EN DASH': 0x2013, 'NO-BREAK SPACE': 0xa0, 'DEGREE SIGN': 0xb0,
  'HORIZONTAL ELLIPSIS': 0x2026, 'GREEK SMALL LETTER ALPHA': 0x3b1, 'GREEK SMALL LETTER PI': 0x3c0,
  'SNOWMAN': 0x2603, 'LATIN SMALL LETTER E WITH ACUTE': 0xe9, 'RIGHTWARDS ARROW': 0x2192, 'CHECK MARK': 0x2713,
  'SPACE': 0x20, 'EURO SIGN': 0x20ac, 'COPYRIGHT SIGN': 0xa9, 'MULTIPLICATION SIGN': 0xd7,
};
