/*
 * The __del__-cycle audit.
 *
 * The question: which reference cycles hold objects that define __del__,
 * and what does each CPython do with them? The answer is not guessed: the
 * script runs twice, once with PEP 442 finalizers (CPython 3.4+: the cycle
 * is finalized in arbitrary order and freed, unless a finalizer resurrects
 * it) and once with legacy finalizers (CPython <= 3.3 and 2.7: the cycle is
 * uncollectable, its __del__ objects go to gc.garbage and keep everything
 * they reach alive). The profile is the same in both runs except for that
 * one flag, so the difference between the runs *is* the finalizer rule.
 *
 * The legacy run gives the cycles: right after each collection that found
 * uncollectable objects the recorder took a snapshot, in which those objects
 * are still alive. Their strongly connected components (Tarjan) among the
 * objects they reach are the cycles; the references are read back with
 * their objgraph labels, instance `__dict__` hops folded into `obj.attr`.
 * The PEP 442 run tells what happened to the same objects (same allocation
 * serial, or failing that the same type and line): which collection ran
 * their finalizers, in which order, and whether they came back to life.
 */
import { edgeLabelText } from '../snapshot/labels.js';
import type { Snapshot } from '../snapshot/model.js';
import type { FinalizerEvent, GarbageObject, Recording } from './recorder.js';

export interface CycleMember {
  type: string;
  address: string;
  description: string;
  /** where it was created: 'leak.py:34' */
  site: string | null;
  hasDel: boolean;
}

export interface CycleReference {
  from: string;
  to: string;
  /** 'a.peer', 'list[…]', or the edge label */
  via: string;
}

export interface DelCycleFinding {
  members: CycleMember[];
  references: CycleReference[];
  /** what CPython 3.4+ (PEP 442) did, proved by the PEP 442 run */
  modern: { outcome: 'collected' | 'resurrected' | 'not-collected'; text: string; finalizerOrder: string[] };
  /** what CPython <= 3.3 / 2.7 did, proved by the legacy run */
  legacy: { outcome: 'uncollectable'; text: string; garbage: number; keptAlive: number };
}

export interface AuditResult {
  script: string;
  python: '3.11' | '2.7';
  /** which run is the user's profile: PEP 442 for 3.11, legacy for 2.7 */
  primary: 'modern' | 'legacy';
  delCycles: DelCycleFinding[];
  /** the primary run's gc.garbage at the end */
  garbage: GarbageObject[];
  /** objects reachable only through gc.garbage at the end of the primary run: [type, count] */
  keptAliveByGarbage: Array<[string, number]>;
  /** collections of the primary run that left objects uncollectable */
  uncollectable: Array<{ collection: number; generation: number; uncollectable: number; line: number | null }>;
  resurrections: FinalizerEvent[];
}

/** Builds the audit from the PEP 442 run and the legacy run of the same script. */
export function auditRuns(modern: Recording, legacy: Recording): AuditResult {
  const primaryRun = modern.python === '2.7' ? legacy : modern;
  const delCycles: DelCycleFinding[] = [];
  for (const { collection, snapshot, attributeNames } of legacy.uncollectableSnapshots) {
    const c = legacy.collections[collection];
    const garbage = c.garbageAdded.filter((g) => g.hasDel);
    // gc.garbage refers to the objects it holds; a path back through it is
    // not part of the program's cycle, so the search does not enter it.
    const garbageList = snapshot.indexOfAddress(legacy.garbageListAddress);
    const starts = garbage.map((g) => snapshot.indexOfAddress(g.address)).filter((i) => i >= 0);
    for (const cycle of cyclesThrough(snapshot, starts, attributeNames, garbageList >= 0 ? new Set([garbageList]) : new Set())) {
      const members = cycle.nodes.filter((i) => !cycle.folded.has(i)).map((i) => member(snapshot, i, garbage));
      delCycles.push({
        members,
        references: cycle.references,
        modern: modernOutcome(modern, members, garbage),
        legacy: {
          outcome: 'uncollectable',
          text: `${collectionName(c.index, c.automatic)}${c.line ? ` (line ${c.line})` : ''} found ${c.uncollectable} uncollectable object${c.uncollectable === 1 ? '' : 's'}: the ${members.filter((m) => m.hasDel).length} with __del__ went to gc.garbage and were never finalized; everything they reach stays alive`,
          garbage: members.filter((m) => m.hasDel).length,
          keptAlive: c.uncollectable,
        },
      });
    }
  }
  return {
    script: modern.script,
    python: modern.python,
    primary: primaryRun === modern ? 'modern' : 'legacy',
    delCycles,
    garbage: primaryRun.garbage,
    keptAliveByGarbage: keptAliveByGarbage(primaryRun.endSnapshot, primaryRun.garbage.map((g) => g.address)),
    uncollectable: primaryRun.collections.filter((c) => c.uncollectable > 0).map((c) => ({ collection: c.index, generation: c.generation, uncollectable: c.uncollectable, line: c.line })),
    resurrections: primaryRun.finalizers.filter((f) => f.resurrected),
  };
}

