// Runs every compiled uvu suite under dist/test and ends with one plain
// summary line ("N passed, M failed") that CI tooling understands.
// Usage: node scripts/test.mjs [pattern]   (pattern filters test files)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pattern = process.argv[2] ?? '\\.test\\.js$';
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');

const child = spawn(process.execPath, [uvu, 'dist/test', pattern, '--color', 'false'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
  process.exitCode = code === 0 && failed === 0 && total > 0 ? 0 : 1;
});
