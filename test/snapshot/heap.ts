// A small synthetic heap, described as data and fed through SnapshotBuilder:
// two proper modules, a module that is not in sys.modules, dicts (one with
// non-identifier keys), a list, instances in a __dict__ cycle, untracked
// atoms, and (in step 2) a new object at a reused address.
import { SnapshotBuilder, type EdgeLabel, type Generation, type Snapshot } from '../../lib/index.js';

export interface Spec {
  id: string;
  address: number;
  serial: number;
  type: string;
  typeLong?: string;
  size?: number;
  refcount?: number;
  gen?: Generation;
  repr?: string;
  label?: string;
  module?: string;
  finalizer?: boolean;
  /** references in gc.get_referents order: [target id, edge] */
  refs?: Array<[string, EdgeLabel?]>;
}

/** Builds a snapshot; returns it with a map from spec id to object index. */
export function buildHeap(specs: Spec[], modules: Record<string, string>, step = 0, label = `step ${step}`): { snap: Snapshot; ix: Record<string, number> } {
  const b = new SnapshotBuilder();
  const ix: Record<string, number> = {};
  for (const s of specs) {
    ix[s.id] = b.addObject({
      address: s.address,
      serial: s.serial,
      type: s.type,
      typeLong: s.typeLong ?? (/^[A-Z]/.test(s.type) ? `__main__.${s.type}` : `builtins.${s.type}`),
      size: s.size ?? 48,
      refcount: s.refcount ?? 1,
      gen: s.gen === undefined ? 0 : s.gen,
      finalizer: s.finalizer ?? false,
      finalized: false,
      repr: s.repr ?? `<__main__.${s.type} object at 0x${s.address.toString(16)}>`,
      label: s.label ?? (s.repr ?? `<__main__.${s.type} object at 0x${s.address.toString(16)}>`).slice(0, 40),
      module: s.module,
    });
  }
  for (const [name, id] of Object.entries(modules)) b.addModule(name, ix[id]);
  for (const s of specs) for (const [to, edge] of s.refs ?? []) b.addReference(ix[s.id], ix[to], edge);
  return { snap: b.finish({ label, step, profile: '3.11', script: 'leak.py', createdBy: 'refscope test' }), ix };
}

const key = (name: string): EdgeLabel => ({ kind: 'key', name });
const DICT: EdgeLabel = { kind: '__dict__' };

/** Objects common to both steps, in heap-walk order. */
function common(sessions: string[]): Spec[] {
  return [
    { id: 'main', address: 0x1000, serial: 1, type: 'module', size: 72, gen: 2, repr: "<module '__main__' from 'leak.py'>", label: '__main__', module: '__main__', refs: [['globals', DICT]] },
    { id: 'sys', address: 0x1100, serial: 2, type: 'module', size: 72, gen: 2, repr: "<module 'sys' (built-in)>", label: 'sys', module: 'sys', refs: [['sysdict', DICT]] },
    { id: 'func', address: 0x1200, serial: 3, type: 'function', size: 136, gen: 2, repr: '<function <module> at 0x1200>', label: '<module>', refs: [['globals', { kind: '__globals__' }]] },
    {
      id: 'globals', address: 0x2000, serial: 4, type: 'dict', size: 360, gen: 2, repr: "{'registry': {...}, 'x y': ..., 42: (1, 2)}", label: '3 items',
      refs: [
        ['registry', key('registry')],
        ['temp', { kind: 'key-repr', keyType: 'str', keyTypeLong: 'builtins.str', keyRepr: "'x y'" }],
        ['xy'],
        ['pair', { kind: 'key-repr', keyType: 'int', keyTypeLong: 'builtins.int', keyRepr: '42' }],
        ['int42'],
      ],
    },
    { id: 'registry', address: 0x3000, serial: 5, type: 'dict', size: 232, gen: 2, repr: "{'sessions': [...]}", label: '1 items', refs: [['sessions', key('sessions')]] },
    { id: 'sessions', address: 0x4000, serial: 6, type: 'list', size: 56 + 8 * sessions.length, gen: 0, repr: '[...]', label: `${sessions.length} items`, refs: sessions.map((s): [string] => [s]) },
  ];
}

