// Python's float: repr/str, round(), parsing float('...'), conversions to
// and from int, and the arithmetic whose rules differ from JS (floor
// division and modulo take the divisor's sign, pow's special cases,
// ZeroDivisionError instead of Infinity). Digits come from dtoa.ts.

import { TextError } from './errors.js';
import { doubleToString, exactDigits, roundDigits, Tie } from './dtoa.js';
import { decimalValue, isSpaceCp } from './unicode.js';
import { strRepr } from './repr.js';

/**
 * `repr(x)` (and `str(x)` in Python 3): shortest round-trip digits, exponent
 * form below 1e-4 and from 1e16 on.
 * @example floatRepr(1e16) // '1e+16'; floatRepr(0.1) // '0.1'; floatRepr(2) // '2.0'
 */
export function floatRepr(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e16) {
    // JS prints the same shortest digits without an exponent in this range
    const s = String(x);
    return s.includes('.') ? s : s + '.0';
  }
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  return doubleToString(x, { code: 'r', precision: 0, addDot0: true });
}

/** `str(x)` in Python 3: the same as repr. */
export const floatStr = floatRepr;

/**
 * `str(x)` in Python 2.7: 12 significant digits ('%.12g' plus '.0').
 * @example floatStr27(0.1 + 0.2) // '0.3'; floatStr27(1e12) // '1e+12'
 */
export function floatStr27(x: number): string {
  return doubleToString(x, { code: 'g', precision: 12, addDot0: true });
}

/** `float.is_integer()`. */
export function floatIsInteger(x: number): boolean {
  return Number.isInteger(x);
}

/**
 * `int(x)` for a float: truncation toward zero.
 * @example floatToInt(-2.5) // -2n
 */
export function floatToInt(x: number): bigint {
  if (x !== x) throw new TextError('ValueError', 'cannot convert float NaN to integer');
  if (x === Infinity || x === -Infinity) {
    throw new TextError('OverflowError', 'cannot convert float infinity to integer');
  }
  return BigInt(Math.trunc(x));
}

/**
 * `float(n)` for an int, correctly rounded.
 * @example intToFloat(2n ** 53n + 1n) // 9007199254740992
 */
export function intToFloat(n: bigint): number {
  const x = Number(n);
  if (x === Infinity || x === -Infinity) throw new TextError('OverflowError', 'int too large to convert to float');
  return x;
}

// Largest ndigits that can change a double, and smallest that leaves
// anything but zero: CPython's NDIGITS_MAX and NDIGITS_MIN.
const NDIGITS_MAX = 323;
const NDIGITS_MIN = -308;

/**
 * `round(x)`: nearest int, ties to even.
 * @example floatRoundToInt(2.5) // 2n
 */
export function floatRoundToInt(x: number): bigint {
  let r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) r = 2 * Math.round(x / 2);
  return floatToInt(r);
}

/**
 * `round(x, ndigits)` in Python 3: correctly rounded on the exact decimal
 * value of x, ties to even.
 * @example floatRound(2.675, 2) // 2.67 (2.675 is really 2.67499999...)
 */
export function floatRound(x: number, ndigits: number): number {
  return roundDecimal(x, ndigits, Tie.Even);
}

/**
 * `round(x, ndigits)` in Python 2.7: a float, ties away from zero.
 * @example floatRound27(2.5, 0) // 3
 */
export function floatRound27(x: number, ndigits = 0): number {
  return roundDecimal(x, ndigits, Tie.Away);
}

function roundDecimal(x: number, ndigits: number, tie: Tie): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > NDIGITS_MAX) return x;
  if (ndigits < NDIGITS_MIN) return 0.0 * x;
  const exact = exactDigits(x);
  const r = roundDigits(exact, exact.decpt + ndigits, tie);
  const mag = r.digits === '' ? 0 : Number(`${r.digits}e${r.decpt - r.digits.length}`);
  if (mag === Infinity) throw new TextError('OverflowError', 'rounded value too large to represent');
  return x < 0 ? -mag : mag;
}

// float('...') syntax after underscores are checked: the body of a decimal
// literal, or inf/infinity/nan, each with an optional sign.
const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)$/;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python's whitespace strip and Unicode-digit folding applied by float()
 * and int() before parsing; undefined when a non-ASCII character is neither
 * whitespace nor a decimal digit (the literal is then invalid).
 */
