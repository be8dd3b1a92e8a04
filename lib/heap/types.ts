/*
 * Type objects.
 *
 * A PyType is itself a Python object (its type is `type`). Static built-in
 * types (int, list, ...) are created once per Runtime with immortal-ish
 * refcounts and are not GC-tracked; classes made by a `class` statement are
 * heap types: GC-tracked, holding references to their dict, bases and mro
 * tuples, and referenced by each of their instances (ob_type) and by the
 * `__dict__` / `__weakref__` getset descriptors CPython puts in the class
 * dict. That is why `sys.getrefcount(C)` is 6 with one instance alive.
 *
 * Behaviour (attribute lookup, operators) is the interpreter's business; the
 * heap only needs each type's name, flags, layout and references.
 */
import { Gen, PyObject, TypeFlag, type PyTypeLike, type Releaser, type Visit } from './object.js';

/** Which JS class the instances of a type are made of (the C struct layout). */
export type Layout =
  | 'object' | 'type' | 'int' | 'bool' | 'float' | 'complex' | 'str' | 'bytes' | 'bytearray'
  | 'none' | 'notimplemented' | 'ellipsis' | 'tuple' | 'list' | 'dict' | 'set' | 'frozenset'
  | 'range' | 'slice' | 'function' | 'builtin_function' | 'method' | 'cell' | 'code' | 'module'
  | 'weakref' | 'weakproxy' | 'property' | 'staticmethod' | 'classmethod' | 'getset_descriptor'
  | 'iterator' | 'generator' | 'frame' | 'traceback' | 'exception' | 'instance' | 'oldinstance'
  | 'classobj' | 'dictview' | 'other';

export class PyType extends PyObject implements PyTypeLike {
  tp_name: string;
  tp_flags: number;
  /** Base used for layout; null only for `object`. */
  tp_base: PyType | null;
  /** `__bases__` tuple and `__mro__` tuple (PyTuple) for heap types; set by the interpreter. */
  tp_bases: PyObject | null = null;
  tp_mro: PyObject | null = null;
  /** Fast path: the mro as a JS array (first is the type itself). */
  mro: PyType[];
  /** The class namespace (a PyDict); static types get theirs lazily. */
  tp_dict: PyObject | null = null;
  /** sizeof the instance struct (without GC header / pre-header), for getsizeof. */
  tp_basicsize: number;
  tp_itemsize: number;
  layout: Layout;
  /** `__module__` for long type names; '' for builtins. */
  moduleName: string;
  /** `__qualname__` */
  qualname: string;
  /** 3.11 shared keys of a managed-dict class: attribute names in first-set order. */
  sharedKeys: string[] = [];
  /**
   * dk_usable of those shared keys: _PyDict_NewKeysForClass starts it at
   * SHARED_KEYS_MAX_SIZE (30), each new instance takes one while it is above
   * one (init_inline_values), each new key one. At 0 no key can be added and
   * an instance's attributes go to a combined dict.
   */
  sharedKeysUsable = 30;
  /** Names of `__slots__` (without __dict__/__weakref__), in order, or null when the class has none. */
  slotNames: string[] | null = null;
  /** Instances have a `__dict__` (no __slots__, or __dict__ listed in __slots__). */
  hasInstanceDict = true;
  /** Interpreter-private per-type data (method caches, builtin behaviour tables). */
  impl: unknown = null;
  /** Version counter bumped on class dict mutation, for lookup caches. */
  version = 0;

  constructor(metatype: PyTypeLike | null, name: string, flags: number, base: PyType | null, layout: Layout, basicsize: number, itemsize = 0) {
    // The metatype of `type` is `type` itself; patched right after creation.
    super(metatype as PyTypeLike);
    this.tp_name = name;
    this.tp_flags = flags;
    this.tp_base = base;
    this.layout = layout;
    this.tp_basicsize = basicsize;
    this.tp_itemsize = itemsize;
    this.moduleName = '';
    this.qualname = name;
    this.mro = base ? [this, ...base.mro] : [this];
  }

  get isHeapType(): boolean {
    return (this.tp_flags & TypeFlag.HEAPTYPE) !== 0;
  }
  get isGC(): boolean {
    return (this.tp_flags & TypeFlag.HAVE_GC) !== 0;
  }
  isSubtypeOf(other: PyType): boolean {
    if (this === other) return true;
    const mro = this.mro;
    for (let i = 1; i < mro.length; i++) if (mro[i] === other) return true;
    return false;
  }

  override traverse(visit: Visit): void {
    // type_traverse order: tp_dict, tp_cache, tp_mro, tp_bases, tp_base
    if (!this.isHeapType) return;
    if (this.tp_dict) visit(this.tp_dict);
    if (this.tp_mro) visit(this.tp_mro);
    if (this.tp_bases) visit(this.tp_bases);
    if (this.tp_base) visit(this.tp_base);
  }

  override clear(r: Releaser): void {
    // type_clear empties the dict and drops __mro__ (which refers back to the
    // type); bases stay until dealloc.
    const d = this.tp_dict;
    if (d && (d as { clearContents?: (r: Releaser) => void }).clearContents) {
      (d as unknown as { clearContents: (r: Releaser) => void }).clearContents(r);
    }
    const mro = this.tp_mro;
    this.tp_mro = null;
    r.xdecref(mro);
  }

  override releaseContents(r: Releaser): void {
    const { tp_dict, tp_mro, tp_bases, tp_base } = this;
    this.tp_dict = this.tp_mro = this.tp_bases = null;
    r.xdecref(tp_bases);
    r.xdecref(tp_base);
    r.xdecref(tp_mro);
    r.xdecref(tp_dict);
  }
}

export { Gen };
