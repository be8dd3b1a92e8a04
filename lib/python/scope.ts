/*
 * Scope analysis (CPython's symtable, reduced to what code generation
 * needs): for each function, lambda, comprehension, class and module body,
 * which names are local, cell, free, global (explicit or implicit).
 *
 * Rules, as in CPython: a name bound anywhere in a function body is local
 * to it unless declared global/nonlocal; a free name resolves to the nearest
 * enclosing *function* scope that binds it (class bodies are skipped), which
 * then keeps it in a cell; names used by nothing are globals. Methods that
 * mention `super` or `__class__` get an implicit `__class__` cell from the
 * class body. Comprehensions are function scopes with the argument `.0`,
 * and a walrus inside one binds in the enclosing function.
 */
import type * as A from './syntax/ast.js';

export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export class Scope {
  readonly kind: ScopeKind;
  readonly name: string;
  readonly parent: Scope | null;
  readonly children: Scope[] = [];
  /** Parameter names in CPython's co_varnames order. */
  params: string[] = [];
  /** Names bound in this scope, in first-binding order. */
  readonly bound = new Set<string>();
  readonly used = new Set<string>();
  readonly explicitGlobals = new Set<string>();
  readonly nonlocals = new Set<string>();
  /** Names this scope keeps in cells for inner scopes. */
  readonly cells = new Set<string>();
  /** Names this scope reads from an enclosing scope's cells. */
  readonly frees = new Set<string>();
  isGenerator = false;
  needsClassCell = false;
  /** For methods: uses super()/__class__. */
  usesClassCell = false;
  readonly node: A.Node | null;
  qualname = '';
  constructor(kind: ScopeKind, name: string, parent: Scope | null, node: A.Node | null) {
    this.kind = kind;
    this.name = name;
    this.parent = parent;
    this.node = node;
    if (parent) parent.children.push(this);
  }

  get isFunctionLike(): boolean {
    return this.kind === 'function' || this.kind === 'comprehension';
  }

  /** How to access `name` from this scope. */
  resolve(name: string): 'fast' | 'deref' | 'global' | 'name' | 'classderef' {
    if (this.explicitGlobals.has(name)) return 'global';
    if (this.kind === 'module') return 'name';
    if (this.kind === 'class') {
      if (this.frees.has(name) && !this.bound.has(name)) return 'classderef';
      return 'name';
    }
    if (this.cells.has(name) || this.frees.has(name)) return 'deref';
    if (this.bound.has(name)) return 'fast';
    return 'global';
  }
}

/** Analyses a module; returns the module scope and a map from scope-creating nodes to scopes. */
export function analyze(mod: A.Module): { top: Scope; scopes: Map<A.Node, Scope> } {
  const scopes = new Map<A.Node, Scope>();
  const top = new Scope('module', '<module>', null, mod);
  scopes.set(mod, top);
  const v = new Visitor(scopes);
  v.body(mod.body, top);
  resolveFrees(top);
  return { top, scopes };
}

class Visitor {
  constructor(private readonly scopes: Map<A.Node, Scope>) {}

  body(stmts: A.Stmt[], s: Scope): void {
    for (const st of stmts) this.stmt(st, s);
  }

  bind(name: string, s: Scope): void {
    if (!s.bound.has(name)) s.bound.add(name);
  }

  params(args: A.Arguments, s: Scope): void {
    const names: string[] = [];
    for (const a of args.posonlyargs) names.push(a.arg);
    for (const a of args.args) names.push(a.arg);
    for (const a of args.kwonlyargs) names.push(a.arg);
    if (args.vararg) names.splice(args.posonlyargs.length + args.args.length + args.kwonlyargs.length, 0);
    // co_varnames: positional, keyword-only, *args, **kwargs
    const ordered = [...args.posonlyargs, ...args.args, ...args.kwonlyargs].map((a) => a.arg);
    if (args.vararg) ordered.push(args.vararg.arg);
    if (args.kwarg) ordered.push(args.kwarg.arg);
    s.params = ordered;
    for (const n of ordered) this.bind(n, s);
  }

  argDefaults(args: A.Arguments, s: Scope): void {
    for (const d of args.defaults) this.expr(d, s);
    for (const d of args.kw_defaults) if (d) this.expr(d, s);
  }

