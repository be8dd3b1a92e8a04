// Shared by the report tests: fixture paths and HTML text extraction.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/report). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A fixture's text; `fixture.path(rel)` is its file name. */
export const fixture = Object.assign((rel: string): string => readFileSync(ROOT + 'fixtures/' + rel, 'utf8'), {
  path: (rel: string): string => ROOT + 'fixtures/' + rel,
});

/** The visible text of one section of a report (tags dropped, entities decoded, spaces collapsed). */
export function sectionText(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  if (!m) throw new Error(`no section #${id}`);
  return m[1]
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
