// str.format() and str.format_map(), after CPython's
// Objects/stringlib/unicode_format.h: a markup iterator splits the template
// into literal text and {field!conversion:spec} markups; each field name is
// an argument (auto-numbered, an index or a keyword) followed by .attr and
// [key] lookups; a spec holding braces is itself expanded first, at most
// two levels deep. Parse errors surface when the scan reaches them, after
// the fields before them were formatted, as in CPython.

import { TextError } from './errors.js';
import { formatStr } from './format.js';
import { decimalValue } from './unicode.js';

/** How str.format reaches the Python objects it formats. */
export interface FormatCallbacks<T> {
  /** `getattr(o, name)`. */
  getattr(o: T, name: string): T;
  /** `o[key]`; key is a number when the brackets held only digits. */
  getitem(o: T, key: string | number): T;
  /** `format(o, spec)`. */
  format(o: T, spec: string): string;
  repr(o: T): string;
  str(o: T): string;
  ascii(o: T): string;
}

/**
 * Keyword arguments: a map, or a lookup (for format_map over any mapping)
 * that returns undefined or throws KeyError for a missing key.
 */
export type FormatKwargs<T> = ReadonlyMap<string, T> | ((name: string) => T | undefined);

interface AutoNumber {
  state: 0 | 1 | 2; // init, auto, manual
  next: number;
}

/**
 * `template.format(*args, **kwargs)`; pass args null for format_map.
 * @example strFormat('{0:>{1}}|{x!r}', [a, w], new Map([['x', s]]), cb)
 */
export function strFormat<T>(
  template: string,
  args: readonly T[] | null,
  kwargs: FormatKwargs<T> | undefined,
  cb: FormatCallbacks<T>,
): string {
  return buildString(template, args, kwargs, cb, 2, { state: 0, next: 0 });
}

function buildString<T>(
  s: string,
  args: readonly T[] | null,
  kwargs: FormatKwargs<T> | undefined,
  cb: FormatCallbacks<T>,
  depth: number,
  auto: AutoNumber,
): string {
  if (depth <= 0) throw new TextError('ValueError', 'Max string recursion exceeded');
  let out = '';
  let pos = 0;
  const end = s.length;
  while (pos < end) {
    // literal text up to a brace
    const start = pos;
    let c = 0;
    let markup = false;
    while (pos < end) {
      c = s.charCodeAt(pos++);
      if (c === 0x7b || c === 0x7d) {
        markup = true;
        break;
      }
    }
    const atEnd = pos >= end;
    let len = pos - start;
    if (c === 0x7d && markup && (atEnd || s.charCodeAt(pos) !== 0x7d)) {
      throw new TextError('ValueError', "Single '}' encountered in format string");
    }
    if (atEnd && c === 0x7b && markup) {
      throw new TextError('ValueError', "Single '{' encountered in format string");
    }
    if (!atEnd && markup) {
      if (s.charCodeAt(pos) === c) {
        pos++; // doubled brace: literal, no markup
        markup = false;
      } else len--;
    }
    out += s.slice(start, start + len);
    if (!markup) continue;
    // the field: name up to ':' or '!' or '}' ('[...]' may hold them)
    const nameStart = pos;
    c = 0;
    while (pos < end) {
      c = s.charCodeAt(pos++);
      if (c === 0x7b) throw new TextError('ValueError', "unexpected '{' in field name");
      if (c === 0x5b) {
        while (pos < end && s.charCodeAt(pos) !== 0x5d) pos++;
        continue;
      }
      if (c === 0x7d || c === 0x3a || c === 0x21) break;
    }
    const name = s.slice(nameStart, pos - 1);
    let conversion = '';
    let spec = '';
    let expand = false;
    if (c === 0x21 || c === 0x3a) {
      let done = false;
      if (c === 0x21) {
        if (pos >= end) throw new TextError('ValueError', 'end of string while looking for conversion specifier');
        const cp = s.codePointAt(pos)!;
        conversion = String.fromCodePoint(cp);
        pos += conversion.length;
        if (pos < end) {
          const c2 = s.charCodeAt(pos++);
          if (c2 === 0x7d) done = true;
          else if (c2 !== 0x3a) throw new TextError('ValueError', "expected ':' after conversion specifier");
        }
      }
      if (!done) {
        const specStart = pos;
        let count = 1;
        let closed = false;
        while (pos < end) {
          const c3 = s.charCodeAt(pos++);
          if (c3 === 0x7b) {
            expand = true;
            count++;
          } else if (c3 === 0x7d && --count === 0) {
            closed = true;
            break;
          }
        }
        if (!closed) throw new TextError('ValueError', "unmatched '{' in format spec");
        spec = s.slice(specStart, pos - 1);
      }
    } else if (c !== 0x7d) {
      throw new TextError('ValueError', "expected '}' before end of string");
    }
    out += renderField(name, conversion, spec, expand, args, kwargs, cb, depth, auto);
  }
  return out;
}

