// printf-style formatting, `format % args`, after CPython 3.11's
// PyUnicode_Format: a scan of the template where each '%' conversion takes
// [(key)][flags][width][.precision][length]type, reading its argument
// from the tuple, the single object or (with a key) the mapping, and the
// argument bookkeeping (arglen -1 / argidx -2 for a lone object) that
// decides "not enough" / "not all arguments converted".

import { TextError } from './errors.js';
import { doubleToString } from './dtoa.js';
import { cpLength, cpSlice, hasAstral } from './codepoints.js';

/** How %-formatting reaches the Python objects it formats. */
export interface PercentCallbacks<T> {
  str(o: T): string;
  repr(o: T): string;
  ascii(o: T): string;
  /** The type's name for error messages ('str', 'NoneType'). */
  typeName(o: T): string;
  isTuple(o: T): boolean;
  tupleItems(o: T): readonly T[];
  /** PyMapping_Check and not a tuple or str (lists count, as in CPython). */
  isMapping(o: T): boolean;
  /** `o[key]`; raises the interpreter's KeyError itself. */
  getitem(o: T, key: string): T;
  /**
   * The int value of o, or undefined when it has none:
   * 'exact' only int/bool (for '*'), 'index' also __index__ (for %x %o %X
   * %c), 'int' also int(o) (for %d %i %u: floats truncate, may raise).
   */
  toInt(o: T, how: 'exact' | 'index' | 'int'): bigint | undefined;
  /** float(o) for %e %f %g, or undefined when o is not a real number. */
  toFloat(o: T): number | undefined;
  /** The text of o when it is a str, else undefined (for %c). */
  strValue(o: T): string | undefined;
}

const F_LJUST = 1;
const F_SIGN = 2;
const F_BLANK = 4;
const F_ALT = 8;
const F_ZERO = 16;

/**
 * `template % args`.
 * @example percentFormat('%-5s|%03d', tuple, cb) // 'ab   |007'
 */
export function percentFormat<T>(template: string, args: T, cb: PercentCallbacks<T>): string {
  const isTuple = cb.isTuple(args);
  const dict = !isTuple && cb.strValue(args) === undefined && cb.isMapping(args) ? args : undefined;
  const items: readonly T[] = isTuple ? cb.tupleItems(args) : [args];
  let arglen = isTuple ? items.length : -1;
  let argidx = isTuple ? 0 : -2;
  let current = args; // what a lone-object argument stands for
  let useItems = isTuple;
  const nextArg = (): T => {
    if (argidx < arglen) {
      const i = argidx++;
      return arglen < 0 ? current : useItems ? items[i] : current;
    }
    throw new TextError('TypeError', 'not enough arguments for format string');
  };

  let out = '';
  let pos = 0;
  const end = template.length;
  while (pos < end) {
    const pct = template.indexOf('%', pos);
    if (pct < 0) {
      out += template.slice(pos);
      break;
    }
    out += template.slice(pos, pct);
    pos = pct + 1;
    if (pos >= end) throw new TextError('ValueError', 'incomplete format');
    let c = template.charCodeAt(pos);
    if (c === 0x25) {
      // only a bare '%%' is a literal; '%5%' is an unsupported conversion
      out += '%';
      pos++;
      continue;
    }
    if (c === 0x28) {
      // %(key): the argument comes from the mapping
      if (dict === undefined) throw new TextError('TypeError', 'format requires a mapping');
      let depth = 1;
      const keyStart = ++pos;
      while (pos < end && depth > 0) {
        const k = template.charCodeAt(pos++);
        if (k === 0x28) depth++;
        else if (k === 0x29) depth--;
      }
      if (depth > 0) throw new TextError('ValueError', 'incomplete format key');
      current = cb.getitem(dict, template.slice(keyStart, pos - 1));
      useItems = false;
      arglen = -1;
      argidx = -2;
      if (pos >= end) throw new TextError('ValueError', 'incomplete format');
      c = template.charCodeAt(pos);
    }
    let flags = 0;
    for (;;) {
      const fl = c === 0x2d ? F_LJUST : c === 0x2b ? F_SIGN : c === 0x20 ? F_BLANK : c === 0x23 ? F_ALT : c === 0x30 ? F_ZERO : 0;
      if (fl === 0) break;
      flags |= fl;
      if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
      c = template.charCodeAt(pos);
    }
    let width = -1;
    if (c === 0x2a) {
      const w = cb.toInt(nextArg(), 'exact');
      if (w === undefined) throw new TextError('TypeError', '* wants int');
      width = Number(w);
      if (width < 0) {
        flags |= F_LJUST;
        width = -width;
      }
      if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
      c = template.charCodeAt(pos);
    } else if (c >= 0x30 && c <= 0x39) {
      width = 0;
      while (c >= 0x30 && c <= 0x39) {
        width = width * 10 + (c - 0x30);
        if (width > Number.MAX_SAFE_INTEGER / 10) throw new TextError('ValueError', 'width too big');
        if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
        c = template.charCodeAt(pos);
      }
    }
    let prec = -1;
    if (c === 0x2e) {
      prec = 0;
      if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
      c = template.charCodeAt(pos);
      if (c === 0x2a) {
        const p = cb.toInt(nextArg(), 'exact');
        if (p === undefined) throw new TextError('TypeError', '* wants int');
        prec = Math.max(0, Number(p));
        if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
        c = template.charCodeAt(pos);
      } else {
        while (c >= 0x30 && c <= 0x39) {
          prec = prec * 10 + (c - 0x30);
          if (prec > 0x7fffffff / 10) throw new TextError('ValueError', 'precision too big');
          if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
          c = template.charCodeAt(pos);
        }
      }
    }
    if (c === 0x68 || c === 0x6c || c === 0x4c) {
      if (++pos >= end) throw new TextError('ValueError', 'incomplete format');
      c = template.charCodeAt(pos);
    }
    const typeCp = template.codePointAt(pos)!;
    const type = String.fromCodePoint(typeCp);
    pos += type.length;
    const v = nextArg();
    let body: string;
    let numeric = false;
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        body = type === 's' ? cb.str(v) : type === 'r' ? cb.repr(v) : cb.ascii(v);
        if (prec >= 0) {
          const astral = hasAstral(body);
          if (cpLength(body, astral) > prec) body = cpSlice(body, 0, prec, 1, astral);
        }
        break;
      }
      case 'i':
      case 'd':
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        const n = cb.toInt(v, type === 'o' || type === 'x' || type === 'X' ? 'index' : 'int');
        if (n === undefined) {
          throw new TextError('TypeError', type === 'o' || type === 'x' || type === 'X'
            ? `%${type} format: an integer is required, not ${cb.typeName(v)}`
            : `%${type} format: a real number is required, not ${cb.typeName(v)}`);
        }
        body = formatLong(n, (flags & F_ALT) !== 0, prec, type);
        numeric = true;
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const x = cb.toFloat(v);
        if (x === undefined) throw new TextError('TypeError', `must be real number, not ${cb.typeName(v)}`);
        body = doubleToString(x, {
          code: type.toLowerCase() as 'e' | 'f' | 'g',
          precision: prec < 0 ? 6 : prec,
          upper: type === 'E' || type === 'F' || type === 'G',
          alt: (flags & F_ALT) !== 0,
        });
        numeric = true;
        break;
      }
      case 'c':
        body = formatChar(v, cb);
        break;
      default:
        throw new TextError(
          'ValueError',
          `unsupported format character '${typeCp >= 31 && typeCp <= 126 ? type : '?'}' (0x${typeCp.toString(16)}) at index ${cpLength(template.slice(0, pos)) - 1}`,
        );
    }
    out += outputArg(body, numeric, flags, width, type);
  }
  if (argidx < arglen && dict === undefined) {
    throw new TextError('TypeError', 'not all arguments converted during string formatting');
  }
  return out;
}

