// The format-spec mini-language of format(), str.format() and f-strings,
// after CPython's Python/formatter_unicode.c:
//
//   [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
//
// parseFormatSpec reads a spec once (results are cached: the same few specs
// recur in every loop of a script); formatStr / formatInt / formatFloat /
// formatBool apply it. Every number goes through layoutNumber, CPython's
// calc_number_widths + fill_number: sign, prefix, grouped integer digits,
// the remainder (point, fraction, exponent, '%'), and padding at the place
// the alignment says. Zero padding with '=' is grouped like the digits
// ('00,001,234'), which is why it is done by the grouping step.

import { TextError } from './errors.js';
import { doubleToString } from './dtoa.js';
import { decimalValue } from './unicode.js';
import { cpLength, cpSlice, hasAstral } from './codepoints.js';
import { intToFloat } from './float.js';

/** A parsed format spec. */
export interface FormatSpec {
  /** Fill character (one code point); ' ' by default. */
  fill: string;
  /** '<', '>', '=', '^', or '' when not given. */
  align: string;
  /** '+', '-', ' ', or '' when not given. */
  sign: string;
  /** 'z': negative zero coerced to positive. */
  noNegZero: boolean;
  /** '#': alternate form. */
  alt: boolean;
  /** Minimum width, -1 when not given. */
  width: number;
  /** ',' or '_' or ''. */
  grouping: string;
  /** Precision, -1 when not given. */
  precision: number;
  /** Presentation type, '' when not given. */
  type: string;
}

const CACHE = new Map<string, FormatSpec>();
const CACHE_LIMIT = 256;

function invalidType(type: string, typeName: string): TextError {
  return new TextError('ValueError', `Unknown format code '${showChar(type)}' for object of type '${typeName}'`);
}

function showChar(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp > 32 && cp < 128 ? c : '\\x' + cp.toString(16);
}

/** Reads digits (any Unicode decimal) from cps at i; [value, next index]. */
function readInteger(cps: string[], i: number): [number, number] {
  let v = 0;
  const start = i;
  for (; i < cps.length; i++) {
    const d = decimalValue(cps[i].codePointAt(0)!);
    if (d < 0) break;
    v = v * 10 + d;
    if (v > Number.MAX_SAFE_INTEGER / 10) {
      throw new TextError('ValueError', 'Too many decimal digits in format string');
    }
  }
  return [i === start ? -1 : v, i];
}

function isAlign(c: string | undefined): boolean {
  return c === '<' || c === '>' || c === '=' || c === '^';
}

/**
 * Parses a spec for an object of the given type. `defaultType` and
 * `defaultAlign` are CPython's: 's'/'<' for str, 'd'/'>' for int, ''/'>'
 * for float.
 * @example parseFormatSpec('>10,.2f', 'float', '', '>').width // 10
 */
export function parseFormatSpec(spec: string, typeName: string, defaultType: string, defaultAlign: string): FormatSpec {
  const key = defaultType + defaultAlign + spec;
  const hit = CACHE.get(key);
  if (hit) return hit;
  const cps = hasAstral(spec) ? Array.from(spec) : spec.split('');
  const end = cps.length;
  const f: FormatSpec = {
    fill: ' ', align: defaultAlign, sign: '', noNegZero: false, alt: false,
    width: -1, grouping: '', precision: -1, type: defaultType,
  };
  let pos = 0;
  let fillGiven = false;
  let alignGiven = false;
  if (end - pos >= 2 && isAlign(cps[pos + 1])) {
    f.align = cps[pos + 1];
    f.fill = cps[pos];
    fillGiven = alignGiven = true;
    pos += 2;
  } else if (end - pos >= 1 && isAlign(cps[pos])) {
    f.align = cps[pos];
    alignGiven = true;
    pos++;
  }
  if (pos < end && (cps[pos] === '+' || cps[pos] === '-' || cps[pos] === ' ')) f.sign = cps[pos++];
  if (pos < end && cps[pos] === 'z') {
    f.noNegZero = true;
    pos++;
  }
  if (pos < end && cps[pos] === '#') {
    f.alt = true;
    pos++;
  }
  if (!fillGiven && pos < end && cps[pos] === '0') {
    f.fill = '0';
    if (!alignGiven && defaultAlign === '>') f.align = '=';
    pos++;
  }
  [f.width, pos] = readInteger(cps, pos);
  if (pos < end && cps[pos] === ',') {
    f.grouping = ',';
    pos++;
  }
  if (pos < end && cps[pos] === '_') {
    if (f.grouping !== '') throw new TextError('ValueError', "Cannot specify both ',' and '_'.");
    f.grouping = '_';
    pos++;
  }
  if (pos < end && cps[pos] === ',' && f.grouping === '_') {
    throw new TextError('ValueError', "Cannot specify both ',' and '_'.");
  }
  if (pos < end && cps[pos] === '.') {
    [f.precision, pos] = readInteger(cps, pos + 1);
    if (f.precision < 0) throw new TextError('ValueError', 'Format specifier missing precision');
  }
  if (end - pos > 1) {
    throw new TextError('ValueError', `Invalid format specifier '${spec}' for object of type '${typeName}'`);
  }
  if (end - pos === 1) f.type = cps[pos];
  if (f.grouping !== '') {
    switch (f.type) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '':
        break;
      case 'b': case 'o': case 'x': case 'X':
        // '_' groups binary, octal and hex digits by four; ',' is decimal only
        if (f.grouping === '_') break;
        throw badGrouping(f);
      default:
        throw badGrouping(f);
    }
  }
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, f);
  return f;
}

