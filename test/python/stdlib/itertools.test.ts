// itertools building blocks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dedent, py } from './run.js';

const test = suite('stdlib/itertools');

test('infinite iterators, islice, reprs', () => {
  const { out } = py(dedent(`
    import itertools as it
    print(list(it.islice(it.count(5, 5), 3)), list(it.islice(it.cycle("ab"), 3)), list(it.islice("abcdef", 1, None, 2)))
    print(it.count(3), it.repeat(1, 2))
  `));
  assert.is(out, "[5, 10, 15] ['a', 'b', 'a'] ['b', 'd', 'f']\ncount(3) repeat(1, 2)\n");
});

test('combinatorics and grouping', () => {
  const { out } = py(dedent(`
    import itertools as it
    print(list(it.permutations("abc", 2))[:3], len(list(it.combinations(range(5), 3))), list(it.product([0, 1], repeat=2)))
    print([(k, len(list(g))) for k, g in it.groupby([1, 1, 2, 3, 3, 3])])
    a, b = it.tee(iter([1, 2]))
    print(list(a), list(b), list(it.accumulate([1, 2, 3], initial=10)))
  `));
  assert.is(out, "[('a', 'b'), ('a', 'c'), ('b', 'a')] 10 [(0, 0), (0, 1), (1, 0), (1, 1)]\n[(1, 2), (2, 1), (3, 3)]\n[1, 2] [1, 2] [10, 11, 13, 16]\n");
});

test.run();
