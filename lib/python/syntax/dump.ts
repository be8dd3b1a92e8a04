// `ast.dump()` for our AST: the same text CPython 3.11 prints for
// `ast.dump(ast.parse(src))` (fields in ASDL order, None-valued fields left
// out, empty lists kept), so tests can compare with captured CPython output.
// Under profile 2.7 it prints Python 2's spelling where the trees differ
// (Print/Exec/Repr, Raise(type, inst, tback), Str/Num/Name for constants).

import type * as A from './ast.js';

/** Field order per node kind (CPython's ASDL order). */
const FIELDS: Record<string, string[]> = {
  Module: ['body', 'type_ignores'],
  FunctionDef: ['name', 'args', 'body', 'decorator_list', 'returns', 'type_comment'],
  ClassDef: ['name', 'bases', 'keywords', 'body', 'decorator_list'],
  Return: ['value'], Delete: ['targets'], Assign: ['targets', 'value', 'type_comment'],
  AugAssign: ['target', 'op', 'value'], AnnAssign: ['target', 'annotation', 'value', 'simple'],
  For: ['target', 'iter', 'body', 'orelse', 'type_comment'], While: ['test', 'body', 'orelse'],
  If: ['test', 'body', 'orelse'], With: ['items', 'body', 'type_comment'], Raise: ['exc', 'cause'],
  Try: ['body', 'handlers', 'orelse', 'finalbody'], Assert: ['test', 'msg'], Import: ['names'],
  ImportFrom: ['module', 'names', 'level'], Global: ['names'], Nonlocal: ['names'], Expr: ['value'],
  Pass: [], Break: [], Continue: [],
  Print: ['dest', 'values', 'nl'], Exec: ['body', 'globals', 'locals'], Repr: ['value'],
  BoolOp: ['op', 'values'], NamedExpr: ['target', 'value'], BinOp: ['left', 'op', 'right'],
  UnaryOp: ['op', 'operand'], Lambda: ['args', 'body'], IfExp: ['test', 'body', 'orelse'],
  Dict: ['keys', 'values'], Set: ['elts'], ListComp: ['elt', 'generators'], SetComp: ['elt', 'generators'],
  DictComp: ['key', 'value', 'generators'], GeneratorExp: ['elt', 'generators'], Await: ['value'],
  Yield: ['value'], YieldFrom: ['value'], Compare: ['left', 'ops', 'comparators'],
  Call: ['func', 'args', 'keywords'], FormattedValue: ['value', 'conversion', 'format_spec'],
  JoinedStr: ['values'], Constant: ['value', 'kind'], Attribute: ['value', 'attr', 'ctx'],
  Subscript: ['value', 'slice', 'ctx'], Starred: ['value', 'ctx'], Name: ['id', 'ctx'],
  List: ['elts', 'ctx'], Tuple: ['elts', 'ctx'], Slice: ['lower', 'upper', 'step'],
  arguments: ['posonlyargs', 'args', 'vararg', 'kwonlyargs', 'kw_defaults', 'kwarg', 'defaults'],
  arg: ['arg', 'annotation', 'type_comment'], keyword: ['arg', 'value'], alias: ['name', 'asname'],
  withitem: ['context_expr', 'optional_vars'], comprehension: ['target', 'iter', 'ifs', 'is_async'],
  ExceptHandler: ['type', 'name', 'body'],
};

/** Python's `repr()` of a str. */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa1) || c === 0xad) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0xd800 && c < 0xe000) || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + q;
}

/** Python's `repr()` of bytes (also 2.7 byte strings, given as code units). */
export function pyBytesRepr(b: ArrayLike<number>, prefix = 'b'): string {
  let hasSq = false, hasDq = false;
  for (let i = 0; i < b.length; i++) { if (b[i] === 39) hasSq = true; if (b[i] === 34) hasDq = true; }
  const q = hasSq && !hasDq ? '"' : "'";
  let out = prefix + q;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === q.charCodeAt(0) || c === 92) out += '\\' + String.fromCharCode(c);
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += String.fromCharCode(c);
  }
  return out + q;
}

/** Python's `repr()` of a float (shortest round-trip, Python's exponent style). */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  const e = Number(v.toExponential().split('e')[1]);
  void exp;
  if (e < -4 || e >= 16) {
    const [m, x] = v.toExponential().split('e');
    const n = Number(x);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = String(v);
  return s.includes('.') ? s : s + '.0';
}

function constRepr(v: A.ConstantValue, py2: boolean): string {
  switch (v.t) {
    case 'int': return v.v.toString() + (py2 && v.py2long ? 'L' : '');
    case 'float': return pyFloatRepr(v.v);
    case 'complex': {
      const r = pyFloatRepr(v.imag);
      return (r.endsWith('.0') ? r.slice(0, -2) : r) + 'j';
    }
    case 'str':
      if (py2 && v.py2bytes) return pyBytesRepr(Array.from(v.v, (c) => c.charCodeAt(0)), '');
      if (py2) return 'u' + pyStrRepr(v.v).replace(/[^\x00-\x7e]/gu, (ch) => {
        const c = ch.codePointAt(0)!;
        return c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : c < 0x10000 ? '\\u' + c.toString(16).padStart(4, '0') : '\\U' + c.toString(16).padStart(8, '0');
      });
      return pyStrRepr(v.v);
    case 'bytes': return pyBytesRepr(v.v);
    case 'bool': return v.v ? 'True' : 'False';
    case 'None': return 'None';
    case 'Ellipsis': return 'Ellipsis';
  }
}

