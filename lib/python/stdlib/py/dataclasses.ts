// The Python source of refscope's `dataclasses` module (see ../pysource.ts).
export default String.raw`"""Data classes (refscope's own simplified version).

CPython generates __init__/__repr__/__eq__ as source text and exec()s it;
refscope builds them as closures over the field list instead, with the same
names (Point.__init__), the same argument errors and the same results, so
each dataclass still owns one function object per generated method, as in
CPython. Supported: field(default, default_factory, init, repr, compare),
__post_init__, eq, order, frozen, unsafe_hash, inheritance, fields(),
asdict(), astuple(), replace(), is_dataclass().
"""


class _MissingType:
    def __repr__(self):
        return 'MISSING'


MISSING = _MissingType()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    __slots__ = ('name', 'type', 'default', 'default_factory', 'repr', 'hash', 'init', 'compare', 'metadata', 'kw_only', '_field_type')

    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata
        self.kw_only = kw_only
        self._field_type = None

    def __repr__(self):
        return ('Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,hash=%r,compare=%r,metadata=%r,kw_only=%r,_field_type=%s)'
                % (self.name, self.type, self.default, self.default_factory, self.init, self.repr, self.hash,
                   self.compare, self.metadata, self.kw_only, self._field_type))


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError('cannot specify both default and default_factory')
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


def _is_classvar(tp):
    if isinstance(tp, str):
        return tp.startswith('ClassVar') or tp.startswith('typing.ClassVar')
    return repr(tp).startswith('typing.ClassVar')


def _process_class(cls, init, repr_, eq, order, unsafe_hash, frozen):
    fields = {}
    for base in cls.__mro__[-1:0:-1]:
        base_fields = base.__dict__.get('__dataclass_fields__')
        if base_fields is not None:
            for f in base_fields.values():
                fields[f.name] = f
    annotations = cls.__dict__.get('__annotations__', {})
    for name, tp in annotations.items():
        if _is_classvar(tp):
            continue
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = field(default=default)
        f.name = name
        f.type = tp
        f._field_type = '_FIELD'
        if f.default is not MISSING and type(f.default) in (list, dict, set):
            raise ValueError('mutable default %s for field %s is not allowed: use default_factory' % (type(f.default), name))
        if isinstance(default, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        fields[name] = f
    cls.__dataclass_fields__ = fields
    cls.__dataclass_params__ = (init, repr_, eq, order, unsafe_hash, frozen)
    qual = cls.__qualname__
    init_fields = [f for f in fields.values() if f.init]
    seen_default = False
    for f in init_fields:
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError("non-default argument '%s' follows default argument" % f.name)

    if init:
        def __init__(self, *args, **kwargs):
            n = len(init_fields)
            if len(args) > n:
                required = sum(1 for f in init_fields if f.default is MISSING and f.default_factory is MISSING)
                if required == n:
                    raise TypeError('%s.__init__() takes %d positional arguments but %d were given' % (qual, n + 1, len(args) + 1))
                raise TypeError('%s.__init__() takes from %d to %d positional arguments but %d were given' % (qual, required + 1, n + 1, len(args) + 1))
            values = {}
            for f, a in zip(init_fields, args):
                values[f.name] = a
            for k, v in kwargs.items():
                if not any(f.name == k for f in init_fields):
                    raise TypeError("%s.__init__() got an unexpected keyword argument '%s'" % (qual, k))
                if k in values:
                    raise TypeError("%s.__init__() got multiple values for argument '%s'" % (qual, k))
                values[k] = v
            missing = [f.name for f in init_fields if f.name not in values and f.default is MISSING and f.default_factory is MISSING]
            if missing:
                q = ["'%s'" % m for m in missing]
                if len(q) == 1:
                    listed = q[0]
                elif len(q) == 2:
                    listed = q[0] + ' and ' + q[1]
                else:
                    listed = ', '.join(q[:-1]) + ', and ' + q[-1]
                raise TypeError('%s.__init__() missing %d required positional argument%s: %s'
                                % (qual, len(q), 's' if len(q) > 1 else '', listed))
            for f in fields.values():
                if f.name in values:
                    v = values[f.name]
                elif f.default_factory is not MISSING:
                    v = f.default_factory()
                elif f.default is not MISSING:
                    if not f.init:
                        v = f.default
                    else:
                        v = f.default
                else:
                    continue
                if frozen:
                    object.__setattr__(self, f.name, v)
                else:
                    setattr(self, f.name, v)
            post = getattr(self, '__post_init__', None)
            if post is not None:
                post()
        __init__.__qualname__ = qual + '.__init__'
        cls.__init__ = __init__

    if repr_:
        running = set()

        def __repr__(self):
            key = id(self)
            if key in running:
                return '...'
            running.add(key)
            try:
                parts = ['%s=%r' % (f.name, getattr(self, f.name)) for f in fields.values() if f.repr]
            finally:
                running.discard(key)
            return '%s(%s)' % (type(self).__qualname__, ', '.join(parts))
        __repr__.__qualname__ = qual + '.__repr__'
        cls.__repr__ = __repr__

    def _astuple(self):
        return tuple(getattr(self, f.name) for f in fields.values() if f.compare)

    if eq:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _astuple(self) == _astuple(other)
            return NotImplemented
        __eq__.__qualname__ = qual + '.__eq__'
        cls.__eq__ = __eq__

    if order:
        def _cmp(op):
            def method(self, other):
                if other.__class__ is self.__class__:
                    return op(_astuple(self), _astuple(other))
                return NotImplemented
            return method
        cls.__lt__ = _cmp(lambda a, b: a < b)
        cls.__le__ = _cmp(lambda a, b: a <= b)
        cls.__gt__ = _cmp(lambda a, b: a > b)
        cls.__ge__ = _cmp(lambda a, b: a >= b)

    if frozen:
        def __setattr__(self, name, value):
            if type(self) is cls or name in fields:
                raise FrozenInstanceError("cannot assign to field '%s'" % name)
            object.__setattr__(self, name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in fields:
                raise FrozenInstanceError("cannot delete field '%s'" % name)
            object.__delattr__(self, name)
        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__

    if unsafe_hash or (eq and frozen):
        def __hash__(self):
            return hash(_astuple(self))
        cls.__hash__ = __hash__
    elif eq and '__hash__' not in cls.__dict__:
        cls.__hash__ = None
    cls.__match_args__ = tuple(f.name for f in init_fields)
    return cls


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False):
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen)
    if cls is None:
        return wrap
    return wrap(cls)


def fields(class_or_instance):
    try:
        fs = class_or_instance.__dataclass_fields__
    except AttributeError:
        raise TypeError('must be called with a dataclass type or instance') from None
    return tuple(fs.values())


def is_dataclass(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, '__dataclass_fields__')


def _copy_value(obj, factory):
    if is_dataclass(obj) and not isinstance(obj, type):
        return factory([(f.name, _copy_value(getattr(obj, f.name), factory)) for f in fields(obj)])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_copy_value(v, factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_copy_value(k, factory), _copy_value(v, factory)) for k, v in obj.items())
    return obj


def asdict(obj, *, dict_factory=dict):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError('asdict() should be called on dataclass instances')
    return _copy_value(obj, dict_factory)


def astuple(obj, *, tuple_factory=tuple):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError('astuple() should be called on dataclass instances')
    return tuple_factory([_copy_value(getattr(obj, f.name), lambda pairs: tuple(v for k, v in pairs)) for f in fields(obj)])


def replace(obj, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
`;
