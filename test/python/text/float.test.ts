import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  floatRepr, floatStr, floatStr27, floatRound, floatRound27, floatRoundToInt, parseFloatLiteral,
  floatFloorDiv, floatMod, floatDivmod, floatTrueDiv, floatPow,
} from '../../../lib/python/text/float.js';
import { Mismatches, outcome, pyFloat } from './helpers.js';
import reprRows from './data/float_repr.js';
import roundRows from './data/float_round.js';
import parseRows from './data/float_parse.js';
import arithRows from './data/float_arith.js';
import powRows from './data/float_pow.js';
import * as py27 from './data/py27.js';

const float = suite('float');

float('repr and str match CPython 3.11', () => {
  const m = new Mismatches();
  for (const [x, r, s] of reprRows as [string, string, string][]) {
    m.check(`repr(${x})`, floatRepr(pyFloat(x)), r);
    m.check(`str(${x})`, floatStr(pyFloat(x)), s);
  }
  assert.equal(m.list, []);
});

float('str in 2.7 uses 12 significant digits', () => {
  const m = new Mismatches();
  for (const [x, s] of py27.str as [string, string][]) m.check(`str(${x})`, floatStr27(pyFloat(x)), s);
  assert.equal(m.list, []);
});

float('round: ties to even on the exact decimal value', () => {
  const m = new Mismatches();
  for (const [x, n, want] of roundRows as [string, number | null, string][]) {
    const got = n === null
      ? outcome(() => floatRoundToInt(pyFloat(x)).toString())
      : outcome(() => floatRepr(floatRound(pyFloat(x), n)));
    m.check(`round(${x}, ${n})`, got, want);
  }
  assert.equal(m.list, []);
});

float('round in 2.7: ties away from zero', () => {
  const m = new Mismatches();
  for (const [x, n, want] of py27.round as [string, number, string][]) {
    m.check(`round(${x}, ${n})`, floatRepr(floatRound27(pyFloat(x), n)), want);
  }
  assert.equal(m.list, []);
});

float('float(text)', () => {
  const m = new Mismatches();
  for (const [text, want] of parseRows as [string, string][]) {
    m.check(`float(${JSON.stringify(text)})`, outcome(() => floatRepr(parseFloatLiteral(text))), want);
  }
  assert.equal(m.list, []);
});

float('//, %, divmod, / with Python sign rules', () => {
  const m = new Mismatches();
  for (const [a, b, fd, md, dm, td] of arithRows as string[][]) {
    const x = pyFloat(a);
    const y = pyFloat(b);
    m.check(`${a} // ${b}`, outcome(() => floatRepr(floatFloorDiv(x, y))), fd);
    m.check(`${a} % ${b}`, outcome(() => floatRepr(floatMod(x, y))), md);
    m.check(`divmod(${a}, ${b})`, outcome(() => floatDivmod(x, y), ([q, r]) => `('${floatRepr(q)}', '${floatRepr(r)}')`), dm);
    m.check(`${a} / ${b}`, outcome(() => floatRepr(floatTrueDiv(x, y))), td);
  }
  assert.equal(m.list, []);
});

float('** special cases', () => {
  const m = new Mismatches();
  for (const [a, b, want] of powRows as string[][]) {
    m.check(`${a} ** ${b}`, outcome(() => floatPow(pyFloat(a), pyFloat(b)), (r) => (r === null ? 'complex' : floatRepr(r))), want);
  }
  assert.equal(m.list, []);
});

float.run();