/**
 * `ast.dump(tree)` text.
 *
 * @example
 * dump(parse('x', 'x.py', '3.11')) // "Module(body=[Expr(value=Name(id='x', ctx=Load()))], type_ignores=[])"
 */
export function dump(node: A.Node, profile: '3.11' | '2.7' = '3.11'): string {
  const py2 = profile === '2.7';
  const val = (v: unknown, key: string, owner: string): string => {
    if (v === null || v === undefined) return 'None';
    if (Array.isArray(v)) return '[' + v.map((x) => val(x, key, owner)).join(', ') + ']';
    if (typeof v === 'string') {
      if (key === 'op' || key === 'ctx' || key === 'ops') return v + '()';
      return py2 ? pyBytesRepr(Array.from(new TextEncoder().encode(v)), '') : pyStrRepr(v);
    }
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    return node1(v as A.Node);
  };
  const node1 = (n: A.Node): string => {
    if (n.kind === 'Constant') {
      if (py2) {
        const c = n.value;
        if (c.t === 'str') return `Str(s=${constRepr(c, true)})`;
        return `Num(n=${constRepr(c, true)})`;
      }
      return `Constant(value=${constRepr(n.value, false)}${n.kindPrefix ? `, kind='u'` : ''})`;
    }
    let kind: string = n.kind;
    let fields = FIELDS[kind];
    const rec = n as unknown as Record<string, unknown>;
    if (py2) {
      if (kind === 'Raise') return `Raise(type=${val(rec.exc, '', kind)}, inst=${val(rec.py2msg ?? null, '', kind)}, tback=${val(rec.py2tb ?? null, '', kind)})`;
      if (kind === 'ExceptHandler') return `ExceptHandler(type=${val(rec.type, '', kind)}, name=${rec.name === null ? 'None' : `Name(id=${val(rec.name, '', kind)}, ctx=Store())`}, body=${val(rec.body, '', kind)})`;
      if (kind === 'Module') return `Module(body=${val(rec.body, '', kind)})`;
      if (kind === 'FunctionDef') fields = ['name', 'args', 'body', 'decorator_list'];
      if (kind === 'arguments') return `arguments(args=${val((rec.args as A.Arg[]).map((a) => ({ kind: 'Name', id: a.arg, ctx: 'Param' })), '', kind)}, vararg=${val((rec.vararg as A.Arg | null)?.arg ?? null, '', kind)}, kwarg=${val((rec.kwarg as A.Arg | null)?.arg ?? null, '', kind)}, defaults=${val(rec.defaults, '', kind)})`;
      if (kind === 'Name' && rec.ctx === 'Param') return `Name(id=${val(rec.id, '', kind)}, ctx=Param())`;
      if (kind === 'With') return val(rec.items, '', kind); // not produced by tests
      if (kind === 'Try') {
        kind = (rec.finalbody as unknown[]).length ? 'TryFinally' : 'TryExcept';
        fields = kind === 'TryFinally' ? ['body', 'finalbody'] : ['body', 'handlers', 'orelse'];
      }
      if (kind === 'Assign') fields = ['targets', 'value'];
      if (kind === 'For') fields = ['target', 'iter', 'body', 'orelse'];
      if (kind === 'Call') return `Call(func=${val(rec.func, '', kind)}, args=${val(rec.args, '', kind)}, keywords=${val(rec.keywords, '', kind)}, starargs=None, kwargs=None)`;
      if (kind === 'ClassDef') fields = ['name', 'bases', 'body', 'decorator_list'];
      if (kind === 'ImportFrom') fields = ['module', 'names', 'level'];
      if (kind === 'alias') fields = ['name', 'asname'];
      if (kind === 'Subscript') {
        const s = rec.slice as A.Expr;
        const sl = s.kind === 'Slice' ? node1(s) : `Index(value=${node1(s)})`;
        return `Subscript(value=${node1(rec.value as A.Expr)}, slice=${sl}, ctx=${rec.ctx}())`;
      }
      if (kind === 'comprehension') fields = ['target', 'iter', 'ifs'];
    }
    const parts: string[] = [];
    for (const f of fields) {
      const v = rec[f];
      if (v === null || v === undefined) { if (py2) parts.push(`${f}=None`); continue; }
      if (f === 'conversion' || f === 'simple' || f === 'is_async' || f === 'level') { parts.push(`${f}=${v}`); continue; }
      parts.push(`${f}=${val(v, f, kind)}`);
    }
    return `${kind}(${parts.join(', ')})`;
  };
  return node1(node);
}
