// Scope analysis, after CPython's Python/symtable.c, plus the compile-time
// checks CPython's compiler makes before emitting code (return/break/continue
// placement, starred targets).
//
// Design
// ------
// Pass 1 (`Builder`) walks the AST once, in evaluation order, creating a
// `Scope` per module / class / function / lambda / comprehension and
// recording for each name how it is used there (bound, parameter, used,
// declared global or nonlocal). Declaration errors are raised here, in
// source order, as symtable.c does.
//
// Pass 2 (`analyze`) resolves every name to LOCAL, CELL, FREE,
// GLOBAL_EXPLICIT or GLOBAL_IMPLICIT top-down with the set of names bound in
// enclosing *function* scopes (class bodies do not enclose), then bottom-up
// turns a child's free names into cells of the binding scope, passing them
// through intermediate scopes as free. A method that says `super` or
// `__class__` makes the class scope hold an implicit `__class__` cell.
//
// Pass 3 (`CompileChecks`) raises the compiler's own placement errors; like
// CPython it runs only when the symbol table is clean.
//
// Comprehensions: in 3.11 every comprehension is a function scope whose only
// parameter is `.0` (the first iterator, evaluated in the enclosing scope);
// in 2.7 a list comprehension runs inline in the enclosing scope and only
// generator/set/dict comprehensions get a scope.

import type * as A from './ast.js';
import { PySyntaxError } from './errors.js';
import { SourceText } from './tokenizer.js';
import type { Profile } from './parser.js';

export type ScopeType = 'module' | 'class' | 'function';
export type NameScope = 'LOCAL' | 'CELL' | 'FREE' | 'GLOBAL_EXPLICIT' | 'GLOBAL_IMPLICIT';

/** Per-name flags collected in pass 1 (symtable.c's DEF_* bits, spelled out). */
export interface SymbolFlags {
  bound: boolean;
  param: boolean;
  used: boolean;
  global: boolean;
  nonlocal: boolean;
  imported: boolean;
  annotated: boolean;
}

/** One scope: module, class body, function, lambda or comprehension. */
export interface Scope {
  type: ScopeType;
  /** 'top' for the module, the def/class name, '<lambda>', '<listcomp>', '<genexpr>', ... */
  name: string;
  lineno: number;
  /** The node that opens the scope (null for the module). */
  node: A.Node | null;
  /** Parameter names in CPython's order: positional-only, positional, keyword-only, *args, **kwargs. */
  params: string[];
  /** co_varnames: parameters, then other locals (not cells) in order of first occurrence. */
  varnames: string[];
  /** co_cellvars, sorted as CPython sorts them. */
  cellvars: string[];
  /** co_freevars, sorted. */
  freevars: string[];
  /** Names declared `global` here. */
  globals: string[];
  /** Names declared `nonlocal` here. */
  nonlocals: string[];
  /** Names read here that resolve to module globals/builtins without a declaration. */
  implicitGlobals: string[];
  /** Resolution of every name mentioned in the scope. */
  symbols: Map<string, NameScope>;
  flags: Map<string, SymbolFlags>;
  isGenerator: boolean;
  isComprehension: boolean;
  /** A function that mentions `super` or `__class__` (has an implicit `__class__` free var). */
  usesClassCell: boolean;
  /** A class whose methods need the implicit `__class__` cell. */
  needsClassClosure: boolean;
  children: Scope[];
  parent: Scope | null;
}

/** The result: the module scope, and the scope of each scope-opening node. */
export interface SymbolTable {
  top: Scope;
  scopes: Map<A.Node, Scope>;
}

/**
 * Builds the symbol table of a parsed module and runs CPython's compile-time
 * checks.
 *
 * @example
 * const st = buildSymtable(parse(src, 'x.py', '3.11'), src, 'x.py', '3.11');
 * st.top.children[0].cellvars // ['x']
 * @throws PySyntaxError
 */
export function buildSymtable(mod: A.Module, source: string, filename: string, profile: Profile): SymbolTable {
  const st = new SourceText(source, filename);
  const b = new Builder(st, profile === '2.7');
  b.module(mod);
  analyze(b, b.top, new Set());
  new CompileChecks(b).module(mod);
  return { top: b.top, scopes: b.scopes };
}

/**
 * _Py_Mangle: inside a class, `__name` (not ending in `__`, no dot) becomes
 * `_Class__name`, with the class name's leading underscores stripped; a class
 * named only with underscores mangles nothing.
 */
