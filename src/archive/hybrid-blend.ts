/** A query's word matches and a vector's nearest paragraphs ranked together by a convex blend of scores. */

/** A paragraph ranked by the words or by the vector. */
export interface BlendedHit {
  articleId: string;
  para: number;
  score: number;
}

/** A ranking to blend: its hits, best first, and how many there are in all. */
export interface Ranking<T extends BlendedHit> {
  hits: T[];
  total: number;
  totalExact: boolean;
  partial?: true;
  timedOut?: true;
  /**
   * The words' ranking only: whether each of the vector's neighbours, in their order, matches the
   * words (see `EngineSearchOptions.watch`), ranked among the words' candidates or not.
   */
  watchedMatch?: boolean[];
}

/**
 * A query's matches and a vector's nearest paragraphs ranked together, by a convex blend of their
 * normalised scores: `(1 - ratio) · words + ratio · vector`, where `words` is a paragraph's score
 * divided by the best (BM25's least is 0: a paragraph without the words) and `vector` its similarity
 * min-max scaled over the candidates (a model's similarities have no fixed floor; a paragraph without
 * a vector counts as the least similar, and ranks below it when the blends are equal). A match's
 * similarity is `similarityOf` it (computed from its own vector), so every candidate that has one is
 * scored on both. Bruch et al. (2023, "An analysis of fusion functions for hybrid retrieval") found such
 * a blend better than reciprocal rank fusion in and out of domain, and it keeps what ranks drop: how
 * much better the best match is than the next. `bench/hybrid-fusion.ts` measures both.
 *
 * - `unmatched`: the vector's neighbours that match no word of the query, counted once more in `total`
 *   (and in facets, by the caller). A neighbour that is a match, ranked below the words' candidates
 *   (`words.watchedMatch`), is already counted among the words' matches.
 * - At a ratio of 0 or 1 a caller ranks by the words or the vector alone, rather than blend.
 */
export function blendRankings<T extends BlendedHit, W extends Ranking<T>>(
  words: W,
  nearest: Ranking<T>,
  similarityOf: (match: T) => number | undefined,
  ratio: number,
): W & { unmatched: T[] } {
  const candidates = new Map<string, { hit: T; words: number; similarity: number | undefined }>();
  for (const hit of words.hits) {
    candidates.set(`${hit.articleId}\t${hit.para}`, { hit, words: hit.score, similarity: similarityOf(hit) });
  }
  const unmatched: T[] = [];
  nearest.hits.forEach((hit, at) => {
    const known = candidates.get(`${hit.articleId}\t${hit.para}`);
    if (known !== undefined) known.similarity = hit.score;
    else {
      candidates.set(`${hit.articleId}\t${hit.para}`, { hit, words: 0, similarity: hit.score });
      if (words.watchedMatch?.[at] !== true) unmatched.push(hit);
    }
  });
  let best = 0;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const { words: score, similarity } of candidates.values()) {
    best = Math.max(best, score);
    if (similarity === undefined) continue;
    lowest = Math.min(lowest, similarity);
    highest = Math.max(highest, similarity);
  }
  const spread = highest - lowest;
  const blended = [...candidates.values()].map(({ hit, words: score, similarity }) => {
    const semantic = similarity === undefined ? 0 : spread > 0 ? (similarity - lowest) / spread : 1;
    const blend = (1 - ratio) * (best > 0 ? score / best : 0) + ratio * semantic;
    return {
      hit: { ...hit, score: blend },
      similarity: similarity ?? Number.NEGATIVE_INFINITY,
      words: score,
    };
  });
  // Equal blends (the least similar neighbour and a match without a vector, say) by similarity, then
  // by the words' score, then as found: at a ratio of 1 the order is the vector's, at 0 the words'.
  blended.sort((a, b) => b.hit.score - a.hit.score || b.similarity - a.similarity || b.words - a.words);
  return {
    ...words,
    hits: blended.map(({ hit }) => hit),
    total: words.total + unmatched.length,
    totalExact: words.totalExact && nearest.totalExact,
    ...(nearest.timedOut ? { partial: true as const, timedOut: true as const } : {}),
    unmatched,
  };
}
