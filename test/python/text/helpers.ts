// Shared by the text suites: run a call the way the tables record it
// ('!Type: message' for an exception), and a toy Python value model for the
// callback-driven formatters. Values are tagged as cases.py writes them:
// {i: int text} {f: float repr} {s: str} {l: list} {d: [[key, value]...]}
// {a: attributes} {o: 'None' | 'True' | 'False'} {t: tuple items}.
import { TextError } from '../../../lib/python/text/errors.js';
import { floatRepr, floatToInt } from '../../../lib/python/text/float.js';
import { strRepr, asciiRepr } from '../../../lib/python/text/repr.js';
import { formatBool, formatFloat, formatInt, formatStr } from '../../../lib/python/text/format.js';
import type { FormatCallbacks } from '../../../lib/python/text/strformat.js';
import type { PercentCallbacks } from '../../../lib/python/text/percent.js';

/** The result of fn as the tables spell it. */
export function outcome<R>(fn: () => R, show: (r: R) => unknown = (r) => r): unknown {
  try {
    return show(fn());
  } catch (e) {
    if (e instanceof TextError) return `!${e.pyType}: ${e.pyType === 'KeyError' ? strRepr(e.message) : e.message}`;
    throw e;
  }
}

/** A float from its Python repr. */
export function pyFloat(r: string): number {
  if (r === 'inf') return Infinity;
  if (r === '-inf') return -Infinity;
  if (r === 'nan') return NaN;
  return Number(r);
}

/** Collects mismatches so one failing assertion lists them all. */
export class Mismatches {
  readonly list: string[] = [];
  check(label: string, got: unknown, want: unknown): void {
    const g = JSON.stringify(got);
    const w = JSON.stringify(want);
    if (g !== w) this.list.push(`${label}: got ${g}, want ${w}`);
  }
}

export type Py =
  | { i: string }
  | { f: string }
  | { s: string }
  | { l: Py[] }
  | { d: [Py, Py][] }
  | { a: Record<string, Py> }
  | { o: string }
  | { t: Py[] };

export function typeName(v: Py): string {
  if ('i' in v) return 'int';
  if ('f' in v) return 'float';
  if ('s' in v) return 'str';
  if ('l' in v) return 'list';
  if ('d' in v) return 'dict';
  if ('t' in v) return 'tuple';
  if ('a' in v) return 'O';
  return v.o === 'None' ? 'NoneType' : 'bool';
}

export function pyRepr(v: Py): string {
  if ('i' in v) return v.i;
  if ('f' in v) return floatRepr(pyFloat(v.f));
  if ('s' in v) return strRepr(v.s);
  if ('l' in v) return '[' + v.l.map(pyRepr).join(', ') + ']';
  if ('t' in v) return '(' + v.t.map(pyRepr).join(', ') + (v.t.length === 1 ? ',)' : ')');
  if ('d' in v) return '{' + v.d.map(([k, x]) => pyRepr(k) + ': ' + pyRepr(x)).join(', ') + '}';
  if ('a' in v) return '<O object>';
  return v.o;
}

export function pyStr(v: Py): string {
  return 's' in v ? v.s : pyRepr(v);
}

function pyGetitem(o: Py, key: string | number): Py {
  if ('l' in o && typeof key === 'number') {
    if (key >= o.l.length) throw new TextError('IndexError', 'list index out of range');
    return o.l[key];
  }
  if ('d' in o) {
    for (const [k, x] of o.d) if (('s' in k && k.s === key) || ('i' in k && k.i === String(key))) return x;
  }
  throw new TextError('KeyError', String(key));
}

export const formatCallbacks: FormatCallbacks<Py> = {
  getattr: (o, name) => {
    if ('a' in o && name in o.a) return o.a[name];
    throw new TextError('ValueError', `no attribute ${name}`);
  },
  getitem: pyGetitem,
  format: (o, spec) => {
    if ('i' in o) return formatInt(BigInt(o.i), spec);
    if ('f' in o) return formatFloat(pyFloat(o.f), spec);
    if ('s' in o) return formatStr(o.s, spec);
    if ('o' in o && o.o !== 'None') return formatBool(o.o === 'True', spec);
    if (spec !== '') throw new TextError('TypeError', `unsupported format string passed to ${typeName(o)}.__format__`);
    return pyStr(o);
  },
  repr: pyRepr,
  str: pyStr,
  ascii: (o) => ('s' in o ? asciiRepr(o.s) : pyRepr(o)),
};

export const percentCallbacks: PercentCallbacks<Py> = {
  str: pyStr,
  repr: pyRepr,
  ascii: (o) => ('s' in o ? asciiRepr(o.s) : pyRepr(o)),
  typeName,
  isTuple: (o) => 't' in o,
  tupleItems: (o) => ('t' in o ? o.t : []),
  isMapping: (o) => 'd' in o || 'l' in o,
  getitem: (o, key) => pyGetitem(o, key),
  toInt: (o, how) => {
    if ('i' in o) return BigInt(o.i);
    if ('o' in o && o.o !== 'None') return o.o === 'True' ? 1n : 0n;
    if ('f' in o && how === 'int') return floatToInt(pyFloat(o.f));
    return undefined;
  },
  toFloat: (o) => {
    if ('f' in o) return pyFloat(o.f);
    if ('i' in o) return Number(o.i);
    if ('o' in o && o.o !== 'None') return o.o === 'True' ? 1 : 0;
    return undefined;
  },
  strValue: (o) => ('s' in o ? o.s : undefined),
};
