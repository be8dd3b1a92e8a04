// Python tokenizer, faithful to CPython's `Parser/tokenizer.c` where errors are
// concerned: indentation (INDENT/DEDENT with the tab/space consistency check),
// bracket matching, unterminated strings, malformed numbers.
//
// Tokenizer errors are not thrown at once. CPython's parser only meets a
// tokenizer error when it reads that far, and a generic "invalid syntax"
// re-tokenizes the rest of the file so that a later tokenizer error wins; a
// specific parser error (e.g. "expected ':'") that happens earlier wins over
// it. So the token list ends with an ERRORTOKEN carrying the error, and the
// parser decides (see `Parser.fail`).
//
// Offsets are UTF-16 indices into the source; `SourceText` converts them to
// CPython's columns (UTF-8 bytes for the AST, characters for SyntaxError).

import { PySyntaxError, type SyntaxErrorType } from './errors.js';

/** CPython's tokenizer limits (tokenizer.h): nested brackets and indentation levels. */
const MAXLEVEL = 200;
const MAXINDENT = 100;

export const enum T {
  /** identifier or keyword */
  NAME,
  NUMBER,
  /** one string literal including prefix and quotes (f-strings too) */
  STRING,
  /** operator or delimiter */
  OP,
  /** end of a logical line; zero width, placed at the line's end */
  NEWLINE,
  /** `value` is the indentation width in characters */
  INDENT,
  DEDENT,
  ENDMARKER,
  /** a pending tokenizer error (see `Token.error`) */
  ERRORTOKEN,
}

export interface Token {
  type: T;
  value: string;
  start: number;
  end: number;
  /** bracket depth before this token */
  level: number;
  error?: PendingError;
}

export interface PendingError {
  type: SyntaxErrorType;
  msg: string;
  /** UTF-16 offset the error points at; `offset` overrides the computed column. */
  at: number;
  endAt: number;
  lineno?: number;
  offset?: number;
  endOffset?: number;
}

/** Line table over a source string, converting offsets to CPython positions. */
export class SourceText {
  readonly lineStarts: number[] = [0];
  constructor(readonly src: string, readonly filename: string) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }
  /** 1-based line of an offset. */
  line(off: number): number {
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= off) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }
  /**
   * Per line (0-based), whether it is all ASCII, found on first use: then
   * columns are plain offsets, and a very long line (a generated
   * expression) costs no rescan per AST node.
   */
  private readonly asciiLines: Array<boolean | undefined> = [];
  private asciiLine(lineno: number): boolean {
    let a = this.asciiLines[lineno - 1];
    if (a === undefined) {
      const start = this.lineStarts[lineno - 1];
      const end = lineno < this.lineStarts.length ? this.lineStarts[lineno] : this.src.length;
      a = !/[^\x00-\x7f]/.test(this.src.slice(start, end));
      this.asciiLines[lineno - 1] = a;
    }
    return a;
  }
  /** 0-based UTF-8 byte column (CPython's col_offset). */
  byteCol(off: number, lineno = this.line(off)): number {
    const start = this.lineStarts[lineno - 1];
    if (this.asciiLine(lineno)) return off - start;
    let n = 0;
    for (let i = start; i < off; i++) {
      const c = this.src.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }
  /** 0-based code point column. */
  charCol(off: number): number {
    const lineno = this.line(off);
    const start = this.lineStarts[lineno - 1];
    if (this.asciiLine(lineno)) return off - start;
    let n = 0;
    for (let i = start; i < off; i++) {
      const c = this.src.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) i++;
      n++;
    }
    return n;
  }
  /** The text of a 1-based line including its newline ('' past the end). */
  lineText(lineno: number): string {
    if (lineno < 1 || lineno > this.lineStarts.length) return '';
    const s = this.lineStarts[lineno - 1];
    const e = lineno < this.lineStarts.length ? this.lineStarts[lineno] : this.src.length;
    return this.src.slice(s, e);
  }
  /** A SyntaxError spanning [at, endAt) (character columns, 1-based). */
  error(type: SyntaxErrorType, msg: string, at: number, endAt: number): PySyntaxError {
    const lineno = this.line(at);
    const endLine = this.line(Math.max(at, endAt));
    return new PySyntaxError(type, msg, this.filename, lineno, this.charCol(at) + 1, endLine,
      this.charCol(endAt) + 1, this.lineText(lineno));
  }
  /** Converts a pending tokenizer error into the thrown value. */
  pending(p: PendingError): PySyntaxError {
    const e = this.error(p.type, p.msg, p.at, p.endAt);
    if (p.lineno !== undefined) { e.lineno = p.lineno; e.end_lineno = p.lineno; e.text = this.lineText(p.lineno); }
    if (p.offset !== undefined) e.offset = p.offset;
    if (p.endOffset !== undefined) e.end_offset = p.endOffset;
    return e;
  }
}

