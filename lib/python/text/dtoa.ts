// Decimal digits of a double, the way CPython's dtoa.c hands them to
// PyOS_double_to_string, and the layout step of format_float_short.
//
// Three digit modes, named after dtoa's:
//   mode 0  shortest string that round-trips (repr). JS's own
//           Number.prototype.toExponential() computes exactly that.
//   mode 2  n significant digits, correctly rounded, ties to even.
//   mode 3  n digits after the decimal point, correctly rounded, ties to even.
// Modes 2 and 3 work on the exact binary value: a finite double is
// m * 2^e, whose decimal expansion is finite and computed with BigInt. JS's
// toPrecision/toFixed are not usable: they break ties away from zero and
// toFixed gives up above 1e21.
//
// Digits come back without trailing zeros, with `decpt` the position of the
// decimal point relative to the first digit (0.0123 -> '123', decpt -1).

/** Digits and decimal point position of |x|. */
export interface Digits {
  digits: string;
  decpt: number;
}

const VIEW = new DataView(new ArrayBuffer(8));
const POW5: bigint[] = [1n];

function pow5(n: number): bigint {
  while (POW5.length <= n) POW5.push(POW5[POW5.length - 1] * 5n);
  return POW5[n];
}

function stripZeros(d: string): string {
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 0x30) end--;
  return end === d.length ? d : d.slice(0, end);
}

/** The exact decimal expansion of |x| (finite, non-zero). */
export function exactDigits(x: number): Digits {
  VIEW.setFloat64(0, x);
  const hi = VIEW.getUint32(0);
  const lo = VIEW.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) {
    const d = (mant << BigInt(e2)).toString();
    return { digits: stripZeros(d), decpt: d.length };
  }
  const d = (mant * pow5(-e2)).toString();
  return { digits: stripZeros(d), decpt: d.length + e2 };
}

/** Shortest round-trip digits of |x| (finite, non-zero): dtoa mode 0. */
export function shortestDigits(x: number): Digits {
  const s = Math.abs(x).toExponential();
  const e = s.indexOf('e');
  const mant = s.charCodeAt(1) === 0x2e ? s[0] + s.slice(2, e) : s.slice(0, e);
  return { digits: mant, decpt: Number(s.slice(e + 1)) + 1 };
}

/** How a cut exactly halfway between two candidates is settled. */
export const enum Tie {
  /** IEEE and dtoa: to the even last digit. */
  Even,
  /** Python 2's round(): away from zero. */
  Away,
}

/**
 * Keeps the first `keep` digits of d (keep may be <= 0), rounding on the
 * exact remaining digits. A result of zero has empty digits.
 */
export function roundDigits(d: Digits, keep: number, tie: Tie = Tie.Even): Digits {
  const s = d.digits;
  if (keep >= s.length) return d;
  if (keep < 0) return { digits: '', decpt: d.decpt };
  const r = s.charCodeAt(keep);
  let up: boolean;
  if (r !== 0x35) up = r > 0x35;
  else if (keep + 1 < s.length || tie === Tie.Away) up = true; // digits are stripped, so more means above half
  else up = keep > 0 && (s.charCodeAt(keep - 1) & 1) === 1;
  if (!up) return { digits: stripZeros(s.slice(0, keep)), decpt: d.decpt };
  let i = keep - 1;
  while (i >= 0 && s.charCodeAt(i) === 0x39) i--;
  if (i < 0) return { digits: '1', decpt: d.decpt + 1 };
  return { digits: s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) + 1), decpt: d.decpt };
}

/**
 * Digits of |x| for a dtoa mode. Zero gives '0' with decpt 1, and mode 3
 * rounding to zero gives '' with decpt -ndigits, both as dtoa does.
 */
