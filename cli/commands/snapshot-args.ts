// Helpers shared by the snapshot commands (top, diff, chain, refs, backrefs):
// opening snapshot files, checking numeric options, picking one object.
// Every problem becomes a UsageError: one line on stderr, exit status 2.
import { formatAddress, loadSnapshot, SnapshotError, type Snapshot } from '../../lib/index.js';
import { UsageError } from '../errors.js';

/** Loads a snapshot file; a bad file is a usage error (exit 2), never a stack trace. */
export function openSnapshot(file: string): Snapshot {
  try {
    return loadSnapshot(file);
  } catch (err) {
    if (err instanceof SnapshotError) throw new UsageError(err.message);
    throw err;
  }
}

/** Checks that an option is a whole number >= min (yargs turns `abc` into NaN). */
export function wholeNumber(value: unknown, option: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`--${option} must be a whole number${min > 0 ? ` of at least ${min}` : min === 0 ? ' (0 or more)' : ''}, got ${String(value)}`);
  }
  return value;
}

/** Parses `0x7f...` (as Python's hex(id(x))) or a decimal address. */
export function parseAddress(text: string): number {
  const t = String(text).trim();
  const value = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`--address must be an address such as 0x7f3a5c012340 or a decimal id(), got '${t}'`);
  return value;
}

export interface PickArgs {
  type?: string;
  nth?: number;
  address?: string;
}

/** The yargs options that pick one object: --type with --nth, or --address. */
export function pickOptions<T>(y: T & { option: (name: string, opts: object) => unknown }): void {
  y.option('type', {
    type: 'string',
    describe: "type of the object: a short name ('Session') or a long one ('__main__.Session')",
  });
  y.option('nth', {
    type: 'number',
    describe: 'which object of --type, in heap-walk order: 0 is the first, -1 the last (as objgraph.by_type(NAME)[K])',
  });
  y.option('address', {
    type: 'string',
    describe: 'the object at this address (hex(id(obj)), e.g. 0x7f3a5c012340); any object, tracked or not',
  });
}

/**
 * Resolves --type/--nth/--address to an object index. --type considers
 * GC-tracked objects only, as objgraph.by_type does.
 */
export function pickObject(s: Snapshot, args: PickArgs): number {
  if (args.address !== undefined) {
    if (args.nth !== undefined) throw new UsageError('give --nth or --address, not both');
    const address = parseAddress(args.address);
    const i = s.indexOfAddress(address);
    if (i < 0) throw new UsageError(`no object at ${formatAddress(address)} in this snapshot`);
    if (args.type !== undefined && !typeMatches(s, i, args.type)) {
      throw new UsageError(`the object at ${formatAddress(address)} is a ${s.typeOf(i).short}, not a ${args.type}`);
    }
    return i;
  }
  if (args.type === undefined) throw new UsageError('name the object: --type NAME [--nth K], or --address ADDR');
  const found = s.objectsOfType(args.type);
  if (found.length === 0) {
    const untracked = s.objectsOfType(args.type, { allObjects: true }).length;
    throw new UsageError(
      untracked
        ? `no GC-tracked object of type '${args.type}' (${untracked === 1 ? 'there is 1 untracked one' : `there are ${untracked} untracked ones`}: pick one with --address)`
        : `no object of type '${args.type}' in this snapshot (refscope top lists the types)`,
    );
  }
  const nth = args.nth === undefined ? 0 : wholeNumber(args.nth, 'nth', -found.length);
  const k = nth < 0 ? found.length + nth : nth;
  if (k >= found.length) {
    throw new UsageError(`--nth ${nth} is out of range: there ${found.length === 1 ? 'is 1 object' : `are ${found.length} objects`} of type '${args.type}'`);
  }
  return found[k];
}

function typeMatches(s: Snapshot, i: number, name: string): boolean {
  const t = s.typeOf(i);
  return name.includes('.') ? t.long === name : t.short === name;
}

/** Writes a value as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
