// The Python abstract syntax tree, mirroring CPython 3.11's `ast` module.
//
// Design
// ------
// Every node class of `ast` that refscope supports is an interface here with
// the *same* class name (as the `kind` discriminant) and the *same* field
// names, so a compiler author can read https://docs.python.org/3.11/library/ast.html
// and write against this file without translation:
//
//   Python:  BinOp(left=Name(id='a', ctx=Load()), op=Add(), right=Constant(value=1))
//   here:    { kind: 'BinOp', left: { kind: 'Name', id: 'a', ctx: 'Load', ... },
//              op: 'Add', right: { kind: 'Constant', value: { t: 'int', v: 1n }, ... } }
//
// Conventions a compiler author must know:
//
// - Optional fields (`expr?` in the ASDL) are `null` when absent, never
//   `undefined`; lists are always arrays (possibly empty).
// - Operators and contexts are string literals named after the `ast` classes
//   (`'Add'`, `'NotIn'`, `'Load'`), not singleton objects.
// - Positions: every stmt, expr, `arg`, `keyword`, `alias` and
//   `ExceptHandler` carries `lineno`, `col_offset`, `end_lineno`,
//   `end_col_offset`. Lines are 1-based; columns are 0-based *UTF-8 byte*
//   offsets into the source line, exactly as CPython reports them.
// - Constants carry a tagged `ConstantValue` (see below) because JS has no
//   int/float/bytes distinction of its own.
// - Python 2.7 profile extras (never produced under profile '3.11'):
//     * `Print { dest, values, nl }`, `Exec { body, globals, locals }` and
//       backtick `Repr { value }` nodes, as in Python 2's `ast`;
//     * `raise E, msg, tb` is a `Raise` with `exc = E` and the extra fields
//       `py2msg` / `py2tb` (null when absent), `cause` is always null;
//     * `except E, e:` is an `ExceptHandler` with `name = 'e'` (2.7 only allows
//       a plain name there through this syntax, which is what refscope takes);
//     * `10L` is `{ t: 'int', v: 10n, py2long: true }`; `0777` is octal 511;
//     * `<>` is the comparison operator `'NotEq'`;
//     * string literals without a `u` prefix (and `b''`) are *byte strings* in
//       2.7: `{ t: 'str', v, py2bytes: true }`, where each UTF-16 code unit of
//       `v` is one byte (0..255) — the source's UTF-8 bytes for non-ASCII text.
//       `u''` literals (and every literal under
//       `from __future__ import unicode_literals`) have no `py2bytes` flag.
//       `print(...)` follows `from __future__ import print_function`.
// - `Module` has no positions, like CPython's.

/** Source span shared by stmt/expr nodes and a few helpers. */
export interface Located {
  /** 1-based first line. */
  lineno: number;
  /** 0-based UTF-8 byte column of the first character. */
  col_offset: number;
  /** 1-based last line. */
  end_lineno: number;
  /** 0-based UTF-8 byte column just past the last character. */
  end_col_offset: number;
}

export type ExprContext = 'Load' | 'Store' | 'Del';
export type BoolOpKind = 'And' | 'Or';
export type OperatorKind =
  | 'Add' | 'Sub' | 'Mult' | 'MatMult' | 'Div' | 'Mod' | 'Pow'
  | 'LShift' | 'RShift' | 'BitOr' | 'BitXor' | 'BitAnd' | 'FloorDiv';
export type UnaryOpKind = 'Invert' | 'Not' | 'UAdd' | 'USub';
export type CmpOpKind = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

/** The value of a `Constant` node. */
export type ConstantValue =
  | { t: 'int'; v: bigint; /** 2.7: written with an `L` suffix. */ py2long?: true }
  | { t: 'float'; v: number }
  | { t: 'complex'; /** Real part is always 0 for a literal (`3j`). */ imag: number }
  | { t: 'str'; v: string; /** 2.7: a byte string (`str` type); code units are bytes. */ py2bytes?: true }
  | { t: 'bytes'; v: Uint8Array }
  | { t: 'bool'; v: boolean }
  | { t: 'None' }
  | { t: 'Ellipsis' };

// ---------------------------------------------------------------- module

