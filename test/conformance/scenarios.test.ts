// The ratchet logic and the failure diff, on hand-built outcomes (no refscope run).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unifiedDiff } from './diff.js';
import { ratchetMessage, readPending, verdict, writePending, type Outcome } from './scenarios.js';

function outcome(id: string, passed: boolean): Outcome {
  const [folder, name] = id.split('/') as [string, string];
  return {
    scenario: { id, profile: folder === 'py27' ? '2.7' : '3.11', dir: folder, name },
    passed,
    expected: '1\n[exit 0]\n',
    actual: passed ? '1\n[exit 0]\n' : '2\n[exit 0]\n',
    timedOut: false,
    millis: 1,
  };
}

const Ratchet = suite('ratchet');

Ratchet('verdicts in both directions', () => {
  const pending = new Set(['py311/b', 'py311/d']);
  assert.is(verdict(outcome('py311/a', true), pending).kind, 'pass');
  assert.is(verdict(outcome('py311/b', false), pending).kind, 'pending');
  assert.is(verdict(outcome('py311/c', false), pending).kind, 'fail');
  assert.is(verdict(outcome('py311/d', true), pending).kind, 'fixed');
  assert.is(ratchetMessage(outcome('py311/a', true), pending), undefined);
  assert.is(ratchetMessage(outcome('py311/b', false), pending), undefined);
  assert.match(ratchetMessage(outcome('py311/c', false), pending)!, /fails and is not listed[\s\S]*-1\n\+2/);
  assert.match(ratchetMessage(outcome('py311/d', true), pending)!, /passes now but is still listed in fixtures\/conformance\/PENDING: remove its line/);
});

Ratchet('PENDING keeps entries of scenarios that were not run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'refscope-pending-'));
  try {
    const file = path.join(dir, 'PENDING');
    // cycle_self and errors exist; "py311/gone" does not and is dropped.
    writeFileSync(file, '# comment\npy311/cycle_self\npy311/errors\npy311/gone\n\n');
    assert.equal([...readPending(file)], ['py311/cycle_self', 'py311/errors', 'py311/gone']);
    const { added, removed } = writePending([outcome('py311/cycle_self', true), outcome('py27/refcount27', false)], file);
    assert.equal([...readPending(file)], ['py27/refcount27', 'py311/errors']);
    assert.equal(added, ['py27/refcount27']);
    assert.equal(removed, ['py311/cycle_self', 'py311/gone']);
    assert.match(readFileSync(file, 'utf8'), /^# /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Ratchet('diff hunks', () => {
  assert.is(unifiedDiff('a\n', 'a\n'), '');
  assert.is(unifiedDiff('a\nb\nc\n', 'a\nx\nc\n', 'e', 'f'), '--- e\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n');
  const many = Array.from({ length: 20 }, (_, k) => `line ${k}`);
  const changed = [...many];
  changed[2] = 'two';
  changed[17] = 'seventeen';
  const d = unifiedDiff(many.join('\n') + '\n', changed.join('\n') + '\n');
  assert.is((d.match(/^@@/gm) ?? []).length, 2);
  assert.match(d, /@@ -1,6 \+1,6 @@/);
  assert.match(d, /@@ -15,6 \+15,6 @@/);
});

Ratchet.run();
