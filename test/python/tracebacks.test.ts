// 3.11 tracebacks underline the failing expression (PEP 657): each script of
// fixtures/tracebacks runs in-process and must print exactly what CPython
// 3.11 printed for it (NAME.expected, written by tools/traceback-oracle.sh),
// caret lines included — the conformance normalizer drops those, so this is
// where they are checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runSource } from '../../lib/python/run.js';

const DIR = fileURLToPath(new URL('../../../fixtures/tracebacks', import.meta.url));
const Tracebacks = suite('3.11 traceback underlines');

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.py')).sort()) {
  Tracebacks(file, () => {
    let out = '';
    const source = readFileSync(join(DIR, file), 'utf8');
    const r = runSource(source, file, { stdout: (s) => (out += s), stderr: (s) => (out += s), argv: [file] });
    out += `[exit ${r.exitCode}]\n`;
    assert.fixture(out, readFileSync(join(DIR, file.replace(/\.py$/, '.expected')), 'utf8'));
  });
}

Tracebacks.run();
