// The underline CPython 3.11 prints under a traceback's source line (PEP 657).
//
// Each instruction carries the location of the AST node it was compiled for;
// the traceback marks that node's columns on its first line:
//
//     return d['k'] + 1        return a / b         return s.index('z')
//            ~^^^^^                   ~~^~~                ^^^^^^^^^^^^
//
// Rules, as 3.11 applies them: nothing when the node starts on another line
// than the one shown, or when a plain underline would cover the whole
// (stripped) line; a node
// spanning several lines is marked to the end of its first line, all '^';
// a binary operation marks its operator with '^' and its operands with '~'
// (skipping the closing parentheses of a parenthesised left operand); a
// subscript marks the value with '~' and the brackets with '^'; anything
// else is all '^'. Columns in the AST are UTF-8 byte offsets; the line is
// indexed by characters.
import type * as A from '../syntax/ast.js';

const encoder = new TextEncoder();

/** Character index in `line` of UTF-8 byte column `byteCol`. */
function charCol(line: string, byteCol: number): number {
  let bytes = 0;
  let i = 0;
  for (const ch of line) {
    if (bytes >= byteCol) return i;
    bytes += ch.charCodeAt(0) < 0x80 ? 1 : encoder.encode(ch).length;
    i += ch.length;
  }
  return i;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r' || c === '\v';
}

/**
 * The caret line (without the 4-space margin) for `node` under source line
 * `rawLine` (number `lineno`, not stripped), or null when 3.11 prints none.
 */
export function caretLine(rawLine: string | undefined, node: A.Located, lineno: number): string | null {
  if (rawLine === undefined || node.lineno !== lineno) return null;
  const line = rawLine.replace(/[\r\n]+$/, '');
  const indent = line.length - line.trimStart().length;
  const rightEnd = line.trimEnd().length;
  const start = charCol(line, node.col_offset);
  const singleLine = node.end_lineno === node.lineno;
  const end = singleLine ? Math.min(charCol(line, node.end_col_offset), rightEnd) : rightEnd;
  if (end <= start) return null;
  const marks: string[] = [];
  let anchors: [number, number] | null = null;
  if (singleLine) {
    const e = node as A.Expr;
    if (e.kind === 'BinOp') {
      const from = charCol(line, e.left.end_col_offset);
      const to = charCol(line, e.right.col_offset);
      for (let i = from; i < to; i++) {
        if (isSpace(line[i])) continue;
        let right = i + 1;
        if (i + 1 < to && !isSpace(line[i + 1])) right++;
        anchors = [i, right];
        if (i + 1 < to && line[i] === ')') continue;
        break;
      }
    } else if (e.kind === 'Subscript') {
      anchors = [charCol(line, e.value.end_col_offset), charCol(line, e.slice.end_col_offset) + 1];
    }
  }
  // A plain underline of the whole line tells nothing: left out (unlike ~^~).
  if (!anchors && start <= indent && end >= rightEnd) return null;
  for (let i = start; i < end; i++) marks.push(!anchors || (i >= anchors[0] && i < anchors[1]) ? '^' : '~');
  return ' '.repeat(start - indent) + marks.join('');
}