/** %d %o %x digits with '#' prefix and precision as minimum digit count. */
function formatLong(n: bigint, alt: boolean, prec: number, type: string): string {
  const neg = n < 0n;
  const mag = neg ? -n : n;
  let digits = type === 'o' ? mag.toString(8) : type === 'x' ? mag.toString(16) : type === 'X' ? mag.toString(16).toUpperCase() : mag.toString();
  if (prec > digits.length) digits = '0'.repeat(prec - digits.length) + digits;
  const prefix = alt && (type === 'o' || type === 'x' || type === 'X') ? '0' + type : '';
  return (neg ? '-' : '') + prefix + digits;
}

function formatChar<T>(v: T, cb: PercentCallbacks<T>): string {
  const s = cb.strValue(v);
  if (s !== undefined) {
    if (cpLength(s) === 1) return s;
    throw new TextError('TypeError', '%c requires int or char');
  }
  const n = cb.toInt(v, 'index');
  if (n === undefined) throw new TextError('TypeError', '%c requires int or char');
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new TextError('OverflowError', 'Python int too large to convert to C long');
  if (n < 0n || n > 0x10ffffn) throw new TextError('OverflowError', '%c arg not in range(0x110000)');
  return String.fromCodePoint(Number(n));
}

// CPython's unicode_format_arg_output: sign and '0x' prefix go before zero
// padding and after space padding; right padding is always spaces.
function outputArg(body: string, numeric: boolean, flags: number, width: number, type: string): string {
  const fill = numeric && (flags & F_ZERO) !== 0 ? '0' : ' ';
  let sign = '';
  let i = 0;
  if (numeric) {
    const c = body[0];
    if (c === '-' || c === '+') {
      sign = c;
      i = 1;
    } else if (flags & F_SIGN) sign = '+';
    else if (flags & F_BLANK) sign = ' ';
  }
  let prefix = '';
  if (numeric && (flags & F_ALT) && (type === 'x' || type === 'X' || type === 'o')) {
    prefix = body.slice(i, i + 2);
    i += 2;
  }
  const rest = i === 0 ? body : body.slice(i);
  const len = sign.length + prefix.length + (numeric ? rest.length : cpLength(rest));
  const padN = width - len;
  if (padN <= 0) return sign + prefix + rest;
  if (flags & F_LJUST) return sign + prefix + rest + ' '.repeat(padN);
  if (fill === '0') return sign + prefix + '0'.repeat(padN) + rest;
  return ' '.repeat(padN) + sign + prefix + rest;
}
