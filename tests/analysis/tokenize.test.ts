import { describe, expect, it } from 'vitest';
import { splitWords } from '../../src/analysis/tokenize.js';

describe('splitWords', () => {
  it.each([
    ['empty string', '', []],
    ['latin words', 'Hello, world', ['Hello', 'world']],
    ['must not change: one arabic word', 'الحكومة', ['الحكومة']],
    ['arabic punctuation separates', 'أولاً،ثانياً؛ثالثاً؟', ['أولاً', 'ثانياً', 'ثالثاً']],
    ['typographic quotes separate', '“نشعر”«بقلق»', ['نشعر', 'بقلق']],
    ['diacritics stay in the word', 'زعزعةَ الاستقرار', ['زعزعةَ', 'الاستقرار']],
    ['tatweel stays in the word', 'الـعـالـم', ['الـعـالـم']],
    ['zero-width non-joiner stays inside', 'المعلو\u200Cمات', ['المعلو\u200Cمات']],
    ['a trailing mark stays on its letter', 'كتاباً.', ['كتاباً']],
    ['digits glued to arabic split off', '2015م', ['2015', 'م']],
    ['arabic-indic digits split from letters', '١٥٪', ['١٥']],
    ['latin glued to arabic splits', 'iPhoneالجديد', ['iPhone', 'الجديد']],
    ['latin with digits stays whole', 'covid19', ['covid19']],
    ['hyphen separates', 'F-16', ['F', '16']],
  ])('%s', (_name, input, expected) => {
    const spans = splitWords(input);
    expect(spans.map((span) => span.text)).toEqual(expected);
    for (const span of spans) expect(input.slice(span.start, span.end)).toBe(span.text);
  });

  it('gives offsets in UTF-16 code units past astral characters', () => {
    const text = '😀 خبر 𝐀bc';
    const spans = splitWords(text);
    expect(spans[0]).toEqual({ text: 'خبر', start: text.indexOf('خبر'), end: text.indexOf('خبر') + 3 });
  });
});
