// A small line diff for showing why a scenario failed: unified format with a
// few lines of context, computed from a longest common subsequence of the
// lines between the common prefix and suffix. Scenario outputs are short, so
// the quadratic table is fine; past MAX_CELLS the middle is shown as one
// replaced block instead (still correct, just less precise).

const CONTEXT = 3;
/** Upper bound on the LCS table (rows x columns), about 32 MB of Uint32. */
const MAX_CELLS = 8_000_000;

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ kind: ' ', text: a[i]!, a: i, b: i });
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS || n === 0 || m === 0) {
    for (let i = start; i < endA; i++) ops.push({ kind: '-', text: a[i]!, a: i, b: start });
    for (let j = start; j < endB; j++) ops.push({ kind: '+', text: b[j]!, a: endA, b: j });
  } else {
    // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB)
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          a[start + i] === b[start + j]
            ? lcs[(i + 1) * width + j + 1]! + 1
            : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push({ kind: ' ', text: a[start + i]!, a: start + i, b: start + j });
        i++;
        j++;
      } else if (j >= m || (i < n && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
        ops.push({ kind: '-', text: a[start + i]!, a: start + i, b: start + j });
        i++;
      } else {
        ops.push({ kind: '+', text: b[start + j]!, a: start + i, b: start + j });
        j++;
      }
    }
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) ops.push({ kind: ' ', text: a[i]!, a: i, b: j });
  return ops;
}

/**
 * A unified diff of two texts ('' when they are equal).
 *
 * @example
 * unifiedDiff('a\nb\n', 'a\nc\n', 'expected', 'actual')
 * // --- expected\n+++ actual\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n
 */
export function unifiedDiff(expected: string, actual: string, nameA = 'expected', nameB = 'actual'): string {
  if (expected === actual) return '';
  const lines = (text: string): string[] => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const a = lines(expected);
  const b = lines(actual);
  const ops = editScript(a, b);
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  const out = [`--- ${nameA}`, `+++ ${nameB}`];
  let k = 0;
  while (k < changed.length) {
    // Grow a hunk while the next change is within 2 * CONTEXT lines.
    let last = k;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * CONTEXT + 1) last++;
    const from = Math.max(0, changed[k]! - CONTEXT);
    const to = Math.min(ops.length, changed[last]! + CONTEXT + 1);
    const hunk = ops.slice(from, to);
    const lenA = hunk.filter((op) => op.kind !== '+').length;
    const lenB = hunk.filter((op) => op.kind !== '-').length;
    const startA = hunk[0]!.a + (lenA ? 1 : 0);
    const startB = hunk[0]!.b + (lenB ? 1 : 0);
    out.push(`@@ -${startA},${lenA} +${startB},${lenB} @@`);
    for (const op of hunk) out.push(op.kind + op.text);
    k = last + 1;
  }
  return out.join('\n') + '\n';
}
