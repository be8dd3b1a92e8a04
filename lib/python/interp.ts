/*
 * The interpreter: runs compiled code units on a Runtime.
 *
 * Reference discipline (the fidelity principle): every value on the value
 * stack is an owned reference; a store moves it; a pop releases it.
 * Python-to-Python calls move the arguments into the callee's fast locals
 * (3.11); calls to built-ins borrow them and release them afterwards. With
 * that, sys.getrefcount shows what CPython shows without special cases.
 *
 * Python-to-Python calls made by CALL run in the same loop (no JS
 * recursion), so deep Python recursion is limited by sys.getrecursionlimit,
 * not by the JS stack. Built-ins that call back into Python (sorted's key,
 * __repr__ from print, __del__ from a dealloc) start a nested loop.
 */
import { NULL_REF, PyBuiltinFunction, PyCell, PyCode, PyFunction, PyGetSetDescriptor, PyMethod, PyModule, PyProperty, PyWrapper } from '../heap/callables.js';
import { getInstDict, PyDict, PyList, PySet, PyTuple, setInstDict, SLOW_TOKEN } from '../heap/containers.js';
import { Frame, PyBaseException, PyFrameObject, PyGenerator, PyTraceback } from '../heap/frames.js';
import { PyDict27 } from '../heap/dicttable27.js';
import { PyClassObj, PyInstance, PyOldInstance } from '../heap/instances.js';
import { bytesHash311, codePoints, floatHash27, floatHash311, frozensetHash27, frozensetHash311, intHash27, intHash311, pointerHash, strHash27, strHash311, tupleHash27, tupleHash311, type PyHash } from '../heap/hash.js';
import { PyHolder, PyWeakref } from '../heap/misc.js';
import { setAddEntry, setDiscardEntry, setHashes, setKeys, setLookup } from '../heap/settable.js';
import { GcFlag, PyObject, TypeFlag } from '../heap/object.js';
import { Runtime, SimulatedMemoryError } from '../heap/runtime.js';
import { PyByteArray, PyBytes, PyComplex, PyFloat, PyInt, PyPlain, PyStr, type IntValue } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import { CodeFlag, type CodeUnit, type Const } from './compiler.js';
import { EXCEPTION_TREE, isBrokenPipe, isJsAllocationFailure, PY3_ONLY_EXCEPTIONS, PyExc } from './errors.js';
import { BINOP_DUNDERS, BINOP_SYMBOLS, BinOpCode, CMP_DUNDERS, CMP_SWAPPED, CMP_SYMBOLS, CmpCode, MakeFunctionFlag, Op } from './opcodes.js';
import { methodClass27, methodRepr27, PyUnboundMethod27 } from './legacy27.js';
import { floatRepr, floatStr27 } from './text/float.js';
import { intStr } from './text/int.js';
import { withArgumentCheck } from './args.js';
import { formatSyntaxError, type PySyntaxError } from './syntax/errors.js';
import { bytesRepr, strRepr, strRepr27, unicodeRepr27 } from './text/repr.js';
import { TextError } from './text/errors.js';
import { caretLine } from './text/carets.js';
import { latin1 } from './text/bytesmethods.js';
import { setUpdateInternal } from './setops.js';

export type Args = PyObject[];
/** A built-in's implementation: borrowed self/args, returns a new reference. */
export type NativeFn = (self: PyObject | null, args: Args, kwnames: string[] | null) => PyObject;

interface BlockEntry {
  handler: number;
  level: number;
  /** An active except handler: the exc_info to restore when it ends. */
  isHandler: boolean;
  prevExc: PyObject | null;
}

/**
 * The interpreter's per-frame state (Frame.extra). A class, so every frame's
 * state has one shape and the dispatch loop's accesses stay monomorphic.
 */
class FrameState {
  blocks: BlockEntry[] = [];
  kwnames: string[] | null = null;
  unit: CodeUnit;
  /** The interpreter's data for the unit (inline caches). */
  info: UnitInfo;
  /** An __init__ frame entered by a class call: the new instance (owned). */
  initSelf: PyObject | undefined = undefined;
  /** ... the call's argument tuple (owned), and where the call's callable is on the caller's stack. */
  initArgs: PyObject | null = null;
  initBase = 0;
  /** 2.7: the exception state saved when the frame first handled an exception (owned). */
  excSaved27: PyObject | null | undefined = undefined;
  /** The frame whose CALL entered this one in the same dispatch loop. */
  caller: Frame | undefined = undefined;
  constructor(unit: CodeUnit, info: UnitInfo) {
    this.unit = unit;
    this.info = info;
  }
}

/** Free frames kept per code unit (UnitInfo.freeFrames); deep recursion leaves no more. */
const FREE_FRAMES_PER_UNIT = 8;

/** What the interpreter keeps per code unit (Interpreter.unitInfo). */
class UnitInfo {
  /** One inline cache slot per instruction, made on first use. */
  readonly caches: (InlineCache | null)[];
  /**
   * Calls can move positional arguments straight into the frame: no *args,
   * **kwargs, keyword-only parameters, cells or free variables, and not a
   * generator.
   */
  readonly plainArgs: boolean;
  /**
   * Frames of this unit that finished without anything else keeping them
   * (no frame object, not a generator), with their state and arrays, for
   * the next calls: a call then allocates no JS objects for its frame.
   */
  readonly freeFrames: Frame[] = [];
  constructor(u: CodeUnit) {
    this.caches = new Array<InlineCache | null>(u.code.length >> 1).fill(null);
    this.plainArgs = (u.flags & (CodeFlag.VARARGS | CodeFlag.VARKEYWORDS | CodeFlag.GENERATOR)) === 0 && u.kwonlyargcount === 0 && u.cellvars.length === 0 && u.freevars.length === 0;
  }
}

/** What an inline cache found (see InlineCache). */
const enum CacheKind {
  /** Nothing usable: take the generic path. */
  NONE,
  /** LOAD_ATTR/STORE_ATTR: a plain attribute in the 3.11 inline values (no descriptor, no __setattr__). */
  INSTANCE_VALUE,
  /** LOAD_METHOD: a Python function or built-in method found on the type (`obj`). */
  METHOD,
  /** CALL of a class whose __init__ is a Python function with plain parameters (`obj`). */
  INIT_PY,
  /** CALL of a class with object's __new__ and __init__. */
  INIT_NONE,
}

/**
 * One inline cache: the interpreter's model of CPython 3.11's specialised
 * instructions (LOAD_ATTR_INSTANCE_VALUE, LOAD_METHOD_WITH_VALUES,
 * STORE_ATTR_INSTANCE_VALUE, CALL for classes). It records what the
 * instruction found for one type and is valid while `type` matches and the
 * type epoch is unchanged (any class namespace change bumps it, as a type's
 * version tag does in CPython). Only what the generic path would have done
 * is cached, so a hit and a miss behave identically.
 */
class InlineCache {
  type: PyType | null = null;
  epoch = -1;
  kind = CacheKind.NONE;
  /** The method or __init__ found (borrowed: the type's namespace keeps it alive while the epoch holds). */
  obj: PyObject | null = null;
  /** Index of the attribute in type.sharedKeys; -1 while the name is not there yet. */
  index = -1;
  /** LOAD_GLOBAL / LOAD_NAME: the globals' keys array, and its length, when the name was not there (see globalOrBuiltin). */
  absentKeys: unknown[] | null = null;
  absentCount = 0;
}

export interface InterpreterOptions {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  argv: string[];
  recursionLimit?: number;
  /**
   * Called by long loops to check for timeouts and Ctrl-C (it throws), and by
   * time.sleep with the seconds to wait (it returns when they are up).
   */
  poll?: (sleepSeconds?: number) => void;
}

/** Token used for dict lookups: primitives compare by value (see PyDict.ts). */
export type Token = unknown;

export class Interpreter {
  readonly rt: Runtime;
  readonly t: Record<string, PyType>;
  readonly builtins: PyDict;
  readonly modules: PyDict;
  /** Exception types by name. */
  readonly exc: Record<string, PyType> = {};
  /** Methods of built-in types: type → name → implementation object (static, unbound). */
  readonly methods = new Map<PyType, Map<string, PyBuiltinFunction>>();
  readonly py2: boolean;
  /** Writes to the process's stdout for the script; a closed pipe raises BrokenPipeError. */
  stdout: (s: string) => void;
  /** Writes the runtime's own reports (tracebacks, "Exception ignored") to stderr; a closed pipe drops them. */
  stderr: (s: string) => void;
  /** Writes to stderr for the script (sys.stderr.write); a closed pipe raises BrokenPipeError. */
  readonly stderrStrict: (s: string) => void;
  /** The exception being handled (sys.exc_info), or null. */
  excInfo: PyObject | null = null;
  /** Exceptions currently propagating (for automatic GC's PyErr_Occurred check). */
  raising = 0;
  frame: Frame | null = null;
  depth = 0;
  recursionLimit: number;
  gcCallbacks!: PyList;
  readonly argv: string[];
  poll: (sleepSeconds?: number) => void;
  /** Module-level constant cache: one object per distinct constant in a compilation. */
  private constCache = new Map<string, PyObject>();
  /** Opaque per-module native state. */
  readonly nativeModules = new Map<string, () => PyModule>();
  opsCounter = 0;
  /** Functions to run at interpreter exit (atexit, weakref.finalize), in registration order. */
  readonly atexitCallbacks: Array<() => void> = [];

  constructor(rt: Runtime, opts: InterpreterOptions) {
    this.rt = rt;
    this.t = rt.types;
    this.py2 = rt.profile.version === '2.7';
    // The script's writes to a pipe whose reader has gone (`refscope run x.py
    // | head -1`) raise in the script, where it writes, as in CPython;
    // the runtime's own reports to a closed stderr are dropped (this.stderr).
    this.stdout = (s) => {
      try {
        opts.stdout(s);
      } catch (e) {
        if (isBrokenPipe(e)) this.raiseBrokenPipe();
        throw e;
      }
    };
    this.stderr = (s) => {
      try {
        opts.stderr(s);
      } catch (e) {
        if (!isBrokenPipe(e)) throw e;
      }
    };
    this.stderrStrict = (s) => {
      try {
        opts.stderr(s);
      } catch (e) {
        if (isBrokenPipe(e)) this.raiseBrokenPipe();
        throw e;
      }
    };
    this.argv = opts.argv;
    this.recursionLimit = opts.recursionLimit ?? 1000;
    this.poll = opts.poll ?? (() => {});
    this.builtins = rt.newDict();
    this.modules = rt.newDict();
    rt.hooks = {
      finalize: (o) => this.callFinalizer(o),
      callWeakrefCallback: (wr) => this.callWeakrefCallback(wr),
      invokeGcCallbacks: (phase, g, c, u) => this.invokeGcCallbacks(phase, g, c, u),
      errorPending: () => this.raising > 0,
      debugRepr: (o) => this.gcDebugRepr(o),
      writeStderr: (s) => this.writeSysStderr(s),
    };
    this.makeExceptionTypes();
  }

  // ================================================================ errors

  private makeExceptionTypes(): void {
    const rt = this.rt;
    for (const [name, base] of EXCEPTION_TREE) {
      if (this.py2 && PY3_ONLY_EXCEPTIONS.has(name)) continue;
      if (name === 'BaseException') {
        this.exc[name] = rt.types.BaseException;
        continue;
      }
      // 2.7: the errors of built-in operations derive from StandardError (made right after Exception).
      const b = this.py2 && base === 'Exception' && name !== 'StopIteration' && name !== 'Warning' ? 'StandardError' : base!;
      const ty = rt.defineStaticType(name, 'exception', true, 72, this.exc[b], true);
      this.exc[name] = ty;
      if (this.py2 && name === 'Exception') this.exc.StandardError = rt.defineStaticType('StandardError', 'exception', true, 72, ty, true);
    }
    // 2.7's IOError is its own type (file and pipe errors print as IOError);
    // made a subclass of OSError here, a simplification of 2.7's siblings
    // under EnvironmentError. In 3.x it is OSError itself.
    if (this.py2) this.exc.IOError = rt.defineStaticType('IOError', 'exception', true, 72, this.exc.OSError, true);
    else this.exc.IOError = this.exc.OSError;
    this.exc.EnvironmentError = this.exc.OSError;
  }

  /** Creates an exception instance with a message (new reference). */
  newExc(type: PyType, msg?: string | PyObject[]): PyBaseException {
    const args = msg === undefined ? [] : typeof msg === 'string' ? [this.str(msg)] : msg;
    const e = this.rt.newException(type, this.rt.newTuple(args));
    if (this.py2) this.unnormalized.add(e);
    return e;
  }

  /** 2.7: exceptions set by C code and not yet normalized (see reportUnraisable27). */
  readonly unnormalized = new WeakSet<PyObject>();

  /** EPIPE as CPython reports it: BrokenPipeError(32, 'Broken pipe'); IOError in 2.7. */
  raiseBrokenPipe(): never {
    const ty = this.py2 ? this.exc.IOError : this.exc.BrokenPipeError;
    throw new PyExc(this.newExc(ty, [this.int(32), this.str('Broken pipe')]));
  }

  /** Throws a Python exception of `type` with message `msg`. */
  raise(type: string | PyType, msg?: string): never {
    const ty = typeof type === 'string' ? this.exc[type] : type;
    throw new PyExc(this.newExc(ty, msg));
  }

  typeError(msg: string): never {
    return this.raise('TypeError', msg);
  }

  fromTextError(e: unknown): never {
    if (e instanceof TextError) this.raise(e.pyType, e.message);
    throw e;
  }

  // ============================================================== objects

  /** New references for common values. */
  int(v: IntValue): PyInt {
    return this.rt.newInt(v);
  }
  str(s: string): PyStr {
    return this.rt.newStr(s);
  }
  none(): PyObject {
    this.rt.None.ob_refcnt++;
    return this.rt.None;
  }
  bool(b: boolean): PyObject {
    return this.rt.newBool(b);
  }
  incref<T extends PyObject>(o: T): T {
    o.ob_refcnt++;
    return o;
  }
  decref(o: PyObject): void {
    if (--o.ob_refcnt === 0) this.rt.dealloc(o);
  }
  xdecref(o: PyObject | null | undefined): void {
    if (o && --o.ob_refcnt === 0) this.rt.dealloc(o);
  }

  typeOf(o: PyObject): PyType {
    return o.ob_type as PyType;
  }
  typeName(o: PyObject): string {
    if (o instanceof PyOldInstance) return 'instance';
    return (o.ob_type as PyType).tp_name;
  }
  isInstance(o: PyObject, ty: PyType): boolean {
    return (o.ob_type as PyType).isSubtypeOf(ty);
  }
  isInt(o: PyObject): o is PyInt {
    return o instanceof PyInt;
  }
  isStr(o: PyObject): o is PyStr {
    return o instanceof PyStr;
  }

  // ------------------------------------------------------- attribute lookup

  /**
   * Bumped whenever any class namespace changes; per-type lookup caches
   * compare against it (CPython's type version tags, simplified to one
   * global epoch so subclasses never see a stale entry).
   */
  typeEpoch = 0;

  /** Finds `name` along the MRO of `type` (borrowed), or null. Cached in `type.impl`. */
  lookupType(type: PyType, name: string): PyObject | null {
    let c = type.impl as TypeLookupCache | null;
    if (c === null || c.epoch !== this.typeEpoch) {
      c = new TypeLookupCache(this.typeEpoch);
      type.impl = c;
    }
    const hit = c.map.get(name);
    if (hit !== undefined) return hit;
    const r = this.lookupTypeUncached(type, name);
    c.map.set(name, r);
    return r;
  }

  /** 2.7: the MRO of new-style classes with classic (classobj) bases, classic classes included. */
  readonly classicMro = new WeakMap<PyType, Array<PyType | PyClassObj>>();

  private lookupTypeUncached(type: PyType, name: string): PyObject | null {
    const mro = this.classicMro.get(type) ?? type.mro;
    for (let i = 0; i < mro.length; i++) {
      const t = mro[i];
      if (t instanceof PyClassObj) {
        const idx = this.rt.dictFind(t.dict as PyDict, name);
        if (idx >= 0) return (t.dict as PyDict).valueAt(idx);
        continue;
      }
      if (t.tp_dict) {
        const d = t.tp_dict as PyDict;
        const idx = this.rt.dictFind(d, name);
        if (idx >= 0) return d.valueAt(idx);
      }
      const m = this.methods.get(t)?.get(name);
      if (m) return m;
    }
    return null;
  }

  /** getattr(o, name): new reference, or throws AttributeError. */
  getattr(o: PyObject, name: string): PyObject {
    const r = this.getattrOrNull(o, name);
    if (r === null) this.attributeError(o, name);
    return r;
  }

  attributeError(o: PyObject, name: string): never {
    if (o instanceof PyModule) this.raise('AttributeError', `module '${o.name}' has no attribute '${name}'`);
    if (o instanceof PyType) this.raise('AttributeError', `type object '${o.tp_name}' has no attribute '${name}'`);
    if (o instanceof PyOldInstance) this.raise('AttributeError', `${(o.cls as PyClassObj).name} instance has no attribute '${name}'`);
    if (o instanceof PyClassObj) this.raise('AttributeError', `class ${o.name} has no attribute '${name}'`);
    this.raise('AttributeError', `'${this.typeName(o)}' object has no attribute '${name}'`);
  }

  getattrOrNull(o: PyObject, name: string): PyObject | null {
    const type = o.ob_type as PyType;
    if (o instanceof PyType) return this.typeGetattr(o, name);
    if (o instanceof PyModule) {
      const d = o.dict as PyDict;
      const i = this.rt.dictFind(d, name);
      if (i >= 0) return this.incref(d.valueAt(i)!);
      if (name === '__dict__') return this.incref(d);
      return null;
    }
    if (o instanceof PyOldInstance) return this.oldInstanceGetattr(o, name);
    if (o instanceof PyClassObj) return this.classObjGetattr(o, name);
    // Data descriptors on the type win over the instance dict.
    const descr = this.lookupType(type, name);
    if (descr !== null && (descr instanceof PyProperty || descr instanceof PyGetSetDescriptor)) {
      return this.descrGet(descr, o, type);
    }
    if (type.isHeapType || o instanceof PyFunction || o instanceof PyBaseException) {
      const v = this.instanceAttr(o, name);
      if (v !== null) return this.incref(v);
    }
    if (descr !== null) return this.descrGet(descr, o, type);
    const special = this.specialAttr(o, name);
    if (special !== null) return special;
    if (type.isHeapType) {
      const ga = this.lookupType(type, '__getattr__');
      if (ga !== null) {
        const nm = this.str(name);
        try {
          return this.callMethodObj(ga, o, [nm]);
        } finally {
          this.decref(nm);
        }
      }
    }
    return null;
  }

  /** Borrowed value of an attribute stored on the instance itself. */
  instanceAttr(o: PyObject, name: string): PyObject | null {
    if (o instanceof PyInstance) {
      const type = o.ob_type as PyType;
      if (o.slots && type.slotNames) {
        const si = this.slotIndex(type, name);
        if (si >= 0) return o.slots[si];
      }
      if (o.values) {
        const i = type.sharedKeys.indexOf(name);
        return i >= 0 && i < o.values.length ? o.values[i] : null;
      }
      if (o.dict) {
        const d = o.dict as PyDict;
        const i = this.rt.dictFind(d, name);
        return i >= 0 ? d.valueAt(i) : null;
      }
      return null;
    }
    const d = this.instanceDict(o, false);
    if (d) {
      const i = this.rt.dictFind(d, name);
      return i >= 0 ? d.valueAt(i) : null;
    }
    return null;
  }

  slotIndex(type: PyType, name: string): number {
    return type.slotNames ? type.slotNames.indexOf(name) : -1;
  }

  /** The `__dict__` of objects that have one (creating it when asked). Borrowed. */
  instanceDict(o: PyObject, create: boolean): PyDict | null {
    if (o instanceof PyInstance) {
      if (o.dict) return o.dict as PyDict;
      if (o.values && create) return this.rt.materializeDict(o);
      return null;
    }
    if (o instanceof PyFunction || o instanceof PyBaseException || o instanceof PyWrapper) {
      const holder = o as unknown as { dict: PyObject | null };
      if (!holder.dict && create) holder.dict = this.rt.newDict();
      return holder.dict as PyDict | null;
    }
    if (o instanceof PyList || o instanceof PyDict || o instanceof PySet || o instanceof PyHolder) {
      if (!(o.ob_type as PyType).isHeapType) return null;
      if (!o.instDict && create) o.instDict = this.rt.newDict();
      return o.instDict as PyDict | null;
    }
    if (o instanceof PyInt || o instanceof PyFloat || o instanceof PyStr || o instanceof PyBytes || o instanceof PyTuple) {
      const type = o.ob_type as PyType;
      if (!type.isHeapType || !type.hasInstanceDict) return null;
      let d = getInstDict(o);
      if (d === null && create) {
        d = this.rt.newDict();
        setInstDict(o, d);
      }
      return d as PyDict | null;
    }
    if (o instanceof PyOldInstance) return o.dict as PyDict;
    if (o instanceof PyModule) return o.dict as PyDict;
    return null;
  }

  private oldInstanceGetattr(o: PyOldInstance, name: string): PyObject | null {
    if (name === '__dict__') return this.incref(o.dict);
    if (name === '__class__') return this.incref(o.cls);
    const d = o.dict as PyDict;
    const i = this.rt.dictFind(d, name);
    if (i >= 0) return this.incref(d.valueAt(i)!);
    const v = this.classObjLookup(o.cls as PyClassObj, name);
    if (v !== null) {
      if (v instanceof PyFunction) return this.rt.newMethod(this.incref(v), this.incref(o));
      // instance_getattr2: descriptors found on the class are bound with (inst, class).
      if (v instanceof PyWrapper || v instanceof PyProperty || (v.ob_type as PyType).isHeapType) return this.descrGet(v, o, o.cls as unknown as PyType);
      return this.incref(v);
    }
    const ga = this.classObjLookup(o.cls as PyClassObj, '__getattr__');
    if (ga) {
      const nm = this.str(name);
      try {
        return this.callMethodObj(ga, o, [nm]);
      } finally {
        this.decref(nm);
      }
    }
    return null;
  }

  /** 2.7 class_getattr: __dict__, __bases__, __name__, then the class and its bases. */
  private classObjGetattr(c: PyClassObj, name: string): PyObject | null {
    if (name === '__dict__') return this.incref(c.dict);
    if (name === '__bases__') return this.incref(c.bases);
    if (name === '__name__') return this.str(c.name);
    const v = this.classObjLookup(c, name);
    if (v === null) return null;
    if (v instanceof PyWrapper && v.ob_type === this.t.staticmethod) return this.incref(v.callable!);
    if (v instanceof PyWrapper && v.ob_type === this.t.classmethod) return this.rt.newMethod(this.incref(v.callable!), this.incref(c));
    if (v instanceof PyFunction) return this.newUnboundMethod27(v, c);
    return this.incref(v);
  }

