/*
 * Execution state that the heap can see: interpreter frames, frame objects,
 * generators, exceptions and tracebacks.
 *
 * As in CPython 3.11, a running function's frame (`Frame`, the
 * _PyInterpreterFrame) is not a Python object: the references it holds
 * (locals, the value stack) are simply external references that keep
 * objects alive, which is how the collector finds roots without asking the
 * interpreter. A frame *object* (PyFrameObject) exists only when something
 * needs one: a traceback, sys._getframe(), or a generator (which owns its
 * frame and makes it visible to the collector through gi_frame).
 */
import { PyObject, type PyTypeLike, type Releaser, type Visit } from './object.js';

export class Frame {
  /** The function being run (null for module code and class bodies). */
  func: PyObject | null;
  code: PyObject;
  globals: PyObject;
  builtins: PyObject;
  /** Explicit locals mapping (module/class bodies) or null for fast locals. */
  locals: PyObject | null;
  /** Fast locals, then cells and free variables (localsplus). */
  fast: (PyObject | null)[];
  /** Value stack; entries above sp are stale. */
  stack: (PyObject | null)[];
  sp = 0;
  /** Index of the next instruction; the interpreter owns its meaning. */
  pc = 0;
  /** Source line of the current instruction (for tracebacks and frame objects). */
  lineno = 0;
  back: Frame | null = null;
  /** The frame object once materialised. */
  frameObj: PyFrameObject | null = null;
  /** The generator owning this frame, if any. */
  gen: PyGenerator | null = null;
  /** Interpreter-private state (block stack, handler, ...). */
  extra: unknown = null;
  finished = false;

  constructor(func: PyObject | null, code: PyObject, globals: PyObject, builtins: PyObject, locals: PyObject | null, nfast: number, stackSize: number) {
    this.func = func;
    this.code = code;
    this.globals = globals;
    this.builtins = builtins;
    this.locals = locals;
    this.fast = new Array(nfast).fill(null);
    this.stack = new Array(stackSize).fill(null);
  }

  /** _PyFrame_Traverse: locals mapping, function, code, then localsplus and the live stack. */
  traverse(visit: Visit): void {
    if (this.locals) visit(this.locals);
    if (this.func) visit(this.func);
    visit(this.code);
    const f = this.fast;
    for (let i = 0; i < f.length; i++) if (f[i]) visit(f[i]!);
    const s = this.stack;
    for (let i = 0; i < this.sp; i++) if (s[i]) visit(s[i]!);
  }

  /** Releases every reference the frame owns (frame exit or frame object death). */
  release(r: Releaser): void {
    const s = this.stack;
    for (let i = this.sp - 1; i >= 0; i--) {
      const o = s[i];
      s[i] = null;
      if (o) r.decref(o);
    }
    this.sp = 0;
    const f = this.fast;
    for (let i = 0; i < f.length; i++) {
      const o = f[i];
      if (o) {
        f[i] = null;
        r.decref(o);
      }
    }
    const { locals, func, code, globals, builtins } = this;
    this.locals = null;
    this.func = null;
    r.xdecref(locals);
    r.xdecref(func);
    r.decref(code);
    r.decref(globals);
    r.decref(builtins);
    this.finished = true;
  }
}

/** A frame object: keeps a finished frame's locals alive (tracebacks, _getframe). */
export class PyFrameObject extends PyObject {
  frame: Frame;
  /** f_back as an object, when materialised. */
  back: PyObject | null = null;
  /** The frame data is owned by this object (the function returned). */
  ownsFrame = false;
  /** co_nlocalsplus + co_stacksize of the code: the variable part of the object's size. */
  slots: number;
  constructor(type: PyTypeLike, frame: Frame, slots: number) {
    super(type);
    this.frame = frame;
    this.slots = slots;
  }
  override traverse(visit: Visit): void {
    if (this.back) visit(this.back);
    if (this.ownsFrame) this.frame.traverse(visit);
  }
  override clear(r: Releaser): void {
    if (this.ownsFrame && !this.frame.finished) {
      // frame_tp_clear drops the locals and the stack, not code/globals.
      const f = this.frame.fast;
      for (let i = 0; i < f.length; i++) {
        const o = f[i];
        if (o) {
          f[i] = null;
          r.decref(o);
        }
      }
      const s = this.frame.stack;
      for (let i = this.frame.sp - 1; i >= 0; i--) {
        const o = s[i];
        s[i] = null;
        if (o) r.decref(o);
      }
      this.frame.sp = 0;
    }
  }
  override releaseContents(r: Releaser): void {
    const b = this.back;
    this.back = null;
    if (this.ownsFrame && !this.frame.finished) this.frame.release(r);
    r.xdecref(b);
  }
}

export class PyGenerator extends PyObject {
  frame: Frame;
  name: PyObject;
  qualname: PyObject;
  running = false;
  /** The frame has returned or raised: the generator is exhausted. */
  done = false;
  started = false;
  /** 3.11: co_nlocalsplus + co_stacksize, the frame embedded in the object (its variable size). */
  slots: number;
  constructor(type: PyTypeLike, frame: Frame, name: PyObject, qualname: PyObject, slots: number) {
    super(type);
    this.frame = frame;
    this.slots = slots;
    this.name = name;
    this.qualname = qualname;
  }
  override traverse(visit: Visit): void {
    if (!this.done) this.frame.traverse(visit);
    visit(this.name);
    visit(this.qualname);
  }
  override clear(r: Releaser): void {
    if (!this.done) {
      this.done = true;
      this.frame.release(r);
    }
  }
  override releaseContents(r: Releaser): void {
    this.clear(r);
    r.decref(this.qualname);
    r.decref(this.name);
  }
}

export class PyTraceback extends PyObject {
  next: PyObject | null;
  frame: PyObject;
  lineno: number;
  /** tb_lasti: the instruction that was running (its location is underlined in 3.11 tracebacks); -1 unknown. */
  lasti = -1;
  constructor(type: PyTypeLike, next: PyObject | null, frame: PyObject, lineno: number) {
    super(type);
    this.next = next;
    this.frame = frame;
    this.lineno = lineno;
  }
  override traverse(visit: Visit): void {
    if (this.next) visit(this.next);
    visit(this.frame);
  }
  override clear(r: Releaser): void {
    const n = this.next;
    this.next = null;
    r.xdecref(n);
  }
  override releaseContents(r: Releaser): void {
    this.clear(r);
    r.decref(this.frame);
  }
}

export class PyBaseException extends PyObject {
  args: PyObject;
  dict: PyObject | null = null;
  traceback: PyObject | null = null;
  context: PyObject | null = null;
  cause: PyObject | null = null;
  suppressContext = false;
  constructor(type: PyTypeLike, args: PyObject) {
    super(type);
    this.args = args;
  }
  override traverse(visit: Visit): void {
    if (this.dict) visit(this.dict);
    visit(this.args);
    if (this.traceback) visit(this.traceback);
    if (this.context) visit(this.context);
    if (this.cause) visit(this.cause);
  }
  override clear(r: Releaser): void {
    const { dict, traceback, context, cause } = this;
    this.dict = this.traceback = this.context = this.cause = null;
    r.xdecref(dict);
    r.xdecref(traceback);
    r.xdecref(context);
    r.xdecref(cause);
  }
  override releaseContents(r: Releaser): void {
    this.clear(r);
    r.decref(this.args);
  }
}
