// `refscope audit SCRIPT.py [--json] [--fail-on leak,uncollectable,garbage,del-cycle]`:
// the __del__-cycle audit, proved by running the script with both finalizer semantics.
import path from 'node:path';
import { AUDIT_CATEGORIES, auditFindings, auditJson, auditScript, formatAudit, type AuditCategory } from '../../lib/index.js';
import { UsageError } from '../errors.js';
import type { Command } from './command.js';
import { progressReporter, readScript } from './report.js';

interface AuditArgs {
  script: string;
  json: boolean;
  failOn?: string;
  python: '3.11' | '2.7';
}

export function parseFailOn(text: string | undefined): AuditCategory[] {
  if (!text) return [];
  const names = String(text).split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(AUDIT_CATEGORIES as readonly string[]).includes(n)) throw new UsageError(`--fail-on: unknown category '${n}' (choose from ${AUDIT_CATEGORIES.join(', ')})`);
  }
  return names as AuditCategory[];
}

export const auditCommand: Command<AuditArgs> = {
  command: 'audit <script>',
  describe: 'Find reference cycles whose objects define __del__ and show what CPython 3.4+ and <= 3.3/2.7 do with them (by running both); also gc.garbage, uncollectable objects, resurrections, leaks',
  builder: (y) =>
    y
      .positional('script', { type: 'string', describe: 'the Python script to run' })
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' })
      .option('fail-on', { type: 'string', describe: `exit with status 1 when any of these is found (comma-separated: ${AUDIT_CATEGORIES.join(', ')})` })
      .option('python', { type: 'string', choices: ['3.11', '2.7'] as const, default: '3.11' as const, describe: 'CPython version to simulate' }),
  examples: [
    ['refscope audit leak.py', 'list __del__ cycles and what each CPython does with them'],
    ['refscope audit leak.py --json', 'the same as JSON'],
    ['refscope audit leak.py --fail-on del-cycle,garbage', 'for CI: exit status 1 if a __del__ cycle or gc.garbage content is found'],
  ],
  async run(args) {
    const failOn = parseFailOn(args.failOn);
    const source = readScript(args.script);
    const progress = progressReporter();
    const result = auditScript(source, path.basename(args.script), { python: args.python, onProgress: progress });
    progress.done();
    process.stdout.write(args.json ? JSON.stringify(auditJson(result), null, 2) + '\n' : formatAudit(result));
    const found = auditFindings(result);
    return failOn.some((c) => found[c] > 0) ? 1 : 0;
  },
};