function badGrouping(f: FormatSpec): TextError {
  return new TextError('ValueError', `Cannot specify '${f.grouping}' with '${showChar(f.type)}'.`);
}

/** Pads text (of code point length len) to the spec's width. */
function pad(text: string, len: number, f: FormatSpec): string {
  const n = f.width - len;
  if (n <= 0) return text;
  switch (f.align) {
    case '>':
      return f.fill.repeat(n) + text;
    case '^': {
      const left = n >> 1;
      return f.fill.repeat(left) + text + f.fill.repeat(n - left);
    }
    default:
      return text + f.fill.repeat(n);
  }
}

/**
 * `format(s, spec)` for a str.
 * @example formatStr('ab', '^6') // '  ab  '
 */
export function formatStr(s: string, spec: string): string {
  if (spec === '') return s;
  const f = parseFormatSpec(spec, 'str', 's', '<');
  if (f.type !== 's') throw invalidType(f.type, 'str');
  if (f.sign !== '') {
    throw new TextError('ValueError', f.sign === ' '
      ? 'Space not allowed in string format specifier'
      : 'Sign not allowed in string format specifier');
  }
  if (f.noNegZero) throw new TextError('ValueError', 'Negative zero coercion (z) not allowed in string format specifier');
  if (f.alt) throw new TextError('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (f.align === '=') throw new TextError('ValueError', "'=' alignment not allowed in string format specifier");
  const astral = hasAstral(s);
  let len = cpLength(s, astral);
  if (f.precision >= 0 && len > f.precision) {
    s = cpSlice(s, 0, f.precision, 1, astral);
    len = f.precision;
  }
  return pad(s, len, f);
}

/**
 * Digits grouped from the right in groups of `size`, padded with zeros
 * (grouped too) up to minWidth: CPython's _PyUnicode_InsertThousandsGrouping.
 */
function groupDigits(digits: string, sep: string, size: number, minWidth: number): string {
  if (digits === '') return '';
  let remaining = digits.length;
  let out = '';
  let first = true;
  for (;;) {
    // size 0 means "no grouping": one group of everything
    const l = size === 0 ? Math.max(remaining, minWidth, 1) : Math.min(size, Math.max(remaining, minWidth, 1));
    const nZeros = Math.max(0, l - remaining);
    const nChars = Math.max(0, Math.min(remaining, l));
    const group = '0'.repeat(nZeros) + digits.slice(remaining - nChars, remaining);
    out = first ? group : group + sep + out;
    first = false;
    remaining -= nChars;
    minWidth -= l;
    if (size === 0 || (remaining <= 0 && minWidth <= 0)) break;
    minWidth -= sep.length;
  }
  return out;
}

/**
 * Lays a number out: sign, prefix, integer digits (grouped), remainder,
 * padded per the spec. ('n' needs nothing more: the C locale has no
 * grouping and '.' for a point.)
 */
function layoutNumber(negative: boolean, prefix: string, digits: string, rest: string, f: FormatSpec, groupSize: number): string {
  const sign = negative ? '-' : f.sign === '+' ? '+' : f.sign === ' ' ? ' ' : '';
  const nonDigit = sign.length + prefix.length + rest.length;
  const minWidth = f.fill === '0' && f.align === '=' ? f.width - nonDigit : 0;
  const sep = f.grouping;
  const grouped = groupDigits(digits, sep, sep === '' ? 0 : groupSize, minWidth);
  const n = f.width - (nonDigit + grouped.length);
  if (n <= 0) return sign + prefix + grouped + rest;
  switch (f.align) {
    case '<':
      return sign + prefix + grouped + rest + f.fill.repeat(n);
    case '^': {
      const left = n >> 1;
      return f.fill.repeat(left) + sign + prefix + grouped + rest + f.fill.repeat(n - left);
    }
    case '=':
      return sign + prefix + f.fill.repeat(n) + grouped + rest;
    default:
      return f.fill.repeat(n) + sign + prefix + grouped + rest;
  }
}

/**
 * `format(n, spec)` for an int; `typeName` names the type in errors
 * (a subclass's name, or 'bool').
 * @example formatInt(1234n, '010,') // '00,001,234'
 */
export function formatInt(n: bigint, spec: string, typeName = 'int'): string {
  if (spec === '') return n.toString();
  const f = parseFormatSpec(spec, typeName, 'd', '>');
  switch (f.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      return applyFloat(intToFloat(n), f);
    default:
      throw invalidType(f.type, typeName);
  }
  if (f.noNegZero) throw new TextError('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier');
  if (f.precision !== -1) throw new TextError('ValueError', 'Precision not allowed in integer format specifier');
  if (f.type === 'c') {
    if (f.sign !== '') throw new TextError('ValueError', "Sign not allowed with integer format specifier 'c'");
    if (f.alt) throw new TextError('ValueError', "Alternate form (#) not allowed with integer format specifier 'c'");
    if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new TextError('OverflowError', 'Python int too large to convert to C long');
    if (n < 0n || n > 0x10ffffn) throw new TextError('OverflowError', '%c arg not in range(0x110000)');
    return layoutNumber(false, '', '', String.fromCodePoint(Number(n)), f, 3);
  }
  const negative = n < 0n;
  const mag = negative ? -n : n;
  let digits: string;
  let prefix = '';
  let groupSize = 3;
  switch (f.type) {
    case 'b':
      digits = mag.toString(2);
      if (f.alt) prefix = '0b';
      groupSize = 4;
      break;
    case 'o':
      digits = mag.toString(8);
      if (f.alt) prefix = '0o';
      groupSize = 4;
      break;
    case 'x':
      digits = mag.toString(16);
      if (f.alt) prefix = '0x';
      groupSize = 4;
      break;
    case 'X':
      digits = mag.toString(16).toUpperCase();
      if (f.alt) prefix = '0X';
      groupSize = 4;
      break;
    default:
      digits = mag.toString();
  }
  return layoutNumber(negative, prefix, digits, '', f, groupSize);
}

/**
 * `format(b, spec)` for a bool: 'True' for an empty spec, else as an int.
 * @example formatBool(true, '>3') // '  1'
 */
export function formatBool(b: boolean, spec: string): string {
  if (spec === '') return b ? 'True' : 'False';
  return formatInt(b ? 1n : 0n, spec, 'bool');
}

/**
 * `format(x, spec)` for a float. The no-type case is repr-like, and 'g'-like
 * with at least one digit after the point when a precision is given.
 * @example formatFloat(1234.5, ',.2f') // '1,234.50'; formatFloat(1e16, '') // '1e+16'
 */
export function formatFloat(x: number, spec: string, typeName = 'float'): string {
  if (spec === '') return doubleToString(x, { code: 'r', precision: 0, addDot0: true });
  const f = parseFormatSpec(spec, typeName, '', '>');
  switch (f.type) {
    case '': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      return applyFloat(x, f);
    default:
      throw invalidType(f.type, typeName);
  }
}

function applyFloat(x: number, f: FormatSpec): string {
  let type = f.type;
  let precision = f.precision;
  let addDot0 = false;
  let defaultPrecision = 6;
  if (type === '') {
    addDot0 = true;
    type = 'r';
    defaultPrecision = 0;
  }
  if (type === 'n') type = 'g';
  let pct = false;
  if (type === '%') {
    type = 'f';
    x *= 100;
    pct = true;
  }
  if (precision < 0) precision = defaultPrecision;
  else if (type === 'r') type = 'g';
  const upper = type === 'E' || type === 'F' || type === 'G';
  const code = type.toLowerCase() as 'e' | 'f' | 'g' | 'r';
  let s = doubleToString(x, { code, precision, upper, addDot0, alt: f.alt, noNegZero: f.noNegZero });
  if (pct) s += '%';
  let negative = false;
  if (s.charCodeAt(0) === 0x2d) {
    negative = true;
    s = s.slice(1);
  }
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  return layoutNumber(negative, '', s.slice(0, i), s.slice(i), f, 3);
}
