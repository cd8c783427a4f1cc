import { describe, expect, it } from 'vitest';
import { analyze, analyzeForIndex } from '../../src/analysis/analyze.js';
import { expectAnalysis } from './expect-analysis.js';

describe('analyze', () => {
  it.each([
    ['empty string', '', []],
    ['latin lower-cased', 'OpenAI and NASA', ['openai', 'and', 'nasa']],
    ['must not change: bare stem', 'قسد', ['قسد']],
    ['stop words dropped', 'في دير الزور', ['دير', 'زور']],
    ['diacritised words', 'زعزعةَ التزامَها جميعُ', ['زعزع', 'تزام', 'جميع']],
    ['punctuation and quotes', '“نشعر بقلق بالغ”، داعياً', ['نشعر', 'بقلق', 'بالغ', 'داعيا']],
    ['arabic-indic digits', 'عام ٢٠٢٣', ['عام', '2023']],
    ['persian letters', 'زندگی کوتاه', ['زندك', 'كوتا']],
    ['hamza seats agree', 'مسؤول مسئول', ['مسءول', 'مسءول']],
    ['ligature gives several tokens on one span', 'محمد ﷺ', ['محمد', 'صل', 'له', 'سلم']],
    ['hamza-alef-lam is no article', 'إلقاء الإلقاء وإلقاء لإلقاءها', ['القاء', 'القاء', 'القاء', 'القاء']],
    ['must not change: the article before a hamza-alef-lam word', 'الإلغاء', ['الغاء']],
    ['without hamza the reading stays the article', 'القاء', ['قاء']],
  ])('%s', (_name, input, terms) => {
    expectAnalysis(input, terms);
  });

  it('keeps the original, diacritised surface and its offsets', () => {
    const text = 'قال إنّ زعزعةَ الاستقرار';
    const [, token] = analyze(text);
    expect(token).toEqual({
      text: 'زعزعةَ',
      term: 'زعزع',
      start: text.indexOf('زعزعةَ'),
      end: text.indexOf('زعزعةَ') + 6,
    });
  });

  it('keeps the article reading of a hamza-alef-lam word as its alternative stem', () => {
    const [token] = analyzeForIndex('إلقاء');
    expect(token).toMatchObject({ exact: 'القاء', term: 'القاء', alternative: 'قاء' });
    // …which is the stem of the same word written without hamza, so either spelling finds the other.
    expect(analyzeForIndex('القاء')[0]).toMatchObject({ term: 'قاء' });
  });

  it('numbers positions without stop words, for phrases', () => {
    const tokens = analyzeForIndex('وزير في الحكومة');
    expect(tokens.map((token) => token.position)).toEqual([0, 1]);
  });

  it('honours the options', () => {
    expect(analyze('في الحكومات', { stem: false, stopWords: false }).map((t) => t.term)).toEqual([
      'في',
      'الحكومات',
    ]);
  });

  it('gives the same terms for a query typed without hamza, diacritics or taa marbuta', () => {
    const terms = (text: string) => analyze(text).map((token) => token.term);
    expect(terms('الامريكيه زعزعه التزامها')).toEqual(terms('الأمريكية زعزعةَ التزامَها'));
  });
});
