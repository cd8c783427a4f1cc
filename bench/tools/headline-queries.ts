/**
 * Headline queries over a news archive: how a journalist looks a story up by the headline they remember.
 * For a seeded sample of articles (headlines of four words or more), three to seven consecutive words
 * of the headline, typed as people type: no diacritics nor tatweel, and often no hamza on alef, `ه` for
 * a final `ة`, `ي` for a final `ى`. Every paragraph of the story is relevant (its copies count too, as
 * `eval` counts them): a hit on any of them finds the story.
 *
 *   npm run tool:headline-queries -- ../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz \
 *     --count 1000 --seed 11 --out .tmp/headline.jsonl
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readArticleLines } from '../../src/article/read-articles.js';
import { seededRandom } from '../../src/evaluation/typos.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '11' },
    out: { type: 'string' },
  },
});
const [file] = positionals;
if (file === undefined || values.out === undefined) {
  console.error('usage: npm run tool:headline-queries -- ARTICLES --out FILE [--count N] [--seed N]');
  process.exit(2);
}
const count = Number(values.count);
const random = seededRandom(Number(values.seed));

const stories: { id: string; title: string; paragraphs: number }[] = [];
for await (const line of readArticleLines(file)) {
  if (!line.ok) continue;
  const { id, title, paragraphs } = line.article;
  stories.push({ id, title, paragraphs: paragraphs.length });
}

/** A word as typed in a hurry: marks and tatweel left out, and the hamza and final letters often too. */
function typed(word: string, hamza: boolean, endings: boolean): string {
  let text = word.replace(/[\u064B-\u065F\u0670\u0640]/gu, '');
  if (!hamza) text = text.replace(/[أإآ]/gu, 'ا');
  if (endings) text = text.replace(/ة$/u, 'ه').replace(/ى$/u, 'ي');
  return text;
}

const lines: string[] = [];
const used = new Set<number>();
while (lines.length < count && used.size < stories.length) {
  const at = Math.floor(random() * stories.length);
  if (used.has(at)) continue;
  used.add(at);
  const { id, title, paragraphs } = stories[at]!;
  // Words as the headline writes them, stop words included, punctuation left out.
  const words = title
    .split(/\s+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}\p{M}]+$/gu, ''))
    .filter((word) => word !== '');
  if (words.length < 4) continue;
  const length = Math.min(words.length, 3 + Math.floor(random() * 5));
  const start = Math.floor(random() * (words.length - length + 1));
  const hamza = random() < 0.4;
  const endings = random() < 0.25;
  const query = words
    .slice(start, start + length)
    .map((word) => typed(word, hamza, endings))
    .join(' ');
  const relevant = Array.from({ length: paragraphs }, (_, para) => ({ id, para }));
  lines.push(JSON.stringify({ qid: id, query, relevant }));
}
await writeFile(values.out, `${lines.join('\n')}\n`);
console.log(`${lines.length} queries from ${stories.length} headlines → ${values.out}`);