  stmt(st: A.Stmt, s: Scope): void {
    switch (st.kind) {
      case 'FunctionDef': {
        for (const d of st.decorator_list) this.expr(d, s);
        this.argDefaults(st.args, s);
        this.bind(st.name, s);
        const f = new Scope('function', st.name, s, st);
        this.scopes.set(st, f);
        this.params(st.args, f);
        this.body(st.body, f);
        break;
      }
      case 'ClassDef': {
        for (const d of st.decorator_list) this.expr(d, s);
        for (const b of st.bases) this.expr(b, s);
        for (const k of st.keywords) this.expr(k.value, s);
        this.bind(st.name, s);
        const c = new Scope('class', st.name, s, st);
        this.scopes.set(st, c);
        this.body(st.body, c);
        break;
      }
      case 'Return':
        if (st.value) this.expr(st.value, s);
        break;
      case 'Delete':
        for (const t of st.targets) this.target(t, s);
        break;
      case 'Assign':
        this.expr(st.value, s);
        for (const t of st.targets) this.target(t, s);
        break;
      case 'AugAssign':
        this.expr(st.value, s);
        this.target(st.target, s);
        if (st.target.kind === 'Name') s.used.add(st.target.id);
        break;
      case 'AnnAssign':
        if (st.value) this.expr(st.value, s);
        this.target(st.target, s);
        break;
      case 'For':
        this.expr(st.iter, s);
        this.target(st.target, s);
        this.body(st.body, s);
        this.body(st.orelse, s);
        break;
      case 'While':
        this.expr(st.test, s);
        this.body(st.body, s);
        this.body(st.orelse, s);
        break;
      case 'If':
        this.expr(st.test, s);
        this.body(st.body, s);
        this.body(st.orelse, s);
        break;
      case 'With':
        for (const it of st.items) {
          this.expr(it.context_expr, s);
          if (it.optional_vars) this.target(it.optional_vars, s);
        }
        this.body(st.body, s);
        break;
      case 'Raise':
        if (st.exc) this.expr(st.exc, s);
        if (st.cause) this.expr(st.cause, s);
        if (st.py2msg) this.expr(st.py2msg, s);
        break;
      case 'Try':
        this.body(st.body, s);
        for (const h of st.handlers) {
          if (h.type) this.expr(h.type, s);
          if (h.name) this.bind(h.name, s);
          this.body(h.body, s);
        }
        this.body(st.orelse, s);
        this.body(st.finalbody, s);
        break;
      case 'Assert':
        this.expr(st.test, s);
        if (st.msg) this.expr(st.msg, s);
        break;
      case 'Import':
        for (const a of st.names) this.bind(a.asname ?? a.name.split('.')[0], s);
        break;
      case 'ImportFrom':
        for (const a of st.names) if (a.name !== '*') this.bind(a.asname ?? a.name, s);
        break;
      case 'Global':
        for (const n of st.names) s.explicitGlobals.add(n);
        break;
      case 'Nonlocal':
        for (const n of st.names) s.nonlocals.add(n);
        break;
      case 'Expr':
        this.expr(st.value, s);
        break;
      case 'Print':
        if (st.dest) this.expr(st.dest, s);
        for (const e of st.values) this.expr(e, s);
        break;
      case 'Exec':
        this.expr(st.body, s);
        break;
      default:
        break;
    }
  }

  target(t: A.Expr, s: Scope): void {
    switch (t.kind) {
      case 'Name':
        this.bind(t.id, s);
        break;
      case 'Tuple':
      case 'List':
        for (const e of t.elts) this.target(e, s);
        break;
      case 'Starred':
        this.target(t.value, s);
        break;
      default:
        this.expr(t, s);
    }
  }

  expr(e: A.Expr, s: Scope): void {
    switch (e.kind) {
      case 'Name':
        if (e.ctx === 'Load') s.used.add(e.id);
        else this.bind(e.id, s);
        if (e.id === 'super' && s.kind === 'function') s.usesClassCell = true;
        if (e.id === '__class__' && s.kind === 'function') s.usesClassCell = true;
        break;
      case 'Lambda': {
        this.argDefaults(e.args, s);
        const f = new Scope('function', '<lambda>', s, e);
        this.scopes.set(e, f);
        this.params(e.args, f);
        this.expr(e.body, f);
        break;
      }
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp':
      case 'DictComp': {
        const gens = e.generators;
        this.expr(gens[0].iter, s);
        const name = e.kind === 'ListComp' ? '<listcomp>' : e.kind === 'SetComp' ? '<setcomp>' : e.kind === 'DictComp' ? '<dictcomp>' : '<genexpr>';
        const c = new Scope('comprehension', name, s, e);
        this.scopes.set(e, c);
        c.params = ['.0'];
        c.bound.add('.0');
        if (e.kind === 'GeneratorExp') c.isGenerator = true;
        gens.forEach((g, i) => {
          if (i > 0) this.expr(g.iter, c);
          this.target(g.target, c);
          for (const cond of g.ifs) this.expr(cond, c);
        });
        if (e.kind === 'DictComp') {
          this.expr(e.key, c);
          this.expr(e.value, c);
        } else this.expr(e.elt, c);
        break;
      }
      case 'NamedExpr': {
        this.expr(e.value, s);
        let t = s;
        while (t.kind === 'comprehension' && t.parent) t = t.parent;
        this.bind(e.target.id, t);
        if (t !== s) {
          // The comprehension reads/writes it through a cell of the enclosing function.
          s.nonlocals.add(e.target.id);
          if (t.kind === 'module') {
            s.nonlocals.delete(e.target.id);
            s.explicitGlobals.add(e.target.id);
          }
        }
        break;
      }
      case 'Yield':
      case 'YieldFrom':
        s.isGenerator = true;
        if (e.value) this.expr(e.value, s);
        break;
      default:
        forEachChildExpr(e, (c) => this.expr(c, s));
    }
  }
}

