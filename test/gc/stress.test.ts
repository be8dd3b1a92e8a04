// The stress pass: reruns every heap and gc suite in a child process with
// REFSCOPE_STRESS=1, so each stressable test collects on every GC
// allocation (clox's DEBUG_STRESS_GC) and is checked for heap consistency
// at its end. A separate process keeps the normal run's module state apart.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const Stress = suite('gc stress pass');

Stress('heap and gc suites pass with a collection on every GC allocation', () => {
  if (process.env.REFSCOPE_STRESS === '1') return; // already inside the stress pass
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
  const r = spawnSync(process.execPath, [uvu, 'dist/test', '^(heap|gc)/(?!stress\\.)[^/]*\\.test\\.js$', '--color', 'false'], {
    cwd: root,
    env: { ...process.env, REFSCOPE_STRESS: '1' },
    encoding: 'utf8',
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.is(r.status, 0, out);
  assert.match(out, /Passed:\s+[1-9]/);
});

Stress.run();
