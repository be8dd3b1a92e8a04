// Python parser: tokens → AST (ast.ts), with CPython 3.11's syntax error
// messages and positions (or 2.7's terser ones under profile '2.7').
//
// Design
// ------
// A hand-written recursive-descent parser over our own tokenizer. The team
// picked @lezer/python for syntax; we tried it first and kept it out of the
// hot path because (1) its tree is flat where Python's AST is nested (target
// lists, parameter lists and import names come as comma-separated siblings,
// `/` in a parameter list is not even a node), so building the AST meant
// re-parsing token runs anyway; (2) it cannot read `print a, b`, `exec s in
// d`, backticks or `10L`; (3) its error recovery locates errors where an LR
// parser gets stuck, while CPython's messages ("expected ':'", "Perhaps you
// forgot a comma?", "cannot assign to ... here") come from specific grammar
// alternatives. A recursive-descent parser mirrors those alternatives
// directly and needs no recovery: the first error is thrown.
//
// Error rules, in CPython's order (pegen_errors.c `_PyPegen_set_syntax_error`):
// a specific message raised by a rule wins; a generic failure at a tokenizer
// error reports that error; at an INDENT it is "unexpected indent"; otherwise
// it is "invalid syntax" at the failing token, unless a tokenizer error exists
// anywhere later in the file, which then wins.
//
// Where to start reading: `parse()`, then `Parser.statement()`.

import type * as A from './ast.js';
import { isStackOverflow, PySyntaxError, SourceTooDeep } from './errors.js';
import { SourceText, T, tokenize, type Token } from './tokenizer.js';
import { decodeBody, splitString } from './strings.js';

export type Profile = '3.11' | '2.7';

/**
 * Parses a whole script.
 *
 * @example
 * const mod = parse('x = 1\n', 'x.py', '3.11');
 * mod.body[0].kind; // 'Assign'
 * @throws PySyntaxError (and nothing else)
 */
