// The benchmark driver's pure parts: medians, ratios, timing lines, result
// comparison, summaries. Nothing here is timed or spawns a process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { median, medianRatio, ratio } from '../../bench/lib/stats.js';
import { compareResults, normalizeLine, parseTiming, splitLines, toResult, type RunOutput } from '../../bench/lib/output.js';
import { BENCHMARKS } from '../../bench/lib/benchmarks.js';
import { markdownTable, skippedSummary, summarize, type Sample } from '../../bench/lib/report.js';

const Stats = suite('bench stats');

Stats('median of odd and even counts', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([7]), 7);
});

Stats('median ignores missing values and is NaN for none', () => {
  assert.is(median([NaN, 5, Infinity, 1]), 3);
  assert.ok(Number.isNaN(median([])));
  assert.ok(Number.isNaN(median([NaN])));
});

Stats('median does not reorder its argument', () => {
  const xs = [3, 1, 2];
  median(xs);
  assert.equal(xs, [3, 1, 2]);
});

Stats('ratio against a missing or zero baseline is NaN', () => {
  assert.is(ratio(6, 3), 2);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(NaN, 1)));
  assert.ok(Number.isNaN(ratio(1, NaN)));
});

Stats('median ratio pairs rounds, not medians', () => {
  // Per-round ratios 2, 2, 10 → 2; the ratio of medians would be 10/5 = 2 too,
  // so use a case where they differ: ratios 1, 4, 4 → 4, medians 4/2 = 2.
  assert.is(medianRatio([1, 4, 8], [1, 1, 2]), 4);
  assert.is(medianRatio([2, 2, 10], [1, 1, 1]), 2);
  assert.is(medianRatio([3, 4], [1, 2, 99]), 2.5);
});

const Timing = suite('bench timing line');

Timing('takes the timing line out of the result', () => {
  assert.equal(parseTiming('45000750000\nelapsed 1.248\n', 'elapsed'), { seconds: 1.248, rest: ['45000750000'] });
});

Timing('accepts integers, exponents and a line in the middle', () => {
  assert.equal(parseTiming('collect 0\n', 'collect'), { seconds: 0, rest: [] });
  assert.equal(parseTiming('a\nrender 1e-3\nb\n', 'render'), { seconds: 0.001, rest: ['a', 'b'] });
});

Timing('the last matching line wins; other labels are results', () => {
  assert.equal(parseTiming('elapsed 1\nelapsed 2\n', 'elapsed'), { seconds: 2, rest: ['elapsed 1'] });
  assert.equal(parseTiming('collect 0.5\n', 'elapsed'), { seconds: NaN, rest: ['collect 0.5'] });
});

Timing('a missing timing line is NaN, not an error', () => {
  const r = parseTiming('Traceback (most recent call last):\n', 'objgraph');
  assert.ok(Number.isNaN(r.seconds));
  assert.equal(r.rest, ['Traceback (most recent call last):']);
});

Timing('a label that is a prefix of a word is not a timing line', () => {
  assert.ok(Number.isNaN(parseTiming('elapsed_total 3\nelapsed 3 s\n', 'elapsed').seconds));
});

Timing('splitLines drops the final empty line and carriage returns', () => {
  assert.equal(splitLines(''), []);
  assert.equal(splitLines('a\r\nb'), ['a', 'b']);
  assert.equal(splitLines('a\n\n'), ['a', '']);
});

const Compare = suite('bench result comparison');

function out(stdout: string, extra: Partial<RunOutput> = {}): RunOutput {
  return { stdout, stderr: '', status: 0, files: [], ...extra };
}

Compare('identical apart from the timing value', () => {
  const a = toResult(out('True\nelapsed 3.6\n'), 'elapsed');
  const b = toResult(out('True\nelapsed 0.07\n'), 'elapsed');
  assert.equal(compareResults(a, b), []);
});

