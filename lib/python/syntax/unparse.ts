// Expression source text from the AST, the way CPython writes it back.
//
// `from __future__ import annotations` turns every annotation into a string:
// CPython does not keep the source text but regenerates it from the AST
// (Python/ast_unparse.c), so `Dict[str,int]` becomes 'Dict[str, int]' and
// "List[int]" becomes "'List[int]'". The printed text is observable through
// __annotations__, so this follows the same rules: one precedence level per
// operator group, parentheses only where the context's level is higher,
// Python reprs for constants (with inf written as 1e309).
import { strRepr } from '../text/repr.js';
import { bytesRepr } from '../text/repr.js';
import { floatRepr } from '../text/float.js';
import type * as A from './ast.js';

const enum Pr {
  TUPLE,
  TEST,
  OR,
  AND,
  NOT,
  CMP,
  BOR,
  BXOR,
  BAND,
  SHIFT,
  ARITH,
  TERM,
  FACTOR,
  POWER,
  AWAIT,
  ATOM,
}

const BINOP: Record<A.OperatorKind, [string, Pr]> = {
  Add: ['+', Pr.ARITH],
  Sub: ['-', Pr.ARITH],
  Mult: ['*', Pr.TERM],
  MatMult: ['@', Pr.TERM],
  Div: ['/', Pr.TERM],
  Mod: ['%', Pr.TERM],
  FloorDiv: ['//', Pr.TERM],
  LShift: ['<<', Pr.SHIFT],
  RShift: ['>>', Pr.SHIFT],
  BitOr: ['|', Pr.BOR],
  BitXor: ['^', Pr.BXOR],
  BitAnd: ['&', Pr.BAND],
  Pow: ['**', Pr.POWER],
};

const CMPOP: Record<A.CmpOpKind, string> = {
  Eq: '==',
  NotEq: '!=',
  Lt: '<',
  LtE: '<=',
  Gt: '>',
  GtE: '>=',
  Is: 'is',
  IsNot: 'is not',
  In: 'in',
  NotIn: 'not in',
};

/** The text CPython's compiler stores for an annotation under `from __future__ import annotations`. */
export function unparseAnnotation(e: A.Expr): string {
  return expr(e, Pr.TEST);
}

function paren(cond: boolean, s: string): string {
  return cond ? `(${s})` : s;
}

function constant(v: A.ConstantValue, prefix: 'u' | null): string {
  switch (v.t) {
    case 'int':
      return v.v.toString();
    case 'float':
      return Number.isFinite(v.v) ? floatRepr(v.v) : '1e309';
    case 'complex':
      return Number.isFinite(v.imag) ? `${floatRepr(v.imag).replace(/\.0$/, '')}j` : '1e309j';
    case 'str':
      return (prefix === 'u' ? 'u' : '') + strRepr(v.v);
    case 'bytes':
      return bytesRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'None':
      return 'None';
    case 'Ellipsis':
      return '...';
  }
}

function comprehensions(gens: A.Comprehension[]): string {
  let s = '';
  for (const g of gens) {
    s += ` for ${expr(g.target, Pr.TUPLE)} in ${expr(g.iter, Pr.TEST + 1)}`;
    for (const c of g.ifs) s += ` if ${expr(c, Pr.TEST + 1)}`;
  }
  return s;
}

function arg(a: A.Arg): string {
  return a.annotation ? `${a.arg}: ${expr(a.annotation, Pr.TEST)}` : a.arg;
}

function lambdaArgs(args: A.Arguments): string {
  const parts: string[] = [];
  const positional = [...args.posonlyargs, ...args.args];
  const firstDefault = positional.length - args.defaults.length;
  positional.forEach((a, i) => {
    parts.push(i >= firstDefault ? `${arg(a)}=${expr(args.defaults[i - firstDefault], Pr.TEST)}` : arg(a));
    if (args.posonlyargs.length && i === args.posonlyargs.length - 1) parts.push('/');
  });
  if (args.vararg) parts.push(`*${arg(args.vararg)}`);
  else if (args.kwonlyargs.length) parts.push('*');
  args.kwonlyargs.forEach((a, i) => {
    const d = args.kw_defaults[i];
    parts.push(d ? `${arg(a)}=${expr(d, Pr.TEST)}` : arg(a));
  });
  if (args.kwarg) parts.push(`**${arg(args.kwarg)}`);
  return parts.join(', ');
}

function callArgs(e: A.Call): string {
  if (e.args.length === 1 && e.keywords.length === 0 && e.args[0].kind === 'GeneratorExp') {
    const g = e.args[0];
    return `${expr(g.elt, Pr.TEST)}${comprehensions(g.generators)}`;
  }
  const parts = e.args.map((a) => expr(a, Pr.TEST));
  for (const k of e.keywords) parts.push(k.arg === null ? `**${expr(k.value, Pr.TEST)}` : `${k.arg}=${expr(k.value, Pr.TEST)}`);
  return parts.join(', ');
}

function fstringBody(values: (A.Constant | A.FormattedValue)[]): string {
  let s = '';
  for (const v of values) {
    if (v.kind === 'Constant') {
      s += (v.value as { v: string }).v.replace(/\{/g, '{{').replace(/\}/g, '}}');
      continue;
    }
    const inner = expr(v.value, Pr.TEST + 1);
    s += `{${inner.startsWith('{') ? ' ' : ''}${inner}`;
    if (v.conversion > 0) s += `!${String.fromCharCode(v.conversion)}`;
    if (v.format_spec) s += `:${fstringBody(v.format_spec.values)}`;
    s += '}';
  }
  return s;
}

