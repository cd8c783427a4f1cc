import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  analyzeForIndex,
  compoundHeadAt,
  compoundTerms,
  isCompoundHead,
} from '../../src/analysis/analyze.js';
import { forEachWord } from '../../src/analysis/word-scanner.js';
import { anyText } from './arbitrary-text.js';
import { Archive } from '../../src/archive/archive.js';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';

const terms = (text: string) => analyze(text).map((token) => token.term);

describe('names written joined or apart', () => {
  it.each([
    ['عبد الله', 'عبدالله'],
    ['أبو ظبي', 'أبوظبي'],
    ['وعبد الرحمن', 'وعبدالرحمن'],
    ['عبد العزيز', 'عبدالعزيز'],
  ])('%s and %s give the same terms', (apart, joined) => {
    expect(terms(apart)).toEqual(terms(joined));
    expect(terms(apart)).toHaveLength(2);
  });

  it('gives a name written apart one token over both words, then the second word', () => {
    const text = 'قال عَبْدُ الله إن';
    const tokens = analyzeForIndex(text);
    expect(tokens.map((token) => text.slice(token.start, token.end))).toEqual(['قال', 'عَبْدُ الله', 'الله']);
    expect(tokens.map((token) => token.position)).toEqual([0, 1, 2]);
  });

  it('joins بن and ابن with the next word, but never splits a word that merely starts with them', () => {
    expect(terms('محمد بن سلمان')).toEqual(
      terms('محمد').concat(compoundTerms('بن', 'سلمان').map((t) => t.term)),
    );
    expect(terms('البنك')).toHaveLength(1);
    expect(terms('ابنه')).toHaveLength(1);
    expect(terms('أبواب')).toHaveLength(1);
  });

  it('does not join a first word with a stop word or a number', () => {
    expect(terms('عبد في')).toEqual(['عبد']);
    expect(compoundTerms('ابو', '2020')).toEqual([]);
  });

  it('indexes a compact segment exactly as the analysis does', () => {
    const paragraphs = ['زار عبد الله أبوظبي', 'ثم التقى محمد بن سلمان في أبو ظبي', 'ابو'];
    const segment = new CompactSegment(
      buildCompactSegment([{ id: 'a', title: 'عبد الرحمن', paragraphs }], {}),
    );
    paragraphs.forEach((text, doc) => {
      expect(segment.tokens(doc).map((token) => token.term)).toEqual(
        analyzeForIndex(text).map((t) => t.term),
      );
    });
  });

  it('finds both spellings, in phrases too, and highlights the whole written name', () => {
    const archive = new Archive();
    archive.put({ id: 'apart', paragraphs: ['وصل عبد الله إلى أبو ظبي أمس'] });
    archive.put({ id: 'joined', paragraphs: ['وصل عبدالله إلى أبوظبي أمس'] });
    for (const query of ['عبدالله', 'عبد الله', '"وصل عبد الله"', '"عبدالله أبوظبي"', 'أبو ظبي']) {
      // Not collapsed: the two paragraphs are copies of each other, as the index reads them.
      const { hits } = archive.search(query, { collapse: false });
      expect(hits.map((hit) => hit.id).sort()).toEqual(['apart', 'joined']);
    }
    const apart = archive.search('عبدالله', { collapse: false }).hits.find((hit) => hit.id === 'apart')!;
    expect(apart.highlights.map(([start, end]) => apart.text.slice(start, end))).toEqual(['عبد الله']);
  });
});

describe('the segment writer and the analysis', () => {
  it('agree on every text, names and their look-alikes in any spelling', () => {
    const piece = fc.constantFrom(
      'عبد',
      'عَبْدُ',
      'وعبد',
      'ﻋﺒﺪ',
      'ٱبن',
      'إبن',
      'ابو',
      'أبي',
      'بن',
      'وبن',
      'بنت',
      'بنك',
      'الله',
      'الرحمن',
      'ظبي',
      'في',
      '2020',
      'abc',
      'عبدالله',
      'أبوظبي',
      'ابواب',
      'ـ',
      '\u200c',
      '،',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (pieces, joins) => {
          const text = pieces
            .map((part, at) => (at > 0 && joins[at] ? part : ` ${part}`))
            .join('')
            .trim();
          if (text === '') return;
          const segment = new CompactSegment(
            buildCompactSegment([{ id: 'a', title: '', paragraphs: [text] }], {}),
          );
          if (segment.size === 0) return;
          expect(segment.tokens(0).map((token) => token.term)).toEqual(
            analyzeForIndex(text).map((t) => t.term),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Texts of names' first words as people write them: any alef, marks and tatweel between letters, a `و` before. */
const headsText = fc
  .array(
    fc
      .tuple(
        fc.constantFrom('', 'و', 'وَ'),
        fc.constantFrom(
          'عبد',
          'عَبْد',
          'عـبـد',
          'أبو',
          'ابو',
          'إبي',
          'آبا',
          'ٱبن',
          'أبُو',
          'بن',
          'بِنت',
          'بنـت',
          'عب',
          'ابد',
        ),
        fc.constantFrom(' ', ' الله ', 'الرحمن ', ' ظبي '),
      )
      .map((parts) => parts.join('')),
    { maxLength: 6 },
  )
  .map((words) => words.join(''));

describe('compoundHeadAt', () => {
  it('finds every first word of a name isCompoundHead finds, of 12 code units or fewer, in any text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, headsText), (text) => {
        forEachWord(text, (start, end) => {
          const expected = end - start <= 12 && isCompoundHead(text.slice(start, end));
          expect(compoundHeadAt(text, start, end)).toBe(expected);
        });
      }),
      { numRuns: 3_000 },
    );
  });
});
