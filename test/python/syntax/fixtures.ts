// Lezer-style text fixtures: `# Name`, input, `==>`, expected.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface Fixture { name: string; input: string; expected: string }

export function loadFixtures(file: string): Fixture[] {
  const text = readFileSync(path.join(root, 'fixtures', 'syntax', file), 'utf8');
  return text.split(/^# /m).slice(1).map((chunk) => {
    const nl = chunk.indexOf('\n');
    const sep = chunk.indexOf('\n==>\n', nl - 1);
    return {
      name: chunk.slice(0, nl),
      input: chunk.slice(nl + 1, sep + 1),
      expected: chunk.slice(sep + 5).replace(/\n+$/, ''),
    };
  });
}
