/*
 * re: Python regular expressions on top of JS RegExp.
 *
 * CPython parses a pattern (re/_parser.py), compiles it to _sre byte code
 * and runs it on its own backtracking engine. Here the parser is a port of
 * _parser.py — same tokenizer, same error messages and positions — but it
 * builds a small tree that is emitted as JS RegExp source and run by V8.
 * The two engines are both leftmost, backtracking and priority-ordered, so
 * a faithful translation of each construct gives the same matches:
 *
 *   Python                JS emitted (always with the `v` flag)
 *   .  (no DOTALL)        [^\n]            (JS `.` also excludes \r, \u2028...)
 *   ^ / $ (MULTILINE)     (?<![^\n]) / (?![^\n])
 *   $ (no MULTILINE)      (?=\n?$)         (before a trailing newline too)
 *   \A \Z                 ^ $              (JS `m` is never used)
 *   \d \w \s (str)        Unicode classes as str.isdecimal/isalnum/isspace
 *   \b \B                 lookarounds on that \w (JS \b is ASCII-only)
 *   (?P<n>..) (?P=n)      plain groups and numbered backreferences
 *   (?>..)  x*+           (?=(..))\k       (atomic by a hidden capture)
 *   (?i:..) scoped        letters expanded to [aA] (JS has no scoped flags)
 *   VERBOSE               whitespace and comments dropped by the parser
 *
 * Hidden captures shift JS group numbers, so the program keeps a map from
 * Python group numbers to JS ones. Conditionals `(?(1)a|b)`, \N{name}
 * escapes and `(?-i:..)` inside an IGNORECASE pattern have no translation
 * and raise re.error. Lookbehind must be fixed-width, as in CPython.
 *
 * Positions are code points in Python and UTF-16 units in JS: a `Subject`
 * converts both ways (identity for strings without astral characters).
 * Scanning (findall, finditer, sub, split) follows _sre's rule since 3.7: an
 * empty match may not start where the previous empty match was found
 * (`must_advance`), but may follow a non-empty one.
 *
 * Objects mirror CPython's ownership: a Pattern owns (groupindex dict,
 * indexgroup tuple, pattern str), the first two only with named groups; a
 * Match owns (string, regs, pattern), regs made on first use. Both are GC
 * types. `re._cache` is the module's dict `{(type, pattern, flags):
 * Pattern}` of re/__init__.py, FIFO-bounded at `_MAXCACHE` = 512, so cached
 * patterns stay alive exactly as in CPython. Compromises: the flags are
 * plain ints (not RegexFlag), `groupindex` is a dict copy (not a
 * mappingproxy), the replacement-template cache (`_compile_repl`, an
 * lru_cache in CPython) is kept in JS, and Unicode tables are V8's.
 */
import { PyDict, PyTuple } from '../../heap/containers.js';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyInt, PyStr } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import { PyExc } from '../errors.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { defineGetset, makeModule, moduleSet, splitArgs, toIndex, type Args } from './support.js';

/** Python's flag bits (re._constants). */
const enum F {
  /** re.T, deprecated, accepted and ignored */
  TEMPLATE = 1,
  /** re.I */
  IGNORECASE = 2,
  /** re.L, bytes patterns only */
  LOCALE = 4,
  /** re.M */
  MULTILINE = 8,
  /** re.S */
  DOTALL = 16,
  /** re.U, implied for str patterns */
  UNICODE = 32,
  /** re.X */
  VERBOSE = 64,
  /** re.DEBUG: CPython prints the parse tree; here only "not cached" */
  DEBUG = 128,
  /** re.A */
  ASCII = 256,
}

const FLAG_LETTERS: Record<string, number> = { i: F.IGNORECASE, L: F.LOCALE, m: F.MULTILINE, s: F.DOTALL, x: F.VERBOSE, a: F.ASCII, t: F.TEMPLATE, u: F.UNICODE };
const TYPE_FLAGS = F.ASCII | F.LOCALE | F.UNICODE;
const GLOBAL_FLAGS = F.DEBUG | F.TEMPLATE;
const FLAG_NAMES: [number, string][] = [
  [F.TEMPLATE, 'TEMPLATE'],
  [F.IGNORECASE, 'IGNORECASE'],
  [F.LOCALE, 'LOCALE'],
  [F.MULTILINE, 'MULTILINE'],
  [F.DOTALL, 'DOTALL'],
  [F.UNICODE, 'UNICODE'],
  [F.VERBOSE, 'VERBOSE'],
  [F.DEBUG, 'DEBUG'],
  [F.ASCII, 'ASCII'],
];
/** _MAXCACHE of re/__init__.py: the pattern cache drops its oldest entry beyond this. */
const MAXCACHE = 512;
const MAXREPEAT = 4294967295;
const MAXGROUPS = 1073741823;

// ================================================================ parsing

/** A Python-side compile error (becomes re.error); `pos` in code points. */
class ReSyntax extends Error {
  constructor(
    readonly msg: string,
    readonly pos: number | null,
  ) {
    super(msg);
  }
}

/** A Python-side exception other than re.error (OverflowError, IndexError...). */
class RePyError extends Error {
  constructor(
    readonly pyType: string,
    msg: string,
  ) {
    super(msg);
  }
}

type Cat = 'd' | 'D' | 's' | 'S' | 'w' | 'W';
type SetItem = { t: 'lit'; c: number } | { t: 'range'; lo: number; hi: number } | { t: 'cat'; cat: Cat };
/** The parse tree; flags in effect are resolved into each node. */
type Node =
  | { t: 'lit'; c: number; ic: boolean }
  | { t: 'set'; neg: boolean; items: SetItem[]; ic: boolean; ascii: boolean }
  | { t: 'cat'; cat: Cat; ascii: boolean }
  | { t: 'any'; dotall: boolean }
  | { t: 'at'; at: 'bol' | 'eol' | 'A' | 'Z' | 'b' | 'B'; ml: boolean; ascii: boolean }
  | { t: 'ref'; g: number }
  | { t: 'group'; g: number | null; body: Node[] }
  | { t: 'alt'; alts: Node[][] }
  | { t: 'look'; behind: boolean; neg: boolean; body: Node[] }
  | { t: 'atomic'; body: Node[] }
  | { t: 'rep'; min: number; max: number; mode: 'greedy' | 'lazy' | 'poss'; body: Node[] };

const DIGITS = '0123456789';
const OCTDIGITS = '01234567';
const HEXDIGITS = '0123456789abcdefABCDEF';
const WHITESPACE = ' \t\n\r\v\f';
const SPECIAL_CHARS = '.\\[{()*+?^$|';
const ESCAPES: Record<string, number> = { '\\a': 7, '\\b': 8, '\\f': 12, '\\n': 10, '\\r': 13, '\\t': 9, '\\v': 11, '\\\\': 92 };
const isAsciiLetter = (c: string) => /^[A-Za-z]$/.test(c);
const isIdentifier = (s: string) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(s);

/** _parser.Tokenizer: tokens are one code point, or a backslash and the next. */
class Tokenizer {
  private readonly chars: string[];
  index = 0;
  next: string | null = null;
  constructor(readonly text: string) {
    this.chars = Array.from(text);
    this.advance();
  }
  private advance(): void {
    let index = this.index;
    if (index >= this.chars.length) {
      this.next = null;
      return;
    }
    let ch = this.chars[index];
    if (ch === '\\') {
      index++;
      if (index >= this.chars.length) throw new ReSyntax('bad escape (end of pattern)', this.chars.length - 1);
      ch += this.chars[index];
    }
    this.index = index + 1;
    this.next = ch;
  }
  match(ch: string): boolean {
    if (ch === this.next) {
      this.advance();
      return true;
    }
    return false;
  }
  get(): string | null {
    const t = this.next;
    this.advance();
    return t;
  }
  getwhile(n: number, charset: string): string {
    let r = '';
    for (let k = 0; k < n; k++) {
      const c = this.next;
      if (c === null || c.length !== 1 || !charset.includes(c)) break;
      r += c;
      this.advance();
    }
    return r;
  }
  getuntil(terminator: string, name: string): string {
    let r = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!r) throw this.error(`missing ${name}`);
        throw this.error(`missing ${terminator}, unterminated name`, cpLen(r));
      }
      if (c === terminator) {
        if (!r) throw this.error(`missing ${name}`, 1);
        break;
      }
      r += c;
    }
    return r;
  }
  tell(): number {
    return this.index - (this.next ? Array.from(this.next).length : 0);
  }
  seek(index: number): void {
    this.index = index;
    this.advance();
  }
  error(msg: string, offset = 0): ReSyntax {
    return new ReSyntax(msg, this.tell() - offset);
  }
  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) throw this.error(`bad character in group name ${pyRepr(name)}`, cpLen(name) + offset);
  }
}

