import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../../src/analysis/analyze.js';
import { FIELD } from '../../../src/search/fields.js';
import { LiveSegment } from '../../../src/search/segment/live-segment.js';

const ANALYSIS = {};

describe('the live segment', () => {
  it('forgets the terms only a deleted paragraph held, so that no expansion offers them', () => {
    const live = new LiveSegment(ANALYSIS);
    live.addParagraph({ articleId: 'a', para: 0, text: 'ارتفعت أسعار النفط', title: 'النفط' });
    const removed = live.addParagraph({ articleId: 'b', para: 0, text: 'تراجع الذهب', title: 'الذهب' });
    live.delete(removed);
    const terms = new Set(live.termsWithPrefix(''));
    const kept = analyzeForIndex('ارتفعت أسعار النفط').flatMap((token) => [
      token.exact,
      token.term,
      ...(token.alternative === undefined ? [] : [token.alternative]),
    ]);
    expect(terms).toEqual(new Set(kept));
    expect([...live.termsOneEditAway('الذهب')]).toEqual([]);
    expect(live.postings('ذهب', FIELD.textStem)).toBeUndefined();
  });
});
