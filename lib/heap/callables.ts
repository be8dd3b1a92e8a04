/*
 * Functions and their companions: code, function, cell, bound method,
 * built-in function, staticmethod/classmethod/property, getset descriptors,
 * modules.
 *
 * Field order mirrors each CPython struct's tp_traverse so gc.get_referents
 * and objgraph edges come out in CPython's order. A function refers to its
 * globals dict (that edge is the `__globals__` edge objgraph draws), its
 * defaults tuple, its closure tuple of cells, and its name strings.
 */
import { PyObject, type PyTypeLike, type Releaser, type Visit } from './object.js';

/**
 * A code object. Not a GC type in CPython (never tracked), but it owns its
 * constants, so constant tuples and strings stay alive as long as the code.
 * `body` is the interpreter's compiled form, opaque to the heap.
 */
export class PyCode extends PyObject {
  consts: PyObject[];
  name: string;
  qualname: string;
  filename: string;
  firstlineno: number;
  body: unknown;
  /** co_name and co_qualname as interned str objects (owned), set by whoever makes the code object. */
  names: PyObject[] = [];
  constructor(type: PyTypeLike, consts: PyObject[], name: string, qualname: string, filename: string, firstlineno: number, body: unknown) {
    super(type);
    this.consts = consts;
    this.name = name;
    this.qualname = qualname;
    this.filename = filename;
    this.firstlineno = firstlineno;
    this.body = body;
  }
  override releaseContents(r: Releaser): void {
    const c = this.consts;
    this.consts = [];
    for (let i = c.length - 1; i >= 0; i--) r.decref(c[i]);
    const n = this.names;
    this.names = [];
    for (const s of n) r.decref(s);
  }
}

export class PyFunction extends PyObject {
  code: PyCode;
  globals: PyObject;
  builtins: PyObject;
  module: PyObject | null;
  defaults: PyObject | null = null;
  kwdefaults: PyObject | null = null;
  doc: PyObject | null = null;
  name: PyObject;
  dict: PyObject | null = null;
  closure: PyObject | null = null;
  annotations: PyObject | null = null;
  qualname: PyObject;
  constructor(type: PyTypeLike, code: PyCode, globals: PyObject, builtins: PyObject, module: PyObject | null, name: PyObject, qualname: PyObject) {
    super(type);
    this.code = code;
    this.globals = globals;
    this.builtins = builtins;
    this.module = module;
    this.name = name;
    this.qualname = qualname;
  }
  override traverse(visit: Visit): void {
    visit(this.code);
    visit(this.globals);
    visit(this.builtins);
    if (this.module) visit(this.module);
    if (this.defaults) visit(this.defaults);
    if (this.kwdefaults) visit(this.kwdefaults);
    if (this.doc) visit(this.doc);
    visit(this.name);
    if (this.dict) visit(this.dict);
    if (this.closure) visit(this.closure);
    if (this.annotations) visit(this.annotations);
    visit(this.qualname);
  }
  override clear(r: Releaser): void {
    // func_clear drops everything but code, name and qualname... and globals/builtins too.
    const { globals, builtins, module, defaults, kwdefaults, doc, dict, closure, annotations } = this;
    this.module = this.defaults = this.kwdefaults = this.doc = this.dict = this.closure = this.annotations = null;
    this.globals = this.builtins = NULL_REF;
    if (globals !== NULL_REF) r.decref(globals);
    if (builtins !== NULL_REF) r.decref(builtins);
    r.xdecref(module);
    r.xdecref(defaults);
    r.xdecref(kwdefaults);
    r.xdecref(doc);
    r.xdecref(dict);
    r.xdecref(closure);
    r.xdecref(annotations);
  }
  override releaseContents(r: Releaser): void {
    const { code, name, qualname } = this;
    this.clear(r);
    r.decref(code);
    r.decref(name);
    r.decref(qualname);
  }
}

/**
 * A placeholder for a reference slot that tp_clear emptied (C's NULL). It is
 * never refcounted and never visited.
 */
export const NULL_REF = new PyObject(null as unknown as PyTypeLike);

