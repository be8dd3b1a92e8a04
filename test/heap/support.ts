// Shared fixtures for the heap and gc suites: a Runtime with a live-object
// registry and recording hooks, checked for consistency after every test.
//
// REFSCOPE_STRESS=1 reruns every test that allows it with `stress: true`
// (a full collection on every GC allocation). Tests whose subject is the
// automatic-collection schedule itself (counts, thresholds, free-list and
// address reuse) pass `stressable: false`; the stress pass skips them.
import * as assert from 'uvu/assert';
import { checkConsistency } from '../../lib/heap/consistency.js';
import type { PyInstance } from '../../lib/heap/instances.js';
import type { PyWeakref } from '../../lib/heap/misc.js';
import { TypeFlag, type PyObject } from '../../lib/heap/object.js';
import { PROFILE_27, PROFILE_311, type Profile } from '../../lib/heap/profile.js';
import { Runtime, type RuntimeHooks } from '../../lib/heap/runtime.js';
import type { PyType } from '../../lib/heap/types.js';

export const STRESS = process.env.REFSCOPE_STRESS === '1';

/** Hooks that record what the runtime asks of the interpreter. */
export class RecordingHooks implements RuntimeHooks {
  readonly events: string[] = [];
  stderr = '';
  /** Seconds returned by the fake clock; tests may advance it. */
  now = 0;
  /** Extra behaviour of __del__ (e.g. resurrection). */
  onFinalize: ((o: PyObject) => void) | null = null;
  onWeakrefCallback: ((w: PyWeakref) => void) | null = null;
  /** Names for debug lines and events; defaults to the type name. */
  readonly names = new Map<PyObject, string>();

  /** The recorded events without gc callbacks (which stress mode multiplies). */
  lifecycle(): string[] {
    return this.events.filter((e) => !e.startsWith('gc '));
  }
  label(o: PyObject): string {
    return this.names.get(o) ?? (o.ob_type as PyType).tp_name;
  }
  finalize(o: PyObject): void {
    this.events.push(`__del__ ${this.label(o)}`);
    this.onFinalize?.(o);
  }
  callWeakrefCallback(wr: PyWeakref): void {
    this.events.push(`callback ${this.label(wr)} referent=${wr.referent === null ? 'None' : 'alive'}`);
    this.onWeakrefCallback?.(wr);
  }
  invokeGcCallbacks(phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void {
    this.events.push(`gc ${phase} ${generation} ${collected} ${uncollectable}`);
  }
  errorPending(): boolean {
    return false;
  }
  debugRepr(o: PyObject): string {
    return `${(o.ob_type as PyType).tp_name} 0x${o.id.toString(16)}`;
  }
  writeStderr(s: string): void {
    this.stderr += s;
  }
  clock(): number {
    return this.now;
  }
}

export interface Ctx {
  rt: Runtime;
  hooks: RecordingHooks;
  /** The test runs under stress (collect on every GC allocation). */
  stress: boolean;
  /**
   * Declares references the test still holds at its end (like variables of
   * a script); the final check requires every other reference to be
   * accounted for by live objects.
   */
  keep(o: PyObject, n?: number): void;
}

export interface RuntimeOpts {
  profile?: Profile | '2.7' | '3.11';
  /** Default true: the test's assertions hold whether or not stress mode collects on every allocation. */
  stressable?: boolean;
  /** Run the final consistency check (default true). */
  check?: boolean;
}

/**
 * Runs `fn` on a fresh Runtime (live registry on, recording hooks) and then
 * asserts checkConsistency with the references declared through ctx.keep.
 * Automatic collection is left enabled; tests follow CPython's recipe and
 * disable it themselves where the exact counts matter.
 */
export function withRuntime(opts: RuntimeOpts, fn: (ctx: Ctx) => void): void {
  const hooks = new RecordingHooks();
  const profile = opts.profile === '2.7' ? PROFILE_27 : opts.profile === '3.11' || opts.profile === undefined ? PROFILE_311 : opts.profile;
  // Under REFSCOPE_STRESS a test that cannot run stressed would only repeat
  // the normal run, so it is skipped there.
  if (STRESS && opts.stressable === false) return;
  const stress = STRESS;
  const rt = new Runtime({ profile, hooks, trackLive: true, stress });
  const roots = new Map<PyObject, number>();
  const ctx: Ctx = {
    rt,
    hooks,
    stress,
    keep(o, n = 1) {
      roots.set(o, (roots.get(o) ?? 0) + n);
    },
  };
  fn(ctx);
  if (opts.check !== false) assert.equal(checkConsistency(rt, roots), [], 'heap consistency');
}

/** CPython's test_gc preamble: gc.disable(); gc.collect(). */
export function quiesce(rt: Runtime): void {
  rt.gc.enabled = false;
  rt.gc.collectManual(2);
}

/** A class statement's result, reduced to what the heap needs. */
export function heapType(rt: Runtime, name: string, opts: { del?: boolean; slots?: string[] } = {}): PyType {
  const flags = opts.del ? TypeFlag.HAS_FINALIZE : 0;
  const ty = rt.newHeapType(name, rt.objectType, flags);
  if (opts.slots) {
    ty.slotNames = opts.slots;
    ty.hasInstanceDict = false;
    ty.tp_flags &= ~TypeFlag.MANAGED_DICT;
    // No __dict__ / __weakref__ slots: back to object's basicsize.
    ty.tp_basicsize = rt.objectType.tp_basicsize;
  }
  return ty;
}

/** `o.name = value` with a new reference to value. */
export function setattr(rt: Runtime, o: PyInstance, name: string, value: PyObject): void {
  rt.incref(value);
  rt.instanceSetAttr(o, name, value);
}

/** The objects of a generation list, in order. */
export function genList(rt: Runtime, g: number): PyObject[] {
  return rt.gc.objects(g);
}