export function dtoaDigits(x: number, mode: 0 | 2 | 3, ndigits: number): Digits {
  if (x === 0) return { digits: '0', decpt: 1 };
  if (mode === 0) return shortestDigits(x);
  // Fast path: when the shortest round-trip digits fit in the requested
  // ones and at most 15 significant digits are asked for, they are the
  // correctly rounded answer: half an ulp of a double is below half a unit
  // of the 15th digit, so no other candidate is as close. Subnormals have
  // fewer significant bits and take the slow path.
  if (Math.abs(x) >= 2.2250738585072014e-308) {
    const short = shortestDigits(x);
    const fits = mode === 2
      ? ndigits <= 15 && short.digits.length <= Math.max(ndigits, 1)
      : short.decpt + ndigits <= 15 && short.digits.length - short.decpt <= ndigits;
    if (fits) return short;
  }
  const exact = exactDigits(x);
  if (mode === 2) return roundDigits(exact, Math.max(ndigits, 1));
  const r = roundDigits(exact, exact.decpt + ndigits);
  return r.digits === '' ? { digits: '', decpt: -ndigits } : r;
}

/** Options of PyOS_double_to_string. */
export interface DoubleFormat {
  /** 'e', 'f', 'g' or 'r' (repr: shortest digits). */
  code: 'e' | 'f' | 'g' | 'r';
  precision: number;
  /** Upper-case 'E', 'INF', 'NAN'. */
  upper?: boolean;
  /** Py_DTSF_SIGN: '+' on non-negative values. */
  sign?: boolean;
  /** Py_DTSF_ADD_DOT_0: '1.0' rather than '1' when no exponent is used. */
  addDot0?: boolean;
  /** Py_DTSF_ALT: '#' (keep the point and trailing zeros). */
  alt?: boolean;
  /** Py_DTSF_NO_NEG_0: 'z' (a negative value rounding to zero loses its sign). */
  noNegZero?: boolean;
}

/**
 * CPython's PyOS_double_to_string with its short float repr.
 * @example doubleToString(1e16, { code: 'r', precision: 0, addDot0: true }) // '1e+16'
 */
export function doubleToString(x: number, f: DoubleFormat): string {
  if (x !== x) return (f.sign ? '+' : '') + (f.upper ? 'NAN' : 'nan');
  const neg = x < 0 || Object.is(x, -0);
  if (x === Infinity || x === -Infinity) {
    return (neg ? '-' : f.sign ? '+' : '') + (f.upper ? 'INF' : 'inf');
  }
  let precision = f.precision;
  let mode: 0 | 2 | 3;
  switch (f.code) {
    case 'e':
      mode = 2;
      precision++;
      break;
    case 'f':
      mode = 3;
      break;
    case 'g':
      mode = 2;
      if (precision === 0) precision = 1;
      break;
    default:
      mode = 0;
  }
  const { digits, decpt: dp } = dtoaDigits(x, mode, precision);
  let decpt = dp;
  let sign = neg;
  if (f.noNegZero && sign && (digits === '' || digits === '0')) sign = false;
  const nd = digits.length;

  let useExp = false;
  let vEnd = nd;
  switch (f.code) {
    case 'e':
      useExp = true;
      vEnd = precision;
      break;
    case 'f':
      vEnd = decpt + precision;
      break;
    case 'g':
      if (decpt <= -4 || decpt > (f.addDot0 ? precision - 1 : precision)) useExp = true;
      if (f.alt) vEnd = precision;
      break;
    default:
      if (decpt <= -4 || decpt > 16) useExp = true;
  }
  let exp = 0;
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vStart = decpt <= 0 ? decpt - 1 : 0;
  if (!useExp && f.addDot0) vEnd = vEnd > decpt ? vEnd : decpt + 1;
  else vEnd = vEnd > decpt ? vEnd : decpt;

  let out = sign ? '-' : f.sign ? '+' : '';
  if (decpt <= 0) out += '0'.repeat(decpt - vStart) + '.' + '0'.repeat(-decpt);
  else out += '0'.repeat(-vStart);
  if (decpt > 0 && decpt <= nd) out += digits.slice(0, decpt) + '.' + digits.slice(decpt);
  else out += digits;
  if (nd < decpt) out += '0'.repeat(decpt - nd) + '.' + '0'.repeat(vEnd - decpt);
  else out += '0'.repeat(Math.max(0, vEnd - nd));
  if (out.charCodeAt(out.length - 1) === 0x2e && !f.alt) out = out.slice(0, -1);
  if (useExp) {
    const a = Math.abs(exp);
    out += (f.upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
  }
  return out;
}
