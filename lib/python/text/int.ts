// Python's int on bigint: int('...', base), str/hex/oct/bin, floor division
// and modulo with the divisor's sign, pow (negative exponents go to float,
// three-argument pow with modular inverse), bit_length, and true division
// correctly rounded however large the operands.

import { TextError } from './errors.js';
import { asciiNumeral, floatPow, intToFloat } from './float.js';
import { strRepr } from './repr.js';
import { cpSlice } from './codepoints.js';

/** CPython 3.11's default sys.get_int_max_str_digits(); 0 disables it. */
export const DEFAULT_MAX_STR_DIGITS = 4300;

// Digit value of an ASCII code unit in bases up to 36, 99 for non-digits.
const DIGIT_VALUE = new Uint8Array(128).fill(99);
for (let i = 0; i < 10; i++) DIGIT_VALUE[0x30 + i] = i;
for (let i = 0; i < 26; i++) DIGIT_VALUE[0x41 + i] = DIGIT_VALUE[0x61 + i] = 10 + i;

const PREFIX_BASE: Record<string, number> = { x: 16, X: 16, o: 8, O: 8, b: 2, B: 2 };

/**
 * `int(s, base)` for a str (base 0 reads a prefix like a literal does).
 * `maxStrDigits` is sys.get_int_max_str_digits() (0: no limit, as in 2.7).
 * @example parseIntLiteral('0x_ff', 0) // 255n
 */
export function parseIntLiteral(s: string, base = 10, maxStrDigits = DEFAULT_MAX_STR_DIGITS): bigint {
  if ((base !== 0 && base < 2) || base > 36) {
    throw new TextError('ValueError', 'int() base must be >= 2 and <= 36, or 0');
  }
  const t = asciiNumeral(s);
  const r = t === undefined ? undefined : parseAscii(t, base, maxStrDigits);
  if (r === undefined) {
    // CPython formats the repr with %.200R: cut to 200 characters
    throw new TextError('ValueError', `invalid literal for int() with base ${base}: ${cpSlice(strRepr(s), 0, 200)}`);
  }
  return r;
}