function expr(e: A.Expr, level: Pr): string {
  switch (e.kind) {
    case 'BoolOp': {
      const pr = e.op === 'And' ? Pr.AND : Pr.OR;
      return paren(level > pr, e.values.map((v) => expr(v, pr + 1)).join(e.op === 'And' ? ' and ' : ' or '));
    }
    case 'BinOp': {
      const [sym, pr] = BINOP[e.op];
      const rassoc = e.op === 'Pow' ? 1 : 0;
      return paren(level > pr, `${expr(e.left, pr + rassoc)} ${sym} ${expr(e.right, pr + 1 - rassoc)}`);
    }
    case 'UnaryOp': {
      const [sym, pr] = e.op === 'Not' ? ['not ', Pr.NOT] : e.op === 'Invert' ? ['~', Pr.FACTOR] : e.op === 'UAdd' ? ['+', Pr.FACTOR] : ['-', Pr.FACTOR];
      return paren(level > pr, `${sym}${expr(e.operand, pr)}`);
    }
    case 'Lambda': {
      const a = lambdaArgs(e.args);
      return paren(level > Pr.TEST, `lambda${a ? ' ' + a : ''}: ${expr(e.body, Pr.TEST)}`);
    }
    case 'IfExp':
      return paren(level > Pr.TEST, `${expr(e.body, Pr.TEST + 1)} if ${expr(e.test, Pr.TEST + 1)} else ${expr(e.orelse, Pr.TEST)}`);
    case 'Dict':
      return `{${e.keys.map((k, i) => (k === null ? `**${expr(e.values[i], Pr.BOR)}` : `${expr(k, Pr.TEST)}: ${expr(e.values[i], Pr.TEST)}`)).join(', ')}}`;
    case 'Set':
      return e.elts.length ? `{${e.elts.map((x) => expr(x, Pr.TEST)).join(', ')}}` : '{*()}';
    case 'ListComp':
      return `[${expr(e.elt, Pr.TEST)}${comprehensions(e.generators)}]`;
    case 'SetComp':
      return `{${expr(e.elt, Pr.TEST)}${comprehensions(e.generators)}}`;
    case 'DictComp':
      return `{${expr(e.key, Pr.TEST)}: ${expr(e.value, Pr.TEST)}${comprehensions(e.generators)}}`;
    case 'GeneratorExp':
      return `(${expr(e.elt, Pr.TEST)}${comprehensions(e.generators)})`;
    case 'Await':
      return paren(level > Pr.AWAIT, `await ${expr(e.value, Pr.ATOM)}`);
    case 'Yield':
      return e.value ? `(yield ${expr(e.value, Pr.TEST)})` : '(yield)';
    case 'YieldFrom':
      return `(yield from ${expr(e.value, Pr.TEST)})`;
    case 'Compare': {
      let s = expr(e.left, Pr.CMP + 1);
      e.ops.forEach((op, i) => (s += ` ${CMPOP[op]} ${expr(e.comparators[i], Pr.CMP + 1)}`));
      return paren(level > Pr.CMP, s);
    }
    case 'Call':
      return `${expr(e.func, Pr.ATOM)}(${callArgs(e)})`;
    case 'Constant':
      return constant(e.value, e.kindPrefix);
    case 'JoinedStr':
      return `f${strRepr(fstringBody(e.values))}`;
    case 'FormattedValue':
      return `f${strRepr(fstringBody([e]))}`;
    case 'Attribute': {
      const v = e.value;
      const period = v.kind === 'Constant' && v.value.t === 'int' ? ' .' : '.';
      return `${expr(v, Pr.ATOM)}${period}${e.attr}`;
    }
    case 'Subscript': {
      const s = e.slice;
      const inner = s.kind === 'Tuple' && s.elts.length ? s.elts.map((x) => expr(x, Pr.TEST)).join(', ') + (s.elts.length === 1 ? ',' : '') : expr(s, Pr.TUPLE);
      return `${expr(e.value, Pr.ATOM)}[${inner}]`;
    }
    case 'Starred':
      return `*${expr(e.value, Pr.BOR)}`;
    case 'Name':
      return e.id;
    case 'List':
      return `[${e.elts.map((x) => expr(x, Pr.TEST)).join(', ')}]`;
    case 'Tuple':
      if (e.elts.length === 0) return '()';
      return paren(level > Pr.TUPLE, e.elts.map((x) => expr(x, Pr.TEST)).join(', ') + (e.elts.length === 1 ? ',' : ''));
    case 'Slice': {
      let s = e.lower ? expr(e.lower, Pr.TEST) : '';
      s += ':';
      if (e.upper) s += expr(e.upper, Pr.TEST);
      if (e.step) s += `:${expr(e.step, Pr.TEST)}`;
      return s;
    }
    case 'NamedExpr':
      return paren(level > Pr.TUPLE, `${expr(e.target, Pr.ATOM)} := ${expr(e.value, Pr.ATOM)}`);
    default:
      // 2.7-only nodes never reach here: the future import is 3.x syntax.
      return '...';
  }
}
