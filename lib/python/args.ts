/*
 * Argument checking for native builtins, in the style of CPython's Argument
 * Clinic and getargs.c.
 *
 * A native implementation (a NativeFn) reads its arguments straight from the
 * array, so calling it with too few arguments used to crash inside the
 * implementation (reading `undefined`) and calling it with too many silently
 * ignored the extras. CPython instead rejects the call before the body runs,
 * with a message whose wording depends on how the C function declares its
 * parameters. This module keeps one declaration per builtin function and
 * method (SIGNATURES) and wraps the implementation with a check that raises
 * CPython's TypeError for a wrong count or a wrong keyword.
 *
 * A declaration is a kind letter, a positional range and, for the keyword
 * kind, the parameter names:
 *
 *   N      METH_NOARGS               "list.clear() takes no arguments (1 given)"
 *   O      METH_O                    "len() takes exactly one argument (0 given)"
 *   C/c    _PyArg_CheckPositional    "getattr expected at least 2 arguments, got 1"
 *          (c: keywords are allowed and left to the implementation, as in sorted())
 *   T      PyArg_ParseTuple          "count() takes at least 1 argument (0 given)"
 *   K      keyword parser            "round() missing required argument 'number' (pos 1)"
 *
 * Each builtin has one declaration per profile ([3.11, 2.7]) because the two
 * versions declare some functions differently (list.insert is clinic-style in
 * 3.11 and ParseTuple-style in 2.7) and word the shared forms differently
 * (2.7 always says "arguments" after "expected", and drops the type name from
 * method names). The table was checked against CPython 3.11.7 and 2.7.18 by
 * calling every entry with no arguments, nine arguments and a bogus keyword;
 * the conformance scenarios errors_args*.py keep it honest.
 *
 * Builtins absent from the table are not wrapped (their implementations check
 * their own arguments, e.g. print, max, min, zip, map, type()).
 */
import { PyExc } from './errors.js';
import type { Args, NativeFn } from './interp.js';

