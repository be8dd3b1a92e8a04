/*
 * Running a script: parse, compile, execute on a fresh Runtime, print an
 * uncaught exception as CPython does, and return the process exit status.
 * `runScript` never throws for anything the script does; only internal bugs
 * escape as JS errors.
 */
import { PyDict } from '../heap/containers.js';
import { ConsistencyWatch } from '../heap/consistency.js';
import { PyBaseException } from '../heap/frames.js';
import { Runtime, SimulatedMemoryError } from '../heap/runtime.js';
import { PyInt, PyStr } from '../heap/scalars.js';
import { profileFor, type Profile } from '../heap/profile.js';
import { installBuiltins, installTypeNewWrappers } from './builtins.js';
import { CompileError, compileModule, type CodeUnit } from './compiler.js';
import { PyExc } from './errors.js';
import { Interpreter } from './interp.js';
import { installModules } from './modules.js';
import { installObjgraph } from '../objgraph/module.js';
import { installRefscopeModule, SnapshotRecorder } from '../snapshot/capture.js';
import { installProtocol } from './protocol.js';
import { installStdlib } from './stdlib/index.js';
import { formatSyntaxError, isPySyntaxError, SourceTooDeep } from './syntax/errors.js';
import { parse } from './syntax/parser.js';

/** Thrown from the interpreter's poll when --timeout is reached (never catchable by the script). */
export class ScriptTimeout extends Error {}

/**
 * Ctrl-C delivery. `RunOptions.interrupt` is a shared cell that another
 * thread (the CLI's main thread, which receives SIGINT while the script runs
 * in a worker) increments once per SIGINT and `Atomics.notify`s. The
 * interpreter polls it where it already polls --timeout (backward jumps and
 * the end of loops, every few thousand times; time.sleep waits on it), takes
 * every pending SIGINT at once (CPython's tripped flag, which also coalesces
 * signals that arrive before the eval breaker runs) and raises
 * KeyboardInterrupt at the current instruction, so `except`, `finally` and
 * `with` see it as in CPython.
 */
export const INTERRUPT_PENDING = 0;
/** `RunResult.exitCode` of a 3.x script ended by an uncaught KeyboardInterrupt: 128 + SIGINT, what a shell shows for CPython. */
export const EXIT_INTERRUPTED = 130;

export interface RunOptions {
  /** Stop the script after this many seconds (exit status 124). */
  timeout?: number;
  /** Ctrl-C: a shared Int32Array whose cell INTERRUPT_PENDING counts SIGINTs not yet delivered (see INTERRUPT_PENDING). */
  interrupt?: Int32Array;
  /** Simulated heap limit in bytes (MemoryError beyond it). */
  maxMemory?: number;
  python?: '3.11' | '2.7';
  /** A profile to run on instead of `python`'s (e.g. 3.11 with legacy finalizers, for the audit's proof run). */
  profile?: Profile;
  /** Keep the Runtime's registry of live objects (snapshots and allocation sites need it; `check` implies it). */
  trackLive?: boolean;
  argv?: string[];
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  stress?: boolean;
  /**
   * `refscope run --check`: keep the registry of live objects and check heap
   * consistency after every collection, after the script and after shutdown
   * (the problems are in `RunResult.problems`).
   */
  check?: boolean;
  maxObjects?: number;
  /** `refscope run --snapshots DIR`: write `DIR/NNN-label.json` per `refscope.snapshot(label)` call and `NNN-end.json` at the end */
  snapshots?: string;
  /** What `refscope.snapshot(label)` does (runSource sets it from `snapshots`); without it the call does nothing. */
  onSnapshot?: (it: Interpreter, label: string) => void;
}

export interface RunResult {
  exitCode: number;
  runtime: Runtime;
  interpreter: Interpreter;
  /** With `check`: the consistency problems found, each prefixed with where (empty when the heap stayed sound). */
  problems?: string[];
  /** snapshot files written (with `snapshots`), in order */
  snapshots?: string[];
  /**
   * The script ended with an uncaught KeyboardInterrupt under 3.x: CPython
   * then ends itself by SIGINT (so that a calling shell stops too); the
   * caller should do the same (`exitCode` is 130 for callers that cannot).
   */
  interrupted?: boolean;
}

