/*
 * Shared plumbing for the standard-library modules written in TypeScript
 * (the ones CPython implements in C: _collections, _functools, itertools,
 * _io, ...).
 *
 * A C type becomes a *static* type here (`newType`): immortal, never freed,
 * its methods registered with `it.defineMethods` and its data attributes
 * (`deque.maxlen`, `partial.func`) as immortal property objects found
 * through the same per-type method table, so they cost no simulated
 * allocation — just as CPython's getset descriptors live in the static
 * type's dict from interpreter start-up and never show up as garbage.
 *
 * Instances hold their Python references in `PyHolder.refs` (owned and
 * traversed in order by the collector); `state` keeps only JS data.
 */
import { PyBuiltinFunction, PyModule, PyProperty } from '../../heap/callables.js';
import type { PyDict } from '../../heap/containers.js';
import type { PyObject } from '../../heap/object.js';
import { PyInt, PyStr } from '../../heap/scalars.js';
import type { Layout, PyType } from '../../heap/types.js';
import type { Interpreter, NativeFn } from '../interp.js';

export type Args = PyObject[];
export { splitArgs } from '../builtins.js';

export interface TypeSpec {
  /** `__module__` of the type (its repr is `<class 'module.name'>`). */
  module: string;
  /** Instances carry a GC header and are tracked. */
  gc?: boolean;
  /** tp_basicsize without the GC header (sys.getsizeof adds it). */
  basicsize?: number;
  base?: PyType;
  /** Python code may subclass it. */
  baseType?: boolean;
  layout?: Layout;
}

/** A static type for a C-implemented class (immortal, like CPython's static types). */
export function newType(it: Interpreter, name: string, spec: TypeSpec): PyType {
  const ty = it.rt.defineStaticType(name, spec.layout ?? 'other', spec.gc ?? true, spec.basicsize ?? 16, spec.base, spec.baseType ?? false);
  ty.moduleName = spec.module;
  return ty;
}

let fakeAddr = 0x55d14c000000;

/** An immortal, untracked built-in function (the getter of a data descriptor). */
function staticFunction(it: Interpreter, name: string, fn: NativeFn): PyBuiltinFunction {
  const f = new PyBuiltinFunction(it.t.builtin_function_or_method, name, fn as never, null, name);
  f.ob_refcnt = it.rt.profile.immortalRefcnt;
  f.id = fakeAddr += 64;
  return f;
}

/**
 * Data attributes of a static type: `getters[name](self)` returns a new
 * reference; `setters[name](self, value)` (borrowed) makes it writable.
 */
export function defineGetset(
  it: Interpreter,
  type: PyType,
  getters: Record<string, (self: PyObject) => PyObject>,
  setters: Record<string, (self: PyObject, v: PyObject) => void> = {},
): void {
  let table = it.methods.get(type);
  if (!table) {
    it.defineMethods(type, {});
    table = it.methods.get(type)!;
  }
  for (const [name, get] of Object.entries(getters)) {
    const set = setters[name];
    const fget = staticFunction(it, name, (_s, args) => get(args[0]));
    const fset = set
      ? staticFunction(it, name, (_s, args) => {
          set(args[0], args[1]);
          return it.none();
        })
      : null;
    const p = new PyProperty(it.t.property, fget, fset, null, null);
    p.ob_refcnt = it.rt.profile.immortalRefcnt;
    p.id = fakeAddr += 64;
    // The method table is typed for built-in functions; lookupType returns any PyObject.
    (table as Map<string, PyObject>).set(name, p);
  }
}

/**
 * Makes a module object with native functions and values, like a C
 * extension module's init function. `values` return new references.
 */
export function makeModule(it: Interpreter, name: string, funcs: Record<string, NativeFn>, values: Record<string, () => PyObject> = {}): PyModule {
  const rt = it.rt;
  const d = rt.newDict();
  const m = rt.newModule(name, d);
  it.dictSetStr(d, '__name__', it.str(name));
  it.dictSetStr(d, '__doc__', it.none());
  for (const [k, fn] of Object.entries(funcs)) it.dictSetStr(d, k, rt.newBuiltinFunction(k, fn, it.incref(m)));
  for (const [k, v] of Object.entries(values)) it.dictSetStr(d, k, v());
  return m;
}

/** Adds a value (new reference stolen) to a module's namespace. */
export function moduleSet(it: Interpreter, m: PyModule, name: string, v: PyObject): void {
  it.dictSetStr(m.dict as PyDict, name, v);
}

/** An int argument as a JS number, with CPython's message for other types. */
export function toIndex(it: Interpreter, o: PyObject): number {
  if (!(o instanceof PyInt)) it.typeError(`'${it.typeName(o)}' object cannot be interpreted as an integer`);
  return Number(o.v);
}

export function toStrValue(it: Interpreter, o: PyObject, what: string): string {
  if (!(o instanceof PyStr)) it.typeError(`${what} must be str, not ${it.typeName(o)}`);
  return o.v;
}

/** Drains an iterable into a JS array of new references. */
export function collect(it: Interpreter, iterable: PyObject): PyObject[] {
  const out: PyObject[] = [];
  try {
    for (const x of it.iterate(iterable)) out.push(x);
  } catch (e) {
    for (const x of out) it.decref(x);
    throw e;
  }
  return out;
}

/** Releases a list of owned references. */
export function releaseAll(it: Interpreter, objs: (PyObject | null)[]): void {
  for (const o of objs) if (o) it.decref(o);
}

/** `name() takes no keyword arguments` check. */
export function noKeywords(it: Interpreter, name: string, kwnames: string[] | null): void {
  if (kwnames && kwnames.length) it.typeError(`${name}() takes no keyword arguments`);
}

/** The address part of a default repr: `0x7f...` padded as CPython's %p. */
export function addr(o: PyObject): string {
  return `0x${o.id.toString(16).padStart(12, '0')}`;
}

/**
 * Callable objects that stand in for functions in the namespace of a class
 * built by native code (namedtuple's `__repr__`, `_asdict`, ...). They are
 * not built-in functions, so the interpreter treats them as user-level
 * dunders, and they bind to instances like functions do (see index.ts).
 * Immortal: they belong to the class for the whole run.
 */
export interface NativeMethods {
  type: PyType;
  make(name: string, fn: NativeFn): PyObject;
}