/** [3.11 declaration, 2.7 declaration]; undefined: no check in that profile. */
const SIGNATURES: Record<string, [string | undefined, string | undefined]> = {
  'abs': ['O', 'O'],
  'aiter': ['O', undefined],
  'all': ['O', 'O'],
  'anext': ['C1-2', undefined],
  'any': ['O', 'O'],
  'ascii': ['O', undefined],
  'bin': ['O', 'O'],
  'bool': ['C0-1', 'K0-1:x'],
  'callable': ['O', 'O'],
  'chr': ['O', 'T1-1'],
  'classmethod': ['C1-1', 'C1-1'],
  'cmp': [undefined, 'C2-2'],
  'compile': ['K2-7:source,filename,mode,flags,dont_inherit,optimize,_feature_version', 'K2-5:source,filename,mode,flags,dont_inherit,optimize,_feature_version'],
  'complex': ['K0-2:real,imag', 'K0-2:real,imag'],
  'delattr': ['C2-2', 'C2-2'],
  'dict.clear': ['N', 'N'],
  'dict.copy': ['N', 'N'],
  'dict.fromkeys': ['C1-2', 'C1-2'],
  'dict.get': ['C1-2', 'C1-2'],
  'dict.has_key': [undefined, 'O'],
  'dict.items': ['N', 'N'],
  'dict.iteritems': [undefined, 'N'],
  'dict.iterkeys': [undefined, 'N'],
  'dict.itervalues': [undefined, 'N'],
  'dict.keys': ['N', 'N'],
  'dict.pop': ['C1-2', 'C1-2'],
  'dict.popitem': ['N', 'N'],
  'dict.setdefault': ['C1-2', 'C1-2'],
  'dict.values': ['N', 'N'],
  'dict.viewitems': [undefined, 'N'],
  'dict.viewkeys': [undefined, 'N'],
  'dict.viewvalues': [undefined, 'N'],
  'dir': ['C0-1', 'C0-1'],
  'divmod': ['C2-2', 'C2-2'],
  'eval': ['C1-3', 'C1-3'],
  'filter': ['C2-2', 'C2-2'],
  'float': ['C0-1', 'K0-1:x'],
  'float.as_integer_ratio': ['N', 'N'],
  'float.conjugate': ['N', 'N'],
  'float.fromhex': ['O', 'O'],
  'float.hex': ['N', 'N'],
  'float.is_integer': ['N', 'N'],
  'format': ['C1-2', 'T1-2'],
  'frozenset': ['C0-1', 'C0-1'],
  'getattr': ['C2-3', 'C2-3'],
  'globals': ['N', 'N'],
  'hasattr': ['C2-2', 'C2-2'],
  'hash': ['O', 'O'],
  'hex': ['O', 'O'],
  'id': ['O', 'O'],
  'int': ['K0-2:x,base', 'K0-2:x,base'],
  'int.as_integer_ratio': ['N', undefined],
  'int.bit_count': ['N', undefined],
  'int.bit_length': ['N', 'N'],
  'int.conjugate': ['N', 'N'],
  'int.from_bytes': ['K1-3:bytes,byteorder,signed', undefined],
  'int.to_bytes': ['K0-3:length,byteorder,signed', undefined],
  'isinstance': ['C2-2', 'C2-2'],
  'issubclass': ['C2-2', 'C2-2'],
  'iter': ['C1-2', 'C1-2'],
  'len': ['O', 'O'],
  'list': ['C0-1', 'K0-1:iterable'],
  'list.append': ['O', 'O'],
  'list.clear': ['N', undefined],
  'list.copy': ['N', undefined],
  'list.count': ['O', 'O'],
  'list.extend': ['O', 'O'],
  'list.index': ['C1-3', 'T1-3'],
  'list.insert': ['C2-2', 'T2-2'],
  'list.pop': ['C0-1', 'T0-1'],
  'list.remove': ['O', 'O'],
  'list.reverse': ['N', 'N'],
  'list.sort': ['K0-2:key,reverse', 'K0-3:cmp,key,reverse'],
  'locals': ['N', 'N'],
  'memoryview': ['K1-1:object', 'K1-1:object'],
  'next': ['C1-2', 'C1-2'],
  'oct': ['O', 'O'],
  'ord': ['O', 'O'],
  'pow': ['K2-3:base,exp,mod', 'C2-3'],
  'property': ['K0-4:fget,fset,fdel,doc', 'K0-4:fget,fset,fdel,doc'],
  'range': ['C1-3', 'C1-3'],
  'reduce': [undefined, 'C2-3'],
  'repr': ['O', 'O'],
  'reversed': ['C1-1', 'C1-1'],
  'round': ['K1-2:number,ndigits', 'K1-2:number,ndigits'],
  'set': ['C0-1', 'C0-1'],
  'set.add': ['O', 'O'],
  'set.clear': ['N', 'N'],
  'set.copy': ['N', 'N'],
  'set.discard': ['O', 'O'],
  'set.isdisjoint': ['O', 'O'],
  'set.issubset': ['O', 'O'],
  'set.issuperset': ['O', 'O'],
  'set.pop': ['N', 'N'],
  'set.remove': ['O', 'O'],
  'set.symmetric_difference': ['O', 'O'],
  'set.symmetric_difference_update': ['O', 'O'],
  'setattr': ['C3-3', 'C3-3'],
  'slice': ['C1-3', 'C1-3'],
  'sorted': ['c1-1', 'K1-4:iterable,cmp,key,reverse'],
  'staticmethod': ['C1-1', 'C1-1'],
  'str': ['K0-3:object,encoding,errors', 'K0-1:object,encoding,errors'],
  'str.capitalize': ['N', 'N'],
  'str.casefold': ['N', undefined],
  'str.center': ['C1-2', 'T1-2'],
  'str.count': ['T1-3', 'T1-3'],
  'str.encode': ['K0-2:encoding,errors', 'K0-2:encoding,errors'],
  'str.endswith': ['T1-3', 'T1-3'],
  'str.expandtabs': ['K0-1:tabsize', 'T0-1'],
  'str.find': ['T1-3', 'T1-3'],
  'str.format_map': ['O', undefined],
  'str.index': ['T1-3', 'T1-3'],
  'str.isalnum': ['N', 'N'],
  'str.isalpha': ['N', 'N'],
  'str.isascii': ['N', undefined],
  'str.isdecimal': ['N', undefined],
  'str.isdigit': ['N', 'N'],
  'str.isidentifier': ['N', undefined],
  'str.islower': ['N', 'N'],
  'str.isnumeric': ['N', undefined],
  'str.isprintable': ['N', undefined],
  'str.isspace': ['N', 'N'],
  'str.istitle': ['N', 'N'],
  'str.isupper': ['N', 'N'],
  'str.join': ['O', 'O'],
  'str.ljust': ['C1-2', 'T1-2'],
  'str.lower': ['N', 'N'],
  'str.lstrip': ['C0-1', 'T0-1'],
  'str.maketrans': ['C1-3', undefined],
  'str.partition': ['O', 'O'],
  'str.removeprefix': ['O', undefined],
  'str.removesuffix': ['O', undefined],
  'str.replace': ['C2-3', 'T2-3'],
  'str.rfind': ['T1-3', 'T1-3'],
  'str.rindex': ['T1-3', 'T1-3'],
  'str.rjust': ['C1-2', 'T1-2'],
  'str.rpartition': ['O', 'O'],
  'str.rsplit': ['K0-2:sep,maxsplit', 'T0-2'],
  'str.rstrip': ['C0-1', 'T0-1'],
  'str.split': ['K0-2:sep,maxsplit', 'T0-2'],
  'str.splitlines': ['K0-1:keepends', 'T0-1'],
  'str.startswith': ['T1-3', 'T1-3'],
  'str.strip': ['C0-1', 'T0-1'],
  'str.swapcase': ['N', 'N'],
  'str.title': ['N', 'N'],
  'str.translate': ['O', 'C1-2'],
  'str.upper': ['N', 'N'],
  'str.zfill': ['O', 'T1-1'],
  'tuple.count': ['O', 'O'],
  'tuple.index': ['C1-3', 'T1-3'],
  'unichr': [undefined, 'T1-1'],
  'vars': ['C0-1', 'C0-1'],
  // Keyword arguments go to the implementation (dict(a=1), d.update(a=1)).
  dict: ['c0-1', 'c0-1'],
  tuple: ['C0-1', 'K0-1:iterable'],
  // enum_new checks its required argument itself (3.11 words it without "(pos 1)").
  enumerate: ['K0-2:iterable,start', 'K1-2:sequence,start'],
  'dict.update': ['c0-1', 'c0-1'],
};