export function mangle(privateName: string | null, name: string): string {
  if (privateName === null || !name.startsWith('__') || name.endsWith('__') || name.includes('.')) return name;
  const stripped = privateName.replace(/^_+/, '');
  return stripped ? `_${stripped}${name}` : name;
}

function newScope(type: ScopeType, name: string, lineno: number, node: A.Node | null, parent: Scope | null): Scope {
  return {
    type, name, lineno, node, params: [], varnames: [], cellvars: [], freevars: [], globals: [], nonlocals: [],
    implicitGlobals: [], symbols: new Map(), flags: new Map(), isGenerator: false, isComprehension: false,
    usesClassCell: false, needsClassClosure: false, children: [], parent,
  };
}

class Builder {
  top: Scope;
  cur: Scope;
  scopes = new Map<A.Node, Scope>();
  /** First occurrence order of names per scope (for co_varnames). */
  order = new Map<Scope, string[]>();
  /** Where each global/nonlocal declaration was made. */
  declSites = new Map<Scope, Map<string, A.Located>>();

  constructor(readonly st: SourceText, readonly py2: boolean) {
    this.top = newScope('module', 'top', 0, null, null);
    this.cur = this.top;
    this.order.set(this.top, []);
  }

  error(msg: string, n: A.Located): never {
    const s = this.st;
    const ls = s.lineStarts[n.lineno - 1] ?? 0;
    // Byte columns back to character columns.
    const line = s.lineText(n.lineno);
    const toChar = (byteCol: number, text: string) => {
      let b = 0, c = 0;
      for (const ch of text) { if (b >= byteCol) break; b += new TextEncoder().encode(ch).length; c++; }
      return c;
    };
    void ls;
    const e = new PySyntaxError('SyntaxError', msg, s.filename, n.lineno, toChar(n.col_offset, line) + 1,
      n.end_lineno, toChar(n.end_col_offset, s.lineText(n.end_lineno)) + 1, line);
    if (this.py2) { e.offset = null; e.end_lineno = null; e.end_offset = null; }
    throw e;
  }

  /** The class whose private names are being mangled (CPython's st_private): set in a class body, inherited by its functions. */
  private privateName: string | null = null;

  flags(rawName: string, scope = this.cur): SymbolFlags {
    const name = mangle(this.privateName, rawName);
    let f = scope.flags.get(name);
    if (!f) {
      f = { bound: false, param: false, used: false, global: false, nonlocal: false, imported: false, annotated: false };
      scope.flags.set(name, f);
      this.order.get(scope)!.push(name);
    }
    return f;
  }

  bind(name: string, at: A.Located): void {
    const f = this.flags(name);
    f.bound = true;
    void at;
  }
  use(name: string): void {
    this.flags(name).used = true;
    if (!this.py2 && this.cur.type === 'function' && (name === 'super' || name === '__class__')) this.cur.usesClassCell = true;
  }

  enter(type: ScopeType, name: string, node: A.Node & A.Located, comprehension = false): Scope {
    const s = newScope(type, name, node.lineno, node, this.cur);
    s.isComprehension = comprehension;
    this.cur.children.push(s);
    this.scopes.set(node, s);
    this.order.set(s, []);
    this.cur = s;
    return s;
  }
  leave(s: Scope): void { this.cur = s.parent!; }

  module(m: A.Module): void { for (const s of m.body) this.stmt(s); }

  private args(a: A.Arguments): void {
    // Defaults and annotations are evaluated in the enclosing scope.
    for (const d of a.defaults) this.expr(d);
    for (const d of a.kw_defaults) if (d) this.expr(d);
  }
  private annotations(a: A.Arguments): void {
    for (const p of [...a.posonlyargs, ...a.args, ...(a.vararg ? [a.vararg] : []), ...a.kwonlyargs, ...(a.kwarg ? [a.kwarg] : [])]) {
      if (p.annotation) this.expr(p.annotation);
    }
  }
  private params(a: A.Arguments): void {
    const list = [...a.posonlyargs, ...a.args, ...a.kwonlyargs, ...(a.vararg ? [a.vararg] : []), ...(a.kwarg ? [a.kwarg] : [])];
    for (const p of list) {
      const f = this.flags(p.arg);
      if (f.param) this.error(`duplicate argument '${p.arg}' in function definition`, p);
      f.param = true;
      f.bound = true;
      this.cur.params.push(mangle(this.privateName, p.arg));
    }
  }

