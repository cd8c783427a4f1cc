import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CORPUS } from '../../../src/cli/open-archive.js';
import type { Article } from '../../../src/article/article.js';
import { readArticleLines } from '../../../src/article/read-articles.js';
import { FIELD_COUNT, type Field } from '../../../src/search/fields.js';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { mergeSegments } from '../../../src/search/segment/segment-merger.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';

/** A segment as its answers show it, whatever its numbering: postings by paragraph key, tokens, statistics. */
function answers(segment: CompactSegment) {
  const postings: string[] = [];
  for (const term of segment.terms.terms()) {
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const list = segment.postings(term, field as Field);
      if (list === undefined) continue;
      const rows: string[] = [];
      for (let at = list.start; at < list.end; at += 1) {
        const doc = list.docs[at]!;
        if (segment.isLive(doc)) {
          rows.push(`${segment.articleId(doc)}#${segment.para(doc)}:${list.freqs[at]}:${list.lengths[at]}`);
        }
      }
      postings.push(`${field} ${term} df ${list.documentFrequency}: ${rows.sort().join(' ')}`);
    }
  }
  const tokens: string[] = [];
  for (let doc = 0; doc < segment.size; doc += 1) {
    if (segment.isLive(doc))
      tokens.push(`${segment.articleId(doc)}#${segment.para(doc)} ${JSON.stringify(segment.tokens(doc))}`);
  }
  const vectors: string[] = [];
  const rows = segment.vectors();
  for (let row = 0; row < (rows?.rows ?? 0); row += 1) {
    const doc = rows!.docs[row]!;
    if (!segment.isLive(doc)) continue;
    // The float values, and the 4-bit codes and scale of the row: a merge copies them, a build makes them.
    const bytes = rows!.quantized!.codes.length / rows!.rows;
    const codes = rows!.quantized!.codes.subarray(row * bytes, (row + 1) * bytes);
    vectors.push(
      `${segment.articleId(doc)}#${segment.para(doc)} ${Array.from(segment.vectorOf(doc)!).join(',')} ${Array.from(codes).join(',')} ${rows!.quantized!.scales[row]}`,
    );
  }
  return {
    live: segment.liveCount,
    vectors: vectors.sort(),
    lengths: Array.from({ length: FIELD_COUNT }, (_, field) => segment.fieldLengthSum(field as Field)),
    postings: postings.sort(),
    tokens: tokens.sort(),
  };
}

describe('merging compact segments', () => {
  let articles: Article[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    // Every other article's paragraphs carry vectors, one of them none.
    articles = articles.map((article, n) =>
      n % 2 === 1
        ? article
        : {
            ...article,
            vectors: article.paragraphs.map((_, para) => (para === 1 ? null : Float32Array.of(n, para, 1))),
          },
    );
  });

  it('gives the segment a build of their live paragraphs gives, deleted ones dropped', () => {
    const parts = [articles.slice(0, 12), articles.slice(12, 25), articles.slice(25)].map(
      (part) => new CompactSegment(buildCompactSegment(part, {})),
    );
    const removed = new Set([articles[3]!.id, articles[13]!.id, articles[30]!.id]);
    for (const segment of parts) {
      for (const id of removed) for (const doc of segment.documentsOf(id)) segment.delete(doc);
    }
    const merged = new CompactSegment(mergeSegments(parts));
    expect(merged.size).toBe(merged.liveCount);
    expect(answers(merged).vectors.length).toBeGreaterThan(20);
    const expected = new CompactSegment(
      buildCompactSegment(
        articles.filter((article) => !removed.has(article.id)),
        {},
      ),
    );
    expect(answers(merged).postings.filter((row) => !row.includes('df 0'))).toEqual(
      answers(expected).postings,
    );
    expect({ ...answers(merged), postings: [] }).toEqual({ ...answers(expected), postings: [] });
    // Deleting from a merged segment still takes the paragraph out of every statistic.
    for (const doc of merged.documentsOf(articles[0]!.id)) merged.delete(doc);
    for (const doc of expected.documentsOf(articles[0]!.id)) expected.delete(doc);
    expect(answers(merged).lengths).toEqual(answers(expected).lengths);
  });
});
