// The JS layout of simulated objects: a big heap holds millions of them, and
// a numeric field V8 cannot keep inline as a small integer (Smi) costs a
// separate 16-byte box per object. Checked in a fresh process (with
// --allow-natives-syntax for %IsSmi) so that no other test's objects have
// already changed the shapes' field representations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const Layout = suite('heap object layout');

const runtimeUrl = new URL('../../lib/heap/runtime.js', import.meta.url).href;

const SCRIPT = `
import { Runtime } from ${JSON.stringify(runtimeUrl)};
const isSmi = new Function('x', 'return %IsSmi(x)');
const rt = new Runtime();
const t = rt.types;
const cls = rt.newHeapType('A', rt.objectType, 0);
const objects = {
  int: rt.newInt(100000),
  list: rt.newList([rt.newInt(100001), rt.newInt(100002)]),
  emptyList: rt.newList([]),
  dict: rt.newDict(),
  tuple: rt.newTuple([rt.newInt(100003), rt.newList([])]),
  set: rt.newSet(),
  bytearray: rt.newByteArray(new Uint8Array(40)),
  instance: rt.newInstance(cls),
  str: rt.newStr('some text'),
  float: rt.newFloat(0.5),
};
rt.dictAppend(objects.dict, 'k', 0, rt.intern('k'), rt.newInt(100004), true);
rt.byteArrayResize(objects.bytearray, 40);
rt.instanceSetAttr(objects.instance, 'x', rt.newInt(100005));
const boxed = [];
for (const [what, o] of Object.entries(objects)) {
  for (const [field, v] of Object.entries(o)) {
    // Float values are doubles by nature.
    if (typeof v === 'number' && !isSmi(v) && !(what === 'float' && field === 'v')) boxed.push(what + '.' + field + ' = ' + v);
  }
}
process.stdout.write(JSON.stringify(boxed));
`;

Layout('numeric fields of common objects are small integers, not boxed doubles', () => {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', SCRIPT], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), []);
});

Layout.run();
