import { describe, expect, it } from 'vitest';
import { alternativeStem, lightStem, stemKeepingAlefLam } from '../../src/analysis/stem.js';
import { normalize } from '../../src/analysis/normalize.js';

describe('lightStem', () => {
  it.each([
    ['empty string', '', ''],
    ['latin passes through', 'opec', 'opec'],
    ['must not change: short root', 'قال', 'قال'],
    ['article', 'الكتاب', 'كتاب'],
    ['conjunction and article', 'والحكومة', 'حكوم'],
    ['preposition and article', 'بالمئة', 'مء'],
    ['lam-lam', 'للعمليات', 'عمل'],
    ['nisba', 'الأمريكية', 'امريك'],
    ['masculine nisba meets feminine', 'الأمريكي', 'امريك'],
    ['sound plural', 'المعلمون', 'معلم'],
    ['dual', 'النقطتين', 'نقطت'],
    ['attached pronoun', 'هدفهم', 'هدف'],
    ['pronoun after a word', 'التزامها', 'تزام'],
    ['never below two letters', 'بالغ', 'بالغ'],
    ['conjunction only from 4+ letters', 'ولد', 'ولد'],
  ])('%s', (_name, input, expected) => {
    expect(lightStem(normalize(input))).toBe(expected);
  });
});

describe('alternativeStem', () => {
  it.each([
    ['empty string', '', undefined],
    ['latin', 'opec', undefined],
    ['must not change: no proclitic', 'تقديم', undefined],
    ['preposition read as a clitic', 'بتقديم', 'تقديم'],
    ['lam preposition', 'لتوضيح', 'توضيح'],
    ['future particle', 'سيستمر', 'يستمر'],
    ['waw read as part of the word', 'وزارة', 'وزار'],
    ['too short to carry a clitic', 'كتب', undefined],
    ['article already decides', 'والحكومة', undefined],
  ])('%s', (_name, input, expected) => {
    expect(alternativeStem(normalize(input))).toBe(expected);
  });

  it('meets the main stem of the other reading: وزارة and الوزارة', () => {
    expect(alternativeStem(normalize('وزارة'))).toBe(lightStem(normalize('الوزارة')));
  });
});

describe('stemKeepingAlefLam', () => {
  it.each([
    ['empty string', '', false, ''],
    ['latin', 'opec', false, 'opec'],
    ['must not change: bare word', 'القاء', false, 'القاء'],
    ['suffix still removed', 'القاءها', false, 'القاء'],
    ['proclitic removed when written', 'والغاء', true, 'الغاء'],
    ['must not change: proclitic-looking letter kept when not written as one', 'القاء', false, 'القاء'],
  ])('%s', (_name, input, proclitic, expected) => {
    expect(stemKeepingAlefLam(normalize(input), proclitic)).toBe(expected);
  });
});