/** A parsed declaration. */
interface Signature {
  kind: 'N' | 'O' | 'C' | 'T' | 'K';
  min: number;
  max: number;
  /** Keywords are accepted and checked by the implementation. */
  keywords: boolean;
  /** K: parameter names in order (positional-or-keyword, then keyword-only). */
  names: string[];
}

function parse(decl: string): Signature {
  const m = /^([NOCcTK])(?:(\d+)-(\d+))?(?::(.*))?$/.exec(decl);
  if (!m) throw new Error(`bad builtin signature ${decl}`);
  const kind = m[1].toUpperCase() as Signature['kind'];
  const [min, max] = kind === 'N' ? [0, 0] : kind === 'O' ? [1, 1] : [Number(m[2]), Number(m[3])];
  return { kind, min, max, keywords: m[1] === 'c' || kind === 'K', names: m[4] ? m[4].split(',') : [] };
}

const plural = (n: number, py2: boolean) => (n === 1 && !py2 ? 'argument' : 'arguments');
const pluralT = (n: number) => (n === 1 ? 'argument' : 'arguments');
const one = (word: string, n: number) => `${word} ${n} ${pluralT(n)}`;

/**
 * The TypeError message for a call of `qualname` with `nargs` positional
 * arguments and the keywords `kwnames`, or null when the call is acceptable.
 */
