// Syntax errors raised while reading a Python script, and CPython's way of
// printing them when they are not caught.
//
// PySyntaxError is a plain value class (it does not extend Error): it is one of
// the three error channels kept apart by the architecture, carries exactly the
// attributes of Python's SyntaxError, and is thrown by `parse()` and
// `buildSymtable()` and nothing else.

export type SyntaxErrorType = 'SyntaxError' | 'IndentationError' | 'TabError';

/** A Python SyntaxError (or subclass) with CPython's attributes. */
export class PySyntaxError {
  constructor(
    public type: SyntaxErrorType,
    public msg: string,
    public filename: string,
    /** 1-based line. */
    public lineno: number,
    /** 1-based character column, or null when CPython has none (2.7 compiler errors). */
    public offset: number | null,
    public end_lineno: number | null,
    /** 1-based character column just past the error, -1 or 0 when CPython gives none. */
    public end_offset: number | null,
    /** The source line the error points into (with its newline), or null. */
    public text: string | null,
  ) {}

  toString(): string {
    return `${this.type}: ${this.msg} (${this.filename}, line ${this.lineno})`;
  }
}

/**
 * Source nested too deeply for the front end's recursion (JavaScript's
 * stack): what CPython reports when its own limits are hit instead of a
 * SyntaxError — MemoryError from the parser (a bare "MemoryError" line),
 * RecursionError from the compiler. No position: CPython gives none.
 */
export class SourceTooDeep {
  constructor(
    readonly type: 'MemoryError' | 'RecursionError',
    readonly msg: string,
  ) {}

  /** The line CPython prints for it uncaught. */
  toString(): string {
    return this.msg ? `${this.type}: ${this.msg}` : this.type;
  }
}

/** True when `e` is JavaScript's stack overflow. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/.test(e.message);
}

/** True for values thrown by the syntax front end. */
export function isPySyntaxError(e: unknown): e is PySyntaxError {
  return e instanceof PySyntaxError;
}

/**
 * The text CPython writes to stderr for an uncaught SyntaxError in a script
 * (no "Traceback" header: it happens before the script runs).
 *
 * @example
 * formatSyntaxError(e, '3.11')
 * // '  File "x.py", line 1\n    if x\n        ^\nSyntaxError: expected \':\'\n'
 */
export function formatSyntaxError(e: PySyntaxError, profile: '3.11' | '2.7'): string {
  let out = `  File "${e.filename}", line ${e.lineno}\n`;
  if (e.text !== null) out += profile === '2.7' ? errorText27(e) : errorText311(e);
  return out + `${e.type}: ${e.msg}\n`;
}

// 3.11 (pythonrun.c print_error_text): strip leading blanks, shift the caret
// range by as much, and draw `^` from offset to end_offset on the same line.
function errorText311(e: PySyntaxError): string {
  let text = e.text!.replace(/\n$/, '');
  const nl = text.indexOf('\n');
  if (nl >= 0) text = text.slice(0, nl);
  let offset = (e.offset ?? 0) - 1;
  let end = (e.end_offset ?? 0) - 1;
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i++;
  text = text.slice(i);
  offset -= i;
  end -= i;
  const chars = Array.from(text);
  if (offset > chars.length) offset = chars.length;
  let out = `    ${text}\n`;
  if (e.offset === null || offset < 0) return out;
  const sameLine = e.end_lineno === null || e.end_lineno === e.lineno;
  const width = e.type === 'SyntaxError' && sameLine && (e.end_offset ?? 0) > 0 && end > offset ? end - offset : 1;
  out += '    ' + ' '.repeat(offset) + '^'.repeat(width) + '\n';
  return out;
}

// 2.7 (pythonrun.c print_error_text): one caret at offset - 1 after stripping.
function errorText27(e: PySyntaxError): string {
  let text = e.text!;
  let offset = e.offset ?? -1;
  if (offset > 0 && offset === text.length && text[offset - 1] === '\n') offset--;
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  text = text.slice(i);
  offset -= i;
  text = text.replace(/\n$/, '');
  let out = `    ${text}\n`;
  if (e.offset === null) return out;
  out += '    ' + ' '.repeat(Math.max(0, offset - 1)) + '^\n';
  return out;
}