export class PyCell extends PyObject {
  ref: PyObject | null;
  constructor(type: PyTypeLike, ref: PyObject | null) {
    super(type);
    this.ref = ref;
  }
  override traverse(visit: Visit): void {
    if (this.ref) visit(this.ref);
  }
  override clear(r: Releaser): void {
    const v = this.ref;
    this.ref = null;
    r.xdecref(v);
  }
}

/** A bound method: `obj.method` read as a value. */
export class PyMethod extends PyObject {
  func: PyObject;
  self: PyObject;
  constructor(type: PyTypeLike, func: PyObject, self: PyObject) {
    super(type);
    this.func = func;
    this.self = self;
  }
  override traverse(visit: Visit): void {
    visit(this.func);
    visit(this.self);
  }
  override releaseContents(r: Releaser): void {
    r.decref(this.self);
    r.decref(this.func);
  }
}

/** Signature of a built-in function's implementation; the interpreter decides its shape. */
export type BuiltinImpl = (...args: never[]) => unknown;

/** builtin_function_or_method: `len`, `gc.collect`, or a method bound to a builtin object. */
export class PyBuiltinFunction extends PyObject {
  name: string;
  impl: BuiltinImpl;
  /** `__self__`: the module for module functions, the object for bound builtin methods. */
  self: PyObject | null;
  qualname: string;
  constructor(type: PyTypeLike, name: string, impl: BuiltinImpl, self: PyObject | null, qualname = name) {
    super(type);
    this.name = name;
    this.impl = impl;
    this.self = self;
    this.qualname = qualname;
  }
  override traverse(visit: Visit): void {
    if (this.self) visit(this.self);
  }
  override releaseContents(r: Releaser): void {
    const s = this.self;
    this.self = null;
    r.xdecref(s);
  }
}

/** staticmethod and classmethod wrappers, and any descriptor holding one callable. */
export class PyWrapper extends PyObject {
  callable: PyObject | null;
  dict: PyObject | null = null;
  constructor(type: PyTypeLike, callable: PyObject) {
    super(type);
    this.callable = callable;
  }
  override traverse(visit: Visit): void {
    if (this.callable) visit(this.callable);
    if (this.dict) visit(this.dict);
  }
  override clear(r: Releaser): void {
    const c = this.callable;
    const d = this.dict;
    this.callable = null;
    this.dict = null;
    r.xdecref(c);
    r.xdecref(d);
  }
}

export class PyProperty extends PyObject {
  fget: PyObject | null;
  fset: PyObject | null;
  fdel: PyObject | null;
  doc: PyObject | null;
  constructor(type: PyTypeLike, fget: PyObject | null, fset: PyObject | null, fdel: PyObject | null, doc: PyObject | null) {
    super(type);
    this.fget = fget;
    this.fset = fset;
    this.fdel = fdel;
    this.doc = doc;
  }
  override traverse(visit: Visit): void {
    if (this.fget) visit(this.fget);
    if (this.fset) visit(this.fset);
    if (this.fdel) visit(this.fdel);
    if (this.doc) visit(this.doc);
  }
  override clear(r: Releaser): void {
    const { fget, fset, fdel, doc } = this;
    this.fget = this.fset = this.fdel = this.doc = null;
    r.xdecref(fget);
    r.xdecref(fset);
    r.xdecref(fdel);
    r.xdecref(doc);
  }
}

/** getset_descriptor: `C.__dict__['__dict__']`; it holds a reference to its class. */
export class PyGetSetDescriptor extends PyObject {
  owner: PyObject;
  name: string;
  constructor(type: PyTypeLike, owner: PyObject, name: string) {
    super(type);
    this.owner = owner;
    this.name = name;
  }
  override traverse(visit: Visit): void {
    visit(this.owner);
  }
  override releaseContents(r: Releaser): void {
    r.decref(this.owner);
  }
}

export class PyModule extends PyObject {
  dict: PyObject;
  name: string;
  constructor(type: PyTypeLike, dict: PyObject, name: string) {
    super(type);
    this.dict = dict;
    this.name = name;
  }
  override traverse(visit: Visit): void {
    visit(this.dict);
  }
  override clear(_r: Releaser): void {
    // Module clearing happens at interpreter shutdown only; the dict stays.
  }
  override releaseContents(r: Releaser): void {
    r.decref(this.dict);
  }
}