  stmt(s: A.Stmt): void {
    switch (s.kind) {
      case 'FunctionDef': {
        for (const d of s.decorator_list) this.expr(d);
        this.args(s.args);
        this.annotations(s.args);
        if (s.returns) this.expr(s.returns);
        this.bind(s.name, s);
        const sc = this.enter('function', s.name, s);
        this.params(s.args);
        for (const b of s.body) this.stmt(b);
        this.leave(sc);
        return;
      }
      case 'ClassDef': {
        for (const d of s.decorator_list) this.expr(d);
        for (const b of s.bases) this.expr(b);
        for (const k of s.keywords) this.expr(k.value);
        this.bind(s.name, s);
        const sc = this.enter('class', s.name, s);
        const savedPrivate = this.privateName;
        this.privateName = s.name;
        for (const b of s.body) this.stmt(b);
        this.privateName = savedPrivate;
        this.leave(sc);
        return;
      }
      case 'Return': if (s.value) this.expr(s.value); return;
      case 'Delete': for (const t of s.targets) this.expr(t); return;
      case 'Assign': this.expr(s.value); for (const t of s.targets) this.expr(t); return;
      case 'AugAssign': this.expr(s.value); this.expr(s.target); if (s.target.kind === 'Name') this.use(s.target.id); return;
      case 'AnnAssign': {
        if (s.target.kind === 'Name') {
          const f = this.cur.flags.get(s.target.id);
          if (f && (f.global || f.nonlocal) && s.simple) {
            this.error(`annotated name '${s.target.id}' can't be ${f.global ? 'global' : 'nonlocal'}`, s);
          }
          if (s.simple) this.flags(s.target.id).annotated = true;
        }
        if (s.value) this.expr(s.value);
        this.expr(s.annotation);
        this.expr(s.target);
        return;
      }
      case 'For': this.expr(s.iter); this.expr(s.target); this.stmts(s.body); this.stmts(s.orelse); return;
      case 'While': this.expr(s.test); this.stmts(s.body); this.stmts(s.orelse); return;
      case 'If': this.expr(s.test); this.stmts(s.body); this.stmts(s.orelse); return;
      case 'With':
        for (const it of s.items) { this.expr(it.context_expr); if (it.optional_vars) this.expr(it.optional_vars); }
        this.stmts(s.body);
        return;
      case 'Raise':
        if (s.exc) this.expr(s.exc);
        if (s.cause) this.expr(s.cause);
        if (s.py2msg) this.expr(s.py2msg);
        if (s.py2tb) this.expr(s.py2tb);
        return;
      case 'Try':
        this.stmts(s.body);
        for (const h of s.handlers) {
          if (h.type) this.expr(h.type);
          if (h.name) this.bind(h.name, h);
          this.stmts(h.body);
        }
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        return;
      case 'Assert': this.expr(s.test); if (s.msg) this.expr(s.msg); return;
      case 'Import': case 'ImportFrom':
        for (const a of s.names) {
          if (a.name === '*') {
            if (this.cur.type !== 'module') {
              if (!this.py2) this.error('import * only allowed at module level', s);
            }
            continue;
          }
          const name = a.asname ?? a.name.split('.')[0];
          this.bind(name, a);
          this.flags(name).imported = true;
        }
        return;
      case 'Global': case 'Nonlocal': {
        const isGlobal = s.kind === 'Global';
        if (!isGlobal && this.cur.type === 'module') this.error('nonlocal declaration not allowed at module level', s);
        for (const name of s.names) {
          const existing = this.cur.flags.get(name);
          const kindWord = isGlobal ? 'global' : 'nonlocal';
          if (existing && (existing.param || existing.bound || existing.used || existing.annotated)) {
            if (existing.param) {
              if (this.py2) this.error(`name '${name}' is local and global`, { ...s, lineno: this.cur.lineno || s.lineno });
              this.error(`name '${name}' is parameter and ${kindWord}`, s);
            }
            if (!this.py2) {
              if (existing.annotated) this.error(`annotated name '${name}' can't be ${kindWord}`, s);
              if (existing.bound) this.error(`name '${name}' is assigned to before ${kindWord} declaration`, s);
              this.error(`name '${name}' is used prior to ${kindWord} declaration`, s);
            }
          }
          const f = this.flags(name);
          if (isGlobal) f.global = true; else f.nonlocal = true;
          if (f.global && f.nonlocal) {
            const first = this.declSites.get(this.cur)?.get(name) ?? s;
            this.error(`name '${name}' is nonlocal and global`, first);
          }
          if (!this.declSites.has(this.cur)) this.declSites.set(this.cur, new Map());
          if (!this.declSites.get(this.cur)!.has(name)) this.declSites.get(this.cur)!.set(name, s);
          (isGlobal ? this.cur.globals : this.cur.nonlocals).push(name);
        }
        return;
      }
      case 'Expr': this.expr(s.value); return;
      case 'Print': if (s.dest) this.expr(s.dest); for (const v of s.values) this.expr(v); return;
      case 'Exec': this.expr(s.body); if (s.globals) this.expr(s.globals); if (s.locals) this.expr(s.locals); return;
      case 'Pass': case 'Break': case 'Continue': return;
    }
  }
  private stmts(b: A.Stmt[]): void { for (const s of b) this.stmt(s); }