export function asciiNumeral(s: string): string | undefined {
  let a = 0;
  let b = s.length;
  while (a < b && isSpaceCp(s.charCodeAt(a))) a++;
  while (b > a && isSpaceCp(s.charCodeAt(b - 1))) b--;
  let t = a === 0 && b === s.length ? s : s.slice(a, b);
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) < 0x80) continue;
    let out = '';
    for (const ch of t) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += ch;
      else if (isSpaceCp(cp)) out += ' ';
      else {
        const v = decimalValue(cp);
        if (v < 0) return undefined;
        out += String.fromCharCode(0x30 + v);
      }
    }
    t = out;
    break;
  }
  return t;
}

/**
 * `float(s)` for a str.
 * @example parseFloatLiteral(' 1_000.5 ') // 1000.5
 */
export function parseFloatLiteral(s: string): number {
  const t = asciiNumeral(s);
  if (t !== undefined) {
    if (FLOAT_RE.test(t)) return Number(t.includes('_') ? t.replace(/_/g, '') : t);
    const m = SPECIAL_RE.exec(t);
    if (m) {
      if (m[2].length === 3 && (m[2][0] === 'n' || m[2][0] === 'N')) return NaN;
      return m[1] === '-' ? -Infinity : Infinity;
    }
  }
  throw new TextError('ValueError', `could not convert string to float: ${strRepr(s)}`);
}

/**
 * Python's `x // y` for floats.
 * @example floatFloorDiv(-7, 2) // -4
 */
export function floatFloorDiv(x: number, y: number): number {
  if (y === 0) throw new TextError('ZeroDivisionError', 'float floor division by zero');
  return divmodCore(x, y)[0];
}

/**
 * Python's `x % y` for floats: the result takes the divisor's sign.
 * @example floatMod(-7, 2) // 1
 */
export function floatMod(x: number, y: number): number {
  if (y === 0) throw new TextError('ZeroDivisionError', 'float modulo');
  return divmodCore(x, y)[1];
}

/** `divmod(x, y)` for floats. */
export function floatDivmod(x: number, y: number): [number, number] {
  if (y === 0) throw new TextError('ZeroDivisionError', 'float divmod()');
  return divmodCore(x, y);
}

/** `x / y` for floats. */
export function floatTrueDiv(x: number, y: number): number {
  if (y === 0) throw new TextError('ZeroDivisionError', 'float division by zero');
  return x / y;
}

// CPython's _float_div_mod: fmod, then move the remainder to the divisor's
// side, then a floor that corrects the rounding of (x - mod) / y.
function divmodCore(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  // C's `if (mod)`: NaN counts as true
  if (mod !== 0) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1.0;
    }
  } else {
    mod = y < 0 ? -0.0 : 0.0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = x / y < 0 || Object.is(x / y, -0) ? -0.0 : 0.0;
  }
  return [floordiv, mod];
}

function isOddInteger(w: number): boolean {
  return Number.isInteger(w) && Math.abs(w % 2) === 1;
}

/**
 * Python 3's `x ** y` for floats, with CPython's special cases; null when
 * x < 0 and y is not an integer: Python 3 then computes a complex power
 * (the caller's job), Python 2.7 raises ValueError `negative number cannot
 * be raised to a fractional power`.
 * @example floatPow(1, NaN) // 1; floatPow(-8, 1 / 3) // null
 */
export function floatPow(x: number, y: number): number | null {
  if (y === 0) return 1.0;
  if (x !== x) return x;
  if (y !== y) return x === 1.0 ? 1.0 : y;
  if (y === Infinity || y === -Infinity) {
    const a = Math.abs(x);
    if (a === 1.0) return 1.0;
    return y > 0 === a > 1.0 ? Infinity : 0.0;
  }
  if (x === Infinity || x === -Infinity) {
    const odd = isOddInteger(y);
    if (y > 0) return odd ? x : Infinity;
    return odd ? (x < 0 ? -0.0 : 0.0) : 0.0;
  }
  if (x === 0) {
    if (y < 0) throw new TextError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
    return isOddInteger(y) ? x : 0.0;
  }
  let negate = false;
  if (x < 0) {
    if (!Number.isInteger(y)) return null;
    x = -x;
    negate = isOddInteger(y);
  }
  if (x === 1.0) return negate ? -1.0 : 1.0;
  const r = Math.pow(x, y);
  if (r === Infinity) throw new TextError('OverflowError', "(34, 'Numerical result out of range')");
  return negate ? -r : r;
}
