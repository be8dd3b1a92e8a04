// A TypeScript port of the conformance contract's tools/normalize.py, which
// turns CPython's output into something a simulator can match line by line:
//
// - hex addresses (0x + 6 or more hex digits)   -> 0xADDR
// - 'N.NNNNs elapsed' timings                    -> 'T.TTTTs elapsed'
// - traceback file paths                         -> basename only
// - 3.11 caret/underline lines (only spaces, ~, ^) are dropped
// - objgraph's temporary DOT file names           -> objgraph-TMP.dot
// - trailing whitespace is stripped; the result ends with one newline
//
// "Exactly as normalize.py does" means following Python's notion of a line
// (str.splitlines), of whitespace (str.isspace, which is what `\s` matches in
// a str pattern) and of a digit (`\d` = Unicode category Nd), none of which is
// JavaScript's. The classes below spell out Python's sets so the two agree on
// every input; normalize.test.ts checks that against the Python original.

/** Python's str.isspace() characters: `\s` in a str pattern, and what rstrip() removes. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * Python 3.11's `\d` (Unicode 14 decimal digits). Written out rather than
 * `\p{Nd}` because Node's Unicode tables are newer and know more digits.
 */
const PY_DIGIT = [
  '0-9', '\\u{660}-\\u{669}', '\\u{6f0}-\\u{6f9}', '\\u{7c0}-\\u{7c9}', '\\u{966}-\\u{96f}', '\\u{9e6}-\\u{9ef}',
  '\\u{a66}-\\u{a6f}', '\\u{ae6}-\\u{aef}', '\\u{b66}-\\u{b6f}', '\\u{be6}-\\u{bef}', '\\u{c66}-\\u{c6f}',
  '\\u{ce6}-\\u{cef}', '\\u{d66}-\\u{d6f}', '\\u{de6}-\\u{def}', '\\u{e50}-\\u{e59}', '\\u{ed0}-\\u{ed9}',
  '\\u{f20}-\\u{f29}', '\\u{1040}-\\u{1049}', '\\u{1090}-\\u{1099}', '\\u{17e0}-\\u{17e9}', '\\u{1810}-\\u{1819}',
  '\\u{1946}-\\u{194f}', '\\u{19d0}-\\u{19d9}', '\\u{1a80}-\\u{1a89}', '\\u{1a90}-\\u{1a99}', '\\u{1b50}-\\u{1b59}',
  '\\u{1bb0}-\\u{1bb9}', '\\u{1c40}-\\u{1c49}', '\\u{1c50}-\\u{1c59}', '\\u{a620}-\\u{a629}', '\\u{a8d0}-\\u{a8d9}',
  '\\u{a900}-\\u{a909}', '\\u{a9d0}-\\u{a9d9}', '\\u{a9f0}-\\u{a9f9}', '\\u{aa50}-\\u{aa59}', '\\u{abf0}-\\u{abf9}',
  '\\u{ff10}-\\u{ff19}', '\\u{104a0}-\\u{104a9}', '\\u{10d30}-\\u{10d39}', '\\u{11066}-\\u{1106f}',
  '\\u{110f0}-\\u{110f9}', '\\u{11136}-\\u{1113f}', '\\u{111d0}-\\u{111d9}', '\\u{112f0}-\\u{112f9}',
  '\\u{11450}-\\u{11459}', '\\u{114d0}-\\u{114d9}', '\\u{11650}-\\u{11659}', '\\u{116c0}-\\u{116c9}',
  '\\u{11730}-\\u{11739}', '\\u{118e0}-\\u{118e9}', '\\u{11950}-\\u{11959}', '\\u{11c50}-\\u{11c59}',
  '\\u{11d50}-\\u{11d59}', '\\u{11da0}-\\u{11da9}', '\\u{16a60}-\\u{16a69}', '\\u{16ac0}-\\u{16ac9}',
  '\\u{16b50}-\\u{16b59}', '\\u{1d7ce}-\\u{1d7ff}', '\\u{1e140}-\\u{1e149}', '\\u{1e2f0}-\\u{1e2f9}',
  '\\u{1e950}-\\u{1e959}', '\\u{1fbf0}-\\u{1fbf9}',
].join('');

// The `u` flag makes every pattern work on code points, as Python's re does.
const ADDR = /0x[0-9a-fA-F]{6,}/gu;
const ELAPSED = new RegExp(`[${PY_DIGIT}]+\\.[${PY_DIGIT}]+s elapsed`, 'gu');
const FILE = /File "([^"]*\/)?([^"/]+)"/gu;
const CARET = new RegExp(`^[${PY_SPACE}]*[~^]+[${PY_SPACE}]*$`, 'u');
const TMPDOT = new RegExp(`[^${PY_SPACE}]*objgraph-[A-Za-z0-9_]+\\.dot`, 'gu');
const SPACE_CHAR = new RegExp(`^[${PY_SPACE}]$`, 'u');

/** Python's str.rstrip() with no argument (a loop: a `\s+$` regex is quadratic). */
function rstrip(line: string): string {
  let end = line.length;
  while (end > 0 && SPACE_CHAR.test(line[end - 1]!)) end--;
  return line.slice(0, end);
}

/**
 * Python's str.splitlines(): \r\n counts as one break; \v, \f, \x1c-\x1e,
 * \x85, \u2028 and \u2029 are line breaks too; a final break adds no line.
 */
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/u;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(LINE_BREAK);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Normalize captured output the way tools/normalize.py does.
 *
 * @example
 * normalize('<A object at 0x7f3a2b1c9d10>  \n') // '<A object at 0xADDR>\n'
 */
export function normalize(text: string): string {
  const out: string[] = [];
  for (let line of splitLines(text)) {
    if (CARET.test(line)) continue;
    line = line.replace(TMPDOT, 'objgraph-TMP.dot');
    line = line.replace(ADDR, '0xADDR');
    line = line.replace(ELAPSED, 'T.TTTTs elapsed');
    line = line.replace(FILE, (_m, _dir, base: string) => `File "${base}"`);
    out.push(rstrip(line));
  }
  return out.join('\n') + '\n';
}
