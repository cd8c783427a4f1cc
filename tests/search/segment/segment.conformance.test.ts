import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../../src/analysis/analyze.js';
import { SAMPLE_CORPUS } from '../../../src/cli/open-archive.js';
import type { Article } from '../../../src/article/article.js';
import { readArticleLines } from '../../../src/article/read-articles.js';
import { FIELD, FIELD_COUNT, type Field } from '../../../src/search/fields.js';
import { parseQuery, positiveWords } from '../../../src/search/query.js';
import { matchWords } from '../../../src/search/segment/token-matching.js';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { LiveSegment } from '../../../src/search/segment/live-segment.js';
import { postingLength, type Segment } from '../../../src/search/segment/segment.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';
import { typoDistance } from '../../../src/search/typo-distance.js';

const ANALYSIS = {};

/** Everything a segment tells about a term in a field, by paragraph key, whatever its numbering. */
function postingsOf(segment: Segment, term: string, field: Field) {
  const postings = segment.postings(term, field);
  if (postings === undefined) return undefined;
  const rows: string[] = [];
  for (let at = postings.start; at < postings.end; at += 1) {
    const doc = postings.docs[at]!;
    if (!segment.isLive(doc)) continue;
    rows.push(
      `${segment.articleId(doc)}#${segment.para(doc)} tf ${postings.freqs[at]} len ${postings.lengths[at]}`,
    );
    expect(postings.lengths[at]).toBe(postingLength(segment.fieldLength(doc, field)));
    expect(postings.exactLength(doc)).toBe(segment.fieldLength(doc, field));
  }
  return { documentFrequency: postings.documentFrequency, rows: rows.sort() };
}

function statistics(segment: Segment) {
  return {
    live: segment.liveCount,
    lengths: Array.from({ length: FIELD_COUNT }, (_, field) => segment.fieldLengthSum(field as Field)),
  };
}