const OPS3 = ['**=', '//=', '>>=', '<<=', '...', '!='];
const OPS2 = ['**', '//', '>>', '<<', '<=', '>=', '==', '!=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':=', '<>'];
const OPS3_FIRST = '*/><.!';
const OPS1 = '+-*/%@&|^~<>()[]{},:;.=`';
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function isIdStart(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 0x80) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95;
  return (c.charCodeAt(0) >= 0x80 && /[\p{L}\p{Nl}_]/u.test(c));
}
function isIdChar(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 0x80) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95;
  return (c.charCodeAt(0) >= 0x80 && /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u.test(c));
}

/** String prefixes accepted before a quote, per profile. */
function isStringPrefix(p: string, py2: boolean): boolean {
  const l = p.toLowerCase();
  if (py2) return ['r', 'u', 'b', 'ur', 'br'].includes(l);
  return ['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf'].includes(l);
}

/**
 * Tokenizes `src` (the whole file, or the slice [from, to) for f-string
 * expressions, which are tokenized as if parenthesized).
 */
export function tokenize(src: string, py2: boolean, from = 0, to = src.length, inner = false): Token[] {
  const toks: Token[] = [];
  const indents = [0];
  const altIndents = [0];
  const brackets: { ch: string; at: number }[] = [];
  let pos = from;
  let atLineStart = !inner;
  let contLine = false;
  const push = (type: T, value: string, start: number, end: number) =>
    toks.push({ type, value, start, end, level: brackets.length });
  const fail = (p: PendingError) => {
    toks.push({ type: T.ERRORTOKEN, value: '', start: p.at, end: p.endAt, level: brackets.length, error: p });
  };
  // Once a logical line has a token, a NEWLINE ends it.
  const lineHasTokens = () => toks.length > 0 && toks[toks.length - 1].type !== T.NEWLINE
    && toks[toks.length - 1].type !== T.INDENT && toks[toks.length - 1].type !== T.DEDENT;

  while (true) {
    if (atLineStart && brackets.length === 0) {
      // Measure indentation: col counts tabs to the next multiple of 8,
      // altcol counts them as 1 (CPython's consistency check).
      let col = 0, alt = 0, p = pos;
      for (; p < to; p++) {
        const c = src[p];
        if (c === ' ') { col++; alt++; }
        else if (c === '\t') { col = (Math.floor(col / 8) + 1) * 8; alt++; }
        else if (c === '\f') { col = 0; alt = 0; }
        else break;
      }
      const c = src[p];
      if (p >= to || c === '#' || c === '\n' || c === '\r' || (c === '\\' && false)) {
        // Blank or comment-only line: no indentation change.
        if (p >= to) { pos = p; atLineStart = false; }
        else {
          while (p < to && src[p] !== '\n') p++;
          pos = p + 1;
          if (p >= to) { pos = to; atLineStart = false; }
          continue;
        }
      } else {
        atLineStart = false;
        const top = indents[indents.length - 1];
        const tabErr = (): void => fail({ type: 'TabError', msg: 'inconsistent use of tabs and spaces in indentation', at: p, endAt: p, offset: 1, endOffset: 0 });
        if (col === top) {
          if (!py2 && alt !== altIndents[altIndents.length - 1]) { tabErr(); return toks; }
        } else if (col > top) {
          if (!py2 && alt <= altIndents[altIndents.length - 1]) { tabErr(); return toks; }
          if (indents.length >= MAXINDENT) {
            // CPython's tokenizer keeps a fixed-size indentation stack.
            let eol = p;
            while (eol < to && src[eol] !== '\n') eol++;
            const lineStart = src.lastIndexOf('\n', p - 1) + 1;
            fail({ type: 'IndentationError', msg: 'too many levels of indentation', at: p, endAt: p,
              offset: py2 ? Array.from(src.slice(lineStart, eol).replace(/\r$/, '')).length + 1 : 0, endOffset: -1 });
            return toks;
          }
          indents.push(col);
          altIndents.push(alt);
          push(T.INDENT, String(p - pos), p, p);
        } else {
          while (indents.length > 1 && col < indents[indents.length - 1]) {
            indents.pop();
            altIndents.pop();
            push(T.DEDENT, '', p, p);
          }
          if (col !== indents[indents.length - 1]) {
            let eol = p;
            while (eol < to && src[eol] !== '\n') eol++;
            const lineStart = src.lastIndexOf('\n', p - 1) + 1;
            fail({ type: 'IndentationError', msg: 'unindent does not match any outer indentation level', at: p, endAt: p,
              offset: Array.from(src.slice(lineStart, eol).replace(/\r$/, '')).length + 1, endOffset: -1 });
            return toks;
          }
          if (!py2 && alt !== altIndents[altIndents.length - 1]) { tabErr(); return toks; }
        }
        pos = p;
      }
    }
    // Skip blanks, comments and line continuations.
    while (pos < to) {
      const c = src[pos];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\r') pos++;
      else if (c === '#') { while (pos < to && src[pos] !== '\n') pos++; }
      else if (c === '\\' && (src[pos + 1] === '\n' || (src[pos + 1] === '\r' && src[pos + 2] === '\n'))) {
        pos += src[pos + 1] === '\n' ? 2 : 3;
        contLine = true;
      } else break;
    }
    if (pos >= to) {
      if (inner) { push(T.ENDMARKER, '', to, to); return toks; }
      if (brackets.length > 0) {
        const b = brackets[brackets.length - 1];
        fail({ type: 'SyntaxError', msg: `'${b.ch}' was never closed`, at: b.at, endAt: b.at, endOffset: 0 });
        return toks;
      }
      if (lineHasTokens()) push(T.NEWLINE, '', to, to);
      while (indents.length > 1) { indents.pop(); push(T.DEDENT, '', to, to); }
      push(T.ENDMARKER, '', to, to);
      return toks;
    }
    const c = src[pos];
    const start = pos;
    if (c === '\n') {
      pos++;
      if (brackets.length === 0 && !inner) {
        if (lineHasTokens()) push(T.NEWLINE, '', start, start);
        atLineStart = true;
      }
      continue;
    }
    if (c === '\\') {
      fail({ type: 'SyntaxError', msg: 'unexpected character after line continuation character', at: pos + 1, endAt: pos + 1 });
      return toks;
    }
    // Names and string prefixes.
    if (isIdStart(c)) {
      let p = pos + 1;
      while (p < to && isIdChar(src[p])) p++;
      const word = src.slice(pos, p);
      if ((src[p] === '"' || src[p] === "'") && isStringPrefix(word, py2)) {
        const r = scanString(src, p, to, word, py2, inner);
        if ('error' in r) { fail(r.error); return toks; }
        push(T.STRING, src.slice(start, r.end), start, r.end);
        pos = r.end;
        continue;
      }
      push(T.NAME, word, start, p);
      pos = p;
      continue;
    }
    if (c === '"' || c === "'") {
      const r = scanString(src, pos, to, '', py2, inner);
      if ('error' in r) { fail(r.error); return toks; }
      push(T.STRING, src.slice(start, r.end), start, r.end);
      pos = r.end;
      continue;
    }
    const cc = c.charCodeAt(0);
    if ((cc >= 48 && cc <= 57) || (c === '.' && /[0-9]/.test(src[pos + 1] ?? ''))) {
      const r = scanNumber(src, pos, to, py2);
      if ('error' in r) { fail(r.error); return toks; }
      push(T.NUMBER, src.slice(start, r.end), start, r.end);
      pos = r.end;
      continue;
    }
    // Operators.
    let op = '';
    const s3 = OPS3_FIRST.includes(c) ? src.slice(pos, pos + 3) : '';
    const s2 = src.slice(pos, pos + 2);
    if (s3 && OPS3.includes(s3)) op = s3;
    else if (OPS2.includes(s2) && (py2 || s2 !== '<>') && (!py2 || (s2 !== ':=' && s2 !== '@='))) op = s2;
    else if (OPS1.includes(c) && (py2 || c !== '`')) op = c;
    else if (c === '!' ) op = '';
    if (op === '') {
      // Unknown character: CPython's parser reports invalid syntax at it
      // (or "invalid character" for non-ASCII).
      const cp = src.codePointAt(pos)!;
      const len = cp > 0xffff ? 2 : 1;
      if (cp >= 0x80 && !py2) {
        fail({ type: 'SyntaxError', msg: `invalid character '${String.fromCodePoint(cp)}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`, at: pos, endAt: pos });
        return toks;
      }
      push(T.OP, src.slice(pos, pos + len), pos, pos + len);
      toks[toks.length - 1].type = T.ERRORTOKEN;
      pos += len;
      continue;
    }
    if (op === '(' || op === '[' || op === '{') {
      if (!py2 && brackets.length >= MAXLEVEL) {
        fail({ type: 'SyntaxError', msg: 'too many nested parentheses', at: pos, endAt: pos });
        return toks;
      }
      push(T.OP, op, pos, pos + 1);
      brackets.push({ ch: op, at: pos });
    } else if (op === ')' || op === ']' || op === '}') {
      if (!py2) {
        if (brackets.length === 0) {
          fail({ type: 'SyntaxError', msg: `unmatched '${op}'`, at: pos, endAt: pos });
          return toks;
        }
        const open = brackets[brackets.length - 1];
        if (open.ch !== CLOSERS[op]) {
          const ol = src.lastIndexOf('\n', open.at - 1), cl = src.lastIndexOf('\n', pos - 1);
          const msg = ol === cl
            ? `closing parenthesis '${op}' does not match opening parenthesis '${open.ch}'`
            : `closing parenthesis '${op}' does not match opening parenthesis '${open.ch}' on line ${countLines(src, open.at)}`;
          fail({ type: 'SyntaxError', msg, at: pos, endAt: pos });
          return toks;
        }
      }
      brackets.pop();
      push(T.OP, op, pos, pos + 1);
    } else {
      push(T.OP, op, pos, pos + op.length);
    }
    pos += op.length;
    void contLine;
  }
}

