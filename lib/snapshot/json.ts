// Snapshot files: JSON, columnar, versioned. The format is published as a JSON
// Schema in snapshot.schema.json (see README.md beside it).
//
// Saving streams the columns out in chunks, so no single string grows with
// the heap. Loading treats the file as hostile: it refuses files over
// MAX_SNAPSHOT_BYTES before reading them, parses once, then checks every
// structural rule the schema states plus the ones a schema cannot (indices
// within the declared counts, references grouped by source, unique
// addresses), copying each column into a typed array in the same pass. Any
// violation is one SnapshotError whose message names the field and the index.
//
// The validator is hand-written rather than a JSON Schema library: the costly
// checks are cross-field (index bounds against counts, ordering, uniqueness),
// which a schema cannot express, and a per-element library pass over a
// million-entry column would double the load time and word errors in its own
// terms rather than in one sentence for the user.
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import {
  AddressIndex,
  EDGE_KINDS,
  EdgeCode,
  GenCode,
  MAX_COUNT,
  MAX_NAME_LENGTH,
  MAX_REPR_LENGTH,
  ObjectFlag,
  Snapshot,
  SNAPSHOT_VERSION,
  SnapshotError,
  type ModuleEntry,
  type ObjectColumns,
  type Profile,
  type ReferenceColumns,
  type SnapshotMeta,
  type TypeInfo,
} from './model.js';

/** The `format` field every snapshot file starts with. */
export const SNAPSHOT_FORMAT = 'refscope-snapshot';

/**
 * Largest snapshot file read: 1 GiB, or less where the JavaScript engine cannot
 * hold the text as one string (JSON.parse needs it whole). Keeps a hostile or
 * mistaken file from exhausting memory; a million-object heap is ~100 MB.
 */
export const MAX_SNAPSHOT_BYTES = Math.min(2 ** 30, bufferConstants.MAX_STRING_LENGTH);

const PROFILES: readonly Profile[] = ['3.11', '2.7'];
const ALL_FLAGS = ObjectFlag.Tracked | ObjectFlag.Finalizer | ObjectFlag.Finalized | ObjectFlag.ReprTruncated | ObjectFlag.Module;
/** Elements per chunk when writing a column: keeps each written string small. */
const CHUNK = 65536;

/**
 * Writes the snapshot as JSON text, piece by piece, to `write`.
 * @example
 * let text = ''; writeSnapshotJson(snap, (s) => { text += s; });
 */
export function writeSnapshotJson(s: Snapshot, write: (chunk: string) => void): void {
  const o = s.objects;
  const r = s.references;
  const meta = { label: s.meta.label, step: s.meta.step, profile: s.meta.profile, script: s.meta.script, createdBy: s.meta.createdBy };
  write(`{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"version":${SNAPSHOT_VERSION},\n"meta":${JSON.stringify(meta)},\n"strings":`);
  writeStrings(s.strings, write);
  write(',\n"types":{"short":');
  writeStrings(s.types.map((t) => t.short), write);
  write(',"long":');
  writeStrings(s.types.map((t) => t.long), write);
  write('},\n"modules":{"name":');
  writeStrings(s.modules.map((m) => m.name), write);
  write(`,"object":[${s.modules.map((m) => m.object).join(',')}]},\n"objects":{"count":${s.objectCount}`);
  for (const field of OBJECT_FIELDS) {
    write(`,\n"${field}":`);
    writeNumbers(o[field], write);
  }
  write(`},\n"references":{"count":${s.referenceCount},"edgeKinds":${JSON.stringify(EDGE_KINDS)}`);
  for (const field of REFERENCE_FIELDS) {
    write(`,\n"${field}":`);
    writeNumbers(r[field], write);
  }
  write('}}\n');
}

/** The whole snapshot as one JSON string (small snapshots, tests). */
export function snapshotToJson(s: Snapshot): string {
  const parts: string[] = [];
  writeSnapshotJson(s, (c) => parts.push(c));
  return parts.join('');
}