export function collectionName(index: number, automatic: boolean): string {
  return `${automatic ? 'automatic collection' : 'gc.collect()'} #${index + 1}`;
}

function member(s: Snapshot, i: number, garbage: GarbageObject[]): CycleMember {
  const address = s.objects.address[i];
  const g = garbage.find((x) => x.address === address);
  return {
    type: s.typeOf(i).short,
    address: `0x${address.toString(16)}`,
    description: `${s.typeOf(i).short} 0x${address.toString(16)}`,
    site: g?.site ?? null,
    hasDel: s.hasFinalizer(i),
  };
}

/** What the PEP 442 run did with the objects of a legacy-run cycle. */
function modernOutcome(modern: Recording, members: CycleMember[], garbage: GarbageObject[]): DelCycleFinding['modern'] {
  const used = new Set<FinalizerEvent>();
  const events: FinalizerEvent[] = [];
  for (const g of garbage) {
    if (!members.some((m) => m.address === `0x${g.address.toString(16)}`)) continue;
    const ev =
      modern.finalizers.find((f) => !used.has(f) && f.object.serial === g.serial && f.object.type === g.type) ??
      modern.finalizers.find((f) => !used.has(f) && f.object.type === g.type && f.object.site === g.site);
    if (ev) {
      used.add(ev);
      events.push(ev);
    }
  }
  if (events.length === 0) {
    return { outcome: 'not-collected', text: 'the PEP 442 run never finalized these objects: the cycle was still reachable (or the run ended first)', finalizerOrder: [] };
  }
  events.sort((a, b) => a.order - b.order);
  const order = events.map((e) => `${e.object.type} (${e.object.site ?? 'unknown line'})`);
  const c = events[0].collection;
  const where = c === null ? 'when its reference count dropped to zero' : `by ${collectionName(c, modern.collections[c]?.automatic ?? false)}${modern.collections[c]?.line ? ` (line ${modern.collections[c].line})` : ''}`;
  if (events.some((e) => e.resurrected)) {
    const r = events.filter((e) => e.resurrected).map((e) => e.object.type);
    return { outcome: 'resurrected', text: `__del__ ran once for each (${order.join(', then ')}) ${where}; ${r.join(', ')} resurrected the cycle, so it survived (and __del__ will not run again)`, finalizerOrder: order };
  }
  return { outcome: 'collected', text: `finalized in arbitrary order ${where}: __del__ ran for ${order.join(', then ')}, then the cycle was freed; gc.garbage stays empty`, finalizerOrder: order };
}

interface Cycle {
  nodes: number[];
  /** instance __dict__ dicts folded into `obj.attr` references */
  folded: Set<number>;
  references: CycleReference[];
}

/** Most objects explored from one group of uncollectable objects. */
const MAX_EXPLORE = 5000;

