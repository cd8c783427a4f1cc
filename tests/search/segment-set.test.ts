import { describe, expect, it } from 'vitest';
import { MERGE_FACTOR, MERGE_FLOOR, SegmentSet } from '../../src/search/segment-set.js';
import { buildCompactSegment, mergeSegments } from '../../src/search/segments.js';

const article = (id: string, ...paragraphs: string[]) => ({ id, title: 'عنوان', paragraphs });

/** The (article, paragraph) pairs a search would go through. */
function searched(set: SegmentSet): string[] {
  const found: string[] = [];
  for (const segment of set.searched()) {
    for (let doc = 0; doc < segment.size; doc += 1)
      if (segment.isLive(doc)) found.push(`${segment.articleId(doc)}#${segment.para(doc)}`);
  }
  return found.sort();
}

describe('SegmentSet', () => {
  it('searches fresh writes at once, and the same paragraphs once sealed into a compact segment', () => {
    const set = new SegmentSet();
    set.addArticle(article('a', 'ارتفعت أسعار النفط', 'وانخفض الذهب'));
    set.addArticle(article('b', 'قالت الحكومة'));
    expect(set.size).toBe(3);
    expect(searched(set)).toEqual(['a#0', 'a#1', 'b#0']);
    set.seal();
    expect(set.compactSegments).toHaveLength(1);
    expect(set.liveSize).toBe(0);
    expect(searched(set)).toEqual(['a#0', 'a#1', 'b#0']);
  });

  it('removes an article from every segment, sealed or live', () => {
    const set = new SegmentSet();
    set.addArticle(article('a', 'ارتفعت أسعار النفط'));
    set.seal();
    set.addArticle(article('a', 'نص جديد'));
    set.removeArticle('a');
    expect(searched(set)).toEqual([]);
    expect(set.size).toBe(0);
  });

  it('seals a live segment that reaches its limit', () => {
    const set = new SegmentSet({ liveLimit: 2 });
    set.addArticle(article('a', 'واحد'));
    set.addArticle(article('b', 'اثنان'));
    expect(set.compactSegments).toHaveLength(1);
    expect(set.liveSize).toBe(0);
  });

  it('keeps searching a segment sealed elsewhere, and deletes from its compact form what was removed meanwhile', () => {
    const set = new SegmentSet();
    set.addArticle(article('a', 'ارتفعت أسعار النفط'));
    set.addArticle(article('b', 'قالت الحكومة'));
    const sources = set.beginSeal()!;
    expect(set.sealing).toBe(true);
    expect(searched(set)).toEqual(['a#0', 'b#0']);
    set.removeArticle('b');
    const sealed = set.finishSeal(buildCompactSegment(sources, {}))!;
    expect(sealed.liveCount).toBe(1);
    expect(searched(set)).toEqual(['a#0']);
    expect(set.busy).toBe(false);
  });

  it('in publish mode, searches a write, or a removal, only from the seal that takes it', () => {
    const set = new SegmentSet();
    set.addArticle(article('a', 'نص قديم'));
    set.seal();
    set.publishWrites(true);
    expect(set.publishes).toBe(true);
    set.addArticle(article('b', 'نص جديد'));
    set.removeArticle('a');
    expect(searched(set)).toEqual(['a#0']);
    set.seal();
    expect(searched(set)).toEqual(['b#0']);
  });

  it('merges MERGE_FACTOR small segments of one tier into one, deleting what was removed during the merge', () => {
    const set = new SegmentSet();
    for (let at = 0; at < MERGE_FACTOR; at += 1) {
      set.addSegment(buildCompactSegment([article(`a${at}`, `فقرة رقم ${at}`)], {}));
    }
    const group = set.mergeCandidates()!;
    expect(group).toHaveLength(MERGE_FACTOR);
    expect(group.every((segment) => segment.liveCount < MERGE_FLOOR)).toBe(true);
    set.beginMerge(group);
    expect(set.mergeCandidates()).toBeUndefined();
    set.removeArticle('a3');
    set.finishMerge(mergeSegments(group));
    expect(set.compactSegments).toHaveLength(1);
    expect(searched(set)).not.toContain('a3#0');
    expect(set.size).toBe(MERGE_FACTOR - 1);
  });
});
