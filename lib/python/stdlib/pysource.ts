/*
 * Standard-library modules written in Python.
 *
 * In CPython, contextlib, abc, typing, dataclasses, enum, logging,
 * threading, traceback, ... are Python files: importing one compiles it and
 * runs its body in a fresh module namespace, so every function, class, dict
 * and cell it defines is an ordinary heap object that gc.get_objects() and
 * objgraph count, that keeps references alive (a logger in
 * `logging.Logger.manager.loggerDict` is a classic leak) and that shows up in
 * back-reference chains. Writing them as native static types would hide all
 * of that, so refscope does what CPython does: the source text of each such
 * module ships inside refscope (`py/<name>.ts` exports it as a string, our
 * own simplified but behaviourally faithful code, not CPython's Lib/ text),
 * and the first `import` parses, compiles and executes it on the simulated
 * VM. Nothing is compiled at start-up: a module costs time and heap only when
 * a script imports it.
 *
 * The module namespace carries CPython's dunders in CPython's order.
 * `__file__` and the filename in code objects is `<stdlib>/<name>.py`, so a
 * traceback through a stdlib function reads
 * `File "<stdlib>/contextlib.py", line 12, in __exit__` with the source line
 * shown (where CPython shows `/usr/lib/python3.11/contextlib.py`); the
 * angle brackets make clear that no such file exists on disk.
 *
 * Observable difference left: the number of objects a module creates at
 * import is smaller than CPython's (our modules are simpler), so counts over
 * *all* objects after an import differ; counts of the script's own objects
 * and everything the script's calls create per use are what CPython shows.
 */
import type { PyModule } from '../../heap/callables.js';
import type { PyDict } from '../../heap/containers.js';
import { PyBaseException } from '../../heap/frames.js';
import type { PyObject } from '../../heap/object.js';
import { PyInt } from '../../heap/scalars.js';
import { PyType } from '../../heap/types.js';
import { makeModule } from './support.js';
import { compileModule } from '../compiler.js';
import type { Interpreter } from '../interp.js';
import { parse } from '../syntax/parser.js';
import { PY27_SOURCES, PY_SOURCES } from './py/index.js';

/** The pseudo-path of a stdlib module's source (its `__file__` and code filename). */
export function stdlibFilename(name: string): string {
  return `<stdlib>/${name}.py`;
}

/** Registers every Python-source module of the interpreter's profile as importable (3.x and 2.7 have their own sources). */
export function installPythonModules(it: Interpreter): void {
  if (it.py2) {
    for (const [name, source] of Object.entries(PY27_SOURCES)) it.extraModules.set(name, () => loadPythonModule(it, name, source));
    return;
  }
  installHelpers(it);
  for (const [name, source] of Object.entries(PY_SOURCES)) it.extraModules.set(name, () => loadPythonModule(it, name, source));
}

/** Compiles and runs one module's source; returns the module (a new reference). */
function loadPythonModule(it: Interpreter, name: string, source: string): PyModule {
  const rt = it.rt;
  const filename = stdlibFilename(name);
  it.sources.set(filename, source.split('\n'));
  // A syntax error here is a refscope bug, not the script's: let it escape as an internal error.
  const unit = compileModule(parse(source, filename, it.py2 ? '2.7' : '3.11'), filename, { py2: it.py2, source });
  const globals: PyDict = rt.newDict();
  it.dictSetStr(globals, '__name__', it.str(name));
  it.dictSetStr(globals, '__doc__', it.none());
  it.dictSetStr(globals, '__package__', it.str(''));
  if (!it.py2) it.dictSetStr(globals, '__spec__', it.none());
  it.dictSetStr(globals, '__file__', it.str(filename));
  if (!it.py2) it.dictSetStr(globals, '__cached__', it.none());
  it.dictSetStr(globals, '__builtins__', it.incref(it.dictGetStr(it.modules, 'builtins')!));
  const m = rt.newModule(name, it.incref(globals));
  const code = it.makeCode(unit);
  try {
    const fn = rt.newFunction(code, it.incref(globals), it.incref(it.builtins), null, rt.intern('<module>'), rt.intern('<module>'));
    const frame = it.makeFrame(fn, [], null);
    frame.locals = globals;
    it.decref(fn);
    it.decref(it.runFrame(frame));
  } catch (e) {
    it.decref(m);
    throw e;
  }
  return m;
}

/**
 * `_stdlib_helpers`: the few primitives the Python-source modules need that
 * refscope's Python cannot express yet. `object_new(cls)` is what
 * `object.__new__(cls)` does (refscope's `object` has no `__new__`
 * attribute), so a class's own `__new__` (abc.ABC) can allocate.
 *
 * Also the class-level protocol a metaclass would provide (EnumType's
 * `iter(Color)`, `len(Color)`, `x in Color`): a heap class whose MRO
 * defines `__class_iter__` / `__class_len__` / `__class_contains__` (plain
 * functions taking the class, the counterpart of `__class_getitem__`) gets
 * them for iteration, len() and `in` on the class object itself.
 */
function installHelpers(it: Interpreter): void {
  const classHook = (o: PyObject, name: string): PyObject | null => (o instanceof PyType && o.isHeapType ? it.lookupType(o, name) : null);
  const baseGetIter = it.getIter;
  it.getIter = (o: PyObject): PyObject => {
    const f = classHook(o, '__class_iter__');
    if (!f) return baseGetIter(o);
    const r = it.call(f, [o]);
    try {
      return baseGetIter(r);
    } finally {
      it.decref(r);
    }
  };
  const baseLen = it.len;
  it.len = (o: PyObject): number => {
    const f = classHook(o, '__class_len__');
    if (!f) return baseLen(o);
    const r = it.call(f, [o]);
    try {
      if (!(r instanceof PyInt)) it.typeError(`'${it.typeName(r)}' object cannot be interpreted as an integer`);
      return Number(r.v);
    } finally {
      it.decref(r);
    }
  };
  const baseContains = it.contains;
  it.contains = (c: PyObject, item: PyObject): boolean => {
    const f = classHook(c, '__class_contains__');
    if (!f) return baseContains(c, item);
    const r = it.call(f, [c, item]);
    try {
      return it.truthy(r);
    } finally {
      it.decref(r);
    }
  };
  it.extraModules.set('_stdlib_helpers', () =>
    makeModule(it, '_stdlib_helpers', {
      // object_new(cls, *args): the extra arguments reach an immutable built-in base (int.__new__(cls, v) for IntEnum).
      object_new: (_s, args) => {
        const cls = args[0];
        if (!(cls instanceof PyType)) it.typeError(`object.__new__(X): X is not a type object (${it.typeName(cls)})`);
        return it.allocInstance(cls, args.slice(1), null);
      },
      // The text the interpreter prints for an uncaught exception (traceback.format_exc and friends).
      format_exception: (_s, args) => {
        if (!(args[0] instanceof PyBaseException)) it.typeError('format_exception() needs an exception instance');
        return it.str(it.formatException(args[0], args.length < 2 || it.truthy(args[1])));
      },
    }),
  );
}