/** Builds an interpreter with builtins and modules on a new runtime. */
export function createInterpreter(opts: RunOptions = {}): Interpreter {
  const profile = opts.profile ?? profileFor(opts.python ?? '3.11');
  const rt = new Runtime({ profile, stress: opts.stress, trackLive: opts.check || opts.trackLive, maxObjects: opts.maxObjects, maxBytes: opts.maxMemory });
  const deadline = opts.timeout ? performance.now() + opts.timeout * 1000 : Infinity;
  // Without a Ctrl-C channel a private cell still gives time.sleep something to wait on.
  const interrupt = opts.interrupt ?? new Int32Array(new SharedArrayBuffer(4));
  const it: Interpreter = new Interpreter(rt, {
    stdout: opts.stdout ?? ((s) => process.stdout.write(s)),
    stderr: opts.stderr ?? ((s) => process.stderr.write(s)),
    argv: opts.argv ?? [''],
    poll: (sleepSeconds) => {
      if (sleepSeconds !== undefined) {
        // time.sleep: block until the time is up, a Ctrl-C arrives or --timeout is reached.
        const end = Math.min(performance.now() + sleepSeconds * 1000, deadline);
        for (let left = end - performance.now(); left > 0 && Atomics.load(interrupt, INTERRUPT_PENDING) === 0; left = end - performance.now()) {
          Atomics.wait(interrupt, INTERRUPT_PENDING, 0, left);
        }
      }
      if (Atomics.load(interrupt, INTERRUPT_PENDING) !== 0) {
        Atomics.store(interrupt, INTERRUPT_PENDING, 0);
        // Raised like any exception: chained to the one being handled (a second Ctrl-C in an except block).
        const exc = it.newExc(it.exc.KeyboardInterrupt);
        it.setContext(exc);
        throw new PyExc(exc);
      }
      if (performance.now() > deadline) throw new ScriptTimeout(`stopped after ${opts.timeout} s (--timeout)`);
    },
  });
  it.extraModules = new Map();
  installProtocol(it);
  installBuiltins(it);
  installModules(it);
  installObjgraph(it);
  const onSnapshot = opts.onSnapshot;
  installRefscopeModule(it, onSnapshot ? (label) => onSnapshot(it, label) : undefined);
  installStdlib(it);
  installTypeNewWrappers(it);
  return it;
}

/** Runs Python source as `__main__`; returns the exit status CPython would. */
export function runSource(source: string, filename: string, opts: RunOptions = {}): RunResult {
  const recorder = opts.snapshots ? new SnapshotRecorder(opts.snapshots, filename) : null;
  const it = createInterpreter(recorder ? { ...opts, onSnapshot: (i, label) => recorder.record(i, label) } : opts);
  const watch = opts.check ? new ConsistencyWatch(it.rt) : null;
  let snapshots: string[] | undefined;
  const r = runMain(it, source, filename, {
    beforeShutdown: () => {
      // The end step is the heap as the script left it, before shutdown clears __main__.
      snapshots = recorder ? (recorder.record(it, 'end'), recorder.written) : undefined;
      watch?.check('after the script');
    },
  });
  if (r.timedOut) return { exitCode: 124, runtime: it.rt, interpreter: it, snapshots: [] };
  watch?.stop();
  watch?.check('after shutdown');
  return {
    exitCode: r.exitCode,
    runtime: it.rt,
    interpreter: it,
    ...(snapshots ? { snapshots } : {}),
    ...(watch ? { problems: watch.problems } : {}),
    ...(r.interrupted ? { interrupted: true } : {}),
  };
}

/** What `runMain` reports. */
export interface MainResult {
  exitCode: number;
  /** Ended by an uncaught KeyboardInterrupt under 3.x (see RunResult.interrupted). */
  interrupted: boolean;
  /** Stopped by --timeout (exit status 124; no shutdown ran). */
  timedOut?: boolean;
}

/**
 * Runs `source` as `__main__` on an interpreter made by `createInterpreter`,
 * then shuts the interpreter down as CPython does (atexit, collections,
 * clearing `__main__` — when module-level objects' `__del__` run).
 * `beforeShutdown` sees the heap as the script left it. A syntax error, an
 * uncaught exception or SystemExit gives CPython's output and exit status;
 * --timeout gives 124 and skips the shutdown.
 */
