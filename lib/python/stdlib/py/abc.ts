// The Python source of refscope's `abc` module (see ../pysource.ts).
export default String.raw`"""Abstract base classes (refscope's own simplified version).

refscope supports only 'type' as a metaclass, so abstract-method checking is
done by ABC itself: __init_subclass__ records the class's abstract methods
and ABC.__new__ refuses to instantiate a class that still has some, with
CPython's message. 'class X(metaclass=ABCMeta)' is accepted but does not
check (inherit from ABC instead).
"""
from _stdlib_helpers import object_new as _object_new


def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


class abstractproperty(property):
    __isabstractmethod__ = True


def _abstracts(cls):
    names = set()
    for name in dir(cls):
        value = getattr(cls, name, None)
        if getattr(value, '__isabstractmethod__', False):
            names.add(name)
    return frozenset(names)


class ABCMeta(type):
    pass


class ABC:
    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        cls.__abstractmethods__ = _abstracts(cls)

    def __new__(cls, *args, **kwargs):
        missing = getattr(cls, '__abstractmethods__', ())
        if missing:
            names = sorted(missing)
            raise TypeError("Can't instantiate abstract class %s with abstract method%s %s"
                            % (cls.__name__, 's' if len(names) > 1 else '', ', '.join(names)))
        return _object_new(cls)


def get_cache_token():
    return 0
`;