function countLines(src: string, off: number): number {
  let n = 1;
  for (let i = 0; i < off; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

function scanString(src: string, q: number, to: number, prefix: string, py2: boolean, inner: boolean): { end: number } | { error: PendingError } {
  const quote = src[q];
  const raw = /r/i.test(prefix);
  const start = q - prefix.length;
  const triple = src.slice(q, q + 3) === quote.repeat(3);
  let p = q + (triple ? 3 : 1);
  while (p < to) {
    const c = src[p];
    if (c === '\\') { p += 2; continue; }
    if (triple) {
      if (src.startsWith(quote.repeat(3), p)) return { end: p + 3 };
    } else {
      if (c === quote) return { end: p + 1 };
      if (c === '\n') break;
    }
    p++;
  }
  void raw; void inner;
  if (py2) {
    const lineEnd = src.indexOf('\n', start);
    return { error: { type: 'SyntaxError', msg: triple ? 'EOF while scanning triple-quoted string literal' : 'EOL while scanning string literal',
      at: start, endAt: start, offset: triple ? undefined : (lineEnd < 0 ? src.length : lineEnd) - (src.lastIndexOf('\n', start - 1) + 1) } };
  }
  const detected = triple ? countLines(src, Math.max(0, src.endsWith('\n') ? src.length - 1 : src.length)) : countLines(src, p >= to ? Math.max(start, to - 1) : p);
  return { error: { type: 'SyntaxError', msg: `unterminated ${triple ? 'triple-quoted ' : ''}string literal (detected at line ${detected})`, at: start, endAt: start } };
}

function scanNumber(src: string, pos: number, to: number, py2: boolean): { end: number } | { error: PendingError } {
  let p = pos;
  const digitsOf = (re: RegExp): boolean => {
    // Digits with single underscores between them (3.6+); returns false on a bad underscore.
    if (!re.test(src[p] ?? '')) return false;
    while (p < to) {
      if (re.test(src[p])) p++;
      else if (!py2 && src[p] === '_' && re.test(src[p + 1] ?? '')) p++;
      else break;
    }
    return true;
  };
  const bad = (kind: string, at: number): { error: PendingError } =>
    ({ error: { type: 'SyntaxError', msg: py2 ? 'invalid token' : `invalid ${kind} literal`, at, endAt: at, offset: undefined } });
  const badAt = (kind: string, at: number): { error: PendingError } => {
    const e = bad(kind, at);
    // CPython's column is the 0-based index of the offending character.
    const ls = src.lastIndexOf('\n', at - 1) + 1;
    e.error.offset = Array.from(src.slice(ls, at)).length;
    e.error.endOffset = e.error.offset;
    return e;
  };
  const endCheck = (kind: string): { end: number } | { error: PendingError } => {
    if (py2 && /[lL]/.test(src[p] ?? '')) p++;
    if (p < to && isIdChar(src[p])) {
      if (src[p] === '_' || /[0-9]/.test(src[p])) return badAt(kind, p + 1);
      return badAt(kind, p);
    }
    return { end: p };
  };
  if (src[p] === '0' && /[xXoObB]/.test(src[p + 1] ?? '')) {
    const k = src[p + 1].toLowerCase();
    p += 2;
    const re = k === 'x' ? /[0-9a-fA-F]/ : k === 'o' ? /[0-7]/ : /[01]/;
    const kind = k === 'x' ? 'hexadecimal' : k === 'o' ? 'octal' : 'binary';
    if (!py2 && src[p] === '_') p++;
    if (!digitsOf(re)) return badAt(kind, p);
    if (/[0-9]/.test(src[p] ?? '') && k !== 'x') return badAt(`digit '${src[p]}' in ${kind}`, p);
    return endCheck(kind);
  }
  let isFloat = false;
  if (src[p] !== '.') {
    const intStart = p;
    if (!digitsOf(/[0-9]/)) return badAt('decimal', p);
    if (src[p] === '_') return badAt('decimal', p + 1);
    const digits = src.slice(intStart, p).replace(/_/g, '');
    if (!py2 && digits.length > 1 && digits[0] === '0' && /[^0]/.test(digits) && !/[.eEjJ]/.test(src[p] ?? '')) {
      const ls = src.lastIndexOf('\n', intStart - 1) + 1;
      const o = Array.from(src.slice(ls, intStart)).length + 1;
      return { error: { type: 'SyntaxError', msg: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', at: intStart, endAt: intStart, offset: o, endOffset: o + 1 } };
    }
  }
  if (src[p] === '.') {
    isFloat = true;
    p++;
    if (/[0-9]/.test(src[p] ?? '')) digitsOf(/[0-9]/);
  }
  if (/[eE]/.test(src[p] ?? '')) {
    const ePos = p;
    p++;
    if (src[p] === '+' || src[p] === '-') p++;
    if (!digitsOf(/[0-9]/)) return badAt('decimal', ePos);
    isFloat = true;
  }
  if (/[jJ]/.test(src[p] ?? '')) p++;
  void isFloat;
  return endCheck('decimal');
}