export function runMain(it: Interpreter, source: string, filename: string, hooks: { beforeShutdown?: () => void } = {}): MainResult {
  const rt = it.rt;
  const py = it.py2 ? '2.7' : '3.11';
  it.sources.set(filename, source.split(/\r?\n/));
  let unit: CodeUnit;
  try {
    const mod = parse(source, filename, py);
    unit = compileModule(mod, filename, { py2: py === '2.7', source });
  } catch (e) {
    if (isPySyntaxError(e)) {
      it.stderr(formatSyntaxError(e, py));
      return { exitCode: 1, interrupted: false };
    }
    if (e instanceof CompileError) {
      it.stderr(formatSyntaxError(e.toSyntaxError(source, filename, py === '2.7'), py));
      return { exitCode: 1, interrupted: false };
    }
    if (e instanceof SourceTooDeep) {
      // As CPython: no traceback, the script never started.
      it.stderr(`${e.toString()}\n`);
      return { exitCode: 1, interrupted: false };
    }
    throw e;
  }
  const globals = rt.newDict();
  const builtinsModule = it.incref(it.dictGetStr(it.modules, 'builtins')!);
  if (py === '2.7') {
    it.dictSetStr(globals, '__builtins__', builtinsModule);
    it.dictSetStr(globals, '__name__', it.str('__main__'));
    it.dictSetStr(globals, '__file__', it.str(filename));
    it.dictSetStr(globals, '__doc__', it.none());
    it.dictSetStr(globals, '__package__', it.none());
  } else {
    // The namespace of a script run as `python3 script.py`, in CPython's order.
    it.dictSetStr(globals, '__name__', it.str('__main__'));
    it.dictSetStr(globals, '__doc__', it.none());
    it.dictSetStr(globals, '__package__', it.none());
    const loaderType = rt.defineStaticType('_frozen_importlib_external.SourceFileLoader', 'other', true, 16);
    it.dictSetStr(globals, '__loader__', rt.newHolder(loaderType, [it.str('__main__'), it.str(filename)], null, 48));
    it.dictSetStr(globals, '__spec__', it.none());
    it.dictSetStr(globals, '__annotations__', rt.newDict());
    it.dictSetStr(globals, '__builtins__', builtinsModule);
    it.dictSetStr(globals, '__file__', it.str(filename));
    it.dictSetStr(globals, '__cached__', it.none());
  }
  const main = rt.newModule('__main__', it.incref(globals));
  it.dictSetStr(it.modules, '__main__', main);
  const code = it.makeCode(unit);
  let exitCode = 0;
  let interrupted = false;
  try {
    const fn = rt.newFunction(it.incref(code), it.incref(globals), it.incref(it.builtins), null, rt.intern('<module>'), rt.intern('<module>'));
    const frame = it.makeFrame(fn, [], null);
    frame.locals = it.incref(globals);
    it.decref(fn);
    it.decref(it.runFrame(frame));
    it.flushLine27();
  } catch (e) {
    if (e instanceof ScriptTimeout) {
      it.stderr(`refscope: the script was ${e.message}\n`);
      return { exitCode: 124, interrupted: false, timedOut: true };
    } else if (e instanceof SimulatedMemoryError) {
      it.stderr(`MemoryError\nrefscope: ${e.message}\n`);
      exitCode = 1;
    } else if (e instanceof RangeError && /call stack/.test(e.message)) {
      it.stderr('RecursionError: maximum recursion depth exceeded\n');
      exitCode = 1;
    } else if (!(e instanceof PyExc)) throw e;
    else {
      try {
        it.flushLine27();
      } catch (e2) {
        if (e2 instanceof PyExc) it.decref(e2.exc);
        else throw e2;
      }
      interrupted = !it.py2 && it.isInstance(e.exc, it.exc.KeyboardInterrupt);
      exitCode = handleUncaught(it, e.exc);
    }
  }
  hooks.beforeShutdown?.();
  shutdown(it, globals);
  return { exitCode, interrupted };
}

/**
 * Interpreter shutdown, in CPython 3.11's order: atexit callbacks, a full
 * collection (if the collector is enabled), then the `__main__` namespace
 * is cleared entry by entry (values replaced by None, in insertion order,
 * which is when module-level objects' __del__ run), then a last collection.
 */
function shutdown(it: Interpreter, globals: PyDict): void {
  const rt = it.rt;
  const guarded = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof PyExc) it.reportUnraisable(e, 'Exception ignored in atexit callback:\n');
      else throw e;
    }
  };
  for (const cb of it.atexitCallbacks.splice(0).reverse()) guarded(cb);
  if (rt.gc.enabled) guarded(() => void rt.gc.collectManual(2));
  guarded(() => {
    for (let i = 0; i < globals.nentries; i++) {
      const k = globals.keyAt(i);
      if (k === null || (k as PyStr).v === '__builtins__') continue;
      if (globals.valueAt(i) === rt.None) continue;
      rt.dictReplace(globals, i, it.none());
    }
  });
  guarded(() => void rt.gc.collectManual(2));
}

/** Prints an uncaught exception (or handles SystemExit) and returns the exit status. */
function handleUncaught(it: Interpreter, exc: PyBaseException): number {
  if (it.isInstance(exc, it.exc.SystemExit)) {
    const args = (exc.args as unknown as { items: unknown[] }).items as never[];
    if (args.length === 0) return 0;
    const code = args[0] as unknown;
    if (code === it.rt.None) return 0;
    if (code instanceof PyInt) return Number(code.v) & 0xff;
    it.stderr(`${code instanceof PyStr ? code.v : it.strString(code as never)}\n`);
    return 1;
  }
  it.stderr(it.formatException(exc));
  // CPython 3 ends by SIGINT after an uncaught KeyboardInterrupt (see RunResult.interrupted); 2.7 exits with 1.
  return !it.py2 && it.isInstance(exc, it.exc.KeyboardInterrupt) ? EXIT_INTERRUPTED : 1;
}