/** Strongly connected components (size > 1 or a self-reference) containing one of `starts`. */
export function cyclesThrough(s: Snapshot, starts: number[], attributeNames: Map<string, string> = new Map(), exclude: Set<number> = new Set()): Cycle[] {
  // Iterative Tarjan over the objects reachable from `starts`.
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const sccs: number[][] = [];
  let counter = 0;
  for (const root of starts) {
    if (index.has(root)) continue;
    const work: Array<[number, number]> = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, k] = top;
      const next = s.referents(v);
      if (k < next.length && index.size < MAX_EXPLORE) {
        top[1]++;
        const w = next[k];
        if (!s.isTracked(w) || exclude.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        sccs.push(comp);
      }
    }
  }
  const startSet = new Set(starts);
  const out: Cycle[] = [];
  for (const comp of sccs) {
    const selfLoop = comp.length === 1 && Array.from(s.referents(comp[0])).includes(comp[0]);
    if (!comp.some((i) => startSet.has(i)) || (comp.length < 2 && !selfLoop)) continue;
    comp.sort((a, b) => a - b);
    out.push(describeCycle(s, comp, attributeNames));
  }
  return out;
}

function describeCycle(s: Snapshot, nodes: number[], attributeNames: Map<string, string>): Cycle {
  const inCycle = new Set(nodes);
  // An instance's attribute dict: a dict whose referrer in the cycle reaches it through `__dict__`.
  const owner = new Map<number, number>();
  for (const u of nodes) {
    for (let r = s.referenceBegin(u); r < s.referenceEnd(u); r++) {
      const v = s.references.to[r];
      if (inCycle.has(v) && edgeLabelText(s, r) === '__dict__' && s.typeOf(v).short === 'dict') owner.set(v, u);
    }
  }
  const name = (i: number) => `${s.typeOf(i).short} 0x${s.objects.address[i].toString(16)}`;
  const references: CycleReference[] = [];
  for (const u of nodes) {
    if (u === undefined) continue;
    const from = owner.get(u) ?? u;
    for (let r = s.referenceBegin(u); r < s.referenceEnd(u); r++) {
      const v = s.references.to[r];
      if (!inCycle.has(v) || owner.get(v) === u) continue;
      const label = (edgeLabelText(s, r) || attributeNames.get(`${s.objects.address[u]}:${s.objects.address[v]}`) || '').replace(/\n/g, ' ');
      const via = owner.has(u) || (s.typeOf(u).short !== 'dict' && label && !label.includes(' '))
        ? `.${label || '?'}`
        : label
          ? `[${label}]`
          : s.typeOf(u).short === 'list' || s.typeOf(u).short === 'tuple'
            ? '[…]'
            : ' →';
      references.push({ from: name(from), to: name(v), via: `${name(from)}${via}` });
    }
  }
  return { nodes, folded: new Set(owner.keys()), references };
}

/** Objects reachable from gc.garbage but from no module except through it: [type, count]. */
export function keptAliveByGarbage(s: Snapshot, garbageAddresses: number[]): Array<[string, number]> {
  if (garbageAddresses.length === 0) return [];
  const starts = garbageAddresses.map((a) => s.indexOfAddress(a)).filter((i) => i >= 0);
  // The gc.garbage list itself: the tracked list referring to all of them.
  const lists = starts.length ? Array.from(s.referrers(starts[0])).filter((j) => s.typeOf(j).short === 'list' && starts.every((i) => Array.from(s.referents(j)).includes(i))) : [];
  const blocked = new Set<number>(lists);
  const fromModules = new Uint8Array(s.objectCount);
  const queue: number[] = [];
  for (const m of s.modules) if (!blocked.has(m.object) && !fromModules[m.object]) (fromModules[m.object] = 1), queue.push(m.object);
  while (queue.length) {
    const v = queue.pop()!;
    for (const w of s.referents(v)) if (!fromModules[w] && !blocked.has(w)) (fromModules[w] = 1), queue.push(w);
  }
  const seen = new Uint8Array(s.objectCount);
  const counts = new Map<string, number>();
  for (const i of starts) if (!seen[i]) (seen[i] = 1), queue.push(i);
  while (queue.length) {
    const v = queue.pop()!;
    if (!fromModules[v] && s.isTracked(v)) counts.set(s.typeOf(v).short, (counts.get(s.typeOf(v).short) ?? 0) + 1);
    for (const w of s.referents(v)) if (!seen[w] && !fromModules[w]) (seen[w] = 1), queue.push(w);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
