/**
 * A fingerprint of the ranking: the top 10 (id#para and score) of the title queries of a corpus, one
 * JSON line per query. Run it on two commits and compare the outputs to see what a change moved.
 *
 *   npm run -s tool:fingerprint -- [--input FILE] [--every 60] > fingerprint.jsonl
 *
 * Queries are two or three words of every Nth title (see `bench/lib/title-queries.ts`); the archive is built
 * in memory. `-s` keeps npm's own lines out of the output.
 */
import { parseArgs } from 'node:util';
import { Archive } from '../../src/archive/archive.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { titleQueries } from '../lib/title-queries.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    every: { type: 'string', default: '60' },
  },
});
const titles: string[] = [];
for await (const line of readArticleLines(values.input)) if (line.ok) titles.push(line.article.title);
const archive = new Archive();
await loadArticleFiles(archive, [values.input]);
for (const query of titleQueries(titles, Number(values.every))) {
  const hits = archive.search(query, { limit: 10 }).hits;
  console.log(
    JSON.stringify([query, hits.map((hit) => `${hit.id}#${hit.para}`), hits.map((hit) => hit.score)]),
  );
}
