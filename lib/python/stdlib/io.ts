/*
 * io.StringIO and the builtin open() for text files.
 *
 * Both are text streams over a JS string with a position; StringIO keeps
 * the whole buffer, a file opened for reading loads its content at open()
 * and a file opened for writing writes through to the real file (so output
 * order never depends on when a script closes it). Neither holds Python
 * references, but both are GC-tracked like CPython's _io objects.
 *
 * OSError messages are CPython's `[Errno N] strerror: 'name'` strings.
 */
import * as fs from 'node:fs';
import { PyHolder } from '../../heap/misc.js';
import type { PyObject } from '../../heap/object.js';
import { PyStr } from '../../heap/scalars.js';
import type { PyType } from '../../heap/types.js';
import type { Interpreter, NativeFn } from '../interp.js';
import { defineGetset, makeModule, moduleSet, splitArgs, toIndex } from './support.js';

interface TextState {
  buf: string;
  pos: number;
  closed: boolean;
  readable: boolean;
  writable: boolean;
  /** File streams: the real file descriptor for writing, its name and mode. */
  fd: number;
  name: string;
  mode: string;
}

const ERRNO: Record<string, [string, number, string]> = {
  ENOENT: ['FileNotFoundError', 2, 'No such file or directory'],
  EISDIR: ['IsADirectoryError', 21, 'Is a directory'],
  EACCES: ['PermissionError', 13, 'Permission denied'],
  EPERM: ['PermissionError', 1, 'Operation not permitted'],
  ENOTDIR: ['NotADirectoryError', 20, 'Not a directory'],
  EEXIST: ['FileExistsError', 17, 'File exists'],
};

