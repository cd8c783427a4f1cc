import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/analysis/normalize.js';
import {
  type Misspelling,
  misspell,
  seededRandom,
  SOUND_ALIKE_LETTERS,
  type TypoKind,
} from '../../src/evaluation/typos.js';

/** The seeds every claim below is checked with: enough for every kind of error to be drawn. */
const SEEDS = Array.from({ length: 200 }, (_, seed) => seed);

/** Misspellings of a query, one per seed. */
const misspellings = (query: string) => SEEDS.map((seed) => misspell(query, seededRandom(seed)));

/** Whether `misspelled` is `word` with one error of this kind, never in its first letter. */
function isErrorOfKind(word: string, misspelled: string, kind: TypoKind): boolean {
  const chars = [...word];
  const result = [...misspelled];
  const at = (i: number, edit: (copy: string[]) => void) => {
    const copy = [...chars];
    edit(copy);
    return copy.join('') === misspelled;
  };
  return chars.some((_, i) => {
    if (i === 0) return false;
    switch (kind) {
      case 'sound-alike':
        return (
          result.length === chars.length &&
          chars.every((char, j) => j === i || char === result[j]) &&
          SOUND_ALIKE_LETTERS.some(
            ([a, b]) => (chars[i] === a && result[i] === b) || (chars[i] === b && result[i] === a),
          )
        );
      case 'drop':
        return at(i, (copy) => copy.splice(i, 1));
      case 'double':
        return at(i, (copy) => copy.splice(i, 0, copy[i]!));
      case 'swap':
        return i + 1 < chars.length && at(i, (copy) => ([copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!]));
    }
  });
}

/** Checks a misspelling of `query`: one eligible word changed by one error of its kind, the rest as typed. */
function expectOneError(query: string, typo: Misspelling | undefined, eligible: readonly string[]): void {
  expect(typo).toBeDefined();
  const { word, misspelled, kind } = typo!;
  expect(eligible).toContain(word);
  expect(isErrorOfKind(word, misspelled, kind), `${word} → ${misspelled} (${kind})`).toBe(true);
  expect(normalize(misspelled)).not.toBe(normalize(word));
  const before = query.split(' ');
  const after = typo!.query.split(' ');
  expect(after).toHaveLength(before.length);
  const changed = before.flatMap((token, at) => (token === after[at] ? [] : [at]));
  expect(changed).toHaveLength(1);
  expect(before[changed[0]!]).toBe(word);
  expect(after[changed[0]!]).toBe(misspelled);
}

describe('seededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps the sequence it has always given (mulberry32), so published figures can be rerun', () => {
    const random = seededRandom(42);
    expect([random(), random(), random()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it.each([
    [2 ** 32, 0],
    [-1, 2 ** 32 - 1],
  ])('reads seed %d as the 32-bit seed %d', (seed, same) => {
    expect(seededRandom(seed)()).toBe(seededRandom(same)());
  });

  it('draws numbers from 0 (included) to 1 (excluded), spread over the range', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, () => random());
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    const tenths = new Set(draws.map((draw) => Math.floor(draw * 10)));
    expect(tenths.size).toBe(10);
    expect(draws.reduce((sum, draw) => sum + draw, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('misspell', () => {
  it.each([
    [
      'a headline: any content word, never the stop word',
      'ارتفعت أسعار النفط في الأسواق',
      ['ارتفعت', 'أسعار', 'النفط', 'الأسواق'],
    ],
    ['stop words and words under four letters left as typed', 'عندما هبط سعر الذهب', ['الذهب']],
    ['a long stop word left as typed', 'الذين فازوا بالكأس', ['فازوا', 'بالكأس']],
    ['a stop word behind a clitic left as typed', 'وفيها انتخابات', ['انتخابات']],
    ['Latin words and digits left as typed', 'COVID-19 ينتشر 2024 في دبي', ['ينتشر']],
    ['diacritics not counted as letters', 'قالَ الرئيسُ', ['الرئيسُ']],
  ])('puts one error into one word: %s', (_rule, query, eligible) => {
    for (const typo of misspellings(query)) expectOneError(query, typo, eligible);
  });

  it.each([
    ['an empty query', ''],
    ['only stop words', 'في من إلى على'],
    ['only long stop words', 'خلال عندما الذين لهذا'],
    ['only words under four letters', 'نهر سد بحر'],
    ['only three letters with diacritics', 'قالَ كَتَبَ'],
    ['no Arabic', 'COVID-19 2024 Reuters'],
  ])('leaves a query with no word to misspell: %s', (_rule, query) => {
    expect(misspellings(query)).toEqual(SEEDS.map(() => undefined));
  });

  it('draws every kind of error over many seeds', () => {
    const kinds = new Set(misspellings('الاقتصاد').map((typo) => typo?.kind));
    expect([...kinds].sort()).toEqual(['double', 'drop', 'sound-alike', 'swap']);
  });

  it('swaps a sound-alike letter only when the word has one', () => {
    const typos = misspellings('المال');
    for (const typo of typos) expectOneError('المال', typo, ['المال']);
    expect(typos.map((typo) => typo?.kind)).not.toContain('sound-alike');
  });

  it('never gives a mere spelling variant that normalising folds', () => {
    // Tatweel is dropped by the analysis: a tatweel dropped, doubled or moved is no error at all, so
    // such a draw is tried again (and, rarely, all 20 tries fail: the query is left as typed).
    for (const query of ['الأخـــبار', 'عاجـــل']) {
      const typos = misspellings(query).filter((typo) => typo !== undefined);
      expect(typos.length).toBeGreaterThan(SEEDS.length * 0.9);
      for (const typo of typos) expect(normalize(typo.query)).not.toBe(normalize(query));
    }
  });

  it('gives the same misspelled set for the same seed, another for another seed', () => {
    const QUERIES = ['ارتفعت أسعار النفط', 'فوز المنتخب الوطني', 'في من', 'انتخابات الرئاسة'];
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return QUERIES.map((query) => misspell(query, random));
    };
    expect(run(2024)).toEqual(run(2024));
    expect(run(2024)).not.toEqual(run(2025));
  });
});
