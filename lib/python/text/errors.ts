// The one error channel of the text algorithms. They know nothing of Python
// objects, so a failure is a plain value naming the Python exception type and
// carrying CPython's exact message; the interpreter turns it into a real
// exception. Anything else thrown from this folder is a bug.

/** Python exception types the text algorithms can raise. */
export type TextErrorType =
  | 'ValueError'
  | 'TypeError'
  | 'OverflowError'
  | 'KeyError'
  | 'IndexError'
  | 'ZeroDivisionError'
  | 'LookupError'
  | 'UnicodeEncodeError'
  | 'UnicodeDecodeError';

/**
 * A Python exception raised by a text algorithm.
 *
 * For `KeyError` the message is the missing key itself (a str), as the
 * interpreter must build `KeyError(key)` from it; the printed form is then
 * `KeyError: 'name'`.
 *
 * @example
 *   try { parseFloatLiteral('x') } catch (e) {
 *     if (e instanceof TextError) raise(e.pyType, e.message);
 *   }
 */
export class TextError {
  constructor(
    readonly pyType: TextErrorType,
    readonly message: string,
  ) {}

  toString(): string {
    return `${this.pyType}: ${this.message}`;
  }
}
