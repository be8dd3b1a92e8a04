import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as str from '../../../lib/python/text/strmethods.js';
import { cpLength, cpSlice, cpIndex } from '../../../lib/python/text/codepoints.js';
import { Mismatches, outcome } from './helpers.js';
import methodRows from './data/str_methods.js';
import argRows from './data/str_args.js';
import sliceRows from './data/slices.js';

const methods = suite('strmethods');

type Row = Record<string, unknown> & { s: string };

methods('methods with default arguments over tricky strings', () => {
  const m = new Mismatches();
  const plain: [string, (s: string) => unknown][] = [
    ['upper', str.upper], ['lower', str.lower], ['casefold', str.casefold], ['capitalize', str.capitalize],
    ['title', str.title], ['swapcase', str.swapcase], ['isdigit', str.isdigit], ['isalpha', str.isalpha],
    ['isalnum', str.isalnum], ['isspace', str.isspace], ['isupper', str.isupper], ['islower', str.islower],
    ['istitle', str.istitle], ['isidentifier', str.isidentifier], ['isdecimal', str.isdecimal],
    ['isnumeric', str.isnumeric], ['isprintable', str.isprintable], ['isascii', str.isascii],
    ['split', (s) => str.split(s)], ['rsplit', (s) => str.rsplit(s)], ['splitlines', (s) => str.splitlines(s)],
    ['strip', (s) => str.strip(s)], ['lstrip', (s) => str.lstrip(s)], ['rstrip', (s) => str.rstrip(s)],
    ['expandtabs', (s) => str.expandtabs(s)], ['splitlines_keep', (s) => str.splitlines(s, true)],
    ['split1', (s) => str.split(s, null, 1)], ['rsplit1', (s) => str.rsplit(s, null, 1)],
    ['center9', (s) => str.center(s, 9, '*')], ['center10', (s) => str.center(s, 10)],
    ['ljust7', (s) => str.ljust(s, 7, '.')], ['rjust7', (s) => str.rjust(s, 7)], ['zfill6', (s) => str.zfill(s, 6)],
    ['expandtabs4', (s) => str.expandtabs(s, 4)], ['len', (s) => cpLength(s)],
  ];
  for (const row of methodRows as Row[]) {
    for (const [name, fn] of plain) m.check(`${JSON.stringify(row.s)}.${name}()`, fn(row.s), row[name]);
  }
  assert.equal(m.list, []);
});

methods('methods with arguments, and their errors', () => {
  const m = new Mismatches();
  const call = (name: string, s: string, a: unknown[]): unknown => {
    const fn = (str as unknown as Record<string, (...xs: unknown[]) => unknown>)[
      { startswith: 'startsWith', endswith: 'endsWith' }[name] ?? name
    ];
    return fn(s, ...a.map((x) => (x === null ? undefined : x)));
  };
  for (const [name, s, args, want] of argRows as [string, string, unknown[], unknown][]) {
    m.check(`${JSON.stringify(s)}.${name}(${JSON.stringify(args).slice(1, -1)})`, outcome(() => call(name, s, args)), want);
  }
  assert.equal(m.list, []);
});

methods('slices and indexing count code points', () => {
  const m = new Mismatches();
  for (const [s, [a, b, c], want] of sliceRows as [string, (number | null)[], string][]) {
    m.check(`${JSON.stringify(s)}[${a}:${b}:${c}]`, outcome(() => cpSlice(s, a ?? undefined, b ?? undefined, c ?? undefined)), want);
  }
  assert.equal(m.list, []);
  assert.is(cpIndex('a\u{1F600}b', 1), '\u{1F600}');
  assert.is(cpIndex('abc', -1), 'c');
  assert.is(outcome(() => cpIndex('abc', 3)), '!IndexError: string index out of range');
});

methods.run();
