import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import { seededRandom } from '../../src/evaluation/typos.js';
import { readArticleLines } from '../../src/article/read-articles.js';

/**
 * Known-item queries over a news archive: what a journalist types to find a paragraph they remember.
 * For a seeded sample of paragraphs (12 content words or more), four of its content words as written,
 * in their order; the paragraph is the one relevant hit (its copies count too, as `eval` counts them).
 *
 *   npm run tool:known-item-queries -- ../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz \
 *     --count 500 --seed 7 --out .tmp/known-item.jsonl
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: 'string', default: '500' },
    seed: { type: 'string', default: '7' },
    words: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
const [file] = positionals;
if (file === undefined || values.out === undefined) {
  console.error(
    'usage: npm run tool:known-item-queries -- ARTICLES --out FILE [--count N] [--seed N] [--words N]',
  );
  process.exit(2);
}
const count = Number(values.count);
const wordsPerQuery = Number(values.words);
const random = seededRandom(Number(values.seed));

const paragraphs: { id: string; para: number; text: string }[] = [];
for await (const line of readArticleLines(file)) {
  if (!line.ok) continue;
  line.article.paragraphs.forEach((text, para) => paragraphs.push({ id: line.article.id, para, text }));
}
const lines: string[] = [];
const used = new Set<number>();
while (lines.length < count && used.size < paragraphs.length) {
  const at = Math.floor(random() * paragraphs.length);
  if (used.has(at)) continue;
  used.add(at);
  const { id, para, text } = paragraphs[at]!;
  const words = [...new Set(analyzeForIndex(text).map((token) => token.text))];
  if (words.length < 12) continue;
  const chosen = new Set<number>();
  while (chosen.size < wordsPerQuery) chosen.add(Math.floor(random() * words.length));
  const query = [...chosen]
    .sort((a, b) => a - b)
    .map((index) => words[index])
    .join(' ');
  lines.push(JSON.stringify({ qid: `${id}/${para}`, query, relevant: [{ id, para }] }));
}
await writeFile(values.out, `${lines.join('\n')}\n`);
console.log(`${lines.length} queries from ${paragraphs.length} paragraphs → ${values.out}`);
