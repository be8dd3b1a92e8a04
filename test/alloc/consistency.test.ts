// checkConsistency() must notice each kind of corruption. The live headers
// are reached through poolOf(), which is meant for exactly this.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PyMalloc } from '../../lib/alloc/pymalloc.js';

const Consistency = suite('pymalloc consistency');

function scenario(): { pm: PyMalloc; blocks: number[] } {
  const pm = new PyMalloc();
  const blocks: number[] = [];
  for (let i = 0; i < 40; i++) blocks.push(pm.malloc(512)); // one full pool, one used
  for (let i = 0; i < 10; i++) blocks.push(pm.malloc(24));
  return { pm, blocks };
}

Consistency('a sound state reports nothing', () => {
  assert.equal(scenario().pm.checkConsistency(), []);
});

Consistency('a ref.count that disagrees with the allocated blocks', () => {
  const { pm, blocks } = scenario();
  pm.poolOf(blocks[45]!)!.refCount++;
  const errors = pm.checkConsistency();
  assert.ok(errors.some((e) => /ref\.count 11 but 10 blocks allocated/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /block counter/.test(e)));
});

Consistency('a full pool put back on usedpools', () => {
  const { pm, blocks } = scenario();
  const full = pm.poolOf(blocks[0]!)!;
  const used = pm.poolOf(blocks[35]!)!;
  // Link the full pool in front of the used one, by hand.
  const head = used.prevpool;
  full.nextpool = used;
  full.prevpool = head;
  head.nextpool = full;
  used.prevpool = full;
  const errors = pm.checkConsistency();
  assert.ok(errors.some((e) => /not partially used but on usedpools\[31\]/.test(e)), errors.join('\n'));
});

Consistency('a lost free list', () => {
  const { pm, blocks } = scenario();
  pm.free(blocks[36]!);
  pm.poolOf(blocks[35]!)!.freeblock = -1;
  const errors = pm.checkConsistency();
  assert.ok(errors.some((e) => /free \+ .* virgin != 31 blocks/.test(e)), errors.join('\n'));
});

Consistency('an unsorted usableArenas list', () => {
  const pm = new PyMalloc();
  const a: number[] = [];
  for (let i = 0; i < 63 * 31; i++) a.push(pm.malloc(512));
  for (let i = 0; i < 31 * 3; i++) pm.malloc(512); // arena 1: 60 free pools
  for (let i = 0; i < 31; i++) pm.free(a[i]!); // arena 0: 1 free pool, at the head
  assert.equal(pm.checkConsistency(), []);
  pm.poolOf(a[0]!)!.arena!.nfreepools = 61;
  const errors = pm.checkConsistency();
  assert.ok(errors.some((e) => /usableArenas not sorted/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /nfreepools 61 but 1 empty \+ 0 untouched/.test(e)));
});

Consistency.run();