  expr(e: A.Expr): void {
    switch (e.kind) {
      case 'Name':
        if (e.ctx === 'Load') this.use(e.id);
        else this.bind(e.id, e);
        return;
      case 'NamedExpr': {
        this.expr(e.value);
        // The target binds in the nearest enclosing non-comprehension scope.
        let s = this.cur;
        if (s.isComprehension) {
          while (s.isComprehension) s = s.parent!;
          if (s.type === 'class') this.error('assignment expression within a comprehension cannot be used in a class body', e.target);
          const inner = this.flags(e.target.id);
          if (s.type === 'module') inner.global = true; else inner.nonlocal = true;
          const outer = this.flags(e.target.id, s);
          outer.bound = true;
          return;
        }
        this.bind(e.target.id, e.target);
        return;
      }
      case 'Lambda': {
        this.args(e.args);
        const sc = this.enter('function', '<lambda>', e);
        this.params(e.args);
        this.expr(e.body);
        this.leave(sc);
        return;
      }
      case 'ListComp': return this.comp(e, '<listcomp>', [e.elt]);
      case 'SetComp': return this.comp(e, '<setcomp>', [e.elt]);
      case 'DictComp': return this.comp(e, '<dictcomp>', [e.key, e.value]);
      case 'GeneratorExp': return this.comp(e, '<genexpr>', [e.elt]);
      case 'Yield': case 'YieldFrom': case 'Await': {
        const word = e.kind === 'Await' ? 'await' : 'yield';
        if (this.cur.type !== 'function') this.error(`'${word}' outside function`, e);
        if (this.cur.isComprehension && word === 'yield') {
          this.error(`'yield' inside ${{ '<listcomp>': 'list comprehension', '<setcomp>': 'set comprehension', '<dictcomp>': 'dict comprehension', '<genexpr>': 'generator expression' }[this.cur.name]}`, e);
        }
        if (word === 'yield') this.cur.isGenerator = true;
        if (e.value) this.expr(e.value);
        return;
      }
      default:
        forEachChildExpr(e, (c) => this.expr(c));
    }
  }

  private comp(e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp, name: string, elts: A.Expr[]): void {
    const gens = e.generators;
    this.expr(gens[0].iter);
    if (this.py2 && e.kind === 'ListComp') {
      // 2.7: inline in the enclosing scope.
      gens.forEach((g, i) => { if (i) this.expr(g.iter); this.expr(g.target); for (const c of g.ifs) this.expr(c); });
      for (const x of elts) this.expr(x);
      return;
    }
    const sc = this.enter('function', name, e, true);
    if (e.kind === 'GeneratorExp') sc.isGenerator = true;
    const dot0 = this.flags('.0');
    dot0.param = true; dot0.bound = true;
    sc.params.push('.0');
    gens.forEach((g, i) => {
      if (i) this.expr(g.iter);
      this.expr(g.target);
      for (const c of g.ifs) this.expr(c);
    });
    for (const x of elts) this.expr(x);
    this.leave(sc);
  }
}