export function installIo(it: Interpreter): void {
  const rt = it.rt;
  const t = it.t;
  const S = (o: PyObject) => (o as PyHolder).state as TextState;

  const stringIoT = rt.defineStaticType('StringIO', 'other', true, 120, t.object, true);
  stringIoT.moduleName = '_io';
  const fileT = rt.defineStaticType('TextIOWrapper', 'other', true, 184, t.object, true);
  fileT.moduleName = '_io';
  const unsupported = rt.defineStaticType('UnsupportedOperation', 'exception', true, 72, it.exc.OSError, true);
  unsupported.moduleName = 'io';

  const checkOpen = (o: PyObject) => {
    if (S(o).closed) it.raise('ValueError', 'I/O operation on closed file.');
  };
  const checkReadable = (o: PyObject) => {
    checkOpen(o);
    if (!S(o).readable) it.raise(unsupported, 'not readable');
  };
  const readLine = (st: TextState, limit = -1): string => {
    let end = st.buf.indexOf('\n', st.pos);
    end = end < 0 ? st.buf.length : end + 1;
    if (limit >= 0) end = Math.min(end, st.pos + limit);
    const line = st.buf.slice(st.pos, end);
    st.pos = end;
    return line;
  };
  const write = (o: PyObject, s: PyObject): number => {
    checkOpen(o);
    const st = S(o);
    if (!st.writable) it.raise(unsupported, 'not writable');
    if (!(s instanceof PyStr)) it.typeError(o.ob_type === stringIoT ? `string argument expected, got '${it.typeName(s)}'` : `write() argument must be str, not ${it.typeName(s)}`);
    if (st.fd >= 0) {
      fs.writeSync(st.fd, s.v);
      return s.length;
    }
    st.buf = st.buf.slice(0, st.pos).padEnd(st.pos, '\0') + s.v + st.buf.slice(st.pos + s.v.length);
    st.pos += s.v.length;
    return s.length;
  };
  const close = (o: PyObject) => {
    const st = S(o);
    if (st.fd >= 0) {
      try {
        fs.closeSync(st.fd);
      } catch {
        /* already closed */
      }
      st.fd = -1;
    }
    st.closed = true;
  };
  const sizeArg = (args: PyObject[]) => (args.length && args[0] !== rt.None ? toIndex(it, args[0]) : -1);
  const methods: Record<string, NativeFn> = {
    write: (self, args) => it.int(write(self!, args[0])),
    writelines: (self, args) => {
      for (const line of it.iterate(args[0])) {
        try {
          write(self!, line);
        } finally {
          it.decref(line);
        }
      }
      return it.none();
    },
    read: (self, args) => {
      checkReadable(self!);
      const st = S(self!);
      const n = sizeArg(args);
      const end = n < 0 ? st.buf.length : Math.min(st.buf.length, st.pos + n);
      const s = st.buf.slice(st.pos, end);
      st.pos = Math.max(st.pos, end);
      return it.str(s);
    },
    readline: (self, args) => {
      checkReadable(self!);
      return it.str(readLine(S(self!), sizeArg(args)));
    },
    readlines: (self) => {
      checkReadable(self!);
      const st = S(self!);
      const out: PyObject[] = [];
      while (st.pos < st.buf.length) out.push(it.str(readLine(st)));
      return rt.newList(out);
    },
    seek: (self, args) => {
      checkOpen(self!);
      const st = S(self!);
      const off = toIndex(it, args[0]);
      const whence = args.length > 1 ? toIndex(it, args[1]) : 0;
      if (whence === 0) {
        if (off < 0) it.raise('ValueError', `Negative seek position ${off}`);
        st.pos = off;
      } else if (whence === 2) st.pos = st.buf.length;
      return it.int(st.pos);
    },
    tell: (self) => {
      checkOpen(self!);
      return it.int(S(self!).pos);
    },
    truncate: (self, args) => {
      checkOpen(self!);
      const st = S(self!);
      const n = args.length && args[0] !== rt.None ? toIndex(it, args[0]) : st.pos;
      st.buf = st.buf.slice(0, n);
      return it.int(n);
    },
    flush: (self) => {
      checkOpen(self!);
      return it.none();
    },
    close: (self) => {
      close(self!);
      return it.none();
    },
    readable: (self) => (checkOpen(self!), it.bool(S(self!).readable)),
    writable: (self) => (checkOpen(self!), it.bool(S(self!).writable)),
    seekable: (self) => (checkOpen(self!), it.bool(true)),
    isatty: (self) => (checkOpen(self!), it.bool(false)),
    __enter__: (self) => {
      checkOpen(self!);
      return it.incref(self!);
    },
    __exit__: (self) => {
      close(self!);
      return it.none();
    },
    __iter__: (self) => (checkOpen(self!), it.incref(self!)),
    __next__: (self) => {
      checkReadable(self!);
      const line = readLine(S(self!));
      if (!line) it.raise('StopIteration');
      return it.str(line);
    },
  };
  for (const ty of [stringIoT, fileT]) {
    it.defineMethods(ty, methods);
    defineGetset(it, ty, { closed: (self) => it.bool(S(self).closed) });
    it.nativeIter.set(ty, (o) => {
      checkOpen(o);
      return it.incref(o);
    });
    it.nativeNext.set(ty, (o) => {
      checkReadable(o);
      const line = readLine(S(o));
      return line ? it.str(line) : null;
    });
  }
  it.defineMethods(stringIoT, {
    getvalue: (self) => {
      checkOpen(self!);
      return it.str(S(self!).buf);
    },
  });
  defineGetset(it, fileT, { name: (self) => it.str(S(self).name), mode: (self) => it.str(S(self).mode), encoding: () => it.str('UTF-8') });
  it.nativeRepr.set(fileT, (o) => `<_io.TextIOWrapper name=${it.reprString(it.str(S(o).name))} mode='${S(o).mode}' encoding='UTF-8'>`);

  const newText = (ty: PyType, st: Partial<TextState>): PyHolder =>
    rt.newHolder(ty, [], { buf: '', pos: 0, closed: false, readable: true, writable: true, fd: -1, name: '', mode: '', ...st } satisfies TextState, ty.tp_basicsize);
  it.constructors.set(stringIoT, (ty, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const init = a[0] ?? k.get('initial_value');
    if (init && init !== rt.None && !(init instanceof PyStr)) it.typeError(`initial_value must be str or None, not ${it.typeName(init)}`);
    return newText(ty, { buf: init instanceof PyStr ? init.v : '' });
  });

  const osError = (e: unknown, name: string): never => {
    const code = (e as { code?: string }).code ?? '';
    const [tyName, errno, msg] = ERRNO[code] ?? ['OSError', 5, 'Input/output error'];
    it.raise(tyName, `[Errno ${errno}] ${msg}: ${it.reprString(it.str(name))}`);
  };
  const open: NativeFn = (_s, args, kw) => {
    const [a, k] = splitArgs(args, kw);
    const file = a[0] ?? k.get('file');
    if (!file) it.typeError(`open() missing required argument 'file' (pos 1)`);
    if (!(file instanceof PyStr)) it.typeError(`expected str, bytes or os.PathLike object, not ${it.typeName(file)}`);
    const modeObj = a[1] ?? k.get('mode');
    const mode = modeObj ? it.strString(modeObj) : 'r';
    if (!/^[rwax]t?\+?t?$/.test(mode)) {
      if (mode.includes('b')) it.raise('ValueError', 'refscope: binary files are not supported');
      it.raise('ValueError', `invalid mode: '${mode}'`);
    }
    const path = file.v;
    const kind = mode[0];
    const plus = mode.includes('+');
    if (kind === 'r') {
      let buf: string;
      try {
        buf = fs.readFileSync(path, 'utf8');
      } catch (e) {
        return osError(e, path);
      }
      let fd = -1;
      if (plus) fd = openFd(path, 'r+', osError);
      return newText(fileT, { buf, name: path, mode, readable: true, writable: plus, fd });
    }
    const fd = openFd(path, kind === 'w' ? 'w' : kind === 'x' ? 'wx' : 'a', osError);
    return newText(fileT, { name: path, mode, readable: plus, writable: true, fd });
  };
  const openFd = (path: string, flags: string, fail: (e: unknown, name: string) => never): number => {
    try {
      return fs.openSync(path, flags);
    } catch (e) {
      return fail(e, path);
    }
  };
  it.dictSetStr(it.builtins, 'open', rt.newBuiltinFunction('open', open, it.incref(it.dictGetStr(it.modules, 'builtins')!)));

  it.extraModules.set('io', () => {
    const m = makeModule(it, 'io', { open }, { StringIO: () => it.incref(stringIoT), TextIOWrapper: () => it.incref(fileT), UnsupportedOperation: () => it.incref(unsupported) });
    moduleSet(it, m, 'DEFAULT_BUFFER_SIZE', it.int(8192));
    return m;
  });
}
