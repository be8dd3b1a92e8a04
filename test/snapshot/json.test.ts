import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EDGE_KINDS,
  loadSnapshot,
  MAX_SNAPSHOT_BYTES,
  parseSnapshot,
  saveSnapshot,
  SNAPSHOT_VERSION,
  SnapshotError,
  snapshotToJson,
  type Snapshot,
} from '../../lib/index.js';
import { SNAPSHOT_COLUMNS } from '../../lib/snapshot/json.js';
import { step1 } from './heap.js';

const schema = JSON.parse(readFileSync(new URL('../../../lib/snapshot/snapshot.schema.json', import.meta.url), 'utf8'));

function everything(s: Snapshot) {
  return {
    meta: s.meta,
    objects: Array.from({ length: s.objectCount }, (_, i) => s.object(i)),
    references: Array.from({ length: s.referenceCount }, (_, r) => [s.references.from[r], s.references.to[r], s.edge(r)]),
    modules: s.modules,
  };
}

const RoundTrip = suite('snapshot JSON round trip');

RoundTrip('text → snapshot → the same text and the same data', () => {
  const { snap } = step1();
  const text = snapshotToJson(snap);
  const back = parseSnapshot(text);
  assert.is(snapshotToJson(back), text);
  assert.equal(everything(back), everything(snap));
  assert.equal([...back.referrers(5)], [...snap.referrers(5)]);
});