function getInteger(s: string): number {
  if (s === '') return -1;
  let v = 0;
  for (const ch of s) {
    const d = decimalValue(ch.codePointAt(0)!);
    if (d < 0) return -1;
    v = v * 10 + d;
    if (v > Number.MAX_SAFE_INTEGER / 10) throw new TextError('ValueError', 'Too many decimal digits in format string');
  }
  return v;
}

function renderField<T>(
  field: string,
  conversion: string,
  spec: string,
  expand: boolean,
  args: readonly T[] | null,
  kwargs: FormatKwargs<T> | undefined,
  cb: FormatCallbacks<T>,
  depth: number,
  auto: AutoNumber,
): string {
  let obj = getFieldObject(field, args, kwargs, cb, auto);
  let text: string | undefined;
  if (conversion !== '') {
    switch (conversion) {
      case 'r':
        text = cb.repr(obj);
        break;
      case 's':
        text = cb.str(obj);
        break;
      case 'a':
        text = cb.ascii(obj);
        break;
      default: {
        const cp = conversion.codePointAt(0)!;
        throw new TextError('ValueError', cp > 32 && cp < 127
          ? `Unknown conversion specifier ${conversion}`
          : `Unknown conversion specifier \\x${cp.toString(16)}`);
      }
    }
  }
  if (expand) spec = buildString(spec, args, kwargs, cb, depth - 1, auto);
  return text !== undefined ? formatStr(text, spec) : cb.format(obj, spec);
}

function getFieldObject<T>(
  field: string,
  args: readonly T[] | null,
  kwargs: FormatKwargs<T> | undefined,
  cb: FormatCallbacks<T>,
  auto: AutoNumber,
): T {
  let i = 0;
  while (i < field.length && field[i] !== '.' && field[i] !== '[') i++;
  const first = field.slice(0, i);
  let index = getInteger(first);
  const empty = first === '';
  if (empty || index !== -1) {
    if (auto.state === 0) auto.state = empty ? 1 : 2;
    if (auto.state === 2 && empty) {
      throw new TextError('ValueError', 'cannot switch from manual field specification to automatic field numbering');
    }
    if (auto.state === 1 && !empty) {
      throw new TextError('ValueError', 'cannot switch from automatic field numbering to manual field specification');
    }
    if (empty) index = auto.next++;
  }
  let obj: T;
  if (index === -1) {
    const v = kwargs === undefined ? undefined : typeof kwargs === 'function' ? kwargs(first) : kwargs.get(first);
    if (v === undefined) throw new TextError('KeyError', first);
    obj = v;
  } else {
    if (args === null) throw new TextError('ValueError', 'Format string contains positional fields');
    if (index >= args.length) {
      throw new TextError('IndexError', `Replacement index ${index} out of range for positional args tuple`);
    }
    obj = args[index];
  }
  // the rest: .attr and [key] lookups
  while (i < field.length) {
    const c = field[i++];
    let name: string;
    if (c === '.') {
      const start = i;
      while (i < field.length && field[i] !== '.' && field[i] !== '[') i++;
      name = field.slice(start, i);
      if (name === '') throw new TextError('ValueError', 'Empty attribute in format string');
      obj = cb.getattr(obj, name);
    } else if (c === '[') {
      const close = field.indexOf(']', i);
      if (close < 0) throw new TextError('ValueError', "Missing ']' in format string");
      name = field.slice(i, close);
      i = close + 1;
      if (name === '') throw new TextError('ValueError', 'Empty attribute in format string');
      const k = getInteger(name);
      obj = cb.getitem(obj, k === -1 ? name : k);
    } else {
      throw new TextError('ValueError', "Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return obj;
}
