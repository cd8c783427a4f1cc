/**
 * Typo tolerance's levers, measured: MRR@10 and Recall@10 of the queries as written and with one typing
 * error (`eval --typos`'s error model, seed 1), one row per configuration, on an evaluation set.
 *
 *   npm run bench:typo-ablation -- --articles ../shared/data/xquad-ar/articles.jsonl \
 *     --queries ../shared/data/xquad-ar/queries.jsonl [--only NAME,NAME]
 */
import { parseArgs } from 'node:util';
import { evaluate, readQueries } from '../src/evaluation/evaluate.js';
import type { RankingOptions } from '../src/search/engine.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string' },
    queries: { type: 'string' },
    only: { type: 'string' },
  },
});
if (values.articles === undefined || values.queries === undefined) {
  console.error('usage: npm run bench:typo-ablation -- --articles FILE --queries FILE [--only NAME,NAME]');
  process.exit(2);
}

const CONFIGURATIONS: [string, Partial<RankingOptions>][] = [
  ['off', { typoWeight: 0 }],
  ['default (5/9, weight 0.5)', {}],
  ['lengths 4/8', { typoLengths: [4, 8] }],
  ['lengths 6/10', { typoLengths: [6, 10] }],
  ['one edit only (5/-)', { typoLengths: [5, 99] }],
  ['weight 0.3', { typoWeight: 0.3 }],
  ['weight 0.8', { typoWeight: 0.8 }],
  ['no one-edit stem fuzziness', { fuzzyWeight: 0 }],
];
const only = values.only?.split(',');
const queries = await readQueries(values.queries);
console.log(
  '| configuration | MRR@10 | R@10 | MRR@10 one typo | R@10 one typo | cost |\n|---|---|---|---|---|---|',
);
for (const [name, ranking] of CONFIGURATIONS) {
  if (only !== undefined && !only.some((wanted) => name.startsWith(wanted))) continue;
  const report = await evaluate([values.articles], queries, { ranking }, undefined, { typoSeed: 1 });
  const typos = report.typos!;
  console.log(
    `| ${name} | ${report.mrr10.toFixed(4)} | ${report.recall10.toFixed(4)} | ${typos.mrr10.toFixed(4)} | ${typos.recall10.toFixed(4)} | ${(report.mrr10 - typos.mrr10).toFixed(4)} |`,
  );
}