/**
 * Saves to `file` through a temporary sibling renamed at the end, so a crash
 * never leaves a half-written snapshot under the real name.
 */
export function saveSnapshot(s: Snapshot, file: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    if (pendingLength) writeSync(fd, pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  try {
    writeSnapshotJson(s, (chunk) => {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= 1 << 20) flush();
    });
    flush();
    closeSync(fd);
    renameSync(tmp, file);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}

/**
 * Reads and validates a snapshot file. Every problem (missing, too large, not
 * JSON, not a snapshot, inconsistent) is one SnapshotError naming the file.
 */
export function loadSnapshot(file: string): Snapshot {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new SnapshotError(`${file}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`${file}: cannot read: ${describeFsError(err)}`);
  }
  if (size > MAX_SNAPSHOT_BYTES) {
    throw new SnapshotError(`${file}: ${formatBytes(size)} is too large for a snapshot file (refscope reads at most ${formatBytes(MAX_SNAPSHOT_BYTES)})`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SnapshotError(`${file}: cannot read: ${describeFsError(err)}`);
  }
  try {
    return parseSnapshot(text);
  } catch (err) {
    if (err instanceof SnapshotError) throw new SnapshotError(`${file}: ${err.message}`);
    throw err;
  }
}

/** Parses and validates snapshot JSON text. */
export function parseSnapshot(text: string): Snapshot {
  if (text.length > MAX_SNAPSHOT_BYTES) throw new SnapshotError(`text of ${text.length} characters is too large for a snapshot`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`not valid JSON (${(err as Error).message})`);
  }
  return snapshotFromJson(value);
}

/** Validates an already parsed JSON value and builds the Snapshot. */
export function snapshotFromJson(value: unknown): Snapshot {
  const root = record(value, 'the file');
  if (root.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`not a refscope snapshot (expected "format": "${SNAPSHOT_FORMAT}")`);
  }
  if (root.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(`snapshot schema version ${JSON.stringify(root.version)} is not supported (this refscope reads version ${SNAPSHOT_VERSION})`);
  }
  const meta = readMeta(record(root.meta, 'meta'));
  const strings = stringArray(root.strings, 'strings', MAX_COUNT, MAX_NAME_LENGTH);

  const typesValue = record(root.types, 'types');
  const shorts = stringArray(typesValue.short, 'types.short', MAX_COUNT, MAX_NAME_LENGTH);
  const longs = stringArray(typesValue.long, 'types.long', MAX_COUNT, MAX_NAME_LENGTH);
  if (shorts.length !== longs.length) {
    throw new SnapshotError(`types.short has ${shorts.length} entries but types.long has ${longs.length}`);
  }
  const types: TypeInfo[] = shorts.map((short, t) => ({ short, long: longs[t] }));

  const ov = record(root.objects, 'objects');
  const n = count(ov.count, 'objects.count');
  const nStrings = strings.length;
  const nTypes = types.length;
  const objects: ObjectColumns = {
    address: column(ov, 'objects', 'address', n, Float64Array, isCount, 'a non-negative integer'),
    serial: column(ov, 'objects', 'serial', n, Float64Array, isCount, 'a non-negative integer'),
    type: column(ov, 'objects', 'type', n, Int32Array, below(nTypes), `a type index below ${nTypes}`),
    size: column(ov, 'objects', 'size', n, Float64Array, isCount, 'a non-negative integer'),
    refcount: column(ov, 'objects', 'refcount', n, Float64Array, isCount, 'a non-negative integer'),
    gen: column(ov, 'objects', 'gen', n, Int8Array, (x) => Number.isInteger(x) && x >= GenCode.None && x <= GenCode.Permanent, '-1, 0, 1, 2 or 3'),
    flags: column(ov, 'objects', 'flags', n, Uint8Array, (x) => Number.isInteger(x) && x >= 0 && (x & ~ALL_FLAGS) === 0, `an integer of flag bits (at most ${ALL_FLAGS})`),
    repr: column(ov, 'objects', 'repr', n, Int32Array, (x) => below(nStrings)(x) && strings[x].length <= MAX_REPR_LENGTH, `a string index below ${nStrings} whose string has at most ${MAX_REPR_LENGTH} characters`),
    label: column(ov, 'objects', 'label', n, Int32Array, below(nStrings), `a string index below ${nStrings}`),
    module: column(ov, 'objects', 'module', n, Int32Array, (x) => x === -1 || below(nStrings)(x), `-1 or a string index below ${nStrings}`),
  };
  let totalSize = 0;
  for (let i = 0; i < n; i++) {
    const flags = objects.flags[i];
    if (objects.gen[i] !== GenCode.None && !(flags & ObjectFlag.Tracked)) {
      throw new SnapshotError(`objects: object ${i} is in generation ${objects.gen[i]} but not flagged as tracked`);
    }
    if ((objects.module[i] >= 0) !== ((flags & ObjectFlag.Module) !== 0)) {
      throw new SnapshotError(`objects: object ${i} has a module name iff it is flagged as a module, and it is not so`);
    }
    totalSize += objects.size[i];
  }
  if (!Number.isSafeInteger(totalSize)) throw new SnapshotError('objects.size: the sizes add up to more than 2^53 bytes');

  const rv = record(root.references, 'references');
  const m = count(rv.count, 'references.count');
  if (!Array.isArray(rv.edgeKinds) || rv.edgeKinds.length !== EDGE_KINDS.length || rv.edgeKinds.some((k, j) => k !== EDGE_KINDS[j])) {
    throw new SnapshotError(`references.edgeKinds must be ${JSON.stringify(EDGE_KINDS)}`);
  }
  const index = below(n);
  const references: ReferenceColumns = {
    from: column(rv, 'references', 'from', m, Int32Array, index, `an object index below ${n}`),
    to: column(rv, 'references', 'to', m, Int32Array, index, `an object index below ${n}`),
    kind: column(rv, 'references', 'kind', m, Uint8Array, below(EDGE_KINDS.length), `an edge kind below ${EDGE_KINDS.length}`),
    name: column(rv, 'references', 'name', m, Int32Array, (x) => x === -1 || below(nStrings)(x), `-1 or a string index below ${nStrings}`),
    keyType: column(rv, 'references', 'keyType', m, Int32Array, (x) => x === -1 || below(nTypes)(x), `-1 or a type index below ${nTypes}`),
  };
  for (let k = 0; k < m; k++) {
    if (k > 0 && references.from[k] < references.from[k - 1]) {
      throw new SnapshotError(`references.from[${k}]: references must be grouped by source in object order`);
    }
    const kind = references.kind[k];
    const named = kind === EdgeCode.Attribute || kind === EdgeCode.Key || kind === EdgeCode.KeyRepr;
    if (named !== references.name[k] >= 0) {
      throw new SnapshotError(`references.name[${k}]: a ${EDGE_KINDS[kind]} edge ${named ? 'needs a name' : 'has no name'}`);
    }
    if ((kind === EdgeCode.KeyRepr) !== references.keyType[k] >= 0) {
      throw new SnapshotError(`references.keyType[${k}]: only key-repr edges, and all of them, have a key type`);
    }
  }

  const mv = record(root.modules, 'modules');
  const moduleNames = stringArray(mv.name, 'modules.name', MAX_COUNT, MAX_NAME_LENGTH);
  const moduleObjects = column(mv, 'modules', 'object', moduleNames.length, Int32Array, index, `an object index below ${n}`, 'modules.name');
  const modules: ModuleEntry[] = moduleNames.map((name, j) => ({ name, object: moduleObjects[j] }));

  const parts = { meta: { ...meta, version: SNAPSHOT_VERSION }, strings, types, objects, references, modules };
  return Snapshot.withAddressIndex(parts, new AddressIndex(objects.address));
}

const OBJECT_FIELDS = ['address', 'serial', 'type', 'size', 'refcount', 'gen', 'flags', 'repr', 'label', 'module'] as const;
const REFERENCE_FIELDS = ['from', 'to', 'kind', 'name', 'keyType'] as const;

/** The column names a snapshot file holds, for tests that compare them with the schema. */
export const SNAPSHOT_COLUMNS = { objects: OBJECT_FIELDS, references: REFERENCE_FIELDS } as const;

function writeNumbers(a: ArrayLike<number> & { subarray(b: number, e: number): { join(sep: string): string } }, write: (s: string) => void): void {
  write('[');
  for (let b = 0; b < a.length; b += CHUNK) {
    if (b) write(',');
    write(a.subarray(b, Math.min(a.length, b + CHUNK)).join(','));
  }
  write(']');
}

function writeStrings(a: readonly string[], write: (s: string) => void): void {
  write('[');
  for (let b = 0; b < a.length; b += CHUNK) {
    if (b) write(',');
    write(JSON.stringify(a.slice(b, b + CHUNK)).slice(1, -1));
  }
  write(']');
}

function readMeta(v: Record<string, unknown>): Omit<SnapshotMeta, 'version'> {
  const str = (field: string): string => {
    const x = v[field];
    if (typeof x !== 'string') throw new SnapshotError(`meta.${field} must be a string`);
    if (x.length > MAX_NAME_LENGTH) throw new SnapshotError(`meta.${field} is longer than ${MAX_NAME_LENGTH} characters`);
    return x;
  };
  if (!isCount(v.step)) throw new SnapshotError('meta.step must be a non-negative integer');
  const profile = v.profile as Profile;
  if (!PROFILES.includes(profile)) throw new SnapshotError(`meta.profile must be one of ${PROFILES.map((p) => `"${p}"`).join(', ')}`);
  return { label: str('label'), step: v.step as number, profile, script: str('script'), createdBy: str('createdBy') };
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SnapshotError(`${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SnapshotError(`${what} must be a non-negative integer`);
  if (v > MAX_COUNT) throw new SnapshotError(`${what} is ${v}, more than the ${MAX_COUNT} a snapshot can hold`);
  return v;
}

function isCount(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function below(limit: number): (x: number) => boolean {
  return (x) => Number.isInteger(x) && x >= 0 && x < limit;
}

function stringArray(v: unknown, what: string, maxCount: number, maxLength: number): string[] {
  if (!Array.isArray(v)) throw new SnapshotError(`${what} must be an array of strings`);
  if (v.length > maxCount) throw new SnapshotError(`${what} has more than ${maxCount} entries`);
  for (let j = 0; j < v.length; j++) {
    const s = v[j];
    if (typeof s !== 'string') throw new SnapshotError(`${what}[${j}] must be a string`);
    if (s.length > maxLength) throw new SnapshotError(`${what}[${j}] is longer than ${maxLength} characters`);
  }
  return v as string[];
}

/**
 * Checks that `container[field]` is an array of exactly `n` numbers accepted by
 * `ok`, copying it into a new typed array. The length is checked against the
 * declared count before anything is allocated.
 */
function column<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(
  container: Record<string, unknown>,
  where: string,
  field: string,
  n: number,
  Type: new (n: number) => T,
  ok: (x: number) => boolean,
  expected: string,
  countedBy = `${where}.count`,
): T {
  const v = container[field];
  if (!Array.isArray(v)) throw new SnapshotError(`${where}.${field} must be an array of numbers`);
  if (v.length !== n) throw new SnapshotError(`${where}.${field} has ${v.length} entries but ${countedBy} says ${n}`);
  const out = new Type(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !ok(x)) {
      throw new SnapshotError(`${where}.${field}[${i}] is ${describeValue(x)}, expected ${expected}`);
    }
    out[i] = x;
  }
  return out;
}

/** A short rendering of a bad value: never the whole of a hostile nested structure. */
function describeValue(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error).message;
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${n} bytes`;
}
