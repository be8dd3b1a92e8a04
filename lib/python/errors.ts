/*
 * Python exceptions inside the interpreter.
 *
 * A Python exception travels through JS code as a thrown `PyExc`, which
 * wraps the exception object (a PyBaseException that owns one reference for
 * the PyExc). Only the interpreter catches these; internal bugs are plain JS
 * errors and are never catchable by a script.
 */
import type { PyBaseException } from '../heap/frames.js';

export class PyExc {
  constructor(readonly exc: PyBaseException) {}
}

/** sys.exit(): unwinds like an exception (SystemExit), carries the exit code. */
export function isPyExc(e: unknown): e is PyExc {
  return e instanceof PyExc;
}

/** The built-in exception hierarchy: [name, base] in creation order. */
export const EXCEPTION_TREE: Array<[string, string | null]> = [
  ['BaseException', null],
  ['SystemExit', 'BaseException'],
  ['KeyboardInterrupt', 'BaseException'],
  ['GeneratorExit', 'BaseException'],
  ['Exception', 'BaseException'],
  ['StopIteration', 'Exception'],
  ['ArithmeticError', 'Exception'],
  ['FloatingPointError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['AssertionError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['BufferError', 'Exception'],
  ['EOFError', 'Exception'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['KeyError', 'LookupError'],
  ['MemoryError', 'Exception'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['OSError', 'Exception'],
  ['FileNotFoundError', 'OSError'],
  ['PermissionError', 'OSError'],
  ['IsADirectoryError', 'OSError'],
  ['ReferenceError', 'Exception'],
  ['RuntimeError', 'Exception'],
  ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'],
  ['SyntaxError', 'Exception'],
  ['IndentationError', 'SyntaxError'],
  ['TabError', 'IndentationError'],
  ['SystemError', 'Exception'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['UnicodeError', 'ValueError'],
  ['UnicodeDecodeError', 'UnicodeError'],
  ['UnicodeEncodeError', 'UnicodeError'],
  ['Warning', 'Exception'],
  ['DeprecationWarning', 'Warning'],
  ['UserWarning', 'Warning'],
  ['RuntimeWarning', 'Warning'],
  ['ResourceWarning', 'Warning'],
  // Made last so that adding them moved no earlier type; Python 3 only.
  ['ConnectionError', 'OSError'],
  ['BrokenPipeError', 'ConnectionError'],
];

/** Types of EXCEPTION_TREE that Python 2.7 does not have. */
export const PY3_ONLY_EXCEPTIONS = new Set(['ConnectionError', 'BrokenPipeError']);

/**
 * JavaScript's own limits on a value's size, thrown before anything is
 * allocated; for a script they are a MemoryError.
 */
export function isJsAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError && /^(Invalid string length|Invalid array length|Maximum BigInt size exceeded|Array buffer allocation failed|Invalid typed array length)/.test(e.message);
}

/** The error code of a write to a pipe whose reader is gone (node's `code` of the thrown error). */
export function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}
