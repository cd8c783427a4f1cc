import { describe, expect, it } from 'vitest';
import { normalize, NORMALIZERS } from '../../src/analysis/normalize.js';

describe('normalize', () => {
  it.each([
    ['empty string', '', ''],
    ['latin is lower-cased', 'COVID-19 NASA', 'covid-19 nasa'],
    ['must not change: already normal', 'الحكومه تعلن', 'الحكومه تعلن'],
    ['every fold at once', 'الأمريكيَّة إلى مستوى ٢٠٢٣', 'الامريكيه الي مستوي 2023'],
    ['tatweel between a letter and its hamza', 'اـ\u0654', 'ا'],
    ['zero-width joiner between a letter and its hamza composes', 'و\u200D\u0654', 'ء'],
    ['ligature expands to words', 'ﷺ', 'صلي الله عليه وسلم'],
    ['isolated haraka form leaves no tatweel', 'ﹷ', ''],
    ['persian and hamza seat together', 'مسئولی', 'مسءولي'],
    ['punctuation and quotes kept', '«قال» ،', '«قال» ،'],
  ])('%s', (_name, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('runs invisibles before NFKC, and NFKC before tatweel and the letter folds', () => {
    const names = NORMALIZERS.map((step) => step.name);
    expect(names.indexOf('removeInvisibles')).toBeLessThan(names.indexOf('foldCompatibility'));
    expect(names.indexOf('foldCompatibility')).toBeLessThan(names.indexOf('removeTatweel'));
    expect(names.indexOf('foldCompatibility')).toBeLessThan(names.indexOf('removeDiacritics'));
    expect(Object.isFrozen(NORMALIZERS)).toBe(true);
  });
});