/** Step 1: Sessions A and B in a __dict__ cycle; A is also held by a module outside sys.modules. */
export function step1(): { snap: Snapshot; ix: Record<string, number> } {
  return buildHeap(
    [
      ...common(['A']),
      { id: 'A', address: 0x5000, serial: 10, type: 'Session', refs: [['dictA', DICT]] },
      { id: 'dictA', address: 0x5100, serial: 11, type: 'dict', size: 104, repr: "{'peer': <...>}", label: '1 items', refs: [['B', key('peer')]] },
      { id: 'B', address: 0x5200, serial: 12, type: 'Session', finalizer: true, refs: [['dictB', DICT]] },
      { id: 'dictB', address: 0x5300, serial: 13, type: 'dict', size: 104, repr: "{'peer': <...>}", label: '1 items', refs: [['A', key('peer')]] },
      { id: 'temp', address: 0x6000, serial: 20, type: 'Temp' },
      { id: 'xy', address: 0x7000, serial: 21, type: 'str', size: 52, gen: null, repr: "'x y'", label: "'x y'" },
      { id: 'int42', address: 0x7100, serial: 22, type: 'int', size: 28, gen: null, repr: '42', label: '42' },
      { id: 'pair', address: 0x7200, serial: 23, type: 'tuple', size: 56, gen: null, repr: '(1, 2)', label: '2 items' },
      { id: 'sysdict', address: 0x8000, serial: 24, type: 'dict', size: 232, gen: 2, repr: '{...}', label: '0 items' },
      { id: 'fake', address: 0x9000, serial: 25, type: 'module', size: 72, repr: "<module 'fake'>", label: 'fake', module: 'fake', refs: [['fakedict', DICT]] },
      { id: 'fakedict', address: 0x9100, serial: 26, type: 'dict', size: 104, repr: "{'a': <...>}", label: '1 items', refs: [['A', key('a')]] },
    ],
    { __main__: 'main', sys: 'sys' },
    1,
    'gc.collect() #1',
  );
}

/**
 * Step 2: B and its dict were collected, Sessions C and D appeared, the list
 * grew, and a new Temp lives at the old Temp's address (a new serial).
 */
export function step2(): { snap: Snapshot; ix: Record<string, number> } {
  return buildHeap(
    [
      ...common(['A', 'C', 'D']),
      { id: 'A', address: 0x5000, serial: 10, type: 'Session', refs: [['dictA', DICT]] },
      { id: 'dictA', address: 0x5100, serial: 11, type: 'dict', size: 104, repr: '{}', label: '0 items' },
      { id: 'C', address: 0x5400, serial: 30, type: 'Session', refs: [['dictC', DICT]] },
      { id: 'dictC', address: 0x5500, serial: 31, type: 'dict', size: 104, repr: '{}', label: '0 items' },
      { id: 'D', address: 0x5600, serial: 32, type: 'Session', refs: [['dictD', DICT]] },
      { id: 'dictD', address: 0x5700, serial: 33, type: 'dict', size: 104, repr: '{}', label: '0 items' },
      { id: 'temp', address: 0x6000, serial: 40, type: 'Temp' },
      { id: 'xy', address: 0x7000, serial: 21, type: 'str', size: 52, gen: null, repr: "'x y'", label: "'x y'" },
      { id: 'int42', address: 0x7100, serial: 22, type: 'int', size: 28, gen: null, repr: '42', label: '42' },
      { id: 'pair', address: 0x7200, serial: 23, type: 'tuple', size: 56, gen: null, repr: '(1, 2)', label: '2 items' },
      { id: 'sysdict', address: 0x8000, serial: 24, type: 'dict', size: 232, gen: 2, repr: '{...}', label: '0 items' },
    ],
    { __main__: 'main', sys: 'sys' },
    2,
    'gc.collect() #2',
  );
}
