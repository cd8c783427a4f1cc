/** A judged paragraph: relevant to a query. */
export interface Judgement {
  id: string;
  para: number;
}

/** Relevance metrics of one query's ranking, binary relevance. */
export interface QueryMetrics {
  mrr10: number;
  ndcg10: number;
  recall1: number;
  recall10: number;
  recall100: number;
}

/** A ranked hit, with the copies collapsed into it (see SPEC: they count as retrieved at its rank). */
export interface RankedHit extends Judgement {
  copies?: readonly Judgement[];
}

const key = (judgement: Judgement) => `${judgement.para}:${judgement.id}`;

/**
 * Scores one ranked list against its relevant paragraphs.
 *
 * - MRR@10: 1 / rank of the first relevant hit in the top 10, else 0.
 * - nDCG@10: DCG of the top 10 (gain 1 / log2(rank + 1)) over the ideal DCG.
 * - Recall@k: share of the relevant paragraphs found in the top k.
 * - A hit's copies count as retrieved at its rank: for recall each relevant one counts, for MRR and
 *   nDCG the rank counts once.
 */
export function scoreRanking(ranking: readonly RankedHit[], relevant: readonly Judgement[]): QueryMetrics {
  const wanted = new Set(relevant.map(key));
  // Each relevant paragraph found, at the rank of the hit it is (or is a copy of).
  const ranks: number[] = [];
  const counted = new Set<string>();
  ranking.forEach((hit, index) => {
    for (const paragraph of [hit, ...(hit.copies ?? [])]) {
      const found = key(paragraph);
      if (wanted.has(found) && !counted.has(found)) {
        counted.add(found);
        ranks.push(index + 1);
      }
    }
  });
  const firstRank = ranks[0];
  const dcg = [...new Set(ranks)]
    .filter((rank) => rank <= 10)
    .reduce((sum, rank) => sum + 1 / Math.log2(rank + 1), 0);
  let idealDcg = 0;
  for (let rank = 1; rank <= Math.min(10, wanted.size); rank += 1) idealDcg += 1 / Math.log2(rank + 1);
  const recall = (k: number) =>
    wanted.size === 0 ? 0 : ranks.filter((rank) => rank <= k).length / wanted.size;
  return {
    mrr10: firstRank !== undefined && firstRank <= 10 ? 1 / firstRank : 0,
    ndcg10: idealDcg === 0 ? 0 : dcg / idealDcg,
    recall1: recall(1),
    recall10: recall(10),
    recall100: recall(100),
  };
}

/** The mean of each metric over queries. */
export function meanMetrics(all: readonly QueryMetrics[]): QueryMetrics {
  const mean = (pick: (m: QueryMetrics) => number) =>
    all.length === 0 ? 0 : all.reduce((sum, m) => sum + pick(m), 0) / all.length;
  return {
    mrr10: mean((m) => m.mrr10),
    ndcg10: mean((m) => m.ndcg10),
    recall1: mean((m) => m.recall1),
    recall10: mean((m) => m.recall10),
    recall100: mean((m) => m.recall100),
  };
}

/** The value at quantile `q` (0–1) of the numbers, nearest-rank method; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
