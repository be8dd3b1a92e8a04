/*
 * compile(), exec() and eval(): running source text given at run time.
 *
 * The text goes through the same parser and compiler as the script itself,
 * then runs as a module-level frame on the given globals and locals, exactly
 * like CPython's exec of a code object: names are looked up in locals, then
 * globals, then builtins; the frame is a real object (it shows in tracebacks
 * as `File "<string>", line N, in <module>`).
 *
 * Syntax errors become Python SyntaxError exceptions (catchable), and an
 * uncaught one prints CPython's quoted line and caret (see
 * Interpreter.raiseSyntaxError). compile() returns a code object; the mode
 * it was compiled in decides whether running it returns the expression's
 * value (eval) or None (exec).
 */
import { PyCode } from '../heap/callables.js';
import { PyDict } from '../heap/containers.js';
import type { PyObject } from '../heap/object.js';
import { PyBytes, PyStr } from '../heap/scalars.js';
import { CompileError, compileModule } from './compiler.js';
import type { Args, Interpreter, NativeFn } from './interp.js';
import { isPySyntaxError, SourceTooDeep } from './syntax/errors.js';
import { parse } from './syntax/parser.js';

type Mode = 'exec' | 'eval' | 'single';

export function installExec(it: Interpreter, def: (name: string, fn: NativeFn) => void): void {
  const rt = it.rt;
  const profile = it.py2 ? '2.7' : '3.11';
  /** Code objects compiled in 'eval' mode: running one returns the expression's value. */
  const evalCodes = new WeakSet<PyCode>();

  const compileText = (source: string, filename: string, mode: Mode): PyCode => {
    let unit;
    try {
      const mod = parse(source, filename, profile);
      if (mode === 'eval' && !(mod.body.length === 1 && mod.body[0].kind === 'Expr')) {
        // CPython's eval grammar accepts one expression only; a statement is a syntax error at its start.
        const first = mod.body[0];
        const line = first ? first.lineno : 1;
        it.raiseSyntaxError({ type: 'SyntaxError', msg: 'invalid syntax', filename, lineno: line, offset: first ? first.col_offset + 1 : 1, end_lineno: null, end_offset: null, text: source.split('\n')[line - 1] ?? '' } as never);
      }
      unit = compileModule(mod, filename, { py2: it.py2, source, evalMode: mode === 'eval' });
    } catch (e) {
      if (isPySyntaxError(e)) it.raiseSyntaxError(e);
      if (e instanceof CompileError) it.raiseSyntaxError(e.toSyntaxError(source, filename, it.py2));
      if (e instanceof SourceTooDeep) it.raise(e.type, e.msg || undefined);
      throw e;
    }
    const code = it.makeCode(unit);
    if (mode === 'eval') evalCodes.add(code);
    return code;
  };

  const sourceText = (name: string, o: PyObject): string => {
    if (o instanceof PyStr) return o.v;
    if (o instanceof PyBytes) return new TextDecoder().decode(o.v);
    it.typeError(`${name}() arg 1 must be a string, bytes or code object`);
  };

  /** Runs `code` as a module-level frame on globals/locals (new reference: the frame's return value). */
  const runCode = (code: PyCode, globals: PyDict, locals: PyObject): PyObject => {
    if (!it.dictGetStr(globals, '__builtins__')) {
      const b = it.dictGetStr(it.modules, 'builtins');
      if (b) it.dictSetStr(globals, '__builtins__', it.incref(b));
    }
    const fn = rt.newFunction(it.incref(code), it.incref(globals), it.incref(it.builtins), null, rt.intern('<module>'), rt.intern('<module>'));
    const frame = it.makeFrame(fn, [], null);
    frame.locals = it.incref(locals);
    it.decref(fn);
    return it.runFrame(frame);
  };

  /** exec/eval: the namespaces (new references), defaulting to the caller's. */
  const namespaces = (name: string, args: Args): [PyDict, PyObject] => {
    const g = args[1] !== undefined && args[1] !== rt.None ? args[1] : null;
    const l = args[2] !== undefined && args[2] !== rt.None ? args[2] : null;
    if (g && !(g instanceof PyDict)) it.typeError(name === 'exec' ? `exec() globals must be a dict, not ${it.typeName(g)}` : 'globals must be a dict');
    if (l && !it.findDunder(l, '__getitem__')) it.typeError(name === 'exec' ? `locals must be a mapping or None, not ${it.typeName(l)}` : 'locals must be a mapping');
    const frame = it.frame!;
    if (g) return [it.incref(g as PyDict), it.incref(l ?? g)];
    return [it.incref(frame.globals as PyDict), l ? it.incref(l) : it.frameLocals(frame)];
  };

  const run = (name: 'exec' | 'eval') => (_s: PyObject | null, args: Args, kwnames: string[] | null): PyObject => {
    if (kwnames && kwnames.length) it.typeError(`${name}() takes no keyword arguments`);
    if (args.length < 1 || args.length > 3) it.typeError(`${name} expected ${args.length < 1 ? 'at least 1 argument' : 'at most 3 arguments'}, got ${args.length}`);
    const src = args[0];
    let code: PyCode;
    let owned = false;
    if (src instanceof PyCode) code = src;
    else {
      let text = sourceText(name, src);
      // eval() ignores leading spaces and tabs (an indented expression is not an IndentationError).
      if (name === 'eval') text = text.replace(/^[ \t]+/, '');
      code = compileText(text, '<string>', name);
      owned = true;
    }
    const [g, l] = namespaces(name, args);
    try {
      const r = runCode(code, g, l);
      if (name === 'eval' || evalCodes.has(code)) return r;
      it.decref(r);
      return it.none();
    } finally {
      it.decref(g);
      it.decref(l);
      if (owned) it.decref(code);
    }
  };
  if (!it.py2) def('exec', run('exec'));
  def('eval', run('eval'));

  def('compile', (_s, args, kwnames) => {
    const n = kwnames ? args.length - kwnames.length : args.length;
    const kw = new Map<string, PyObject>();
    kwnames?.forEach((k, i) => kw.set(k, args[n + i]));
    const arg = (i: number, k: string) => (i < n ? args[i] : kw.get(k));
    const src = arg(0, 'source')!;
    const filename = arg(1, 'filename')!;
    const mode = arg(2, 'mode')!;
    if (src instanceof PyCode) return it.incref(src);
    const text = src instanceof PyStr || src instanceof PyBytes ? sourceText('compile', src) : it.typeError('compile() arg 1 must be a string, bytes or AST object');
    if (!(filename instanceof PyStr)) it.typeError(`compile() argument 'filename' must be str, not ${it.typeName(filename)}`);
    if (!(mode instanceof PyStr)) it.typeError(`compile() argument 'mode' must be str, not ${it.typeName(mode)}`);
    if (mode.v !== 'exec' && mode.v !== 'eval' && mode.v !== 'single') it.raise('ValueError', "compile() mode must be 'exec', 'eval' or 'single'");
    return compileText(text, filename.v, mode.v);
  });
}