export function argumentError(qualname: string, sig: Signature, nargs: number, kwnames: string[] | null, py2: boolean): string | null {
  const short = qualname.slice(qualname.lastIndexOf('.') + 1);
  // 3.11 names METH_NOARGS / METH_O methods and clinic keyword complaints with
  // the qualified name ("list.append()"); 2.7 always uses the bare name.
  const q = py2 ? short : qualname;
  const nkw = kwnames ? kwnames.length : 0;
  const total = nargs + nkw;
  switch (sig.kind) {
    case 'N':
      if (nkw) return `${q}() takes no keyword arguments`;
      if (nargs) return `${q}() takes no arguments (${nargs} given)`;
      return null;
    case 'O':
      if (nkw) return `${q}() takes no keyword arguments`;
      if (nargs !== 1) return `${q}() takes exactly one argument (${nargs} given)`;
      return null;
    case 'C': {
      if (nkw && !sig.keywords) return `${q}() takes no keyword arguments`;
      const { min, max } = sig;
      if (nargs >= min && nargs <= max) return null;
      if (min === max) return `${short} expected ${min} ${plural(min, py2)}, got ${nargs}`;
      if (nargs < min) return `${short} expected at least ${min} ${plural(min, py2)}, got ${nargs}`;
      return `${short} expected at most ${max} ${plural(max, py2)}, got ${nargs}`;
    }
    case 'T': {
      // Called as obj.m(k=1) the method descriptor words it with the qualified name.
      if (nkw) return `${q}() takes no keyword arguments`;
      const { min, max } = sig;
      if (nargs >= min && nargs <= max) return null;
      if (min === max) return `${short}() takes ${one('exactly', min)} (${nargs} given)`;
      if (nargs < min) return `${short}() takes ${one('at least', min)} (${nargs} given)`;
      return `${short}() takes ${one('at most', max)} (${nargs} given)`;
    }
    case 'K': {
      if (total > sig.max) return `${short}() takes ${one('at most', sig.max)} (${total} given)`;
      // A missing required argument is reported before an unknown keyword (round(zz=1)).
      for (let i = nargs; i < sig.min; i++) {
        const name = sig.names[i];
        if (name === undefined || (kwnames && kwnames.includes(name))) continue;
        return py2 ? `Required argument '${name}' (pos ${i + 1}) not found` : `${short}() missing required argument '${name}' (pos ${i + 1})`;
      }
      if (kwnames && sig.names.length) {
        for (const k of kwnames) {
          if (!sig.names.includes(k)) return py2 ? `'${k}' is an invalid keyword argument for this function` : `'${k}' is an invalid keyword argument for ${short}()`;
        }
      }
      return null;
    }
  }
}

/** The declaration of a builtin in one profile, if the table has one. */
export function signatureOf(qualname: string, py2: boolean): Signature | null {
  const entry = SIGNATURES[qualname];
  const decl = entry?.[py2 ? 1 : 0];
  return decl ? parse(decl) : null;
}

/**
 * Wraps a native implementation with its declared argument check. `raise`
 * throws the TypeError (it never returns). Functions without a declaration
 * only get the guard against escaping JS errors.
 */
export function withArgumentCheck(qualname: string, fn: NativeFn, py2: boolean, raise: (msg: string) => never): NativeFn {
  const sig = signatureOf(qualname, py2);
  if (!sig) return (self, args, kwnames) => guardNative(qualname, fn, self, args, kwnames);
  const checked: NativeFn = (self, args, kwnames) => {
    const nargs = kwnames ? args.length - kwnames.length : args.length;
    if (nargs < sig.min || nargs > sig.max || kwnames) {
      const msg = argumentError(qualname, sig, nargs, kwnames && kwnames.length ? kwnames : null, py2);
      if (msg) raise(msg);
    }
    return guardNative(qualname, fn, self, args, kwnames);
  };
  return checked;
}

/**
 * Runs a native implementation. A plain JS error escaping it is a refscope bug,
 * never a Python exception: it is left to propagate as an internal error, but
 * tagged with the builtin's name so the bug report says where it came from.
 */
function guardNative(qualname: string, fn: NativeFn, self: Parameters<NativeFn>[0], args: Args, kwnames: string[] | null): ReturnType<NativeFn> {
  try {
    return fn(self, args, kwnames);
  } catch (e) {
    if (!(e instanceof PyExc) && (e instanceof TypeError || (e instanceof RangeError && !/call stack/.test(e.message))) && !/\(in builtin /.test(e.message)) {
      e.message += ` (in builtin ${qualname}())`;
    }
    throw e;
  }
}
