import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../../../lib/python/syntax/parser.js';
import { dump } from '../../../lib/python/syntax/dump.js';
import { loadFixtures } from './fixtures.js';

// Expected dumps were captured from CPython 3.11.7's ast.dump(ast.parse(src)).
const ast311 = suite('syntax: ast.dump vs CPython 3.11');
for (const f of loadFixtures('ast-3.11.txt')) {
  ast311(f.name, () => assert.fixture(dump(parse(f.input, 'x.py', '3.11')), f.expected));
}
ast311.run();

// Python 2.7 dumps captured from CPython 2.7.18's ast.dump(ast.parse(src)).
const ast27 = suite('syntax: ast.dump vs CPython 2.7');
for (const f of loadFixtures('ast-2.7.txt')) {
  ast27(f.name, () => assert.fixture(dump(parse(f.input, 'x.py', '2.7'), '2.7'), f.expected));
}
ast27.run();

const positions = suite('syntax: positions');
positions('UTF-8 byte columns like CPython', () => {
  const m = parse("s = 'é'; t = 1\n", 'x.py', '3.11');
  const t = m.body[1];
  assert.equal([t.lineno, t.col_offset, t.end_col_offset], [1, 10, 15]);
});
positions('multi-line statement spans', () => {
  const m = parse('if a:\n    x = (1 +\n         2)\n', 'x.py', '3.11');
  const s = m.body[0];
  assert.equal([s.lineno, s.col_offset, s.end_lineno, s.end_col_offset], [1, 0, 3, 11]);
});
positions('sole generator argument spans the call parentheses', () => {
  const m = parse('f(x for x in y)\n', 'x.py', '3.11');
  const call = (m.body[0] as { value: { args: { col_offset: number; end_col_offset: number }[] } }).value;
  assert.equal([call.args[0].col_offset, call.args[0].end_col_offset], [1, 15]);
});
positions.run();
