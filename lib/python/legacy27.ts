/*
 * Python 2.7 object model pieces that are shapes, not just data.
 *
 * Most of the 2.7 profile is a table of names, messages and flags consulted
 * where an operation happens (builtins, protocol, modules). A few 2.7 rules
 * change how objects relate to each other, and they live here:
 *
 * - the string and integer hierarchies: `str` and `unicode` are siblings
 *   under the abstract `basestring`, and `long` is not a subclass of `int`
 *   (`isinstance(u'', str)` and `isinstance(1L, int)` are False). The
 *   simulated types are created as subtypes (so a unicode string is a PyStr
 *   and a long is a PyInt, with all the fast paths), then re-parented here
 *   once every method table exists: the subtype keeps its base's methods in
 *   its own table and gets 2.7's `__bases__`/`__mro__`.
 * - unbound methods: `C.f` on a class is an `instancemethod` whose `im_self`
 *   is None and which remembers the class it was read from (`im_class`), so
 *   that calling it checks the first argument (`unbound method f() must be
 *   called with C instance as first argument`). It holds a real reference to
 *   the class, which the collector sees (instancemethod_traverse visits
 *   im_func, im_self, im_class).
 *
 * Entry point: `installLegacy27(it)`, called once after every module is
 * installed, only for the 2.7 profile.
 */
import { PyBuiltinFunction, PyFunction, PyMethod } from '../heap/callables.js';
import { PyClassObj, PyOldInstance } from '../heap/instances.js';
import type { PyObject, PyTypeLike, Releaser, Visit } from '../heap/object.js';
import { PyHolder } from '../heap/misc.js';
import { PyFloat, PyInt, PyStr } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import { PyDict, PyTuple } from '../heap/containers.js';
import { CompileError, compileModule, type CodeUnit } from './compiler.js';
import { PyExc } from './errors.js';
import type { Args, Interpreter, NativeFn } from './interp.js';
import { makeModule } from './stdlib/support.js';
import { isPySyntaxError, type PySyntaxError } from './syntax/errors.js';
import { parse } from './syntax/parser.js';

/** 2.7 unbound method: `im_self` is None (stored as a reference to None), `im_class` is the class. */
export class PyUnboundMethod27 extends PyMethod {
  cls: PyObject;
  constructor(type: PyTypeLike, func: PyObject, none: PyObject, cls: PyObject) {
    super(type, func, none);
    this.cls = cls;
  }
  override traverse(visit: Visit): void {
    super.traverse(visit);
    visit(this.cls);
  }
  override releaseContents(r: Releaser): void {
    super.releaseContents(r);
    r.decref(this.cls);
  }
}

/** `__name__` of a class, new-style or classic. */
function className(c: PyObject): string {
  if (c instanceof PyType) return c.tp_name.slice(c.tp_name.lastIndexOf('.') + 1);
  if (c instanceof PyClassObj) return c.name;
  return '?';
}

/** `im_class` of a method: the class given to an unbound method, the class of `im_self` otherwise. */
export function methodClass27(m: PyMethod): PyObject {
  if (m instanceof PyUnboundMethod27) return m.cls;
  return m.self instanceof PyOldInstance ? m.self.cls : (m.self.ob_type as PyType);
}

/** instancemethod_repr: `<unbound method C.f>` / `<bound method C.f of obj>`, C being im_class's name. */
export function methodRepr27(it: Interpreter, m: PyMethod): string {
  const fn = m.func;
  const fname = fn instanceof PyFunction ? (fn.name as PyStr).v : '?';
  const cname = className(methodClass27(m));
  if (m instanceof PyUnboundMethod27) return `<unbound method ${cname}.${fname}>`;
  return `<bound method ${cname}.${fname} of ${it.reprString(m.self)}>`;
}

