import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBool, formatFloat, formatInt, formatStr } from '../../../lib/python/text/format.js';
import { strFormat } from '../../../lib/python/text/strformat.js';
import { percentFormat } from '../../../lib/python/text/percent.js';
import { Mismatches, outcome, pyFloat, formatCallbacks, percentCallbacks, type Py } from './helpers.js';
import floatRows from './data/format_float.js';
import intRows from './data/format_int.js';
import boolRows from './data/format_bool.js';
import strRows from './data/format_str.js';
import strFormatRows from './data/str_format.js';
import percentRows from './data/percent.js';

const format = suite('format');

format('format(float, spec)', () => {
  const m = new Mismatches();
  for (const [x, spec, want] of floatRows as string[][]) m.check(`format(${x}, '${spec}')`, outcome(() => formatFloat(pyFloat(x), spec)), want);
  assert.equal(m.list, []);
});

format('format(int, spec)', () => {
  const m = new Mismatches();
  for (const [n, spec, want] of intRows as string[][]) {
    m.check(`format(${n.slice(0, 12)}, '${spec}')`, outcome(() => formatInt(BigInt(n), spec)), want);
  }
  assert.equal(m.list, []);
});

format('format(bool, spec): a name for empty specs, an int otherwise', () => {
  const m = new Mismatches();
  for (const [b, spec, want] of boolRows as [boolean, string, string][]) m.check(`format(${b}, '${spec}')`, outcome(() => formatBool(b, spec)), want);
  assert.equal(m.list, []);
});

format('format(str, spec)', () => {
  const m = new Mismatches();
  for (const [s, spec, want] of strRows as string[][]) m.check(`format('${s}', '${spec}')`, outcome(() => formatStr(s, spec)), want);
  assert.equal(m.list, []);
});

format('str.format', () => {
  const m = new Mismatches();
  for (const [tpl, args, kwargs, want] of strFormatRows as [string, Py[], Record<string, Py>, string][]) {
    const kw = new Map(Object.entries(kwargs));
    m.check(`'${tpl}'.format(...)`, outcome(() => strFormat(tpl, args, kw, formatCallbacks)), want);
  }
  assert.equal(m.list, []);
});

format('str.format_map has no positional fields', () => {
  assert.is(
    outcome(() => strFormat('{0}', null, () => undefined, formatCallbacks)),
    '!ValueError: Format string contains positional fields',
  );
});

format('% formatting', () => {
  const m = new Mismatches();
  for (const [tpl, args, want] of percentRows as [string, Py, string][]) {
    m.check(`'${tpl}' % ...`, outcome(() => percentFormat(tpl, args, percentCallbacks)), want);
  }
  assert.equal(m.list, []);
});

format.run();
