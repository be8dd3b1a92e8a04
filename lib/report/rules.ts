/*
 * Leak-suspect rules, memlab-style: an ordered list of small rules. Each
 * looks at one type's counts across the steps and either decides (LEAK,
 * MAYBE_LEAK, NOT_LEAK, with the reason in words) or passes (null) to the
 * next rule. The first decision wins, so put the strict rules first.
 *
 * The counts are objgraph's (GC-tracked objects by type name) at each step.
 * The end step is left out when it only repeats the step before it (a
 * script that ends right after its last snapshot), so "grew in every step"
 * is not broken by a flat tail that is no step at all.
 */

export type Verdict = 'leak' | 'maybe' | 'not';

export interface TypeSeries {
  name: string;
  /** count at each step */
  counts: number[];
  /** step labels, same length */
  labels: string[];
  /** objects of this type that appeared after the first step and are still alive at the end (address + serial) */
  survivors: number;
}

export interface Judgement {
  verdict: Verdict;
  /** rule name, e.g. 'constant-delta' */
  rule: string;
  /** the reason in words, e.g. 'grew by 5 at each of the last 4 steps' */
  reason: string;
}

export interface LeakRule {
  name: string;
  /** one line for the report's "how suspects are found" note */
  describe: string;
  judge(s: TypeSeries): Judgement | null;
}

/** How many trailing steps the "grew in k of the last k" rules look at. */
export const WINDOW = 4;

function deltas(counts: number[]): number[] {
  const d: number[] = [];
  for (let i = 1; i < counts.length; i++) d.push(counts[i] - counts[i - 1]);
  return d;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const RULES: readonly LeakRule[] = [
  {
    name: 'no-growth',
    describe: 'a type whose count at the last step is not above its count at the first step is not a suspect',
    judge: (s) => {
      const first = s.counts[0];
      const last = s.counts[s.counts.length - 1];
      if (s.counts.length < 2 || last <= first) return { verdict: 'not', rule: 'no-growth', reason: `${last <= first ? 'did not grow' : 'only one step'} (${first} → ${last})` };
      return null;
    },
  },
  {
    name: 'constant-delta',
    describe: `the count grew by the same amount at each of the last k steps (k = 3..${WINDOW}): a constant delta per iteration`,
    judge: (s) => {
      const d = deltas(s.counts);
      const k = Math.min(WINDOW, d.length);
      if (k < 3) return null;
      const tail = d.slice(-k);
      if (tail[0] > 0 && tail.every((x) => x === tail[0])) {
        return { verdict: 'leak', rule: 'constant-delta', reason: `grew by ${tail[0]} at each of the last ${k} steps (a constant delta per iteration: ${tail[0]} more every step)` };
      }
      return null;
    },
  },
  {
    name: 'grew-k-of-k',
    describe: `the count grew in each of the last k steps (k = 2..${WINDOW})`,
    judge: (s) => {
      const d = deltas(s.counts);
      const k = Math.min(WINDOW, d.length);
      if (k < 2) return null;
      const tail = d.slice(-k);
      if (tail.every((x) => x > 0)) {
        return { verdict: 'leak', rule: 'grew-k-of-k', reason: `grew in ${k} of the last ${k} steps (+${tail.join(', +')})` };
      }
      return null;
    },
  },
  {
    name: 'mostly-growing',
    describe: 'the count grew in at least two thirds of the steps and never fell back to where it started',
    judge: (s) => {
      const d = deltas(s.counts);
      const up = d.filter((x) => x > 0).length;
      if (d.length >= 3 && up * 3 >= d.length * 2 && Math.min(...s.counts.slice(1)) > s.counts[0]) {
        return { verdict: 'maybe', rule: 'mostly-growing', reason: `grew in ${up} of ${d.length} steps (${s.counts[0]} → ${s.counts[s.counts.length - 1]})` };
      }
      return null;
    },
  },
  {
    name: 'survivors',
    describe: 'objects created after the first step are all still alive at the end (too few steps to see a trend)',
    judge: (s) => {
      const first = s.counts[0];
      const last = s.counts[s.counts.length - 1];
      if (s.survivors > 0 && s.survivors >= last - first) {
        return {
          verdict: 'maybe',
          rule: 'survivors',
          reason: `gained ${plural(s.survivors, 'object')} after "${s.labels[0]}" and ${s.survivors === 1 ? 'it is' : 'all are'} still alive at the end (${first} → ${last}; only ${plural(s.counts.length, 'step')} to judge a trend from)`,
        };
      }
      return null;
    },
  },
  {
    name: 'grew-then-shrank',
    describe: 'otherwise the type grew at some point but gave some of it back: not a suspect',
    judge: (s) => {
      const peak = Math.max(...s.counts);
      return { verdict: 'not', rule: 'grew-then-shrank', reason: `peaked at ${peak} and ended at ${s.counts[s.counts.length - 1]}` };
    },
  },
];

/** The first decision of the rules, in order. */
export function judge(s: TypeSeries, rules: readonly LeakRule[] = RULES): Judgement {
  for (const rule of rules) {
    const j = rule.judge(s);
    if (j) return j;
  }
  return { verdict: 'not', rule: 'none', reason: 'no rule applied' };
}
