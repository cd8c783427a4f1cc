import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import {
  buildSnippet,
  escapeHtml,
  highlightRanges,
  highlightText,
  MAX_HIGHLIGHTS,
  SNIPPET_LENGTH,
} from '../../src/archive/highlight.js';
import { type QueryWord, queryWords } from '../../src/search/engine.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { arabicText } from '../analysis/arbitrary-text.js';

/** The highlights of `text` for the words of `query`, as a search computes them. */
function highlightsOf(text: string, query: string): [number, number][] {
  return highlightRanges(analyzeForIndex(text), queryWords(query, undefined));
}

/** The ranges of `words` in `text`, each found after the one before it. */
function rangesOf(text: string, words: readonly string[]): [number, number][] {
  let from = 0;
  return words.map((word) => {
    const start = text.indexOf(word, from);
    expect(start, `"${word}" in the fixture`).toBeGreaterThanOrEqual(0);
    from = start + word.length;
    return [start, from];
  });
}

/** The text a snippet shows: marks removed, entities decoded, the ellipses either side dropped. */
function shownText(snippet: string): string {
  return snippet
    .replace(/^…|…$/gu, '')
    .replaceAll('<mark>', '')
    .replaceAll('</mark>', '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** The words a snippet marks. */
function markedWords(snippet: string): string[] {
  return [...snippet.matchAll(/<mark>(.*?)<\/mark>/gu)].map((match) => match[1]!);
}

describe('highlightRanges', () => {
  it.each([
    ['empty text', '', 'النفط', []],
    ['must not change: no word of the query in the text', 'ارتفعت أسعار الذهب في الأسواق', 'النفط', []],
    ['a word as written', 'ارتفعت أسعار النفط في الأسواق العالمية', 'النفط', ['النفط']],
    ['a proclitic is part of the word', 'تراجعت أسعار الذهب والنفط معا', 'النفط', ['والنفط']],
    [
      'inflections by their stem, diacritics included',
      'وقالت الحكومةُ إن الحكومات العربية ستجتمع',
      'حكومة',
      ['الحكومةُ', 'الحكومات'],
    ],
    ['tatweel included', 'ارتفع سعر النفـــط والغاز', 'النفط', ['النفـــط']],
    [
      'a name written apart is one range, written joined another',
      'قال عبد الله إن عبدالله سافر',
      'عبدالله',
      ['عبد الله', 'عبدالله'],
    ],
    ['a ligature that holds the word', 'صلى النبي ﷺ في المسجد', 'الله', ['ﷺ']],
    [
      'in text order, whatever the order of the query',
      'اجتمع وزير الخارجية مع رئيس الوزراء في القاهرة',
      'القاهرة وزير',
      ['وزير', 'القاهرة'],
    ],
    ['non-Arabic pass-through', 'Oil prices rose in London', 'oil', ['Oil']],
    ['a stop word of the query marks nothing', 'وصل الوفد إلى القاهرة', 'إلى', []],
  ])('%s', (_name, text, query, words) => {
    expect(highlightsOf(text, query)).toEqual(rangesOf(text, words));
  });

  it(`keeps the first ${MAX_HIGHLIGHTS} matches of a paragraph that has more`, () => {
    const text = 'النفط والغاز '.repeat(MAX_HIGHLIGHTS + 200);
    const all = rangesOf(
      text,
      Array.from({ length: MAX_HIGHLIGHTS + 200 }, () => 'النفط'),
    );
    expect(highlightsOf(text, 'النفط')).toEqual(all.slice(0, MAX_HIGHLIGHTS));
  });

  it('ranges lie inside the text, in order, without overlapping, for any text and query', () => {
    fc.assert(
      fc.property(arabicText, arabicText, (text, query) => {
        let end = 0;
        for (const [start, stop] of highlightsOf(text, query)) {
          expect(start).toBeGreaterThanOrEqual(end);
          expect(stop).toBeGreaterThan(start);
          expect(stop).toBeLessThanOrEqual(text.length);
          end = stop;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a text searched for its own words marks at least one of them', () => {
    fc.assert(
      fc.property(arabicText, (text) => {
        fc.pre(queryWords(text, undefined).length > 0);
        expect(highlightsOf(text, text).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('highlightText', () => {
  /** Query words from `query`, the first carrying the words of `variant` as a typo's and a synonym's variants. */
  const withVariants = (query: string, variant: string): QueryWord[] => {
    const [first, ...rest] = queryWords(query, undefined);
    if (first === undefined) return rest;
    const variants = queryWords(variant, undefined).map(({ exact, stem }, index) => ({
      exact,
      stem,
      weight: 0.5,
      kind: index % 2 === 0 ? ('typo' as const) : ('synonym' as const),
    }));
    return [{ ...first, variants }, ...rest];
  };

  it('marks what analysing every word marks, for any text and query, variants included', () => {
    fc.assert(
      fc.property(arabicText, arabicText, arabicText, fc.nat(), (text, query, variant, pick) => {
        // Half the time, the query is words of the text itself, so that there are matches to find.
        const words =
          pick % 2 === 0 ? withVariants(query, variant) : withVariants(text.slice(pick % 7), variant);
        expect(highlightText(text, words, {})).toEqual(highlightRanges(analyzeForIndex(text), words));
      }),
      { numRuns: 2_000 },
    );
  });

  /** Query words from `query`, the first counting also as the phrase of the words of `phrase`. */
  const withPhrase = (query: string, phrase: string): QueryWord[] => {
    const [first, ...rest] = queryWords(query, undefined);
    const words = queryWords(phrase, undefined);
    if (first === undefined || words.length === 0) return [];
    return [{ ...first, phraseVariants: [{ words, weight: 0.5 }] }, ...rest];
  };

  it('marks what analysing every word marks, for any text and query with a phrase variant', () => {
    fc.assert(
      fc.property(arabicText, arabicText, arabicText, fc.nat(), (text, query, phrase, pick) => {
        // Half the time, the phrase is words of the text itself, so that it occurs.
        const words = withPhrase(query, pick % 2 === 0 ? phrase : text.slice(pick % 7, (pick % 7) + 12));
        expect(highlightText(text, words, {})).toEqual(highlightRanges(analyzeForIndex(text), words));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ["words between the phrase's words are no phrase", 'كأس للأندية العالم', []],
    ['a stop word between them is skipped, as the index skips it', 'كأس في العالم', ['كأس', 'العالم']],
    ['tatweel alone between them is no word', 'كأس ـــ العالم', ['كأس', 'العالم']],
    ['the phrase as written', 'بطولة كأس العالم لكرة القدم', ['كأس', 'العالم']],
  ])('a phrase variant: %s', (_name, text, marked) => {
    const words = withPhrase('مونديال', 'كأس العالم');
    const ranges = highlightText(text, words, {});
    expect(ranges).toEqual(highlightRanges(analyzeForIndex(text), words));
    expect(ranges.map(([start, end]) => text.slice(start, end))).toEqual(marked);
  });

  it('marks real text as analysing every word does: the sample corpus against its own words', async () => {
    const paragraphs: string[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS))
      if (line.ok) paragraphs.push(...line.article.paragraphs);
    let marked = 0;
    paragraphs.forEach((text, index) => {
      const other = paragraphs[(index * 7 + 3) % paragraphs.length]!;
      const query = `${other.split(' ').slice(2, 5).join(' ')} ${text.split(' ').slice(4, 6).join(' ')}`;
      const words = queryWords(query, undefined);
      const ranges = highlightText(text, words, {});
      expect(ranges).toEqual(highlightRanges(analyzeForIndex(text), words));
      marked += ranges.length;
    });
    expect(marked).toBeGreaterThan(paragraphs.length);
  });
});

describe('escapeHtml', () => {
  it.each([
    ['empty string', '', ''],
    ['must not change: plain Arabic', 'أسعار النفط', 'أسعار النفط'],
    [
      'every special character',
      `<b class="x">'&'</b>`,
      '&lt;b class=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;',
    ],
    ['an entity is escaped again, not kept', '&amp;', '&amp;amp;'],
  ])('%s', (_name, text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});

describe('buildSnippet', () => {
  it.each([
    ['empty text', '', [], ''],
    ['must not change: a short text without highlights', 'أسعار النفط اليوم', [], 'أسعار النفط اليوم'],
    ['one word marked', 'ارتفعت أسعار النفط اليوم', ['النفط'], 'ارتفعت أسعار <mark>النفط</mark> اليوم'],
    [
      'several words marked',
      'وقالت الحكومةُ إن الحكومات العربية ستجتمع',
      ['الحكومةُ', 'الحكومات'],
      'وقالت <mark>الحكومةُ</mark> إن <mark>الحكومات</mark> العربية ستجتمع',
    ],
    [
      'a word at either end',
      'النفط ثم النفط',
      ['النفط', 'النفط'],
      '<mark>النفط</mark> ثم <mark>النفط</mark>',
    ],
    [
      'the text and the marked words HTML-escaped',
      'قال "المسؤول" إن <النفط> & \'الغاز\'',
      ['النفط'],
      'قال &quot;المسؤول&quot; إن &lt;<mark>النفط</mark>&gt; &amp; &#39;الغاز&#39;',
    ],
  ])('%s', (_name, text, words, expected) => {
    expect(buildSnippet(text, rangesOf(text, words))).toBe(expected);
  });

  const filler = (count: number) => Array.from({ length: count }, (_, at) => `كلمة${at}`).join(' ');

  it('shows the start of a long paragraph without highlights, cut between words', () => {
    const text = `بداية الفقرة ${filler(100)}`;
    const snippet = buildSnippet(text, []);
    const shown = shownText(snippet);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.startsWith('…')).toBe(false);
    expect(text.startsWith(shown)).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
    expect(text[shown.length]).toBe(' ');
  });

  it('shows a window of a long paragraph around its best match: whole words, ellipses where cut', () => {
    const text = `${filler(60)} النفط ${filler(40)}`;
    const snippet = buildSnippet(text, highlightsOf(text, 'النفط'));
    const shown = shownText(snippet);
    expect(snippet.startsWith('…') && snippet.endsWith('…')).toBe(true);
    expect(markedWords(snippet)).toEqual(['النفط']);
    expect(shown.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
    const from = text.indexOf(shown);
    expect(from).toBeGreaterThan(0);
    expect(text[from - 1]).toBe(' ');
    expect(text[from + shown.length]).toBe(' ');
  });

  it('chooses the window holding the most matches over an earlier lone one', () => {
    const cluster = 'ارتفعت أسعار النفط وقال خبراء النفط إن النفط سيرتفع';
    const text = `النفط ${filler(80)} ${cluster} ${filler(40)}`;
    const snippet = buildSnippet(text, highlightsOf(text, 'النفط'));
    expect(markedWords(snippet)).toEqual(['النفط', 'النفط', 'النفط']);
    expect(shownText(snippet)).toContain(cluster);
    expect(snippet.startsWith('…')).toBe(true);
  });

  it('marks a match at the start of a long paragraph without a leading ellipsis', () => {
    const text = `النفط ${filler(100)}`;
    const snippet = buildSnippet(text, highlightsOf(text, 'النفط'));
    expect(snippet.startsWith('<mark>النفط</mark> ')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('shows a slice of the text, at most a snippet long, marking a match when there is one', () => {
    const words = ['النفط', 'أسعار', 'الذهب', 'قال', 'الحكومةُ', 'ن'.repeat(30), 'و', '<b>', '&', 'في'];
    const texts = fc
      .array(fc.constantFrom(...words), { maxLength: 200 })
      .chain((chosen) => fc.constantFrom(' ', '  ', '\n').map((space) => chosen.join(space)));
    fc.assert(
      fc.property(texts, fc.constantFrom(...words), (text, query) => {
        const highlights = highlightsOf(text, query);
        const snippet = buildSnippet(text, highlights);
        const shown = shownText(snippet);
        expect(text).toContain(shown);
        expect(shown.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
        expect(snippet.startsWith('…')).toBe(!text.startsWith(shown));
        expect(markedWords(snippet).length > 0).toBe(highlights.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('a text exactly as long as a snippet is shown whole', () => {
    const text = 'ن'.repeat(SNIPPET_LENGTH - 6) + ' النفط';
    expect(buildSnippet(text, highlightsOf(text, 'النفط'))).toBe(
      `${'ن'.repeat(SNIPPET_LENGTH - 6)} <mark>النفط</mark>`,
    );
  });
});