export function installLegacy27(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  // ------------------------------------------------- type hierarchies
  const basestring = rt.defineStaticType('basestring', 'other', false, 16, t.object, true);
  it.constructors.set(basestring, () => it.typeError('The basestring type cannot be instantiated'));
  it.dictSetStr(it.builtins, 'basestring', it.incref(basestring));
  const reparent = (ty: PyType, from: PyType, base: PyType) => {
    // Keep the inherited built-in methods reachable from the type's own table.
    const own = it.methods.get(ty);
    it.methods.set(ty, new Map([...(it.methods.get(from) ?? []), ...(own ?? [])]));
    ty.tp_base = base;
    ty.mro = [ty, ...base.mro];
  };
  // str.index/rindex, and 2.7's encode/decode: a str holds bytes (one char
  // per byte), unicode.encode gives such a str and str.decode reads one.
  const S = (o: PyObject | null) => (o as PyStr).v;
  const index = (self: PyObject | null, args: Args, right: boolean) => {
    const v = S(self);
    const sub = S(args[0]);
    const start = args.length > 1 && args[1] !== rt.None ? Number((args[1] as PyInt).v) : 0;
    const end = args.length > 2 && args[2] !== rt.None ? Number((args[2] as PyInt).v) : v.length;
    const part = v.slice(0, end < 0 ? v.length + end : end);
    const from = start < 0 ? Math.max(0, v.length + start) : start;
    const i = right ? part.lastIndexOf(sub) : part.indexOf(sub, from);
    if (i < 0 || i < from) it.raise('ValueError', 'substring not found');
    return it.int(i);
  };
  const codec = (args: Args) => (args.length && args[0] instanceof PyStr ? args[0].v.toLowerCase().replace(/[-_]/g, '') : 'ascii');
  const encode = (self: PyObject | null, args: Args): PyObject => {
    const v = S(self);
    const c = codec(args);
    if (c === 'utf8') return it.str(String.fromCharCode(...new TextEncoder().encode(v)));
    const limit = c === 'latin1' || c === 'iso88591' ? 256 : 128;
    const name = limit === 256 ? 'latin-1' : 'ascii';
    for (let i = 0; i < v.length; i++) {
      const cp = v.charCodeAt(i);
      if (cp >= limit) it.raise('UnicodeEncodeError', `'${name}' codec can't encode character u'\\x${cp.toString(16).padStart(2, '0')}' in position ${i}: ordinal not in range(${limit})`);
    }
    return it.str(v);
  };
  const decode = (self: PyObject | null, args: Args): PyObject => {
    const v = S(self);
    const c = codec(args);
    if (c === 'utf8') return rt.newUnicode(new TextDecoder().decode(Uint8Array.from(v, (ch) => ch.charCodeAt(0) & 255)));
    if (c !== 'latin1' && c !== 'iso88591') {
      for (let i = 0; i < v.length; i++) {
        const b = v.charCodeAt(i);
        if (b >= 128) it.raise('UnicodeDecodeError', `'ascii' codec can't decode byte 0x${b.toString(16)} in position ${i}: ordinal not in range(128)`);
      }
    }
    return rt.newUnicode(v);
  };
  it.defineMethods(t.str, {
    index: (self, args) => index(self, args, false),
    rindex: (self, args) => index(self, args, true),
    encode,
    decode,
  });
  it.defineMethods(t.unicode, { encode, decode });
  t.str.tp_base = basestring;
  t.str.mro = [t.str, basestring, t.object];
  reparent(t.unicode, t.str, basestring);
  reparent(t.long, t.int, t.object);
  it.typeEpoch++;

  // Built-in exceptions live in the `exceptions` module: <type 'exceptions.ValueError'>.
  for (const ty of Object.values(it.exc)) if (!ty.isHeapType) ty.moduleName = 'exceptions';

  // slice objects print their bounds.
  it.nativeRepr.set(t.slice, (o) => `slice(${((o as PyHolder).refs as PyObject[]).map((x) => it.reprString(x)).join(', ')})`);

  // ------------------------------------------------- iterator.next()
  // 2.7 iterators are advanced by their `next` method (there is no __next__).
  const probe = it.str('');
  const strIter = it.getIter(probe);
  const iterTypes = new Set<PyType>([t.list_iterator, t.tuple_iterator, t.range_iterator, t.dict_keyiterator, t.dict_valueiterator, t.dict_itemiterator, t.set_iterator, t.iterator, t.callable_iterator, strIter.ob_type as PyType, ...it.nativeNext.keys()]);
  it.decref(strIter);
  it.decref(probe);
  for (const ty of iterTypes) {
    if (it.methods.get(ty)?.has('next')) continue;
    it.defineMethods(ty, {
      next: (self) => {
        const v = it.next(self!);
        if (v === null) throw new PyExc(it.newExc(it.exc.StopIteration));
        return v;
      },
    });
  }

  // ------------------------------------------------- __cmp__
  // try_3way_compare: a's __cmp__(b), else b's __cmp__(a) negated; NotImplemented passes.
  const cmpSide = (x: PyObject, y: PyObject): number | null => {
    const tx = x.ob_type as PyType;
    let m: PyObject | null = null;
    if (x instanceof PyOldInstance) m = it.classObjLookup(x.cls as PyClassObj, '__cmp__');
    else if (tx.isHeapType) m = it.lookupType(tx, '__cmp__');
    if (!m || m instanceof PyBuiltinFunction) return null;
    const r = it.callMethodObj(m, x, [y]);
    if (r === rt.NotImplemented) {
      it.decref(r);
      return null;
    }
    if (!(r instanceof PyInt)) {
      it.decref(r);
      it.typeError('comparison did not return an int');
    }
    const v = Number(r.v);
    it.decref(r);
    return v < 0 ? -1 : v > 0 ? 1 : 0;
  };
  it.cmp3way27 = (a, b) => {
    const c = cmpSide(a, b);
    if (c !== null) return c;
    const d = cmpSide(b, a);
    return d === null ? null : -d;
  };

  // ------------------------------------------------- __getslice__
  // 2.7 compiles `o[i:j]` to SLICE opcodes, which prefer __getslice__,
  // __setslice__ and __delslice__ with int bounds: a missing bound is 0 or
  // sys.maxint and a negative one has len(o) added (when o has __len__).
  // A slice without a step stands for that form here.
  const MAXINT = 9223372036854775807n;
  const norm = (v: bigint) => (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
  it.simpleSlice27 = (o, k, name, v) => {
    if (!(o instanceof PyOldInstance) && !(o.ob_type as PyType).isHeapType) return null;
    const [start, stop, step] = (k as PyHolder).refs as PyObject[];
    if (step !== rt.None) return null;
    const m = it.findDunder(o, name);
    if (!m) return null;
    let len: number | null = null;
    const bound = (x: PyObject, dflt: bigint): PyObject => {
      if (x === rt.None) return it.int(norm(dflt));
      if (!(x instanceof PyInt)) return it.incref(x);
      if (x.v < 0) {
        if (len === null) {
          const lm = it.findDunder(o, '__len__');
          len = lm ? it.len(o) : 0;
        }
        return it.int(norm(BigInt(x.v) + BigInt(len)));
      }
      return it.incref(x);
    };
    const i = bound(start, 0n);
    const j = bound(stop, MAXINT);
    try {
      return it.callMethodObj(m, o, v ? [i, j, v] : [i, j]);
    } finally {
      it.decref(i);
      it.decref(j);
    }
  };

  // ------------------------------------------------- eval and exec
  // Source is parsed and compiled as a module of its own (eval: a single
  // expression whose value is returned) and run in a frame whose globals and
  // locals are the given dicts, or the caller's. A function's fast locals are
  // passed as a snapshot dict: 2.7 copies them back (PyFrame_LocalsToFast),
  // which is not modelled.
  const syntaxError = (tyName: string, msg: string, filename: string, lineno: number, offset: number | null, text: string | null): never => {
    const info = rt.newTuple([it.str(filename), it.int(lineno), offset === null ? it.none() : it.int(offset), text === null ? it.none() : it.str(text)]);
    const exc = it.newExc(it.exc[tyName in it.exc ? tyName : 'SyntaxError'], [it.str(msg), info]);
    const d = it.instanceDict(exc, true)!;
    it.dictSetStr(d, 'msg', it.str(msg));
    it.dictSetStr(d, 'filename', it.str(filename));
    it.dictSetStr(d, 'lineno', it.int(lineno));
    it.dictSetStr(d, 'offset', offset === null ? it.none() : it.int(offset));
    it.dictSetStr(d, 'text', text === null ? it.none() : it.str(text));
    throw new PyExc(exc);
  };
  const compileSource = (src: string, evalMode: boolean): CodeUnit => {
    const filename = '<string>';
    let unit: CodeUnit;
    try {
      unit = compileModule(parse(src, filename, '2.7'), filename, { py2: true, source: src, evalMode });
    } catch (e) {
      let se: PySyntaxError | null = isPySyntaxError(e) ? e : null;
      if (e instanceof CompileError) se = e.toSyntaxError(src, filename, true);
      if (!se) throw e;
      return syntaxError(se.type, se.msg, se.filename, se.lineno, se.offset, se.text);
    }
    // eval takes one expression: a statement is a syntax error.
    if (evalMode && !unit.isEval) syntaxError('SyntaxError', 'invalid syntax', filename, 1, null, src.split('\n')[0]);
    return unit;
  };
  const runSource = (src: PyObject, g: PyObject, l: PyObject, evalMode: boolean, what: string): PyObject => {
    if (!(src instanceof PyStr)) it.typeError(`${what} must be a string${evalMode ? ', code object or dict' : ', file, or code object'}`);
    const caller = it.frame;
    let globals: PyObject;
    let locals: PyObject;
    if (g === rt.None) {
      if (!caller) it.raise('SystemError', 'no current frame');
      globals = it.incref(caller.globals);
      locals = l !== rt.None ? it.incref(l) : caller.locals ? it.incref(caller.locals) : it.frameLocals(caller);
    } else {
      if (!(g instanceof PyDict)) it.typeError(evalMode ? 'globals must be a dict' : 'exec: arg 2 must be a dictionary or None');
      globals = it.incref(g);
      locals = it.incref(l === rt.None ? g : l);
    }
    try {
      // eval ignores leading blanks; a trailing newline ends the last line.
      const text = evalMode ? src.v.replace(/^[ \t]+/, '') : src.v;
      const unit = compileSource(text.endsWith('\n') ? text : text + '\n', evalMode);
      if (!it.dictGetStr(globals as PyDict, '__builtins__')) it.dictSetStr(globals as PyDict, '__builtins__', it.incref(it.dictGetStr(it.modules as PyDict, 'builtins')!));
      const code = it.makeCode(unit);
      const fn = rt.newFunction(code, it.incref(globals as PyDict), it.incref(it.builtins), null, rt.intern('<module>'), rt.intern('<module>'));
      const frame = it.makeFrame(fn, [], null);
      frame.locals = it.incref(locals);
      it.decref(fn);
      return it.runFrame(frame);
    } finally {
      it.decref(globals);
      it.decref(locals);
    }
  };
  it.exec27 = (body, g, l) => runSource(body, g, l, false, 'exec');
  it.dictSetStr(it.builtins, 'eval', rt.newBuiltinFunction('eval', ((_s: PyObject | null, args: Args) => {
    if (args.length < 1 || args.length > 3) it.typeError(`eval expected at least 1 arguments, got ${args.length}`);
    return runSource(args[0], args[1] ?? rt.None, args[2] ?? rt.None, true, 'eval() arg 1');
  }) as never, null));

  // ------------------------------------------------- builtins
  const builtin = (name: string, fn: (args: Args, kwnames: string[] | null) => PyObject) =>
    it.dictSetStr(it.builtins, name, rt.newBuiltinFunction(name, ((_s: PyObject | null, args: Args, kw: string[] | null) => fn(args, kw)) as never, null));
  // apply(f, args[, kwargs]): a call with the argument tuple and dict unpacked.
  builtin('apply', (args) => {
    if (args.length < 1 || args.length > 3) it.typeError(`apply expected at least 1 arguments, got ${args.length}`);
    const pos = args.length > 1 ? args[1] : null;
    if (pos !== null && !(pos instanceof PyTuple)) it.typeError('apply() arg 2 expected sequence, found ' + it.typeName(pos));
    const callArgs = pos ? [...(pos as PyTuple).items] : [];
    const kw = args.length > 2 ? args[2] : null;
    let names: string[] | null = null;
    if (kw !== null) {
      if (!(kw instanceof PyDict)) it.typeError('apply() arg 3 expected dictionary, found ' + it.typeName(kw));
      names = [];
      for (const [k, v] of it.dictEntries(kw)) {
        names.push((k as PyStr).v);
        callArgs.push(v);
      }
      // With keywords the arguments are a temporary array holding references (as CALL_FUNCTION_EX).
      for (const a of callArgs) it.incref(a);
      try {
        return it.call(args[0], callArgs, names);
      } finally {
        for (const a of callArgs) it.decref(a);
      }
    }
    return it.call(args[0], callArgs, null);
  });
  // coerce(x, y): both numbers converted to their common type.
  builtin('coerce', (args) => {
    const [a, b] = args;
    const isFloat = a instanceof PyFloat || b instanceof PyFloat;
    const isLong = a.ob_type === t.long || b.ob_type === t.long;
    const conv = (x: PyObject): PyObject => {
      if (!(x instanceof PyInt) && !(x instanceof PyFloat)) it.typeError('number coercion failed');
      if (isFloat) return x instanceof PyFloat ? it.incref(x) : rt.newFloat(Number(x.v));
      if (isLong) return x.ob_type === t.long ? it.incref(x) : rt.newLong((x as PyInt).v);
      return it.incref(x);
    };
    return rt.newTuple([conv(a), conv(b)]);
  });
  // unicode(obj) asks obj.__unicode__ first.
  const unicodeCtor = it.constructors.get(t.unicode)!;
  it.constructors.set(t.unicode, (ty, args, kw) => {
    const m = args.length === 1 ? it.findDunder(args[0], '__unicode__') : null;
    if (!m) return unicodeCtor(ty, args, kw);
    const r = it.callMethodObj(m, args[0], []);
    if (!(r instanceof PyStr)) {
      it.decref(r);
      it.typeError(`coercing to Unicode: need string or buffer, ${it.typeName(r)} found`);
    }
    if (r.ob_type === t.unicode) return r;
    const u = rt.newUnicode(r.v);
    it.decref(r);
    return u;
  });
  builtin('unichr', (args) => {
    const i = args[0];
    if (!(i instanceof PyInt)) it.typeError('an integer is required');
    if (i.v < 0 || i.v > 0x10ffff) it.raise('ValueError', 'unichr() arg not in range(0x110000) (wide Python build)');
    return rt.newUnicode(String.fromCodePoint(Number(i.v)));
  });
  builtin('intern', (args) => {
    if (!(args[0] instanceof PyStr) || args[0].ob_type !== t.str) it.typeError(`intern() argument 1 must be string, not ${it.typeName(args[0])}`);
    return rt.intern(args[0].v);
  });

  // ------------------------------------------------- the string module
  // 2.7 `string`: the character-class constants (C locale) and the old
  // function forms of str methods (string.join(words, sep) and friends).
  it.extraModules.set('string', () => {
    const lower = 'abcdefghijklmnopqrstuvwxyz';
    const upper = lower.toUpperCase();
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const whitespace = '\t\n\x0b\x0c\r ';
    const consts: Record<string, string> = {
      ascii_letters: lower + upper, ascii_lowercase: lower, ascii_uppercase: upper, letters: lower + upper, lowercase: lower, uppercase: upper,
      digits: '0123456789', hexdigits: '0123456789abcdefABCDEF', octdigits: '01234567', punctuation, whitespace,
      printable: '0123456789' + lower + upper + punctuation + whitespace,
    };
    const viaMethod = (name: string, argsFrom: (args: Args) => [PyObject, PyObject[]]) => (_s: PyObject | null, args: Args) => {
      const [self, rest] = argsFrom(args);
      return it.callMethod(self, name, rest);
    };
    const join = (_s: PyObject | null, args: Args) => {
      const sep = args.length > 1 ? it.incref(args[1]) : it.str(' ');
      try {
        return it.callMethod(sep, 'join', [args[0]]);
      } finally {
        it.decref(sep);
      }
    };
    const funcs: Record<string, NativeFn> = { join, joinfields: join };
    for (const name of ['split', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'find', 'rfind', 'count', 'capitalize', 'swapcase', 'zfill', 'ljust', 'rjust', 'center']) {
      funcs[name] = viaMethod(name, (args) => [args[0], args.slice(1)]);
    }
    return makeModule(it, 'string', funcs, Object.fromEntries(Object.entries(consts).map(([k, v]) => [k, () => it.str(v)])));
  });

  // ------------------------------------------------- the types module
  // 2.7 `types` is a table of the built-in types under their old names.
  it.extraModules.set('types', () => {
    const stdout = it.sysStdout();
    const entries: Array<[string, PyObject]> = [
      ['NoneType', t.NoneType], ['TypeType', t.type], ['ObjectType', t.object], ['IntType', t.int], ['LongType', t.long],
      ['FloatType', t.float], ['BooleanType', t.bool], ['ComplexType', t.complex], ['StringType', t.str], ['UnicodeType', t.unicode],
      ['BufferType', t.bytearray], ['TupleType', t.tuple], ['ListType', t.list], ['DictType', t.dict], ['DictionaryType', t.dict],
      ['FunctionType', t.function], ['LambdaType', t.function], ['CodeType', t.code], ['GeneratorType', t.generator],
      ['ClassType', t.classobj], ['InstanceType', t.instance], ['MethodType', t.method], ['UnboundMethodType', t.method],
      ['BuiltinFunctionType', t.builtin_function_or_method], ['BuiltinMethodType', t.builtin_function_or_method],
      ['ModuleType', t.module], ['XRangeType', t.range], ['SliceType', t.slice], ['EllipsisType', t.ellipsis],
      ['TracebackType', t.traceback], ['FrameType', t.frame], ['GetSetDescriptorType', t.getset_descriptor],
    ];
    if (stdout) entries.push(['FileType', stdout.ob_type]);
    return makeModule(it, 'types', {}, {
      ...Object.fromEntries(entries.map(([k, v]) => [k, () => it.incref(v)])),
      StringTypes: () => rt.newTuple([it.incref(t.str), it.incref(t.unicode)]),
    });
  });

  // ------------------------------------------------- unbound methods
  it.newUnboundMethod27 = (func: PyObject, cls: PyObject): PyObject => {
    const o = new PyUnboundMethod27(t.method, it.incref(func), it.none(), it.incref(cls));
    rt.register(o, 48, true);
    rt.gc.track(o);
    return o;
  };
  const isinstance = it.dictGetStr(it.builtins, 'isinstance')!;
  it.callUnboundMethod27 = (m: PyMethod, args: Args, kwnames: string[] | null): PyObject => {
    const nkw = kwnames ? kwnames.length : 0;
    const first = args.length > nkw ? args[0] : null;
    let ok = false;
    if (first !== null) {
      const r = it.call(isinstance, [first, (m as PyUnboundMethod27).cls]);
      ok = r === rt.True;
      it.decref(r);
    }
    if (!ok) {
      const fname = m.func instanceof PyFunction ? (m.func.name as PyStr).v : '?';
      let got = 'nothing';
      if (first !== null) got = `${first instanceof PyOldInstance ? className(first.cls) : className(first.ob_type as PyType)} instance`;
      it.typeError(`unbound method ${fname}() must be called with ${className((m as PyUnboundMethod27).cls)} instance as first argument (got ${got} instead)`);
    }
    return it.call(m.func, args, kwnames);
  };
}

declare module './interp.js' {
  interface Interpreter {
    /** 2.7: `C.f` read on a class (new reference). */
    newUnboundMethod27: (func: PyObject, cls: PyObject) => PyObject;
    /** 2.7: calls an unbound method after checking its first argument. */
    callUnboundMethod27: (m: PyMethod, args: Args, kwnames: string[] | null) => PyObject;
    /** 2.7: the three-way `__cmp__` result of a and b (-1, 0, 1), or null when neither defines it. */
    cmp3way27: (a: PyObject, b: PyObject) => number | null;
    /** 2.7 exec statement: runs source in the given (or the caller's) namespaces. */
    exec27: (body: PyObject, g: PyObject, l: PyObject) => PyObject;
    /** 2.7: `o[i:j]` through __getslice__/__setslice__/__delslice__ (null when o has none). */
    simpleSlice27: (o: PyObject, k: PyObject, name: string, v: PyObject | null) => PyObject | null;
  }
}
