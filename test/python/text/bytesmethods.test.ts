// The ASCII-only byte-string algorithms, against values printed by CPython 3.11.7.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as B from '../../../lib/python/text/bytesmethods.js';
import { TextError } from '../../../lib/python/text/errors.js';

const Bytes = suite('bytesmethods');
const b = (s: string) => B.fromLatin1(s);
const s = (u: Uint8Array) => B.latin1(u);

Bytes('latin-1 round trip, also for long buffers', () => {
  const big = new Uint8Array(100_000).map((_, i) => i & 255);
  assert.equal(B.fromLatin1(B.latin1(big)), big);
});

Bytes('case and classification know only ASCII', () => {
  assert.is(s(B.upper(b('\xe9abc'))), '\xe9ABC');
  assert.is(s(B.title(b('hello wORLD 1a'))), 'Hello World 1A');
  assert.is(s(B.capitalize(b('hELLO'))), 'Hello');
  assert.is(s(B.swapcase(b('Hello World'))), 'hELLO wORLD');
  assert.is(B.isspace(b(' \x0b')), true);
  assert.is(B.isspace(b('\x1c')), false);
  assert.is(B.istitle(b('Ab Cd')), true);
  assert.is(B.istitle(b('AB')), false);
  assert.is(B.isdigit(b('')), false);
  assert.is(B.isascii(b('')), true);
  assert.is(B.isupper(b('AB C')), true);
});

Bytes('whitespace splitting and lines', () => {
  assert.equal(B.splitWhitespace('a b\tc\x0bd\x1ce'), ['a', 'b', 'c', 'd\x1ce']);
  assert.equal(B.rsplitWhitespace('a  b  c', 1), ['a  b', 'c']);
  assert.equal(B.splitlines('a\x0bb\x0cc\nd\re\r\nf'), ['a\x0bb\x0cc', 'd', 'e', 'f']);
  assert.equal(B.splitlines('x\ny\n', true), ['x\n', 'y\n']);
});

Bytes('hex groups from the right, or from the left when negative', () => {
  assert.is(B.hex(b('abc'), '-', 2), '61-6263');
  assert.is(B.hex(b('\x01\x02\x03'), '-', -2), '0102-03');
  assert.is(B.hex(b('\x01\x02\x03\x04\x05'), ':', 2), '01:0203:0405');
  assert.is(B.hex(b('\x00\xff')), '00ff');
});

Bytes('fromhex names the offending position', () => {
  assert.equal(B.fromhex(' de ad\tbe ef '), b('\xde\xad\xbe\xef'));
  for (const [text, pos] of [['zz', 0], ['a', 1], ['ab c', 4], ['0g', 1], ['abc', 3]] as const) {
    try {
      B.fromhex(text);
      assert.unreachable(text);
    } catch (e) {
      assert.instance(e, TextError);
      assert.is((e as TextError).message, `non-hexadecimal number found in fromhex() arg at position ${pos}`);
    }
  }
});

Bytes.run();