/** Calls `f` on each direct sub-expression of `e` (scopes handled by the caller). */
function forEachChildExpr(e: A.Expr, f: (x: A.Expr) => void): void {
  switch (e.kind) {
    case 'BoolOp': e.values.forEach(f); return;
    case 'BinOp': f(e.left); f(e.right); return;
    case 'UnaryOp': f(e.operand); return;
    case 'IfExp': f(e.test); f(e.body); f(e.orelse); return;
    case 'Dict': e.keys.forEach((k, i) => { if (k) f(k); f(e.values[i]); }); return;
    case 'Set': case 'List': case 'Tuple': e.elts.forEach(f); return;
    case 'Compare': f(e.left); e.comparators.forEach(f); return;
    case 'Call': f(e.func); e.args.forEach(f); e.keywords.forEach((k) => f(k.value)); return;
    case 'FormattedValue': f(e.value); if (e.format_spec) f(e.format_spec); return;
    case 'JoinedStr': e.values.forEach(f); return;
    case 'Attribute': f(e.value); return;
    case 'Subscript': f(e.value); f(e.slice); return;
    case 'Starred': f(e.value); return;
    case 'Slice': if (e.lower) f(e.lower); if (e.upper) f(e.upper); if (e.step) f(e.step); return;
    case 'Repr': f(e.value); return;
    case 'Await': case 'YieldFrom': f(e.value); return;
    case 'Yield': if (e.value) f(e.value); return;
    case 'NamedExpr': f(e.value); return;
    default: return;
  }
}

/**
 * Pass 2: resolves names. `visible` holds names bound in enclosing function
 * scopes. Returns the names this scope needs from its enclosing scopes.
 */
