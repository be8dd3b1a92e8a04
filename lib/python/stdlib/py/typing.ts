// The Python source of refscope's `typing` module (see ../pysource.ts).
export default String.raw`"""Type hints (refscope's own simplified version).

Scripts use typing mostly in annotations, which refscope evaluates like
CPython does (at def/class time unless 'from __future__ import annotations'),
so every name must exist, be subscriptable, compare and print as CPython
prints it ('typing.List[int]', 'typing.Optional[str]', '~T'). No checking
happens at run time, as in CPython.
"""

TYPE_CHECKING = False


def _type_repr(obj):
    if isinstance(obj, type):
        if obj.__module__ == 'builtins':
            return obj.__qualname__
        return '%s.%s' % (obj.__module__, obj.__qualname__)
    if obj is ...:
        return '...'
    if obj is None or obj is type(None):
        return 'None'
    if isinstance(obj, list):
        return '[%s]' % ', '.join(_type_repr(a) for a in obj)
    if isinstance(obj, str):
        return repr(obj)
    return repr(obj)


def _norm(arg):
    if arg is None:
        return type(None)
    if isinstance(arg, str):
        return ForwardRef(arg)
    return arg


class ForwardRef:
    def __init__(self, arg):
        self.__forward_arg__ = arg

    def __repr__(self):
        return 'ForwardRef(%r)' % self.__forward_arg__

    def __eq__(self, other):
        return isinstance(other, ForwardRef) and self.__forward_arg__ == other.__forward_arg__

    def __hash__(self):
        return hash(self.__forward_arg__)


class _GenericAlias:
    """A subscripted form such as List[int]: remembers its origin and arguments."""

    def __init__(self, origin, args, name=None):
        self.__origin__ = origin
        self.__args__ = args
        self._name = name

    def __repr__(self):
        name = self._name
        if name is None:
            head = _type_repr(self.__origin__)
        else:
            head = 'typing.' + name
        if self.__args__ == ():
            return head + '[()]'
        return '%s[%s]' % (head, ', '.join(_type_repr(a) for a in self.__args__))

    def __eq__(self, other):
        if not isinstance(other, _GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self.__origin__, self.__args__))

    def __call__(self, *args, **kwargs):
        return self.__origin__(*args, **kwargs)

    def __getitem__(self, params):
        return _GenericAlias(self.__origin__, params if isinstance(params, tuple) else (params,), self._name)

    def __mro_entries__(self, bases):
        return (self.__origin__,)

    def __instancecheck__(self, obj):
        raise TypeError('Subscripted generics cannot be used with class and instance checks')


class _UnionAlias(_GenericAlias):
    def __repr__(self):
        args = self.__args__
        if len(args) == 2 and args[1] is type(None):
            return 'typing.Optional[%s]' % _type_repr(args[0])
        return 'typing.Union[%s]' % ', '.join(_type_repr(a) for a in args)


class _SpecialForm:
    """Any, Union, Optional, ClassVar, Final, ...: printable, and subscriptable where CPython allows."""

    def __init__(self, name, getitem=None):
        self._name = name
        self._getitem = getitem

    def __repr__(self):
        return 'typing.' + self._name

    def __getitem__(self, params):
        if self._getitem is None:
            raise TypeError('%s is not subscriptable' % self)
        return self._getitem(self, params)

    def __call__(self, *args, **kwds):
        raise TypeError('Cannot instantiate %r' % self)

    def __mro_entries__(self, bases):
        raise TypeError('Cannot subclass %r' % self)


def _union(self, params):
    if not isinstance(params, tuple):
        params = (params,)
    if params == ():
        raise TypeError('Cannot take a Union of no types.')
    flat = []
    for p in params:
        p = _norm(p)
        if isinstance(p, _UnionAlias):
            items = p.__args__
        else:
            items = (p,)
        for q in items:
            if q not in flat:
                flat.append(q)
    if len(flat) == 1:
        return flat[0]
    return _UnionAlias(Union, tuple(flat), 'Union')


def _optional(self, params):
    return _union(self, (params, None))


def _single(self, params):
    return _GenericAlias(self, (_norm(params),), self._name)


def _literal(self, params):
    return _GenericAlias(self, params if isinstance(params, tuple) else (params,), self._name)


Any = _SpecialForm('Any')
NoReturn = _SpecialForm('NoReturn')
Never = _SpecialForm('Never')
Self = _SpecialForm('Self')
LiteralString = _SpecialForm('LiteralString')
Union = _SpecialForm('Union', _union)
Optional = _SpecialForm('Optional', _optional)
ClassVar = _SpecialForm('ClassVar', _single)
Final = _SpecialForm('Final', _single)
Literal = _SpecialForm('Literal', _literal)


class _SpecialGenericAlias:
    """The bare List, Dict, Callable, ...: an alias of a concrete class awaiting its parameters."""

    def __init__(self, origin, nparams, name):
        self.__origin__ = origin
        self._nparams = nparams
        self._name = name

    def __repr__(self):
        return 'typing.' + self._name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        params = tuple(_norm(p) for p in params)
        if self._nparams >= 0 and len(params) != self._nparams and not (self._name == 'Tuple'):
            raise TypeError('Too %s arguments for %r; actual %d, expected %d'
                            % ('many' if len(params) > self._nparams else 'few', self, len(params), self._nparams))
        return _GenericAlias(self.__origin__, params, self._name)

    def __call__(self, *args, **kwargs):
        if self._name in ('List', 'Dict', 'Set', 'FrozenSet', 'Tuple'):
            raise TypeError('Type %s cannot be instantiated; use %s() instead'
                            % (self._name, self.__origin__.__name__))
        return self.__origin__(*args, **kwargs)

    def __mro_entries__(self, bases):
        return (self.__origin__,)


class _CallableAlias(_SpecialGenericAlias):
    def __getitem__(self, params):
        if not isinstance(params, tuple) or len(params) != 2:
            raise TypeError('Callable must be used as Callable[[arg, ...], result].')
        args, result = params
        if isinstance(args, list):
            return _CallableGeneric(self.__origin__, tuple(_norm(a) for a in args) + (_norm(result),), 'Callable')
        return _CallableGeneric(self.__origin__, (args, _norm(result)), 'Callable')


class _CallableGeneric(_GenericAlias):
    def __repr__(self):
        args = self.__args__
        if len(args) == 2 and args[0] is ...:
            return 'typing.Callable[..., %s]' % _type_repr(args[1])
        return 'typing.Callable[[%s], %s]' % (', '.join(_type_repr(a) for a in args[:-1]), _type_repr(args[-1]))


def _abc(name):
    import collections
    return getattr(collections, name, object)


List = _SpecialGenericAlias(list, 1, 'List')
Dict = _SpecialGenericAlias(dict, 2, 'Dict')
Set = _SpecialGenericAlias(set, 1, 'Set')
FrozenSet = _SpecialGenericAlias(frozenset, 1, 'FrozenSet')
Tuple = _SpecialGenericAlias(tuple, -1, 'Tuple')
Type = _SpecialGenericAlias(type, 1, 'Type')
DefaultDict = _SpecialGenericAlias(_abc('defaultdict'), 2, 'DefaultDict')
OrderedDict = _SpecialGenericAlias(_abc('OrderedDict'), 2, 'OrderedDict')
Counter = _SpecialGenericAlias(_abc('Counter'), 1, 'Counter')
Deque = _SpecialGenericAlias(_abc('deque'), 1, 'Deque')
Callable = _CallableAlias(object, 2, 'Callable')
Iterable = _SpecialGenericAlias(object, 1, 'Iterable')
Iterator = _SpecialGenericAlias(object, 1, 'Iterator')
Generator = _SpecialGenericAlias(object, 3, 'Generator')
Sequence = _SpecialGenericAlias(object, 1, 'Sequence')
MutableSequence = _SpecialGenericAlias(object, 1, 'MutableSequence')
Mapping = _SpecialGenericAlias(object, 2, 'Mapping')
MutableMapping = _SpecialGenericAlias(object, 2, 'MutableMapping')
AbstractSet = _SpecialGenericAlias(object, 1, 'AbstractSet')
MutableSet = _SpecialGenericAlias(object, 1, 'MutableSet')
Hashable = _SpecialGenericAlias(object, 0, 'Hashable')
Sized = _SpecialGenericAlias(object, 0, 'Sized')
Container = _SpecialGenericAlias(object, 1, 'Container')
Collection = _SpecialGenericAlias(object, 1, 'Collection')
Awaitable = _SpecialGenericAlias(object, 1, 'Awaitable')
Text = str


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound
        self.__covariant__ = covariant
        self.__contravariant__ = contravariant

    def __repr__(self):
        prefix = '+' if self.__covariant__ else '-' if self.__contravariant__ else '~'
        return prefix + self.__name__


AnyStr = TypeVar('AnyStr', bytes, str)


class _GenericBase:
    """What Generic[T] and Protocol[T] stand for in a class's bases."""


class Generic:
    __slots__ = ()

    def __class_getitem__(cls, params):
        if not isinstance(params, tuple):
            params = (params,)
        if cls is Generic or cls is Protocol:
            return _GenericAlias(cls, params, cls.__name__)
        return _GenericAlias(cls, tuple(_norm(p) for p in params))


class Protocol(Generic):
    __slots__ = ()


def cast(typ, val):
    return val


def overload(func):
    def _overload_dummy(*args, **kwds):
        raise NotImplementedError('You should not call an overloaded function.')
    return _overload_dummy


def final(f):
    return f


def no_type_check(arg):
    return arg


def runtime_checkable(cls):
    return cls


def get_type_hints(obj, globalns=None, localns=None):
    return dict(getattr(obj, '__annotations__', {}))


def get_origin(tp):
    return getattr(tp, '__origin__', None)


def get_args(tp):
    return getattr(tp, '__args__', ())


def NewType(name, tp):
    def new_type(x):
        return x
    new_type.__name__ = name
    new_type.__supertype__ = tp
    return new_type
`;
