import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/analysis/normalize.js';
import { isStopWord, STOP_WORDS } from '../../src/analysis/stop-words.js';

describe('isStopWord', () => {
  it.each([
    ['empty string', '', false],
    ['latin word', 'the', false],
    ['must not change: content word', 'الحكومة', false],
    ['preposition', 'في', true],
    ['preposition with hamza, normalised', 'إلى', true],
    ['question word', 'متى', true],
    ['question word with clitic', 'بماذا', true],
    ['demonstrative with clitic', 'لهذا', true],
    ['conjunction with pronoun', 'وهو', true],
    ['content word starting like a clitic', 'بلد', false],
    ['temporal adverb (as in Lucene; measured on xquad-ar)', 'بعد', true],
    ['temporal adverb with clitic', 'وقبل', true],
    ['must not change: noun from the same root', 'البعد', false],
  ])('%s', (_name, input, expected) => {
    expect(isStopWord(normalize(input))).toBe(expected);
  });

  it('stores every stop word normalised', () => {
    for (const word of STOP_WORDS) expect(normalize(word)).toBe(word);
  });
});