export interface Module {
  kind: 'Module';
  body: Stmt[];
  type_ignores: never[];
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | FunctionDef | ClassDef | Return | Delete | Assign | AugAssign | AnnAssign
  | For | While | If | With | Raise | Try | Assert | Import | ImportFrom
  | Global | Nonlocal | ExprStmt | Pass | Break | Continue
  | Print | Exec;

export interface FunctionDef extends Located {
  kind: 'FunctionDef';
  name: string;
  args: Arguments;
  body: Stmt[];
  decorator_list: Expr[];
  returns: Expr | null;
  type_comment: null;
}

export interface ClassDef extends Located {
  kind: 'ClassDef';
  name: string;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorator_list: Expr[];
}

export interface Return extends Located { kind: 'Return'; value: Expr | null }
export interface Delete extends Located { kind: 'Delete'; targets: Expr[] }
export interface Assign extends Located {
  kind: 'Assign';
  /** `a = b = 1` has two targets, in source order. */
  targets: Expr[];
  value: Expr;
  type_comment: null;
}
export interface AugAssign extends Located { kind: 'AugAssign'; target: Expr; op: OperatorKind; value: Expr }
export interface AnnAssign extends Located {
  kind: 'AnnAssign';
  target: Expr;
  annotation: Expr;
  value: Expr | null;
  /** 1 when the target is a plain name not in parentheses. */
  simple: 0 | 1;
}
export interface For extends Located {
  kind: 'For';
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
  type_comment: null;
}
export interface While extends Located { kind: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] }
/** `elif` chains are nested `If` nodes in `orelse`, as in CPython. */
export interface If extends Located { kind: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface With extends Located { kind: 'With'; items: WithItem[]; body: Stmt[]; type_comment: null }
export interface Raise extends Located {
  kind: 'Raise';
  exc: Expr | null;
  cause: Expr | null;
  /** 2.7 `raise E, msg[, tb]` only. */
  py2msg?: Expr | null;
  /** 2.7 `raise E, msg, tb` only. */
  py2tb?: Expr | null;
}
export interface Try extends Located {
  kind: 'Try';
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface Assert extends Located { kind: 'Assert'; test: Expr; msg: Expr | null }
export interface Import extends Located { kind: 'Import'; names: Alias[] }
export interface ImportFrom extends Located {
  kind: 'ImportFrom';
  /** null for `from . import x`. */
  module: string | null;
  names: Alias[];
  /** Number of leading dots. */
  level: number;
}
export interface Global extends Located { kind: 'Global'; names: string[] }
export interface Nonlocal extends Located { kind: 'Nonlocal'; names: string[] }
/** Python's `ast.Expr` (an expression statement); `kind` is `'Expr'`. */
export interface ExprStmt extends Located { kind: 'Expr'; value: Expr }
export interface Pass extends Located { kind: 'Pass' }
export interface Break extends Located { kind: 'Break' }
export interface Continue extends Located { kind: 'Continue' }

/** 2.7 only: `print >>dest, a, b,` (`nl` is false with a trailing comma). */
export interface Print extends Located { kind: 'Print'; dest: Expr | null; values: Expr[]; nl: boolean }
/** 2.7 only: `exec body in globals, locals`. */
export interface Exec extends Located { kind: 'Exec'; body: Expr; globals: Expr | null; locals: Expr | null }

// ---------------------------------------------------------------- expressions

export type Expr =
  | BoolOp | NamedExpr | BinOp | UnaryOp | Lambda | IfExp | Dict | SetExpr
  | ListComp | SetComp | DictComp | GeneratorExp | Await | Yield | YieldFrom
  | Compare | Call | FormattedValue | JoinedStr | Constant | Attribute
  | Subscript | Starred | Name | List | Tuple | Slice | Repr;

export interface BoolOp extends Located { kind: 'BoolOp'; op: BoolOpKind; values: Expr[] }
export interface NamedExpr extends Located { kind: 'NamedExpr'; target: Name; value: Expr }
export interface BinOp extends Located { kind: 'BinOp'; left: Expr; op: OperatorKind; right: Expr }
export interface UnaryOp extends Located { kind: 'UnaryOp'; op: UnaryOpKind; operand: Expr }
export interface Lambda extends Located { kind: 'Lambda'; args: Arguments; body: Expr }
export interface IfExp extends Located { kind: 'IfExp'; test: Expr; body: Expr; orelse: Expr }
/** `{**a}`: the key is null for a `**` entry, as in CPython. */
export interface Dict extends Located { kind: 'Dict'; keys: (Expr | null)[]; values: Expr[] }
/** Python's `ast.Set`; `kind` is `'Set'` (the TS name avoids the global `Set`). */
export interface SetExpr extends Located { kind: 'Set'; elts: Expr[] }
export interface ListComp extends Located { kind: 'ListComp'; elt: Expr; generators: Comprehension[] }
export interface SetComp extends Located { kind: 'SetComp'; elt: Expr; generators: Comprehension[] }
export interface DictComp extends Located { kind: 'DictComp'; key: Expr; value: Expr; generators: Comprehension[] }
export interface GeneratorExp extends Located { kind: 'GeneratorExp'; elt: Expr; generators: Comprehension[] }
/** Parsed so the compiler can report `'await' outside function`; async is otherwise unsupported. */
export interface Await extends Located { kind: 'Await'; value: Expr }
export interface Yield extends Located { kind: 'Yield'; value: Expr | null }
export interface YieldFrom extends Located { kind: 'YieldFrom'; value: Expr }
export interface Compare extends Located { kind: 'Compare'; left: Expr; ops: CmpOpKind[]; comparators: Expr[] }
export interface Call extends Located { kind: 'Call'; func: Expr; args: Expr[]; keywords: Keyword[] }
/**
 * One `{...}` of an f-string. `conversion` is -1 (none) or the code point of
 * `s`, `r`, `a` (115, 114, 97), as in CPython. `format_spec` is a JoinedStr.
 */
export interface FormattedValue extends Located {
  kind: 'FormattedValue';
  value: Expr;
  conversion: number;
  format_spec: JoinedStr | null;
}
export interface JoinedStr extends Located { kind: 'JoinedStr'; values: (Constant | FormattedValue)[] }
export interface Constant extends Located {
  kind: 'Constant';
  value: ConstantValue;
  /** 'u' for a `u''` literal, else null (CPython's `Constant.kind`). */
  kindPrefix: 'u' | null;
}
export interface Attribute extends Located { kind: 'Attribute'; value: Expr; attr: string; ctx: ExprContext }
export interface Subscript extends Located { kind: 'Subscript'; value: Expr; slice: Expr; ctx: ExprContext }
export interface Starred extends Located { kind: 'Starred'; value: Expr; ctx: ExprContext }
export interface Name extends Located { kind: 'Name'; id: string; ctx: ExprContext }
export interface List extends Located { kind: 'List'; elts: Expr[]; ctx: ExprContext }
export interface Tuple extends Located { kind: 'Tuple'; elts: Expr[]; ctx: ExprContext }
export interface Slice extends Located { kind: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null }
/** 2.7 only: backticks `` `x` `` (same as `repr(x)`). */
export interface Repr extends Located { kind: 'Repr'; value: Expr }

// ---------------------------------------------------------------- helpers

/**
 * Python's `ast.arguments`. `defaults` align with the *last* entries of
 * `posonlyargs + args`; `kw_defaults` align one-to-one with `kwonlyargs`
 * (null where a keyword-only argument has no default).
 */
export interface Arguments {
  kind: 'arguments';
  posonlyargs: Arg[];
  args: Arg[];
  vararg: Arg | null;
  kwonlyargs: Arg[];
  kw_defaults: (Expr | null)[];
  kwarg: Arg | null;
  defaults: Expr[];
}
export interface Arg extends Located { kind: 'arg'; arg: string; annotation: Expr | null; type_comment: null }
/** `f(x=1)` has `arg = 'x'`; `f(**d)` has `arg = null`. */
export interface Keyword extends Located { kind: 'keyword'; arg: string | null; value: Expr }
/** `import a.b as c`: name 'a.b', asname 'c'. `from m import *`: name '*'. */
export interface Alias extends Located { kind: 'alias'; name: string; asname: string | null }
export interface WithItem { kind: 'withitem'; context_expr: Expr; optional_vars: Expr | null }
export interface Comprehension { kind: 'comprehension'; target: Expr; iter: Expr; ifs: Expr[]; is_async: 0 }
export interface ExceptHandler extends Located {
  kind: 'ExceptHandler';
  type: Expr | null;
  name: string | null;
  body: Stmt[];
}

/** Any node of the tree. */
export type Node = Module | Stmt | Expr | Arguments | Arg | Keyword | Alias | WithItem | Comprehension | ExceptHandler;
