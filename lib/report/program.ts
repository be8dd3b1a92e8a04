/*
 * Running a script on an interpreter the caller prepared.
 *
 * `runSource` (lib/python/run.ts) builds its own Runtime from a version
 * string, but a recording run needs two things it cannot ask for: a Runtime
 * that keeps its live-object registry (`trackLive`, for snapshots and
 * allocation sites) and a *derived* profile (3.11 with legacy finalizers, to
 * prove what Python <= 3.3 would do). So this module builds the interpreter
 * from the same pieces `createInterpreter` uses and runs the module the same
 * way `runSource` does. Keep the two in step; when run.ts grows an option to
 * accept a prepared Runtime, this file shrinks to a call.
 */
import { PyBaseException } from '../heap/frames.js';
import { type Profile } from '../heap/profile.js';
import { Runtime, SimulatedMemoryError } from '../heap/runtime.js';
import { PyInt, PyStr } from '../heap/scalars.js';
import { installBuiltins } from '../python/builtins.js';
import { CompileError, compileModule, type CodeUnit } from '../python/compiler.js';
import { PyExc } from '../python/errors.js';
import { installObjgraph } from '../objgraph/module.js';
import { installStdlib } from '../python/stdlib/index.js';
import { installRefscopeModule } from '../snapshot/capture.js';
import { Interpreter } from '../python/interp.js';
import { installModules } from '../python/modules.js';
import { installProtocol } from '../python/protocol.js';
import { formatSyntaxError, isPySyntaxError, PySyntaxError } from '../python/syntax/errors.js';
import { parse } from '../python/syntax/parser.js';

export interface ProgramOptions {
  /** what `refscope.snapshot(label)` does */
  onSnapshot?: (label: string) => void;
  profile: Profile;
  argv: string[];
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  maxObjects?: number;
}

/** An interpreter on a fresh Runtime that keeps its live-object registry. */
export function createRecordingInterpreter(opts: ProgramOptions): Interpreter {
  const rt = new Runtime({ profile: opts.profile, maxObjects: opts.maxObjects, trackLive: true });
  const it = new Interpreter(rt, { stdout: opts.stdout, stderr: opts.stderr, argv: opts.argv });
  it.extraModules = new Map();
  installProtocol(it);
  installBuiltins(it);
  installModules(it);
  installObjgraph(it);
  installRefscopeModule(it, opts.onSnapshot);
  installStdlib(it);
  return it;
}

/** Runs `source` as `__main__` on `it`; returns the exit status CPython would. */
export function runProgram(it: Interpreter, source: string, filename: string): number {
  const rt = it.rt;
  const py = it.py2 ? '2.7' : '3.11';
  it.sources.set(filename, source.split(/\r?\n/));
  let unit: CodeUnit;
  try {
    unit = compileModule(parse(source, filename, py), filename, { py2: it.py2 });
  } catch (e) {
    if (isPySyntaxError(e)) {
      it.stderr(formatSyntaxError(e, py));
      return 1;
    }
    if (e instanceof CompileError) {
      const line = source.split(/\r?\n/)[e.lineno - 1] ?? '';
      it.stderr(formatSyntaxError(new PySyntaxError('SyntaxError', e.msg, filename, e.lineno, e.col + 1, e.lineno, e.col + 2, line + '\n'), py));
      return 1;
    }
    throw e;
  }
  const globals = rt.newDict();
  it.dictSetStr(globals, '__name__', it.str('__main__'));
  it.dictSetStr(globals, '__builtins__', it.incref(it.dictGetStr(it.modules, 'builtins')!));
  it.dictSetStr(globals, '__file__', it.str(filename));
  it.dictSetStr(globals, '__doc__', it.none());
  it.dictSetStr(it.modules, '__main__', rt.newModule('__main__', it.incref(globals)));
  const code = it.makeCode(unit);
  try {
    const fn = rt.newFunction(it.incref(code), it.incref(globals), it.incref(it.builtins), null, rt.intern('<module>'), rt.intern('<module>'));
    const frame = it.makeFrame(fn, [], null);
    frame.locals = it.incref(globals);
    it.decref(fn);
    it.decref(it.runFrame(frame));
    return 0;
  } catch (e) {
    if (e instanceof SimulatedMemoryError) {
      it.stderr('MemoryError\n');
      return 1;
    }
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      it.stderr('RecursionError: maximum recursion depth exceeded\n');
      return 1;
    }
    if (!(e instanceof PyExc)) throw e;
    return uncaught(it, e.exc);
  }
}

/** Prints an uncaught exception (or handles SystemExit) and returns the exit status. */
function uncaught(it: Interpreter, exc: PyBaseException): number {
  if (it.isInstance(exc, it.exc.SystemExit)) {
    const args = (exc.args as unknown as { items: unknown[] }).items;
    if (args.length === 0) return 0;
    const code = args[0];
    if (code === it.rt.None) return 0;
    if (code instanceof PyInt) return Number(code.v) & 0xff;
    it.stderr(`${code instanceof PyStr ? code.v : it.strString(code as never)}\n`);
    return 1;
  }
  it.stderr(it.formatException(exc));
  return 1;
}
