/*
 * `__future__` (3.x profile): the feature records a script can import and
 * inspect. The imports themselves are compile-time switches read by the
 * compiler (`from __future__ import annotations` turns annotations into
 * strings); this module only has to exist and describe the features the way
 * CPython 3.11's does: `_Feature(optional, mandatory, compiler_flag)`.
 * The 2.7 profile's `__future__` lives in modules.ts.
 */
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import type { Interpreter } from '../interp.js';
import { defineGetset, makeModule, newType } from './support.js';

type Release = [number, number, number, string, number];

/** name, optional release, mandatory release (null: not decided), flag name, flag — as 3.11 reports them. */
const FEATURES: Array<[string, Release, Release | null, string, number]> = [
  ['nested_scopes', [2, 1, 0, 'beta', 1], [2, 2, 0, 'alpha', 0], 'CO_NESTED', 0x10],
  ['generators', [2, 2, 0, 'alpha', 1], [2, 3, 0, 'final', 0], 'CO_GENERATOR_ALLOWED', 0],
  ['division', [2, 2, 0, 'alpha', 2], [3, 0, 0, 'alpha', 0], 'CO_FUTURE_DIVISION', 0x20000],
  ['absolute_import', [2, 5, 0, 'alpha', 1], [3, 0, 0, 'alpha', 0], 'CO_FUTURE_ABSOLUTE_IMPORT', 0x40000],
  ['with_statement', [2, 5, 0, 'alpha', 1], [2, 6, 0, 'alpha', 0], 'CO_FUTURE_WITH_STATEMENT', 0x80000],
  ['print_function', [2, 6, 0, 'alpha', 2], [3, 0, 0, 'alpha', 0], 'CO_FUTURE_PRINT_FUNCTION', 0x100000],
  ['unicode_literals', [2, 6, 0, 'alpha', 2], [3, 0, 0, 'alpha', 0], 'CO_FUTURE_UNICODE_LITERALS', 0x200000],
  ['barry_as_FLUFL', [3, 1, 0, 'alpha', 2], [4, 0, 0, 'alpha', 0], 'CO_FUTURE_BARRY_AS_BDFL', 0x400000],
  ['generator_stop', [3, 5, 0, 'beta', 1], [3, 7, 0, 'alpha', 0], 'CO_FUTURE_GENERATOR_STOP', 0x800000],
  ['annotations', [3, 7, 0, 'beta', 1], null, 'CO_FUTURE_ANNOTATIONS', 0x1000000],
];

export function installFuture(it: Interpreter): void {
  if (it.py2) return;
  const rt = it.rt;
  const featureT = newType(it, '_Feature', { module: '__future__' });
  const release = (r: Release | null): PyObject => (r ? rt.newTuple(r.map((x) => (typeof x === 'number' ? it.int(x) : it.str(x)))) : it.none());
  // refs: [optional, mandatory]; state: the compiler flag.
  const field = (o: PyObject, i: number) => it.incref((o as PyHolder).refs[i]!);
  defineGetset(it, featureT, {
    optional: (o) => field(o, 0),
    mandatory: (o) => field(o, 1),
    compiler_flag: (o) => it.int((o as PyHolder).state as number),
  });
  it.defineMethods(featureT, {
    getOptionalRelease: (self) => field(self!, 0),
    getMandatoryRelease: (self) => field(self!, 1),
  });
  it.nativeRepr.set(featureT, (o) => `_Feature(${it.reprString((o as PyHolder).refs[0]!)}, ${it.reprString((o as PyHolder).refs[1]!)}, ${(o as PyHolder).state as number})`);
  it.extraModules.set('__future__', () => {
    const values: Record<string, () => PyObject> = {
      all_feature_names: () => rt.newList(FEATURES.map(([name]) => it.str(name))),
    };
    for (const [name, opt, mand, flagName, flag] of FEATURES) {
      values[name] = () => rt.newHolder(featureT, [release(opt), release(mand)], flag, 32);
      values[flagName] = () => it.int(flag);
    }
    return makeModule(it, '__future__', {}, values);
  });
}
