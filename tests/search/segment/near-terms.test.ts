import { describe, expect, it } from 'vitest';
import { nearTerms, sortedTermsTrie } from '../../../src/search/segment/near-terms.js';
import { TermList } from '../../../src/search/segment/term-list.js';

describe('nearTerms', () => {
  it('stops at its budget of visited nodes, with what it found so far', () => {
    const terms = [...'بتثجحخدذرزسشصضطظعغفقكلمنهوي']
      .flatMap((a) => [...'بتثجحخ'].map((b) => `كت${a}${b}ات`))
      .sort();
    const { termText, termEnds } = TermList.encode(terms);
    const trie = sortedTermsTrie(new TermList(termText, termEnds));
    const all = nearTerms(trie, 'كتبحات', 1);
    expect(all.size).toBeGreaterThan(10);
    const cut = nearTerms(trie, 'كتبحات', 1, 0, 5);
    expect(cut.size).toBeLessThan(all.size);
    for (const [term, distance] of cut) expect(all.get(term)).toBe(distance);
  });
});
