/*
 * INTEGRATION POINT — an interim live-heap capture for the report.
 *
 * The real capture is `captureSnapshot(it, label, step)` in
 * lib/snapshot/capture.ts (objgraph's exact labels and reprs). Until it
 * exists, the recorder uses this small stand-in so `refscope report` works
 * end to end. It walks `Runtime.live` (the recorder turns `trackLive` on),
 * names objects without ever running Python code (a `__repr__` called in the
 * middle of a capture could allocate and change the heap it describes), and
 * labels references the way objgraph's `_edge_label` does for the common
 * cases: module and instance `__dict__`, dict keys, bound-method
 * `__self__`/`__func__`, function `__globals__`, 3.11 inline attributes.
 * Replace the one use in `defaultCapture` (capture.ts) and delete this file.
 */
import { PyCode, PyFunction, PyMethod, PyModule } from '../heap/callables.js';
import { PyDict, PyList, PySet, PyTuple } from '../heap/containers.js';
import { PyInstance } from '../heap/instances.js';
import { GcFlag, Gen, TypeFlag, type PyObject } from '../heap/object.js';
import { PyFloat, PyInt, PyStr } from '../heap/scalars.js';
import { PyType } from '../heap/types.js';
import type { Interpreter } from '../python/interp.js';
import { floatRepr } from '../python/text/float.js';
import { strRepr } from '../python/text/repr.js';
import { SnapshotBuilder } from '../snapshot/builder.js';
import { OTHER_EDGE, type EdgeLabel, type Generation, type Snapshot } from '../snapshot/model.js';

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

/** A snapshot of the interpreter's live heap (stand-in for lib/snapshot/capture.ts). */
export function interimCapture(it: Interpreter, label: string, step: number, script = ''): Snapshot {
  const rt = it.rt;
  const live = rt.live;
  if (!live) throw new Error('interimCapture needs a Runtime created with trackLive');
  const b = new SnapshotBuilder();
  const index = new Map<PyObject, number>();
  for (const o of live) {
    const t = o.ob_type as PyType;
    const module = o instanceof PyModule ? o.name : undefined;
    index.set(
      o,
      b.addObject({
        address: o.id,
        serial: o.serial,
        type: t.tp_name,
        typeLong: t.moduleName && t.moduleName !== 'builtins' ? `${t.moduleName}.${t.tp_name}` : t.tp_name,
        size: rt.sizeof(o),
        refcount: o.ob_refcnt,
        gen: generation(o),
        finalizer: (t.tp_flags & TypeFlag.HAS_FINALIZE) !== 0,
        finalized: (o.gcFlags & GcFlag.FINALIZED) !== 0,
        repr: nativeRepr(o),
        label: shortRepr(o),
        module,
      }),
    );
  }
  const mods = it.modules as PyDict;
  for (let k = 0; k < mods.ks.length; k++) {
    const key = mods.ks[k];
    const v = mods.vs[k];
    if (key instanceof PyStr && v && index.has(v)) b.addModule(key.v, index.get(v)!);
  }
  for (const [o, i] of index) {
    o.traverse((target) => {
      const j = index.get(target);
      if (j !== undefined) b.addReference(i, j, edgeLabel(o, target));
    });
  }
  return b.finish({ label, step, profile: rt.profile.version, script, createdBy: 'refscope' });
}

function generation(o: PyObject): Generation {
  if (o.gcNext === null) return null;
  if (o.gen === Gen.PERMANENT) return 'permanent';
  return o.gen === 0 || o.gen === 1 || o.gen === 2 ? o.gen : null;
}

function typeName(o: PyObject): string {
  return (o.ob_type as PyType).tp_name;
}

function hex(o: PyObject): string {
  return `0x${o.id.toString(16)}`;
}

function nativeRepr(o: PyObject): string {
  if (o instanceof PyStr) return strRepr(o.v);
  if (o instanceof PyInt) return String(o.v);
  if (o instanceof PyFloat) return floatRepr(o.v);
  if (o instanceof PyModule) return `<module '${o.name}'>`;
  if (o instanceof PyType) return `<class '${o.moduleName && o.moduleName !== 'builtins' ? o.moduleName + '.' : ''}${o.qualname}'>`;
  if (o instanceof PyFunction) return `<function ${(o.code as PyCode).qualname} at ${hex(o)}>`;
  if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict || o instanceof PySet) return `<${typeName(o)} of ${countItems(o)} items at ${hex(o)}>`;
  const t = o.ob_type as PyType;
  return `<${t.moduleName && t.moduleName !== 'builtins' ? t.moduleName + '.' : ''}${t.qualname} object at ${hex(o)}>`;
}

function countItems(o: PyObject): number {
  if (o instanceof PyList || o instanceof PyTuple) return o.items.length;
  if (o instanceof PyDict) return o.ks.reduce((n, k) => (k ? n + 1 : n), 0);
  if (o instanceof PySet) return o.table.reduce((n: number, k) => (k ? n + 1 : n), 0);
  return 0;
}

/** objgraph's `_short_repr`. */
function shortRepr(o: PyObject): string {
  if (o instanceof PyList || o instanceof PyTuple || o instanceof PyDict || o instanceof PySet) return `${countItems(o)} items`;
  if (o instanceof PyModule) return o.name;
  if (o instanceof PyType) return o.tp_name;
  if (o instanceof PyFunction) return (o.code as PyCode).name;
  return nativeRepr(o).slice(0, 40);
}

function edgeLabel(source: PyObject, target: PyObject): EdgeLabel {
  if (source instanceof PyModule || source instanceof PyInstance) {
    if ((source as { dict: PyObject | null }).dict === target) return { kind: '__dict__' };
  }
  if (source instanceof PyInstance && source.values) {
    const k = source.values.indexOf(target);
    const names = (source.ob_type as PyType).sharedKeys;
    if (k >= 0 && k < names.length) return { kind: 'key', name: names[k] };
  }
  if (source instanceof PyDict) {
    const k = source.vs.indexOf(target);
    const key = k >= 0 ? source.ks[k] : null;
    if (key instanceof PyStr && IDENTIFIER.test(key.v)) return { kind: 'key', name: key.v };
    if (key) return { kind: 'key-repr', keyType: typeName(key), keyTypeLong: typeName(key), keyRepr: nativeRepr(key).slice(0, 40) };
  }
  if (source instanceof PyMethod) {
    if (source.self === target) return { kind: '__self__' };
    if (source.func === target) return { kind: '__func__' };
  }
  if (source instanceof PyFunction && source.globals === target) return { kind: '__globals__' };
  return OTHER_EDGE;
}
