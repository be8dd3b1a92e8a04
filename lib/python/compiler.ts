/*
 * AST → code units for the stack VM (vm.ts), shaped after CPython 3.11's
 * compiler so that what lives on the value stack — and therefore what
 * sys.getrefcount sees — matches CPython:
 *
 *  - calls push NULL (or the method's self) below the callable; `o.m(...)`
 *    uses LOAD_METHOD and creates no bound method object;
 *  - a `for` loop keeps its iterator on the stack; comprehensions are
 *    functions called with the first iterator as `.0` (except 2.7 list
 *    comprehensions, which run inline and leak their loop variables);
 *  - constant expressions are folded and equal constants are shared within
 *    one compilation; a list display of three or more constants is built by
 *    extending from a constant tuple (that decides its capacity);
 *  - `except E as e` deletes `e` when the handler ends;
 *  - return/break/continue leaving a `try`/`with` run the finally bodies
 *    and `__exit__` calls inline (compiler_unwind_fblock).
 *
 * Exception handling uses a block stack (SETUP_FINALLY / POP_BLOCK /
 * POP_EXCEPT) rather than 3.11's exception table: simpler, same behaviour.
 *
 * Names are resolved by the symbol table (syntax/symtable.ts), which also
 * raises CPython's compile-time SyntaxErrors before any code is emitted; the
 * layout of a frame's localsplus is the scope's varnames (parameters first),
 * then cellvars, then freevars, with parameters that are cells moved into
 * their cell by the VM (`cell2arg`).
 */
import { BINOP_CODES, BinOpCode, CmpCode, MakeFunctionFlag, Op } from './opcodes.js';
import type * as A from './syntax/ast.js';
import { isStackOverflow, PySyntaxError, SourceTooDeep } from './syntax/errors.js';
import { unparseAnnotation } from './syntax/unparse.js';
import { buildSymtable, mangle, type Scope, type SymbolTable } from './syntax/symtable.js';
import { stackSize, type DepthAdjust } from './stackdepth.js';

/** A constant before it becomes a Python object (the VM materialises these). */
export type Const =
  | { k: 'None' }
  | { k: 'Ellipsis' }
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: bigint; /** 2.7 `10L` */ py2long?: true }
  | { k: 'float'; v: number }
  | { k: 'complex'; imag: number }
  | { k: 'str'; v: string; py2bytes?: boolean; /** 2.7 u'' literal */ py2unicode?: true }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'tuple'; items: Const[] }
  | { k: 'frozenset'; items: Const[] }
  | { k: 'code'; unit: CodeUnit };

export const enum CodeFlag {
  VARARGS = 4,
  VARKEYWORDS = 8,
  GENERATOR = 32,
}

export class CodeUnit {
  name: string;
  qualname: string;
  filename: string;
  firstlineno: number;
  /** opcode, arg pairs */
  code: number[] = [];
  /** Source line of each instruction (index = instruction number). */
  lines: number[] = [];
  /**
   * The AST node each instruction was compiled for (CPython's instruction
   * locations): tracebacks underline its columns, with ~ and ^ the way 3.11
   * does. Null where no node applies.
   */
  locs: (A.Located | null)[] = [];
  consts: Const[] = [];
  names: string[] = [];
  /** Fast locals (parameters first); cells and frees follow in localsplus. */
  varnames: string[] = [];
  cellvars: string[] = [];
  freevars: string[] = [];
  argcount = 0;
  posonlyargcount = 0;
  kwonlyargcount = 0;
  flags = 0;
  /** A parameter that is also a cell: [param index, cell index]. */
  cell2arg: Array<[number, number]> = [];
  isClassBody = false;
  isModule = false;
  /** Compiled in eval mode: the code returns its one expression's value. */
  isEval = false;
  docstring: string | null = null;
  /**
   * The interpreter's data for this unit (its inline caches) and the
   * interpreter it belongs to: the first interpreter to run the unit keeps
   * it here, where a call finds it without a map lookup.
   */
  interpData: unknown = null;
  interpOwner: unknown = null;
  /** Code ranges where CPython's stack is deeper than ours (exception handlers; see stackdepth.ts). */
  depthAdjust: DepthAdjust[] = [];
  /** co_stacksize as CPython's compiler computes it (set once the unit is complete). */
  stacksize = 0;
  constructor(name: string, qualname: string, filename: string, firstlineno: number) {
    this.name = name;
    this.qualname = qualname;
    this.filename = filename;
    this.firstlineno = firstlineno;
  }
  get nlocalsplus(): number {
    return this.varnames.length + this.cellvars.length + this.freevars.length;
  }
}

/**
 * A compile-time error neither the parser nor the symbol table reports (a
 * construct the code generator does not support); the caller prints it as a
 * SyntaxError. CPython's own compile-time errors are `PySyntaxError`s from
 * `buildSymtable`.
 */
export class CompileError {
  constructor(
    readonly msg: string,
    readonly lineno: number,
    /** 0-based column of the start. */
    readonly col: number,
    /** Where the offending construct ends (0-based column), when known. */
    readonly end?: { lineno: number; col: number },
  ) {}

  /**
   * The SyntaxError CPython would print. AST columns count UTF-8 bytes; the
   * error's count characters. 2.7 compiler errors carry no column.
   */
  toSyntaxError(source: string, filename: string, py2: boolean): PySyntaxError {
    const lines = source.split(/\r?\n/);
    const text = (n: number) => (lines[n - 1] ?? '') + '\n';
    const charCol = (n: number, byteCol: number) => new TextDecoder().decode(new TextEncoder().encode(text(n)).slice(0, byteCol)).length;
    const offset = charCol(this.lineno, this.col) + 1;
    const e = this.end
      ? new PySyntaxError('SyntaxError', this.msg, filename, this.lineno, offset, this.end.lineno, charCol(this.end.lineno, this.end.col) + 1, text(this.lineno))
      : new PySyntaxError('SyntaxError', this.msg, filename, this.lineno, offset, this.lineno, offset + 1, text(this.lineno));
    if (py2) {
      e.offset = null;
      e.end_lineno = null;
      e.end_offset = null;
    }
    return e;
  }
}

type FBlock =
  | { kind: 'loop'; breakLabel: Label; continueLabel: Label; isFor: boolean }
  | { kind: 'finally'; body: A.Stmt[] }
  | { kind: 'try' }
  | { kind: 'with' }
  | { kind: 'handler'; name: string | null };

class Label {
  target = -1;
  readonly refs: number[] = [];
}

export interface CompileOptions {
  py2: boolean;
  /** 2.7 `from __future__ import division`: `/` is true division (found by compileModule). */
  trueDivision?: boolean;
  /** The module's source text: the line a compile-time SyntaxError quotes (without it the error has no text line). */
  source?: string;
  /** 3.7+ `from __future__ import annotations`: annotations are stored as their source text (found by compileModule). */
  futureAnnotations?: boolean;
  /** eval(): the module is one expression statement whose value the code returns. */
  evalMode?: boolean;
}

/** find_ann: does a module or class body contain an annotated assignment (outside nested defs and classes)? */
function findAnn(body: A.Stmt[]): boolean {
  for (const s of body) {
    switch (s.kind) {
      case 'AnnAssign':
        return true;
      case 'For':
      case 'While':
      case 'If':
        if (findAnn(s.body) || findAnn(s.orelse)) return true;
        break;
      case 'With':
        if (findAnn(s.body)) return true;
        break;
      case 'Try':
        if (findAnn(s.body) || findAnn(s.orelse) || findAnn(s.finalbody) || s.handlers.some((h) => findAnn(h.body))) return true;
        break;
    }
  }
  return false;
}

/**
 * Compiles a parsed module to its code unit.
 *
 * @example
 * const unit = compileModule(parse(src, 'x.py', '3.11'), 'x.py', { py2: false, source: src });
 * @throws PySyntaxError for CPython's compile-time errors (from the symbol table)
 * @throws CompileError for constructs the code generator does not support
 */
export function compileModule(mod: A.Module, filename: string, opts: CompileOptions): CodeUnit {
  try {
    return compileTree(mod, filename, opts);
  } catch (e) {
    // A tree nested deeper than the recursive passes' stack: CPython's
    // compiler has a recursion limit of its own.
    if (isStackOverflow(e)) throw new SourceTooDeep('RecursionError', 'maximum recursion depth exceeded during compilation');
    throw e;
  }
}

function compileTree(mod: A.Module, filename: string, opts: CompileOptions): CodeUnit {
  let table: SymbolTable;
  try {
    table = buildSymtable(mod, opts.source ?? '', filename, opts.py2 ? '2.7' : '3.11');
  } catch (e) {
    // Without the source there is no line to quote (rather than an empty one).
    if (opts.source === undefined && e instanceof PySyntaxError) e.text = null;
    throw e;
  }
  const { top, scopes } = table;
  const trueDivision = opts.py2 && mod.body.some((s) => s.kind === 'ImportFrom' && s.module === '__future__' && s.names.some((a) => a.name === 'division'));
  const futureAnnotations = !opts.py2 && mod.body.some((s) => s.kind === 'ImportFrom' && s.module === '__future__' && s.names.some((a) => a.name === 'annotations'));
  const c = new Compiler(filename, scopes, trueDivision || futureAnnotations ? { ...opts, trueDivision, futureAnnotations } : opts);
  return c.compileModule(mod, top);
}