/** The same articles in both kinds of segment, so every answer can be compared. */
describe.each([
  ['a compact segment', (articles: Article[]) => new CompactSegment(buildCompactSegment(articles, ANALYSIS))],
  [
    'the live segment',
    (articles: Article[]) => {
      const live = new LiveSegment(ANALYSIS);
      for (const { id, title, paragraphs } of articles) {
        paragraphs.forEach((text, para) => live.addParagraph({ articleId: id, para, text, title }));
      }
      return live;
    },
  ],
])('%s answers as the articles say', (_kind, build) => {
  let articles: Article[] = [];
  let segment: Segment;
  let terms: string[] = [];

  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    // A blank paragraph is never a document.
    articles = [...articles, { id: 'blank', title: 'عنوان', paragraphs: ['  ', 'نص قصير عن الاقتصاد'] }];
    segment = build(articles);
    // The forms indexed: exact and stem of titles and paragraphs, alternative stems of paragraphs.
    terms = [
      ...new Set(
        articles.flatMap((article) => [
          ...analyzeForIndex(article.title).flatMap((token) => [token.exact, token.term]),
          ...article.paragraphs
            .filter((text) => text.trim() !== '')
            .flatMap((text) =>
              analyzeForIndex(text).flatMap((token) => [
                token.exact,
                token.term,
                token.alternative ?? token.term,
              ]),
            ),
        ]),
      ),
    ];
  });

  it('holds every non-blank paragraph once, with the tokens analysis gives', () => {
    const expected = articles.flatMap((article) =>
      article.paragraphs.flatMap((text, para) => (text.trim() === '' ? [] : [{ article, para, text }])),
    );
    expect(segment.liveCount).toBe(expected.length);
    for (const { article, para, text } of expected) {
      const docs = segment.documentsOf(article.id).filter((doc) => segment.para(doc) === para);
      expect(docs).toHaveLength(1);
      const tokens = analyzeForIndex(text).map(({ exact, term, alternative }) =>
        alternative === undefined ? { exact, term } : { exact, term, alternative },
      );
      const terms = segment
        .tokens(docs[0]!)
        .map(({ exact, term, alternative }) =>
          alternative === undefined ? { exact, term } : { exact, term, alternative },
        );
      expect(terms).toEqual(tokens);
      expect(segment.exactWords(docs[0]!)).toEqual(tokens.map((token) => token.exact));
      const words = positiveWords(parseQuery('الاقتصاد أسعار الحكومة وزارة'));
      expect(segment.wordMatcher(words)(docs[0]!)).toEqual(matchWords(tokens, words));
    }
  });

  it('matches query words document after document with one matcher, as matchWords does', () => {
    // Two words of one stem: a token matching both holds an array of its own, one matching one a shared one.
    const words = positiveWords(parseQuery('وزارة الوزارة أسعار سعر الحكومة'));
    const matcher = segment.wordMatcher(words);
    const docs = articles.flatMap((article) => segment.documentsOf(article.id));
    // Long and short documents in turn, so that a matcher keeping its array both grows and shrinks it.
    const turns = [...docs, ...docs.toReversed(), ...docs];
    let multiple = 0;
    for (const doc of turns) {
      const matched = matcher(doc).map((words) => [...words]);
      expect(matched).toEqual(matchWords(segment.tokens(doc), words));
      multiple += matched.filter((words) => words.length > 1).length;
    }
    expect(multiple).toBeGreaterThan(0);
  });

  it('lists, for every term in every field, the paragraphs holding it with their frequency and length', () => {
    // The index as analysis defines it: field → term → rows.
    const expected = new Map<string, string[]>();
    for (const article of articles) {
      const title = analyzeForIndex(article.title);
      article.paragraphs.forEach((text, para) => {
        if (text.trim() === '') return;
        const tokens = analyzeForIndex(text);
        for (let field = 0; field < FIELD_COUNT; field += 1) {
          const source = field === FIELD.title || field === FIELD.titleStem ? title : tokens;
          const forms = source.flatMap((token) => {
            const form =
              field === FIELD.text || field === FIELD.title
                ? token.exact
                : field === FIELD.textAlternative
                  ? token.alternative
                  : token.term;
            return form === undefined ? [] : [form];
          });
          const length = new Set(forms).size;
          for (const form of new Set(forms)) {
            const frequency = forms.filter((other) => other === form).length;
            const key = `${field} ${form}`;
            expected.set(key, [
              ...(expected.get(key) ?? []),
              `${article.id}#${para} tf ${frequency} len ${length}`,
            ]);
          }
        }
      });
    }
    for (const term of terms) {
      for (let field = 0; field < FIELD_COUNT; field += 1) {
        const rows = (expected.get(`${field} ${term}`) ?? []).sort();
        const listed = postingsOf(segment, term, field as Field);
        expect(listed?.rows ?? []).toEqual(rows);
        expect(segment.frequency(term, field as Field)).toBe(rows.length);
        expect(listed?.documentFrequency ?? 0).toBe(rows.length);
      }
    }
  });

  it('expands terms by prefix and by one edit as a scan of its terms would', () => {
    for (const term of terms.filter((_, index) => index % 7 === 0)) {
      expect(new Set(segment.termsWithPrefix(term.slice(0, 3)))).toEqual(
        new Set(terms.filter((other) => other.startsWith(term.slice(0, 3)))),
      );
      expect(new Set(segment.termsOneEditAway(term))).toEqual(
        new Set(terms.filter((other) => other !== term && isOneEdit(other, term))),
      );
    }
  });

  it('finds the terms within a typo distance as a scan of its terms would', () => {
    for (const term of terms.filter((_, index) => index % 29 === 0)) {
      for (const distance of [1, 2]) {
        const scanned = terms
          .filter((other) => other !== term)
          .map((other) => [other, typoDistance(term, other)] as const)
          .filter(([, found]) => found <= distance);
        expect(new Map(segment.nearTerms(term, distance))).toEqual(new Map(scanned));
      }
    }
  });

  it('takes a deleted article out of every statistic, as if never added', () => {
    const [removed] = articles.slice(3, 4);
    const rest = articles.filter((article) => article !== removed);
    const without = build(rest);
    for (const doc of segment.documentsOf(removed!.id)) segment.delete(doc);
    expect(statistics(segment)).toEqual(statistics(without));
    for (const term of terms) {
      for (let field = 0; field < FIELD_COUNT; field += 1) {
        expect(postingsOf(segment, term, field as Field)).toEqual(postingsOf(without, term, field as Field));
      }
    }
  });
});

/** Whether two strings are one insertion, deletion or substitution apart. */
function isOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