/** Visits the direct sub-expressions of an expression (for the generic cases). */
export function forEachChildExpr(e: A.Expr, f: (c: A.Expr) => void): void {
  switch (e.kind) {
    case 'BoolOp':
      e.values.forEach(f);
      break;
    case 'BinOp':
      f(e.left);
      f(e.right);
      break;
    case 'UnaryOp':
      f(e.operand);
      break;
    case 'IfExp':
      f(e.test);
      f(e.body);
      f(e.orelse);
      break;
    case 'Dict':
      e.keys.forEach((k) => k && f(k));
      e.values.forEach(f);
      break;
    case 'Set':
    case 'List':
    case 'Tuple':
      e.elts.forEach(f);
      break;
    case 'Compare':
      f(e.left);
      e.comparators.forEach(f);
      break;
    case 'Call':
      f(e.func);
      e.args.forEach(f);
      e.keywords.forEach((k) => f(k.value));
      break;
    case 'FormattedValue':
      f(e.value);
      if (e.format_spec) f(e.format_spec);
      break;
    case 'JoinedStr':
      e.values.forEach(f);
      break;
    case 'Attribute':
    case 'Starred':
    case 'Await':
    case 'Repr':
      f(e.value);
      break;
    case 'Subscript':
      f(e.value);
      f(e.slice);
      break;
    case 'Slice':
      if (e.lower) f(e.lower);
      if (e.upper) f(e.upper);
      if (e.step) f(e.step);
      break;
    default:
      break;
  }
}

/** Second pass: decide cells and frees bottom-up, like symtable's analyze_block. */
function resolveFrees(s: Scope): void {
  for (const c of s.children) resolveFrees(c);
  if (s.kind === 'module') return;
  // Names this scope needs from outside: used or nonlocal, not bound here (unless nonlocal), not global.
  const wanted = new Set<string>();
  const consider = (n: string) => {
    if (s.explicitGlobals.has(n)) return;
    if (s.nonlocals.has(n)) {
      wanted.add(n);
      return;
    }
    if (s.bound.has(n) && s.kind !== 'class') return;
    if (s.kind === 'class' && s.bound.has(n)) return;
    wanted.add(n);
  };
  for (const n of s.used) consider(n);
  for (const n of s.nonlocals) consider(n);
  // Frees of children that this scope does not provide itself propagate outward.
  for (const c of s.children) {
    for (const n of c.frees) {
      if (s.kind !== 'class' && s.bound.has(n) && !s.nonlocals.has(n) && !s.explicitGlobals.has(n)) continue;
      if (n === '__class__' && s.kind === 'class') continue;
      wanted.add(n);
    }
  }
  if (s.usesClassCell) wanted.add('__class__');
  for (const n of wanted) {
    if (n === '__class__' && s.parent?.kind === 'class') {
      s.frees.add(n);
      s.parent.needsClassCell = true;
      continue;
    }
    // Find the nearest enclosing function scope binding it (class scopes are skipped).
    let p = s.parent;
    while (p && p.kind === 'class') {
      if (n === '__class__') break;
      p = p.parent;
    }
    while (p && p.kind !== 'module') {
      if (p.kind !== 'class' && p.bound.has(n) && !p.explicitGlobals.has(n) && !p.nonlocals.has(n)) {
        s.frees.add(n);
        p.cells.add(n);
        markIntermediate(s.parent!, p, n);
        break;
      }
      if (p.kind === 'class' && n === '__class__' && p.needsClassCell) {
        s.frees.add(n);
        break;
      }
      p = p.parent;
    }
  }
  if (s.needsClassCell) s.cells.add('__class__');
}

/** Scopes between the user and the owner of a cell pass the free variable along. */
function markIntermediate(from: Scope, owner: Scope, name: string): void {
  let p: Scope | null = from;
  while (p && p !== owner) {
    if (p.kind !== 'module') p.frees.add(name);
    p = p.parent;
  }
}
