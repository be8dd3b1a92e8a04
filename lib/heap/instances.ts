/*
 * Instances of classes defined in Python.
 *
 * 3.11 (Py_TPFLAGS_MANAGED_DICT): attribute values live in an inline values
 * array indexed by the class's shared keys, and no dict object exists until
 * something asks for `__dict__` (vars(), obj.__dict__, too many attributes).
 * That is why a cycle of two plain instances is 2 objects in 3.11 and 4 in
 * 3.10 or 2.7, where every instance owns a dict from birth.
 *
 * subtype_traverse order: slot values, then inline values (or the dict), then
 * the type itself. Dealloc (subtype_dealloc): __del__, weakrefs, slots, then
 * the values first to last (or the dict), then the type reference.
 */
import { decodeAddress, encodeAddress, PyObject, type PyTypeLike, type Releaser, type Visit } from './object.js';

export class PyInstance extends PyObject {
  /** Inline values indexed like ob_type.sharedKeys; null when not used (dict materialised or 2.7). */
  values: (PyObject | null)[] | null;
  /** Materialised `__dict__` (a PyDict), or null. */
  dict: PyObject | null;
  /** `__slots__` values in slot order; null when the class has no slots. */
  slots: (PyObject | null)[] | null;
  /** The values array's address in encodeAddress form (a small integer, stored inline). */
  private valuesAt: number;
  valuesSize: number;

  // An explicit constructor with plain assignments: field initializers made
  // the bundler emit `constructor() { super(...arguments); ... }`, and the
  // spread of `arguments` on every instance creation cost ~8% of a script
  // that makes many instances (cycle_garbage).
  constructor(type: PyTypeLike) {
    super(type);
    this.values = null;
    this.dict = null;
    this.slots = null;
    this.valuesAt = 0;
    this.valuesSize = 0;
  }

  /** Simulated address of the values array (3.11). */
  get valuesAddr(): number {
    return decodeAddress(this.valuesAt);
  }
  set valuesAddr(a: number) {
    this.valuesAt = encodeAddress(a);
  }

  override traverse(visit: Visit): void {
    const s = this.slots;
    if (s) for (let i = 0; i < s.length; i++) if (s[i]) visit(s[i]!);
    const v = this.values;
    if (v) {
      for (let i = 0; i < v.length; i++) if (v[i]) visit(v[i]!);
    } else if (this.dict) visit(this.dict);
    visit(this.ob_type);
  }

  override clear(r: Releaser): void {
    const s = this.slots;
    if (s) {
      for (let i = 0; i < s.length; i++) {
        const o = s[i];
        if (o) {
          s[i] = null;
          r.decref(o);
        }
      }
    }
    const v = this.values;
    if (v) {
      for (let i = 0; i < v.length; i++) {
        const o = v[i];
        if (o) {
          v[i] = null;
          r.decref(o);
        }
      }
    }
    const d = this.dict;
    if (d) {
      this.dict = null;
      r.decref(d);
    }
  }
  // releaseContents = clear: slots, then values first to last, then the dict.
  // The type reference is dropped by the Runtime after the memory is freed.
}

/**
 * A 2.7 old-style instance (`instance` type): its class is a `classobj`
 * object, not a type, and it always has a dict.
 */
export class PyOldInstance extends PyObject {
  cls: PyObject;
  dict: PyObject;
  constructor(type: PyTypeLike, cls: PyObject, dict: PyObject) {
    super(type);
    this.cls = cls;
    this.dict = dict;
  }
  override traverse(visit: Visit): void {
    visit(this.cls);
    visit(this.dict);
  }
  override clear(r: Releaser): void {
    // instance_clear does not exist in 2.7 (the dict breaks cycles); nothing here.
    void r;
  }
  override releaseContents(r: Releaser): void {
    r.decref(this.dict);
    r.decref(this.cls);
  }
}

/** A 2.7 old-style class (`classobj`): name, bases tuple, dict. */
export class PyClassObj extends PyObject {
  name: string;
  bases: PyObject;
  dict: PyObject;
  hasDel = false;
  impl: unknown = null;
  constructor(type: PyTypeLike, name: string, bases: PyObject, dict: PyObject) {
    super(type);
    this.name = name;
    this.bases = bases;
    this.dict = dict;
  }
  override traverse(visit: Visit): void {
    visit(this.bases);
    visit(this.dict);
  }
  override releaseContents(r: Releaser): void {
    r.decref(this.bases);
    r.decref(this.dict);
  }
}
