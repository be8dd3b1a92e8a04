import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseIntLiteral, intStr, intHex, intOct, intOct27, intBin, intBitLength, intFloorDiv, intMod, intDivmod,
  intTrueDiv, intPow, intPowMod,
} from '../../../lib/python/text/int.js';
import { floatRepr } from '../../../lib/python/text/float.js';
import { Mismatches, outcome } from './helpers.js';
import parseRows from './data/int_parse.js';
import strRows from './data/int_str.js';
import divRows from './data/int_divmod.js';
import trueDivRows from './data/int_truediv.js';
import powRows from './data/int_pow.js';
import * as py27 from './data/py27.js';

const int = suite('int');

int('int(text, base) with prefixes, underscores and the 4300-digit limit', () => {
  const m = new Mismatches();
  for (const [text, base, want] of parseRows as [string, number, string][]) {
    m.check(`int(${JSON.stringify(text.slice(0, 40))}, ${base})`, outcome(() => parseIntLiteral(text, base).toString()), want);
  }
  assert.equal(m.list, []);
});

int('str, hex, oct, bin, bit_length', () => {
  const m = new Mismatches();
  for (const [n, h, o, b, bl] of strRows as [string, string, string, string, number][]) {
    const v = BigInt(n);
    m.check(`str(${n})`, intStr(v), n);
    m.check(`hex(${n})`, intHex(v), h);
    m.check(`oct(${n})`, intOct(v), o);
    m.check(`bin(${n})`, intBin(v), b);
    m.check(`(${n}).bit_length()`, intBitLength(v), bl);
  }
  for (const [n, o] of py27.oct as [string, string][]) m.check(`2.7 oct(${n})`, intOct27(BigInt(n)), o);
  assert.equal(m.list, []);
});

int('str() refuses more than 4300 digits', () => {
  assert.is(
    outcome(() => intStr(10n ** 4300n)),
    '!ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit',
  );
  assert.is(intStr(10n ** 4300n, 0).length, 4301);
});

int('//, %, divmod take the divisor sign', () => {
  const m = new Mismatches();
  for (const [a, b, fd, md, dm] of divRows as string[][]) {
    const x = BigInt(a);
    const y = BigInt(b);
    m.check(`${a} // ${b}`, outcome(() => intFloorDiv(x, y).toString()), fd);
    m.check(`${a} % ${b}`, outcome(() => intMod(x, y).toString()), md);
    m.check(`divmod(${a}, ${b})`, outcome(() => intDivmod(x, y), ([q, r]) => `(${q}, ${r})`), dm);
  }
  assert.equal(m.list, []);
});

int('true division is correctly rounded for huge operands', () => {
  const m = new Mismatches();
  for (const [a, b, want] of trueDivRows as string[][]) {
    m.check(`${a.slice(0, 20)} / ${b.slice(0, 20)}`, outcome(() => floatRepr(intTrueDiv(BigInt(a), BigInt(b)))), want);
  }
  assert.equal(m.list, []);
});

int('pow with negative exponents and moduli', () => {
  const m = new Mismatches();
  for (const [a, b, mod, want] of powRows as [string, string, string | null, string][]) {
    const got = mod === null
      ? outcome(() => intPow(BigInt(a), BigInt(b)), (r) => (typeof r === 'number' ? floatRepr(r) : r.toString()))
      : outcome(() => intPowMod(BigInt(a), BigInt(b), BigInt(mod)).toString());
    m.check(`pow(${a.slice(0, 10)}, ${b}, ${mod})`, got, want);
  }
  assert.equal(m.list, []);
});

int.run();
