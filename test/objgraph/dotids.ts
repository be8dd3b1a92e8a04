/**
 * Test helper: makes DOT text independent of object addresses.
 *
 * objgraph names nodes `o<id()>`, so two runs of the same program never give
 * the same text. `renumberDotIds` renames every node id, in order of first
 * appearance, to `n1`, `n2`, …, keeping the `too_many_` prefix and the
 * `_has_a_del` suffix around them. Quoted strings (labels, attribute values)
 * are left alone, so a label that happens to contain `o42` is not touched.
 *
 * @example
 * renumberDotIds('  o77 -> o5;\n  o5[label="o5"];\n') === '  n1 -> n2;\n  n2[label="o5"];\n'
 */
export function renumberDotIds(dot: string): string {
  const names = new Map<string, string>();
  const rename = (id: string) => {
    let name = names.get(id);
    if (name === undefined) {
      name = `n${names.size + 1}`;
      names.set(id, name);
    }
    return name;
  };
  let out = '';
  let i = 0;
  while (i < dot.length) {
    const c = dot[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < dot.length && dot[j] !== '"') j += dot[j] === '\\' ? 2 : 1;
      out += dot.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // An id starts with 'o' not preceded by a letter or digit ('_' is allowed: too_many_o1).
    const m = c === 'o' && !/[A-Za-z0-9]/.test(dot[i - 1] ?? '') ? /^o_?\d+/.exec(dot.slice(i, i + 40)) : null;
    if (m) {
      out += rename(m[0]);
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The text between `=== <title>` and the next `===` line of a capture file, or throws. */
export function captureSection(capture: string, title: string): string {
  const lines = capture.split('\n');
  const start = lines.findIndex((l) => l.startsWith('=== ') && l.slice(4).startsWith(title));
  if (start < 0) throw new Error(`no section "${title}" in capture`);
  let end = start + 1;
  while (end < lines.length && !lines[end]!.startsWith('=== ')) end++;
  return lines.slice(start + 1, end).join('\n') + '\n';
}

/** The first complete `digraph … }` block of a text. */
export function firstDigraph(text: string): string {
  const start = text.indexOf('digraph ObjectGraph {');
  const end = text.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('no digraph block');
  return text.slice(start, end + 3);
}