type NameAccess = 'fast' | 'deref' | 'global' | 'name' | 'classderef';

/** How code in scope `s` reaches `name` (compiler_nameop's choice of opcode family). */
function resolveName(s: Scope, name: string): NameAccess {
  const how = s.symbols.get(name);
  switch (how) {
    case 'GLOBAL_EXPLICIT':
      return 'global';
    case 'CELL':
    case 'FREE':
      // A class body reads a free name from its namespace first, then the cell.
      if (s.type === 'class') return how === 'FREE' ? 'classderef' : 'name';
      return s.type === 'function' ? 'deref' : 'name';
    case 'LOCAL':
      return s.type === 'function' ? 'fast' : 'name';
    default:
      // GLOBAL_IMPLICIT, or a name the symbol table never saw.
      return s.type === 'function' ? 'global' : 'name';
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Compiler {
  private u!: CodeUnit;
  private scope!: Scope;
  /** __qualname__ of each scope compiled so far (set as its definition is reached). */
  private readonly qualnames = new Map<Scope, string>();
  private fblocks: FBlock[] = [];
  private line = 1;

  constructor(
    private readonly filename: string,
    private readonly scopes: Map<A.Node, Scope>,
    private readonly opts: CompileOptions,
  ) {}

  compileModule(mod: A.Module, top: Scope): CodeUnit {
    const u = new CodeUnit('<module>', '<module>', this.filename, 1);
    u.isModule = true;
    this.enter(u, top, () => {
      const only = mod.body.length === 1 ? mod.body[0] : null;
      if (this.opts.evalMode && only?.kind === 'Expr') {
        this.line = only.lineno;
        u.isEval = true;
        this.expr(only.value);
        this.emit(Op.RETURN_VALUE, 0);
        return;
      }
      if (findAnn(mod.body)) this.emit(Op.SETUP_ANNOTATIONS, 0);
      this.stmts(mod.body);
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
      this.emit(Op.RETURN_VALUE, 0);
    });
    return u;
  }

  private enter(u: CodeUnit, s: Scope, body: () => void): void {
    const saved = { u: this.u, scope: this.scope, fblocks: this.fblocks, line: this.line, loc: this.loc };
    this.u = u;
    this.scope = s;
    this.fblocks = [];
    if (s.type === 'function') {
      // varnames: parameters (cells included), then plain locals.
      u.varnames = [...s.varnames];
      u.cellvars = [...s.cellvars];
      // Parameters that are cells keep their varnames slot; the VM moves them into the cell.
      u.cellvars.forEach((name, ci) => {
        const pi = s.params.indexOf(name);
        if (pi >= 0) u.cell2arg.push([pi, ci]);
      });
      u.freevars = [...s.freevars];
      if (s.isGenerator) u.flags |= CodeFlag.GENERATOR;
    } else if (s.type === 'class') {
      u.cellvars = [...s.cellvars];
      u.freevars = [...s.freevars];
    }
    try {
      body();
      this.resolveLabels();
      u.stacksize = stackSize(u);
    } finally {
      this.u = saved.u;
      this.scope = saved.scope;
      this.fblocks = saved.fblocks;
      this.line = saved.line;
      this.loc = saved.loc;
    }
  }

  // ------------------------------------------------------------ emit

  /** The node whose code is being emitted (CPython's SET_LOC). */
  private loc: A.Located | null = null;

  private emit(op: Op, arg: number): number {
    const u = this.u;
    u.code.push(op, arg);
    u.lines.push(this.line);
    u.locs.push(this.loc);
    return u.lines.length - 1;
  }

  private pendingLabels: Array<[CodeUnit, Label]> = [];

  private jump(op: Op, l: Label): void {
    const i = this.emit(op, -1);
    l.refs.push(i);
    this.pendingLabels.push([this.u, l]);
  }

  /** Index of the next instruction. */
  private here(): number {
    return this.u.lines.length;
  }

  private mark(l: Label): void {
    l.target = this.u.lines.length;
  }

  private resolveLabels(): void {
    const rest: Array<[CodeUnit, Label]> = [];
    for (const [u, l] of this.pendingLabels) {
      if (u !== this.u) {
        rest.push([u, l]);
        continue;
      }
      for (const i of l.refs) u.code[i * 2 + 1] = l.target;
    }
    this.pendingLabels = rest;
  }

  private constIndex(c: Const): number {
    const consts = this.u.consts;
    for (let i = 0; i < consts.length; i++) if (sameConst(consts[i], c)) return i;
    consts.push(c);
    return consts.length - 1;
  }

  private nameIndex(n: string): number {
    const names = this.u.names;
    let i = names.indexOf(n);
    if (i < 0) {
      names.push(n);
      i = names.length - 1;
    }
    return i;
  }

  private setLine(n: A.Located | { lineno?: number }): void {
    if (n.lineno) this.line = n.lineno;
  }

  // ----------------------------------------------------------- names

  private localsplusIndex(name: string): number {
    const u = this.u;
    let i = u.varnames.indexOf(name);
    if (i >= 0 && !u.cellvars.includes(name)) return i;
    i = u.cellvars.indexOf(name);
    if (i >= 0) return u.varnames.length + i;
    i = u.freevars.indexOf(name);
    if (i >= 0) return u.varnames.length + u.cellvars.length + i;
    i = u.varnames.indexOf(name);
    return i;
  }

  /** The class whose private names are mangled here (CPython's u_private): set in a class body, inherited by its functions. */
  private privateName: string | null = null;

  /** An attribute name as stored in co_names: mangled inside a class. */
  private attrIndex(attr: string): number {
    return this.nameIndex(mangle(this.privateName, attr));
  }

  private nameOp(rawName: string, ctx: 'Load' | 'Store' | 'Del'): void {
    const name = mangle(this.privateName, rawName);
    const how = resolveName(this.scope, name);
    const pick = (load: Op, store: Op, del: Op) => (ctx === 'Load' ? load : ctx === 'Store' ? store : del);
    switch (how) {
      case 'fast':
        this.emit(pick(Op.LOAD_FAST, Op.STORE_FAST, Op.DELETE_FAST), this.localsplusIndex(name));
        return;
      case 'deref':
        this.emit(pick(Op.LOAD_DEREF, Op.STORE_DEREF, Op.DELETE_DEREF), this.localsplusIndex(name));
        return;
      case 'classderef':
        // Only a `nonlocal` declaration in a class body stores to the cell.
        this.emit(pick(Op.LOAD_CLASSDEREF, Op.STORE_DEREF, Op.DELETE_DEREF), this.localsplusIndex(name));
        return;
      case 'global':
        this.emit(pick(Op.LOAD_GLOBAL, Op.STORE_GLOBAL, Op.DELETE_GLOBAL), this.nameIndex(name));
        return;
      default:
        this.emit(pick(Op.LOAD_NAME, Op.STORE_NAME, Op.DELETE_NAME), this.nameIndex(name));
    }
  }

  // ------------------------------------------------------ statements

  private stmts(list: A.Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: A.Stmt): void {
    this.setLine(s);
    this.loc = s;
    switch (s.kind) {
      case 'Expr':
        if (s.value.kind === 'Constant' && this.u.isModule === false) {
          // A bare constant statement compiles to nothing.
          return;
        }
        this.expr(s.value);
        this.emit(Op.POP_TOP, 0);
        return;
      case 'Assign': {
        this.expr(s.value);
        for (let i = 0; i < s.targets.length; i++) {
          if (i < s.targets.length - 1) this.emit(Op.COPY, 1);
          this.assignTarget(s.targets[i]);
        }
        return;
      }
      case 'AugAssign':
        return this.augAssign(s);
      case 'AnnAssign':
        return this.annAssign(s);
      case 'Delete':
        for (const t of s.targets) this.delTarget(t);
        return;
      case 'Pass':
        return;
      case 'If':
        return this.ifStmt(s);
      case 'While':
        return this.whileStmt(s);
      case 'For':
        return this.forStmt(s);
      case 'Break':
        return this.breakContinue(true, s);
      case 'Continue':
        return this.breakContinue(false, s);
      case 'Return':
        return this.returnStmt(s);
      case 'FunctionDef':
        return this.functionDef(s);
      case 'ClassDef':
        return this.classDef(s);
      case 'Try':
        return this.tryStmt(s);
      case 'Raise':
        return this.raiseStmt(s);
      case 'With':
        return this.withStmt(s, 0);
      case 'Assert': {
        const end = new Label();
        this.condJump(s.test, true, end);
        // 3.11's jump on a comparison leaves the location at it, so the raise
        // underlines `1 == 2` in `assert 1 == 2, 'x'`; other tests leave the statement's.
        if (s.test.kind === 'Compare') this.loc = s.test;
        // CPython calls AssertionError without a NULL below it (or raises the class).
        const start = this.here();
        this.emit(Op.PUSH_NULL, 0);
        this.emit(Op.LOAD_ASSERTION_ERROR, 0);
        if (s.msg) {
          this.expr(s.msg);
          this.emit(Op.CALL, 1);
        } else this.emit(Op.CALL, 0);
        this.u.depthAdjust.push([start, this.here(), -1]);
        this.emit(Op.RAISE_VARARGS, 1);
        this.mark(end);
        return;
      }
      case 'Import':
        for (const a of s.names) {
          this.emit(Op.LOAD_CONST, this.constIndex({ k: 'int', v: 0n }));
          this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
          this.emit(Op.IMPORT_NAME, this.nameIndex(a.name));
          if (a.asname) {
            const parts = a.name.split('.');
            for (let i = 1; i < parts.length; i++) {
              this.emit(Op.IMPORT_FROM, this.nameIndex(parts[i]));
              this.emit(Op.SWAP, 2);
              this.emit(Op.POP_TOP, 0);
            }
            this.nameOp(a.asname, 'Store');
          } else this.nameOp(a.name.split('.')[0], 'Store');
        }
        return;
      case 'ImportFrom': {
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'int', v: BigInt(s.level ?? 0) }));
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'tuple', items: s.names.map((a) => ({ k: 'str', v: a.name }) as Const) }));
        this.emit(Op.IMPORT_NAME, this.nameIndex(s.module ?? ''));
        if (s.names.length === 1 && s.names[0].name === '*') {
          this.emit(Op.IMPORT_STAR, 0);
          return;
        }
        for (const a of s.names) {
          this.emit(Op.IMPORT_FROM, this.nameIndex(a.name));
          this.nameOp(a.asname ?? a.name, 'Store');
        }
        this.emit(Op.POP_TOP, 0);
        return;
      }
      case 'Global':
      case 'Nonlocal':
        return;
      case 'Print': {
        // 2.7 prints item by item (PRINT_ITEM_TO after DUP_TOP of the file), each
        // before the next is evaluated, then the newline (PRINT_NEWLINE_TO).
        const dest = s.dest ? 2 : 0;
        if (s.dest) this.expr(s.dest);
        for (const v of s.values) {
          if (s.dest) this.emit(Op.COPY, 1);
          this.expr(v);
          this.emit(Op.PRINT_ITEMS, dest | (1 << 2));
        }
        if (s.nl) this.emit(Op.PRINT_ITEMS, dest | 1);
        else if (s.dest) this.emit(Op.POP_TOP, 0);
        return;
      }
      case 'Exec':
        // exec body [in globals[, locals]]: the VM compiles and runs the body.
        this.expr(s.body);
        if (s.globals) this.expr(s.globals);
        else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        if (s.locals) this.expr(s.locals);
        else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        this.emit(Op.EXEC_STMT, 0);
        return;
      default:
        throw new CompileError(`unsupported statement: ${(s as A.Stmt).kind}`, (s as A.Stmt).lineno, (s as A.Stmt).col_offset);
    }
  }

  private ifStmt(s: A.If): void {
    const end = new Label();
    const orelse = new Label();
    this.condJump(s.test, false, s.orelse.length ? orelse : end);
    this.stmts(s.body);
    if (s.orelse.length) {
      this.jump(Op.JUMP, end);
      this.mark(orelse);
      this.stmts(s.orelse);
    }
    this.mark(end);
  }

  private whileStmt(s: A.While): void {
    const top = new Label();
    const end = new Label();
    const orelse = new Label();
    this.mark(top);
    this.condJump(s.test, false, orelse);
    this.fblocks.push({ kind: 'loop', breakLabel: end, continueLabel: top, isFor: false });
    this.stmts(s.body);
    this.fblocks.pop();
    this.setLine(s);
    this.jump(Op.JUMP, top);
    this.mark(orelse);
    this.stmts(s.orelse);
    this.mark(end);
  }

  private forStmt(s: A.For): void {
    const top = new Label();
    const end = new Label();
    const orelse = new Label();
    this.expr(s.iter);
    this.emit(Op.GET_ITER, 0);
    this.mark(top);
    this.setLine(s);
    this.jump(Op.FOR_ITER, orelse);
    this.assignTarget(s.target);
    this.fblocks.push({ kind: 'loop', breakLabel: end, continueLabel: top, isFor: true });
    this.stmts(s.body);
    this.fblocks.pop();
    this.jump(Op.JUMP, top);
    this.mark(orelse);
    this.stmts(s.orelse);
    this.mark(end);
  }

  private breakContinue(isBreak: boolean, s: A.Stmt): void {
    // Unwind to the innermost loop.
    for (let i = this.fblocks.length - 1; i >= 0; i--) {
      const b = this.fblocks[i];
      if (b.kind === 'loop') {
        if (isBreak && b.isFor) this.emit(Op.POP_TOP, 0);
        this.jump(Op.JUMP, isBreak ? b.breakLabel : b.continueLabel);
        return;
      }
      this.unwindBlock(b, i, false);
    }
    assertInternal(false, `'${isBreak ? 'break' : 'continue'}' outside a loop at line ${s.lineno} passed the symbol table's checks`);
  }

  /** Emits what leaving block `b` requires (compiler_unwind_fblock). */
  private unwindBlock(b: FBlock, index: number, preserveTos: boolean): void {
    switch (b.kind) {
      case 'loop':
        if (b.isFor) {
          if (preserveTos) this.emit(Op.SWAP, 2);
          this.emit(Op.POP_TOP, 0);
        }
        return;
      case 'try':
        this.emit(Op.POP_BLOCK, 0);
        return;
      case 'finally': {
        this.emit(Op.POP_BLOCK, 0);
        // Run the finally body with the outer blocks in effect.
        const saved = this.fblocks;
        this.fblocks = saved.slice(0, index);
        if (preserveTos) {
          this.stmts(b.body);
        } else this.stmts(b.body);
        this.fblocks = saved;
        return;
      }
      case 'with':
        this.emit(Op.POP_BLOCK, 0);
        if (preserveTos) this.emit(Op.SWAP, 2);
        this.emit(Op.END_FOR, 1); // call __exit__(None, None, None) and pop it
        return;
      case 'handler':
        if (preserveTos) this.emit(Op.SWAP, 2);
        this.emit(Op.POP_TOP, 0);
        this.emit(Op.POP_EXCEPT, 0);
        if (b.name) {
          this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
          this.nameOp(b.name, 'Store');
          this.nameOp(b.name, 'Del');
        }
        return;
    }
  }

  private returnStmt(s: A.Return): void {
    if (s.value) this.expr(s.value);
    else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
    for (let i = this.fblocks.length - 1; i >= 0; i--) this.unwindBlock(this.fblocks[i], i, true);
    this.setLine(s);
    this.emit(Op.RETURN_VALUE, 0);
  }

  private raiseStmt(s: A.Raise): void {
    if (!s.exc) {
      this.emit(Op.RAISE_VARARGS, 0);
      return;
    }
    if (s.py2msg) {
      // raise E, msg  →  raise E(msg); a tuple is the argument list (E(*msg)) and
      // None means no argument. Decided on the literal's form: a tuple held in
      // a variable is passed as one argument.
      this.emit(Op.PUSH_NULL, 0);
      this.expr(s.exc);
      const m = s.py2msg;
      if (m.kind === 'Tuple' && !m.elts.some((x) => x.kind === 'Starred')) {
        for (const x of m.elts) this.expr(x);
        this.emit(Op.CALL, m.elts.length);
      } else if (m.kind === 'Constant' && m.value.t === 'None') this.emit(Op.CALL, 0);
      else {
        this.expr(m);
        this.emit(Op.CALL, 1);
      }
      this.emit(Op.RAISE_VARARGS, 1);
      return;
    }
    this.expr(s.exc);
    if (s.cause) {
      this.expr(s.cause);
      this.emit(Op.RAISE_VARARGS, 2);
    } else this.emit(Op.RAISE_VARARGS, 1);
  }

  private tryStmt(s: A.Try): void {
    if (s.finalbody.length) {
      const handler = new Label();
      const end = new Label();
      this.jump(Op.SETUP_FINALLY, handler);
      this.fblocks.push({ kind: 'finally', body: s.finalbody });
      if (s.handlers.length) this.tryExcept(s);
      else this.stmts(s.body);
      this.fblocks.pop();
      this.emit(Op.POP_BLOCK, 0);
      this.stmts(s.finalbody);
      this.jump(Op.JUMP, end);
      this.mark(handler);
      // Exception on the stack; an except-handler block is active.
      const start = this.here();
      this.fblocks.push({ kind: 'handler', name: null });
      this.stmts(s.finalbody);
      this.fblocks.pop();
      this.emit(Op.RERAISE, 0);
      // CPython runs this body above the previous exception too
      // (PUSH_EXC_INFO), and its cleanup block copies three items.
      this.u.depthAdjust.push([start, this.here(), 1], [start, -1, 2]);
      this.mark(end);
      return;
    }
    this.tryExcept(s);
  }

  private tryExcept(s: A.Try): void {
    const handler = new Label();
    const end = new Label();
    const orelse = new Label();
    this.jump(Op.SETUP_FINALLY, handler);
    this.fblocks.push({ kind: 'try' });
    this.stmts(s.body);
    this.fblocks.pop();
    this.emit(Op.POP_BLOCK, 0);
    this.jump(Op.JUMP, orelse);
    this.mark(handler);
    // CPython's cleanup block for the handlers copies three items above the
    // exception: the deepest point of any try/except.
    // (The first handler's type check is a range one deeper starting here.)
    this.u.depthAdjust.push([this.here(), -1, s.handlers[0].type ? 2 : 3]);
    for (const h of s.handlers) {
      this.setLine(h);
      const next = new Label();
      if (h.type) {
        // Matched with the previous exception below (PUSH_EXC_INFO).
        const start = this.here();
        this.expr(h.type);
        this.emit(Op.CHECK_EXC_MATCH, 0);
        this.jump(Op.POP_JUMP_IF_FALSE, next);
        this.u.depthAdjust.push([start, this.here(), 1]);
      }
      if (h.name) {
        this.emit(Op.COPY, 1);
        this.nameOp(h.name, 'Store');
        // The body runs in a cleanup block that deletes the name on any exit.
        const cleanup = new Label();
        const after = new Label();
        this.jump(Op.SETUP_FINALLY, cleanup);
        this.fblocks.push({ kind: 'handler', name: h.name });
        this.stmts(h.body);
        this.fblocks.pop();
        this.emit(Op.POP_BLOCK, 0);
        this.emit(Op.POP_TOP, 0);
        this.emit(Op.POP_EXCEPT, 0);
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        this.nameOp(h.name, 'Store');
        this.nameOp(h.name, 'Del');
        this.jump(Op.JUMP, end);
        this.mark(cleanup);
        // New exception inside the handler: delete the name, then re-raise.
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        this.nameOp(h.name, 'Store');
        this.nameOp(h.name, 'Del');
        this.emit(Op.RERAISE, 1);
        this.mark(after);
      } else {
        this.fblocks.push({ kind: 'handler', name: null });
        this.stmts(h.body);
        this.fblocks.pop();
        this.emit(Op.POP_TOP, 0);
        this.emit(Op.POP_EXCEPT, 0);
        this.jump(Op.JUMP, end);
      }
      this.mark(next);
    }
    this.emit(Op.RERAISE, 0);
    this.mark(orelse);
    this.stmts(s.orelse);
    this.mark(end);
  }

  private withStmt(s: A.With, i: number): void {
    const item = s.items[i];
    const handler = new Label();
    const end = new Label();
    this.setLine(s);
    this.expr(item.context_expr);
    this.jump(Op.BEFORE_WITH, handler);
    if (item.optional_vars) this.assignTarget(item.optional_vars);
    else this.emit(Op.POP_TOP, 0);
    this.fblocks.push({ kind: 'with' });
    if (i + 1 < s.items.length) this.withStmt(s, i + 1);
    else this.stmts(s.body);
    this.fblocks.pop();
    this.setLine(s);
    this.emit(Op.POP_BLOCK, 0);
    this.emit(Op.END_FOR, 1); // __exit__(None, None, None)
    this.jump(Op.JUMP, end);
    this.mark(handler);
    // CPython's handler holds __exit__, lasti, the previous exception, the
    // exception and __exit__'s result, and its cleanup copies three more:
    // four deeper than our [__exit__, exception].
    this.u.depthAdjust.push([this.here(), -1, 4]);
    const reraise = new Label();
    this.emit(Op.WITH_EXCEPT_START, 0);
    this.jump(Op.POP_JUMP_IF_FALSE, reraise);
    this.emit(Op.POP_TOP, 0); // the exception
    this.emit(Op.POP_EXCEPT, 0);
    this.emit(Op.POP_TOP, 0); // __exit__
    this.jump(Op.JUMP, end);
    this.mark(reraise);
    this.emit(Op.RERAISE, 0);
    this.mark(end);
  }

  private augAssign(s: A.AugAssign): void {
    const op = (s.op === 'Div' && this.opts.trueDivision ? BinOpCode.TrueDiv : BINOP_CODES[s.op]) | BinOpCode.INPLACE;
    const t = s.target;
    if (t.kind === 'Name') {
      this.nameOp(t.id, 'Load');
      this.expr(s.value);
      this.emit(Op.BINARY_OP, op);
      this.nameOp(t.id, 'Store');
    } else if (t.kind === 'Attribute') {
      this.expr(t.value);
      this.emit(Op.COPY, 1);
      this.emit(Op.LOAD_ATTR, this.attrIndex(t.attr));
      this.expr(s.value);
      this.emit(Op.BINARY_OP, op);
      this.emit(Op.SWAP, 2);
      this.emit(Op.STORE_ATTR, this.attrIndex(t.attr));
    } else if (t.kind === 'Subscript') {
      this.expr(t.value);
      this.expr(t.slice);
      this.emit(Op.COPY, 2);
      this.emit(Op.COPY, 2);
      this.emit(Op.BINARY_SUBSCR, 0);
      this.expr(s.value);
      this.emit(Op.BINARY_OP, op);
      this.emit(Op.SWAP, 3);
      this.emit(Op.SWAP, 2);
      this.emit(Op.STORE_SUBSCR, 0);
    } else throw new CompileError("'expression' is an illegal expression for augmented assignment", s.lineno, s.col_offset);
  }

  private assignTarget(t: A.Expr): void {
    const savedLoc = this.loc;
    this.loc = t;
    this.assignTargetAt(t);
    this.loc = savedLoc;
  }

  private assignTargetAt(t: A.Expr): void {
    switch (t.kind) {
      case 'Name':
        this.nameOp(t.id, 'Store');
        return;
      case 'Attribute':
        this.expr(t.value);
        this.emit(Op.STORE_ATTR, this.attrIndex(t.attr));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.expr(t.slice);
        this.emit(Op.STORE_SUBSCR, 0);
        return;
      case 'Tuple':
      case 'List': {
        const star = t.elts.findIndex((e) => e.kind === 'Starred');
        if (star >= 0) this.emit(Op.UNPACK_EX, star | ((t.elts.length - star - 1) << 8));
        else this.emit(Op.UNPACK_SEQUENCE, t.elts.length);
        for (const e of t.elts) this.assignTarget(e.kind === 'Starred' ? e.value : e);
        return;
      }
      case 'Starred':
        this.assignTarget(t.value);
        return;
      default:
        throw new CompileError('cannot assign to expression', t.lineno, t.col_offset);
    }
  }

  private delTarget(t: A.Expr): void {
    const savedLoc = this.loc;
    this.loc = t;
    this.delTargetAt(t);
    this.loc = savedLoc;
  }

  private delTargetAt(t: A.Expr): void {
    switch (t.kind) {
      case 'Name':
        this.nameOp(t.id, 'Del');
        return;
      case 'Attribute':
        this.expr(t.value);
        this.emit(Op.DELETE_ATTR, this.attrIndex(t.attr));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.expr(t.slice);
        this.emit(Op.DELETE_SUBSCR, 0);
        return;
      case 'Tuple':
      case 'List':
        for (const e of t.elts) this.delTarget(e);
        return;
      default:
        throw new CompileError('cannot delete expression', t.lineno, t.col_offset);
    }
  }

  // ----------------------------------------------- functions, classes

  /** An annotation's value: the expression, or its text under `from __future__ import annotations`. */
  private annotation(e: A.Expr): void {
    if (this.opts.futureAnnotations) this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: unparseAnnotation(e) }));
    else this.expr(e);
  }

  /**
   * compiler_annassign: assign, then (module and class bodies only) record
   * `__annotations__[name]`; function-local annotations are never evaluated.
   * For attribute and subscript targets the annotation is evaluated and
   * dropped (never under the future import), after the target's parts when
   * there is no value.
   */
  private annAssign(s: A.AnnAssign): void {
    if (s.value) {
      this.expr(s.value);
      this.assignTarget(s.target);
    }
    const atTop = this.scope.type === 'module' || this.scope.type === 'class';
    const t = s.target;
    if (t.kind === 'Name') {
      if (s.simple && atTop) {
        this.annotation(s.annotation);
        this.emit(Op.LOAD_NAME, this.nameIndex('__annotations__'));
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: mangle(this.privateName, t.id) }));
        this.emit(Op.STORE_SUBSCR, 0);
      }
      return;
    }
    if (!s.value) {
      if (t.kind === 'Attribute') {
        this.expr(t.value);
        this.emit(Op.POP_TOP, 0);
      } else if (t.kind === 'Subscript') {
        this.expr(t.value);
        this.emit(Op.POP_TOP, 0);
        this.expr(t.slice);
        this.emit(Op.POP_TOP, 0);
      }
    }
    if (!this.opts.futureAnnotations && atTop) {
      this.expr(s.annotation);
      this.emit(Op.POP_TOP, 0);
    }
  }

  /**
   * compiler_visit_annotations: a tuple of (name, annotation) pairs — args,
   * then positional-only, *args, keyword-only, **kwargs, 'return' — for
   * MAKE_FUNCTION; false when nothing is annotated.
   */
  private functionAnnotations(args: A.Arguments, returns: A.Expr | null): boolean {
    const pairs: [string, A.Expr][] = [];
    const add = (a: A.Arg | null) => {
      if (a && a.annotation) pairs.push([mangle(this.privateName, a.arg), a.annotation]);
    };
    for (const a of args.args) add(a);
    for (const a of args.posonlyargs) add(a);
    add(args.vararg);
    for (const a of args.kwonlyargs) add(a);
    add(args.kwarg);
    if (returns) pairs.push(['return', returns]);
    if (!pairs.length) return false;
    if (this.opts.futureAnnotations) {
      // All constants: CPython folds the tuple into one constant.
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'tuple', items: pairs.flatMap(([n, e]) => [{ k: 'str', v: n } as Const, { k: 'str', v: unparseAnnotation(e) } as Const]) }));
      return true;
    }
    for (const [n, e] of pairs) {
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: n }));
      this.expr(e);
    }
    this.emit(Op.BUILD_TUPLE, pairs.length * 2);
    return true;
  }

  private functionDef(s: A.FunctionDef): void {
    for (const d of s.decorator_list) this.expr(d);
    const scope = this.scopes.get(s)!;
    this.makeFunction(scope, s.args, s.name, s.lineno, s.returns, () => {
      const first = s.body[0];
      let body = s.body;
      // co_consts[0] is the docstring, or None (3.11 compiler_function):
      // the function's __doc__ is that very constant, not a copy.
      if (first && first.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.t === 'str') {
        this.u.docstring = first.value.value.v;
        this.constIndex(constOf(first.value.value, this.opts.py2));
        body = s.body.slice(1);
      } else this.constIndex({ k: 'None' });
      this.stmts(body);
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
      this.emit(Op.RETURN_VALUE, 0);
    });
    this.setLine(s);
    for (let i = 0; i < s.decorator_list.length; i++) this.emit(Op.CALL, 0x10000 | 1);
    this.nameOp(s.name, 'Store');
  }

  /** Records and returns the __qualname__ of `scope` (compiler_set_qualname). */
  private qualnameFor(name: string, scope: Scope): string {
    const parent = scope.parent!;
    let q: string;
    // A def/class declared global in its parent is named as if at module level.
    if (parent.type === 'module' || (!scope.isComprehension && name !== '<lambda>' && parent.symbols.get(name) === 'GLOBAL_EXPLICIT')) q = name;
    else {
      const pq = this.qualnames.get(parent)!;
      // Only functions and lambdas add `<locals>`; class bodies and comprehensions do not.
      q = parent.type === 'function' && !parent.isComprehension ? `${pq}.<locals>.${name}` : `${pq}.${name}`;
    }
    this.qualnames.set(scope, q);
    return q;
  }

  /** Pushes the tuple of cells a nested code unit closes over; returns the MAKE_FUNCTION flag for it. */
  private emitClosure(u: CodeUnit): number {
    if (!u.freevars.length) return 0;
    for (const fv of u.freevars) this.emit(Op.LOAD_CLOSURE, this.localsplusIndex(fv));
    this.emit(Op.BUILD_TUPLE, u.freevars.length);
    return MakeFunctionFlag.CLOSURE;
  }

  /** Emits defaults, closure and the code constant, then MAKE_FUNCTION. */
  private makeFunction(scope: Scope, args: A.Arguments, name: string, lineno: number, returns: A.Expr | null, body: () => void): void {
    let flags = 0;
    if (args.defaults.length) {
      for (const d of args.defaults) this.expr(d);
      this.emit(Op.BUILD_TUPLE, args.defaults.length);
      flags |= MakeFunctionFlag.DEFAULTS;
    }
    const kwd = args.kwonlyargs.map((a, i) => [a.arg, args.kw_defaults[i]] as const).filter(([, d]) => d);
    if (kwd.length) {
      for (const [n, d] of kwd) {
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: mangle(this.privateName, n) }));
        this.expr(d!);
      }
      this.emit(Op.BUILD_MAP, kwd.length);
      flags |= MakeFunctionFlag.KWDEFAULTS;
    }
    if (this.functionAnnotations(args, returns)) flags |= MakeFunctionFlag.ANNOTATIONS;
    const u = new CodeUnit(name, this.qualnameFor(name, scope), this.filename, lineno);
    u.argcount = args.posonlyargs.length + args.args.length;
    u.posonlyargcount = args.posonlyargs.length;
    u.kwonlyargcount = args.kwonlyargs.length;
    if (args.vararg) u.flags |= CodeFlag.VARARGS;
    if (args.kwarg) u.flags |= CodeFlag.VARKEYWORDS;
    const outerLine = this.line;
    this.enter(u, scope, () => {
      this.line = lineno;
      body();
    });
    this.line = outerLine;
    flags |= this.emitClosure(u);
    this.emit(Op.LOAD_CONST, this.constIndex({ k: 'code', unit: u }));
    this.emit(Op.MAKE_FUNCTION, flags);
  }

  private classDef(s: A.ClassDef): void {
    for (const d of s.decorator_list) this.expr(d);
    const scope = this.scopes.get(s)!;
    const qualname = this.qualnameFor(s.name, scope);
    const u = new CodeUnit(s.name, qualname, this.filename, s.lineno);
    u.isClassBody = true;
    this.emit(Op.PUSH_NULL, 0);
    this.emit(Op.LOAD_BUILD_CLASS, 0);
    const outerLine = this.line;
    const savedPrivate = this.privateName;
    this.privateName = s.name;
    this.enter(u, scope, () => {
      this.line = s.lineno;
      this.emit(Op.LOAD_NAME, this.nameIndex('__name__'));
      this.emit(Op.STORE_NAME, this.nameIndex('__module__'));
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: qualname }));
      this.emit(Op.STORE_NAME, this.nameIndex('__qualname__'));
      if (findAnn(s.body)) this.emit(Op.SETUP_ANNOTATIONS, 0);
      let body = s.body;
      const first = body[0];
      if (first && first.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.t === 'str') {
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: first.value.value.v }));
        this.emit(Op.STORE_NAME, this.nameIndex('__doc__'));
        body = body.slice(1);
      }
      this.stmts(body);
      if (scope.needsClassClosure) {
        this.emit(Op.LOAD_CLOSURE, this.localsplusIndex('__class__'));
        this.emit(Op.COPY, 1);
        this.emit(Op.STORE_NAME, this.nameIndex('__classcell__'));
      } else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
      this.emit(Op.RETURN_VALUE, 0);
    });
    this.privateName = savedPrivate;
    this.line = outerLine;
    let flags = 0;
    flags |= this.emitClosure(u);
    this.emit(Op.LOAD_CONST, this.constIndex({ k: 'code', unit: u }));
    this.emit(Op.MAKE_FUNCTION, flags);
    this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: s.name }));
    this.callArgs(s.bases, s.keywords, 2);
    this.setLine(s);
    for (let i = 0; i < s.decorator_list.length; i++) this.emit(Op.CALL, 0x10000 | 1);
    this.nameOp(s.name, 'Store');
  }

  // ----------------------------------------------------- expressions

  /** Emits a conditional jump to `target` when `e` is `jumpIf` (truthy/falsy). */
  private condJump(e: A.Expr, jumpIf: boolean, target: Label): void {
    if (e.kind === 'UnaryOp' && e.op === 'Not') return this.condJump(e.operand, !jumpIf, target);
    if (e.kind === 'BoolOp') {
      const isAnd = e.op === 'And';
      if (isAnd !== jumpIf) {
        // and + jump-if-false / or + jump-if-true: any operand decides.
        for (const v of e.values) this.condJump(v, jumpIf, target);
      } else {
        const skip = new Label();
        for (let i = 0; i < e.values.length - 1; i++) this.condJump(e.values[i], !jumpIf, skip);
        this.condJump(e.values[e.values.length - 1], jumpIf, target);
        this.mark(skip);
      }
      return;
    }
    this.expr(e);
    this.jump(jumpIf ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, target);
  }

  private expr(e: A.Expr): void {
    const saved = this.line;
    const savedLoc = this.loc;
    if (e.lineno) this.line = e.lineno;
    this.loc = e;
    this.exprInner(e);
    this.line = saved;
    this.loc = savedLoc;
  }

  private exprInner(e: A.Expr): void {
    const folded = this.fold(e);
    if (folded) {
      this.emit(Op.LOAD_CONST, this.constIndex(folded));
      return;
    }
    switch (e.kind) {
      case 'Name':
        this.nameOp(e.id, 'Load');
        return;
      case 'Attribute':
        this.expr(e.value);
        this.emit(Op.LOAD_ATTR, this.attrIndex(e.attr));
        return;
      case 'Subscript':
        this.expr(e.value);
        this.expr(e.slice);
        this.emit(Op.BINARY_SUBSCR, 0);
        return;
      case 'Slice':
        if (e.lower) this.expr(e.lower);
        else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        if (e.upper) this.expr(e.upper);
        else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        if (e.step) {
          this.expr(e.step);
          this.emit(Op.BUILD_SLICE, 3);
        } else this.emit(Op.BUILD_SLICE, 2);
        return;
      case 'Call':
        return this.call(e);
      case 'BinOp':
        this.expr(e.left);
        this.expr(e.right);
        this.emit(Op.BINARY_OP, e.op === 'Div' && this.opts.trueDivision ? BinOpCode.TrueDiv : BINOP_CODES[e.op]);
        return;
      case 'UnaryOp':
        this.expr(e.operand);
        this.emit(e.op === 'Not' ? Op.UNARY_NOT : e.op === 'USub' ? Op.UNARY_NEGATIVE : e.op === 'UAdd' ? Op.UNARY_POSITIVE : Op.UNARY_INVERT, 0);
        return;
      case 'BoolOp': {
        const end = new Label();
        for (let i = 0; i < e.values.length; i++) {
          this.expr(e.values[i]);
          if (i < e.values.length - 1) this.jump(e.op === 'And' ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP, end);
        }
        this.mark(end);
        return;
      }
      case 'Compare':
        return this.compare(e);
      case 'IfExp': {
        const orelse = new Label();
        const end = new Label();
        this.condJump(e.test, false, orelse);
        this.expr(e.body);
        this.jump(Op.JUMP, end);
        this.mark(orelse);
        this.expr(e.orelse);
        this.mark(end);
        return;
      }
      case 'Tuple':
        if (e.elts.length > STACK_USE_GUIDELINE || e.elts.some((x) => x.kind === 'Starred')) {
          this.starredSequence(e.elts);
          this.emit(Op.LIST_TO_TUPLE, 0);
        } else {
          for (const x of e.elts) this.expr(x);
          this.emit(Op.BUILD_TUPLE, e.elts.length);
        }
        return;
      case 'List': {
        if (e.elts.some((x) => x.kind === 'Starred')) return this.starredSequence(e.elts);
        const consts = e.elts.length >= 3 ? e.elts.map((x) => this.fold(x)) : null;
        if (consts && consts.every((c) => c !== null)) {
          this.emit(Op.BUILD_LIST, 0);
          this.emit(Op.LOAD_CONST, this.constIndex({ k: 'tuple', items: consts as Const[] }));
          this.emit(Op.LIST_EXTEND, 1);
          return;
        }
        if (e.elts.length > STACK_USE_GUIDELINE) return this.starredSequence(e.elts);
        for (const x of e.elts) this.expr(x);
        this.emit(Op.BUILD_LIST, e.elts.length);
        return;
      }
      case 'Set': {
        // 3.9+ builds a display of 3+ constants from a frozenset constant; 2.7 adds item by item.
        const consts = !this.opts.py2 && e.elts.length >= 3 ? e.elts.map((x) => this.fold(x)) : null;
        if (consts && consts.every((c) => c !== null)) {
          this.emit(Op.BUILD_SET, 0);
          this.emit(Op.LOAD_CONST, this.constIndex({ k: 'frozenset', items: consts as Const[] }));
          this.emit(Op.SET_UPDATE, 1);
          return;
        }
        if (e.elts.length > STACK_USE_GUIDELINE || e.elts.some((x) => x.kind === 'Starred')) {
          this.emit(Op.BUILD_SET, 0);
          for (const x of e.elts) {
            if (x.kind === 'Starred') {
              this.expr(x.value);
              this.emit(Op.SET_UPDATE, 1);
            } else {
              this.expr(x);
              this.emit(Op.SET_ADD, 1);
            }
          }
          return;
        }
        for (const x of e.elts) this.expr(x);
        this.emit(Op.BUILD_SET, e.elts.length);
        return;
      }
      case 'Dict':
        return this.dict(e);
      case 'Constant':
        this.emit(Op.LOAD_CONST, this.constIndex(constOf(e.value, this.opts.py2)));
        return;
      case 'JoinedStr': {
        let n = 0;
        for (const v of e.values) {
          if (v.kind === 'Constant') {
            if (v.value.t === 'str' && v.value.v === '') continue;
            this.expr(v);
          } else this.expr(v);
          n++;
        }
        if (n === 0) this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: '' }));
        else if (n > 1 || e.values[0]?.kind !== 'FormattedValue') this.emit(Op.BUILD_STRING, n);
        return;
      }
      case 'FormattedValue': {
        this.expr(e.value);
        let flags = e.conversion === 115 ? 1 : e.conversion === 114 ? 2 : e.conversion === 97 ? 3 : 0;
        if (e.format_spec) {
          this.expr(e.format_spec);
          flags |= 4;
        }
        this.emit(Op.FORMAT_VALUE, flags);
        return;
      }
      case 'Lambda': {
        const scope = this.scopes.get(e)!;
        this.makeFunction(scope, e.args, '<lambda>', e.lineno, null, () => {
          // None first, so a lambda never has a docstring (as in CPython).
          this.constIndex({ k: 'None' });
          this.expr(e.body);
          this.emit(Op.RETURN_VALUE, 0);
        });
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        return this.comprehension(e);
      case 'NamedExpr':
        this.expr(e.value);
        this.emit(Op.COPY, 1);
        this.nameOp(e.target.id, 'Store');
        return;
      case 'Yield':
        if (e.value) this.expr(e.value);
        else this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        this.emit(Op.YIELD_VALUE, 0);
        return;
      case 'YieldFrom':
        this.expr(e.value);
        this.emit(Op.GET_YIELD_FROM_ITER, 0);
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
        this.emit(Op.YIELD_FROM, 0);
        return;
      case 'Starred':
        // The symbol table's checks catch the usual places; this covers the rest.
        throw new CompileError("can't use starred expression here", e.lineno, e.col_offset, { lineno: e.end_lineno, col: e.end_col_offset });
      case 'Await':
        // No `async def` reaches the compiler, so every await is misplaced (the
        // symbol table has already reported one outside any function).
        throw new CompileError("'await' outside async function", e.lineno, e.col_offset, { lineno: e.end_lineno, col: e.end_col_offset });
      case 'Repr':
        this.emit(Op.PUSH_NULL, 0);
        this.emit(Op.LOAD_GLOBAL, this.nameIndex('repr'));
        this.expr(e.value);
        this.emit(Op.CALL, 1);
        return;
      default:
        // Every expression kind the parser produces is handled above.
        assertInternal(false, `unhandled expression kind ${(e as A.Expr).kind}`);
    }
  }

  private starredSequence(elts: A.Expr[]): void {
    // Build a list: plain items appended in runs, starred items extended.
    // Past STACK_USE_GUIDELINE items the list is built first and every item
    // appended, so the stack never holds them all (starunpack_helper).
    let pending = 0;
    let built = false;
    if (elts.length > STACK_USE_GUIDELINE) {
      this.emit(Op.BUILD_LIST, 0);
      built = true;
    }
    for (const x of elts) {
      if (x.kind === 'Starred') {
        if (!built) {
          this.emit(Op.BUILD_LIST, pending);
          built = true;
        } else if (pending) throw new Error('unreachable');
        pending = 0;
        this.expr(x.value);
        this.emit(Op.LIST_EXTEND, 1);
      } else if (built) {
        this.expr(x);
        this.emit(Op.LIST_APPEND, 1);
      } else {
        this.expr(x);
        pending++;
      }
    }
    if (!built) this.emit(Op.BUILD_LIST, pending);
  }

  /**
   * A dict display as compiler_dict builds it: runs of key: value items as
   * sub-dicts (at most about STACK_USE_GUIDELINE stack items each) merged
   * with DICT_UPDATE, `**` items merged into the first dict.
   */
  private dict(e: A.Dict): void {
    const n = e.keys.length;
    let haveDict = false;
    let elements = 0;
    for (let i = 0; i < n; i++) {
      if (e.keys[i] === null) {
        if (elements) {
          this.subdict(e, i - elements, i);
          if (haveDict) this.emit(Op.DICT_UPDATE, 1);
          haveDict = true;
          elements = 0;
        }
        if (!haveDict) {
          this.emit(Op.BUILD_MAP, 0);
          haveDict = true;
        }
        this.expr(e.values[i]);
        this.emit(Op.DICT_UPDATE, 1);
      } else if (elements * 2 > STACK_USE_GUIDELINE) {
        this.subdict(e, i - elements, i + 1);
        if (haveDict) this.emit(Op.DICT_UPDATE, 1);
        haveDict = true;
        elements = 0;
      } else elements++;
    }
    if (elements) {
      this.subdict(e, n - elements, n);
      if (haveDict) this.emit(Op.DICT_UPDATE, 1);
      haveDict = true;
    }
    if (!haveDict) this.emit(Op.BUILD_MAP, 0);
  }

  /** Items begin..end of a dict display as one new dict (compiler_subdict). */
  private subdict(e: A.Dict, begin: number, end: number): void {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
      const keyConsts = e.keys.slice(begin, end).map((k) => this.fold(k!));
      if (keyConsts.every((c) => c !== null)) {
        for (let i = begin; i < end; i++) this.expr(e.values[i]);
        this.emit(Op.LOAD_CONST, this.constIndex({ k: 'tuple', items: keyConsts as Const[] }));
        this.emit(Op.BUILD_CONST_KEY_MAP, n);
        return;
      }
    }
    if (big) this.emit(Op.BUILD_MAP, 0);
    for (let i = begin; i < end; i++) {
      this.expr(e.keys[i]!);
      this.expr(e.values[i]);
      if (big) this.emit(Op.MAP_ADD, 1);
    }
    if (!big) this.emit(Op.BUILD_MAP, n);
  }

  /** Keyword arguments begin..end as one new dict (compiler_subkwargs). */
  private subkwargs(keywords: A.Keyword[], begin: number, end: number): void {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
      for (let i = begin; i < end; i++) this.expr(keywords[i].value);
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'tuple', items: keywords.slice(begin, end).map((k) => ({ k: 'str', v: k.arg! }) as Const) }));
      this.emit(Op.BUILD_CONST_KEY_MAP, n);
      return;
    }
    if (big) this.emit(Op.BUILD_MAP, 0);
    for (let i = begin; i < end; i++) {
      this.emit(Op.LOAD_CONST, this.constIndex({ k: 'str', v: keywords[i].arg! }));
      this.expr(keywords[i].value);
      if (big) this.emit(Op.MAP_ADD, 1);
    }
    if (!big) this.emit(Op.BUILD_MAP, n);
  }

  private compare(e: A.Compare): void {
    this.expr(e.left);
    const n = e.ops.length;
    if (n === 1) {
      this.expr(e.comparators[0]);
      this.cmpOp(e.ops[0]);
      return;
    }
    const cleanup = new Label();
    const end = new Label();
    for (let i = 0; i < n - 1; i++) {
      this.expr(e.comparators[i]);
      this.emit(Op.COPY, 1);
      this.emit(Op.SWAP, 3);
      this.emit(Op.SWAP, 2);
      this.cmpOp(e.ops[i]);
      this.jump(Op.JUMP_IF_FALSE_OR_POP, cleanup);
    }
    this.expr(e.comparators[n - 1]);
    this.cmpOp(e.ops[n - 1]);
    this.jump(Op.JUMP, end);
    this.mark(cleanup);
    this.emit(Op.SWAP, 2);
    this.emit(Op.POP_TOP, 0);
    this.mark(end);
  }

  private cmpOp(op: A.CmpOpKind): void {
    switch (op) {
      case 'Is':
        this.emit(Op.IS_OP, 0);
        return;
      case 'IsNot':
        this.emit(Op.IS_OP, 1);
        return;
      case 'In':
        this.emit(Op.CONTAINS_OP, 0);
        return;
      case 'NotIn':
        this.emit(Op.CONTAINS_OP, 1);
        return;
      default:
        this.emit(Op.COMPARE_OP, { Lt: CmpCode.Lt, LtE: CmpCode.LtE, Eq: CmpCode.Eq, NotEq: CmpCode.NotEq, Gt: CmpCode.Gt, GtE: CmpCode.GtE }[op]);
    }
  }

  private call(e: A.Call): void {
    const f = e.func;
    const simple = !e.args.some((a) => a.kind === 'Starred') && !e.keywords.some((k) => k.arg === null);
    if (f.kind === 'Attribute' && simple) {
      this.expr(f.value);
      this.emit(Op.LOAD_METHOD, this.attrIndex(f.attr));
      this.callArgs(e.args, e.keywords, 0);
      return;
    }
    this.emit(Op.PUSH_NULL, 0);
    this.expr(f);
    this.callArgs(e.args, e.keywords, 0);
  }

  /** Emits the arguments and the CALL; `extra` positional args are already on the stack. */
  private callArgs(args: A.Expr[], keywords: A.Keyword[], extra: number): void {
    // Too many arguments for the stack go through CALL_FUNCTION_EX as well (compiler_call_helper).
    const simple = args.length + 2 * keywords.length <= STACK_USE_GUIDELINE && !args.some((a) => a.kind === 'Starred') && !keywords.some((k) => k.arg === null);
    if (simple) {
      for (const a of args) this.expr(a);
      for (const k of keywords) this.expr(k.value);
      if (keywords.length) {
        this.emit(Op.KW_NAMES, this.constIndex({ k: 'tuple', items: keywords.map((k) => ({ k: 'str', v: k.arg! }) as Const) }));
      }
      this.emit(Op.CALL, extra + args.length + keywords.length);
      return;
    }
    // General case: positional args as a tuple, keywords as a dict.
    if (extra) {
      this.emit(Op.BUILD_LIST, extra);
      for (const a of args) {
        if (a.kind === 'Starred') {
          this.expr(a.value);
          this.emit(Op.LIST_EXTEND, 1);
        } else {
          this.expr(a);
          this.emit(Op.LIST_APPEND, 1);
        }
      }
    } else this.starredSequence(args);
    this.emit(Op.LIST_TO_TUPLE, 0);
    let flags = 0;
    if (keywords.length) {
      // Runs of name=value as sub-dicts, `**` mappings merged (compiler_call_helper).
      let haveDict = false;
      let nseen = 0;
      for (let i = 0; i < keywords.length; i++) {
        const k = keywords[i];
        if (k.arg !== null) {
          nseen++;
          continue;
        }
        if (nseen) {
          this.subkwargs(keywords, i - nseen, i);
          if (haveDict) this.emit(Op.DICT_MERGE, 1);
          haveDict = true;
          nseen = 0;
        }
        if (!haveDict) {
          this.emit(Op.BUILD_MAP, 0);
          haveDict = true;
        }
        this.expr(k.value);
        this.emit(Op.DICT_MERGE, 1);
      }
      if (nseen) {
        this.subkwargs(keywords, keywords.length - nseen, keywords.length);
        if (haveDict) this.emit(Op.DICT_MERGE, 1);
      }
      flags = 1;
    }
    this.emit(Op.CALL_FUNCTION_EX, flags);
  }

  private comprehension(e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp): void {
    const scope = this.scopes.get(e);
    if (!scope) {
      // 2.7 list comprehension: the loop runs in the enclosing scope, whose
      // names it binds (the loop variable outlives it), with the list below
      // the iterators on the stack.
      assertInternal(this.opts.py2 && e.kind === 'ListComp', `no scope for a ${e.kind} at line ${e.lineno}`);
      this.emit(Op.BUILD_LIST, 0);
      this.compGenerator(e, e.generators, 0, 1, true);
      return;
    }
    const u = new CodeUnit(scope.name, this.qualnameFor(scope.name, scope), this.filename, e.lineno);
    u.argcount = 1;
    const gens = e.generators;
    const outerLine = this.line;
    this.enter(u, scope, () => {
      this.line = e.lineno;
      if (e.kind === 'ListComp') this.emit(Op.BUILD_LIST, 0);
      else if (e.kind === 'SetComp') this.emit(Op.BUILD_SET, 0);
      else if (e.kind === 'DictComp') this.emit(Op.BUILD_MAP, 0);
      this.compGenerator(e, gens, 0, e.kind === 'GeneratorExp' ? 0 : 1);
      if (e.kind === 'GeneratorExp') this.emit(Op.LOAD_CONST, this.constIndex({ k: 'None' }));
      this.emit(Op.RETURN_VALUE, 0);
    });
    this.line = outerLine;
    let flags = 0;
    flags |= this.emitClosure(u);
    // CPython calls the function with no NULL below it (CALL 0 taking the
    // function as the callable and the iterator as its self).
    const start = this.here();
    this.emit(Op.PUSH_NULL, 0);
    // MAKE_FUNCTION consumes the closure tuple below the NULL: reorder.
    if (flags) this.emit(Op.SWAP, 2);
    this.emit(Op.LOAD_CONST, this.constIndex({ k: 'code', unit: u }));
    this.emit(Op.MAKE_FUNCTION, flags);
    this.expr(gens[0].iter);
    this.emit(Op.GET_ITER, 0);
    this.emit(Op.CALL, 1);
    this.u.depthAdjust.push([start, this.here(), -1]);
  }

  /**
   * One `for` clause of a comprehension and what it nests. `depth` counts the
   * iterators on the stack above the result; the first iterator is the `.0`
   * argument unless the comprehension is `inline` (2.7 list comprehensions).
   */
  private compGenerator(e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp, gens: A.Comprehension[], i: number, depth: number, inline = false): void {
    const g = gens[i];
    const top = new Label();
    const end = new Label();
    if (i === 0 && !inline) this.emit(Op.LOAD_FAST, 0);
    else {
      this.expr(g.iter);
      this.emit(Op.GET_ITER, 0);
    }
    this.mark(top);
    this.jump(Op.FOR_ITER, end);
    this.assignTarget(g.target);
    for (const cond of g.ifs) this.condJump(cond, false, top);
    if (i + 1 < gens.length) this.compGenerator(e, gens, i + 1, depth + 1, inline);
    else if (e.kind === 'GeneratorExp') {
      this.expr(e.elt);
      this.emit(Op.YIELD_VALUE, 0);
      this.emit(Op.POP_TOP, 0);
    } else if (e.kind === 'DictComp') {
      this.expr(e.key);
      this.expr(e.value);
      this.emit(Op.MAP_ADD, depth + 1);
    } else {
      this.expr(e.elt);
      this.emit(e.kind === 'ListComp' ? Op.LIST_APPEND : Op.SET_ADD, depth + 1);
    }
    this.jump(Op.JUMP, top);
    this.mark(end);
  }

  // ------------------------------------------------ constant folding

  /** Folds a constant expression to a Const, or returns null. */
  private fold(e: A.Expr): Const | null {
    switch (e.kind) {
      case 'Constant':
        return constOf(e.value, this.opts.py2);
      case 'UnaryOp': {
        const v = this.fold(e.operand);
        if (!v) return null;
        if (e.op === 'USub') {
          if (v.k === 'int') return v.py2long ? { k: 'int', v: -v.v, py2long: true } : { k: 'int', v: -v.v };
          if (v.k === 'float') return { k: 'float', v: -v.v };
        }
        if (e.op === 'UAdd' && (v.k === 'int' || v.k === 'float')) return v;
        if (e.op === 'Invert' && v.k === 'int') return v.py2long ? { k: 'int', v: ~v.v, py2long: true } : { k: 'int', v: ~v.v };
        return null;
      }
      case 'BinOp': {
        const a = this.fold(e.left);
        const b = a && this.fold(e.right);
        if (!a || !b) return null;
        const r = foldBinOp(e.op, a, b, this.opts.py2);
        // 2.7: a result beyond a C long is a long, and stays one in later arithmetic.
        if (this.opts.py2 && r && r.k === 'int' && (r.v > 9223372036854775807n || r.v < -9223372036854775808n)) return { k: 'int', v: r.v, py2long: true };
        return r;
      }
      case 'Tuple': {
        if (e.ctx !== 'Load') return null;
        const items = e.elts.map((x) => (x.kind === 'Starred' ? null : this.fold(x)));
        if (items.some((x) => x === null)) return null;
        return { k: 'tuple', items: items as Const[] };
      }
      default:
        return null;
    }
  }
}

