// The Python source of refscope's `threading` module (see ../pysource.ts).
export default String.raw`"""Threads, run one at a time (refscope's own simplified version).

refscope's VM is single-threaded: Thread.start() runs the target to
completion before returning, so join() has nothing to wait for and output
order is deterministic (as if each thread ran while the others waited).
Locks count ownership so misuse raises as in CPython, but never block.
"""
import sys

_counter = 0
_main_ident = 1
_ident = _main_ident


def get_ident():
    return _ident


class Thread:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        global _counter
        _counter += 1
        if name is None:
            name = 'Thread-%d' % _counter
            if target is not None:
                name += ' (%s)' % getattr(target, '__name__', '')
        self._target = target
        self._args = args
        self._kwargs = kwargs or {}
        self._name = name
        self._started = False
        self._finished = False
        self.daemon = bool(daemon)
        self.ident = None

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = value

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            del self._target, self._args, self._kwargs

    def start(self):
        global _ident, _current
        if self._started:
            raise RuntimeError('threads can only be started once')
        self._started = True
        previous, prev_ident = _current, _ident
        _ident = self.ident = id(self)
        _current = self
        _active[self.ident] = self
        try:
            self.run()
        except SystemExit:
            pass
        except BaseException as e:
            print('Exception in thread %s:' % self._name, file=sys.stderr)
            import traceback
            traceback.print_exception(e)
        finally:
            del _active[self.ident]
            _current, _ident = previous, prev_ident
            self._finished = True

    def join(self, timeout=None):
        if not self._started:
            raise RuntimeError('cannot join thread before it is started')

    def is_alive(self):
        return self._started and not self._finished

    def __repr__(self):
        status = 'initial'
        if self._started:
            status = 'stopped' if self._finished else 'started'
        if self.daemon:
            status += ' daemon'
        return '<%s(%s, %s)>' % (type(self).__name__, self._name, status)


class _MainThread(Thread):
    def __init__(self):
        self._name = 'MainThread'
        self._started = True
        self._finished = False
        self.daemon = False
        self.ident = _main_ident


_current = _MainThread()
_active = {_main_ident: _current}


def current_thread():
    return _current


def main_thread():
    return _active[_main_ident] if _main_ident in _active else _current


def enumerate():
    return list(_active.values())


def active_count():
    return len(_active)


class Lock:
    def __init__(self):
        self._locked = False

    def acquire(self, blocking=True, timeout=-1):
        if self._locked:
            if blocking:
                raise RuntimeError('deadlock: refscope runs threads one at a time and this lock is held')
            return False
        self._locked = True
        return True

    def release(self):
        if not self._locked:
            raise RuntimeError('release unlocked lock')
        self._locked = False

    def locked(self):
        return self._locked

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


class RLock:
    def __init__(self):
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        self._owner = get_ident()
        self._count += 1
        return True

    def release(self):
        if self._count == 0 or self._owner != get_ident():
            raise RuntimeError('cannot release un-acquired lock')
        self._count -= 1
        if not self._count:
            self._owner = None

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


class Event:
    def __init__(self):
        self._flag = False

    def is_set(self):
        return self._flag

    def set(self):
        self._flag = True

    def clear(self):
        self._flag = False

    def wait(self, timeout=None):
        return self._flag


class Condition:
    def __init__(self, lock=None):
        self._lock = lock if lock is not None else RLock()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def wait(self, timeout=None):
        return False

    def notify(self, n=1):
        pass

    def notify_all(self):
        pass


class Semaphore:
    def __init__(self, value=1):
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        if self._value == 0:
            return False
        self._value -= 1
        return True

    def release(self, n=1):
        self._value += n

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


class local:
    """Per-thread attributes; with threads run one at a time, one namespace."""
`;