function parseAscii(t: string, base: number, maxStrDigits: number): bigint | undefined {
  let i = 0;
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    i++;
  }
  let prefixed = false;
  if (t[i] === '0' && i + 1 < t.length) {
    const pb = PREFIX_BASE[t[i + 1]];
    if (pb !== undefined && (base === 0 || base === pb)) {
      base = pb;
      i += 2;
      prefixed = true;
    }
  }
  const decimalZeroCheck = base === 0; // base 0 without prefix: no leading zeros
  if (base === 0) base = 10;
  // digits with single underscores between them (one may follow a prefix)
  let digits = '';
  let lastUnderscore = prefixed;
  let lastWasPrefix = prefixed;
  if (i >= t.length) return undefined;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5f) {
      if (lastUnderscore && !lastWasPrefix) return undefined;
      if (!lastWasPrefix && digits === '') return undefined;
      lastUnderscore = true;
      lastWasPrefix = false;
      continue;
    }
    const v = c < 128 ? DIGIT_VALUE[c] : 99;
    if (v >= base) return undefined;
    digits += t[i];
    lastUnderscore = false;
    lastWasPrefix = false;
  }
  if (lastUnderscore || digits === '') return undefined;
  if (decimalZeroCheck && digits[0] === '0' && !/^0+$/.test(digits)) return undefined;
  if (maxStrDigits > 0 && (base & (base - 1)) !== 0 && digits.length > maxStrDigits) {
    throw new TextError(
      'ValueError',
      `Exceeds the limit (${maxStrDigits} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  const v = digitsToBigint(digits, base);
  return neg ? -v : v;
}

function digitsToBigint(d: string, base: number): bigint {
  switch (base) {
    case 10:
      return BigInt(d);
    case 16:
      return BigInt('0x' + d);
    case 8:
      return BigInt('0o' + d);
    case 2:
      return BigInt('0b' + d);
  }
  // Other bases: chunks small enough to stay exact in a double.
  const chunk = Math.floor(Math.log(2 ** 52) / Math.log(base));
  const B = BigInt(base);
  let acc = 0n;
  for (let i = 0; i < d.length; i += chunk) {
    const part = d.slice(i, i + chunk);
    acc = acc * B ** BigInt(part.length) + BigInt(parseInt(part, base));
  }
  return acc;
}

/**
 * `str(n)` / `repr(n)`, with the 3.11 digit limit for decimal output.
 * @example intStr(-42n) // '-42'
 */
export function intStr(n: bigint, maxStrDigits = DEFAULT_MAX_STR_DIGITS): string {
  const s = n.toString();
  if (maxStrDigits > 0 && s.length - (n < 0n ? 1 : 0) > maxStrDigits) {
    throw new TextError(
      'ValueError',
      `Exceeds the limit (${maxStrDigits} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return s;
}

/**
 * Digits of n in base 2..36, lower case, with '-' but no prefix.
 * @example intToBase(255n, 16) // 'ff'
 */
export function intToBase(n: bigint, base: number): string {
  return n.toString(base);
}

function prefixed(n: bigint, prefix: string, base: number): string {
  return n < 0n ? '-' + prefix + (-n).toString(base) : prefix + n.toString(base);
}

/** `hex(n)`: '0xff', '-0x1'. */
export function intHex(n: bigint): string {
  return prefixed(n, '0x', 16);
}

/** `oct(n)`: '0o17' in Python 3. */
export function intOct(n: bigint): string {
  return prefixed(n, '0o', 8);
}

/** `oct(n)` in Python 2.7: '017', '0'. */
export function intOct27(n: bigint): string {
  if (n === 0n) return '0';
  return prefixed(n, '0', 8);
}

/** `bin(n)`: '0b101'. */
export function intBin(n: bigint): string {
  return prefixed(n, '0b', 2);
}

/**
 * `int.bit_length()`.
 * @example intBitLength(-255n) // 8
 */
export function intBitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return 0;
  const h = n.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/** Python's `a // b` for ints: floor division. */
export function intFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new TextError('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Python's `a % b` for ints: the result takes the divisor's sign. */
export function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new TextError('ZeroDivisionError', 'integer modulo by zero');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** `divmod(a, b)` for ints. */
export function intDivmod(a: bigint, b: bigint): [bigint, bigint] {
  if (b === 0n) throw new TextError('ZeroDivisionError', 'integer division or modulo by zero');
  return [intFloorDiv(a, b), intMod(a, b)];
}

/**
 * `a ** b` for ints: an int for b >= 0, else a float (null: see floatPow,
 * never happens for ints).
 * @example intPow(2n, -1n) // 0.5
 */
export function intPow(a: bigint, b: bigint): bigint | number {
  if (b >= 0n) return a ** b;
  if (a === 0n) throw new TextError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  return floatPow(intToFloat(a), intToFloat(b))!;
}

/**
 * `pow(a, b, m)` for ints; a negative b uses the modular inverse (3.8+).
 * @example intPowMod(3n, -1n, 7n) // 5n
 */
export function intPowMod(a: bigint, b: bigint, m: bigint): bigint {
  if (m === 0n) throw new TextError('ValueError', 'pow() 3rd argument cannot be 0');
  const neg = m < 0n;
  const mm = neg ? -m : m;
  let base = intMod(a, mm);
  if (b < 0n) {
    base = modInverse(base, mm);
    b = -b;
  }
  let r = mm === 1n ? 0n : 1n;
  while (b > 0n) {
    if (b & 1n) r = (r * base) % mm;
    base = (base * base) % mm;
    b >>= 1n;
  }
  return neg && r !== 0n ? r + m : r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [a, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new TextError('ValueError', 'base is not invertible for the given modulus');
  return intMod(s0, m);
}

const EXACT = 2n ** 53n;

/**
 * `a / b` for ints, correctly rounded (CPython's long_true_divide).
 * @example intTrueDiv(10n ** 400n, 10n ** 399n) // 10
 */
export function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) throw new TextError('ZeroDivisionError', 'division by zero');
  const negative = (a < 0n) !== (b < 0n);
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  if (a < EXACT && b < EXACT) {
    const q = Number(a) / Number(b);
    return negative ? -q : q;
  }
  if (a === 0n) return negative ? -0.0 : 0.0;
  const diff = intBitLength(a) - intBitLength(b);
  if (diff > 1025) throw new TextError('OverflowError', 'integer division result too large for a float');
  // e = floor(log2(a / b)) is diff or diff - 1.
  const e = (diff >= 0 ? a >= b << BigInt(diff) : a << BigInt(-diff) >= b) ? diff : diff - 1;
  // The result's ulp is 2^u (53 bits, or fixed for subnormals); divide at
  // 2^(u-1) to get the rounding bit, the remainder is the sticky bit.
  const u = Math.max(e - 52, -1074);
  const s = u - 1;
  let q: bigint;
  let r: bigint;
  if (s >= 0) {
    const d = b << BigInt(s);
    q = a / d;
    r = a % d;
  } else {
    const n = a << BigInt(-s);
    q = n / b;
    r = n % b;
  }
  const half = (q & 1n) === 1n;
  q >>= 1n;
  if (half && (r !== 0n || (q & 1n) === 1n)) q += 1n;
  // q <= 2^53 and 2^u is a double, so this is exact unless it overflows
  const x = Number(q) * 2 ** u;
  if (x === Infinity) throw new TextError('OverflowError', 'integer division result too large for a float');
  return negative ? -x : x;
}
