import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { strRepr, asciiRepr, bytesRepr, strRepr27, unicodeRepr27 } from '../../../lib/python/text/repr.js';
import { encode, decode } from '../../../lib/python/text/codecs.js';
import { Mismatches, outcome } from './helpers.js';
import reprRows from './data/repr.js';
import bytesRows from './data/bytes_repr.js';
import encodeRows from './data/encode.js';
import decodeRows from './data/decode.js';
import * as py27 from './data/py27.js';

const repr = suite('repr');

repr('repr and ascii of str', () => {
  const m = new Mismatches();
  for (const [s, r, a] of reprRows as string[][]) {
    m.check(`repr(${JSON.stringify(s)})`, strRepr(s), r);
    m.check(`ascii(${JSON.stringify(s)})`, asciiRepr(s), a);
  }
  assert.equal(m.list, []);
});

repr('repr of bytes', () => {
  const m = new Mismatches();
  for (const [b, r] of bytesRows as [number[], string][]) m.check(`repr(${r})`, bytesRepr(Uint8Array.from(b)), r);
  assert.equal(m.list, []);
});

repr('2.7 reprs of str (bytes) and unicode', () => {
  const m = new Mismatches();
  for (const [b, r] of py27.str_repr as [number[], string][]) {
    m.check(`2.7 repr(${r})`, strRepr27(Uint8Array.from(b)), r);
    m.check(`2.7 repr(${r}) from a byte string`, strRepr27(String.fromCharCode(...b)), r);
  }
  for (const [u, r] of py27.unicode_repr as string[][]) m.check(`2.7 repr(${r})`, unicodeRepr27(u), r);
  assert.equal(m.list, []);
});

repr('str.encode with error handlers', () => {
  const m = new Mismatches();
  for (const [s, enc, errors, want] of encodeRows as [string, string, string, unknown][]) {
    m.check(`${JSON.stringify(s)}.encode('${enc}', '${errors}')`, outcome(() => Array.from(encode(s, enc, errors))), want);
  }
  assert.equal(m.list, []);
});

repr('bytes.decode with error handlers', () => {
  const m = new Mismatches();
  for (const [b, enc, errors, want] of decodeRows as [number[], string, string, string][]) {
    m.check(`${JSON.stringify(b)}.decode('${enc}', '${errors}')`, outcome(() => decode(Uint8Array.from(b), enc, errors)), want);
  }
  assert.equal(m.list, []);
});

repr.run();