Compare('objgraph temporary DOT names and addresses are normalized', () => {
  assert.is(normalizeLine('Graph written to /tmp/objgraph-m16oywi3.dot (104 nodes)'), 'Graph written to objgraph-TMP.dot (104 nodes)');
  assert.is(normalizeLine('<Item object at 0x7f3a2b1c9d90>  '), '<Item object at 0xADDR>');
  assert.is(normalizeLine('  File "/tmp/x/run-1/work/a.py", line 2'), '  File "a.py", line 2');
  const a = toResult(out('Graph written to /tmp/refscope/objgraph-abc.dot (3 nodes)\nrender 1\n'), 'render');
  const b = toResult(out('Graph written to /tmp/objgraph-xyz_1.dot (3 nodes)\nrender 0.1\n'), 'render');
  assert.equal(compareResults(a, b), []);
});

Compare('a different line is reported with its number and both texts', () => {
  const a = toResult(out('1\n2\nelapsed 1\n'), 'elapsed');
  const b = toResult(out('1\n3\nelapsed 1\n'), 'elapsed');
  assert.equal(compareResults(a, b), ['stdout line 2 differs:\n    refscope: "2"\n    cpython: "3"']);
});

Compare('missing lines, exit status, stderr, files and timing line all count', () => {
  const a = toResult(out('', { stderr: "ModuleNotFoundError: No module named 'objgraph'\n", status: 1 }), 'render');
  const b = toResult(out('Image generated as x.svg\nrender 0.1\n', { files: ['x.svg'] }), 'render');
  const d = compareResults(a, b);
  assert.is(d.length, 5, d.join('\n'));
  assert.ok(d[0]!.startsWith('exit status: refscope 1, cpython 0'));
  assert.ok(d[1]!.startsWith('stdout line 1 differs (refscope 0 lines, cpython 1)'));
  assert.ok(d[1]!.includes('refscope: (no line)'));
  assert.ok(d[2]!.startsWith('stderr line 1 differs'));
  assert.is(d[3], 'files written: refscope [], cpython [x.svg]');
  assert.is(d[4], 'timing line: refscope missing, cpython present');
});

Compare('file order does not matter', () => {
  const a = toResult(out('', { files: ['b', 'a'] }), 'x');
  const b = toResult(out('', { files: ['a', 'b'] }), 'x');
  assert.equal(compareResults(a, b), []);
});

const Report = suite('bench summary');

const s = (wall: number, timing: number, rssMB: number): Sample => ({ wall, timing, rssMB });

Report('medians, paired ratios and the target verdict', () => {
  const bench = BENCHMARKS.find((b) => b.name === 'alloc_churn')!;
  const rounds = [
    { refscope: s(4, 3, 70), cpython: s(1, 1, 10) },
    { refscope: s(6, 5, 72), cpython: s(1, 1, 12) },
    { refscope: s(5, 4, 71), cpython: s(2, 1, 11) },
  ];
  const sum = summarize(bench, 'CLI', rounds, [], []);
  assert.equal(sum.refscope, { wall: 5, timing: 4, rssMB: 71 });
  assert.equal(sum.cpython, { wall: 1, timing: 1, rssMB: 11 });
  assert.is(sum.ratio.whole, 4); // per round 4, 6, 2.5
  assert.is(sum.ratio.timing, 4);
  assert.ok(sum.met); // whole-process target ≤ 5×
  assert.not.ok(summarize(bench, 'CLI', rounds.map((r) => ({ ...r, refscope: s(9, 1, 1) })), [], []).met);
});

Report('markdown table marks the target ratio and differing results', () => {
  const bench = BENCHMARKS.find((b) => b.name === 'full_collect')!;
  const sum = summarize(bench, 'API', [{ refscope: s(10, 3, 500), cpython: s(1, 1, 100) }], ['stdout line 1 differs'], []);
  const table = markdownTable([sum, skippedSummary(BENCHMARKS.find((b) => b.name === 'backrefs_render')!, 'no objgraph')]).split('\n');
  assert.is(table.length, 4);
  assert.is(table[1], '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  assert.is(
    table[2],
    '| full_collect | 10.0 s | 1.00 s | 10.0× | 3.00 s (collect) | 1.00 s | 3.00× ✗ | ≤ 2× collect | 500 MB / 100 MB (5.00×) | DIFFER |',
  );
  assert.is(table[3], '| backrefs_render |  |  |  |  |  |  | ≤ 2× render |  | skipped: no objgraph |');
});

Stats.run();
Timing.run();
Compare.run();
Report.run();