RoundTrip('save and load through a file; no temporary file left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refscope-snap-'));
  try {
    const { snap } = step1();
    const file = join(dir, 'step.json');
    saveSnapshot(snap, file);
    assert.equal(readdirSync(dir), ['step.json']);
    assert.equal(everything(loadSnapshot(file)), everything(snap));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

RoundTrip('the published schema names the same version, fields and edge kinds', () => {
  const { snap } = step1();
  const file = JSON.parse(snapshotToJson(snap));
  assert.is(schema.properties.version.const, SNAPSHOT_VERSION);
  assert.equal(schema.required.slice().sort(), Object.keys(file).sort());
  assert.equal(schema.properties.objects.required, ['count', ...SNAPSHOT_COLUMNS.objects]);
  assert.equal(schema.properties.references.required, ['count', 'edgeKinds', ...SNAPSHOT_COLUMNS.references]);
  assert.equal(schema.properties.references.properties.edgeKinds.const, EDGE_KINDS);
  assert.equal(Object.keys(file.objects), schema.properties.objects.required);
  assert.equal(schema.properties.meta.required.slice().sort(), Object.keys(file.meta).sort());
});

RoundTrip.run();

const Hostile = suite('hostile snapshot files');

/** A valid file as a JSON value, to damage one field at a time. */
const valid = () => JSON.parse(snapshotToJson(step1().snap));

function rejects(damage: (v: any) => void, message: RegExp) {
  const v = valid();
  damage(v);
  rejectsText(JSON.stringify(v), message);
}

function rejectsText(text: string, message: RegExp) {
  try {
    parseSnapshot(text);
  } catch (err) {
    assert.instance(err, SnapshotError);
    const m = (err as Error).message;
    assert.match(m, message);
    assert.not.match(m, /\n/, 'one line');
    assert.ok(m.length < 300, `short: ${m}`);
    return;
  }
  assert.unreachable(`accepted: ${message}`);
}

Hostile('not JSON, truncated, or not a snapshot', () => {
  const text = snapshotToJson(step1().snap);
  rejectsText(text.slice(0, text.length / 2), /^not valid JSON \(/);
  rejectsText('', /^not valid JSON/);
  rejectsText('[1, 2]', /^the file must be a JSON object$/);
  rejectsText('null', /^the file must be a JSON object$/);
  rejectsText('{"format": "heapsnapshot"}', /^not a refscope snapshot/);
});

Hostile('wrong version', () => {
  rejects((v) => (v.version = 2), /^snapshot schema version 2 is not supported \(this refscope reads version 1\)$/);
  rejects((v) => (v.version = '1'), /^snapshot schema version "1" is not supported/);
  rejects((v) => delete v.version, /^snapshot schema version undefined is not supported/);
});

Hostile('bad meta', () => {
  rejects((v) => (v.meta.step = -1), /^meta.step must be a non-negative integer$/);
  rejects((v) => (v.meta.profile = '3.12'), /^meta.profile must be one of "3.11", "2.7"$/);
  rejects((v) => (v.meta.label = 7), /^meta.label must be a string$/);
  rejects((v) => (v.meta.script = 'x'.repeat(5000)), /^meta.script is longer than 1024 characters$/);
  rejects((v) => (v.meta = []), /^meta must be a JSON object$/);
});

Hostile('negative and out-of-range indices', () => {
  rejects((v) => (v.objects.type[3] = -1), /^objects.type\[3\] is -1, expected a type index below 9$/);
  rejects((v) => (v.objects.type[3] = 9), /^objects.type\[3\] is 9, expected a type index below 9$/);
  rejects((v) => (v.references.to[0] = 17), /^references.to\[0\] is 17, expected an object index below 17$/);
  rejects((v) => (v.references.from[0] = -5), /^references.from\[0\] is -5/);
  rejects((v) => (v.objects.label[0] = 1e9), /^objects.label\[0\] is 1000000000, expected a string index below \d+$/);
  rejects((v) => (v.objects.module[2] = -2), /^objects.module\[2\] is -2, expected -1 or a string index/);
  rejects((v) => (v.modules.object[0] = 99), /^modules.object\[0\] is 99, expected an object index below 17$/);
  rejects((v) => (v.references.keyType[4] = 100), /^references.keyType\[4\] is 100/);
});

Hostile('huge or inconsistent declared counts', () => {
  rejects((v) => (v.objects.count = 1e12), /^objects.count is 1000000000000, more than the 2147483647 a snapshot can hold$/);
  rejects((v) => (v.objects.count = 5_000_000), /^objects.address has 17 entries but objects.count says 5000000$/);
  rejects((v) => (v.references.count = -1), /^references.count must be a non-negative integer$/);
  rejects((v) => v.objects.serial.pop(), /^objects.serial has 16 entries but objects.count says 17$/);
  rejects((v) => v.modules.object.push(0), /^modules.object has 3 entries but modules.name says 2$/);
  rejects((v) => v.types.long.pop(), /^types.short has 9 entries but types.long has 8$/);
});

Hostile('wrong types', () => {
  rejects((v) => (v.objects.size[0] = 'big'), /^objects.size\[0\] is "big", expected a non-negative integer$/);
  rejects((v) => (v.objects.size[0] = 1.5), /^objects.size\[0\] is 1.5/);
  rejects((v) => (v.objects.size[0] = [[[[1]]]]), /^objects.size\[0\] is an array, expected/);
  rejects((v) => (v.objects.address[1] = null), /^objects.address\[1\] is null/);
  rejects((v) => (v.objects.refcount = {}), /^objects.refcount must be an array of numbers$/);
  rejects((v) => (v.strings[0] = 5), /^strings\[0\] must be a string$/);
  rejects((v) => (v.objects.gen[0] = 4), /^objects.gen\[0\] is 4, expected -1, 0, 1, 2 or 3$/);
  rejects((v) => (v.objects.flags[0] = 64), /^objects.flags\[0\] is 64/);
  rejects((v) => (v.references.edgeKinds = ['other']), /^references.edgeKinds must be /);
  rejects((v) => delete v.references, /^references must be a JSON object$/);
  rejectsText(snapshotToJson(step1().snap).replace('"size":[72', '"size":[1e400'), /^objects.size\[0\] is Infinity/);
});

Hostile('sizes that do not add up, and overlong reprs', () => {
  rejects((v) => (v.objects.size = v.objects.size.map(() => 2 ** 52)), /^objects.size: the sizes add up to more than 2\^53 bytes$/);
  rejects((v) => (v.strings[0] = 'x'.repeat(300)), /^objects.repr\[0\] is 0, expected a string index below \d+ whose string has at most 200 characters$/);
});

Hostile('inconsistencies a schema cannot state', () => {
  rejects((v) => (v.objects.address[1] = v.objects.address[0]), /^objects 0 and 1 share the address 0x1000$/);
  rejects((v) => ([v.references.from[0], v.references.from[15]] = [v.references.from[15], v.references.from[0]]), /^references.from\[1\]: references must be grouped by source in object order$/);
  rejects((v) => (v.objects.gen[11] = 0), /^objects: object 11 is in generation 0 but not flagged as tracked$/);
  rejects((v) => (v.objects.module[2] = 0), /^objects: object 2 has a module name iff it is flagged as a module/);
  rejects((v) => (v.references.name[0] = 0), /^references.name\[0\]: a __dict__ edge has no name$/);
  rejects((v) => (v.references.name[3] = -1), /^references.name\[3\]: a key edge needs a name$/);
  rejects((v) => (v.references.keyType[4] = -1), /^references.keyType\[4\]: only key-repr edges, and all of them, have a key type$/);
});

Hostile('files: missing, a directory, too large (refused before reading)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refscope-snap-'));
  try {
    const expect = (file: string, message: RegExp) => {
      try {
        loadSnapshot(file);
      } catch (err) {
        assert.instance(err, SnapshotError);
        assert.match((err as Error).message, message);
        return;
      }
      assert.unreachable('accepted');
    };
    expect(join(dir, 'missing.json'), /missing\.json: cannot read: no such file$/);
    expect(dir, /: not a file$/);
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 2 * 2 ** 30);
    expect(big, /big\.json: 2\.0 GiB is too large for a snapshot file \(refscope reads at most \d+(\.\d)? (GiB|MiB)\)$/);
    assert.ok(MAX_SNAPSHOT_BYTES <= 2 ** 30);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "refscope-snapshot", "version": 9}');
    expect(bad, /bad\.json: snapshot schema version 9 is not supported/);
    assert.ok(existsSync(big));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Hostile.run();
