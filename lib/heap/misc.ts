/*
 * Small GC objects whose behaviour the interpreter defines: iterators,
 * views, slices, enumerate/zip/map/filter, functools.partial, deque and the
 * like. They share one layout: a few owned references visited in order, plus
 * interpreter-private state that holds no Python references of its own.
 * Weak references have their own class because the collector treats them
 * specially (handle_weakrefs).
 */
import type { PyHash } from './hash.js';
import { PyObject, type PyTypeLike, type Releaser, type Visit } from './object.js';

export class PyHolder extends PyObject {
  /** Owned references, visited in this order; null slots are skipped. */
  refs: (PyObject | null)[];
  /** Interpreter-private state (indices, flags); never holds PyObjects. */
  state: unknown;
  /** `__dict__` of an instance of a subclass (e.g. a deque subclass). */
  instDict: PyObject | null = null;
  constructor(type: PyTypeLike, refs: (PyObject | null)[], state: unknown = null) {
    super(type);
    this.refs = refs;
    this.state = state;
  }
  override traverse(visit: Visit): void {
    const r = this.refs;
    for (let i = 0; i < r.length; i++) if (r[i]) visit(r[i]!);
    if (this.instDict) visit(this.instDict);
  }
  override clear(rel: Releaser): void {
    const r = this.refs;
    for (let i = 0; i < r.length; i++) {
      const o = r[i];
      if (o) {
        r[i] = null;
        rel.decref(o);
      }
    }
    const d = this.instDict;
    this.instDict = null;
    rel.xdecref(d);
  }
}

/**
 * weakref.ref / weakref.proxy. The referent is *not* owned; the callback is.
 * `referent` becomes null when the weakref is cleared.
 */
export class PyWeakref extends PyObject {
  referent: PyObject | null;
  callback: PyObject | null;
  hash: PyHash | undefined = undefined;
  isProxy: boolean;
  constructor(type: PyTypeLike, referent: PyObject, callback: PyObject | null, isProxy: boolean) {
    super(type);
    this.referent = referent;
    this.callback = callback;
    this.isProxy = isProxy;
  }
  override traverse(visit: Visit): void {
    if (this.callback) visit(this.callback);
  }
  /** clear_weakref: detach from the referent's list and drop the callback. */
  override clear(r: Releaser): void {
    this.detach();
    const cb = this.callback;
    this.callback = null;
    r.xdecref(cb);
  }
  /** Removes this weakref from its referent's list; the referent reads as dead afterwards. */
  detach(): void {
    const o = this.referent;
    if (o === null) return;
    this.referent = null;
    const list = o.weakrefs;
    if (list) {
      const i = list.indexOf(this);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) o.weakrefs = null;
    }
  }
}
