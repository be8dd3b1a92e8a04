/**
 * Binding Python call arguments to a Python-style signature, for the native
 * functions of the `objgraph` module.
 *
 * objgraph's functions are plain Python functions, so a script that calls
 * them wrongly gets the messages CPython 3.11 writes for Python functions
 * (`count() missing 1 required positional argument: 'typename'`,
 * `count() takes from 1 to 2 positional arguments but 3 were given`, …).
 * {@link bindArgs} reproduces those from a parameter list, so each native
 * function states its signature once, as objgraph's source does.
 */
import type { PyObject } from '../heap/object.js';
import type { Interpreter } from '../python/interp.js';

/** One parameter: a name, and whether it has a default (then it is optional). */
export interface Param {
  name: string;
  optional?: boolean;
}

/** What a call bound to: values by parameter name (absent ones are `undefined`), plus `*args` and `**kwargs` when declared. */
export interface Bound {
  get(name: string): PyObject | undefined;
  /** extra positional arguments (only with `varargs`) */
  rest: PyObject[];
  /** extra keyword arguments in call order (only with `varkw`) */
  extraKw: Array<[string, PyObject]>;
}

/**
 * Binds `args`/`kwnames` (the interpreter's calling convention: keyword
 * values trail the positional ones) to `params`. Values are borrowed.
 *
 * @example
 * const b = bindArgs(it, 'count', [{ name: 'typename' }, { name: 'objects', optional: true }], args, kwnames);
 * b.get('typename') // the str; b.get('objects') === undefined when not given
 */
export function bindArgs(
  it: Interpreter,
  fname: string,
  params: readonly Param[],
  args: readonly PyObject[],
  kwnames: readonly string[] | null,
  opts: { varargs?: boolean; varkw?: boolean } = {},
): Bound {
  const nkw = kwnames ? kwnames.length : 0;
  const npos = args.length - nkw;
  const values = new Map<string, PyObject>();
  const rest: PyObject[] = [];
  const extraKw: Array<[string, PyObject]> = [];
  // With *args, every declared parameter is keyword-only in objgraph's usage (show_chain).
  const positional = opts.varargs ? 0 : params.length;
  if (npos > positional && !opts.varargs) {
    const min = params.filter((p) => !p.optional).length;
    const takes =
      min === positional
        ? `${positional} positional argument${positional === 1 ? '' : 's'}`
        : `from ${min} to ${positional} positional arguments`;
    it.typeError(`${fname}() takes ${takes} but ${npos} ${npos === 1 ? 'was' : 'were'} given`);
  }
  for (let i = 0; i < npos; i++) {
    if (i < positional) values.set(params[i]!.name, args[i]!);
    else rest.push(args[i]!);
  }
  for (let k = 0; k < nkw; k++) {
    const name = kwnames![k]!;
    const v = args[npos + k]!;
    if (params.some((p) => p.name === name)) {
      if (values.has(name)) it.typeError(`${fname}() got multiple values for argument '${name}'`);
      values.set(name, v);
    } else if (opts.varkw) {
      extraKw.push([name, v]);
    } else {
      it.typeError(`${fname}() got an unexpected keyword argument '${name}'`);
    }
  }
  const missing = params.filter((p) => !p.optional && !values.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length) {
    const last = missing[missing.length - 1];
    const list = missing.length === 1 ? last : missing.length === 2 ? `${missing[0]} and ${last}` : `${missing.slice(0, -1).join(', ')}, and ${last}`;
    it.typeError(`${fname}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
  }
  return { get: (name) => values.get(name), rest, extraKw };
}

/** The argument, or `undefined` when it was not given or is `None`. */
export function given(it: Interpreter, v: PyObject | undefined): PyObject | undefined {
  return v === undefined || v === it.rt.None ? undefined : v;
}
