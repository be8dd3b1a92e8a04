// The Python source of refscope's `traceback` module (see ../pysource.ts).
export default String.raw`"""Printing and formatting exceptions (refscope's own simplified version):
the text comes from refscope's own traceback printer, the one that prints
uncaught exceptions, so it is exactly what the interpreter would print."""
import sys
from _stdlib_helpers import format_exception as _format


def _lines(text):
    # Blank lines stay: they frame the "During handling ..." chain messages.
    return text.splitlines(True)


def format_exception(exc, value=None, tb=None, limit=None, chain=True):
    if value is None and isinstance(exc, BaseException):
        value = exc
    if value is None:
        return ['NoneType: None\n']
    return _lines(_format(value, chain))


def format_exc(limit=None, chain=True):
    return ''.join(format_exception(sys.exc_info()[1], chain=chain))


def print_exception(exc, value=None, tb=None, limit=None, file=None, chain=True):
    if file is None:
        file = sys.stderr
    for line in format_exception(exc, value, tb, chain=chain):
        print(line, file=file, end='')


def print_exc(limit=None, file=None, chain=True):
    print_exception(sys.exc_info()[1], file=file, chain=chain)


def format_exception_only(exc, value=None):
    if value is None and isinstance(exc, BaseException):
        value = exc
    return [format_exception(value)[-1]]
`;