/** An internal invariant of the compiler (a bug if it fails, never a Python error). */
/** CPython's compiler keeps at most about this many items on the stack for one display or call. */
const STACK_USE_GUIDELINE = 30;

function assertInternal(cond: boolean, why: string): asserts cond {
  if (!cond) throw new Error(`compiler invariant violated: ${why}`);
}

function constOf(v: A.ConstantValue, py2 = false): Const {
  switch (v.t) {
    case 'int':
      return v.py2long ? { k: 'int', v: v.v, py2long: true } : { k: 'int', v: v.v };
    case 'float':
      return { k: 'float', v: v.v };
    case 'complex':
      return { k: 'complex', imag: v.imag };
    case 'str':
      if (py2 && !v.py2bytes) return { k: 'str', v: v.v, py2unicode: true };
      return v.py2bytes ? { k: 'str', v: v.v, py2bytes: true } : { k: 'str', v: v.v };
    case 'bytes':
      return { k: 'bytes', v: v.v };
    case 'bool':
      return { k: 'bool', v: v.v };
    case 'None':
      return { k: 'None' };
    case 'Ellipsis':
      return { k: 'Ellipsis' };
  }
}

/** Folds arithmetic on int/float constants the way CPython's AST optimizer does (with its size limits). */
function foldBinOp(op: A.OperatorKind, a: Const, b: Const, py2: boolean): Const | null {
  if (a.k === 'str' && b.k === 'str' && op === 'Add' && a.v.length + b.v.length <= 4096) {
    if (a.py2unicode || b.py2unicode) return { k: 'str', v: a.v + b.v, py2unicode: true };
    return a.py2bytes ? { k: 'str', v: a.v + b.v, py2bytes: true } : { k: 'str', v: a.v + b.v };
  }
  // 2.7: arithmetic on a long constant is left to run time (the result is a long).
  if (a.k === 'int' && b.k === 'int' && (a.py2long || b.py2long)) return null;
  if (a.k === 'int' && b.k === 'int') {
    const x = a.v;
    const y = b.v;
    switch (op) {
      case 'Add':
        return { k: 'int', v: x + y };
      case 'Sub':
        return { k: 'int', v: x - y };
      case 'Mult': {
        const r = x * y;
        return bitLen(r) <= 128 ? { k: 'int', v: r } : null;
      }
      case 'Pow': {
        if (y < 0n || y > 128n) return null;
        if (bitLen(x) * Number(y) > 128) return null;
        return { k: 'int', v: x ** y };
      }
      case 'LShift':
        return y >= 0n && y <= 128n && bitLen(x) + Number(y) <= 128 ? { k: 'int', v: x << y } : null;
      case 'RShift':
        return y >= 0n ? { k: 'int', v: x >> y } : null;
      case 'BitAnd':
        return { k: 'int', v: x & y };
      case 'BitOr':
        return { k: 'int', v: x | y };
      case 'BitXor':
        return { k: 'int', v: x ^ y };
      case 'FloorDiv': {
        if (y === 0n) return null;
        let q = x / y;
        if ((x % y !== 0n) && ((x < 0n) !== (y < 0n))) q -= 1n;
        return { k: 'int', v: q };
      }
      case 'Mod': {
        if (y === 0n) return null;
        let r = x % y;
        if (r !== 0n && (r < 0n) !== (y < 0n)) r += y;
        return { k: 'int', v: r };
      }
      case 'Div':
        if (y === 0n || py2) return null;
        if (x > 2n ** 53n || x < -(2n ** 53n) || y > 2n ** 53n || y < -(2n ** 53n)) return null;
        return { k: 'float', v: Number(x) / Number(y) };
      default:
        return null;
    }
  }
  const num = (c: Const) => (c.k === 'int' ? Number(c.v) : c.k === 'float' ? c.v : null);
  const x = num(a);
  const y = num(b);
  if (x === null || y === null || (a.k !== 'float' && b.k !== 'float')) return null;
  switch (op) {
    case 'Add':
      return { k: 'float', v: x + y };
    case 'Sub':
      return { k: 'float', v: x - y };
    case 'Mult':
      return { k: 'float', v: x * y };
    case 'Div':
      return y === 0 ? null : { k: 'float', v: x / y };
    default:
      return null;
  }
}

function bitLen(v: bigint): number {
  if (v < 0n) v = -v;
  return v === 0n ? 0 : v.toString(2).length;
}

/** Constant identity within a compilation (CPython's _PyCode_ConstantKey): same type and value. */
export function sameConst(a: Const, b: Const): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'None':
    case 'Ellipsis':
      return true;
    case 'bool':
      return a.v === (b as typeof a).v;
    case 'int':
      return a.v === (b as typeof a).v && a.py2long === (b as typeof a).py2long;
    case 'float':
      return Object.is(a.v, (b as typeof a).v);
    case 'complex':
      return Object.is(a.imag, (b as typeof a).imag);
    case 'str':
      return a.v === (b as typeof a).v && !!a.py2bytes === !!(b as typeof a).py2bytes && a.py2unicode === (b as typeof a).py2unicode;
    case 'bytes': {
      const y = (b as typeof a).v;
      return a.v.length === y.length && a.v.every((x, i) => x === y[i]);
    }
    case 'tuple':
    case 'frozenset': {
      const y = (b as typeof a).items;
      return a.items.length === y.length && a.items.every((x, i) => sameConst(x, y[i]));
    }
    case 'code':
      return a.unit === (b as typeof a).unit;
  }
}

export { IDENT };