  classObjLookup(c: PyClassObj, name: string): PyObject | null {
    const d = c.dict as PyDict;
    const i = this.rt.dictFind(d, name);
    if (i >= 0) return d.valueAt(i);
    for (const b of (c.bases as PyTuple).items) {
      if (b instanceof PyClassObj) {
        const r = this.classObjLookup(b, name);
        if (r) return r;
      }
    }
    return null;
  }

  private typeGetattr(t: PyType, name: string): PyObject | null {
    // type's own data descriptors win over the class namespace.
    if (name === '__dict__' || name === '__mro__' || name === '__bases__' || name === '__name__' || name === '__qualname__' || name === '__class__' || name === '__base__') {
      return this.typeSpecial(t, name);
    }
    const v = this.lookupType(t, name);
    if (v !== null) {
      if (v instanceof PyWrapper && v.ob_type === this.t.staticmethod) return this.incref(v.callable!);
      if (v instanceof PyWrapper && v.ob_type === this.t.classmethod) return this.rt.newMethod(this.incref(v.callable!), this.incref(t));
      if (v instanceof PyProperty) return this.incref(v);
      // 2.7: a function read on a class is an unbound method (__new__ is a static method).
      if (this.py2 && v instanceof PyFunction && name !== '__new__') return this.newUnboundMethod27(v, t);
      return this.bindClassMethod(v, t);
    }
    const special = this.typeSpecial(t, name);
    if (special) return special;
    if (t.ob_type !== this.t.type) {
      const mv = this.lookupType(t.ob_type as PyType, name);
      if (mv) return this.descrGet(mv, t, t.ob_type as PyType);
    }
    return null;
  }

  private typeSpecial(t: PyType, name: string): PyObject | null {
    switch (name) {
      case '__name__':
        return this.str(t.isHeapType ? t.tp_name : t.tp_name.slice(t.tp_name.lastIndexOf('.') + 1));
      case '__qualname__':
        return this.str(t.isHeapType ? t.qualname : t.tp_name.slice(t.tp_name.lastIndexOf('.') + 1));
      case '__module__':
        return this.str(t.moduleName || (t.tp_name.includes('.') ? t.tp_name.slice(0, t.tp_name.lastIndexOf('.')) : 'builtins'));
      case '__mro__':
        return t.tp_mro ? this.incref(t.tp_mro) : this.rt.newTuple(t.mro.map((m) => this.incref(m)));
      case '__bases__':
        return t.tp_bases ? this.incref(t.tp_bases) : this.rt.newTuple(t.tp_base ? [this.incref(t.tp_base)] : []);
      case '__base__':
        return t.tp_base ? this.incref(t.tp_base) : this.none();
      case '__dict__':
        return t.tp_dict ? this.incref(t.tp_dict) : this.rt.newDict();
      case '__class__':
        return this.incref(t.ob_type);
      case '__basicsize__':
        return this.int(t.tp_basicsize);
      case '__doc__':
        return this.none();
    }
    return null;
  }

  /** Applies the descriptor protocol for an attribute found on the type (new ref). */
  descrGet(descr: PyObject, o: PyObject, type: PyType): PyObject {
    if (descr instanceof PyFunction) return this.rt.newMethod(this.incref(descr), this.incref(o));
    if (descr instanceof PyBuiltinFunction && descr.self === null && this.isUnboundMethod(descr)) {
      return this.rt.newBuiltinFunction(descr.name, descr.impl, this.incref(o), descr.qualname);
    }
    if (descr instanceof PyProperty) {
      if (!descr.fget) this.raise('AttributeError', `property object has no getter`);
      return this.call(descr.fget, [o]);
    }
    if (descr instanceof PyWrapper) {
      if (descr.ob_type === this.t.staticmethod) return this.incref(descr.callable!);
      if (descr.ob_type === this.t.classmethod) return this.rt.newMethod(this.incref(descr.callable!), this.incref(type));
    }
    if (descr instanceof PyGetSetDescriptor) {
      if (descr.name === '__dict__') {
        const d = this.instanceDict(o, true);
        return d ? this.incref(d) : this.none();
      }
      if (descr.name === '__weakref__') {
        const w = o.weakrefs;
        return w && w.length ? this.incref(w[0]) : this.none();
      }
    }
    const dtype = descr.ob_type as PyType;
    if (dtype.isHeapType) {
      const get = this.lookupType(dtype, '__get__');
      if (get) return this.callMethodObj(get, descr, [o, type]);
    }
    return this.incref(descr);
  }

  private unboundMethods = new WeakSet<PyBuiltinFunction>();
  isUnboundMethod(f: PyBuiltinFunction): boolean {
    return this.unboundMethods.has(f);
  }

  /** Registers built-in methods for a type. */
  defineMethods(type: PyType, defs: Record<string, NativeFn>): void {
    this.typeEpoch++;
    let m = this.methods.get(type);
    if (!m) {
      m = new Map();
      this.methods.set(type, m);
    }
    for (const [name, fn] of Object.entries(defs)) {
      const qualname = `${type.tp_name}.${name}`;
      const checked = withArgumentCheck(qualname, fn, this.py2, (msg) => this.typeError(msg));
      const f = new PyBuiltinFunction(this.t.builtin_function_or_method, name, checked as never, null, qualname);
      f.ob_refcnt = this.rt.profile.immortalRefcnt;
      f.id = 0x55d14b000000 + this.methods.size * 4096 + m.size * 64;
      this.unboundMethods.add(f);
      m.set(name, f);
    }
  }

  private readonly builtinClassMethods = new WeakSet<PyBuiltinFunction>();

  /** A value found on a class's MRO, read from class `t`: a built-in class method is bound to `t`. */
  bindClassMethod(v: PyObject, t: PyType): PyObject {
    if (v instanceof PyBuiltinFunction && v.self !== t && this.builtinClassMethods.has(v)) return this.rt.newBuiltinFunction(v.name, v.impl, this.incref(t), v.qualname);
    return this.incref(v);
  }

  /** Registers class methods of a built-in type (`dict.fromkeys`): bound to the type itself. */
  defineClassMethods(type: PyType, defs: Record<string, NativeFn>): void {
    this.typeEpoch++;
    let m = this.methods.get(type);
    if (!m) {
      m = new Map();
      this.methods.set(type, m);
    }
    for (const [name, fn] of Object.entries(defs)) {
      const qualname = `${type.tp_name}.${name}`;
      const checked = withArgumentCheck(qualname, fn, this.py2, (msg) => this.typeError(msg));
      const f = new PyBuiltinFunction(this.t.builtin_function_or_method, name, checked as never, type, qualname);
      f.ob_refcnt = this.rt.profile.immortalRefcnt;
      f.id = 0x55d14b800000 + this.methods.size * 4096 + m.size * 64;
      // tp_new_wrapper (`T.__new__`) stays bound to its type; class methods bind to the class they are read from.
      if (name !== '__new__') this.builtinClassMethods.add(f);
      m.set(name, f);
    }
  }

  /** Attributes every object has without a dict entry: __class__, __dict__, __name__... (new ref or null). */
  private specialAttr(o: PyObject, name: string): PyObject | null {
    switch (name) {
      case '__class__':
        return this.incref(o.ob_type);
      case '__dict__': {
        const d = this.instanceDict(o, true);
        return d ? this.incref(d) : null;
      }
    }
    if (o instanceof PyFunction) {
      switch (name) {
        case '__name__':
          return this.incref(o.name);
        case '__qualname__':
          return this.incref(o.qualname);
        case '__module__':
          return o.module ? this.incref(o.module) : this.none();
        case '__globals__':
        case 'func_globals':
          return this.incref(o.globals);
        case '__closure__':
        case 'func_closure':
          return o.closure ? this.incref(o.closure) : this.none();
        case '__defaults__':
        case 'func_defaults':
          return o.defaults ? this.incref(o.defaults) : this.none();
        case '__kwdefaults__':
          return o.kwdefaults ? this.incref(o.kwdefaults) : this.none();
        case '__code__':
        case 'func_code':
          return this.incref(o.code);
        case '__doc__':
          return o.doc ? this.incref(o.doc) : this.none();
        case '__builtins__':
          return this.incref(o.builtins);
        case '__annotations__':
          if (!o.annotations) o.annotations = this.rt.newDict();
          else if (o.annotations instanceof PyTuple) {
            const pairs = o.annotations;
            const d = this.rt.newDict();
            for (let i = 0; i + 1 < pairs.items.length; i += 2) this.setitem(d, pairs.items[i], pairs.items[i + 1]);
            o.annotations = d;
            this.decref(pairs);
          }
          return this.incref(o.annotations);
      }
      if (name === '__get__') return null;
    }
    if (o instanceof PyMethod) {
      if (name === '__self__' || name === 'im_self') return this.incref(o.self);
      if (name === '__func__' || name === 'im_func') return this.incref(o.func);
      if (name === 'im_class' && this.py2) return this.incref(methodClass27(o));
      if (name === '__name__' || name === '__qualname__' || name === '__doc__' || name === '__module__') return this.getattrOrNull(o.func, name);
    }
    if (o instanceof PyBuiltinFunction) {
      if (name === '__name__') return this.str(o.name);
      if (name === '__qualname__') return this.str(o.qualname);
      if (name === '__self__') return o.self ? this.incref(o.self) : this.none();
      if (name === '__module__') return this.none();
    }
    if (o instanceof PyCell && name === 'cell_contents') {
      if (!o.ref) this.raise('ValueError', 'Cell is empty');
      return this.incref(o.ref);
    }
    if (o instanceof PyCode) {
      if (name === 'co_name') return this.str(o.name);
      if (name === 'co_filename') return this.str(o.filename);
      if (name === 'co_firstlineno') return this.int(o.firstlineno);
      if (name === 'co_qualname') return this.str(o.qualname);
      const cu = o.body as CodeUnit;
      if (name === 'co_varnames') return this.rt.newTuple(cu.varnames.map((v) => this.rt.intern(v)));
      if (name === 'co_freevars') return this.rt.newTuple(cu.freevars.map((v) => this.rt.intern(v)));
      if (name === 'co_cellvars') return this.rt.newTuple(cu.cellvars.map((v) => this.rt.intern(v)));
      if (name === 'co_names') return this.rt.newTuple(cu.names.map((v) => this.rt.intern(v)));
      if (name === 'co_argcount') return this.int(cu.argcount);
      if (name === 'co_kwonlyargcount') return this.int(cu.kwonlyargcount);
      if (name === 'co_posonlyargcount') return this.int(cu.posonlyargcount);
      if (name === 'co_flags') return this.int(cu.flags | (cu.freevars.length ? 16 : 0) | 3);
      if (name === 'co_consts') return this.rt.newTuple(o.consts.map((c) => this.incref(c)));
      if (name === 'co_nlocals') return this.int(cu.varnames.length);
      if (name === 'co_stacksize' && !this.py2) return this.int(cu.stacksize);
    }
    if (o instanceof PyBaseException) {
      if (name === 'args') return this.incref(o.args);
      if (name === '__traceback__') return o.traceback ? this.incref(o.traceback) : this.none();
      if (name === '__context__') return o.context ? this.incref(o.context) : this.none();
      if (name === '__cause__') return o.cause ? this.incref(o.cause) : this.none();
      if (name === '__suppress_context__') return this.bool(o.suppressContext);
      if (name === 'message' && this.py2) {
        const a = (o.args as PyTuple).items;
        return a.length === 1 ? this.incref(a[0]) : this.str('');
      }
      if (name === 'value' && o.ob_type === this.exc.StopIteration) {
        const a = (o.args as PyTuple).items;
        return a.length ? this.incref(a[0]) : this.none();
      }
      if (this.isInstance(o, this.exc.OSError) && (name === 'errno' || name === 'strerror' || name === 'filename')) {
        const a = (o.args as PyTuple).items;
        const i = name === 'errno' ? 0 : name === 'strerror' ? 1 : 2;
        return a.length >= 2 && i < a.length ? this.incref(a[i]) : this.none();
      }
      if (name === 'code' && this.isInstance(o, this.exc.SystemExit)) {
        const a = (o.args as PyTuple).items;
        return a.length ? this.incref(a[0]) : this.none();
      }
    }
    if (o instanceof PyTraceback) {
      if (name === 'tb_next') return o.next ? this.incref(o.next) : this.none();
      if (name === 'tb_frame') return this.incref(o.frame);
      if (name === 'tb_lineno') return this.int(o.lineno);
    }
    if (o instanceof PyFrameObject) {
      if (name === 'f_back') return o.back ? this.incref(o.back) : this.none();
      if (name === 'f_lineno') return this.int(o.frame.lineno);
      if (name === 'f_code') return this.incref(o.frame.code);
      if (name === 'f_globals') return this.incref(o.frame.globals);
      if (name === 'f_locals') return this.frameLocals(o.frame);
    }
    if (o instanceof PyGenerator) {
      if (name === '__name__' || name === 'gi_name') return this.incref(o.name);
      if (name === '__qualname__') return this.incref(o.qualname);
      if (name === 'gi_running') return this.bool(o.running);
      if (name === 'gi_frame') return o.done ? this.none() : this.incref(this.frameObject(o.frame));
    }
    if (o instanceof PyWeakref && name === '__callback__') return o.callback ? this.incref(o.callback) : this.none();
    if (o instanceof PyProperty) {
      if (name === 'fget') return o.fget ? this.incref(o.fget) : this.none();
      if (name === 'fset') return o.fset ? this.incref(o.fset) : this.none();
    }
    if (o instanceof PyWrapper && name === '__func__') return this.incref(o.callable!);
    if (o instanceof PyInt && !(o.ob_type === this.t.bool)) {
      if (name === 'real' || name === 'numerator') return this.incref(o);
      if (name === 'imag') return this.int(0);
      if (name === 'denominator') return this.int(1);
    }
    if (o instanceof PyFloat) {
      if (name === 'real') return this.incref(o);
      if (name === 'imag') return this.rt.newFloat(0);
    }
    if (o instanceof PyComplex) {
      if (name === 'real') return this.rt.newFloat(o.real);
      if (name === 'imag') return this.rt.newFloat(o.imag);
    }
    return null;
  }

  /** f_locals of a frame: a new dict snapshot for function frames. */
  frameLocals(f: Frame): PyObject {
    if (f.locals) return this.incref(f.locals);
    const d = this.rt.newDict();
    const u = (f.code as PyCode).body as CodeUnit;
    const names = [...u.varnames, ...u.cellvars, ...u.freevars];
    for (let i = 0; i < names.length; i++) {
      let v = f.fast[i];
      if (v instanceof PyCell && i >= u.varnames.length) v = v.ref;
      if (v) this.dictSetStr(d, names[i], this.incref(v));
    }
    return d;
  }

  /** The frame object of an interpreter frame (materialised on demand). Borrowed. */
  frameObject(f: Frame): PyFrameObject {
    if (f.frameObj) return f.frameObj;
    const fo = this.rt.newFrameObject(f, frameSlots(f.code as PyCode));
    f.frameObj = fo;
    // The frame keeps one reference to its frame object while it runs.
    return fo;
  }

  setattr(o: PyObject, name: string, v: PyObject): void {
    // v is borrowed
    const type = o.ob_type as PyType;
    if (o instanceof PyType) {
      if (!o.isHeapType) this.typeError(`cannot set '${name}' attribute of immutable type '${o.tp_name}'`);
      this.dictSetStr(o.tp_dict as PyDict, name, this.incref(v));
      o.version++;
      this.typeEpoch++;
      if (name === '__del__') o.tp_flags |= TypeFlag.HAS_FINALIZE;
      return;
    }
    if (type.isHeapType) {
      const descr = this.lookupType(type, name);
      if (descr instanceof PyProperty) {
        if (!descr.fset) this.raise('AttributeError', this.py2 ? "can't set attribute" : `can't set attribute '${name}'`);
        this.decref(this.call(descr.fset, [o, v]));
        return;
      }
      const sa = this.lookupType(type, '__setattr__');
      if (sa && !(sa instanceof PyBuiltinFunction)) {
        const nm = this.str(name);
        try {
          this.decref(this.callMethodObj(sa, o, [nm, v]));
        } finally {
          this.decref(nm);
        }
        return;
      }
    }
    this.genericSetattr(o, name, v);
  }

  /** object.__setattr__ */
  genericSetattr(o: PyObject, name: string, v: PyObject): void {
    const type = o.ob_type as PyType;
    if (o instanceof PyInstance) {
      if (o.slots && type.slotNames) {
        const si = this.slotIndex(type, name);
        if (si >= 0) {
          const old = o.slots[si];
          o.slots[si] = this.incref(v);
          this.xdecref(old);
          return;
        }
      }
      if (o.values) {
        let i = type.sharedKeys.indexOf(name);
        if (i < 0) {
          if (type.sharedKeysUsable <= 0) {
            // insert_into_dictkeys fails: the attributes move to a dict.
            this.dictSetStr(this.rt.materializeDict(o), name, this.incref(v));
            return;
          }
          type.sharedKeys.push(name);
          type.sharedKeysUsable--;
          i = type.sharedKeys.length - 1;
        }
        while (o.values.length <= i) o.values.push(null);
        const old = o.values[i];
        o.values[i] = this.incref(v);
        if (old === null) this.rt.instanceValuesResized(o);
        this.xdecref(old);
        return;
      }
      if (o.dict) {
        this.dictSetStr(o.dict as PyDict, name, this.incref(v));
        return;
      }
      this.raise('AttributeError', `'${type.tp_name}' object has no attribute '${name}'`);
    }
    if (o instanceof PyOldInstance) {
      this.dictSetStr(o.dict as PyDict, name, this.incref(v));
      return;
    }
    if (o instanceof PyClassObj) {
      this.dictSetStr(o.dict as PyDict, name, this.incref(v));
      this.typeEpoch++;
      if (name === '__del__') o.hasDel = true;
      return;
    }
    if (o instanceof PyModule) {
      this.dictSetStr(o.dict as PyDict, name, this.incref(v));
      return;
    }
    if (o instanceof PyFunction && FUNC_SLOTS.has(name)) {
      this.setFunctionSlot(o, name, v);
      return;
    }
    if (o instanceof PyBaseException && name === '__traceback__') {
      const old = o.traceback;
      o.traceback = v === this.rt.None ? null : this.incref(v);
      this.xdecref(old);
      return;
    }
    if (o instanceof PyBaseException && name === '__cause__') {
      const old = o.cause;
      o.cause = v === this.rt.None ? null : this.incref(v);
      o.suppressContext = true;
      this.xdecref(old);
      return;
    }
    const d = this.instanceDict(o, true);
    if (d) {
      this.dictSetStr(d, name, this.incref(v));
      return;
    }
    if (this.lookupType(type, name)) this.raise('AttributeError', `'${type.tp_name}' object attribute '${name}' is read-only`);
    this.raise('AttributeError', `'${type.tp_name}' object has no attribute '${name}'`);
  }

  private setFunctionSlot(f: PyFunction, name: string, v: PyObject): void {
    const none = v === this.rt.None;
    const swap = (key: 'defaults' | 'kwdefaults' | 'doc' | 'annotations') => {
      const old = f[key];
      f[key] = none ? null : this.incref(v);
      this.xdecref(old);
    };
    switch (name) {
      case '__defaults__':
        if (!none && !(v instanceof PyTuple)) this.typeError('__defaults__ must be set to a tuple object');
        return swap('defaults');
      case '__kwdefaults__':
        return swap('kwdefaults');
      case '__doc__':
        return swap('doc');
      case '__annotations__':
        return swap('annotations');
      case '__name__':
      case '__qualname__': {
        if (!(v instanceof PyStr)) this.typeError(`${name} must be set to a string object`);
        const key = name === '__name__' ? 'name' : 'qualname';
        const old = f[key];
        f[key] = this.incref(v);
        this.decref(old);
        return;
      }
      case '__module__': {
        const old = f.module;
        f.module = this.incref(v);
        this.xdecref(old);
        return;
      }
    }
  }

  delattr(o: PyObject, name: string): void {
    const type = o.ob_type as PyType;
    if (o instanceof PyType && o.isHeapType) {
      const d = o.tp_dict as PyDict;
      const i = this.rt.dictFind(d, name);
      if (i < 0) this.raise('AttributeError', `type object '${o.tp_name}' has no attribute '${name}'`);
      this.rt.dictDeleteAt(d, i);
      o.version++;
      this.typeEpoch++;
      return;
    }
    if (type.isHeapType) {
      const descr = this.lookupType(type, name);
      if (descr instanceof PyProperty) {
        if (!descr.fdel) this.raise('AttributeError', `can't delete attribute '${name}'`);
        this.decref(this.call(descr.fdel, [o]));
        return;
      }
      const da = this.lookupType(type, '__delattr__');
      if (da && !(da instanceof PyBuiltinFunction)) {
        const nm = this.str(name);
        try {
          this.decref(this.callMethodObj(da, o, [nm]));
        } finally {
          this.decref(nm);
        }
        return;
      }
    }
    if (o instanceof PyInstance) {
      if (o.slots && type.slotNames) {
        const si = this.slotIndex(type, name);
        if (si >= 0 && o.slots[si]) {
          const old = o.slots[si]!;
          o.slots[si] = null;
          this.decref(old);
          return;
        }
      }
      if (o.values) {
        const i = type.sharedKeys.indexOf(name);
        if (i >= 0 && i < o.values.length && o.values[i]) {
          const old = o.values[i]!;
          o.values[i] = null;
          this.decref(old);
          return;
        }
        this.attributeError(o, name);
      }
    }
    const d = this.instanceDict(o, false);
    if (d) {
      const i = this.rt.dictFind(d, name);
      if (i >= 0) {
        this.rt.dictDeleteAt(d, i);
        return;
      }
    }
    this.attributeError(o, name);
  }

  // ------------------------------------------------------------- dicts

