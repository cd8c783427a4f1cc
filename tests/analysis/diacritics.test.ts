import { describe, expect, it } from 'vitest';
import { choosesReading, marksAgreement } from '../../src/analysis/diacritics.js';

describe('marksAgreement', () => {
  it.each([
    ['عَلَم', 'عَلَم', 1],
    ['عَلَم', 'العَلَمُ', 1],
    ['عَلَم', 'عِلْم', -1],
    ['عَلَم', 'علم', 0],
    ['علم', 'عِلْم', 0],
    ['عَلَم', 'كتب', 0],
    ['شَدَّ', 'شدَّ', 1],
  ] as const)('%s against %s is %d', (typed, written, expected) => {
    expect(marksAgreement(typed, written)).toBe(expected);
  });
});

describe('choosesReading', () => {
  it('takes two marks or more, tanween aside, as choosing a reading', () => {
    expect(['عَلَم', 'عِلْم', 'شَدَّ'].map(choosesReading)).toEqual([true, true, true]);
    expect(['أيضاً', 'موّل', 'سُجلت', 'علم'].map(choosesReading)).toEqual([false, false, false, false]);
  });
});