export function parse(source: string, filename: string, profile: Profile): A.Module {
  const st = new SourceText(source, filename);
  try {
    const toks = tokenize(source, profile === '2.7');
    const p = new Parser(st, toks, profile === '2.7');
    try {
      return p.file();
    } catch (e) {
      // A tokenizer error later in the file wins over a parser error
      // (pegen's _PyPegen_tokenize_full_source_to_check_for_errors); an
      // unclosed bracket only when the parser error is on a later line.
      const last = toks[toks.length - 1];
      if (profile !== '2.7' && e instanceof PySyntaxError && last.type === T.ERRORTOKEN && last.error && !p.fromTokenizer) {
        const tokErr = st.pending(last.error);
        if (!last.error.msg.endsWith('was never closed') || (e.end_lineno ?? e.lineno) > tokErr.lineno) throw tokErr;
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof PySyntaxError) throw e;
    // Nesting deeper than the recursive-descent parser's stack: CPython's
    // parser has a fixed stack too and reports MemoryError.
    if (isStackOverflow(e)) throw new SourceTooDeep('MemoryError', '');
    // Internal bug: surface as a SyntaxError rather than a raw JS exception,
    // keeping the cause visible for a bug report.
    const err = new PySyntaxError('SyntaxError', `invalid syntax (internal parser error: ${String(e)})`, filename, 1, 1, 1, 1, st.lineText(1));
    throw err;
  }
}

const KEYWORDS3 = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const KEYWORDS2 = new Set(['and', 'as', 'assert', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'exec', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'not', 'or', 'pass', 'print',
  'raise', 'return', 'try', 'while', 'with', 'yield']);

const AUG: Record<string, A.OperatorKind> = {
  '+=': 'Add', '-=': 'Sub', '*=': 'Mult', '@=': 'MatMult', '/=': 'Div', '%=': 'Mod', '**=': 'Pow',
  '<<=': 'LShift', '>>=': 'RShift', '|=': 'BitOr', '^=': 'BitXor', '&=': 'BitAnd', '//=': 'FloorDiv',
};
const CMP: Record<string, A.CmpOpKind> = { '==': 'Eq', '!=': 'NotEq', '<>': 'NotEq', '<': 'Lt', '<=': 'LtE', '>': 'Gt', '>=': 'GtE' };
const TERM: Record<string, A.OperatorKind> = { '*': 'Mult', '/': 'Div', '//': 'FloorDiv', '%': 'Mod', '@': 'MatMult' };
const TERM27: Record<string, A.OperatorKind> = { '*': 'Mult', '/': 'Div', '//': 'FloorDiv', '%': 'Mod' };
const BITOR: Record<string, A.OperatorKind> = { '|': 'BitOr' };
const BITXOR: Record<string, A.OperatorKind> = { '^': 'BitXor' };
const BITAND: Record<string, A.OperatorKind> = { '&': 'BitAnd' };
const SHIFT: Record<string, A.OperatorKind> = { '<<': 'LShift', '>>': 'RShift' };
const SUM: Record<string, A.OperatorKind> = { '+': 'Add', '-': 'Sub' };

/** What the expected-indented-block message calls each header. */
type BlockOwner = string;

/** Python's description of an expression in error messages (`_PyPegen_get_expr_name`). */
export function exprName(e: A.Expr): string {
  switch (e.kind) {
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Starred': return 'starred';
    case 'Name': return 'name';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Lambda': return 'lambda';
    case 'Call': return 'function call';
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': case 'YieldFrom': return 'yield expression';
    case 'Await': return 'await expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
    case 'Constant': {
      const v = e.value;
      if (v.t === 'None') return 'None';
      if (v.t === 'bool') return v.v ? 'True' : 'False';
      if (v.t === 'Ellipsis') return 'ellipsis';
      return 'literal';
    }
    case 'Compare': return 'comparison';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    case 'Repr': return 'repr';
    case 'Slice': return 'slice';
  }
}

// 2.7's ast.c names for the same (its "can't assign to %s").
function exprName27(e: A.Expr): string {
  switch (e.kind) {
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'operator';
    case 'Constant': return e.value.t === 'None' ? 'None' : 'literal';
    case 'Dict': case 'Set': case 'JoinedStr': return 'literal';
    case 'Compare': return 'comparison';
    case 'Repr': return 'repr';
    case 'Lambda': return 'lambda';
    case 'IfExp': return 'conditional expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': return 'yield expression';
    default: return exprName(e);
  }
}

class Parser {
  private i = 0;
  private prevEnd = 0;
  private readonly kw: Set<string>;
  private printFunction = false;
  /** Tuples written without parentheses (`a, b`), to tell `del (a, b)` from `del a, b`. */
  private readonly bareTuples = new WeakSet<A.Expr>();
  private unicodeLiterals = false;
  /** Set when the thrown error is the tokenizer's own. */
  fromTokenizer = false;

  constructor(private readonly st: SourceText, private readonly toks: Token[], private readonly py2: boolean) {
    this.kw = py2 ? KEYWORDS2 : KEYWORDS3;
  }

  // ------------------------------------------------------------ token helpers

  private get tok(): Token { return this.toks[Math.min(this.i, this.toks.length - 1)]; }
  private peek(k = 1): Token { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  private next(): Token {
    const t = this.tok;
    if (t.type === T.ERRORTOKEN || (this.i >= this.toks.length - 1 && t.type !== T.ENDMARKER)) this.fail();
    this.i++;
    this.prevEnd = t.end;
    return t;
  }
  private isOp(v: string, t = this.tok): boolean { return t.type === T.OP && t.value === v; }
  private isKw(v: string, t = this.tok): boolean { return t.type === T.NAME && t.value === v && this.kw.has(v); }
  private eatOp(v: string): boolean { if (this.isOp(v)) { this.next(); return true; } return false; }
  private eatKw(v: string): boolean { if (this.isKw(v)) { this.next(); return true; } return false; }
  private expectOp(v: string): Token { if (!this.isOp(v)) this.fail(); return this.next(); }
  private expectKw(v: string): Token { if (!this.isKw(v)) this.fail(); return this.next(); }
  private isName(t = this.tok): boolean {
    if (t.type !== T.NAME) return false;
    if (this.py2 && t.value === 'print' && this.printFunction) return true;
    return !this.kw.has(t.value);
  }
  private name(): Token { if (!this.isName()) this.fail(); return this.next(); }

  /** Located span from a start offset to the end of the last consumed token. */
  private loc(start: number, end = this.prevEnd): A.Located {
    const st = this.st;
    const l1 = st.line(start);
    const l2 = end < st.lineStarts[l1] || l1 === st.lineStarts.length ? l1 : st.line(end);
    return { lineno: l1, col_offset: st.byteCol(start, l1), end_lineno: l2, end_col_offset: st.byteCol(end, l2) };
  }
  private span(n: A.Located): [number, number] {
    // Start/end UTF-16 offsets back from a node position.
    const ls = this.st.lineStarts;
    const toOff = (line: number, byteCol: number): number => {
      let off = ls[line - 1], b = 0;
      while (b < byteCol && off < this.st.src.length) {
        const c = this.st.src.charCodeAt(off);
        b += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3;
        off += c >= 0xd800 && c < 0xdc00 ? 2 : 1;
      }
      return off;
    };
    return [toOff(n.lineno, n.col_offset), toOff(n.end_lineno, n.end_col_offset)];
  }

  // ------------------------------------------------------------ errors

  /** A specific error over [start, end) offsets. */
  private raise(msg: string, start: number, end: number, type: 'SyntaxError' | 'IndentationError' = 'SyntaxError'): never {
    throw this.st.error(type, msg, start, end);
  }
  private raiseNode(msg: string, n: A.Located): never {
    const [s, e] = this.span(n);
    if (this.py2) {
      const err = this.st.error('SyntaxError', msg, s, e);
      err.offset = null; err.end_lineno = null; err.end_offset = null;
      throw err;
    }
    this.raise(msg, s, e);
  }

  /** The generic failure at the current token (see the design note). */
  private fail(t: Token = this.tok): never {
    const st = this.st;
    if (t.type === T.ERRORTOKEN && t.error) { this.fromTokenizer = true; throw st.pending(this.py2 ? this.py2TokError(t) : t.error); }
    if (t.type === T.INDENT) {
      const e = st.error('IndentationError', 'unexpected indent', t.start, t.start);
      e.offset = Number(t.value); e.end_offset = -1;
      throw e;
    }
    if (!this.py2) {
      const last = this.toks[this.toks.length - 1];
      if (t.type === T.DEDENT) {
        const e = st.error('IndentationError', 'unexpected unindent', t.start, t.start);
        throw e;
      }
      throw st.error('SyntaxError', 'invalid syntax', t.start, t.end);
    }
    const e = st.error('SyntaxError', t.type === T.ENDMARKER ? 'unexpected EOF while parsing' : 'invalid syntax', t.start, t.end);
    // 2.7 points at the end of the failing token (its NEWLINE token spans the '\n').
    if (t.type !== T.ENDMARKER) e.offset = st.charCol(t.end) + (t.type === T.NEWLINE ? 1 : 0);
    e.end_lineno = null; e.end_offset = null;
    throw e;
  }
  private py2TokError(t: Token) {
    const p = t.error!;
    if (p.msg.endsWith('was never closed')) return { ...p, msg: 'unexpected EOF while parsing', at: this.st.src.length, endAt: this.st.src.length, offset: undefined };
    if (p.msg.startsWith('unmatched')) return { ...p, msg: 'invalid syntax', offset: undefined };
    return p;
  }

  // ------------------------------------------------------------ statements

  file(): A.Module {
    const body: A.Stmt[] = [];
    while (this.tok.type !== T.ENDMARKER) {
      if (this.tok.type === T.NEWLINE) { this.next(); continue; }
      body.push(...this.statement());
    }
    return { kind: 'Module', body, type_ignores: [] };
  }

  private statement(): A.Stmt[] {
    const t = this.tok;
    if (t.type === T.NAME && this.kw.has(t.value)) {
      switch (t.value) {
        case 'if': return [this.ifStmt()];
        case 'while': return [this.whileStmt()];
        case 'for': return [this.forStmt()];
        case 'try': return [this.tryStmt()];
        case 'with': return [this.withStmt()];
        case 'def': return [this.funcDef([], t.start)];
        case 'class': return [this.classDef([], t.start)];
      }
    }
    if (this.isOp('@')) return [this.decorated()];
    return this.simpleStmts();
  }

  /** `':'` then an indented block or a same-line statement list. */
  private block(owner: BlockOwner, headerStart: number, forced: boolean): A.Stmt[] {
    if (!this.isOp(':')) {
      if (!this.py2 && (forced || this.tok.type === T.NEWLINE) && this.tok.type !== T.ERRORTOKEN) {
        this.raise("expected ':'", this.tok.start, this.tok.end);
      }
      this.fail();
    }
    this.next();
    if (this.tok.type !== T.NEWLINE) return this.simpleStmts();
    this.next();
    if ((this.tok.type as T) !== T.INDENT) {
      const t = this.tok;
      if (t.type === T.ERRORTOKEN) this.fail();
      if (this.py2) {
        const e = this.st.error('IndentationError', 'expected an indented block', t.start, t.end);
        e.offset = this.st.charCol(t.end); e.end_lineno = null; e.end_offset = null;
        throw e;
      }
      this.raise(`expected an indented block after ${owner} on line ${this.st.line(headerStart)}`, t.start, t.end, 'IndentationError');
    }
    this.next();
    const body: A.Stmt[] = [];
    while ((this.tok.type as T) !== T.DEDENT && (this.tok.type as T) !== T.ENDMARKER) body.push(...this.statement());
    if ((this.tok.type as T) === T.DEDENT) this.i++;
    return body;
  }

  private end(body: A.Stmt[]): number {
    return this.span(body[body.length - 1])[1];
  }

  private ifStmt(): A.If {
    const start = this.next().start;
    const test = this.headerExpr();
    const body = this.block("'if' statement", start, false);
    return this.ifRest(start, test, body);
  }
  private ifRest(start: number, test: A.Expr, body: A.Stmt[]): A.If {
    let orelse: A.Stmt[] = [];
    if (this.isKw('elif')) {
      const s = this.next().start;
      const t = this.headerExpr();
      const b = this.block("'elif' statement", s, false);
      orelse = [this.ifRest(s, t, b)];
    } else if (this.isKw('else')) {
      const s = this.next().start;
      orelse = this.block("'else' statement", s, true);
    }
    const end = this.end(orelse.length ? orelse : body);
    return { kind: 'If', test, body, orelse, ...this.loc(start, end) };
  }

  /** A condition in an if/elif/while header, with the `=`-for-`==` hint. */
  private headerExpr(): A.Expr {
    const e = this.namedExpr();
    if (!this.py2 && this.isOp('=')) {
      const [s] = this.span(e);
      this.next();
      const rhs = this.tryParse(() => this.bitOr());
      if (rhs) {
        if (e.kind === 'Name') this.raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", s, this.span(rhs)[1]);
        this.raiseNode(`cannot assign to ${exprName(e)} here. Maybe you meant '==' instead of '='?`, e);
      }
      this.fail();
    }
    return e;
  }

  private whileStmt(): A.While {
    const start = this.next().start;
    const test = this.headerExpr();
    const body = this.block("'while' statement", start, false);
    let orelse: A.Stmt[] = [];
    if (this.isKw('else')) { const s = this.next().start; orelse = this.block("'else' statement", s, true); }
    return { kind: 'While', test, body, orelse, ...this.loc(start, this.end(orelse.length ? orelse : body)) };
  }

  private forStmt(): A.For {
    const start = this.next().start;
    const target = this.targetList('Store');
    this.expectKw('in');
    const iter = this.starExpressions();
    const body = this.block("'for' statement", start, false);
    let orelse: A.Stmt[] = [];
    if (this.isKw('else')) { const s = this.next().start; orelse = this.block("'else' statement", s, true); }
    return { kind: 'For', target, iter, body, orelse, type_comment: null, ...this.loc(start, this.end(orelse.length ? orelse : body)) };
  }

  private tryStmt(): A.Try {
    const start = this.next().start;
    const body = this.block("'try' statement", start, true);
    const handlers: A.ExceptHandler[] = [];
    while (this.isKw('except')) {
      const s = this.next().start;
      let type: A.Expr | null = null, name: string | null = null;
      if (!this.isOp(':')) {
        type = this.expression();
        if (this.isOp(',') && !this.py2) {
          // except A, B: (3.11: "multiple exception types must be parenthesized")
          this.raiseNode('multiple exception types must be parenthesized', { ...this.loc(this.span(type)[0], this.span(this.tryParse(() => { this.next(); return this.expression(); }) ?? type)[1]) });
        }
        if (this.eatKw('as')) name = this.name().value;
        else if (this.py2 && this.eatOp(',')) {
          const target = this.expression();
          this.setCtx(target, 'Store', 'assign');
          name = target.kind === 'Name' ? target.id : null;
        }
      }
      const hbody = this.block("'except' statement", s, false);
      handlers.push({ kind: 'ExceptHandler', type, name, body: hbody, ...this.loc(s, this.end(hbody)) });
    }
    let orelse: A.Stmt[] = [], finalbody: A.Stmt[] = [];
    if (handlers.length && this.isKw('else')) { const s = this.next().start; orelse = this.block("'else' statement", s, true); }
    if (this.isKw('finally')) { const s = this.next().start; finalbody = this.block("'finally' statement", s, true); }
    if (!handlers.length && !finalbody.length) {
      if (this.py2) this.fail();
      if (this.tok.type === T.ERRORTOKEN) this.fail();
      let t = this.tok;
      let j = this.i;
      while (this.toks[j].type === T.DEDENT) j++;
      t = this.toks[j];
      if (t.type === T.ENDMARKER) {
        const nl = this.toks.slice(0, j).reverse().find((x) => x.type === T.NEWLINE);
        const at = nl ? nl.start : t.start;
        const e = this.st.error('SyntaxError', "expected 'except' or 'finally' block", at, at);
        e.end_offset = -1;
        throw e;
      }
      this.raise("expected 'except' or 'finally' block", t.start, t.end);
    }
    const last = finalbody.length ? finalbody : orelse.length ? orelse : handlers.length ? [] : body;
    const end = last.length ? this.end(last) : this.span(handlers[handlers.length - 1])[1];
    return { kind: 'Try', body, handlers, orelse, finalbody, ...this.loc(start, end) };
  }

  private withStmt(): A.With {
    const start = this.next().start;
    const items: A.WithItem[] = [];
    do {
      const context_expr = this.expression();
      let optional_vars: A.Expr | null = null;
      if (this.eatKw('as')) { optional_vars = this.target(); this.setCtx(optional_vars, 'Store', 'assign'); }
      items.push({ kind: 'withitem', context_expr, optional_vars });
    } while (this.eatOp(','));
    const body = this.block("'with' statement", start, false);
    return { kind: 'With', items, body, type_comment: null, ...this.loc(start, this.end(body)) };
  }

  private decorated(): A.Stmt {
    const start = this.tok.start;
    const decos: A.Expr[] = [];
    while (this.eatOp('@')) {
      decos.push(this.py2 ? this.primary() : this.namedExpr());
      if (this.tok.type !== T.NEWLINE) this.fail();
      this.next();
    }
    if (this.isKw('def')) return this.funcDef(decos, start);
    if (this.isKw('class')) return this.classDef(decos, start);
    return this.fail();
  }

  private funcDef(decorator_list: A.Expr[], _decoStart: number): A.FunctionDef {
    const start = this.next().start;
    const name = this.name().value;
    this.expectOp('(');
    const args = this.parameters(')', true);
    this.expectOp(')');
    let returns: A.Expr | null = null;
    if (!this.py2 && this.eatOp('->')) returns = this.expression();
    const body = this.block('function definition', start, true);
    return { kind: 'FunctionDef', name, args, body, decorator_list, returns, type_comment: null, ...this.loc(start, this.end(body)) };
  }

  private classDef(decorator_list: A.Expr[], _decoStart: number): A.ClassDef {
    const start = this.next().start;
    const name = this.name().value;
    let bases: A.Expr[] = [], keywords: A.Keyword[] = [];
    if (this.eatOp('(')) {
      if (this.py2) {
        if (!this.isOp(')')) { const e = this.starExpressions(); bases = e.kind === 'Tuple' && !this.parenthesized(e) ? e.elts : [e]; }
      } else {
        const open = this.prevEnd - 1;
        ({ args: bases, keywords } = this.callArgs(open));
      }
      this.expectOp(')');
    }
    const body = this.block('class definition', start, true);
    return { kind: 'ClassDef', name, bases, keywords, body, decorator_list, ...this.loc(start, this.end(body)) };
  }

  private parenthesized(e: A.Expr): boolean {
    if (e.kind === 'Tuple') return !this.bareTuples.has(e);
    const [s] = this.span(e);
    return this.st.src[s] === '(';
  }

  /** Parameter list of a def (annotations allowed) or a lambda. */
  private parameters(close: string, annotations: boolean): A.Arguments {
    const a: A.Arguments = { kind: 'arguments', posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
    let sawDefault = false, star = false, bareStar: Token | null = null;
    const param = (): A.Arg => {
      const t = this.name();
      let annotation: A.Expr | null = null;
      if (annotations && !this.py2 && this.eatOp(':')) annotation = this.expression();
      return { kind: 'arg', arg: t.value, annotation, type_comment: null, ...this.loc(t.start) };
    };
    while (!this.isOp(close)) {
      if (a.kwarg) {
        if (this.py2) this.fail();
        const t = this.tok;
        const ex = this.tryParse(() => param());
        if (ex) this.raiseNode('arguments cannot follow var-keyword argument', ex);
        this.fail(t);
      }
      if (this.isOp('/') && !this.py2) {
        const t = this.next();
        if (star || a.posonlyargs.length || !a.args.length) {
          this.raise(star ? '/ must be ahead of *' : a.posonlyargs.length ? '/ may appear only once' : 'at least one argument must precede /', t.start, t.end);
        }
        a.posonlyargs = a.args;
        a.args = [];
      } else if (this.isOp('*')) {
        const t = this.next();
        if (star) this.raise('* argument may appear only once', t.start, t.end);
        star = true;
        if (this.isOp(',') || this.isOp(close)) {
          if (this.py2) this.fail();
          bareStar = t;
        } else a.vararg = param();
      } else if (this.isOp('**')) {
        this.next();
        a.kwarg = param();
      } else {
        const p = param();
        let def: A.Expr | null = null;
        if (this.eatOp('=')) def = this.expression();
        if (star) {
          a.kwonlyargs.push(p);
          a.kw_defaults.push(def);
          bareStar = null;
        } else {
          a.args.push(p);
          if (def) { a.defaults.push(def); sawDefault = true; }
          else if (sawDefault) {
            if (this.py2) this.raiseNode('non-default argument follows default argument', p);
            this.raiseNode('non-default argument follows default argument', p);
          }
        }
      }
      if (!this.eatOp(',')) break;
      if (bareStar && this.isOp(close)) break;
    }
    if (bareStar) this.raise('named arguments must follow bare *', bareStar.start, bareStar.end);
    return a;
  }

  /** `small_stmt (';' small_stmt)* [';'] NEWLINE` */
  private simpleStmts(): A.Stmt[] {
    const out: A.Stmt[] = [this.smallStmt()];
    while (this.eatOp(';')) {
      if (this.tok.type === T.NEWLINE) break;
      out.push(this.smallStmt());
    }
    if (this.tok.type !== T.NEWLINE) this.fail();
    this.next();
    return out;
  }

  private smallStmt(): A.Stmt {
    const t = this.tok;
    const start = t.start;
    if (t.type === T.NAME && this.kw.has(t.value)) {
      switch (t.value) {
        case 'pass': this.next(); return { kind: 'Pass', ...this.loc(start) };
        case 'break': this.next(); return { kind: 'Break', ...this.loc(start) };
        case 'continue': this.next(); return { kind: 'Continue', ...this.loc(start) };
        case 'return': {
          this.next();
          const value = this.atStmtEnd() ? null : this.starExpressions();
          return { kind: 'Return', value, ...this.loc(start) };
        }
        case 'raise': return this.raiseStmt();
        case 'global': case 'nonlocal': {
          this.next();
          const names = [this.name().value];
          while (this.eatOp(',')) names.push(this.name().value);
          return { kind: t.value === 'global' ? 'Global' : 'Nonlocal', names, ...this.loc(start) };
        }
        case 'del': {
          this.next();
          const e = this.targetList('Del');
          const targets = e.kind === 'Tuple' && !this.parenthesized(e) ? e.elts : [e];
          return { kind: 'Delete', targets, ...this.loc(start) };
        }
        case 'assert': {
          this.next();
          const test = this.expression();
          const msg = this.eatOp(',') ? this.expression() : null;
          return { kind: 'Assert', test, msg, ...this.loc(start) };
        }
        case 'import': return this.importStmt();
        case 'from': return this.fromImport();
        case 'print': if (this.py2 && !this.printFunction) return this.printStmt(); break;
        case 'exec': if (this.py2) return this.execStmt(); break;
      }
    }
    if (!this.py2 && t.type === T.NAME && (t.value === 'print' || t.value === 'exec')) this.legacyCall(t);
    return this.exprStmt();
  }

  /** 3.11: `print x` → "Missing parentheses in call to 'print'". */
  private legacyCall(t: Token): void {
    const n = this.peek();
    const startsOperand = (n.type === T.NAME && !KEYWORDS3.has(n.value)) || n.type === T.NUMBER || n.type === T.STRING
      || (n.type === T.OP && (n.value === '[' || n.value === '{')) || (n.type === T.NAME && ['None', 'True', 'False', 'lambda', 'not', 'await'].includes(n.value));
    if (!startsOperand) return;
    const save = this.i;
    this.next();
    const e = this.tryParse(() => this.starExpressions());
    if (e) this.raise(`Missing parentheses in call to '${t.value}'. Did you mean ${t.value}(...)?`, t.start, this.span(e)[1]);
    this.i = save;
  }

  private atStmtEnd(): boolean { return this.tok.type === T.NEWLINE || this.isOp(';') || this.tok.type === T.ENDMARKER; }

  private raiseStmt(): A.Raise {
    const start = this.next().start;
    let exc: A.Expr | null = null, cause: A.Expr | null = null;
    if (!this.atStmtEnd()) {
      exc = this.expression();
      if (this.py2) {
        let py2msg: A.Expr | null = null, py2tb: A.Expr | null = null;
        if (this.eatOp(',')) {
          py2msg = this.expression();
          if (this.eatOp(',')) py2tb = this.expression();
        }
        return { kind: 'Raise', exc, cause: null, py2msg, py2tb, ...this.loc(start) };
      }
      if (this.eatKw('from')) cause = this.expression();
    }
    return { kind: 'Raise', exc, cause, ...this.loc(start) };
  }

  private dottedName(): string {
    let n = this.name().value;
    while (this.eatOp('.')) n += '.' + this.name().value;
    return n;
  }

  private importStmt(): A.Import {
    const start = this.next().start;
    const names: A.Alias[] = [];
    do {
      const s = this.tok.start;
      const name = this.dottedName();
      const asname = this.eatKw('as') ? this.name().value : null;
      names.push({ kind: 'alias', name, asname, ...this.loc(s) });
    } while (this.eatOp(','));
    return { kind: 'Import', names, ...this.loc(start) };
  }

  private fromImport(): A.ImportFrom {
    const start = this.next().start;
    let level = 0;
    while (this.isOp('.') || this.isOp('...')) level += this.next().value.length;
    const module = level > 0 && this.isKw('import') ? null : this.dottedName();
    this.expectKw('import');
    const names: A.Alias[] = [];
    if (this.isOp('*')) {
      const t = this.next();
      names.push({ kind: 'alias', name: '*', asname: null, ...this.loc(t.start) });
    } else {
      const paren = this.eatOp('(');
      do {
        if (paren && this.isOp(')')) break;
        const s = this.tok.start;
        const name = this.name().value;
        const asname = this.eatKw('as') ? this.name().value : null;
        names.push({ kind: 'alias', name, asname, ...this.loc(s) });
      } while (this.eatOp(','));
      if (paren) this.expectOp(')');
      else if (this.prevEnd && this.st.src[this.prevEnd - 1] === ',') this.fail();
    }
    if (module === '__future__') {
      for (const a of names) {
        if (a.name === 'print_function') this.printFunction = true;
        if (a.name === 'unicode_literals') this.unicodeLiterals = true;
      }
    }
    return { kind: 'ImportFrom', module, names, level, ...this.loc(start) };
  }

  private printStmt(): A.Print {
    const start = this.next().start;
    let dest: A.Expr | null = null;
    const values: A.Expr[] = [];
    let nl = true;
    if (this.eatOp('>>')) {
      dest = this.expression();
      if (!this.atStmtEnd()) this.expectOp(',');
    }
    while (!this.atStmtEnd()) {
      values.push(this.expression());
      nl = true;
      if (!this.eatOp(',')) break;
      nl = false;
    }
    return { kind: 'Print', dest, values, nl, ...this.loc(start) };
  }

  private execStmt(): A.Exec {
    const start = this.next().start;
    const body = this.bitOr();
    let globals: A.Expr | null = null, locals: A.Expr | null = null;
    if (this.eatKw('in')) {
      globals = this.expression();
      if (this.eatOp(',')) locals = this.expression();
    }
    return { kind: 'Exec', body, globals, locals, ...this.loc(start) };
  }

  private exprStmt(): A.Stmt {
    const start = this.tok.start;
    if (!this.py2 && this.isName() && this.isOp(':=', this.peek())) this.fail(this.peek());
    const first = this.yieldOrStar();
    if (this.isOp(':') && !this.py2) {
      this.next();
      this.checkAssignable(first, 'annotated');
      const annotation = this.expression();
      const value = this.eatOp('=') ? this.yieldOrStar() : null;
      const simple = first.kind === 'Name' && this.st.src[start] !== '(' ? 1 : 0;
      return { kind: 'AnnAssign', target: first, annotation, value, simple, ...this.loc(start) };
    }
    if (this.tok.type === T.OP && AUG[this.tok.value] && !(this.py2 && this.tok.value === '@=')) {
      const op = AUG[this.next().value];
      if (first.kind !== 'Name' && first.kind !== 'Attribute' && first.kind !== 'Subscript') {
        if (this.py2) this.raiseNode(first.kind === 'Call' ? "can't assign to function call" : 'illegal expression for augmented assignment', first);
        this.raiseNode(`'${exprName(first)}' is an illegal expression for augmented assignment`, first);
      }
      this.setCtx(first, 'Store', 'assign');
      const value = this.yieldOrStar();
      return { kind: 'AugAssign', target: first, op, value, ...this.loc(start) };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value = first;
      while (this.eatOp('=')) {
        value = this.yieldOrStar();
        targets.push(value);
      }
      targets.pop();
      for (let k = 0; k < targets.length; k++) {
        const tgt = targets[k];
        const last = k === targets.length - 1;
        if (!this.py2 && last && this.hereVariant(tgt, value)) {
          this.raiseNode(`cannot assign to ${exprName(tgt)} here. Maybe you meant '==' instead of '='?`, tgt);
        }
        this.setCtx(tgt, 'Store', 'assign');
      }
      return { kind: 'Assign', targets, value, type_comment: null, ...this.loc(start) };
    }
    return { kind: 'Expr', value: first, ...this.loc(start) };
  }

  /** CPython's invalid_named_expression: `a = b` where `a` is a bitwise_or that cannot be assigned. */
  private hereVariant(t: A.Expr, value: A.Expr): boolean {
    if (this.validTarget(t)) return false;
    if (t.kind === 'List' || t.kind === 'Tuple' || t.kind === 'GeneratorExp' || t.kind === 'Starred') return false;
    if (t.kind === 'Constant' && (t.value.t === 'bool' || t.value.t === 'None')) return false;
    if (t.kind === 'Yield' || t.kind === 'YieldFrom') return false;
    const bitOrLevel = (e: A.Expr) => !['Compare', 'BoolOp', 'Lambda', 'IfExp', 'NamedExpr', 'Yield', 'YieldFrom', 'Starred', 'Tuple'].includes(e.kind)
      && !(e.kind === 'UnaryOp' && e.op === 'Not');
    return bitOrLevel(t) && bitOrLevel(value);
  }

  private validTarget(e: A.Expr): boolean {
    switch (e.kind) {
      case 'Name': return true;
      case 'Attribute': case 'Subscript': return true;
      case 'Starred': return this.validTarget(e.value);
      case 'List': case 'Tuple': return e.elts.every((x) => this.validTarget(x));
      default: return false;
    }
  }

  private checkAssignable(e: A.Expr, how: 'annotated'): void {
    if (e.kind === 'Name' || e.kind === 'Attribute' || e.kind === 'Subscript') { this.setCtx(e, 'Store', 'assign'); return; }
    if (e.kind === 'Tuple' || e.kind === 'List') this.raiseNode(`only single target (not ${e.kind === 'Tuple' ? 'tuple' : 'list'}) can be ${how}`, e);
    this.raiseNode(`illegal target for annotation`, e);
  }

  /** Sets ctx on a target, raising CPython's "cannot assign to/delete X". */
  private setCtx(e: A.Expr, ctx: A.ExprContext, what: 'assign' | 'del'): void {
    switch (e.kind) {
      case 'Name':
        if (this.py2 && e.id === 'None') this.raiseNode(what === 'del' ? "can't delete None" : 'cannot assign to None', e);
        if (this.py2 && e.id === '__debug__') this.raiseNode('cannot assign to __debug__', e);
        e.ctx = ctx; return;
      case 'Attribute': case 'Subscript': e.ctx = ctx; return;
      case 'Starred':
        if (what === 'del' && !this.py2) this.raiseNode('cannot delete starred', e);
        e.ctx = ctx; this.setCtx(e.value, ctx, what); return;
      case 'List': case 'Tuple':
        e.ctx = ctx;
        for (const x of e.elts) this.setCtx(x, ctx, what);
        return;
      default: {
        if (e.kind === 'Yield' || e.kind === 'YieldFrom') {
          if (what === 'assign') this.raiseNode('assignment to yield expression not possible', e);
        }
        const nm = this.py2 ? exprName27(e) : exprName(e);
        if (this.py2) this.raiseNode(what === 'del' ? `can't delete ${nm}` : `can't assign to ${nm}`, e);
        this.raiseNode(what === 'del' ? `cannot delete ${nm}` : `cannot assign to ${nm}`, e);
      }
    }
  }

  // ------------------------------------------------------------ targets

  /** Targets of for/del: star_targets at bitwise-or precedence. */
  private targetList(ctx: A.ExprContext): A.Expr {
    const start = this.tok.start;
    const first = this.target();
    if (!this.isOp(',')) { this.setCtx(first, ctx, ctx === 'Del' ? 'del' : 'assign'); return first; }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in') || this.atStmtEnd() || this.isOp('=')) break;
      elts.push(this.target());
    }
    const t: A.Tuple = { kind: 'Tuple', elts, ctx, ...this.loc(start) };
    this.bareTuples.add(t);
    this.setCtx(t, ctx, ctx === 'Del' ? 'del' : 'assign');
    return t;
  }
  private target(): A.Expr {
    if (this.isOp('*')) {
      const s = this.next().start;
      const value = this.bitOr();
      return { kind: 'Starred', value, ctx: 'Store', ...this.loc(s) };
    }
    return this.bitOr();
  }

  // ------------------------------------------------------------ expressions

  private tryParse<X>(f: () => X): X | null {
    const save = this.i, saveEnd = this.prevEnd;
    try { return f(); } catch (e) { if (!(e instanceof PySyntaxError)) throw e; this.i = save; this.prevEnd = saveEnd; return null; }
  }

  private yieldOrStar(): A.Expr {
    if (this.isKw('yield')) return this.yieldExpr();
    return this.starExpressions();
  }

  private yieldExpr(): A.Expr {
    const start = this.next().start;
    if (this.eatKw('from')) {
      const value = this.expression();
      return { kind: 'YieldFrom', value, ...this.loc(start) };
    }
    if (this.atStmtEnd() || this.isOp(')') || this.isOp(']') || this.isOp('}') || this.isOp('=')) return { kind: 'Yield', value: null, ...this.loc(start) };
    return { kind: 'Yield', value: this.starExpressions(), ...this.loc(start) };
  }

  /** `star_expressions`: a tuple without parentheses when there are commas. */
  private starExpressions(): A.Expr {
    const start = this.tok.start;
    const first = this.starExpr();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (!this.startsExpr()) break;
      elts.push(this.starExpr());
    }
    const t: A.Tuple = { kind: 'Tuple', elts, ctx: 'Load', ...this.loc(start) };
    this.bareTuples.add(t);
    return t;
  }

  private startsExpr(t = this.tok): boolean {
    if (t.type === T.NAME) return !this.kw.has(t.value) || ['None', 'True', 'False', 'lambda', 'not', 'await', 'yield'].includes(t.value)
      || (this.py2 && t.value === 'print' && this.printFunction);
    if (t.type === T.NUMBER || t.type === T.STRING) return true;
    if (t.type === T.OP) return ['(', '[', '{', '-', '+', '~', '*', '...', '`', '**'].includes(t.value);
    return false;
  }

  private starExpr(): A.Expr {
    if (this.isOp('*') && !this.py2) {
      const s = this.next().start;
      const value = this.bitOr();
      return { kind: 'Starred', value, ctx: 'Load', ...this.loc(s) };
    }
    return this.namedExpr();
  }

  private namedExpr(): A.Expr {
    if (!this.py2 && this.isName() && this.isOp(':=', this.peek())) {
      const t = this.next();
      this.next();
      const target: A.Name = { kind: 'Name', id: t.value, ctx: 'Store', ...this.loc(t.start, t.end) };
      const value = this.expression();
      return { kind: 'NamedExpr', target, value, ...this.loc(t.start) };
    }
    return this.expression();
  }

  /** `expression`: lambda, or a disjunction with an optional conditional. */
  expression(): A.Expr {
    if (this.isKw('lambda')) return this.lambda();
    const start = this.tok.start;
    const body = this.disjunction();
    if (this.isKw('if')) {
      this.next();
      const test = this.disjunction();
      if (!this.isKw('else')) {
        if (!this.py2 && !this.startsExpr() && this.tok.type !== T.ERRORTOKEN) this.raise("expected 'else' after 'if' expression", start, this.prevEnd);
        this.fail();
      }
      this.next();
      const orelse = this.expression();
      return { kind: 'IfExp', test, body, orelse, ...this.loc(start) };
    }
    return body;
  }

  private lambda(): A.Lambda {
    const start = this.next().start;
    const args = this.parameters(':', false);
    this.expectOp(':');
    const body = this.expression();
    return { kind: 'Lambda', args, body, ...this.loc(start) };
  }

  private disjunction(): A.Expr {
    const start = this.tok.start;
    const first = this.conjunction();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.conjunction());
    return { kind: 'BoolOp', op: 'Or', values, ...this.loc(start) };
  }
  private conjunction(): A.Expr {
    const start = this.tok.start;
    const first = this.inversion();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.inversion());
    return { kind: 'BoolOp', op: 'And', values, ...this.loc(start) };
  }
  private inversion(): A.Expr {
    if (this.isKw('not')) {
      const start = this.next().start;
      const operand = this.inversion();
      return { kind: 'UnaryOp', op: 'Not', operand, ...this.loc(start) };
    }
    return this.comparison();
  }
  private comparison(): A.Expr {
    const start = this.tok.start;
    const left = this.bitOr();
    const ops: A.CmpOpKind[] = [], comparators: A.Expr[] = [];
    for (;;) {
      const t = this.tok;
      let op: A.CmpOpKind | null = null;
      if (t.type === T.OP && CMP[t.value]) { this.next(); op = CMP[t.value]; }
      else if (this.isKw('in')) { this.next(); op = 'In'; }
      else if (this.isKw('not') && this.isKw('in', this.peek())) { this.next(); this.next(); op = 'NotIn'; }
      else if (this.isKw('is')) { this.next(); op = this.eatKw('not') ? 'IsNot' : 'Is'; }
      if (!op) break;
      ops.push(op);
      comparators.push(this.bitOr());
    }
    if (!ops.length) return left;
    return { kind: 'Compare', left, ops, comparators, ...this.loc(start) };
  }

  private binary(next: () => A.Expr, ops: Record<string, A.OperatorKind>): A.Expr {
    const start = this.tok.start;
    let left = next();
    while (this.tok.type === T.OP && Object.hasOwn(ops, this.tok.value)) {
      const op = ops[this.next().value];
      const right = next();
      left = { kind: 'BinOp', left, op, right, ...this.loc(start) };
    }
    return left;
  }
  private readonly nextBitXor = () => this.bitXor();
  private readonly nextBitAnd = () => this.bitAnd();
  private readonly nextShift = () => this.shift();
  private readonly nextSum = () => this.sum();
  private readonly nextTerm = () => this.term();
  private readonly nextFactor = () => this.factor();
  bitOr(): A.Expr { return this.binary(this.nextBitXor, BITOR); }
  private bitXor(): A.Expr { return this.binary(this.nextBitAnd, BITXOR); }
  private bitAnd(): A.Expr { return this.binary(this.nextShift, BITAND); }
  private shift(): A.Expr { return this.binary(this.nextSum, SHIFT); }
  private sum(): A.Expr { return this.binary(this.nextTerm, SUM); }
  private term(): A.Expr { return this.binary(this.nextFactor, this.py2 ? TERM27 : TERM); }
  private factor(): A.Expr {
    const t = this.tok;
    if (t.type === T.OP && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.next();
      const operand = this.factor();
      const op: A.UnaryOpKind = t.value === '-' ? 'USub' : t.value === '+' ? 'UAdd' : 'Invert';
      return { kind: 'UnaryOp', op, operand, ...this.loc(t.start) };
    }
    return this.power();
  }
  private power(): A.Expr {
    const start = this.tok.start;
    let left: A.Expr;
    if (!this.py2 && this.isKw('await')) {
      this.next();
      const value = this.primary();
      left = { kind: 'Await', value, ...this.loc(start) };
    } else left = this.primary();
    if (this.eatOp('**')) {
      const right = this.factor();
      return { kind: 'BinOp', left, op: 'Pow', right, ...this.loc(start) };
    }
    return left;
  }

  primary(): A.Expr {
    const start = this.tok.start;
    let e = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const attr = this.name().value;
        e = { kind: 'Attribute', value: e, attr, ctx: 'Load', ...this.loc(start) };
      } else if (this.isOp('(')) {
        const open = this.next().start;
        const { args, keywords } = this.callArgs(open);
        this.expectOp(')');
        e = { kind: 'Call', func: e, args, keywords, ...this.loc(start) };
        // A sole generator argument spans the call's parentheses.
        if (args.length === 1 && args[0].kind === 'GeneratorExp' && !keywords.length && !this.parenthesized(args[0])) {
          Object.assign(args[0], this.loc(open, this.prevEnd));
        }
      } else if (this.isOp('[')) {
        this.next();
        const slice = this.slices();
        this.expectOp(']');
        e = { kind: 'Subscript', value: e, slice, ctx: 'Load', ...this.loc(start) };
      } else return e;
    }
  }

  private slices(): A.Expr {
    const start = this.tok.start;
    const first = this.slice();
    if (!this.isOp(',')) {
      if (first.kind === 'Starred') return { kind: 'Tuple', elts: [first], ctx: 'Load', ...this.loc(start) };
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.slice());
    }
    return { kind: 'Tuple', elts, ctx: 'Load', ...this.loc(start) };
  }
  private slice(): A.Expr {
    const start = this.tok.start;
    let lower: A.Expr | null = null;
    if (!this.isOp(':')) {
      lower = this.starExpr();
      if (!this.isOp(':')) return lower;
    }
    this.next();
    const upper = this.isOp(':') || this.isOp(']') || this.isOp(',') ? null : this.expression();
    let step: A.Expr | null = null;
    if (this.eatOp(':')) step = this.isOp(']') || this.isOp(',') ? null : this.expression();
    return { kind: 'Slice', lower, upper, step, ...this.loc(start) };
  }

  /** Arguments of a call (after '(' up to, not including, ')'). */
  private callArgs(open: number): { args: A.Expr[]; keywords: A.Keyword[] } {
    const args: A.Expr[] = [], keywords: A.Keyword[] = [];
    let sawKw = false, sawDoubleStar = false, count = 0;
    let genexp: A.Expr | null = null;
    while (!this.isOp(')')) {
      const s = this.tok.start;
      count++;
      if (this.isOp('**')) {
        this.next();
        const value = this.expression();
        keywords.push({ kind: 'keyword', arg: null, value, ...this.loc(s) });
        sawDoubleStar = true;
      } else if (this.isOp('*')) {
        this.next();
        const value = this.expression();
        const st: A.Starred = { kind: 'Starred', value, ctx: 'Load', ...this.loc(s) };
        if (sawDoubleStar) {
          if (this.py2) this.fail();
          this.raise('iterable argument unpacking follows keyword argument unpacking', s, s + 1);
        }
        args.push(st);
      } else if (this.isName() && this.isOp('=', this.peek())) {
        const t = this.next();
        this.next();
        const value = this.expression();
        if (keywords.some((k) => k.arg === t.value)) {
          if (this.py2) this.raiseNode('keyword argument repeated', value);
          this.raise(`keyword argument repeated: ${t.value}`, s, this.prevEnd);
        }
        keywords.push({ kind: 'keyword', arg: t.value, value, ...this.loc(s) });
        sawKw = true;
      } else {
        let e = this.namedExpr();
        if (this.isOp('=') && !this.py2) {
          const eq = this.next();
          this.raise('expression cannot contain assignment, perhaps you meant "=="?', this.span(e)[0], eq.end);
        }
        if (this.isKw('for')) {
          e = this.comprehension('GeneratorExp', e, null, s);
          genexp = e;
        }
        if (sawKw || sawDoubleStar) {
          if (this.py2) this.raiseNode('non-keyword arg after keyword arg', e);
          // CPython points at the token after the argument.
          if (this.tok.type === T.OP) this.raise(sawDoubleStar && !sawKw ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument', this.tok.start, this.tok.end);
          this.raiseNode(sawDoubleStar && !sawKw ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument', e);
        }
        args.push(e);
      }
      if (!this.isOp(',')) {
        if (!this.isOp(')')) this.commaHint(args.length ? args[args.length - 1] : keywords[keywords.length - 1].value);
        break;
      }
      this.next();
    }
    if (genexp && count > 1) {
      this.raiseNode(this.py2 ? 'Generator expression must be parenthesized if not sole argument' : 'Generator expression must be parenthesized', genexp);
    }
    void open;
    return { args, keywords };
  }

  /** Inside brackets, `a b` is "invalid syntax. Perhaps you forgot a comma?". */
  private commaHint(a: A.Expr): void {
    if (this.py2 || !this.startsExpr() || this.isOp('*') || this.isOp('**') || this.isOp('-') || this.isOp('+') || this.isOp('~')) return;
    if (this.tok.level === 0) return;
    if (a.kind === 'Name' && this.tok.type === T.STRING) return;
    const save = this.i, saveEnd = this.prevEnd;
    const b = this.tryParse(() => this.expression());
    if (b) this.raise('invalid syntax. Perhaps you forgot a comma?', this.span(a)[0], this.span(b)[1]);
    this.i = save; this.prevEnd = saveEnd;
  }

  private comprehension(kind: 'ListComp' | 'SetComp' | 'GeneratorExp' | 'DictComp', elt: A.Expr, value: A.Expr | null, start: number): A.Expr {
    const generators: A.Comprehension[] = [];
    while (this.isKw('for')) {
      this.next();
      const target = this.targetList('Store');
      this.expectKw('in');
      const iter = this.disjunction();
      const ifs: A.Expr[] = [];
      while (this.eatKw('if')) ifs.push(this.disjunction());
      generators.push({ kind: 'comprehension', target, iter, ifs, is_async: 0 });
    }
    if (kind === 'DictComp') return { kind, key: elt, value: value!, generators, ...this.loc(start) };
    return { kind, elt, generators, ...this.loc(start) };
  }

  private atom(): A.Expr {
    const t = this.tok;
    const start = t.start;
    switch (t.type) {
      case T.NAME: {
        if (!this.py2) {
          if (t.value === 'None') { this.next(); return this.constant({ t: 'None' }, start); }
          if (t.value === 'True' || t.value === 'False') { this.next(); return this.constant({ t: 'bool', v: t.value === 'True' }, start); }
        }
        if (!this.isName()) return this.fail();
        this.next();
        return { kind: 'Name', id: t.value, ctx: 'Load', ...this.loc(start) };
      }
      case T.NUMBER: this.next(); return this.number(t);
      case T.STRING: return this.strings();
      case T.OP:
        switch (t.value) {
          case '(': return this.parenAtom();
          case '[': return this.listAtom();
          case '{': return this.dictOrSet();
          case '...': if (!this.py2) { this.next(); return this.constant({ t: 'Ellipsis' }, start); } break;
          case '`': if (this.py2) {
            this.next();
            const value = this.starExpressions();
            this.expectOp('`');
            return { kind: 'Repr', value, ...this.loc(start) };
          } break;
        }
    }
    return this.fail();
  }

  private constant(value: A.ConstantValue, start: number, kindPrefix: 'u' | null = null): A.Constant {
    return { kind: 'Constant', value, kindPrefix, ...this.loc(start) };
  }

  private number(t: Token): A.Constant {
    const raw = t.value.replace(/_/g, '');
    const lower = raw.toLowerCase();
    if (lower.endsWith('j')) return this.constant({ t: 'complex', imag: Number(raw.slice(0, -1)) }, t.start);
    if (/^0[xob]/.test(lower)) {
      const digits = lower.replace(/l$/, '');
      const v = BigInt(digits);
      return this.constant(lower.endsWith('l') ? { t: 'int', v, py2long: true } : { t: 'int', v }, t.start);
    }
    if (/[.e]/.test(lower) && !/^0x/.test(lower)) return this.constant({ t: 'float', v: Number(raw) }, t.start);
    let digits = lower;
    const long = digits.endsWith('l');
    if (long) digits = digits.slice(0, -1);
    let v: bigint;
    if (this.py2 && digits.length > 1 && digits[0] === '0') {
      if (/[89]/.test(digits)) { this.i--; this.fail(); }
      v = BigInt('0o' + digits.slice(1));
    } else v = BigInt(digits);
    return this.constant(long ? { t: 'int', v, py2long: true } : { t: 'int', v }, t.start);
  }

  /** Adjacent string literals, concatenated; f-strings make a JoinedStr. */
  private strings(): A.Expr {
    const start = this.tok.start;
    const parts: (A.Constant | A.FormattedValue)[] = [];
    let isF = false, kindPrefix: 'u' | null = null, first = true;
    let sawBytes = false, sawText = false, py2bytes = false;
    let text = '';
    const flushText = () => {
      if (text) parts.push({ kind: 'Constant', value: { t: 'str', v: text }, kindPrefix: null, lineno: 0, col_offset: 0, end_lineno: 0, end_col_offset: 0 });
      text = '';
    };
    while (this.tok.type === T.STRING) {
      const t = this.next();
      const { prefix, body, bodyStart } = splitString(t.value);
      if (first && prefix.includes('u')) kindPrefix = 'u';
      first = false;
      const raw = prefix.includes('r');
      const isBytes = prefix.includes('b');
      if (this.py2) {
        const unicode = prefix.includes('u') || (this.unicodeLiterals && !isBytes);
        if (!unicode) py2bytes = true;
        else sawText = true;
        const d = decodeBody(body, raw, !unicode, unicode);
        if (!d.ok) this.raise(d.msg, t.end, t.end);
        text += d.v;
        continue;
      }
      if (isBytes) sawBytes = true; else sawText = true;
      if (sawBytes && sawText) this.raise('cannot mix bytes and nonbytes literals', start, t.end);
      if (isBytes && /[^\x00-\x7f]/.test(body)) this.raise('bytes can only contain ASCII literal characters', t.start, t.end);
      if (prefix.includes('f')) {
        isF = true;
        this.fstring(t, body, t.start + bodyStart, raw, parts, (s) => { text += s; }, flushText);
        continue;
      }
      const d = decodeBody(body, raw, isBytes, !isBytes);
      if (!d.ok) this.raise(d.msg, t.end, t.end);
      text += d.v;
    }
    if (this.py2) {
      // 2.7 mixes freely: any unicode part makes the whole literal unicode.
      const v = sawText && py2bytes ? text : text;
      return this.constant(sawText ? { t: 'str', v } : { t: 'str', v, py2bytes: true }, start, kindPrefix);
    }
    if (sawBytes) {
      const bytes = new Uint8Array(text.length);
      for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
      return this.constant({ t: 'bytes', v: bytes }, start);
    }
    if (!isF) return this.constant({ t: 'str', v: text }, start, kindPrefix);
    flushText();
    const where = this.loc(start);
    // Merge adjacent constants and give them the JoinedStr's span, as 3.11 does.
    const values: (A.Constant | A.FormattedValue)[] = [];
    for (const p of parts) {
      const prev = values[values.length - 1];
      if (p.kind === 'Constant' && prev && prev.kind === 'Constant' && prev.value.t === 'str' && p.value.t === 'str') {
        prev.value = { t: 'str', v: prev.value.v + p.value.v };
      } else values.push(p.kind === 'Constant' ? { ...p, ...where } : p);
    }
    return { kind: 'JoinedStr', values, ...where };
  }

  /**
   * The pieces of one f-string body; `base` is the source offset of `body[0]`.
   * Literal text goes to `addText`; each replacement field is pushed to `parts`.
   */
  private fstring(tok: Token, body: string, base: number, raw: boolean, parts: (A.Constant | A.FormattedValue)[],
    addText: (s: string) => void, flushText: () => void, depth = 0): void {
    const errAt = (msg: string): never => {
      const e = this.st.error('SyntaxError', msg, tok.end, tok.end);
      throw e;
    };
    let i = 0, lit = '';
    const flushLit = () => {
      if (!lit) return;
      const d = decodeBody(lit, raw, false, true);
      if (!d.ok) this.raise(d.msg, tok.start, tok.end);
      addText(d.v);
      lit = '';
    };
    while (i < body.length) {
      const c = body[i];
      if (c === '{' && body[i + 1] === '{') { lit += '{'; i += 2; continue; }
      if (c === '}' && body[i + 1] === '}') { lit += '}'; i += 2; continue; }
      if (c === '}') errAt("f-string: single '}' is not allowed");
      if (c === '\\' && !raw) { lit += body.slice(i, i + 2); i += 2; continue; }
      if (c !== '{') { lit += c; i++; continue; }
      flushLit();
      // Find the end of the expression: a top-level '}', '!' (not '!='), ':' or '='.
      let j = i + 1, nest = 0, quote = '';
      for (; j < body.length; j++) {
        const d = body[j];
        if (quote) { if (body.startsWith(quote, j)) { j += quote.length - 1; quote = ''; } continue; }
        if (d === '\\') errAt("f-string expression part cannot include a backslash");
        if (d === "'" || d === '"') { quote = body.startsWith(d.repeat(3), j) ? d.repeat(3) : d; j += quote.length - 1; continue; }
        if (d === '#') errAt("f-string expression part cannot include '#'");
        if ('([{'.includes(d)) nest++;
        else if (')]}'.includes(d)) { if (nest === 0) break; nest--; }
        else if (nest === 0 && d === '!' && body[j + 1] !== '=') break;
        else if (nest === 0 && d === ':') break;
        else if (nest === 0 && d === '=' && !'=!<>'.includes(body[j - 1]) && body[j + 1] !== '=') break;
      }
      if (j >= body.length) errAt("f-string: expecting '}'");
      const exprSrc = body.slice(i + 1, j);
      if (!exprSrc.trim()) errAt('f-string: empty expression not allowed');
      const value = this.subExpression(base + i + 1, base + j);
      let conversion = -1;
      let format_spec: A.JoinedStr | null = null;
      let selfDoc = false;
      if (body[j] === '=') {
        selfDoc = true;
        addText(body.slice(i + 1, j + 1));
        j++;
        while (body[j] === ' ') { addText(' '); j++; }
      }
      if (body[j] === '!') {
        const cv = body[j + 1];
        if (cv !== 's' && cv !== 'r' && cv !== 'a') errAt(cv === undefined || cv === '}' ? 'f-string: missing conversion character' : "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        conversion = cv.charCodeAt(0);
        j += 2;
      }
      if (body[j] === ':') {
        if (depth >= 1) errAt('f-string: expressions nested too deeply');
        // Format spec runs to the matching '}'; it may hold nested fields.
        let k = j + 1, n = 0;
        for (; k < body.length; k++) {
          if (body[k] === '{') n++;
          else if (body[k] === '}') { if (n === 0) break; n--; }
        }
        if (k >= body.length) errAt("f-string: expecting '}'");
        const specParts: (A.Constant | A.FormattedValue)[] = [];
        let specText = '';
        const loc = this.loc(tok.start, tok.end);
        this.fstring(tok, body.slice(j + 1, k), base + j + 1, raw, specParts, (s) => { specText += s; }, () => {
          if (specText) specParts.push({ kind: 'Constant', value: { t: 'str', v: specText }, kindPrefix: null, ...loc });
          specText = '';
        }, depth + 1);
        if (specText) specParts.push({ kind: 'Constant', value: { t: 'str', v: specText }, kindPrefix: null, ...loc });
        format_spec = { kind: 'JoinedStr', values: specParts, ...loc };
        j = k;
      }
      if (body[j] !== '}') errAt("f-string: expecting '}'");
      if (selfDoc && conversion === -1 && !format_spec) conversion = 114;
      flushText();
      parts.push({ kind: 'FormattedValue', value, conversion, format_spec, ...this.loc(tok.start, tok.end) });
      i = j + 1;
    }
    flushLit();
    flushText();
  }

  /** Parses the expression of an f-string field at [from, to) of the source. */
  private subExpression(from: number, to: number): A.Expr {
    const toks = tokenize(this.st.src, false, from, to, true);
    const sub = new Parser(this.st, toks, false);
    const e = sub.isKw('yield') ? sub.yieldExpr() : sub.starExpressions();
    if (sub.tok.type !== T.ENDMARKER) {
      const t = sub.tok;
      if (t.type === T.ERRORTOKEN) sub.fail();
      const err = this.st.error('SyntaxError', 'f-string: invalid syntax', t.start, t.end);
      throw err;
    }
    return e;
  }

  private parenAtom(): A.Expr {
    const start = this.next().start;
    if (this.eatOp(')')) return { kind: 'Tuple', elts: [], ctx: 'Load', ...this.loc(start) };
    if (this.isKw('yield')) {
      const y = this.yieldExpr();
      this.expectOp(')');
      return y;
    }
    const first = this.starExpr();
    if (this.isKw('for')) {
      if (first.kind === 'Starred') this.raiseNode('iterable unpacking cannot be used in comprehension', first);
      const g = this.comprehension('GeneratorExp', first, null, start);
      this.expectOp(')');
      return Object.assign(g, this.loc(start));
    }
    if (this.isOp(')')) {
      this.next();
      if (first.kind === 'Starred') this.raiseNode('cannot use starred expression here', first);
      return first;
    }
    if (!this.isOp(',')) { this.commaHint(first); this.fail(); }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(')')) break;
      elts.push(this.starExpr());
      if (!this.isOp(',') && !this.isOp(')')) { this.commaHint(elts[elts.length - 1]); this.fail(); }
    }
    this.expectOp(')');
    return { kind: 'Tuple', elts, ctx: 'Load', ...this.loc(start) };
  }

  private listAtom(): A.Expr {
    const start = this.next().start;
    if (this.eatOp(']')) return { kind: 'List', elts: [], ctx: 'Load', ...this.loc(start) };
    const first = this.starExpr();
    if (this.isKw('for')) {
      if (first.kind === 'Starred') this.raiseNode('iterable unpacking cannot be used in comprehension', first);
      const c = this.comprehension('ListComp', first, null, start);
      this.expectOp(']');
      return Object.assign(c, this.loc(start));
    }
    const elts = [first];
    for (;;) {
      if (this.eatOp(']')) break;
      if (!this.isOp(',')) { this.commaHint(elts[elts.length - 1]); this.fail(); }
      this.next();
      if (this.eatOp(']')) break;
      elts.push(this.starExpr());
    }
    return { kind: 'List', elts, ctx: 'Load', ...this.loc(start) };
  }

  private dictOrSet(): A.Expr {
    const start = this.next().start;
    if (this.eatOp('}')) return { kind: 'Dict', keys: [], values: [], ...this.loc(start) };
    // First entry decides: dict (k: v or **d) or set.
    if (this.isOp('**')) return this.dictRest(start, null, (this.next(), this.bitOr()));
    const first = this.starExpr();
    if (this.isOp(':') && first.kind !== 'Starred') {
      this.next();
      const value = this.expression();
      if (this.isKw('for')) {
        const c = this.comprehension('DictComp', first, value, start);
        this.expectOp('}');
        return Object.assign(c, this.loc(start));
      }
      return this.dictRest(start, first, value);
    }
    if (this.isKw('for')) {
      const c = this.comprehension('SetComp', first, null, start);
      this.expectOp('}');
      return Object.assign(c, this.loc(start));
    }
    const elts = [first];
    for (;;) {
      if (this.eatOp('}')) break;
      if (!this.isOp(',')) { this.commaHint(elts[elts.length - 1]); this.fail(); }
      this.next();
      if (this.eatOp('}')) break;
      elts.push(this.starExpr());
    }
    return { kind: 'Set', elts, ...this.loc(start) };
  }

  private dictRest(start: number, key: A.Expr | null, value: A.Expr): A.Dict {
    const keys: (A.Expr | null)[] = [key], values: A.Expr[] = [value];
    for (;;) {
      if (this.eatOp('}')) break;
      if (!this.isOp(',')) { this.commaHint(value); this.fail(); }
      this.next();
      if (this.eatOp('}')) break;
      if (this.eatOp('**')) { keys.push(null); values.push(this.bitOr()); continue; }
      const k = this.expression();
      this.expectOp(':');
      keys.push(k);
      values.push(this.expression());
    }
    return { kind: 'Dict', keys, values, ...this.loc(start) };
  }
}
