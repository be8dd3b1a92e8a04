// The Python source of refscope's `enum` module (see ../pysource.ts).
export default String.raw`"""Enumerations (refscope's own simplified version).

CPython builds members in the EnumType metaclass. refscope supports only
'type' as a metaclass, so Enum.__init_subclass__ turns the class body's
plain attributes into members right after the class is created, and the
class-level protocol CPython's metaclass provides (iter(Color), len(Color),
RED in Color) comes from the __class_iter__ / __class_len__ /
__class_contains__ hooks refscope's class machinery calls on such classes.
Color['RED'] is __class_getitem__; Color(1) is Enum.__new__'s value lookup.
The class itself prints as a plain class (<class '__main__.Color'>, where
CPython prints <enum 'Color'>).
"""
from _stdlib_helpers import object_new as _object_new


class auto:
    """Marks a member whose value is generated (1, 2, 3, ...)."""
    _counter = 0

    def __repr__(self):
        return 'auto()'


_FunctionType = type(lambda: None)


def _is_descriptor(obj):
    # Functions are listed explicitly: refscope's function type has no __get__ attribute.
    if isinstance(obj, (_FunctionType, classmethod, staticmethod, property)):
        return True
    t = type(obj)
    return hasattr(t, '__get__') or hasattr(t, '__set__') or hasattr(t, '__delete__')


def unique(enumeration):
    duplicates = [(name, member.name) for name, member in enumeration.__members__.items() if name != member.name]
    if duplicates:
        alias_details = ', '.join('%s -> %s' % (alias, name) for (alias, name) in duplicates)
        raise ValueError('duplicate values found in %r: %s' % (enumeration, alias_details))
    return enumeration


class Enum:
    def __init_subclass__(cls, **kwds):
        member_map = {}
        value_map = {}
        names = []
        data_type = None
        for base in cls.__mro__[1:]:
            if base is not object and not issubclass(base, Enum):
                data_type = base
                break
        last_values = []
        for name, value in list(cls.__dict__.items()):
            if name.startswith('_') or _is_descriptor(value):
                continue
            if isinstance(value, auto):
                value = cls._generate_next_value_(name, 1, len(names), last_values[:])
            if value in value_map:
                member = value_map[value]
            else:
                args = value if isinstance(value, tuple) else (value,)
                if data_type is not None:
                    member = _object_new(cls, *args)
                else:
                    member = _object_new(cls)
                member._name_ = name
                member._value_ = value if data_type is None else data_type(*args)
                init = cls.__dict__.get('__init__')
                if init is not None:
                    init(member, *args)
                value_map[value] = member
                names.append(name)
            last_values.append(value)
            member_map[name] = member
            setattr(cls, name, member)
        cls._member_names_ = names
        cls._member_map_ = member_map
        cls._value2member_map_ = value_map
        cls.__members__ = dict(member_map)

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        for v in reversed(last_values):
            try:
                return v + 1
            except TypeError:
                pass
        return start

    def __new__(cls, value):
        try:
            return cls._value2member_map_[value]
        except (KeyError, TypeError):
            pass
        raise ValueError('%r is not a valid %s' % (value, cls.__qualname__))

    def __init__(self, *args, **kwds):
        pass

    def __class_getitem__(cls, name):
        return cls._member_map_[name]

    def __class_iter__(cls):
        return iter([cls._member_map_[n] for n in cls._member_names_])

    def __class_len__(cls):
        return len(cls._member_names_)

    def __class_contains__(cls, member):
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __repr__(self):
        return '<%s.%s: %r>' % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        return '%s.%s' % (type(self).__name__, self._name_)

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return type(self), (self._value_,)

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_


def _int_op(fn):
    # Applies fn to the operands' int values (refscope's int has no __add__ & co. attributes to delegate to).
    def op(self, *args):
        return fn(self._value_, *[a._value_ if isinstance(a, Enum) else a for a in args])
    return op


class IntEnum(Enum, int):
    """Members are ints (instances of an int subclass) and behave as their
    values in arithmetic, comparisons, hashing and formatting. Enum comes
    first in the bases so that its __new__ (the value lookup CPython's
    EnumType does) wins over int's."""

    def __str__(self):
        return str(self._value_)

    def __format__(self, spec):
        return format(self._value_, spec)

    def __hash__(self):
        return hash(self._value_)

    def __eq__(self, other):
        return self._value_ == (other._value_ if isinstance(other, Enum) else other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __int__(self):
        return self._value_

    def __index__(self):
        return self._value_

    def __bool__(self):
        return bool(self._value_)

    __lt__ = _int_op(lambda a, b: a < b)
    __le__ = _int_op(lambda a, b: a <= b)
    __gt__ = _int_op(lambda a, b: a > b)
    __ge__ = _int_op(lambda a, b: a >= b)
    __add__ = _int_op(lambda a, b: a + b)
    __radd__ = _int_op(lambda a, b: b + a)
    __sub__ = _int_op(lambda a, b: a - b)
    __rsub__ = _int_op(lambda a, b: b - a)
    __mul__ = _int_op(lambda a, b: a * b)
    __rmul__ = _int_op(lambda a, b: b * a)
    __floordiv__ = _int_op(lambda a, b: a // b)
    __truediv__ = _int_op(lambda a, b: a / b)
    __mod__ = _int_op(lambda a, b: a % b)
    __and__ = _int_op(lambda a, b: a & b)
    __or__ = _int_op(lambda a, b: a | b)
    __neg__ = _int_op(lambda a: -a)


class Flag(Enum):
    pass


class IntFlag(IntEnum):
    pass
`;