const cpLen = (s: string) => Array.from(s).length;
/** repr() of a str, for messages (the simple cases messages need). */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

/** _parser.State: group bookkeeping while parsing. */
class State {
  flags: number;
  readonly groupdict = new Map<string, number>();
  /** Per group: [min, max] width once closed, null while open (index 0: the whole match). */
  readonly groupwidths: ([number, number] | null)[] = [null];
  /** Per group: order in which its `)` was parsed (for lastindex). */
  readonly closeOrder: number[] = [0];
  private closes = 0;
  lookbehindgroups: number | null = null;
  readonly grouprefpos = new Map<number, number>();
  constructor(flags: number) {
    this.flags = flags;
  }
  get groups(): number {
    return this.groupwidths.length;
  }
  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    this.closeOrder.push(0);
    if (this.groups > MAXGROUPS) throw new ReSyntax('too many groups', null);
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) throw new ReSyntax(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${ogid}`, null);
      this.groupdict.set(name, gid);
    }
    return gid;
  }
  closegroup(gid: number, p: Node[]): void {
    this.groupwidths[gid] = widthOf(p, this);
    this.closeOrder[gid] = ++this.closes;
  }
  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }
  checklookbehindgroup(gid: number, source: Tokenizer): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error('cannot refer to an open group');
      if (gid >= this.lookbehindgroups) throw source.error('cannot refer to group defined in the same lookbehind subpattern');
    }
  }
}

/** SubPattern.getwidth: [min, max] code points a sequence can match. */
function widthOf(seq: Node[], st: State): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const n of seq) {
    let w: [number, number];
    switch (n.t) {
      case 'lit':
      case 'set':
      case 'cat':
      case 'any':
        w = [1, 1];
        break;
      case 'at':
      case 'look':
        w = [0, 0];
        break;
      case 'ref':
        w = st.groupwidths[n.g] ?? [0, 0];
        break;
      case 'group':
      case 'atomic':
        w = widthOf(n.body, st);
        break;
      case 'alt': {
        const ws = n.alts.map((a) => widthOf(a, st));
        w = [Math.min(...ws.map((x) => x[0])), Math.max(...ws.map((x) => x[1]))];
        break;
      }
      case 'rep': {
        const b = widthOf(n.body, st);
        w = [b[0] * n.min, n.max === MAXREPEAT ? (b[1] ? Infinity : 0) : b[1] * n.max];
        break;
      }
    }
    lo += w[0];
    hi += w[1];
  }
  return [lo, hi];
}

/** Scoped flags: (state.flags | add) & ~del is what a node sees. */
interface Scope {
  add: number;
  del: number;
}
const eff = (st: State, sc: Scope) => (st.flags | sc.add) & ~sc.del;

function categoryOf(escape: string, flags: number): Node | null {
  const ascii = !!(flags & F.ASCII);
  switch (escape) {
    case '\\A':
      return { t: 'at', at: 'A', ml: false, ascii };
    case '\\Z':
      return { t: 'at', at: 'Z', ml: false, ascii };
    case '\\b':
      return { t: 'at', at: 'b', ml: false, ascii };
    case '\\B':
      return { t: 'at', at: 'B', ml: false, ascii };
    case '\\d':
    case '\\D':
    case '\\s':
    case '\\S':
    case '\\w':
    case '\\W':
      return { t: 'cat', cat: escape[1] as Cat, ascii };
  }
  return null;
}

/** The hex, unicode and octal escapes shared by _escape and _class_escape. */
function numericEscape(source: Tokenizer, escape: string): number | null {
  const c = escape[1];
  const fixed = (n: number) => {
    escape += source.getwhile(n, HEXDIGITS);
    if (escape.length !== n + 2) throw source.error(`incomplete escape ${escape}`, escape.length);
    return parseInt(escape.slice(2), 16);
  };
  if (c === 'x') return fixed(2);
  if (c === 'u') return fixed(4);
  if (c === 'U') {
    const v = fixed(8);
    if (v > 0x10ffff) throw source.error(`bad escape ${escape}`, escape.length);
    return v;
  }
  if (c === 'N') {
    if (!source.match('{')) throw source.error('missing {');
    const name = source.getuntil('}', 'character name');
    throw source.error(`undefined character name ${pyRepr(name)} (\\N{...} escapes are not supported by refscope)`, cpLen(name) + 4);
  }
  return null;
}

function classEscape(source: Tokenizer, escape: string): SetItem {
  if (escape in ESCAPES) return { t: 'lit', c: ESCAPES[escape] };
  if (/^\\[dDsSwW]$/.test(escape)) return { t: 'cat', cat: escape[1] as Cat };
  const n = numericEscape(source, escape);
  if (n !== null) return { t: 'lit', c: n };
  const c = escape[1];
  if (OCTDIGITS.includes(c)) {
    escape += source.getwhile(2, OCTDIGITS);
    const v = parseInt(escape.slice(1), 8);
    if (v > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
    return { t: 'lit', c: v };
  }
  if (!DIGITS.includes(c) && !isAsciiLetter(c)) return { t: 'lit', c: escape.codePointAt(1)! };
  throw source.error(`bad escape ${escape}`, cpLen(escape));
}

function escapeNode(source: Tokenizer, escape: string, st: State, flags: number): Node {
  const ic = !!(flags & F.IGNORECASE);
  const cat = categoryOf(escape, flags);
  if (cat) return cat;
  if (escape in ESCAPES && escape !== '\\b') return { t: 'lit', c: ESCAPES[escape], ic };
  const n = numericEscape(source, escape);
  if (n !== null) return { t: 'lit', c: n, ic };
  const c = escape[1];
  if (c === '0') {
    escape += source.getwhile(2, OCTDIGITS);
    return { t: 'lit', c: parseInt(escape.slice(1), 8), ic };
  }
  if (DIGITS.includes(c)) {
    if (source.next !== null && DIGITS.includes(source.next)) {
      escape += source.get();
      if (OCTDIGITS.includes(escape[1]) && OCTDIGITS.includes(escape[2]) && source.next !== null && OCTDIGITS.includes(source.next)) {
        escape += source.get();
        const v = parseInt(escape.slice(1), 8);
        if (v > 0o377) throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
        return { t: 'lit', c: v, ic };
      }
    }
    const group = parseInt(escape.slice(1), 10);
    if (group < st.groups) {
      if (!st.checkgroup(group)) throw source.error('cannot refer to an open group', escape.length);
      st.checklookbehindgroup(group, source);
      return { t: 'ref', g: group };
    }
    throw source.error(`invalid group reference ${group}`, escape.length - 1);
  }
  if (!isAsciiLetter(c)) return { t: 'lit', c: escape.codePointAt(1)!, ic };
  throw source.error(`bad escape ${escape}`, cpLen(escape));
}

/** _parse_sub: an alternation. */
function parseSub(source: Tokenizer, st: State, verbose: boolean, nested: number, sc: Scope): Node[] {
  const items: Node[][] = [];
  for (;;) {
    items.push(parseSeq(source, st, verbose, nested + 1, !nested && !items.length, sc));
    if (!source.match('|')) break;
    if (!nested) verbose = !!(st.flags & F.VERBOSE);
  }
  return items.length === 1 ? items[0] : [{ t: 'alt', alts: items }];
}

/** _parse_flags: returns null for global flags `(?i)`, else the scoped add/del masks. */
function parseFlags(source: Tokenizer, st: State, ch: string | null): Scope | null {
  let add = 0;
  let del = 0;
  if (ch !== '-') {
    for (;;) {
      const flag = FLAG_LETTERS[ch!];
      if (ch === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      ch = source.get();
      if (ch === null) throw source.error('missing -, : or )');
      if (')-:'.includes(ch)) break;
      if (!(ch in FLAG_LETTERS)) throw source.error(/^\p{L}$/u.test(ch) ? 'unknown flag' : 'missing -, : or )', cpLen(ch));
    }
  }
  if (ch === ')') {
    st.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (ch === '-') {
    ch = source.get();
    if (ch === null) throw source.error('missing flag');
    if (!(ch in FLAG_LETTERS)) throw source.error(/^\p{L}$/u.test(ch) ? 'unknown flag' : 'missing flag', cpLen(ch));
    for (;;) {
      const flag = FLAG_LETTERS[ch];
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      ch = source.get();
      if (ch === null) throw source.error('missing :');
      if (ch === ':') break;
      if (!(ch in FLAG_LETTERS)) throw source.error(/^\p{L}$/u.test(ch) ? 'unknown flag' : 'missing :', cpLen(ch));
    }
  }
  if (del & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (add & del) throw source.error('bad inline flags: flag turned on and off', 1);
  return { add, del };
}

/** _parse: a sequence of items up to `|`, `)` or the end. */
function parseSeq(source: Tokenizer, st: State, verbose: boolean, nested: number, first: boolean, sc: Scope): Node[] {
  const seq: Node[] = [];
  for (;;) {
    const ch = source.next;
    if (ch === null || ch === '|' || ch === ')') break;
    source.get();
    const flags = eff(st, sc);
    const ic = !!(flags & F.IGNORECASE);
    if (verbose) {
      if (WHITESPACE.includes(ch)) continue;
      if (ch === '#') {
        for (;;) {
          const c = source.get();
          if (c === null || c === '\n') break;
        }
        continue;
      }
    }
    if (ch[0] === '\\') seq.push(escapeNode(source, ch, st, flags));
    else if (!SPECIAL_CHARS.includes(ch)) seq.push({ t: 'lit', c: ch.codePointAt(0)!, ic });
    else if (ch === '[') seq.push(parseSet(source, flags));
    else if ('*+?{'.includes(ch)) {
      const here = source.tell();
      let min = 0;
      let max = MAXREPEAT;
      if (ch === '?') max = 1;
      else if (ch === '+') min = 1;
      else if (ch === '{') {
        if (source.next === '}') {
          seq.push({ t: 'lit', c: 0x7b, ic });
          continue;
        }
        let lo = '';
        let hi = '';
        while (source.next !== null && DIGITS.includes(source.next)) lo += source.get();
        if (source.match(',')) while (source.next !== null && DIGITS.includes(source.next)) hi += source.get();
        else hi = lo;
        if (!source.match('}')) {
          seq.push({ t: 'lit', c: 0x7b, ic });
          source.seek(here);
          continue;
        }
        if (lo) {
          min = Number(lo);
          if (min >= MAXREPEAT) throw new RePyError('OverflowError', 'the repetition number is too large');
        }
        if (hi) {
          max = Number(hi);
          if (max >= MAXREPEAT) throw new RePyError('OverflowError', 'the repetition number is too large');
          if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
        }
      }
      const item = seq[seq.length - 1];
      if (!item || item.t === 'at') throw source.error('nothing to repeat', source.tell() - here + 1);
      if (item.t === 'rep') throw source.error('multiple repeat', source.tell() - here + 1);
      const body = item.t === 'group' && item.g === null ? item.body : [item];
      const mode = source.match('?') ? 'lazy' : source.match('+') ? 'poss' : 'greedy';
      seq[seq.length - 1] = { t: 'rep', min, max, mode, body };
    } else if (ch === '.') seq.push({ t: 'any', dotall: !!(flags & F.DOTALL) });
    else if (ch === '(') {
      const start = source.tell() - 1;
      let capture = true;
      let atomic = false;
      let name: string | null = null;
      let sub: Scope = sc;
      let addF = 0;
      let delF = 0;
      if (source.match('?')) {
        let c = source.get();
        if (c === null) throw source.error('unexpected end of pattern');
        if (c === 'P') {
          if (source.match('<')) {
            name = source.getuntil('>', 'group name');
            source.checkgroupname(name, 1);
          } else if (source.match('=')) {
            const ref = source.getuntil(')', 'group name');
            source.checkgroupname(ref, 1);
            const gid = st.groupdict.get(ref);
            if (gid === undefined) throw source.error(`unknown group name ${pyRepr(ref)}`, cpLen(ref) + 1);
            if (!st.checkgroup(gid)) throw source.error('cannot refer to an open group', cpLen(ref) + 1);
            st.checklookbehindgroup(gid, source);
            seq.push({ t: 'ref', g: gid });
            continue;
          } else {
            c = source.get();
            if (c === null) throw source.error('unexpected end of pattern');
            throw source.error(`unknown extension ?P${c}`, cpLen(c) + 2);
          }
        } else if (c === ':') capture = false;
        else if (c === '#') {
          for (;;) {
            if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
            if (source.get() === ')') break;
          }
          continue;
        } else if ('=!<'.includes(c)) {
          let behind = false;
          let lbg: number | null = null;
          if (c === '<') {
            c = source.get();
            if (c === null) throw source.error('unexpected end of pattern');
            if (!'=!'.includes(c)) throw source.error(`unknown extension ?<${c}`, cpLen(c) + 2);
            behind = true;
            lbg = st.lookbehindgroups;
            if (lbg === null) st.lookbehindgroups = st.groups;
          }
          const body = parseSub(source, st, verbose, nested + 1, sc);
          if (behind && lbg === null) st.lookbehindgroups = null;
          if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
          if (behind) {
            const [lo, hi] = widthOf(body, st);
            if (lo !== hi) throw new ReSyntax('look-behind requires fixed-width pattern', null);
          }
          seq.push({ t: 'look', behind, neg: c === '!', body });
          continue;
        } else if (c === '(') {
          source.getuntil(')', 'group name');
          throw source.error('conditional backreferences (?(...)...) are not supported by refscope');
        } else if (c === '>') {
          capture = false;
          atomic = true;
        } else if (c in FLAG_LETTERS || c === '-') {
          const fl = parseFlags(source, st, c);
          if (fl === null) {
            if (!first || seq.length) throw source.error('global flags not at the start of the expression', source.tell() - start);
            verbose = !!(st.flags & F.VERBOSE);
            continue;
          }
          sub = { add: (sc.add | fl.add) & ~fl.del, del: (sc.del | fl.del) & ~fl.add };
          addF = fl.add;
          delF = fl.del;
          capture = false;
        } else throw source.error(`unknown extension ?${c}`, cpLen(c) + 1);
      }
      let group: number | null = null;
      if (capture) {
        try {
          group = st.opengroup(name);
        } catch (e) {
          if (e instanceof ReSyntax) throw source.error(e.msg, cpLen(name ?? '') + 1);
          throw e;
        }
      }
      const subVerbose = (verbose || !!(addF & F.VERBOSE)) && !(delF & F.VERBOSE);
      const body = parseSub(source, st, subVerbose, nested + 1, sub);
      if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
      if (group !== null) st.closegroup(group, body);
      seq.push(atomic ? { t: 'atomic', body } : { t: 'group', g: group, body });
    } else if (ch === '^') seq.push({ t: 'at', at: 'bol', ml: !!(flags & F.MULTILINE), ascii: false });
    else if (ch === '$') seq.push({ t: 'at', at: 'eol', ml: !!(flags & F.MULTILINE), ascii: false });
  }
  return seq;
}

function parseSet(source: Tokenizer, flags: number): Node {
  const here = source.tell() - 1;
  const items: SetItem[] = [];
  const neg = source.match('^');
  for (;;) {
    const ch = source.get();
    if (ch === null) throw source.error('unterminated character set', source.tell() - here);
    if (ch === ']' && items.length) break;
    const code1: SetItem = ch[0] === '\\' ? classEscape(source, ch) : { t: 'lit', c: ch.codePointAt(0)! };
    if (source.match('-')) {
      const that = source.get();
      if (that === null) throw source.error('unterminated character set', source.tell() - here);
      if (that === ']') {
        items.push(code1, { t: 'lit', c: 0x2d });
        break;
      }
      const code2: SetItem = that[0] === '\\' ? classEscape(source, that) : { t: 'lit', c: that.codePointAt(0)! };
      const msg = `bad character range ${ch}-${that}`;
      if (code1.t !== 'lit' || code2.t !== 'lit' || code2.c < code1.c) throw source.error(msg, cpLen(ch) + 1 + cpLen(that));
      items.push({ t: 'range', lo: code1.c, hi: code2.c });
    } else items.push(code1);
  }
  return { t: 'set', neg, items, ic: !!(flags & F.IGNORECASE), ascii: !!(flags & F.ASCII) };
}

// =============================================================== emitting

const hex = (c: number) => `\\u{${c.toString(16)}}`;
/** A code point as JS source, safe both in and out of a `v`-mode class. */
const esc = (c: number) => ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? String.fromCharCode(c) : hex(c));
/** str.isspace() code points (what `\s` matches in a str pattern). */
const UNI_SPACE = '\\t\\n\\u{b}\\u{c}\\r\\u{1c}-\\u{1f} \\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';
/** Class contents of the positive categories. */
function catBody(cat: 'd' | 's' | 'w', ascii: boolean): string {
  if (cat === 'd') return ascii ? '0-9' : '\\p{Nd}';
  if (cat === 's') return ascii ? ' \\t\\n\\r\\u{c}\\u{b}' : UNI_SPACE;
  // str.isalnum() or '_': letters and every numeric category.
  return ascii ? 'a-zA-Z0-9_' : '\\p{L}\\p{Nd}\\p{Nl}\\p{No}_';
}
/** A category as a JS class, usable alone or nested in a `v` class. */
function catClass(cat: Cat, ascii: boolean): string {
  const lower = cat.toLowerCase() as 'd' | 's' | 'w';
  return `[${cat === lower ? '' : '^'}${catBody(lower, ascii)}]`;
}

/** Other-case forms of a code point (single code points only). */
function caseVariants(c: number): number[] {
  const s = String.fromCodePoint(c);
  const out = new Set<number>([c]);
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    const cps = Array.from(v);
    if (cps.length === 1) out.add(cps[0].codePointAt(0)!);
  }
  // Unicode's simple folds that lower/upper miss (ſ→s, K→k, ...).
  for (const v of Array.from(out)) for (const w of [String.fromCodePoint(v).toLowerCase()]) if (Array.from(w).length === 1) out.add(w.codePointAt(0)!);
  return [...out];
}

interface Emitted {
  source: string;
  /** Python group number → JS group number. */
  jsIndex: number[];
  /** May return an empty match where a non-empty one exists at the same place (lazy repeats, alternations). */
  mayPreferEmpty: boolean;
}

function emit(seq: Node[], groups: number, globalIC: boolean): Emitted {
  let js = 0;
  const jsIndex = new Array<number>(groups).fill(0);
  let mayPreferEmpty = false;
  const ci = (ic: boolean) => {
    if (!ic && globalIC) throw new ReSyntax('turning IGNORECASE off inside an IGNORECASE pattern is not supported by refscope', null);
    return ic && !globalIC;
  };
  const setItems = (items: SetItem[], ascii: boolean, expand: boolean): string => {
    let out = '';
    for (const it of items) {
      if (it.t === 'lit') out += expand ? caseVariants(it.c).map(esc).join('') : esc(it.c);
      else if (it.t === 'range') {
        out += `${esc(it.lo)}-${esc(it.hi)}`;
        if (expand && it.hi - it.lo < 4096) for (let c = it.lo; c <= it.hi; c++) for (const v of caseVariants(c)) if (v < it.lo || v > it.hi) out += esc(v);
      } else out += it.cat === it.cat.toLowerCase() ? catBody(it.cat as 'd' | 's' | 'w', ascii) : catClass(it.cat, ascii);
    }
    return out;
  };
  const wordAt = (at: 'b' | 'B', ascii: boolean) => {
    const w = catClass('w', ascii);
    return at === 'b' ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
  };
  const one = (n: Node): string => {
    switch (n.t) {
      case 'lit':
        return ci(n.ic) && caseVariants(n.c).length > 1 ? `[${caseVariants(n.c).map(esc).join('')}]` : esc(n.c);
      case 'set':
        return `[${n.neg ? '^' : ''}${setItems(n.items, n.ascii, ci(n.ic))}]`;
      case 'cat':
        return catClass(n.cat, n.ascii);
      case 'any':
        return n.dotall ? '[\\s\\S]' : '[^\\n]';
      case 'at':
        switch (n.at) {
          case 'bol':
            return n.ml ? '(?<![^\\n])' : '^';
          case 'eol':
            return n.ml ? '(?![^\\n])' : '(?=\\n?$)';
          case 'A':
            return '^';
          case 'Z':
            return '$';
          default:
            return wordAt(n.at, n.ascii);
        }
      case 'ref':
        return `(?:\\${jsIndex[n.g]})`;
      case 'group':
        if (n.g === null) return `(?:${many(n.body)})`;
        jsIndex[n.g] = ++js;
        return `(${many(n.body)})`;
      case 'alt':
        mayPreferEmpty = true;
        return `(?:${n.alts.map(many).join('|')})`;
      case 'look':
        return `(?${n.behind ? '<' : ''}${n.neg ? '!' : '='}${many(n.body)})`;
      case 'atomic': {
        const k = ++js;
        return `(?=(${many(n.body)}))\\${k}`;
      }
      case 'rep': {
        const q = n.min === 0 && n.max === MAXREPEAT ? '*' : n.min === 1 && n.max === MAXREPEAT ? '+' : n.min === 0 && n.max === 1 ? '?' : n.max === MAXREPEAT ? `{${n.min},}` : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
        if (n.mode === 'lazy') mayPreferEmpty = true;
        if (n.mode === 'poss') {
          const k = ++js;
          return `(?=(${atom(n.body)}${q}))\\${k}`;
        }
        return `${atom(n.body)}${q}${n.mode === 'lazy' ? '?' : ''}`;
      }
    }
  };
  /** A repeated body as one JS atom (JS cannot quantify a bare lookaround). */
  const atom = (body: Node[]): string => {
    if (body.length === 1) {
      const n = body[0];
      if (n.t === 'lit' || n.t === 'set' || n.t === 'cat' || n.t === 'any' || n.t === 'ref' || (n.t === 'group' && n.g !== null)) return one(n);
    }
    return `(?:${many(body)})`;
  };
  const many = (s: Node[]): string => s.map(one).join('');
  const source = many(seq);
  return { source, jsIndex, mayPreferEmpty };
}

/** A compiled pattern: the JS regexes and the Python-side group facts. */
export interface Program {
  /** Python flags, UNICODE added for str patterns as fix_flags does. */
  flags: number;
  /** Number of capturing groups. */
  groups: number;
  groupindex: Map<string, number>;
  jsIndex: number[];
  closeOrder: number[];
  source: string;
  jsFlags: string;
  mayPreferEmpty: boolean;
  search: RegExp;
  match: RegExp;
  full: RegExp;
}

/**
 * Translates a Python pattern to a Program; throws ReSyntax (re.error) or
 * RePyError for patterns CPython rejects or refscope cannot translate.
 *
 * @example translate('(?P<n>\\d+)$', 0).groupindex.get('n') // 1
 */
export function translate(pattern: string, flags: number): Program {
  if (flags & F.LOCALE) throw new RePyError('ValueError', 'cannot use LOCALE flag with a str pattern');
  const source = new Tokenizer(pattern);
  const st = new State(flags);
  const seq = parseSub(source, st, !!(flags & F.VERBOSE), 0, { add: 0, del: 0 });
  if (!(st.flags & F.ASCII)) st.flags |= F.UNICODE;
  else if (st.flags & F.UNICODE) throw new RePyError('ValueError', 'ASCII and UNICODE flags are incompatible');
  if (source.next !== null) throw source.error('unbalanced parenthesis');
  for (const [g, pos] of st.grouprefpos) if (g >= st.groups) throw new ReSyntax(`invalid group reference ${g}`, pos);
  const globalIC = !!(st.flags & F.IGNORECASE);
  const em = emit(seq, st.groups, globalIC);
  const jsFlags = globalIC ? 'iv' : 'v';
  let re: RegExp;
  try {
    re = new RegExp(em.source, jsFlags + 'dg');
  } catch (e) {
    throw new ReSyntax(`cannot translate pattern to a JS RegExp: ${(e as Error).message}`, null);
  }
  return {
    flags: st.flags,
    groups: st.groups - 1,
    groupindex: st.groupdict,
    jsIndex: em.jsIndex,
    closeOrder: st.closeOrder,
    source: em.source,
    jsFlags,
    mayPreferEmpty: em.mayPreferEmpty,
    search: re,
    match: new RegExp(em.source, jsFlags + 'dy'),
    full: new RegExp(`(?:${em.source})$`, jsFlags + 'dy'),
  };
}

// =============================================================== matching

/** A subject string with code point ↔ UTF-16 index conversion. */
export class Subject {
  readonly cpLength: number;
  private u16: Int32Array | null = null;
  private cps: Int32Array | null = null;
  constructor(readonly s: string) {
    let n = 0;
    let astral = false;
    for (let i = 0; i < s.length; i++, n++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          astral = true;
        }
      }
    }
    this.cpLength = n;
    if (astral) {
      this.u16 = new Int32Array(n + 1);
      this.cps = new Int32Array(s.length + 1);
      let u = 0;
      for (let k = 0; k < n; k++) {
        this.u16[k] = u;
        this.cps[u] = k;
        const c = s.codePointAt(u)!;
        u += c > 0xffff ? 2 : 1;
        if (c > 0xffff) this.cps[u - 1] = k;
      }
      this.u16[n] = u;
      this.cps[u] = n;
    }
  }
  /** UTF-16 index of code point index `cp`. */
  u(cp: number): number {
    return this.u16 ? this.u16[cp] : cp;
  }
  /** Code point index of UTF-16 index `u`. */
  cp(u: number): number {
    return this.cps ? this.cps[u] : u;
  }
  slice(a: number, b: number): string {
    return this.s.slice(this.u(a), this.u(b));
  }
}

export type Mode = 'match' | 'search' | 'full';

/**
 * One match attempt; returns the group spans in code points (2 per group,
 * -1 for groups that did not take part), or null.
 * `mustAdvance`: an empty match at `pos` is not acceptable (the scanning rule).
 */
export function execProgram(p: Program, subj: Subject, pos: number, endpos: number, mode: Mode, mustAdvance = false): number[] | null {
  if (endpos < pos) return null;
  const endU = subj.u(endpos);
  const text = endU < subj.s.length ? subj.s.slice(0, endU) : subj.s;
  const posU = subj.u(pos);
  const re = mode === 'search' ? p.search : mode === 'match' ? p.match : p.full;
  re.lastIndex = posU;
  let m = re.exec(text);
  if (m && mustAdvance && m.index === posU && m[0].length === 0) {
    m = null;
    if (p.mayPreferEmpty) {
      // A non-empty match at the same start, if the engine would find one after backtracking.
      const r = new RegExp(`(?:${p.source})(?<=^[\\s\\S]{${pos + 1},})`, p.jsFlags + 'dy');
      r.lastIndex = posU;
      m = r.exec(text);
    }
    if (!m && mode === 'search' && posU < text.length) {
      re.lastIndex = posU + (text.codePointAt(posU)! > 0xffff ? 2 : 1);
      m = re.exec(text);
    }
  }
  if (!m) return null;
  const ind = m.indices!;
  const spans = new Array<number>(2 * (p.groups + 1)).fill(-1);
  for (let g = 0; g <= p.groups; g++) {
    const span = ind[g === 0 ? 0 : p.jsIndex[g]];
    if (span) {
      spans[2 * g] = subj.cp(span[0]);
      spans[2 * g + 1] = subj.cp(span[1]);
    }
  }
  return spans;
}

/** Match.lastindex: the matched group closed last (latest end, then latest `)`). */
function lastIndexOf(p: Program, spans: number[]): number {
  let best = -1;
  for (let g = 1; g <= p.groups; g++) {
    if (spans[2 * g] < 0) continue;
    if (best < 0 || spans[2 * g + 1] > spans[2 * best + 1] || (spans[2 * g + 1] === spans[2 * best + 1] && p.closeOrder[g] > p.closeOrder[best])) best = g;
  }
  return best;
}

// ============================================================== templates

/** A parsed replacement: literal strings and group numbers, in order. */
type Template = (string | number)[];

/** _parser.parse_template. */
function parseTemplate(repl: string, p: Program): Template {
  const s = new Tokenizer(repl);
  const out: Template = [];
  let lit = '';
  const addgroup = (index: number, offset: number) => {
    if (index > p.groups) throw s.error(`invalid group reference ${index}`, offset);
    if (lit) out.push(lit);
    lit = '';
    out.push(index);
  };
  for (;;) {
    let ch = s.get();
    if (ch === null) break;
    if (ch[0] !== '\\') {
      lit += ch;
      continue;
    }
    const c = ch[1];
    if (c === 'g') {
      if (!s.match('<')) throw s.error('missing <');
      const name = s.getuntil('>', 'group name');
      let index: number;
      if (isIdentifier(name)) {
        const g = p.groupindex.get(name);
        if (g === undefined) throw new RePyError('IndexError', `unknown group name ${pyRepr(name)}`);
        index = g;
      } else {
        if (!/^\p{Nd}+$/u.test(name) || !/^[0-9]+$/.test(name)) throw s.error(`bad character in group name ${pyRepr(name)}`, cpLen(name) + 1);
        index = Number(name);
        if (index >= MAXGROUPS) throw s.error(`invalid group reference ${index}`, cpLen(name) + 1);
      }
      addgroup(index, cpLen(name) + 1);
    } else if (c === '0') {
      if (s.next !== null && OCTDIGITS.includes(s.next)) {
        ch += s.get();
        if (s.next !== null && OCTDIGITS.includes(s.next)) ch += s.get();
      }
      lit += String.fromCharCode(parseInt(ch.slice(1), 8) & 0xff);
    } else if (DIGITS.includes(c)) {
      let octal = false;
      if (s.next !== null && DIGITS.includes(s.next)) {
        ch += s.get();
        if (OCTDIGITS.includes(c) && OCTDIGITS.includes(ch[2]) && s.next !== null && OCTDIGITS.includes(s.next)) {
          ch += s.get();
          octal = true;
          const v = parseInt(ch.slice(1), 8);
          if (v > 0o377) throw s.error(`octal escape value ${ch} outside of range 0-0o377`, ch.length);
          lit += String.fromCharCode(v);
        }
      }
      if (!octal) addgroup(Number(ch.slice(1)), ch.length - 1);
    } else if (ch in ESCAPES) lit += String.fromCharCode(ESCAPES[ch]);
    else if (isAsciiLetter(c)) throw s.error(`bad escape ${ch}`, ch.length);
    else lit += ch;
  }
  if (lit) out.push(lit);
  return out;
}

// ================================================================ objects

interface PatternState {
  prog: Program;
  /** Parsed replacement templates (CPython's _compile_repl cache). */
  templates: Map<string, Template>;
}

interface MatchState {
  spans: number[];
  pos: number;
  endpos: number;
  lastindex: number;
  subj: Subject;
}

interface ScannerState {
  pos: number;
  endpos: number;
  mustAdvance: boolean;
  subj: Subject;
}

export function installRe(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;

  // sys.getsizeof reports tp_basicsize for these layouts, so it shows the
  // size of the commonest instances (a one-literal pattern, a match without
  // groups); the allocations themselves are sized per instance.
  const patternT = rt.defineStaticType('Pattern', 'other', true, 144);
  patternT.moduleName = 're';
  const matchT = rt.defineStaticType('Match', 'other', true, 104);
  matchT.moduleName = 're';
  const scannerT = rt.defineStaticType('SRE_Scanner', 'other', true, 104);
  scannerT.moduleName = '_sre';

  const isCallable = (f: PyObject): boolean => {
    const r = it.call(it.dictGetStr(it.builtins, 'callable')!, [f]);
    it.decref(r);
    return r === rt.True;
  };
  const PS = (o: PyObject) => (o as PyHolder).state as PatternState;
  const MS = (o: PyObject) => (o as PyHolder).state as MatchState;
  const subjects = new WeakMap<PyStr, Subject>();
  const subjectOf = (s: PyStr): Subject => {
    let x = subjects.get(s);
    if (!x) subjects.set(s, (x = new Subject(s.v)));
    return x;
  };

  // The module's mutable state, made when `re` is first imported.
  let errorType: PyType | null = null;
  let cache: PyDict | null = null;

  const raiseError = (e: ReSyntax, pattern: string): never => {
    let msg = e.msg;
    let lineno: number | null = null;
    let colno: number | null = null;
    if (e.pos !== null) {
      const before = Array.from(pattern).slice(0, e.pos).join('');
      msg = `${msg} at position ${e.pos}`;
      lineno = before.split('\n').length;
      colno = e.pos - (before.lastIndexOf('\n') < 0 ? -1 : cpLen(before.slice(0, before.lastIndexOf('\n'))));
      if (pattern.includes('\n')) msg = `${msg} (line ${lineno}, column ${colno})`;
    }
    const exc = it.newExc(errorType ?? it.exc.Exception, msg);
    const attrs: [string, PyObject][] = [
      ['msg', it.str(e.msg)],
      ['pattern', e.pos === null ? it.none() : it.str(pattern)],
      ['pos', e.pos === null ? it.none() : it.int(e.pos)],
      ['lineno', lineno === null ? it.none() : it.int(lineno)],
      ['colno', colno === null ? it.none() : it.int(colno)],
    ];
    for (const [k, v] of attrs) {
      it.setattr(exc, k, v);
      it.decref(v);
    }
    throw new PyExc(exc);
  };
  /** Runs parser code, turning its JS errors into Python exceptions. */
  const guarded = <T>(pattern: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ReSyntax) raiseError(e, pattern);
      if (e instanceof RePyError) it.raise(e.pyType, e.message);
      throw e;
    }
  };

  // ---------------------------------------------------------- arguments
  /**
   * Binds positional and keyword arguments to `names` (the first `required`
   * mandatory), with CPython's messages: Python-function style for the
   * module functions, argument-clinic style for methods.
   */
  const bind = (fname: string, args: Args, kwnames: string[] | null, names: string[], required: number, method: boolean): (PyObject | undefined)[] => {
    const [a, k] = splitArgs(args, kwnames);
    if (a.length > names.length) {
      if (method) it.typeError(`${fname}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${a.length + k.size} given)`);
      it.typeError(`${fname}() takes from ${required} to ${names.length} positional arguments but ${a.length} were given`);
    }
    const out: (PyObject | undefined)[] = names.map((_, i) => a[i]);
    for (const [key, v] of k) {
      const i = names.indexOf(key);
      if (i < 0) it.typeError(`${fname}() got an unexpected keyword argument '${key}'`);
      if (out[i] !== undefined) it.typeError(method ? `argument for ${fname}() given by name ('${key}') and position (${i + 1})` : `${fname}() got multiple values for argument '${key}'`);
      out[i] = v;
    }
    const missing = names.slice(0, required).filter((_, i) => out[i] === undefined);
    if (missing.length) {
      if (method) it.typeError(`${fname}() missing required argument '${missing[0]}' (pos ${names.indexOf(missing[0]) + 1})`);
      const list = missing.map((n) => `'${n}'`);
      const joined = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
      it.typeError(`${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${joined}`);
    }
    return out;
  };
  const subjectArg = (o: PyObject): PyStr => {
    if (o instanceof PyStr) return o;
    it.typeError(`expected string or bytes-like object, got '${it.typeName(o)}'`);
  };
  const intArg = (o: PyObject | undefined, dflt: number): number => (o === undefined ? dflt : toIndex(it, o));
  /** pos/endpos clamped into [0, len], as _sre's state_init. */
  const window = (s: PyStr, posO: PyObject | undefined, endO: PyObject | undefined): [number, number] => {
    const n = subjectOf(s).cpLength;
    const clamp = (v: number) => (v < 0 ? 0 : v > n ? n : v);
    return [clamp(intArg(posO, 0)), clamp(endO === undefined ? n : intArg(endO, n))];
  };

  // ------------------------------------------------------------ objects
  /** A slice of a str as a new reference (the string itself when whole, as PyUnicode_Substring). */
  const slice = (s: PyStr, subj: Subject, a: number, b: number): PyObject => (a === 0 && b === subj.cpLength && s.ob_type === t.str ? it.incref(s) : it.str(subj.slice(a, b)));

  const newPattern = (pattern: PyStr, prog: Program): PyHolder => {
    let gi: PyDict | null = null;
    let ig: PyTuple | null = null;
    if (prog.groupindex.size) {
      gi = rt.newDict();
      const names: (string | null)[] = new Array(prog.groups + 1).fill(null);
      for (const [name, g] of prog.groupindex) {
        const v = it.int(g);
        it.dictSetStr(gi, name, v);
        names[g] = name;
      }
      ig = rt.newTuple(names.map((n) => (n === null ? it.none() : it.str(n))));
    }
    const bytes = 136 + 8 * subjectOf(pattern).cpLength;
    return rt.newHolder(patternT, [gi, ig, it.incref(pattern)], { prog, templates: new Map() } satisfies PatternState, bytes);
  };
  const newMatch = (pat: PyObject, s: PyStr, spans: number[], pos: number, endpos: number, subj: Subject): PyHolder => {
    const prog = PS(pat).prog;
    const st: MatchState = { spans, pos, endpos, lastindex: lastIndexOf(prog, spans), subj };
    return rt.newHolder(matchT, [it.incref(s), null, it.incref(pat)], st, 88 + 16 * (prog.groups + 1));
  };

  /** re._compile: the cache lookup, then translation. */
  const compile = (pattern: PyObject, flagsO: PyObject | undefined): PyObject => {
    const flags = intArg(flagsO, 0);
    const key = rt.newTuple([it.incref(pattern.ob_type), it.incref(pattern), it.int(flags)]);
    try {
      const hit = it.dictGet(cache!, key);
      if (hit) return it.incref(hit);
      if (pattern.ob_type === patternT) {
        if (flags) it.raise('ValueError', 'cannot process flags argument with a compiled pattern');
        return it.incref(pattern);
      }
      if (!(pattern instanceof PyStr)) {
        if (pattern.ob_type === t.bytes) it.typeError('bytes patterns are not supported by refscope');
        it.typeError('first argument must be string or compiled pattern');
      }
      const prog = guarded(pattern.v, () => translate(pattern.v, flags));
      const p = newPattern(pattern, prog);
      if (!(flags & F.DEBUG)) {
        if (cache!.used >= MAXCACHE) rt.dictDeleteAt(cache!, cache!.firstEntry());
        it.dictSet(cache!, key, p);
      }
      return p;
    } finally {
      it.decref(key);
    }
  };

  const groupIndex = (m: PyObject, g: PyObject): number => {
    const prog = PS((m as PyHolder).refs[2]!).prog;
    if (g instanceof PyInt) {
      const i = Number(g.v);
      if (i >= 0 && i <= prog.groups) return i;
    } else if (g instanceof PyStr) {
      const i = prog.groupindex.get(g.v);
      if (i !== undefined) return i;
    }
    it.raise('IndexError', 'no such group');
  };
  const groupValue = (m: PyObject, g: number, dflt: PyObject): PyObject => {
    const h = m as PyHolder;
    const st = MS(h);
    const a = st.spans[2 * g];
    return a < 0 ? it.incref(dflt) : slice(h.refs[0] as PyStr, st.subj, a, st.spans[2 * g + 1]);
  };

  /** Match.expand / template substitution for one match. */
  const expand = (tpl: Template, m: PyHolder): string => {
    const st = MS(m);
    let out = '';
    for (const x of tpl) {
      if (typeof x === 'string') out += x;
      else if (st.spans[2 * x] >= 0) out += st.subj.slice(st.spans[2 * x], st.spans[2 * x + 1]);
    }
    return out;
  };
  const templateOf = (pat: PyObject, repl: string): Template => {
    const ps = PS(pat);
    let tpl = ps.templates.get(repl);
    if (!tpl) {
      tpl = guarded(repl, () => parseTemplate(repl, ps.prog));
      ps.templates.set(repl, tpl);
    }
    return tpl;
  };

  /** Calls `each(spans)` for successive matches, as _sre's scanning loops do; stops after `limit` (0: no limit) or when `each` returns false. */
  const scan = (prog: Program, subj: Subject, pos: number, endpos: number, limit: number, each: (spans: number[]) => void): void => {
    let start = pos;
    let mustAdvance = false;
    for (let n = 0; limit === 0 || n < limit; n++) {
      if (start > endpos) break;
      const spans = execProgram(prog, subj, start, endpos, 'search', mustAdvance);
      if (!spans) break;
      each(spans);
      mustAdvance = spans[1] === spans[0];
      start = spans[1];
    }
  };

  const doMatch = (pat: PyObject, s: PyStr, pos: number, endpos: number, mode: Mode): PyObject => {
    const subj = subjectOf(s);
    const spans = execProgram(PS(pat).prog, subj, pos, endpos, mode);
    return spans ? newMatch(pat, s, spans, pos, endpos, subj) : it.none();
  };

  const findall = (pat: PyObject, s: PyStr, pos: number, endpos: number): PyObject => {
    const prog = PS(pat).prog;
    const subj = subjectOf(s);
    const items: PyObject[] = [];
    const g = (spans: number[], i: number) => (spans[2 * i] < 0 ? it.str('') : slice(s, subj, spans[2 * i], spans[2 * i + 1]));
    scan(prog, subj, pos, endpos, 0, (spans) => {
      if (prog.groups === 0) items.push(g(spans, 0));
      else if (prog.groups === 1) items.push(g(spans, 1));
      else items.push(rt.newTuple(Array.from({ length: prog.groups }, (_, i) => g(spans, i + 1))));
    });
    return rt.newList(items);
  };

  const subx = (pat: PyObject, repl: PyObject, s: PyStr, count: number, withCount: boolean): PyObject => {
    const prog = PS(pat).prog;
    const subj = subjectOf(s);
    let literal: string | null = null;
    let tpl: Template | null = null;
    let fn: PyObject | null = null;
    if (repl instanceof PyStr) {
      if (!repl.v.includes('\\')) literal = repl.v;
      else {
        tpl = templateOf(pat, repl.v);
        if (tpl.length <= 1 && typeof (tpl[0] ?? '') === 'string') literal = (tpl[0] as string | undefined) ?? '';
      }
    } else if (isCallable(repl)) fn = repl;
    else it.typeError(`decoding to str: need a bytes-like object, ${it.typeName(repl)} found`);
    const parts: string[] = [];
    let last = 0;
    let n = 0;
    scan(prog, subj, 0, subj.cpLength, count < 0 ? -1 : count, (spans) => {
      if (last < spans[0]) parts.push(subj.slice(last, spans[0]));
      if (literal !== null) parts.push(literal);
      else {
        // Both a template and a callable see a fresh match object, as pattern_subx makes one.
        const m = newMatch(pat, s, spans, 0, subj.cpLength, subj);
        let r: PyObject;
        try {
          r = tpl ? it.str(expand(tpl, m)) : it.call(fn!, [m]);
        } finally {
          it.decref(m);
        }
        if (r !== rt.None) {
          if (!(r instanceof PyStr)) {
            const tn = it.typeName(r);
            it.decref(r);
            it.typeError(`sequence item ${parts.length}: expected str instance, ${tn} found`);
          }
          parts.push(r.v);
        }
        it.decref(r);
      }
      n++;
      last = spans[1];
    });
    let result: PyObject;
    if (n === 0 && s.ob_type === t.str) result = it.incref(s);
    else {
      if (last < subj.cpLength) parts.push(subj.slice(last, subj.cpLength));
      result = it.str(parts.join(''));
    }
    return withCount ? rt.newTuple([result, it.int(n)]) : result;
  };

  const split = (pat: PyObject, s: PyStr, maxsplit: number): PyObject => {
    const prog = PS(pat).prog;
    const subj = subjectOf(s);
    const items: PyObject[] = [];
    let last = 0;
    scan(prog, subj, 0, subj.cpLength, maxsplit < 0 ? -1 : maxsplit, (spans) => {
      items.push(slice(s, subj, last, spans[0]));
      for (let g = 1; g <= prog.groups; g++) items.push(spans[2 * g] < 0 ? it.none() : slice(s, subj, spans[2 * g], spans[2 * g + 1]));
      last = spans[1];
    });
    items.push(slice(s, subj, last, subj.cpLength));
    return rt.newList(items);
  };

  /** finditer: callable_iterator(scanner.search, None), as pattern_finditer builds it. */
  const newScanner = (pat: PyObject, s: PyStr, pos: number, endpos: number): PyHolder =>
    rt.newHolder(scannerT, [it.incref(pat), it.incref(s)], { pos, endpos, mustAdvance: false, subj: subjectOf(s) } satisfies ScannerState, 104);
  const scannerStep = (self: PyObject, mode: Mode): PyObject => {
    const h = self as PyHolder;
    const st = h.state as ScannerState;
    if (st.pos > st.endpos || st.pos < 0) return it.none();
    const spans = execProgram(PS(h.refs[0]!).prog, st.subj, st.pos, st.endpos, mode, st.mustAdvance);
    if (!spans) {
      st.pos = -1;
      return it.none();
    }
    st.mustAdvance = spans[1] === spans[0];
    const m = newMatch(h.refs[0]!, h.refs[1] as PyStr, spans, st.pos, st.endpos, st.subj);
    st.pos = spans[1];
    return m;
  };
  it.defineMethods(scannerT, {
    match: (self) => scannerStep(self!, 'match'),
    search: (self) => scannerStep(self!, 'search'),
  });
  defineGetset(it, scannerT, { pattern: (self) => it.incref((self as PyHolder).refs[0]!) });
  const finditer = (pat: PyObject, s: PyStr, pos: number, endpos: number): PyObject => {
    const sc = newScanner(pat, s, pos, endpos);
    const search = it.getattr(sc, 'search');
    it.decref(sc);
    return rt.newHolder(t.callable_iterator, [search, it.none()], { i: 0 }, 32);
  };

  // ------------------------------------------------------------- Pattern
  const windowed =
    (name: string, f: (pat: PyObject, s: PyStr, pos: number, endpos: number) => PyObject): NativeFn =>
    (self, args, kw) => {
      const [so, po, eo] = bind(name, args, kw, ['string', 'pos', 'endpos'], 1, true);
      const s = subjectArg(so!);
      const [pos, endpos] = window(s, po, eo);
      return f(self!, s, pos, endpos);
    };
  it.defineMethods(patternT, {
    match: windowed('match', (p, s, a, b) => doMatch(p, s, a, b, 'match')),
    search: windowed('search', (p, s, a, b) => doMatch(p, s, a, b, 'search')),
    fullmatch: windowed('fullmatch', (p, s, a, b) => doMatch(p, s, a, b, 'full')),
    findall: windowed('findall', findall),
    finditer: windowed('finditer', finditer),
    scanner: windowed('scanner', newScanner),
    split: (self, args, kw) => {
      const [so, mo] = bind('split', args, kw, ['string', 'maxsplit'], 1, true);
      return split(self!, subjectArg(so!), intArg(mo, 0));
    },
    sub: (self, args, kw) => {
      const [ro, so, co] = bind('sub', args, kw, ['repl', 'string', 'count'], 2, true);
      return subx(self!, ro!, subjectArg(so!), intArg(co, 0), false);
    },
    subn: (self, args, kw) => {
      const [ro, so, co] = bind('subn', args, kw, ['repl', 'string', 'count'], 2, true);
      return subx(self!, ro!, subjectArg(so!), intArg(co, 0), true);
    },
    __copy__: (self) => it.incref(self!),
    __deepcopy__: (self) => it.incref(self!),
  });
  defineGetset(it, patternT, {
    pattern: (self) => it.incref((self as PyHolder).refs[2]!),
    flags: (self) => it.int(PS(self).prog.flags),
    groups: (self) => it.int(PS(self).prog.groups),
    groupindex: (self) => {
      const d = rt.newDict();
      for (const [name, g] of PS(self).prog.groupindex) it.dictSetStr(d, name, it.int(g));
      return d;
    },
  });
  const flagsRepr = (flags: number): string => {
    let rest = flags;
    const names: string[] = [];
    // UNICODE is implied for str patterns and not shown.
    if ((flags & (F.LOCALE | F.UNICODE | F.ASCII)) === F.UNICODE) rest &= ~F.UNICODE;
    for (const [bit, name] of FLAG_NAMES) {
      if (rest & bit) {
        names.push(`re.${name}`);
        rest &= ~bit;
      }
    }
    if (rest) names.push(`0x${rest.toString(16)}`);
    return names.join('|');
  };
  it.nativeRepr.set(patternT, (o) => {
    const h = o as PyHolder;
    const pr = Array.from(it.reprString(h.refs[2]!)).slice(0, 200).join('');
    const fl = flagsRepr(PS(h).prog.flags);
    return fl ? `re.compile(${pr}, ${fl})` : `re.compile(${pr})`;
  });

  // --------------------------------------------------------------- Match
  const spanOf = (self: PyObject, args: Args, name: string): [number, number] => {
    if (args.length > 1) it.typeError(`${name} expected at most 1 argument, got ${args.length}`);
    const g = args.length ? groupIndex(self, args[0]) : 0;
    const sp = MS(self).spans;
    return [sp[2 * g], sp[2 * g + 1]];
  };
  it.defineMethods(matchT, {
    group: (self, args, kw) => {
      if (kw && kw.length) it.typeError('group() takes no keyword arguments');
      if (args.length <= 1) return groupValue(self!, args.length ? groupIndex(self!, args[0]) : 0, rt.None);
      const idx = args.map((a) => groupIndex(self!, a));
      return rt.newTuple(idx.map((g) => groupValue(self!, g, rt.None)));
    },
    groups: (self, args, kw) => {
      const [d] = bind('groups', args, kw, ['default'], 0, true);
      const n = PS((self as PyHolder).refs[2]!).prog.groups;
      return rt.newTuple(Array.from({ length: n }, (_, i) => groupValue(self!, i + 1, d ?? rt.None)));
    },
    groupdict: (self, args, kw) => {
      const [d] = bind('groupdict', args, kw, ['default'], 0, true);
      const out = rt.newDict();
      for (const [name, g] of PS((self as PyHolder).refs[2]!).prog.groupindex) it.dictSetStr(out, name, groupValue(self!, g, d ?? rt.None));
      return out;
    },
    start: (self, args) => it.int(spanOf(self!, args, 'start')[0]),
    end: (self, args) => it.int(spanOf(self!, args, 'end')[1]),
    span: (self, args) => {
      const [a, b] = spanOf(self!, args, 'span');
      return rt.newTuple([it.int(a), it.int(b)]);
    },
    expand: (self, args, kw) => {
      const [tO] = bind('expand', args, kw, ['template'], 1, true);
      const tpl = templateOf((self as PyHolder).refs[2]!, it.strString(tO!));
      return it.str(expand(tpl, self as PyHolder));
    },
    __getitem__: (self, args) => groupValue(self!, groupIndex(self!, args[0]), rt.None),
    __copy__: (self) => it.incref(self!),
    __deepcopy__: (self) => it.incref(self!),
  });
  it.nativeGetitem.set(matchT, (o, k) => groupValue(o, groupIndex(o, k), rt.None));
  defineGetset(it, matchT, {
    string: (self) => it.incref((self as PyHolder).refs[0]!),
    re: (self) => it.incref((self as PyHolder).refs[2]!),
    pos: (self) => it.int(MS(self).pos),
    endpos: (self) => it.int(MS(self).endpos),
    lastindex: (self) => (MS(self).lastindex < 0 ? it.none() : it.int(MS(self).lastindex)),
    lastgroup: (self) => {
      const li = MS(self).lastindex;
      for (const [name, g] of PS((self as PyHolder).refs[2]!).prog.groupindex) if (g === li) return it.str(name);
      return it.none();
    },
    regs: (self) => {
      // Made on first use and kept, as match_regs does.
      const h = self as PyHolder;
      if (!h.refs[1]) {
        const sp = MS(h).spans;
        h.refs[1] = rt.newTuple(Array.from({ length: sp.length / 2 }, (_, g) => rt.newTuple([it.int(sp[2 * g]), it.int(sp[2 * g + 1])])));
      }
      return it.incref(h.refs[1]);
    },
  });
  it.nativeRepr.set(matchT, (o) => {
    const h = o as PyHolder;
    const sp = MS(h).spans;
    const g0 = groupValue(h, 0, rt.None);
    const r = Array.from(it.reprString(g0)).slice(0, 50).join('');
    it.decref(g0);
    return `<re.Match object; span=(${sp[0]}, ${sp[1]}), match=${r}>`;
  });

  // -------------------------------------------------------------- module
  /** A module-level function: compile (through the cache), then call the Pattern method. */
  const viaPattern =
    (name: string, names: string[], required: number, run: (pat: PyObject, a: (PyObject | undefined)[]) => PyObject): NativeFn =>
    (_s, args, kw) => {
      const a = bind(name, args, kw, ['pattern', ...names, 'flags'], required + 1, false);
      const pat = compile(a[0]!, a[a.length - 1]);
      try {
        return run(pat, a.slice(1, -1));
      } finally {
        it.decref(pat);
      }
    };
  const whole = (f: (pat: PyObject, s: PyStr, pos: number, endpos: number) => PyObject) => (pat: PyObject, a: (PyObject | undefined)[]) => {
    const s = subjectArg(a[0]!);
    return f(pat, s, 0, subjectOf(s).cpLength);
  };
  const ESCAPED = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

  it.extraModules.set('re', () => {
    const m = makeModule(it, 're', {
      compile: (_s, args, kw) => {
        const [p, f] = bind('compile', args, kw, ['pattern', 'flags'], 1, false);
        return compile(p!, f);
      },
      match: viaPattern('match', ['string'], 1, whole((p, s, a, b) => doMatch(p, s, a, b, 'match'))),
      fullmatch: viaPattern('fullmatch', ['string'], 1, whole((p, s, a, b) => doMatch(p, s, a, b, 'full'))),
      search: viaPattern('search', ['string'], 1, whole((p, s, a, b) => doMatch(p, s, a, b, 'search'))),
      findall: viaPattern('findall', ['string'], 1, whole(findall)),
      finditer: viaPattern('finditer', ['string'], 1, whole(finditer)),
      sub: viaPattern('sub', ['repl', 'string', 'count'], 2, (p, a) => subx(p, a[0]!, subjectArg(a[1]!), intArg(a[2], 0), false)),
      subn: viaPattern('subn', ['repl', 'string', 'count'], 2, (p, a) => subx(p, a[0]!, subjectArg(a[1]!), intArg(a[2], 0), true)),
      split: viaPattern('split', ['string', 'maxsplit'], 1, (p, a) => split(p, subjectArg(a[0]!), intArg(a[1], 0))),
      escape: (_s, args, kw) => {
        const [p] = bind('escape', args, kw, ['pattern'], 1, false);
        const s = it.strString(p!);
        let out = '';
        for (const ch of s) out += ESCAPED.has(ch) ? '\\' + ch : ch;
        return it.str(out);
      },
      purge: () => {
        rt.dictClear(cache!);
        return it.none();
      },
    });
    const typeFn = it.dictGetStr(it.builtins, 'type')!;
    const ns = rt.newDict();
    it.dictSetStr(ns, '__module__', it.str('re'));
    it.dictSetStr(ns, '__qualname__', it.str('error'));
    const name = it.str('error');
    const bases = rt.newTuple([it.incref(it.exc.Exception)]);
    try {
      errorType = it.call(typeFn, [name, bases, ns]) as PyType;
    } finally {
      it.decref(name);
      it.decref(bases);
      it.decref(ns);
    }
    moduleSet(it, m, 'error', errorType);
    moduleSet(it, m, 'Pattern', it.incref(patternT));
    moduleSet(it, m, 'Match', it.incref(matchT));
    for (const [bit, fname] of FLAG_NAMES) moduleSet(it, m, fname, it.int(bit));
    for (const [letter, bit] of Object.entries({ I: F.IGNORECASE, L: F.LOCALE, M: F.MULTILINE, S: F.DOTALL, U: F.UNICODE, X: F.VERBOSE, A: F.ASCII, T: F.TEMPLATE })) moduleSet(it, m, letter, it.int(bit));
    moduleSet(it, m, 'NOFLAG', it.int(0));
    // Borrowed: the module's dict owns the cache, as re/__init__.py's global does.
    cache = rt.newDict();
    moduleSet(it, m, '_cache', cache);
    moduleSet(it, m, '_MAXCACHE', it.int(MAXCACHE));
    return m;
  });
}