  /** The lookup token of a key; SLOW_TOKEN for keys that need __hash__/__eq__. */
  keyToken(k: PyObject): Token {
    if (k instanceof PyStr) return k.ob_type === this.t.str || (this.py2 && k.ob_type === this.t.unicode) ? k.v : SLOW_TOKEN;
    if (k instanceof PyInt) {
      const v = k.v;
      if (k.ob_type === this.t.int || k.ob_type === this.t.bool || (this.py2 && k.ob_type === this.t.long)) return v;
      return SLOW_TOKEN;
    }
    if (k instanceof PyFloat) {
      const v = k.v;
      if (Number.isNaN(v)) return k;
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v);
      return v;
    }
    const type = k.ob_type as PyType;
    if (type.isHeapType) {
      const h = this.lookupType(type, '__hash__');
      const eq = this.lookupType(type, '__eq__');
      if ((h && !(h instanceof PyBuiltinFunction)) || (eq && !(eq instanceof PyBuiltinFunction))) return SLOW_TOKEN;
      return k;
    }
    if (k instanceof PyTuple || (k instanceof PySet && k.ob_type === this.t.frozenset) || k instanceof PyBytes || k instanceof PyComplex) return SLOW_TOKEN;
    if (k instanceof PyList || k instanceof PyDict || k instanceof PySet) this.typeError(`unhashable type: '${type.tp_name}'`);
    return k;
  }

  /** Entry index of key k in d, or -1. */
  dictLookup(d: PyDict, k: PyObject): number {
    const token = this.keyToken(k);
    if (token !== SLOW_TOKEN) return this.rt.dictFind(d, token);
    const h = this.hash(k);
    const bucket = d.slowIndex?.get(h);
    if (!bucket) return -1;
    for (const i of bucket) {
      const other = d.keyAt(i);
      if (other === k || (other && this.eq(other, k))) return i;
    }
    return -1;
  }

  dictGet(d: PyDict, k: PyObject): PyObject | null {
    const i = this.dictLookup(d, k);
    return i >= 0 ? d.valueAt(i) : null;
  }

  /** d[k] = v; k and v are borrowed. */
  dictSet(d: PyDict, k: PyObject, v: PyObject): void {
    const token = this.keyToken(k);
    let i: number;
    let h: PyHash = 0;
    // A 2.7 dict places every new key by its hash (str keys are hashed by the runtime).
    if (token !== SLOW_TOKEN) {
      i = this.rt.dictFind(d, token);
      if (i < 0 && this.py2 && typeof token !== 'string') h = this.hash(k);
    } else {
      h = this.hash(k);
      i = -1;
      const bucket = d.slowIndex?.get(h);
      if (bucket) {
        for (const j of bucket) {
          const other = d.keyAt(j);
          if (other === k || (other && this.eq(other, k))) {
            i = j;
            break;
          }
        }
      }
    }
    if (i >= 0) this.rt.dictReplace(d, i, this.incref(v));
    else this.rt.dictAppend(d, token, h, this.incref(k), this.incref(v), k instanceof PyStr && k.ob_type === this.t.str);
  }

  /** d[name] = v with a str key; v is stolen. */
  dictSetStr(d: PyDict, name: string, v: PyObject): void {
    const i = this.rt.dictFind(d, name);
    if (i >= 0) this.rt.dictReplace(d, i, v);
    else this.rt.dictAppend(d, name, 0, this.rt.intern(name), v, true);
  }

  dictGetStr(d: PyDict, name: string): PyObject | null {
    const i = this.rt.dictFind(d, name);
    return i >= 0 ? d.valueAt(i) : null;
  }

  dictDel(d: PyDict, k: PyObject): void {
    const i = this.dictLookup(d, k);
    if (i < 0) throw new PyExc(this.newExc(this.exc.KeyError, [this.incref(k)]));
    this.rt.dictDeleteAt(d, i);
  }

  /**
   * PyDict_Merge with a dict source: every entry of src set in d, in src's
   * order (2.7: after one resize for all of them, as CPython does).
   */
  dictMerge(d: PyDict, src: PyDict): void {
    if (src === d || src.used === 0) return;
    this.rt.dictPresizeForMerge(d, src.used);
    for (const [k, v] of [...this.dictEntries(src)]) this.dictSet(d, k, v);
  }

  /**
   * Keyword arguments merged into d (dict(**kw), d.update(**kw)). 2.7 first
   * collects them in a dict of their own, popping them off the value stack
   * (last keyword first: update_keyword_args), and merges that dict, so they
   * land in its slot order.
   */
  dictMergeKeywords(d: PyDict, kw: ReadonlyMap<string, PyObject>): void {
    if (kw.size === 0) return;
    if (!this.py2) {
      for (const [key, v] of kw) this.dictSetStr(d, key, this.incref(v));
      return;
    }
    const tmp = this.rt.newDict();
    for (const [key, v] of [...kw].reverse()) this.dictSetStr(tmp, key, this.incref(v));
    try {
      this.dictMerge(d, tmp);
    } finally {
      this.decref(tmp);
    }
  }

  *dictEntries(d: PyDict): Generator<[PyObject, PyObject]> {
    for (let i = 0; i < d.nentries; i++) {
      const k = d.keyAt(i);
      if (k !== null) yield [k, d.valueAt(i)!];
    }
  }

  // ------------------------------------------------------------- hashing

  /** hash(o): CPython's value for the profile (see lib/heap/hash.ts). */
  hash(o: PyObject): PyHash {
    const type = o.ob_type as PyType;
    if (type.isHeapType) {
      const h = this.lookupType(type, '__hash__');
      if (h === this.rt.None) this.typeError(`unhashable type: '${type.tp_name}'`);
      if (h && !(h instanceof PyBuiltinFunction)) {
        const r = this.callMethodObj(h, o, []);
        try {
          if (!(r instanceof PyInt)) this.typeError('__hash__ method should return an integer');
          return this.userHashResult(r.v);
        } finally {
          this.decref(r);
        }
      }
      const eq = this.lookupType(type, '__eq__');
      if (eq && !(eq instanceof PyBuiltinFunction) && !this.py2) this.typeError(`unhashable type: '${type.tp_name}'`);
    }
    const py2 = this.py2;
    if (o instanceof PyStr) {
      // A 2.7 str holds one byte per char, a unicode its code points: both hash their units.
      if (o.hash === undefined) o.hash = py2 ? strHash27(codePoints(o.v)) : strHash311(o.v);
      return o.hash;
    }
    if (o instanceof PyInt) return py2 ? intHash27(o.v) : intHash311(o.v);
    if (o instanceof PyFloat) return py2 ? floatHash27(o.v) : floatHash311(o.v, () => pointerHash(o.id));
    if (o instanceof PyTuple) {
      if (o.hash === undefined) {
        const hs = o.items.map((x) => this.hash(x));
        o.hash = py2 ? tupleHash27(hs) : tupleHash311(hs);
      }
      return o.hash;
    }
    if (o instanceof PySet) {
      if (!this.isInstance(o, this.t.frozenset)) this.typeError(`unhashable type: '${type.tp_name}'`);
      if (o.hash === undefined) o.hash = py2 ? frozensetHash27(setHashes(o)) : frozensetHash311(setHashes(o));
      return o.hash;
    }
    if (o instanceof PyList || o instanceof PyDict || o instanceof PyByteArray) this.typeError(`unhashable type: '${type.tp_name}'`);
    if (o instanceof PyBytes) return (o.hash ??= py2 ? strHash27(o.v) : bytesHash311(o.v));
    if (o instanceof PyComplex) return complexHash(py2, o.real, o.imag, () => pointerHash(o.id));
    // object.__hash__: _Py_HashPointer of the address.
    return pointerHash(o.id);
  }

  /**
   * slot_tp_hash: what becomes of a Python __hash__ result. 3.11 keeps any
   * value that fits a Py_ssize_t and reduces larger ones as int hashes; 2.7
   * hashes it as an int/long. -1 becomes -2 either way.
   */
  private userHashResult(v: IntValue): PyHash {
    if (this.py2) return intHash27(v);
    const b = typeof v === 'bigint' ? v : null;
    if (b === null || (b >= -(2n ** 63n) && b < 2n ** 63n)) {
      const n = typeof v === 'number' ? v : Number(v);
      if (typeof v === 'number' || Number.isSafeInteger(n)) return n === -1 ? -2 : n;
      return v;
    }
    return intHash311(v);
  }

  // -------------------------------------------------------------- sets

  /** Key equality for set tables (identity already failed). */
  readonly setKeyEq = (stored: PyObject, key: PyObject): boolean => this.eq(stored, key);

  /** set.add(k): k borrowed; the table keeps its own reference when k is new. */
  setAdd(s: PySet, k: PyObject): void {
    const h = this.hash(k);
    if (setAddEntry(s, k, h, this.setKeyEq, this.py2, this.rt)) this.incref(k);
  }

  /** set_add_entry with a known hash (from another table). */
  setAddHashed(s: PySet, k: PyObject, h: PyHash): void {
    if (setAddEntry(s, k, h, this.setKeyEq, this.py2, this.rt)) this.incref(k);
  }

  /** Slot index of key k in the table, or -1. */
  setFind(s: PySet, k: PyObject, h: PyHash): number {
    return setLookup(s, k, h, this.setKeyEq, this.py2);
  }

  setDiscard(s: PySet, k: PyObject): boolean {
    return this.setDiscardHashed(s, k, this.hash(k));
  }

  setDiscardHashed(s: PySet, k: PyObject, h: PyHash): boolean {
    const old = setDiscardEntry(s, k, h, this.setKeyEq, this.py2);
    if (old === null) return false;
    this.decref(old);
    return true;
  }

  /** The keys in slot order (iteration order). */
  setItems(s: PySet): PyObject[] {
    return setKeys(s);
  }

  // ------------------------------------------------------- comparisons

  eq(a: PyObject, b: PyObject): boolean {
    if (a === b) return true;
    const r = this.richCompare(a, b, CmpCode.Eq);
    const t = this.truthy(r);
    this.decref(r);
    return t;
  }

  /** Rich comparison (new reference). */
  richCompare(a: PyObject, b: PyObject, op: CmpCode): PyObject {
    const fast = this.fastCompare(a, b, op);
    if (fast !== undefined) return this.bool(fast);
    const ta = a.ob_type as PyType;
    const tb = b.ob_type as PyType;
    // Reflected first when b's type is a subclass of a's.
    const trySide = (x: PyObject, y: PyObject, o: CmpCode): PyObject | null => {
      const tx = x.ob_type as PyType;
      if (!tx.isHeapType && !(x instanceof PyOldInstance)) return null;
      const m = x instanceof PyOldInstance ? this.classObjLookup(x.cls as PyClassObj, CMP_DUNDERS[o]) : this.lookupType(tx, CMP_DUNDERS[o]);
      if (!m || m instanceof PyBuiltinFunction) return null;
      const r = this.callMethodObj(m, x, [y]);
      if (r === this.rt.NotImplemented) {
        this.decref(r);
        return null;
      }
      return r;
    };
    if (tb !== ta && tb.isSubtypeOf(ta)) {
      const r = trySide(b, a, CMP_SWAPPED[op]);
      if (r) return r;
    }
    let r = trySide(a, b, op);
    if (r) return r;
    r = trySide(b, a, CMP_SWAPPED[op]);
    if (r) return r;
    if (this.py2) {
      // 2.7 falls back to a three-way __cmp__ before the default ordering.
      const c = this.cmp3way27(a, b);
      if (c !== null) return this.bool(cmpResult(c, op));
    }
    const builtin = this.builtinCompare(a, b, op);
    if (builtin !== undefined) return this.bool(builtin);
    if (op === CmpCode.Eq) return this.bool(a === b);
    if (op === CmpCode.NotEq) {
      // __ne__ defaults to the inverse of __eq__.
      const e = trySide(a, b, CmpCode.Eq) ?? trySide(b, a, CmpCode.Eq);
      if (e) {
        const t = this.truthy(e);
        this.decref(e);
        return this.bool(!t);
      }
      return this.bool(a !== b);
    }
    if (this.py2) return this.bool(py2Order(this, a, b, op));
    this.typeError(`'${CMP_SYMBOLS[op]}' not supported between instances of '${this.typeName(a)}' and '${this.typeName(b)}'`);
  }

  private fastCompare(a: PyObject, b: PyObject, op: CmpCode): boolean | undefined {
    let x: number | bigint | string;
    let y: number | bigint | string;
    if (a instanceof PyInt && b instanceof PyInt) {
      x = a.v;
      y = b.v;
    } else if ((a instanceof PyFloat || a instanceof PyInt) && (b instanceof PyFloat || b instanceof PyInt)) {
      x = Number(a.v);
      y = Number(b.v);
    } else if (a instanceof PyStr && b instanceof PyStr) {
      x = a.v;
      y = b.v;
      if (op === CmpCode.Eq) return x === y;
      if (op === CmpCode.NotEq) return x !== y;
      const ca = [...(x as string)];
      const cb = [...(y as string)];
      return cmpResult(compareCodepoints(ca, cb), op);
    } else return undefined;
    switch (op) {
      case CmpCode.Lt:
        return x < y;
      case CmpCode.LtE:
        return x <= y;
      case CmpCode.Eq:
        return x == y; // eslint-disable-line eqeqeq
      case CmpCode.NotEq:
        return x != y; // eslint-disable-line eqeqeq
      case CmpCode.Gt:
        return x > y;
      case CmpCode.GtE:
        return x >= y;
    }
  }

  /** Comparisons of built-in containers. */
  private builtinCompare(a: PyObject, b: PyObject, op: CmpCode): boolean | undefined {
    if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple && a.ob_type !== undefined)) {
      if (!(a instanceof PyList) !== !(b instanceof PyList)) return undefined;
      const x = (a as PyList).items;
      const y = (b as PyList).items;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (x[i] === y[i]) continue;
        if (!this.eq(x[i], y[i])) {
          if (op === CmpCode.Eq) return false;
          if (op === CmpCode.NotEq) return true;
          const r = this.richCompare(x[i], y[i], op);
          const t = this.truthy(r);
          this.decref(r);
          return t;
        }
      }
      return cmpResult(x.length - y.length, op);
    }
    if (a instanceof PyDict && b instanceof PyDict && (op === CmpCode.Eq || op === CmpCode.NotEq)) {
      let same = a.used === b.used;
      if (same) {
        for (const [k, v] of this.dictEntries(a)) {
          const w = this.dictGet(b, k);
          if (w === null || !this.eq(v, w)) {
            same = false;
            break;
          }
        }
      }
      return op === CmpCode.Eq ? same : !same;
    }
    if (a instanceof PySet && b instanceof PySet) {
      const sub = (x: PySet, y: PySet) => this.setItems(x).every((k) => this.setFind(y, k, this.hash(k)) >= 0);
      switch (op) {
        case CmpCode.Eq:
          return a.used === b.used && sub(a, b);
        case CmpCode.NotEq:
          return !(a.used === b.used && sub(a, b));
        case CmpCode.LtE:
          return sub(a, b);
        case CmpCode.Lt:
          return a.used < b.used && sub(a, b);
        case CmpCode.GtE:
          return sub(b, a);
        case CmpCode.Gt:
          return a.used > b.used && sub(b, a);
      }
    }
    const bx = this.bytesView(a);
    const by = bx && this.bytesView(b);
    if (bx && by) {
      const x = bx;
      const y = by;
      let c = 0;
      for (let i = 0; i < Math.min(x.length, y.length) && c === 0; i++) c = x[i] - y[i];
      if (c === 0) c = x.length - y.length;
      return cmpResult(c, op);
    }
    if (a === this.rt.None && b === this.rt.None) return cmpResult(0, op);
    if (a instanceof PyMethod && b instanceof PyMethod && (op === CmpCode.Eq || op === CmpCode.NotEq)) {
      const same = a.self === b.self && a.func === b.func;
      return op === CmpCode.Eq ? same : !same;
    }
    return undefined;
  }

  truthy(o: PyObject): boolean {
    if (o === this.rt.True) return true;
    if (o === this.rt.False || o === this.rt.None) return false;
    if (o instanceof PyInt) return o.v !== 0 && o.v !== 0n;
    if (o instanceof PyStr) return o.v.length > 0;
    if (o instanceof PyList || o instanceof PyTuple) {
      if (!(o.ob_type as PyType).isHeapType) return o.items.length > 0;
    }
    if (o instanceof PyDict && !(o.ob_type as PyType).isHeapType) return o.used > 0;
    if (o instanceof PyFloat) return o.v !== 0;
    const type = o.ob_type as PyType;
    if (type.isHeapType || o instanceof PyOldInstance) {
      const b = this.findDunder(o, this.py2 ? '__nonzero__' : '__bool__');
      if (b) {
        const r = this.callMethodObj(b, o, []);
        if (this.py2 && !(r instanceof PyInt)) {
          this.decref(r);
          this.typeError(`__nonzero__ should return bool or int, returned ${this.typeName(r)}`);
        }
        const t = r === this.rt.True || (r instanceof PyInt && r.v !== 0);
        this.decref(r);
        return t;
      }
      const l = this.findDunder(o, '__len__');
      if (l) {
        const r = this.callMethodObj(l, o, []);
        const t = r instanceof PyInt && r.v !== 0;
        this.decref(r);
        return t;
      }
    }
    if (o instanceof PySet) return o.used > 0;
    if (o instanceof PyDict) return o.used > 0;
    if (o instanceof PyList || o instanceof PyTuple) return o.items.length > 0;
    if (o instanceof PyBytes) return o.v.length > 0;
    if (o instanceof PyByteArray) return o.len > 0;
    if (o instanceof PyHolder) {
      try {
        return this.len(o) > 0;
      } catch (e) {
        if (!(e instanceof PyExc)) throw e;
        this.decref(e.exc);
        this.raising = Math.max(0, this.raising - 1);
        return true;
      }
    }
    if (o instanceof PyComplex) return o.real !== 0 || o.imag !== 0;
    return true;
  }

  /** A user-defined dunder method (borrowed), looked up on the type, or null. */
  findDunder(o: PyObject, name: string): PyObject | null {
    if (o instanceof PyOldInstance) return this.classObjLookup(o.cls as PyClassObj, name);
    const type = o.ob_type as PyType;
    if (!type.isHeapType) return null;
    const m = this.lookupType(type, name);
    if (m instanceof PyBuiltinFunction) return null;
    return m;
  }

  // ----------------------------------------------------------- calling

  /** Calls a method found on the type with `self` prepended (borrowed args; new ref). */
  callMethodObj(m: PyObject, self: PyObject, args: Args, kwnames: string[] | null = null): PyObject {
    if (m instanceof PyFunction) return this.callFunction(m, [self, ...args], kwnames);
    if (m instanceof PyBuiltinFunction && this.isUnboundMethod(m)) return (m.impl as NativeFn)(self, args, kwnames);
    if (m instanceof PyWrapper && m.ob_type === this.t.staticmethod) return this.call(m.callable!, args, kwnames);
    if (m instanceof PyWrapper && m.ob_type === this.t.classmethod) return this.call(m.callable!, [self.ob_type, ...args], kwnames);
    return this.call(m, [self, ...args], kwnames);
  }

  /** Calls `name` on o if the object has it (new ref), with borrowed args. */
  callMethod(o: PyObject, name: string, args: Args, kwnames: string[] | null = null): PyObject {
    const type = o.ob_type as PyType;
    if (!(o instanceof PyModule) && !(o instanceof PyType) && !(o instanceof PyOldInstance)) {
      const m = this.lookupType(type, name);
      if (m && (m instanceof PyFunction || (m instanceof PyBuiltinFunction && this.isUnboundMethod(m)))) {
        if (!(type.isHeapType && this.instanceAttr(o, name))) return this.callMethodObj(m, o, args, kwnames);
      }
    }
    const f = this.getattr(o, name);
    try {
      return this.call(f, args, kwnames);
    } finally {
      this.decref(f);
    }
  }

  /** Calls any callable with borrowed arguments; returns a new reference. */
  call(f: PyObject, args: Args, kwnames: string[] | null = null): PyObject {
    if (f instanceof PyFunction) {
      for (const a of args) a.ob_refcnt++;
      return this.callFunctionOwned(f, args, kwnames);
    }
    if (f instanceof PyBuiltinFunction) {
      if (this.isUnboundMethod(f)) {
        if (args.length === 0) this.typeError(`unbound method ${f.qualname}() needs an argument`);
        return (f.impl as NativeFn)(args[0], args.slice(1), kwnames);
      }
      return (f.impl as NativeFn)(f.self, args, kwnames);
    }
    if (f instanceof PyMethod) return f instanceof PyUnboundMethod27 ? this.callUnboundMethod27(f, args, kwnames) : this.call(f.func, [f.self, ...args], kwnames);
    if (f instanceof PyType) return this.callType(f, args, kwnames);
    if (f instanceof PyClassObj) return this.callClassObj(f, args, kwnames);
    const callMeth = this.findDunder(f, '__call__');
    if (callMeth) return this.callMethodObj(callMeth, f, args, kwnames);
    const native = this.nativeCall.get(f.ob_type as PyType);
    if (native) return native(f, args, kwnames);
    if (f instanceof PyWeakref && f.isProxy) {
      const target = this.proxyTarget(f);
      return this.call(target, args, kwnames);
    }
    if (f instanceof PyOldInstance) this.raise('AttributeError', `${(f.cls as PyClassObj).name} instance has no __call__ method`);
    this.typeError(`'${this.typeName(f)}' object is not callable`);
  }

  /** Calls on instances of built-in callable types (partial, lru_cache wrappers, ...). */
  readonly nativeCall = new Map<PyType, (self: PyObject, args: Args, kwnames: string[] | null) => PyObject>();

  proxyTarget(p: PyWeakref): PyObject {
    if (!p.referent) this.raise('ReferenceError', 'weakly-referenced object no longer exists');
    return p.referent;
  }

  callFunction(f: PyFunction, args: Args, kwnames: string[] | null): PyObject {
    for (const a of args) a.ob_refcnt++;
    return this.callFunctionOwned(f, args, kwnames);
  }

  /** Calls a Python function; the argument references are stolen. */
  callFunctionOwned(f: PyFunction, args: Args, kwnames: string[] | null): PyObject {
    const frame = this.makeFrame(f, args, kwnames);
    const u = (f.code as PyCode).body as CodeUnit;
    if (u.flags & CodeFlag.GENERATOR) return this.makeGenerator(f, frame);
    return this.runFrame(frame);
  }

  /** Creates the frame for a call, binding arguments (stolen references). */
  makeFrame(f: PyFunction, args: Args, kwnames: string[] | null): Frame {
    const code = f.code as PyCode;
    const u = code.body as CodeUnit;
    const rt = this.rt;
    this.incref(f);
    this.incref(code);
    this.incref(f.globals);
    this.incref(f.builtins);
    const frame = this.newFrame(f, code, u, this.unitInfo(u));
    try {
      this.bindArguments(f, u, frame.fast, args, kwnames);
    } catch (e) {
      frame.release(rt);
      throw e;
    }
    // Cells for cell variables (parameters that are cells move into theirs).
    const nv = u.varnames.length;
    for (let ci = 0; ci < u.cellvars.length; ci++) {
      let init: PyObject | null = null;
      for (const [pi, c] of u.cell2arg) {
        if (c === ci) {
          init = frame.fast[pi];
          frame.fast[pi] = null;
        }
      }
      frame.fast[nv + ci] = rt.newCell(init);
    }
    if (u.freevars.length) {
      const cl = (f.closure as PyTuple).items;
      for (let i = 0; i < u.freevars.length; i++) frame.fast[nv + u.cellvars.length + i] = this.incref(cl[i]);
    }
    return frame;
  }

  /**
   * A frame for a call of `f` (the caller has taken the references the
   * frame owns: f, code, globals, builtins), from the unit's free frames
   * when there is one. Its fast locals are all null.
   */
  private newFrame(f: PyFunction, code: PyCode, u: CodeUnit, info: UnitInfo): Frame {
    const frame = info.freeFrames.pop();
    if (frame === undefined) {
      const fresh = new Frame(f, code, f.globals, f.builtins, null, u.nlocalsplus, 16);
      fresh.extra = new FrameState(u, info);
      return fresh;
    }
    frame.func = f;
    frame.code = code;
    frame.globals = f.globals;
    frame.builtins = f.builtins;
    frame.back = null;
    frame.finished = false;
    return frame;
  }

  /**
   * Keeps a frame the dispatch loop is done with for the next call of its
   * unit (see UnitInfo.freeFrames) when nothing else refers to it: it
   * released its references itself (no frame object took them over), no
   * frame object was made for it later (a __del__ run by the release may
   * ask for one), and it is not a generator's.
   */
  private recycleFrame(frame: Frame): void {
    if (!frame.finished || frame.frameObj !== null || frame.gen !== null) return;
    const st = frame.extra as FrameState;
    const pool = st.info.freeFrames;
    if (pool.length >= FREE_FRAMES_PER_UNIT) return;
    // What release() and finishFrame left: reset the rest to a new frame's state.
    frame.locals = null;
    frame.sp = 0;
    frame.pc = 0;
    frame.lineno = 0;
    // frame.back stays: runFrame restores the current frame from it after this.
    st.kwnames = null;
    st.caller = undefined;
    st.initArgs = null;
    st.initBase = 0;
    pool.push(frame);
  }

  private unitInfos = new WeakMap<CodeUnit, UnitInfo>();

  /** The interpreter's data for a code unit (made on its first call). */
  private unitInfo(u: CodeUnit): UnitInfo {
    if (u.interpOwner === this) return u.interpData as UnitInfo;
    let info = this.unitInfos.get(u);
    if (info === undefined) {
      info = new UnitInfo(u);
      this.unitInfos.set(u, info);
      if (u.interpOwner === null) {
        u.interpOwner = this;
        u.interpData = info;
      }
    }
    return info;
  }

  /**
   * Whether a call of `f` with `n` positional arguments (and no keywords)
   * can use frameFromStack: plain positional parameters, enough arguments
   * with the defaults, not too many. Returns the unit's info, or null.
   */
  private movesArgs(f: PyFunction, n: number): UnitInfo | null {
    const u = (f.code as PyCode).body as CodeUnit;
    const info = this.unitInfo(u);
    if (!info.plainArgs || n > u.argcount) return null;
    if (n === u.argcount) return info;
    return f.defaults !== null && n >= u.argcount - (f.defaults as PyTuple).items.length ? info : null;
  }

  /**
   * The frame of a call that movesArgs accepted: `self` (an owned reference,
   * or null) and the `n` arguments at stack[from..] move into the fast
   * locals (the stack slots are cleared), missing ones take the defaults.
   * The same references as makeFrame, without the intermediate arrays.
   */
  private frameFromStack(f: PyFunction, info: UnitInfo, self: PyObject | null, stack: (PyObject | null)[], from: number, n: number, copy = false): Frame {
    const code = f.code as PyCode;
    const u = code.body as CodeUnit;
    f.ob_refcnt++;
    code.ob_refcnt++;
    f.globals.ob_refcnt++;
    f.builtins.ob_refcnt++;
    const frame = this.newFrame(f, code, u, info);
    const fast = frame.fast;
    let j = 0;
    if (self !== null) fast[j++] = self;
    if (copy) {
      // The stack keeps its references: the frame gets new ones (_PyEval_Vector).
      for (let i = from; i < from + n; i++) {
        const a = stack[i]!;
        a.ob_refcnt++;
        fast[j++] = a;
      }
    } else {
      for (let i = from; i < from + n; i++) {
        fast[j++] = stack[i];
        stack[i] = null;
      }
    }
    if (j < u.argcount) {
      const defaults = (f.defaults as PyTuple).items;
      const firstDefault = u.argcount - defaults.length;
      for (; j < u.argcount; j++) fast[j] = this.incref(defaults[j - firstDefault]);
    }
    return frame;
  }

  /** Fills a CALL cache for calls of class `t` (see CacheKind.INIT_PY / INIT_NONE). */
  private fillCallCache(ic: InlineCache, t: PyType): void {
    ic.type = t;
    ic.epoch = this.typeEpoch;
    ic.kind = CacheKind.NONE;
    ic.obj = null;
    if (t.layout !== 'instance' || !t.isHeapType) return;
    // A metaclass's own __call__ replaces type_call.
    const meta = t.ob_type as PyType;
    if (meta.isHeapType && !(this.lookupType(meta, '__call__') instanceof PyBuiltinFunction)) return;
    const newM = this.lookupType(t, '__new__');
    if (newM !== null && !(newM instanceof PyBuiltinFunction)) return;
    const init = this.lookupType(t, '__init__');
    if (init instanceof PyFunction) {
      ic.kind = CacheKind.INIT_PY;
      ic.obj = init;
    } else if (init !== null && init === this.methods.get(this.t.object)?.get('__init__') && this.tpNewIsObjectNew(t)) {
      ic.kind = CacheKind.INIT_NONE;
    }
  }

  /**
   * Fills a LOAD_ATTR (`store` false) or STORE_ATTR cache for instances of
   * `ty` with inline values: INSTANCE_VALUE when the generic path would read
   * or write the inline values for `name` (heap type, not a slot; loads: no
   * data descriptor on the type; stores: no property, no Python
   * __setattr__), NONE otherwise.
   */
  private fillAttrCache(ic: InlineCache, ty: PyType, name: string, store: boolean): void {
    ic.type = ty;
    ic.epoch = this.typeEpoch;
    ic.kind = CacheKind.NONE;
    ic.obj = null;
    ic.index = -1;
    if (!ty.isHeapType || (ty.slotNames !== null && ty.slotNames.includes(name))) return;
    const descr = this.lookupType(ty, name);
    if (store) {
      if (descr instanceof PyProperty) return;
      const sa = this.lookupType(ty, '__setattr__');
      if (sa !== null && !(sa instanceof PyBuiltinFunction)) return;
    } else if (descr instanceof PyProperty || descr instanceof PyGetSetDescriptor) return;
    ic.kind = CacheKind.INSTANCE_VALUE;
    ic.index = ty.sharedKeys.indexOf(name);
  }

  /** Fills a LOAD_METHOD cache for `o`'s type: METHOD when the generic path would push [method, self]. */
  private fillMethodCache(ic: InlineCache, o: PyObject, name: string): void {
    const type = o.ob_type as PyType;
    ic.type = type;
    ic.epoch = this.typeEpoch;
    ic.kind = CacheKind.NONE;
    ic.obj = null;
    ic.index = -1;
    // A super object resolves every name through its own getattr (super().__init__ is not object.__init__).
    if (o instanceof PyType || o instanceof PyModule || o instanceof PyOldInstance || type === this.superType) return;
    const m = this.lookupType(type, name);
    if (m !== null && (m instanceof PyFunction || (m instanceof PyBuiltinFunction && this.isUnboundMethod(m)))) {
      ic.kind = CacheKind.METHOD;
      ic.obj = m;
      ic.index = type.sharedKeys.indexOf(name);
    }
  }

  /** The inline value of `name` on `o` (borrowed), or null; `ic.index` remembers where the name is in the shared keys. */
  private inlineValue(o: PyInstance, ty: PyType, ic: InlineCache, name: string): PyObject | null {
    let i = ic.index;
    if (i < 0) {
      i = ty.sharedKeys.indexOf(name);
      if (i < 0) return null;
      ic.index = i;
    }
    const values = o.values!;
    return i < values.length ? values[i] : null;
  }

  /**
   * Entry index of str key `name` in `d`, or -1. A name instruction's cache
   * remembers the dict and entry where it found the name last time; the
   * entry still holds that name exactly when it has a key whose lookup token
   * is the name (the key's text in an all-str dict, `ts` otherwise; a
   * resize compacts the arrays, a deletion empties the entry), so the check
   * needs no dict version.
   */
  private cachedFind(ic: InlineCache, d: PyDict, name: string): number {
    const i = ic.index;
    if (ic.obj === d && i >= 0 && i < d.nentries) {
      const k = d.keyAt(i);
      if (k !== null && (d.ts === null ? (k as PyStr).v === name : d.ts[i] === name)) return i;
    }
    const j = this.rt.dictFind(d, name);
    if (j >= 0) {
      ic.obj = d;
      ic.index = j;
    }
    return j;
  }

  /**
   * LOAD_GLOBAL_MODULE / LOAD_GLOBAL_BUILTIN: the borrowed value of `name`
   * in the globals, else in the builtins, or null. A name found in the
   * builtins was missing from the globals: the cache remembers their entries
   * array (PyDict.kv) and its length then, and while both are the same the globals
   * still lack the name (a new key is appended to the array or comes with
   * a new one), so the lookup there is skipped.
   */
  private globalOrBuiltin(ic: InlineCache, globals: PyDict, builtins: PyDict, name: string): PyObject | null {
    // A 2.7 dict's new keys land inside its table: count insertions instead.
    const count = globals instanceof PyDict27 ? globals.inserts27 : globals.kv.length;
    if (ic.absentKeys !== globals.kv || ic.absentCount !== count) {
      const v = this.cachedGet(ic, globals, name);
      if (v !== null) return v;
      ic.absentKeys = globals.kv;
      ic.absentCount = count;
    }
    return this.cachedGet(ic, builtins, name);
  }

  /** Borrowed value of str key `name` in `d`, or null (see cachedFind). */
  private cachedGet(ic: InlineCache, d: PyDict, name: string): PyObject | null {
    const i = this.cachedFind(ic, d, name);
    return i >= 0 ? d.valueAt(i) : null;
  }

  /** The inline cache of instruction `i` of a unit (made on first use). */
  private cacheAt(info: UnitInfo, i: number): InlineCache {
    const caches = info.caches;
    let c = caches[i];
    if (c === null) c = caches[i] = new InlineCache();
    return c;
  }

  private bindArguments(f: PyFunction, u: CodeUnit, fast: (PyObject | null)[], args: Args, kwnames: string[] | null): void {
    const nkw = kwnames ? kwnames.length : 0;
    const npos = args.length - nkw;
    const argcount = u.argcount;
    const hasVarargs = (u.flags & CodeFlag.VARARGS) !== 0;
    const hasVarkw = (u.flags & CodeFlag.VARKEYWORDS) !== 0;
    // 2.7 messages name the code (co_name), count every argument given, and say "exactly/at least/at most".
    const fname = this.py2 ? (f.name as PyStr).v : (f.qualname as PyStr).v;
    const consumed: boolean[] = new Array(args.length).fill(false);
    if (this.py2 && argcount === 0 && !hasVarargs && !hasVarkw && args.length > 0) {
      this.releaseUnconsumed(args, consumed);
      this.typeError(`${fname}() takes no arguments (${args.length} given)`);
    }
    const n = Math.min(npos, argcount);
    for (let i = 0; i < n; i++) {
      fast[i] = args[i];
      consumed[i] = true;
    }
    const kwIndex = argcount + u.kwonlyargcount;
    let varkw: PyDict | null = null;
    if (hasVarkw) {
      varkw = this.rt.newDict();
      fast[kwIndex + (hasVarargs ? 1 : 0)] = varkw;
    }
    if (hasVarargs) {
      const extra = npos > argcount ? args.slice(argcount, npos) : [];
      for (let i = argcount; i < npos; i++) consumed[i] = true;
      fast[kwIndex] = this.rt.newTuple(extra);
    } else if (npos > argcount) {
      const given = npos;
      const defaults = f.defaults ? (f.defaults as PyTuple).items.length : 0;
      this.releaseUnconsumed(args, consumed);
      const takes = defaults ? `from ${argcount - defaults} to ${argcount}` : `${argcount}`;
      if (this.py2) this.typeError(`${fname}() takes ${defaults ? 'at most' : 'exactly'} ${argcount} argument${argcount === 1 ? '' : 's'} (${args.length} given)`);
      this.typeError(`${fname}() takes ${takes} positional argument${argcount === 1 && !defaults ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`);
    }
    for (let j = 0; j < nkw; j++) {
      const name = kwnames![j];
      const ai = npos + j;
      let idx = u.varnames.indexOf(name);
      if (idx < u.posonlyargcount || idx >= kwIndex) idx = -1;
      if (idx < 0) {
        if (varkw) {
          this.dictSetStr(varkw, name, args[ai]);
          consumed[ai] = true;
          continue;
        }
        this.releaseUnconsumed(args, consumed);
        this.typeError(`${fname}() got an unexpected keyword argument '${name}'`);
      }
      if (fast[idx] !== null) {
        this.releaseUnconsumed(args, consumed);
        this.typeError(`${fname}() got multiple values for ${this.py2 ? 'keyword ' : ''}argument '${name}'`);
      }
      fast[idx] = args[ai];
      consumed[ai] = true;
    }
    // Defaults for missing positional parameters.
    const defaults = f.defaults ? (f.defaults as PyTuple).items : [];
    const firstDefault = argcount - defaults.length;
    const missing: string[] = [];
    const given27 = this.py2 ? fast.slice(0, argcount).filter((x) => x !== null).length : 0;
    for (let i = 0; i < argcount; i++) {
      if (fast[i] === null) {
        if (i >= firstDefault) fast[i] = this.incref(defaults[i - firstDefault]);
        else missing.push(u.varnames[i]);
      }
    }
    if (missing.length) {
      if (this.py2) this.typeError(`${fname}() takes ${hasVarargs || defaults.length ? 'at least' : 'exactly'} ${firstDefault} argument${firstDefault === 1 ? '' : 's'} (${given27} given)`);
      this.typeError(`${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${joinNames(missing)}`);
    }
    const kwmissing: string[] = [];
    for (let i = argcount; i < kwIndex; i++) {
      if (fast[i] === null) {
        const kd = f.kwdefaults ? this.dictGetStr(f.kwdefaults as PyDict, u.varnames[i]) : null;
        if (kd) fast[i] = this.incref(kd);
        else kwmissing.push(u.varnames[i]);
      }
    }
    if (kwmissing.length) {
      this.typeError(`${fname}() missing ${kwmissing.length} required keyword-only argument${kwmissing.length > 1 ? 's' : ''}: ${joinNames(kwmissing)}`);
    }
  }

  private releaseUnconsumed(args: Args, consumed: boolean[]): void {
    for (let i = 0; i < args.length; i++) if (!consumed[i]) this.decref(args[i]);
  }

  private makeGenerator(f: PyFunction, frame: Frame): PyObject {
    const g = this.rt.newGenerator(this.t.generator, frame, this.incref(f.name as PyStr), this.incref(f.qualname as PyStr), frameSlots(f.code as PyCode));
    frame.gen = g;
    return g;
  }

  /**
   * Calls a type with borrowed vectorcall-style arguments. Built-in types
   * run their constructor. Classes have no vectorcall (3.11) and 2.7's
   * do_call packs the arguments too, so, as _PyObject_MakeTpCall does, the
   * positional arguments go into a tuple (from the tuple free list) and the
   * keywords into a dict, both alive until tp_call returns: that tuple is
   * why `sys.getrefcount(a)` in `__init__` is 5 for `C(a)`.
   */
  callType(t: PyType, args: Args, kwnames: string[] | null): PyObject {
    if (!t.isHeapType && t.ob_type === this.t.type) {
      if (t === this.t.type && args.length === 1 && !kwnames) return this.incref(args[0].ob_type);
      const ctor = this.constructors.get(t);
      if (ctor) return ctor(t, args, kwnames);
      if (this.isSubtypeOfException(t)) return this.newExceptionFromArgs(t, args, kwnames);
      this.typeError(`cannot create '${t.tp_name}' instances`);
    }
    const nkw = kwnames === null ? 0 : kwnames.length;
    const n = args.length - nkw;
    const tuple = this.argsTuple(args, 0, n);
    const kw = nkw > 0 ? this.kwargsDict(args, n, kwnames!) : null;
    try {
      return this.callClass(t, tuple, kw);
    } finally {
      this.decref(tuple);
      if (kw !== null) this.decref(kw);
    }
  }

  /** _PyTuple_FromArray: a new tuple of `n` borrowed arguments from `args[from]` (the empty tuple is shared). */
  argsTuple(args: (PyObject | null)[], from: number, n: number): PyTuple {
    const items = new Array<PyObject>(n);
    for (let i = 0; i < n; i++) {
      const a = args[from + i]!;
      a.ob_refcnt++;
      items[i] = a;
    }
    return this.rt.newTuple(items);
  }

  /** _PyStack_AsDict: the keyword arguments after the `n` positional ones, as a new dict. */
  private kwargsDict(args: Args, n: number, kwnames: string[]): PyDict {
    const d = this.rt.newDict(this.t.dict, kwnames.length);
    for (let i = 0; i < kwnames.length; i++) this.dictSetStr(d, kwnames[i], this.incref(args[n + i]));
    return d;
  }

  /** The keyword names and values of a kwargs dict (borrowed values). */
  private kwargsItems(kw: PyDict | null): [string[], PyObject[]] {
    const names: string[] = [];
    const values: PyObject[] = [];
    if (kw !== null) {
      for (const [k, v] of this.dictEntries(kw)) {
        if (!(k instanceof PyStr)) this.typeError('keywords must be strings');
        names.push(k.v);
        values.push(v);
      }
    }
    return [names, values];
  }

  /**
   * PyObject_Call(f, args, kw) with a tuple and a dict. A class gets them
   * as they are (tp_call); anything else is called vectorcall-style, through
   * _PyStack_UnpackDict when there are keywords.
   */
  callTupleDict(f: PyObject, args: PyTuple, kw: PyDict | null): PyObject {
    if (f instanceof PyType && (f.isHeapType || f.ob_type !== this.t.type)) return this.callClass(f, args, kw);
    if (kw === null || kw.used === 0) return this.call(f, args.items.slice(), null);
    return this.callUnpackDict(f, args.items.slice(), kw);
  }

  /**
   * A vectorcall with the keywords of a dict (_PyObject_VectorcallDictTstate):
   * _PyStack_UnpackDict copies the arguments and the keyword values into a
   * new PyMem block, each with a new reference, and makes the tuple of
   * keyword names; all three live until the call returns. `stack` is borrowed.
   */
  callUnpackDict(f: PyObject, stack: Args, kw: PyDict): PyObject {
    const rt = this.rt;
    const [names, values] = this.kwargsItems(kw);
    const all = stack.concat(values);
    const block = rt.mem.malloc((1 + all.length) * 8);
    const kwnamesTuple = rt.newTuple(names.map((s) => rt.intern(s)));
    for (const a of all) a.ob_refcnt++;
    try {
      return this.call(f, all, names);
    } finally {
      for (const a of all) this.decref(a);
      rt.mem.free(block);
      this.decref(kwnamesTuple);
    }
  }

  /**
   * _PyObject_Call_Prepend: calls `f` with `self` before the tuple's
   * arguments (borrowed, in a stack array), as slot_tp_init and slot_tp_new
   * call a Python `__init__` / `__new__` in 3.11.
   */
  private callPrepend(f: PyObject, self: PyObject, args: PyTuple, kw: PyDict | null): PyObject {
    const stack = [self, ...args.items];
    if (kw === null || kw.used === 0) return this.call(f, stack, null);
    return this.callUnpackDict(f, stack, kw);
  }

  /**
   * 2.7's calls of a special method with `self` prepended (slot_tp_new, and
   * instancemethod_call for the bound method slot_tp_init makes): a new
   * tuple holding `self` and the arguments, alive during the call.
   */
  private callWithPrependedTuple27(f: PyObject, self: PyObject, args: PyTuple, kw: PyDict | null): PyObject {
    const newargs = this.rt.newTuple([this.incref(self), ...args.items.map((a) => this.incref(a))]);
    let kwtuple: PyTuple | null = null;
    try {
      const [names, values] = this.kwargsItems(kw);
      if (names.length && f instanceof PyFunction) {
        // function_call copies the keywords into a tuple of (key, value) pairs.
        const pairs: PyObject[] = [];
        for (const [k, v] of this.dictEntries(kw!)) pairs.push(this.incref(k), this.incref(v));
        kwtuple = this.rt.newTuple(pairs);
      }
      return this.call(f, newargs.items.concat(values), names.length ? names : null);
    } finally {
      if (kwtuple !== null) this.decref(kwtuple);
      this.decref(newargs);
    }
  }

  /**
   * How slot_tp_init / slot_tp_call / slot_tp_new call the special method
   * `m` found on `type`: 3.11's lookup_method leaves a function unbound and
   * prepends `self`; other descriptors are bound first. 2.7 always binds (a
   * bound method object exists during the call).
   */
  private callSlot(m: PyObject, self: PyObject, type: PyType, args: PyTuple, kw: PyDict | null): PyObject {
    if (m instanceof PyFunction) {
      if (!this.py2) return this.callPrepend(m, self, args, kw);
      const bound = this.rt.newMethod(this.incref(m), this.incref(self));
      try {
        return this.callWithPrependedTuple27(m, self, args, kw);
      } finally {
        this.decref(bound);
      }
    }
    const bound = this.descrGet(m, self, type);
    try {
      return this.callTupleDict(bound, args, kw);
    } finally {
      this.decref(bound);
    }
  }

  /** tp_call of a class object: its metaclass's `__call__` (slot_tp_call), or type_call. */
  callClass(t: PyType, args: PyTuple, kw: PyDict | null): PyObject {
    const meta = t.ob_type as PyType;
    if (meta.isHeapType) {
      const call = this.lookupType(meta, '__call__');
      if (call !== null && !(call instanceof PyBuiltinFunction)) return this.callSlot(call, t, meta, args, kw);
    }
    return this.typeCall(t, args, kw);
  }

  /**
   * type_call: tp_new, then tp_init of the new object's type when it is an
   * instance of `t` (a `__new__` returning anything else skips `__init__`).
   */
  typeCall(t: PyType, args: PyTuple, kw: PyDict | null): PyObject {
    if (t === this.t.type && args.items.length === 1 && (kw === null || kw.used === 0)) return this.incref(args.items[0].ob_type);
    const obj = this.tpNew(t, args, kw);
    const type = obj.ob_type as PyType;
    if (!type.isSubtypeOf(t)) return obj;
    try {
      this.tpInit(type, obj, args, kw);
    } catch (e) {
      this.decref(obj);
      throw e;
    }
    return obj;
  }

  /** The first built-in type in a class's MRO: whose tp_new and layout it inherits. */
  solidBase(t: PyType): PyType {
    let b: PyType | null = t;
    while (b !== null && b.isHeapType) b = b.tp_base;
    return b ?? this.t.object;
  }

  /** The built-in type whose own `__new__` a built-in type inherits (tp_new is inherited). */
  newOwner(s: PyType): PyType {
    for (const m of s.mro) if (this.methods.get(m)?.has('__new__')) return m;
    return this.t.object;
  }

  /** Whether a class's tp_new is object_new (no `__new__` of its own, no built-in base but object). */
  private tpNewIsObjectNew(t: PyType): boolean {
    const m = this.lookupType(t, '__new__');
    return (m === null || m instanceof PyBuiltinFunction) && this.newOwner(this.solidBase(t)) === this.t.object;
  }

  /** Whether a class's tp_init is object_init. */
  private tpInitIsObjectInit(t: PyType): boolean {
    const m = this.lookupType(t, '__init__');
    return m === null || m === this.methods.get(this.t.object)?.get('__init__');
  }

  /** tp_new of a class: slot_tp_new for a Python `__new__`, else the built-in base's. */
  tpNew(t: PyType, args: PyTuple, kw: PyDict | null): PyObject {
    const newM = this.lookupType(t, '__new__');
    if (newM !== null && !(newM instanceof PyBuiltinFunction)) {
      // slot_tp_new: getattr(type, '__new__') (a staticmethod gives its function), type prepended.
      const fn = this.getattr(t, '__new__');
      try {
        return this.py2 ? this.callWithPrependedTuple27(fn, t, args, kw) : this.callPrepend(fn, t, args, kw);
      } finally {
        this.decref(fn);
      }
    }
    return this.builtinNew(this.newOwner(this.solidBase(t)), t, args, kw);
  }

  /** object_new's excess-arguments rule (3.11 and 2.7 differ in message and in when it applies). */
  private objectNewCheck(t: PyType, excess: boolean): void {
    if (!excess) return;
    const newIsObject = this.tpNewIsObjectNew(t);
    const initIsObject = this.tpInitIsObjectInit(t);
    if (this.py2) {
      if (!newIsObject && !initIsObject) return; // a DeprecationWarning, ignored by default
      if (!newIsObject || initIsObject) this.typeError('object() takes no parameters');
      return;
    }
    if (!newIsObject) this.typeError('object.__new__() takes exactly one argument (the type to instantiate)');
    if (initIsObject) this.typeError(`${t.tp_name}() takes no arguments`);
  }

  /** object_init's excess-arguments rule. */
  objectInitCheck(t: PyType, excess: boolean): void {
    if (!excess) return;
    const newIsObject = this.tpNewIsObjectNew(t);
    const initIsObject = this.tpInitIsObjectInit(t);
    if (this.py2) {
      if (!initIsObject && !newIsObject) return; // a DeprecationWarning, ignored by default
      if (!initIsObject || newIsObject) this.typeError('object.__init__() takes no parameters');
      return;
    }
    if (!initIsObject) this.typeError('object.__init__() takes exactly one argument (the instance to initialize)');
    if (newIsObject) this.typeError(`${t.tp_name}.__init__() takes exactly one argument (the instance to initialize)`);
  }

  /**
   * The tp_new of built-in type `s` for (a subclass) `t`: object_new checks
   * the arguments and allocates; exceptions keep the argument tuple as
   * `args`; other built-ins build through their constructor.
   */
  builtinNew(s: PyType, t: PyType, args: PyTuple, kw: PyDict | null): PyObject {
    if (s === this.t.type) return this.typeNew(t, args, kw);
    if (s === this.t.object) {
      this.objectNewCheck(t, args.items.length > 0 || (kw !== null && kw.used > 0));
      return t.layout === 'instance' ? this.rt.newInstance(t) : this.allocInstance(t, [], null);
    }
    if (t.layout === 'exception') return this.rt.newException(t, this.incref(args));
    const [names, values] = this.kwargsItems(kw);
    return this.allocInstance(t, args.items.concat(values), names.length ? names : null);
  }

  /** tp_init of a class: slot_tp_init for a Python `__init__`, else the built-in one. */
  private tpInit(type: PyType, obj: PyObject, args: PyTuple, kw: PyDict | null): void {
    const init = this.lookupType(type, '__init__');
    if (init === null) return;
    if (init instanceof PyBuiltinFunction) {
      if (init === this.methods.get(this.t.object)?.get('__init__')) {
        this.objectInitCheck(type, args.items.length > 0 || (kw !== null && kw.used > 0));
        return;
      }
      if (obj instanceof PyBaseException && init === this.methods.get(this.t.BaseException)?.get('__init__') && (kw === null || kw.used === 0)) {
        // BaseException_init keeps the call's argument tuple as `args`.
        const old = obj.args;
        obj.args = this.incref(args);
        this.decref(old);
        return;
      }
      const [names, values] = this.kwargsItems(kw);
      this.decref((init.impl as NativeFn)(obj, args.items.concat(values), names.length ? names : null));
      return;
    }
    const r = this.callSlot(init, obj, type, args, kw);
    if (r !== this.rt.None) {
      const name = this.typeName(r);
      this.decref(r);
      this.typeError(`__init__() should return None, not '${name}'`);
    }
    this.decref(r);
  }

  /** Constructors of built-in types: `int(...)`, `list(...)`, ... (also used for subclasses). */
  readonly constructors = new Map<PyType, (t: PyType, args: Args, kwnames: string[] | null) => PyObject>();

  isSubtypeOfException(t: PyType): boolean {
    return t.isSubtypeOf(this.t.BaseException);
  }

  newExceptionFromArgs(t: PyType, args: Args, kwnames: string[] | null): PyObject {
    const n = args.length - (kwnames ? kwnames.length : 0);
    const e = this.rt.newException(t, this.rt.newTuple(args.slice(0, n).map((a) => this.incref(a))));
    return e;
  }

  /** A class's instance without running any `__init__`: the built-in base's allocation (copy, enum members). */
  allocInstance(t: PyType, args: Args, kwnames: string[] | null): PyObject {
    const rt = this.rt;
    switch (t.layout) {
      case 'instance':
        return rt.newInstance(t);
      case 'list':
        return rt.newList([], 0, t);
      case 'dict':
        return rt.newDict(t, 0, this.py2 && this.t.OrderedDict !== undefined && t.isSubtypeOf(this.t.OrderedDict));
      case 'set':
        return rt.newSet(false, t);
      case 'exception':
        return this.newExceptionFromArgs(t, args, kwnames);
      default: {
        // Immutable built-ins (int, str, tuple, frozenset): build via the base constructor.
        const base = this.solidBase(t);
        const ctor = this.constructors.get(base);
        if (ctor) return ctor(t, args, kwnames);
        return rt.newInstance(t);
      }
    }
  }

  private callClassObj(c: PyClassObj, args: Args, kwnames: string[] | null): PyObject {
    const inst = this.rt.newOldInstance(this.incref(c), this.rt.newDict());
    const init = this.classObjLookup(c, '__init__');
    if (init) {
      try {
        this.decref(this.callMethodObj(init, inst, args, kwnames));
      } catch (e) {
        this.decref(inst);
        throw e;
      }
    } else if (args.length) {
      this.decref(inst);
      this.typeError('this constructor takes no arguments');
    }
    return inst;
  }

  // ----------------------------------------------------------- finalizers

  private callFinalizer(o: PyObject): void {
    if (o instanceof PyGenerator) {
      // _PyGen_Finalize: close a suspended generator (runs its finally blocks).
      if (o.done || !o.started) return;
      const savedRaising = this.raising;
      this.raising = 0;
      try {
        this.genClose(o);
      } catch (e) {
        if (!(e instanceof PyExc)) throw e;
        this.reportUnraisable(e, `Exception ignored in: ${this.reprString(o)}\n`);
      } finally {
        this.raising = savedRaising;
      }
      return;
    }
    const del = this.findDunder(o, '__del__');
    if (!del) return;
    const savedExc = this.excInfo;
    const savedRaising = this.raising;
    this.raising = 0;
    try {
      this.decref(this.callMethodObj(del, o, []));
    } catch (e) {
      if (!(e instanceof PyExc)) throw e;
      if (this.py2) this.reportUnraisable27(e, () => `<bound method ${o instanceof PyOldInstance ? (o.cls as PyClassObj).name : this.typeName(o)}.${del instanceof PyFunction ? (del.name as PyStr).v : '__del__'} of ${this.reprString(o)}>`);
      else this.reportUnraisable(e, `Exception ignored in: ${this.reprString(del)}\n`);
    } finally {
      this.excInfo = savedExc;
      this.raising = savedRaising;
    }
  }

  private callWeakrefCallback(wr: PyWeakref): void {
    const cb = wr.callback;
    if (!cb) return;
    const savedRaising = this.raising;
    this.raising = 0;
    try {
      this.decref(this.call(cb, [wr]));
    } catch (e) {
      if (!(e instanceof PyExc)) throw e;
      if (this.py2) this.reportUnraisable27(e, () => this.reprString(cb));
      else this.reportUnraisable(e, `Exception ignored in: ${this.reprString(cb)}\n`);
    } finally {
      this.raising = savedRaising;
    }
  }

  private invokeGcCallbacks(phase: 'start' | 'stop', gen: number, collected: number, uncollectable: number): void {
    const cbs = this.gcCallbacks;
    if (!cbs || cbs.items.length === 0) return;
    const info = this.rt.newDict();
    this.dictSetStr(info, 'generation', this.int(gen));
    this.dictSetStr(info, 'collected', this.int(collected));
    this.dictSetStr(info, 'uncollectable', this.int(uncollectable));
    const ph = this.str(phase);
    const list = cbs.items.slice();
    for (const cb of list) this.incref(cb);
    try {
      for (const cb of list) {
        try {
          this.decref(this.call(cb, [ph, info]));
        } catch (e) {
          if (!(e instanceof PyExc)) throw e;
          this.reportUnraisable(e, `Exception ignored in: ${this.reprString(cb)}\n`);
        }
      }
    } finally {
      for (const cb of list) this.decref(cb);
      this.decref(ph);
      this.decref(info);
    }
  }

  /**
   * 2.7 PyErr_WriteUnraisable: `Exception T: VALUE in OBJ ignored`. VALUE is the
   * exception's repr once normalized (raised by a raise statement or seen by an
   * except clause), else the raw value C code set: the message, or the key tuple.
   */
  reportUnraisable27(e: PyExc, objRepr: () => string): void {
    const exc = e.exc;
    const ty = exc.ob_type as PyType;
    const mod = ty.moduleName && ty.moduleName !== 'builtins' && ty.moduleName !== 'exceptions' ? `${ty.moduleName}.` : '';
    let text = `Exception ${mod}${ty.tp_name.slice(ty.tp_name.lastIndexOf('.') + 1)}`;
    try {
      const args = (exc.args as PyTuple).items;
      if (!this.unnormalized.has(exc)) text += `: ${this.reprString(exc)}`;
      else if (ty === this.exc.KeyError || args.length > 1) text += `: ${this.reprString(exc.args)}`;
      else if (args.length === 1) text += `: ${this.reprString(args[0])}`;
      text += ` in ${objRepr()} ignored\n`;
    } catch (err) {
      if (!(err instanceof PyExc)) throw err;
      this.decref(err.exc);
      text += ' ignored\n';
    }
    this.writeSysStderr(text, true);
    this.decref(exc);
  }

  /** Prints an exception that cannot propagate ("Exception ignored in: ..."). */
  reportUnraisable(e: PyExc, header: string): void {
    let text = header;
    try {
      // CPython's unraisable hook prints the traceback and the exception,
      // never its __cause__ or __context__.
      text += this.formatException(e.exc, false);
    } catch {
      text += `${this.typeName(e.exc)}\n`;
    }
    this.writeSysStderr(text, true);
    this.decref(e.exc);
  }

  private gcDebugRepr(o: PyObject): string {
    const addr = `0x${o.id.toString(16).padStart(12, '0')}`;
    if (o instanceof PyOldInstance) return `${(o.cls as PyClassObj).name} instance at ${addr}`;
    return `${this.typeName(o)} ${addr}`;
  }

  // ============================================================ repr / str

  /** repr(o) as a JS string. */
  reprString(o: PyObject): string {
    const r = this.repr(o);
    const s = (r as PyStr).v;
    this.decref(r);
    return s;
  }

  repr(o: PyObject): PyObject {
    // PyObject_Repr counts against the recursion limit (deeply nested
    // containers): a catchable RecursionError, not a JavaScript stack overflow.
    if (this.depth >= this.recursionLimit) this.raise('RecursionError', 'maximum recursion depth exceeded while getting the repr of an object');
    this.depth++;
    try {
      const m = this.findDunder(o, '__repr__');
      if (m) {
        const r = this.callMethodObj(m, o, []);
        if (!(r instanceof PyStr)) {
          this.decref(r);
          this.typeError(`__repr__ returned non-string (type ${this.typeName(r)})`);
        }
        return r;
      }
      return this.str(this.builtinRepr(o));
    } finally {
      this.depth--;
    }
  }

  strString(o: PyObject): string {
    if (o instanceof PyStr) return o.v;
    const r = this.toStr(o);
    const s = (r as PyStr).v;
    this.decref(r);
    return s;
  }

  toStr(o: PyObject): PyObject {
    if (o instanceof PyStr && o.ob_type === this.t.str) return this.incref(o);
    const m = this.findDunder(o, '__str__');
    if (m) {
      const r = this.callMethodObj(m, o, []);
      if (!(r instanceof PyStr)) {
        this.decref(r);
        this.typeError(`__str__ returned non-string (type ${this.typeName(r)})`);
      }
      return r;
    }
    if (o instanceof PyFloat && this.py2) return this.str(floatStr27(o.v));
    if (this.py2 && o instanceof PyByteArray) return this.str(latin1(o.v));
    if (this.py2 && o instanceof PyInt && o.ob_type === this.t.long) return this.str(typeof o.v === 'number' ? String(o.v) : intStr(o.v));
    if (o instanceof PyClassObj) {
      // class_str: module.name
      const mod = this.dictGetStr(o.dict as PyDict, '__module__');
      return this.str(mod instanceof PyStr ? `${mod.v}.${o.name}` : o.name);
    }
    if (o instanceof PyBaseException) return this.str(this.excStr(o));
    if (o instanceof PyStr) return this.str(o.v);
    return this.repr(o);
  }

  excStr(e: PyBaseException): string {
    const args = (e.args as PyTuple).items;
    if ((e.ob_type as PyType).isSubtypeOf(this.exc.OSError) && args.length >= 2 && args[0] instanceof PyInt) {
      const base = `[Errno ${args[0].v}] ${this.strString(args[1])}`;
      return args.length >= 3 && args[2] !== this.rt.None ? `${base}: ${this.reprString(args[2])}` : base;
    }
    if (e.ob_type === this.exc.KeyError && args.length === 1) return this.reprString(args[0]);
    if (args.length === 0) return '';
    if (args.length === 1) return this.strString(args[0]);
    return this.reprString(e.args);
  }

  /** The thread state's dict (PyThreadState_GetDict), made on first use. */
  private tstateDict: PyDict | null = null;

  /**
   * Py_ReprEnter: true when `o` is already being repr'ed (a recursive
   * container). Like CPython, the objects being repr'ed sit in a list under
   * the thread state dict's 'Py_Repr' key — both are real GC objects made on
   * the first container repr, which gc.get_objects() and objgraph can see.
   */
  reprEnter(o: PyObject): boolean {
    const rt = this.rt;
    if (this.tstateDict === null) this.tstateDict = rt.newDict();
    let list = this.dictGetStr(this.tstateDict, 'Py_Repr') as PyList | null;
    if (!list) {
      list = rt.newList([]);
      this.dictSetStr(this.tstateDict, 'Py_Repr', list);
    }
    for (let i = list.items.length - 1; i >= 0; i--) if (list.items[i] === o) return true;
    rt.listAppend(list, o);
    return false;
  }

  /** Py_ReprLeave: takes `o` off the 'Py_Repr' list (the last occurrence). */
  reprLeave(o: PyObject): void {
    const list = this.tstateDict && (this.dictGetStr(this.tstateDict, 'Py_Repr') as PyList | null);
    if (!list) return;
    for (let i = list.items.length - 1; i >= 0; i--) {
      if (list.items[i] === o) {
        list.items.splice(i, 1);
        this.rt.listResize(list, list.items.length);
        this.decref(o);
        return;
      }
    }
  }

  builtinRepr(o: PyObject): string {
    const rt = this.rt;
    if (o instanceof PyStr) return this.py2 && o.ob_type === this.t.str ? strRepr27(o.v) : this.py2 ? unicodeRepr27(o.v) : strRepr(o.v);
    if (o instanceof PyInt) {
      if (o.ob_type === this.t.bool || o === rt.True || o === rt.False) return o.v ? 'True' : 'False';
      if (this.py2 && o.ob_type === this.t.long) return `${typeof o.v === 'number' ? String(o.v) : intStr(o.v)}L`;
      return typeof o.v === 'number' ? String(o.v) : intStr(o.v);
    }
    if (o instanceof PyFloat) return floatRepr(o.v);
    if (o === rt.None) return 'None';
    if (o === rt.NotImplemented) return 'NotImplemented';
    if (o === rt.Ellipsis) return 'Ellipsis';
    if (o instanceof PyComplex) return complexRepr(o);
    if (o instanceof PyBytes) return bytesRepr(o.v);
    const addr = `0x${o.id.toString(16).padStart(12, '0')}`;
    if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict || o instanceof PySet) {
      // Empty lists (3.11) and tuples answer before Py_ReprEnter; dicts and sets after.
      if (o instanceof PyTuple && o.items.length === 0) return '()';
      if (o instanceof PyList && o.items.length === 0 && !this.py2) return '[]';
      if (this.reprEnter(o)) {
        return o instanceof PyList ? '[...]' : o instanceof PyDict ? '{...}' : `${this.typeName(o)}(...)`;
      }
      try {
        if (o instanceof PyList) return `[${o.items.slice().map((x) => this.reprString(x)).join(', ')}]`;
        if (o instanceof PyTuple) {
          const parts = o.items.map((x) => this.reprString(x));
          return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
        }
        if (o instanceof PyDict) {
          const parts: string[] = [];
          for (const [k, v] of this.dictEntries(o)) parts.push(`${this.reprString(k)}: ${this.reprString(v)}`);
          const inner = `{${parts.join(', ')}}`;
          if (o.ob_type === this.t.dict) return inner;
          if (this.t.defaultdict && o.ob_type === this.t.defaultdict) {
            const df = (o as unknown as { defaultFactory: PyObject | null }).defaultFactory;
            return `defaultdict(${df ? this.reprString(df) : 'None'}, ${inner})`;
          }
          if (this.t.OrderedDict && o.ob_type === this.t.OrderedDict) {
            const items: string[] = [];
            for (const [k, v] of this.dictEntries(o)) items.push(`(${this.reprString(k)}, ${this.reprString(v)})`);
            return items.length ? `OrderedDict([${items.join(', ')}])` : 'OrderedDict()';
          }
          return inner;
        }
        const items = this.setItems(o as PySet).map((x) => this.reprString(x));
        const name = this.typeName(o);
        // 2.7's set_repr is always the repr of a list, even an empty one.
        if (this.py2) return `${name}([${items.join(', ')}])`;
        if (items.length === 0) return `${name}()`;
        return o.ob_type === this.t.set ? `{${items.join(', ')}}` : `${name}({${items.join(', ')}})`;
      } finally {
        this.reprLeave(o);
      }
    }
    if (o instanceof PyType) {
      const mod = o.moduleName;
      const kw = this.py2 && !o.isHeapType ? 'type' : this.py2 ? 'class' : 'class';
      if (!mod || mod === 'builtins') return `<${kw} '${this.py2 && o.tp_name === 'str' ? 'str' : o.tp_name}'>`;
      return `<${kw} '${mod}.${o.qualname}'>`;
    }
    if (o instanceof PyClassObj) {
      const mod = this.dictGetStr(o.dict as PyDict, '__module__');
      return `<class ${mod ? this.strString(mod) + '.' : ''}${o.name} at ${addr}>`;
    }
    if (o instanceof PyFunction) return `<function ${((this.py2 ? o.name : o.qualname) as PyStr).v} at ${addr}>`;
    if (o instanceof PyMethod) {
      if (this.py2) return methodRepr27(this, o);
      const fn = o.func;
      const q = fn instanceof PyFunction ? (fn.qualname as PyStr).v : '?';
      return `<bound method ${q} of ${this.reprString(o.self)}>`;
    }
    if (o instanceof PyBuiltinFunction) {
      if (o.self && !(o.self instanceof PyModule)) return `<built-in method ${o.name} of ${this.typeName(o.self)} object at 0x${o.self.id.toString(16).padStart(12, '0')}>`;
      return `<built-in function ${o.name}>`;
    }
    if (o instanceof PyModule) return o.name === 'builtins' || this.nativeModuleNames.has(o.name) ? `<module '${o.name}' (built-in)>` : `<module '${o.name}'>`;
    if (o instanceof PyCell) {
      return o.ref ? `<cell at ${addr}: ${this.typeName(o.ref)} object at 0x${o.ref.id.toString(16).padStart(12, '0')}>` : `<cell at ${addr}: empty>`;
    }
    if (o instanceof PyWeakref) {
      const r = o.referent;
      if (o.isProxy) return `<weakproxy at ${addr}; to '${r ? this.typeName(r) : 'NoneType'}' at 0x${(r ? r.id : 0).toString(16).padStart(12, '0')}>`;
      if (!r) return `<weakref at ${addr}; dead>`;
      return `<weakref at ${addr}; to '${this.typeName(r)}' at 0x${r.id.toString(16).padStart(12, '0')}>`;
    }
    if (o instanceof PyBaseException) {
      const args = (o.args as PyTuple).items;
      const inner = args.length === 1 ? this.reprString(args[0]) + (this.py2 ? ',' : '') : args.map((a) => this.reprString(a)).join(', ');
      return `${this.typeName(o)}(${inner})`;
    }
    if (o instanceof PyGenerator) return `<generator object ${(o.qualname as PyStr).v} at ${addr}>`;
    if (o instanceof PyGetSetDescriptor) return `<attribute '${o.name}' of '${(o.owner as PyType).tp_name}' objects>`;
    if (o instanceof PyCode) return `<code object ${o.name} at ${addr}, file "${o.filename}", line ${o.firstlineno}>`;
    if (o instanceof PyFrameObject) return `<frame at ${addr}, file '${(o.frame.code as PyCode).filename}', line ${o.frame.lineno}, code ${(o.frame.code as PyCode).name}>`;
    if (o instanceof PyOldInstance) {
      const mod = this.dictGetStr((o.cls as PyClassObj).dict as PyDict, '__module__');
      return `<${mod ? this.strString(mod) + '.' : ''}${(o.cls as PyClassObj).name} instance at ${addr}>`;
    }
    const nr = this.nativeRepr.get(o.ob_type as PyType);
    if (nr) return nr(o);
    const type = o.ob_type as PyType;
    const modName = type.moduleName && type.moduleName !== 'builtins' ? `${type.moduleName}.` : '';
    return `<${modName}${type.qualname} object at ${addr}>`;
  }

  readonly nativeRepr = new Map<PyType, (o: PyObject) => string>();
  readonly nativeIter = new Map<PyType, (o: PyObject) => PyObject>();
  readonly nativeNext = new Map<PyType, (o: PyObject) => PyObject | null>();
  readonly nativeGetitem = new Map<PyType, (o: PyObject, k: PyObject) => PyObject>();
  readonly nativeSetitem = new Map<PyType, (o: PyObject, k: PyObject, v: PyObject) => void>();
  readonly nativeDelitem = new Map<PyType, (o: PyObject, k: PyObject) => void>();
  readonly nativeContains = new Map<PyType, (o: PyObject, k: PyObject) => boolean>();
  readonly nativeModuleNames = new Set<string>(['sys', 'gc', 'builtins', 'time', 'weakref', '_weakref', 'itertools', 'functools', 'collections', 'io', 'math', 'os', 'objgraph', 'refscope']);

  // =============================================================== tracebacks

  /** Text of `Traceback (most recent call last): ... Type: msg` for an exception. */
  formatException(e: PyBaseException, chain = true): string {
    let out = '';
    const cause = chain ? e.cause : null;
    const ctx = chain ? e.context : null;
    if (cause && cause instanceof PyBaseException) {
      out += this.formatException(cause);
      out += '\nThe above exception was the direct cause of the following exception:\n\n';
    } else if (ctx && ctx instanceof PyBaseException && !e.suppressContext && !this.py2) {
      out += this.formatException(ctx);
      out += '\nDuring handling of the above exception, another exception occurred:\n\n';
    }
    if (e.traceback) {
      out += 'Traceback (most recent call last):\n';
      for (let tb = e.traceback as PyTraceback | null; tb; tb = tb.next as PyTraceback | null) {
        const fr = (tb.frame as PyFrameObject).frame;
        const code = fr.code as PyCode;
        out += `  File "${code.filename}", line ${tb.lineno}, in ${code.name}\n`;
        const line = this.sourceLine(code.filename, tb.lineno);
        if (line) {
          out += `    ${line}\n`;
          if (!this.py2) {
            const loc = (code.body as CodeUnit).locs?.[tb.lasti] ?? null;
            const carets = loc ? caretLine(this.sources.get(code.filename)![tb.lineno - 1], loc, tb.lineno) : null;
            if (carets) out += `    ${carets}\n`;
            // 3.11 underlines a function's RESUME with nothing: an empty caret line.
            else if (tb.lasti < 0 && !(code.body as CodeUnit).isModule) out += '    \n';
          }
        }
      }
    }
    // A SyntaxError from compile()/exec()/eval() ends with CPython's quoted
    // source line and caret instead of the plain "Type: msg" line.
    const detail = this.syntaxErrorDetail.get(e);
    out += detail ? formatSyntaxError(detail, this.py2 ? '2.7' : '3.11') : this.excOnlyLine(e);
    return out;
  }

  /** Where a SyntaxError raised by compile()/exec()/eval() points (for the traceback). */
  readonly syntaxErrorDetail = new WeakMap<PyBaseException, PySyntaxError>();
  raiseSyntaxError(d: PySyntaxError): never {
    const exc = this.newExc(this.exc[d.type] ?? this.exc.SyntaxError, `${d.msg} (${d.filename}, line ${d.lineno})`);
    this.syntaxErrorDetail.set(exc as PyBaseException, d);
    throw new PyExc(exc as PyBaseException);
  }

  excOnlyLine(e: PyBaseException): string {
    const type = e.ob_type as PyType;
    const name = type.moduleName && type.moduleName !== 'builtins' && type.moduleName !== 'exceptions' && (this.py2 || type.moduleName !== '__main__') ? `${type.moduleName}.${this.py2 ? type.tp_name : type.qualname}` : type.tp_name;
    let msg: string;
    try {
      msg = this.strString(e);
    } catch (err) {
      if (!(err instanceof PyExc)) throw err;
      this.decref(err.exc);
      msg = '<exception str() failed>';
    }
    return msg ? `${name}: ${msg}\n` : `${name}\n`;
  }

  /** Source files by name, for traceback lines. */
  readonly sources = new Map<string, string[]>();
  sourceLine(filename: string, lineno: number): string {
    const lines = this.sources.get(filename);
    if (!lines) return '';
    return (lines[lineno - 1] ?? '').trim();
  }

  /** Adds a traceback entry for `frame` to the exception (PyTraceBack_Here). */
  addTraceback(e: PyBaseException, frame: Frame): void {
    const fo = this.frameObject(frame);
    this.incref(fo);
    const tb = this.rt.newTraceback(e.traceback, fo, frame.lineno);
    tb.lasti = frame.pc - 1;
    e.traceback = tb;
  }

  // ======================================================== code objects

  /** Materialises a code unit into a PyCode with its constants (cached per compilation). */
  makeCode(u: CodeUnit): PyCode {
    const consts = u.consts.map((c) => this.constObject(c));
    const code = this.rt.newCode(consts, u.name, u.qualname, u.filename, u.firstlineno, u);
    code.names = [this.rt.intern(u.name), this.rt.intern(u.qualname)];
    return code;
  }

  private codeCache = new Map<CodeUnit, PyCode>();

  /** New reference to the Python object for a constant (shared within a run, like CPython's merged constants). */
  constObject(c: Const): PyObject {
    const rt = this.rt;
    switch (c.k) {
      case 'None':
        return this.none();
      case 'Ellipsis':
        return this.incref(rt.Ellipsis);
      case 'bool':
        return this.bool(c.v);
      case 'str':
        if (c.py2unicode) break; // a 2.7 unicode literal
        if (/^[A-Za-z0-9_]*$/.test(c.v)) return rt.intern(c.v, true);
        if (c.v.length <= 1) return rt.newStr(c.v);
        break;
      case 'code': {
        let code = this.codeCache.get(c.unit);
        if (!code) {
          code = this.makeCode(c.unit);
          this.codeCache.set(c.unit, code);
          return code;
        }
        return this.incref(code);
      }
      default:
        break;
    }
    const key = constKey(c);
    const cached = this.constCache.get(key);
    if (cached) return this.incref(cached);
    let o: PyObject;
    switch (c.k) {
      case 'int':
        if (this.py2 && (c.py2long || c.v > 9223372036854775807n || c.v < -9223372036854775808n)) {
          o = rt.newLong(c.v >= -9007199254740991n && c.v <= 9007199254740991n ? Number(c.v) : c.v);
          break;
        }
        o = rt.newInt(c.v >= -9007199254740991n && c.v <= 9007199254740991n ? Number(c.v) : c.v);
        break;
      case 'float':
        o = rt.newFloat(c.v);
        break;
      case 'complex':
        o = rt.newComplex(0, c.imag);
        break;
      case 'str':
        o = c.py2unicode ? rt.newUnicode(c.v) : rt.newStr(c.v);
        break;
      case 'bytes':
        o = rt.newBytes(c.v);
        break;
      case 'tuple':
        o = rt.newTuple(c.items.map((x) => this.constObject(x)));
        break;
      case 'frozenset': {
        let s = rt.newSet(true);
        for (const x of c.items) {
          const v = this.constObject(x);
          this.setAdd(s, v);
          this.decref(v);
        }
        if (!this.py2) {
          // 3.11's compiler merges constants (merge_consts_recursive): it
          // rebuilds each frozenset constant from the first one's items in
          // their table order, which can change the layout.
          const first = s;
          s = rt.newSet(true);
          for (const v of setKeys(first)) this.setAdd(s, v);
          this.decref(first);
        }
        o = s;
        break;
      }
      default:
        throw new Error('unreachable constant kind');
    }
    // The compilation's constant table keeps one reference.
    this.constCache.set(key, o);
    return this.incref(o);
  }

  // ============================================================== the loop

  /** Runs a frame to completion (return or exception) and returns its result. */
  runFrame(frame: Frame): PyObject {
    if (this.depth >= this.recursionLimit) {
      frame.release(this.rt);
      this.raise('RecursionError', 'maximum recursion depth exceeded');
    }
    this.depth++;
    frame.back = this.frame;
    this.frame = frame;
    try {
      return this.execute(frame);
    } finally {
      this.frame = frame.back;
      this.depth--;
    }
  }

  /** Runs a frame (and the frames it calls) until it returns or yields. */
  execute(frame: Frame): PyObject {
    return this.dispatch(frame);
  }

  /** Finds a handler in the frame for the exception; false when the frame must be left. */
  private handleException(frame: Frame, err: PyExc): boolean {
    const st = frame.extra as FrameState;
    const e = err.exc;
    // An exception raised by native code (a builtin, an operator, a
    // conversion) reaches a frame for the first time with no traceback: chain
    // the exception being handled now, as CPython's _PyErr_SetObject does at
    // the raise (the handled exception is still the same here).
    // Native code that chains explicitly (RuntimeError from StopIteration)
    // has set the context already: keep it.
    if (e.traceback === null && !e.context) this.setContext(e);
    if (!(e as unknown as { tbAdded?: Frame }).tbAdded || (e as unknown as { tbAdded?: Frame }).tbAdded !== frame) {
      this.addTraceback(e, frame);
      (e as unknown as { tbAdded?: Frame }).tbAdded = frame;
    }
    while (st.blocks.length) {
      const b = st.blocks.pop()!;
      // Unwind the value stack to the block's level.
      while (frame.sp > b.level) {
        const o = frame.stack[--frame.sp];
        frame.stack[frame.sp] = null;
        if (o) this.decref(o);
      }
      if (b.isHandler) {
        // Leaving an active except handler: restore the exception it replaced.
        const cur = this.excInfo;
        this.excInfo = b.prevExc;
        this.xdecref(cur);
        continue;
      }
      // Enter the handler: push an except-handler block, then the exception.
      if (this.py2) {
        // 2.7 set_exc_info: the frame saves the exception state it replaces
        // once; later handlers in the same frame just replace the current one.
        if (st.excSaved27 === undefined) st.excSaved27 = this.excInfo;
        else this.xdecref(this.excInfo);
        this.excInfo = null;
      }
      st.blocks.push({ handler: -1, level: frame.sp, isHandler: true, prevExc: this.excInfo });
      if (this.py2) this.unnormalized.delete(e);
      this.excInfo = this.incref(e);
      if (this.excInfo !== e) throw new Error('unreachable');
      if (e.context === null && (b.prevExc as PyObject | null) && b.prevExc !== e) {
        // set by raise
      }
      frame.stack[frame.sp++] = e; // the PyExc's reference moves to the stack
      frame.pc = b.handler;
      (e as unknown as { tbAdded?: Frame }).tbAdded = undefined;
      this.raising = Math.max(0, this.raising - 1);
      return true;
    }
    return false;
  }

  /**
   * The end of a class call entered by CALL's fast path, after its
   * `__init__` frame is done: _PyObject_MakeTpCall drops the argument tuple,
   * then CALL drops the callable and the arguments, first to last.
   */
  private finishClassCall(st: FrameState): void {
    const args = st.initArgs;
    st.initArgs = null;
    if (args !== null) this.decref(args);
    const caller = st.caller;
    if (caller === undefined) return;
    const stack = caller.stack;
    const base = st.initBase;
    const top = caller.sp;
    const fn = stack[base] === NULL_REF ? base + 1 : base;
    for (let i = fn; i < top; i++) {
      const o = stack[i]!;
      stack[i] = null;
      this.decref(o);
    }
    stack[base] = null;
    caller.sp = base;
  }

  /** Releases a frame that is being left by an exception or a return. */
  finishFrame(frame: Frame): void {
    const st = frame.extra as FrameState;
    if (st.initSelf) {
      // An __init__ left by an exception: the half-built instance dies, then
      // the call's argument tuple, then the CALL clears its stack operands.
      const inst = st.initSelf;
      st.initSelf = undefined;
      this.decref(inst);
      this.finishClassCall(st);
    }
    while (st.blocks.length) {
      const b = st.blocks.pop()!;
      if (b.isHandler) {
        const cur = this.excInfo;
        this.excInfo = b.prevExc;
        this.xdecref(cur);
      }
    }
    if (st.excSaved27 !== undefined) {
      // 2.7 reset_exc_info: leaving the frame restores the saved exception state.
      const cur = this.excInfo;
      this.excInfo = st.excSaved27;
      st.excSaved27 = undefined;
      this.xdecref(cur);
    }
    this.releaseFrame(frame);
  }

  releaseFrame(frame: Frame): void {
    if (frame.frameObj) {
      // A frame object outlives the call: it takes over the frame's references.
      const fo = frame.frameObj;
      frame.frameObj = null;
      fo.ownsFrame = true;
      // Drop the value stack now; the locals stay with the frame object.
      const s = frame.stack;
      for (let i = frame.sp - 1; i >= 0; i--) {
        const o = s[i];
        s[i] = null;
        if (o) this.decref(o);
      }
      frame.sp = 0;
      this.rt.track(fo);
      this.decref(fo);
      return;
    }
    frame.release(this.rt);
  }

  private pushValue(frame: Frame, v: PyObject): void {
    if (frame.sp >= frame.stack.length) frame.stack.length = frame.stack.length * 2;
    frame.stack[frame.sp++] = v;
  }

  /** Executes instructions until the frame returns or yields. Throws PyExc on error. */
  private dispatch(frame: Frame): PyObject {
    const rt = this.rt;
    let st = frame.extra as FrameState;
    let u = st.unit;
    let code = u.code;
    let lines = u.lines;
    let consts = (frame.code as PyCode).consts;
    let stack = frame.stack;
    let fast = frame.fast;
    let sp = frame.sp;
    let pc = frame.pc;
    // Frames entered by CALL run in this loop; an exception leaving one of
    // them is offered to its caller's handlers before it escapes to JS.
    for (;;) {
      try {
      // A function or generator starting (CPython 3.11's RESUME): the eval
      // breaker runs here too, so code that only recurses notices Ctrl-C and
      // --timeout. (After an exception was handled pc is the handler's.)
      if (pc === 0 && !u.isModule) this.pollMaybe();
      for (;;) {
        const op = code[pc * 2];
        const arg = code[pc * 2 + 1];
        pc++;
        switch (op) {
          case Op.NOP:
            break;
          case Op.POP_TOP:
            { const popped = stack[--sp]!; if (--popped.ob_refcnt === 0) rt.dealloc(popped); }
            break;
          case Op.SWAP: {
            const i = sp - 1;
            const j = sp - arg;
            const tmp = stack[i];
            stack[i] = stack[j];
            stack[j] = tmp;
            break;
          }
          case Op.COPY:
            {
              const pv = stack[sp - arg]!;
              pv.ob_refcnt++;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.LOAD_CONST:
            {
              const pv = consts[arg];
              pv.ob_refcnt++;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.LOAD_FAST: {
            const v = fast[arg];
            if (v === null) {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              this.raise('UnboundLocalError', this.py2 ? `local variable '${u.varnames[arg]}' referenced before assignment` : `cannot access local variable '${u.varnames[arg]}' where it is not associated with a value`);
            }
            v.ob_refcnt++;
            {
              const pv = v;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.STORE_FAST: {
            const old = fast[arg];
            fast[arg] = stack[--sp]!;
            if (old) if (--old.ob_refcnt === 0) rt.dealloc(old);
            break;
          }
          case Op.LOAD_CLOSURE:
            {
              const pv = fast[arg]!;
              pv.ob_refcnt++;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.LOAD_DEREF: {
            const cell = fast[arg] as PyCell;
            if (!cell.ref) {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              const name = this.localsplusName(u, arg);
              if (arg < u.varnames.length + u.cellvars.length) this.raise('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
              this.raise('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`);
            }
            {
              const pv = cell.ref;
              pv.ob_refcnt++;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.STORE_DEREF: {
            const cell = fast[arg] as PyCell;
            const old = cell.ref;
            cell.ref = stack[--sp]!;
            if (old) if (--old.ob_refcnt === 0) rt.dealloc(old);
            break;
          }
          case Op.LOAD_GLOBAL: {
            // LOAD_GLOBAL_MODULE / LOAD_GLOBAL_BUILTIN: the entry found last time is checked first.
            const name = u.names[arg];
            const ic = this.cacheAt(st.info, pc - 1);
            const v = this.globalOrBuiltin(ic, frame.globals as PyDict, frame.builtins as PyDict, name);
            if (v === null) {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              this.raise('NameError', this.py2 ? `global name '${name}' is not defined` : `name '${name}' is not defined`);
            }
            {
              const pv = (v.ob_refcnt++, v);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.STORE_GLOBAL:
            this.dictSetStr(frame.globals as PyDict, u.names[arg], stack[--sp]!);
            break;
          case Op.LOAD_NAME: {
            const name = u.names[arg];
            const ic = this.cacheAt(st.info, pc - 1);
            const locals = frame.locals as PyDict | null;
            let v = locals !== null && locals !== frame.globals ? this.cachedGet(ic, locals, name) : null;
            // Module code: the locals are the globals, searched with the builtins.
            if (v === null) v = this.globalOrBuiltin(ic, frame.globals as PyDict, frame.builtins as PyDict, name);
            if (v === null) {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              this.raise('NameError', `name '${name}' is not defined`);
            }
            {
              const pv = (v.ob_refcnt++, v);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.STORE_NAME: {
            const d = (frame.locals ?? frame.globals) as PyDict;
            const name = u.names[arg];
            const i = this.cachedFind(this.cacheAt(st.info, pc - 1), d, name);
            if (i >= 0) rt.dictReplace(d, i, stack[--sp]!);
            else rt.dictAppend(d, name, 0, rt.intern(name), stack[--sp]!, true);
            break;
          }
          case Op.LOAD_ATTR: {
            const o = stack[sp - 1]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            if (o instanceof PyInstance && o.values !== null) {
              // LOAD_ATTR_INSTANCE_VALUE
              const ty = o.ob_type as PyType;
              const ic = this.cacheAt(st.info, pc - 1);
              if (ic.type !== ty || ic.epoch !== this.typeEpoch) this.fillAttrCache(ic, ty, u.names[arg], false);
              if (ic.kind === CacheKind.INSTANCE_VALUE) {
                const v = this.inlineValue(o, ty, ic, u.names[arg]);
                if (v !== null) {
                  v.ob_refcnt++;
                  stack[sp - 1] = v;
                  if (--o.ob_refcnt === 0) rt.dealloc(o);
                  break;
                }
              }
            }
            const v = this.getattr(o, u.names[arg]);
            stack[sp - 1] = v;
            if (--o.ob_refcnt === 0) rt.dealloc(o);
            break;
          }
          case Op.STORE_ATTR: {
            const o = stack[--sp]!;
            const v = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            if (o instanceof PyInstance && o.values !== null) {
              // STORE_ATTR_INSTANCE_VALUE: the value's reference moves into the
              // inline values, then the old value and the owner are released.
              const ty = o.ob_type as PyType;
              const ic = this.cacheAt(st.info, pc - 1);
              if (ic.type !== ty || ic.epoch !== this.typeEpoch) this.fillAttrCache(ic, ty, u.names[arg], true);
              if (ic.kind === CacheKind.INSTANCE_VALUE) {
                let i = ic.index;
                if (i < 0) i = ic.index = ty.sharedKeys.indexOf(u.names[arg]);
                if (i >= 0) {
                  const values = o.values;
                  while (values.length <= i) values.push(null);
                  const old = values[i];
                  values[i] = v;
                  if (old === null) rt.instanceValuesResized(o);
                  else if (--old.ob_refcnt === 0) rt.dealloc(old);
                  if (--o.ob_refcnt === 0) rt.dealloc(o);
                  break;
                }
              }
            }
            try {
              this.setattr(o, u.names[arg], v);
            } finally {
              if (--o.ob_refcnt === 0) rt.dealloc(o);
              if (--v.ob_refcnt === 0) rt.dealloc(v);
            }
            break;
          }
          case Op.LOAD_METHOD: {
            const o = stack[sp - 1]!;
            const name = u.names[arg];
            const type = o.ob_type as PyType;
            // LOAD_METHOD_WITH_VALUES and friends: the method found on the type
            // is cached; an instance attribute of the same name still wins.
            const ic = this.cacheAt(st.info, pc - 1);
            if (ic.type !== type || ic.epoch !== this.typeEpoch) this.fillMethodCache(ic, o, name);
            let meth: PyObject | null = null;
            if (ic.kind === CacheKind.METHOD) {
              if (!type.isHeapType) meth = ic.obj;
              else if (o instanceof PyInstance && o.slots === null && o.values !== null) {
                if (this.inlineValue(o, type, ic, name) === null) meth = ic.obj;
              } else if (this.instanceAttr(o, name) === null) meth = ic.obj;
            }
            if (meth !== null) {
              // [meth, self]: no bound method object is created.
              stack[sp - 1] = (meth.ob_refcnt++, meth);
              {
                const pv = o;
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } else {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              const v = this.getattr(o, name);
              stack[sp - 1] = NULL_REF;
              {
                const pv = v;
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
              if (--o.ob_refcnt === 0) rt.dealloc(o);
            }
            break;
          }
          case Op.PUSH_NULL:
            {
              const pv = NULL_REF;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.KW_NAMES:
            st.kwnames = (consts[arg] as PyTuple).items.map((s) => (s as PyStr).v);
            break;
          case Op.CALL: {
            let nargs = arg & 0xffff;
            const decorator = (arg & 0x10000) !== 0;
            const kwnames = st.kwnames;
            st.kwnames = null;
            if (decorator) {
              // Decorator application: stack [.., decorator, function]
              const fn = stack[--sp]!;
              const dec = stack[--sp]!;
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              try {
                {
                  const pv = this.call(dec, [fn]);
                  if (sp === stack.length) stack = growStack(frame);
                  stack[sp++] = pv;
                }
              } finally {
                if (--dec.ob_refcnt === 0) rt.dealloc(dec);
                if (--fn.ob_refcnt === 0) rt.dealloc(fn);
              }
              break;
            }
            const base = sp - nargs - 2;
            let callable = stack[base]!;
            let selfArg = stack[base + 1]!;
            let argStart = base + 2;
            if (callable === NULL_REF) {
              callable = selfArg;
              selfArg = NULL_REF;
            } else {
              argStart = base + 1;
              nargs++;
            }
            // Python function, or a class whose __init__ is a Python function:
            // move the arguments into a new frame run by this same loop.
            let callee: Frame | null = null;
            if (kwnames === null) {
              if (callable instanceof PyFunction) {
                // CALL_PY_EXACT_ARGS: positional arguments move from the stack into the frame.
                const info = rt.profile.callerKeepsArgs ? null : this.movesArgs(callable, nargs);
                if (info !== null) {
                  frame.sp = sp;
                  frame.pc = pc;
                  frame.lineno = lines[pc - 1];
                  callee = this.frameFromStack(callable, info, null, stack, argStart, nargs);
                  stack[base] = null;
                  stack[base + 1] = null;
                  sp = base;
                  frame.sp = sp;
                  if (--callable.ob_refcnt === 0) rt.dealloc(callable);
                }
              } else if (callable instanceof PyType) {
                const ic = this.cacheAt(st.info, pc - 1);
                if (ic.type !== callable || ic.epoch !== this.typeEpoch) this.fillCallCache(ic, callable);
                const info = ic.kind === CacheKind.INIT_PY && !rt.profile.callerKeepsArgs ? this.movesArgs(ic.obj as PyFunction, nargs + 1) : null;
                if (info !== null) {
                  frame.sp = sp;
                  frame.pc = pc;
                  frame.lineno = lines[pc - 1];
                  // _PyObject_MakeTpCall packs the arguments in a tuple before
                  // type_call allocates the object, which it keeps (obj) while
                  // __init__ runs; the stack keeps its references until the
                  // call returns (see RETURN_VALUE and finishFrame).
                  const argsTuple = this.argsTuple(stack, argStart, nargs);
                  const inst = rt.newInstance(callable);
                  callee = this.frameFromStack(ic.obj as PyFunction, info, (inst.ob_refcnt++, inst), stack, argStart, nargs, true);
                  const cst = callee.extra as FrameState;
                  cst.initSelf = inst;
                  cst.initArgs = argsTuple;
                  cst.initBase = base;
                } else if (ic.kind === CacheKind.INIT_NONE && nargs === 0) {
                  // object.__new__ and object.__init__: just the allocation.
                  frame.sp = sp;
                  frame.pc = pc;
                  frame.lineno = lines[pc - 1];
                  const inst = rt.newInstance(callable);
                  stack[base] = null;
                  stack[base + 1] = null;
                  sp = base;
                  frame.sp = sp;
                  if (--callable.ob_refcnt === 0) rt.dealloc(callable);
                  stack[sp++] = inst;
                  break;
                }
              }
            }
            if (callee === null && callable instanceof PyFunction && !(((callable.code as PyCode).body as CodeUnit).flags & CodeFlag.GENERATOR) && !rt.profile.callerKeepsArgs) {
              const args = stack.slice(argStart, argStart + nargs) as PyObject[];
              for (let i = base; i < base + nargs + 2; i++) stack[i] = null;
              sp = base;
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              try {
                callee = this.makeFrame(callable, args, kwnames);
              } finally {
                if (--callable.ob_refcnt === 0) rt.dealloc(callable);
                if (selfArg !== NULL_REF && argStart === base + 2) if (--selfArg.ob_refcnt === 0) rt.dealloc(selfArg);
              }
            }
            if (callee !== null) {
              const f = callee;
              {
                // Switch to the callee frame in this same loop.
                frame.sp = sp;
                frame.pc = pc;
                frame.lineno = lines[pc - 1];
                if (this.depth >= this.recursionLimit) {
                  const fst = f.extra as FrameState;
                  f.release(rt);
                  if (fst.initSelf) {
                    this.decref(fst.initSelf);
                    fst.initSelf = undefined;
                    this.finishClassCall(fst);
                  }
                  this.raise('RecursionError', 'maximum recursion depth exceeded');
                }
                this.depth++;
                f.back = frame;
                this.frame = f;
                (f.extra as FrameState).caller = frame;
                frame = f;
                st = f.extra as FrameState;
                u = st.unit;
                code = u.code;
                lines = u.lines;
                consts = (f.code as PyCode).consts;
                stack = f.stack;
                fast = f.fast;
                sp = f.sp;
                pc = f.pc;
              }
              // RESUME (see the top of the loop).
              this.pollMaybe();
              break;
            }
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            let result: PyObject;
            if (rt.profile.callerKeepsArgs && callable instanceof PyType && (callable.isHeapType || callable.ob_type !== this.t.type)) {
              // 2.7 do_call: the keyword arguments, then the positional ones,
              // move from the stack into a new dict and tuple for tp_call.
              const nkw = kwnames === null ? 0 : kwnames.length;
              const npos = nargs - nkw;
              let kw: PyDict | null = null;
              if (nkw > 0) {
                kw = rt.newDict();
                for (let i = nkw - 1; i >= 0; i--) {
                  this.dictSetStr(kw, kwnames![i], stack[argStart + npos + i]!);
                  stack[argStart + npos + i] = null;
                }
              }
              const items = stack.slice(argStart, argStart + npos) as PyObject[];
              for (let i = argStart; i < argStart + npos; i++) stack[i] = null;
              const tuple = rt.newTuple(items);
              // call_function holds a reference to the callable during the call.
              callable.ob_refcnt++;
              try {
                result = this.callClass(callable, tuple, kw);
              } finally {
                if (--callable.ob_refcnt === 0) rt.dealloc(callable);
                if (--tuple.ob_refcnt === 0) rt.dealloc(tuple);
                if (kw !== null) if (--kw.ob_refcnt === 0) rt.dealloc(kw);
                for (let i = sp - 1; i >= base; i--) {
                  const o = stack[i];
                  stack[i] = null;
                  if (o && o !== NULL_REF) if (--o.ob_refcnt === 0) rt.dealloc(o);
                }
                sp = base;
                frame.sp = sp;
              }
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = result;
              break;
            }
            const args = stack.slice(argStart, argStart + nargs) as PyObject[];
            try {
              if (callable instanceof PyFunction) result = this.callFunction(callable, args, kwnames);
              else result = this.call(callable, args, kwnames);
            } finally {
              for (let i = sp - 1; i >= base; i--) {
                const o = stack[i];
                stack[i] = null;
                if (o && o !== NULL_REF) if (--o.ob_refcnt === 0) rt.dealloc(o);
              }
              sp = base;
              frame.sp = sp;
            }
            {
              const pv = result;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.BINARY_SUBSCR: {
            const k = stack[--sp]!;
            const o = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              {
                const pv = this.getitem(o, k);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              if (--o.ob_refcnt === 0) rt.dealloc(o);
              if (--k.ob_refcnt === 0) rt.dealloc(k);
            }
            break;
          }
          case Op.STORE_SUBSCR: {
            const k = stack[--sp]!;
            const o = stack[--sp]!;
            const v = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              this.setitem(o, k, v);
            } finally {
              if (--o.ob_refcnt === 0) rt.dealloc(o);
              if (--k.ob_refcnt === 0) rt.dealloc(k);
              if (--v.ob_refcnt === 0) rt.dealloc(v);
            }
            break;
          }
          case Op.BINARY_OP: {
            const b = stack[sp - 1]!;
            const a = stack[sp - 2]!;
            if (a instanceof PyInt && b instanceof PyInt && a.ob_type === this.t.int && b.ob_type === this.t.int) {
              // BINARY_OP_ADD_INT and friends: exact ints with a safe result
              // (what intOp computes; anything else takes the generic path).
              const x = a.v;
              const y = b.v;
              if (typeof x === 'number' && typeof y === 'number') {
                const kind = arg & 15;
                const r = kind === BinOpCode.Add ? x + y : kind === BinOpCode.Sub ? x - y : kind === BinOpCode.Mult ? x * y : NaN;
                if (Number.isSafeInteger(r)) {
                  frame.pc = pc;
                  frame.lineno = lines[pc - 1];
                  // Operands stay on the stack until the result exists (a MemoryError unwinds them).
                  const res = rt.newInt(r);
                  sp -= 2;
                  stack[sp++] = res;
                  if (--a.ob_refcnt === 0) rt.dealloc(a);
                  if (--b.ob_refcnt === 0) rt.dealloc(b);
                  break;
                }
              }
            }
            sp -= 2;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              {
                const pv = this.binaryOp(a, b, arg & 15, (arg & BinOpCode.INPLACE) !== 0);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              if (--a.ob_refcnt === 0) rt.dealloc(a);
              if (--b.ob_refcnt === 0) rt.dealloc(b);
            }
            break;
          }
          case Op.UNARY_NOT: {
            const a = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            const t = this.truthy(a);
            if (--a.ob_refcnt === 0) rt.dealloc(a);
            {
              const pv = this.bool(!t);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.COMPARE_OP: {
            const b = stack[--sp]!;
            const a = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              {
                const pv = this.richCompare(a, b, arg);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              if (--a.ob_refcnt === 0) rt.dealloc(a);
              if (--b.ob_refcnt === 0) rt.dealloc(b);
            }
            break;
          }
          case Op.IS_OP: {
            const b = stack[--sp]!;
            const a = stack[--sp]!;
            const r = (a === b) !== (arg === 1);
            if (--a.ob_refcnt === 0) rt.dealloc(a);
            if (--b.ob_refcnt === 0) rt.dealloc(b);
            {
              const pv = this.bool(r);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.CONTAINS_OP: {
            const container = stack[--sp]!;
            const item = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              {
                const pv = this.bool(this.contains(container, item) !== (arg === 1));
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              if (--container.ob_refcnt === 0) rt.dealloc(container);
              if (--item.ob_refcnt === 0) rt.dealloc(item);
            }
            break;
          }
          case Op.BUILD_TUPLE:
          case Op.BUILD_LIST: {
            const items = stack.slice(sp - arg, sp) as PyObject[];
            for (let i = sp - arg; i < sp; i++) stack[i] = null;
            sp -= arg;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            const built = op === Op.BUILD_TUPLE ? rt.newTuple(items) : rt.newList(items);
            if (sp === stack.length) stack = growStack(frame);
            stack[sp++] = built;
            break;
          }
          case Op.LIST_APPEND: {
            const v = stack[--sp]!;
            const l = stack[sp - arg] as PyList;
            rt.listResize(l, l.items.length + 1);
            l.items.push(v);
            break;
          }
          case Op.JUMP:
            // Backward jumps close loops: check --timeout and Ctrl-C now and then (CPython's eval breaker).
            if (arg < pc) {
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              this.pollMaybe();
            }
            pc = arg;
            break;
          case Op.POP_JUMP_IF_FALSE: {
            const v = stack[--sp]!;
            let t: boolean;
            if (v === rt.False) t = false;
            else if (v === rt.True) t = true;
            else {
              frame.sp = sp;
              frame.pc = pc;
              frame.lineno = lines[pc - 1];
              try {
                t = this.truthy(v);
              } finally {
                if (--v.ob_refcnt === 0) rt.dealloc(v);
              }
              if (!t) pc = arg;
              break;
            }
            v.ob_refcnt--;
            if (!t) pc = arg;
            break;
          }
          case Op.POP_JUMP_IF_TRUE: {
            const v = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            let t: boolean;
            try {
              t = this.truthy(v);
            } finally {
              if (--v.ob_refcnt === 0) rt.dealloc(v);
            }
            if (t) pc = arg;
            break;
          }
          case Op.JUMP_IF_FALSE_OR_POP:
          case Op.JUMP_IF_TRUE_OR_POP: {
            const v = stack[sp - 1]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            const t = this.truthy(v);
            if (t === (op === Op.JUMP_IF_TRUE_OR_POP)) pc = arg;
            else { const popped = stack[--sp]!; if (--popped.ob_refcnt === 0) rt.dealloc(popped); }
            break;
          }
          case Op.GET_ITER: {
            const o = stack[sp - 1]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            const it = this.getIter(o);
            stack[sp - 1] = it;
            if (--o.ob_refcnt === 0) rt.dealloc(o);
            break;
          }
          case Op.FOR_ITER: {
            const it = stack[sp - 1]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            if (it.ob_type === this.t.range_iterator && (it as PyHolder).refs[0] !== null) {
              // FOR_ITER_RANGE: the next value without the generic iterator protocol
              // (exhaustion takes the generic path, which drops the range).
              const st = (it as PyHolder).state as { cur: number; stop: number; step: number };
              const cur = st.cur;
              if (st.step > 0 ? cur < st.stop : cur > st.stop) {
                st.cur = cur + st.step;
                const v = rt.newInt(cur);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = v;
                break;
              }
            }
            const v = this.next(it);
            if (v === null) {
              { const popped = stack[--sp]!; if (--popped.ob_refcnt === 0) rt.dealloc(popped); }
              pc = arg;
              this.pollMaybe();
            } else {
                const pv = v;
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            break;
          }
          case Op.RETURN_VALUE: {
            const v = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            const caller = st.caller;
            if (frame.gen) {
              frame.gen.done = true;
              this.finishFrame(frame);
              return this.genReturn(v);
            }
            let result = v;
            let badInit: string | null = null;
            const initSelf = st.initSelf;
            if (initSelf) {
              // __init__ returned: the call's result is the new instance.
              st.initSelf = undefined;
              if (v !== rt.None) badInit = this.typeName(v);
              if (--v.ob_refcnt === 0) rt.dealloc(v);
              result = initSelf;
              this.finishFrame(frame);
              if (badInit !== null) {
                if (--result.ob_refcnt === 0) rt.dealloc(result);
                this.finishClassCall(st);
                caller!.lineno = (caller!.extra as FrameState).unit.lines[caller!.pc - 1];
                this.frame = caller!;
                st.caller = undefined;
                this.depth--;
                frame = caller!;
                st = frame.extra as FrameState;
                u = st.unit;
                code = u.code;
                lines = u.lines;
                consts = (frame.code as PyCode).consts;
                stack = frame.stack;
                fast = frame.fast;
                sp = frame.sp;
                pc = frame.pc;
                // Raised in the caller, at the class call, as type_call does.
                this.typeError(`__init__() should return None, not '${badInit}'`);
              }
              this.finishClassCall(st);
            } else this.finishFrame(frame);
            // Done with the frame (and its state) now.
            this.recycleFrame(frame);
            if (!caller) return result;
            // Back to the caller frame in this loop.
            st.caller = undefined;
            this.depth--;
            this.frame = caller;
            frame = caller;
            st = frame.extra as FrameState;
            u = st.unit;
            code = u.code;
            lines = u.lines;
            consts = (frame.code as PyCode).consts;
            stack = frame.stack;
            fast = frame.fast;
            sp = frame.sp;
            pc = frame.pc;
            {
              sp = frame.sp;
              const pv = result;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.YIELD_VALUE: {
            const v = stack[--sp]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            return v;
          }
          case Op.YIELD_FROM: {
            const sent = stack[--sp]!;
            const sub = stack[sp - 1]!;
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            let v: PyObject | null;
            try {
              v = sub instanceof PyGenerator ? this.genSend(sub, sent) : this.next(sub);
            } finally {
              if (--sent.ob_refcnt === 0) rt.dealloc(sent);
            }
            if (v === null) {
              // Exhausted: the result of `yield from` is the return value.
              const ret = this.lastReturnValue ?? this.none();
              this.lastReturnValue = null;
              { const popped = stack[--sp]!; if (--popped.ob_refcnt === 0) rt.dealloc(popped); }
              {
                const pv = ret;
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } else {
              pc--; // resume at YIELD_FROM with the next sent value
              frame.pc = pc;
              return v;
            }
            break;
          }
          case Op.SETUP_FINALLY:
            st.blocks.push({ handler: arg, level: sp, isHandler: false, prevExc: null });
            break;
          case Op.POP_BLOCK:
            st.blocks.pop();
            break;
          default:
            // Less frequent instructions live in slowOp to keep this loop small.
            frame.sp = sp;
            frame.pc = pc;
            frame.lineno = lines[pc - 1];
            try {
              this.slowOp(frame, op, arg);
            } finally {
              // slowOp may have popped values before raising: take its view.
              sp = frame.sp;
              pc = frame.pc;
              stack = frame.stack;
            }
            break;

        }
      }
      } catch (caught) {
        frame.sp = sp;
        frame.pc = pc;
        // pc 0: raised at the function's start (RESUME), on its first line.
        frame.lineno = pc > 0 ? lines[pc - 1] : u.firstlineno;
        let err = caught;
        if ((err instanceof SimulatedMemoryError && !/fatal/.test(err.message)) || isJsAllocationFailure(err)) {
          // The simulated heap is full, or a value is beyond what JavaScript
          // can hold (a string of 2**30 characters, a BigInt of 2**30 bits):
          // a Python MemoryError the script can handle.
          err = new PyExc(this.newExc(this.exc.MemoryError));
          this.raising++;
        }
        if (!(err instanceof PyExc)) throw err;
        for (;;) {
          if (this.handleException(frame, err)) {
            {
              st = frame.extra as FrameState;
              u = st.unit;
              code = u.code;
              lines = u.lines;
              consts = (frame.code as PyCode).consts;
              stack = frame.stack;
              fast = frame.fast;
              sp = frame.sp;
              pc = frame.pc;
            }
            break;
          }
          const caller = st.caller;
          this.finishFrame(frame);
          if (frame.gen) frame.gen.done = true;
          this.recycleFrame(frame);
          if (!caller) throw err;
          st.caller = undefined;
          this.depth--;
          this.frame = caller;
          frame = caller;
          {
              st = frame.extra as FrameState;
              u = st.unit;
              code = u.code;
              lines = u.lines;
              consts = (frame.code as PyCode).consts;
              stack = frame.stack;
              fast = frame.fast;
              sp = frame.sp;
              pc = frame.pc;
            }
        }
      }
    }
  }

  /** The less frequent instructions (see dispatch); state goes through the frame. */
  private slowOp(frame: Frame, op: number, arg: number): void {
    const rt = this.rt;
    const st = frame.extra as FrameState;
    const u = st.unit;
    const consts = (frame.code as PyCode).consts;
    const fast = frame.fast;
    let stack = frame.stack;
    let sp = frame.sp;
    let pc = frame.pc;
    try {
        switch (op) {
          case Op.DELETE_FAST: {
            const old = fast[arg];
            if (!old) {
              frame.sp = sp;
              this.raise('UnboundLocalError', `cannot access local variable '${u.varnames[arg]}' where it is not associated with a value`);
            }
            fast[arg] = null;
            this.decref(old);
            break;
          }
          case Op.DELETE_DEREF: {
            const cell = fast[arg] as PyCell;
            const old = cell.ref;
            cell.ref = null;
            if (old) this.decref(old);
            break;
          }
          case Op.LOAD_CLASSDEREF: {
            const name = this.localsplusName(u, arg);
            const v = frame.locals ? this.dictGetStr(frame.locals as PyDict, name) : null;
            if (v) {
                const pv = this.incref(v);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            else {
              const cell = fast[arg] as PyCell;
              if (!cell.ref) {
                frame.sp = sp;
                this.raise('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`);
              }
              {
                const pv = this.incref(cell.ref);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            }
            break;
          }
          case Op.DELETE_GLOBAL: {
            const d = frame.globals as PyDict;
            const i = rt.dictFind(d, u.names[arg]);
            if (i < 0) {
              frame.sp = sp;
              this.raise('NameError', `name '${u.names[arg]}' is not defined`);
            }
            rt.dictDeleteAt(d, i);
            break;
          }
          case Op.DELETE_NAME: {
            const d = (frame.locals ?? frame.globals) as PyDict;
            const i = rt.dictFind(d, u.names[arg]);
            if (i < 0) {
              frame.sp = sp;
              this.raise('NameError', `name '${u.names[arg]}' is not defined`);
            }
            rt.dictDeleteAt(d, i);
            break;
          }
          case Op.DELETE_ATTR: {
            const o = stack[--sp]!;
            frame.sp = sp;
            try {
              this.delattr(o, u.names[arg]);
            } finally {
              this.decref(o);
            }
            break;
          }
          case Op.CALL_FUNCTION_EX: {
            const kwargs = arg & 1 ? stack[--sp]! : null;
            const posargs = stack[--sp]! as PyTuple;
            const callable = stack[--sp]!;
            const nul = stack[--sp]!;
            frame.sp = sp;
            try {
              if (callable instanceof PyType && (callable.isHeapType || callable.ob_type !== this.t.type)) {
                // PyObject_Call: a class's tp_call gets the tuple and the dict
                // themselves. 2.7's ext_do_call passes a copy of the star
                // arguments (update_star_args).
                let pv: PyObject;
                if (this.py2) {
                  const tuple = this.argsTuple(posargs.items, 0, posargs.items.length);
                  try {
                    pv = this.callClass(callable, tuple, kwargs as PyDict | null);
                  } finally {
                    this.decref(tuple);
                  }
                } else pv = this.callClass(callable, posargs, kwargs as PyDict | null);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
                break;
              }
              const args = posargs.items.slice();
              let kwnames: string[] | null = null;
              if (kwargs) {
                kwnames = [];
                for (const [k, v] of this.dictEntries(kwargs as PyDict)) {
                  if (!(k instanceof PyStr)) this.typeError('keywords must be strings');
                  kwnames.push(k.v);
                  args.push(v);
                }
              }
              // With keywords, CPython unpacks the dict into a temporary argument
              // array (_PyStack_UnpackDict) that holds its own references.
              if (kwnames) for (const a of args) a.ob_refcnt++;
              try {
                {
                  const pv = this.call(callable, args, kwnames);
                  if (sp === stack.length) stack = growStack(frame);
                  stack[sp++] = pv;
                }
              } finally {
                if (kwnames) for (const a of args) this.decref(a);
              }
            } finally {
              this.decref(callable);
              this.decref(posargs);
              this.xdecref(kwargs);
              if (nul !== NULL_REF) this.decref(nul);
            }
            break;
          }
          case Op.DELETE_SUBSCR: {
            const k = stack[--sp]!;
            const o = stack[--sp]!;
            frame.sp = sp;
            try {
              this.delitem(o, k);
            } finally {
              this.decref(o);
              this.decref(k);
            }
            break;
          }
          case Op.BUILD_SLICE: {
            const step = arg === 3 ? stack[--sp]! : this.none();
            const stop = stack[--sp]!;
            const start = stack[--sp]!;
            {
              const pv = this.newSlice(start, stop, step);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.UNARY_NEGATIVE:
          case Op.UNARY_POSITIVE:
          case Op.UNARY_INVERT: {
            const a = stack[--sp]!;
            frame.sp = sp;
            try {
              {
                const pv = this.unaryOp(a, op);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              this.decref(a);
            }
            break;
          }
          case Op.BUILD_SET: {
            const items = stack.slice(sp - arg, sp) as PyObject[];
            for (let i = sp - arg; i < sp; i++) stack[i] = null;
            sp -= arg;
            frame.sp = sp;
            const s = rt.newSet();
            try {
              for (const it of items) this.setAdd(s, it);
            } finally {
              for (const it of items) this.decref(it);
            }
            {
              const pv = s;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.BUILD_MAP: {
            frame.sp = sp;
            const d = rt.newDict(this.t.dict, arg);
            const base = sp - 2 * arg;
            try {
              for (let i = 0; i < arg; i++) this.dictSet(d, stack[base + 2 * i]!, stack[base + 2 * i + 1]!);
            } finally {
              for (let i = sp - 1; i >= base; i--) {
                this.decref(stack[i]!);
                stack[i] = null;
              }
              sp = base;
            }
            {
              const pv = d;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.BUILD_CONST_KEY_MAP: {
            const keys = stack[--sp]! as PyTuple;
            frame.sp = sp;
            const d = rt.newDict(this.t.dict, arg);
            const base = sp - arg;
            for (let i = 0; i < arg; i++) this.dictSet(d, keys.items[i], stack[base + i]!);
            for (let i = sp - 1; i >= base; i--) {
              this.decref(stack[i]!);
              stack[i] = null;
            }
            sp = base;
            this.decref(keys);
            {
              const pv = d;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.BUILD_STRING: {
            let s = '';
            for (let i = sp - arg; i < sp; i++) s += (stack[i] as PyStr).v;
            for (let i = sp - 1; i >= sp - arg; i--) {
              this.decref(stack[i]!);
              stack[i] = null;
            }
            sp -= arg;
            {
              const pv = this.str(s);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.SET_ADD: {
            const v = stack[--sp]!;
            frame.sp = sp;
            try {
              this.setAdd(stack[sp - arg] as PySet, v);
            } finally {
              this.decref(v);
            }
            break;
          }
          case Op.MAP_ADD: {
            const v = stack[--sp]!;
            const k = stack[--sp]!;
            frame.sp = sp;
            try {
              this.dictSet(stack[sp - arg] as PyDict, k, v);
            } finally {
              this.decref(k);
              this.decref(v);
            }
            break;
          }
          case Op.LIST_EXTEND: {
            const it = stack[--sp]!;
            frame.sp = sp;
            try {
              this.listExtend(stack[sp - arg] as PyList, it);
            } finally {
              this.decref(it);
            }
            break;
          }
          case Op.SET_UPDATE: {
            const it = stack[--sp]!;
            frame.sp = sp;
            try {
              setUpdateInternal(this, stack[sp - arg] as PySet, it);
            } finally {
              this.decref(it);
            }
            break;
          }
          case Op.DICT_UPDATE:
          case Op.DICT_MERGE: {
            const o = stack[--sp]!;
            frame.sp = sp;
            try {
              const d = stack[sp - arg] as PyDict;
              if (!(o instanceof PyDict)) {
                if (op === Op.DICT_MERGE) this.typeError(`argument after ** must be a mapping, not ${this.typeName(o)}`);
                this.typeError(`'${this.typeName(o)}' object is not a mapping`);
              }
              for (const [k, v] of [...this.dictEntries(o)]) {
                if (op === Op.DICT_MERGE && this.dictLookup(d, k) >= 0) this.typeError(`got multiple values for keyword argument '${this.strString(k)}'`);
                this.dictSet(d, k, v);
              }
            } finally {
              this.decref(o);
            }
            break;
          }
          case Op.LIST_TO_TUPLE: {
            const l = stack[--sp]! as PyList;
            const t = rt.newTuple(l.items.map((x) => this.incref(x)));
            this.decref(l);
            {
              const pv = t;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.FORMAT_VALUE: {
            const spec = arg & 4 ? stack[--sp]! : null;
            const v = stack[--sp]!;
            frame.sp = sp;
            try {
              const conv = arg & 3;
              let x = v;
              let tmp: PyObject | null = null;
              if (conv === 1) x = tmp = this.toStr(v);
              else if (conv === 2) x = tmp = this.repr(v);
              else if (conv === 3) x = tmp = this.str(asciiOf(this.reprString(v)));
              try {
                {
                  const pv = this.format(x, spec ? (spec as PyStr).v : '');
                  if (sp === stack.length) stack = growStack(frame);
                  stack[sp++] = pv;
                }
              } finally {
                this.xdecref(tmp);
              }
            } finally {
              this.decref(v);
              this.xdecref(spec);
            }
            break;
          }
          case Op.UNPACK_SEQUENCE: {
            const seq = stack[--sp]!;
            frame.sp = sp;
            let items: PyObject[];
            try {
              items = this.unpack(seq, arg, -1);
            } finally {
              this.decref(seq);
            }
            for (let i = items.length - 1; i >= 0; i--) {
                const pv = items[i];
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            break;
          }
          case Op.UNPACK_EX: {
            const seq = stack[--sp]!;
            frame.sp = sp;
            let items: PyObject[];
            try {
              items = this.unpack(seq, arg & 0xff, arg >> 8);
            } finally {
              this.decref(seq);
            }
            for (let i = items.length - 1; i >= 0; i--) {
                const pv = items[i];
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            break;
          }
          case Op.MAKE_FUNCTION: {
            const code = stack[--sp]! as PyCode;
            const closure = arg & MakeFunctionFlag.CLOSURE ? stack[--sp]! : null;
            const annotations = arg & MakeFunctionFlag.ANNOTATIONS ? stack[--sp]! : null;
            const kwdefaults = arg & MakeFunctionFlag.KWDEFAULTS ? stack[--sp]! : null;
            const defaults = arg & MakeFunctionFlag.DEFAULTS ? stack[--sp]! : null;
            frame.sp = sp;
            const cu = code.body as CodeUnit;
            const modName = this.dictGetStr(frame.globals as PyDict, '__name__');
            // The name, qualname and docstring are the code object's own
            // strings (made when it was compiled), shared by every function
            // made from it, as in CPython.
            const f = rt.newFunction(code, this.incref(frame.globals) as PyDict, this.incref(frame.builtins) as PyDict, modName ? this.incref(modName) : null, this.incref(code.names[0]) as PyStr, this.incref(code.names[1]) as PyStr);
            f.defaults = defaults;
            f.doc = cu.docstring !== null ? this.incref(code.consts[0]) : this.none();
            f.kwdefaults = kwdefaults;
            f.closure = closure;
            // The (name, value, ...) tuple; __annotations__ turns it into a dict on first access.
            f.annotations = annotations;
            {
              const pv = f;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.GET_YIELD_FROM_ITER: {
            const o = stack[sp - 1]!;
            if (!(o instanceof PyGenerator)) {
              frame.sp = sp;
              stack[sp - 1] = this.getIter(o);
              this.decref(o);
            }
            break;
          }
          case Op.POP_EXCEPT: {
            const b = st.blocks.pop()!;
            // 2.7: the handled exception stays in sys.exc_info() until the frame is left (see finishFrame).
            if (this.py2) break;
            const cur = this.excInfo;
            this.excInfo = b.prevExc;
            this.xdecref(cur);
            break;
          }
          case Op.RERAISE: {
            const e = stack[--sp]! as PyBaseException;
            frame.sp = sp;
            this.raising++;
            (e as unknown as { tbAdded?: Frame }).tbAdded = frame;
            throw new PyExc(e);
          }
          case Op.CHECK_EXC_MATCH: {
            const t = stack[--sp]!;
            const e = stack[sp - 1]!;
            frame.sp = sp;
            let r: boolean;
            try {
              r = this.excMatches(e, t);
            } finally {
              this.decref(t);
            }
            {
              const pv = this.bool(r);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.RAISE_VARARGS: {
            frame.sp = sp;
            if (arg === 0) {
              const cur = this.excInfo;
              if (!cur) this.raise('RuntimeError', 'No active exception to reraise');
              this.raising++;
              this.incref(cur);
              (cur as unknown as { tbAdded?: Frame }).tbAdded = undefined;
              throw new PyExc(cur as PyBaseException);
            }
            const cause = arg === 2 ? stack[--sp]! : null;
            const exc = stack[--sp]!;
            frame.sp = sp;
            this.doRaise(exc, cause);
            break;
          }
          case Op.BEFORE_WITH: {
            const mgr = stack[--sp]!;
            frame.sp = sp;
            let exit: PyObject;
            let entered: PyObject;
            try {
              exit = this.getattrOrNull(mgr, '__exit__') ?? this.raise('AttributeError', '__exit__');
              try {
                entered = this.callMethod(mgr, '__enter__', []);
              } catch (e) {
                this.decref(exit);
                throw e;
              }
            } finally {
              this.decref(mgr);
            }
            {
              const pv = exit;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            st.blocks.push({ handler: arg, level: sp, isHandler: false, prevExc: null });
            {
              const pv = entered;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.END_FOR: {
            // Normal exit of a with block: __exit__(None, None, None).
            const exit = stack[--sp]!;
            frame.sp = sp;
            try {
              this.decref(this.call(exit, [rt.None, rt.None, rt.None]));
            } finally {
              this.decref(exit);
            }
            break;
          }
          case Op.WITH_EXCEPT_START: {
            const e = stack[sp - 1] as PyBaseException;
            const exit = stack[sp - 2]!;
            frame.sp = sp;
            {
              const pv = this.call(exit, [e.ob_type, e, e.traceback ?? rt.None]);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.SETUP_ANNOTATIONS: {
            // A module or class body with annotated names: make sure its
            // namespace has an __annotations__ dict.
            const ns = frame.locals!;
            frame.sp = sp;
            if (ns instanceof PyDict && ns.ob_type === this.t.dict) {
              if (!this.dictGetStr(ns, '__annotations__')) this.dictSetStr(ns, '__annotations__', this.rt.newDict());
            } else {
              const key = this.str('__annotations__');
              try {
                this.decref(this.getitem(ns, key));
              } catch (e) {
                if (!(e instanceof PyExc) || !this.isInstance(e.exc, this.exc.KeyError)) throw e;
                this.decref(e.exc);
                this.raising = Math.max(0, this.raising - 1);
                const d = this.rt.newDict();
                try {
                  this.setitem(ns, key, d);
                } finally {
                  this.decref(d);
                }
              } finally {
                this.decref(key);
              }
            }
            break;
          }
          case Op.LOAD_BUILD_CLASS:
            {
              const pv = this.incref(this.dictGetStr(this.builtins, '__build_class__')!);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.IMPORT_NAME: {
            const fromlist = stack[--sp]!;
            const level = stack[--sp]!;
            frame.sp = sp;
            try {
              {
                const pv = this.importModule(u.names[arg], fromlist);
                if (sp === stack.length) stack = growStack(frame);
                stack[sp++] = pv;
              }
            } finally {
              this.decref(fromlist);
              this.decref(level);
            }
            break;
          }
          case Op.IMPORT_FROM: {
            const m = stack[sp - 1]!;
            frame.sp = sp;
            const name = u.names[arg];
            const v = this.getattrOrNull(m, name);
            if (v === null) this.raise('ImportError', `cannot import name '${name}' from '${(m as PyModule).name}' (unknown location)`);
            {
              const pv = v;
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          }
          case Op.IMPORT_STAR: {
            const m = stack[--sp]! as PyModule;
            frame.sp = sp;
            const target = (frame.locals ?? frame.globals) as PyDict;
            for (const [k, v] of [...this.dictEntries(m.dict as PyDict)]) {
              const key = (k as PyStr).v;
              if (!key.startsWith('_')) this.dictSetStr(target, key, this.incref(v));
            }
            this.decref(m);
            break;
          }
          case Op.LOAD_ASSERTION_ERROR:
            {
              const pv = this.incref(this.exc.AssertionError);
              if (sp === stack.length) stack = growStack(frame);
              stack[sp++] = pv;
            }
            break;
          case Op.PRINT_ITEMS: {
            const n = arg >> 2;
            const items = stack.slice(sp - n, sp) as PyObject[];
            for (let i = sp - n; i < sp; i++) stack[i] = null;
            sp -= n;
            const dest = arg & 2 ? stack[--sp]! : null;
            frame.sp = sp;
            try {
              this.print2(items, (arg & 1) !== 0, dest);
            } finally {
              for (const it of items) this.decref(it);
              this.xdecref(dest);
            }
            break;
          }
          case Op.EXEC_STMT: {
            const l = stack[--sp]!;
            const g = stack[--sp]!;
            const body = stack[--sp]!;
            frame.sp = sp;
            try {
              this.decref(this.exec27(body, g, l));
            } finally {
              this.decref(body);
              this.decref(g);
              this.decref(l);
            }
            break;
          }

          default:
            throw new Error(`unknown opcode ${op}`);
        }
    } finally {
      frame.sp = sp;
      frame.pc = pc;
    }
    void stack;
  }

  lastReturnValue: PyObject | null = null;

  private genReturn(v: PyObject): PyObject {
    // A generator's return: signal exhaustion to the caller with the value kept aside.
    this.xdecref(this.lastReturnValue);
    this.lastReturnValue = v;
    return GEN_DONE;
  }

  private pollCounter = 0;
  private pollMaybe(): void {
    if (++this.pollCounter >= 4096) {
      this.pollCounter = 0;
      this.poll();
    }
  }

  private localsplusName(u: CodeUnit, i: number): string {
    const all = [...u.varnames, ...u.cellvars, ...u.freevars];
    return all[i];
  }

  excMatches(e: PyObject, t: PyObject): boolean {
    if (t instanceof PyTuple) return t.items.some((x) => this.excMatches(e, x));
    if (!(t instanceof PyType) || !t.isSubtypeOf(this.t.BaseException)) {
      this.typeError('catching classes that do not inherit from BaseException is not allowed');
    }
    return (e.ob_type as PyType).isSubtypeOf(t);
  }

  /** raise exc [from cause]; references to exc and cause are stolen. */
  doRaise(exc: PyObject, cause: PyObject | null): never {
    let e: PyBaseException;
    if (exc instanceof PyType && exc.isSubtypeOf(this.t.BaseException)) {
      try {
        e = this.call(exc, []) as PyBaseException;
      } finally {
        this.decref(exc);
      }
    } else if (exc instanceof PyBaseException) e = exc;
    else {
      this.decref(exc);
      this.xdecref(cause);
      this.typeError('exceptions must derive from BaseException');
    }
    if (cause) {
      if (cause === this.rt.None) {
        this.decref(cause);
        this.xdecref(e.cause);
        e.cause = null;
      } else {
        let c = cause;
        if (cause instanceof PyType) {
          c = this.call(cause, []);
          this.decref(cause);
        }
        this.xdecref(e.cause);
        e.cause = c;
      }
      e.suppressContext = true;
    }
    this.setContext(e);
    if (this.py2) this.unnormalized.delete(e);
    this.raising++;
    throw new PyExc(e);
  }

  /**
   * Raises `type(msg)` with `cause` (a reference stolen) as both __cause__
   * and __context__, as CPython's _PyErr_FormatFromCause.
   */
  raiseFromCause(cause: PyBaseException, type: string, msg: string): never {
    const e = this.newExc(this.exc[type], msg) as PyBaseException;
    this.setContext(e);
    this.xdecref(e.cause);
    e.cause = cause;
    const old = e.context;
    e.context = this.incref(cause);
    this.xdecref(old);
    e.suppressContext = true;
    throw new PyExc(e);
  }

  /**
   * Chains the exception being handled as e.__context__, replacing any
   * earlier one, as CPython does for every raise (`raise saved` gets the
   * context of where it is raised again).
   */
  setContext(e: PyBaseException): void {
    // 2.7 exceptions have no __context__.
    if (this.py2) return;
    const cur = this.excInfo;
    if (!cur || cur === e || e.context === cur) return;
    // Break a cycle the new link would close: if `e` is already in the
    // handled exception's context chain, cut the chain just before it
    // (CPython does the same; the walk also stops on a pre-existing cycle).
    const seen = new Set<PyObject>();
    for (let o = cur as PyBaseException; o.context && !seen.has(o); o = o.context as PyBaseException) {
      seen.add(o);
      if (o.context === e) {
        o.context = null;
        this.decref(e);
        break;
      }
    }
    const old = e.context;
    e.context = this.incref(cur);
    this.xdecref(old);
  }

  // =========================================================== generators

  /** Resumes a generator with a sent value; returns the yielded value or null when exhausted. */
  genSend(g: PyGenerator, value: PyObject): PyObject | null {
    if (g.done) return null;
    if (g.running) this.raise('ValueError', 'generator already executing');
    const f = g.frame;
    if (g.started) {
      this.pushValue(f, this.incref(value));
    } else if (value !== this.rt.None) {
      this.typeError("can't send non-None value to a just-started generator");
    }
    g.started = true;
    g.running = true;
    this.incref(g);
    try {
      const r = this.runFrame(f);
      if (r === GEN_DONE) {
        g.done = true;
        return null;
      }
      return r;
    } catch (e) {
      g.done = true;
      if (e instanceof PyExc && e.exc.ob_type === this.exc.StopIteration) {
        this.raising = Math.max(0, this.raising - 1);
        this.raiseFromCause(e.exc, 'RuntimeError', 'generator raised StopIteration');
      }
      throw e;
    } finally {
      g.running = false;
      this.decref(g);
    }
  }

  /** gen.throw / gen.close: raise inside the generator at its yield. */
  genThrow(g: PyGenerator, exc: PyBaseException): PyObject | null {
    if (g.done || !g.started) {
      g.done = true;
      if (!g.frame.finished) this.releaseFrame(g.frame);
      this.raising++;
      throw new PyExc(exc);
    }
    g.running = true;
    this.incref(g);
    const f = g.frame;
    f.back = this.frame;
    this.frame = f;
    this.depth++;
    try {
      this.raising++;
      const err = new PyExc(exc);
      if (!this.handleException(f, err)) {
        g.done = true;
        this.finishFrame(f);
        throw err;
      }
      const r = this.execute(f);
      if (r === GEN_DONE) {
        g.done = true;
        return null;
      }
      return r;
    } catch (e) {
      g.done = true;
      throw e;
    } finally {
      this.frame = f.back;
      this.depth--;
      g.running = false;
      this.decref(g);
    }
  }

  genClose(g: PyGenerator): void {
    if (g.done) return;
    if (!g.started) {
      g.done = true;
      this.releaseFrame(g.frame);
      return;
    }
    const exc = this.newExc(this.exc.GeneratorExit);
    try {
      const r = this.genThrow(g, exc);
      if (r !== null) {
        this.decref(r);
        this.raise('RuntimeError', 'generator ignored GeneratorExit');
      }
    } catch (e) {
      if (e instanceof PyExc && (e.exc.ob_type === this.exc.GeneratorExit || e.exc.ob_type === this.exc.StopIteration)) {
        this.decref(e.exc);
        this.raising = Math.max(0, this.raising - 1);
        return;
      }
      throw e;
    }
  }

  // ---------------------------------------------------- implemented elsewhere
  // (protocol.ts fills these in: kept as fields so this file stays readable)

  getitem!: (o: PyObject, k: PyObject) => PyObject;
  setitem!: (o: PyObject, k: PyObject, v: PyObject) => void;
  delitem!: (o: PyObject, k: PyObject) => void;
  contains!: (container: PyObject, item: PyObject) => boolean;
  binaryOp!: (a: PyObject, b: PyObject, op: number, inplace: boolean) => PyObject;
  unaryOp!: (a: PyObject, op: Op) => PyObject;
  getIter!: (o: PyObject) => PyObject;
  /** Next item (new ref) or null when exhausted. */
  next!: (it: PyObject) => PyObject | null;
  /** Iterates any iterable, yielding new references. */
  iterate!: (o: PyObject) => Generator<PyObject>;
  unpack!: (seq: PyObject, n: number, after: number) => PyObject[];
  listExtend!: (l: PyList, it: PyObject) => void;
  lengthHint!: (o: PyObject, dflt: number) => number;
  format!: (o: PyObject, spec: string) => PyObject;
  newSlice!: (start: PyObject, stop: PyObject, step: PyObject) => PyObject;
  importModule!: (name: string, fromlist: PyObject) => PyObject;
  print2!: (items: PyObject[], nl: boolean, dest: PyObject | null) => void;
}

/**
 * Per-type cache of MRO lookups (CPython's method cache), kept in the
 * interpreter-private `PyType.impl` slot: a plain field read is much cheaper
 * than a WeakMap lookup on every attribute access and call. Valid while the
 * interpreter's type epoch is unchanged.
 */
class TypeLookupCache {
  readonly map = new Map<string, PyObject | null>();
  constructor(readonly epoch: number) {}
}

/** Doubles a frame's value stack (rare: the initial size covers most code). */
function growStack(frame: Frame): (PyObject | null)[] {
  const st = frame.stack;
  const n = st.length;
  st.length = n * 2;
  st.fill(null, n);
  return st;
}

/** co_nlocalsplus + co_stacksize: the slots of a frame running this code. */
function frameSlots(code: PyCode): number {
  const u = code.body as CodeUnit;
  return u.nlocalsplus + u.stacksize;
}

/** Function attributes stored in the function object itself, not its __dict__. */
const FUNC_SLOTS = new Set(['__defaults__', '__kwdefaults__', '__doc__', '__annotations__', '__name__', '__qualname__', '__module__']);

/** Sentinel returned by a generator frame that returned. */
export const GEN_DONE = new PyPlain(null as unknown as PyType);

function joinNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

function cmpResult(c: number, op: CmpCode): boolean {
  switch (op) {
    case CmpCode.Lt:
      return c < 0;
    case CmpCode.LtE:
      return c <= 0;
    case CmpCode.Eq:
      return c === 0;
    case CmpCode.NotEq:
      return c !== 0;
    case CmpCode.Gt:
      return c > 0;
    case CmpCode.GtE:
      return c >= 0;
  }
}

function compareCodepoints(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i].codePointAt(0)!;
    const y = b[i].codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/** Python 2's arbitrary but consistent ordering of unrelated types (by type name). */
function py2Order(it: Interpreter, a: PyObject, b: PyObject, op: CmpCode): boolean {
  const na = a === it.rt.None ? '' : it.typeName(a);
  const nb = b === it.rt.None ? '' : it.typeName(b);
  const c = na < nb ? -1 : na > nb ? 1 : a.id - b.id;
  return cmpResult(c, op);
}

function complexRepr(c: PyComplex): string {
  const f = (x: number) => {
    const r = floatRepr(x);
    return r.endsWith('.0') ? r.slice(0, -2) : r;
  };
  if (c.real === 0 && !Object.is(c.real, -0)) return `${f(c.imag)}j`;
  const sign = c.imag < 0 || Object.is(c.imag, -0) ? '-' : '+';
  return `(${f(c.real)}${sign}${f(Math.abs(c.imag))}j)`;
}

function asciiOf(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) out += ch;
    else if (cp < 256) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 65536) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/**
 * complex_hash: hash(real) + 1000003 * hash(imag), in unsigned arithmetic
 * (3.11) or C long arithmetic (2.7); a NaN part hashes by identity in 3.11.
 */
function complexHash(py2: boolean, re: number, im: number, nanHash: () => PyHash): PyHash {
  const hr = BigInt(py2 ? floatHash27(re) : floatHash311(re, nanHash));
  const hi = BigInt(py2 ? floatHash27(im) : floatHash311(im, nanHash));
  let x = BigInt.asIntN(64, hr + 1000003n * hi);
  if (x === -1n) x = -2n;
  return Number.isSafeInteger(Number(x)) && BigInt(Number(x)) === x ? Number(x) : x;
}

function constKey(c: Const): string {
  switch (c.k) {
    case 'int':
      return c.py2long ? `L${c.v}` : `i${c.v}`;
    case 'float':
      return `f${Object.is(c.v, -0) ? '-0' : c.v}`;
    case 'complex':
      return `c${c.imag}`;
    case 'str':
      return `s${c.py2bytes ? 'b' : c.py2unicode ? 'u' : ''}${c.v}`;
    case 'bytes':
      return `b${Array.from(c.v).join(',')}`;
    case 'tuple':
      return `t(${c.items.map(constKey).join('|')})`;
    case 'frozenset':
      return `F(${c.items.map(constKey).join('|')})`;
    default:
      return c.k;
  }
}

export { PyClassObj, GcFlag };