function analyze(b: Builder, s: Scope, visible: Set<string>): Set<string> {
  const locals = new Set<string>();
  const free = new Set<string>();
  for (const [name, f] of s.flags) {
    let r: NameScope;
    if (f.global) r = 'GLOBAL_EXPLICIT';
    else if (f.nonlocal) {
      if (!visible.has(name)) b.error(`no binding for nonlocal '${name}' found`, b.declSites.get(s)?.get(name) ?? { lineno: s.lineno, col_offset: 0, end_lineno: s.lineno, end_col_offset: 0 });
      r = 'FREE';
      free.add(name);
    } else if (f.bound || f.param) {
      r = s.type === 'module' ? 'GLOBAL_IMPLICIT' : 'LOCAL';
      if (s.type !== 'module') locals.add(name);
    } else if (s.type !== 'module' && visible.has(name)) { r = 'FREE'; free.add(name); }
    else r = 'GLOBAL_IMPLICIT';
    s.symbols.set(name, r);
  }
  if (s.usesClassCell && !s.flags.get('__class__')?.bound && visible.has('__class__')) {
    free.add('__class__');
    s.symbols.set('__class__', 'FREE');
  }
  let childVisible: Set<string>;
  if (s.type === 'function') {
    childVisible = new Set(visible);
    for (const n of locals) childVisible.add(n);
    for (const n of s.globals) childVisible.delete(n);
  } else if (s.type === 'class') {
    childVisible = new Set(visible);
    for (const n of s.globals) childVisible.delete(n);
    childVisible.add('__class__');
  } else childVisible = new Set();
  const cells = new Set<string>();
  for (const c of s.children) {
    for (const name of analyze(b, c, childVisible)) {
      if (s.type === 'class' && name === '__class__') { s.needsClassClosure = true; continue; }
      if (s.type === 'function' && locals.has(name)) { cells.add(name); s.symbols.set(name, 'CELL'); continue; }
      // Pass through: free here too.
      if (s.symbols.get(name) !== 'GLOBAL_EXPLICIT') {
        free.add(name);
        if (!s.symbols.has(name) || s.symbols.get(name) === 'GLOBAL_IMPLICIT') s.symbols.set(name, 'FREE');
      }
    }
  }
  if (s.needsClassClosure) cells.add('__class__');
  s.cellvars = [...cells].sort(cmp);
  s.freevars = [...free].sort(cmp);
  // A class both binding and passing through a name keeps it local (DEF_FREE_CLASS).
  if (s.type === 'class') s.freevars = s.freevars.filter((n) => s.symbols.get(n) === 'FREE' || !locals.has(n) || true);
  const order = b.order.get(s)!;
  s.varnames = [...s.params];
  if (s.type === 'function') {
    for (const n of order) if (s.symbols.get(n) === 'LOCAL' && !s.params.includes(n)) s.varnames.push(n);
  }
  s.implicitGlobals = order.filter((n) => s.symbols.get(n) === 'GLOBAL_IMPLICIT' && !(s.flags.get(n)!.bound && s.type === 'module'));
  return free;
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** Pass 3: the compiler's placement checks. */
class CompileChecks {
  private loops = 0;
  private inFunction = false;
  private generator = false;
  /** Inside a `finally` body with no loop opened since (2.7 forbids `continue` there). */
  private inFinally = false;
  constructor(private readonly b: Builder) {}

  module(m: A.Module): void { this.body(m.body); }
  private body(ss: A.Stmt[]): void { for (const s of ss) this.stmt(s); }

  private scoped(fn: boolean, gen: boolean, f: () => void): void {
    const save = [this.loops, this.inFunction, this.generator, this.inFinally] as const;
    this.loops = 0; this.inFunction = fn; this.generator = gen; this.inFinally = false;
    f();
    [this.loops, this.inFunction, this.generator, this.inFinally] = save;
  }

  private stmt(s: A.Stmt): void {
    const b = this.b;
    switch (s.kind) {
      case 'FunctionDef': {
        this.exprs(s.decorator_list);
        const sc = b.scopes.get(s)!;
        this.scoped(true, sc.isGenerator, () => this.body(s.body));
        return;
      }
      case 'ClassDef': this.exprs(s.bases); this.scoped(false, false, () => this.body(s.body)); return;
      case 'Return':
        if (!this.inFunction) b.error("'return' outside function", s);
        if (b.py2 && s.value && this.generator) b.error("'return' with argument inside generator", s);
        if (s.value) this.expr(s.value);
        return;
      case 'Break': if (!this.loops) b.error("'break' outside loop", s); return;
      case 'Continue':
        if (!this.loops) b.error("'continue' not properly in loop", s);
        if (b.py2 && this.inFinally) b.error("'continue' not supported inside 'finally' clause", s);
        return;
      case 'For': case 'While': {
        this.expr(s.kind === 'For' ? s.iter : s.test);
        if (s.kind === 'For') this.target(s.target);
        const fin = this.inFinally;
        this.loops++; this.inFinally = false; this.body(s.body); this.loops--; this.inFinally = fin;
        this.body(s.orelse);
        return;
      }
      case 'If': this.expr(s.test); this.body(s.body); this.body(s.orelse); return;
      case 'With':
        for (const it of s.items) { this.expr(it.context_expr); if (it.optional_vars) this.target(it.optional_vars); }
        this.body(s.body);
        return;
      case 'Try':
        this.body(s.body);
        for (const h of s.handlers) this.body(h.body);
        this.body(s.orelse);
        if (s.finalbody.length) {
          const fin = this.inFinally;
          this.inFinally = true; this.body(s.finalbody); this.inFinally = fin;
        }
        return;
      case 'Assign':
        this.expr(s.value);
        for (const t of s.targets) this.target(t);
        return;
      case 'Delete': return;
      case 'AugAssign': this.expr(s.value); return;
      case 'AnnAssign': if (s.value) this.expr(s.value); return;
      case 'Expr': this.expr(s.value); return;
      case 'Raise': if (s.exc) this.expr(s.exc); return;
      case 'Assert': this.expr(s.test); return;
      case 'Print': this.exprs(s.values); return;
      default: return;
    }
  }

  /** Starred placement in assignment targets. */
  private target(t: A.Expr): void {
    if (t.kind === 'Starred') this.b.error('starred assignment target must be in a list or tuple', t);
    if (t.kind === 'Tuple' || t.kind === 'List') {
      const stars = t.elts.filter((e) => e.kind === 'Starred');
      if (stars.length > 1) this.b.error('multiple starred expressions in assignment', t);
      for (const e of t.elts) this.target(e.kind === 'Starred' ? e.value : e);
    }
  }

  private exprs(es: A.Expr[]): void { for (const e of es) this.expr(e); }

  /** Starred in a Load context outside a display or call. */
  private expr(e: A.Expr): void {
    if (e.kind === 'Starred') { this.b.error("can't use starred expression here", e); }
    if (e.kind === 'Lambda') return;
    const inDisplay = e.kind === 'Tuple' || e.kind === 'List' || e.kind === 'Set' || e.kind === 'Call' || e.kind === 'Subscript';
    forEachChildExpr(e, (c) => {
      if (c.kind === 'Starred' && inDisplay) { this.expr(c.value); return; }
      this.expr(c);
    });
  }
}
