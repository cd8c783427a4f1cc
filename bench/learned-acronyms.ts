/**
 * Acronyms learned from the text: runs {@link acronymDefinitions} on every paragraph of the ANT corpus,
 * counts in how many distinct articles each (acronym, long form) pair is defined, and prints the pairs
 * defined in at least `--min` articles, most first, then a seeded random sample of `--sample` of them
 * to judge by hand, and the time the extraction took.
 *
 *   npm run bench:learned-acronyms -- [--min 3] [--sample 30] [--seed 1] [--input FILE]
 *
 * Pairs are grouped on normalised text, the long form without the article its first word carries
 * (`للاتحاد الدولي` and `الاتحاد الدولي` are one pair) and without a lone proclitic when the corpus
 * has the form without it too (`لحزب العمال` joins `حزب العمال`).
 */
import { createReadStream, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { acronymDefinitions } from '../src/analysis/acronym-definitions.js';
import { normalize } from '../src/analysis/normalize.js';
import { seededRandom } from '../src/evaluation/typos.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    min: { type: 'string', default: '3' },
    sample: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
  },
});
const minArticles = Number(values.min);
const sampleSize = Number(values.sample);
if (!Number.isInteger(minArticles) || minArticles < 1 || !Number.isInteger(sampleSize) || sampleSize < 0) {
  console.error(
    `--min must be a positive integer and --sample a non-negative one (got ${values.min}, ${values.sample})`,
  );
  process.exit(1);
}
if (!existsSync(values.input)) {
  console.error(
    `learned-acronyms: corpus not found: ${values.input} (JSON lines {id, title, paragraphs}, gzip)`,
  );
  process.exit(1);
}

/** A pair as the groups count it, with the spelling first met in the corpus. */
interface Group {
  short: string;
  long: string;
  /** The articles (by their order in the file) that define the pair. */
  articles: Set<number>;
}

/** The article, with the proclitics before it, on the first word of a normalised long form. */
const LEADING_ARTICLE = /^[وف]?(?:[بك]?ال|لل)(?=\p{L}{2})/u;
/** A lone proclitic on the first word of a normalised long form. */
const LEADING_PROCLITIC = /^[وفبلك](?=\p{L}{3})/u;

const keyOf = (short: string, long: string) => `${normalize(short)}\u0000${long}`;

const groups = new Map<string, Group>();
let articleCount = 0;
let paragraphCount = 0;
let definitionCount = 0;
let extractionMs = 0;
const lines = createInterface({
  input: createReadStream(values.input).pipe(createGunzip()),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (line.trim() === '') continue;
  const article = JSON.parse(line) as { paragraphs?: unknown };
  const paragraphs = Array.isArray(article.paragraphs)
    ? article.paragraphs.filter((paragraph): paragraph is string => typeof paragraph === 'string')
    : [];
  paragraphCount += paragraphs.length;
  const started = performance.now();
  const found = paragraphs.flatMap((paragraph) => acronymDefinitions(paragraph));
  extractionMs += performance.now() - started;
  definitionCount += found.length;
  for (const definition of found) {
    const key = keyOf(definition.short, normalize(definition.long).replace(LEADING_ARTICLE, ''));
    const group = groups.get(key) ?? { short: definition.short, long: definition.long, articles: new Set() };
    group.articles.add(articleCount);
    groups.set(key, group);
  }
  articleCount += 1;
}
// A lone proclitic cannot be told from a first letter (`لمنظمة` but `وكالة`), so a long form that
// starts with one joins the same form without it only when the corpus also has that form.
for (const [key, group] of groups) {
  const [short = '', long = ''] = key.split('\u0000');
  const target = groups.get(keyOf(short, long.replace(LEADING_PROCLITIC, '')));
  if (target === undefined || target === group) continue;
  for (const article of group.articles) target.articles.add(article);
  groups.delete(key);
}

const kept = [...groups.values()]
  .filter((group) => group.articles.size >= minArticles)
  .sort((a, b) => b.articles.size - a.articles.size || a.short.localeCompare(b.short));
const random = seededRandom(Number(values.seed));
const sample = [...kept];
for (let index = sample.length - 1; index > 0; index -= 1) {
  const other = Math.floor(random() * (index + 1));
  [sample[index], sample[other]] = [sample[other]!, sample[index]!];
}
const show = (group: Group) => `${String(group.articles.size).padStart(5)}  ${group.short}  =  ${group.long}`;

console.log(`${articleCount} articles, ${paragraphCount} paragraphs, ${definitionCount} definitions found`);
console.log(
  `extraction: ${(extractionMs / 1000).toFixed(2)} s over the corpus, ` +
    `${((extractionMs * 1000) / Math.max(1, paragraphCount)).toFixed(1)} µs per paragraph`,
);
console.log(`${groups.size} distinct pairs; ${kept.length} defined in at least ${minArticles} articles`);
for (const threshold of [2, 3, 5]) {
  console.log(
    `  ≥ ${threshold} articles: ${[...groups.values()].filter((group) => group.articles.size >= threshold).length}`,
  );
}
console.log(`\npairs in at least ${minArticles} articles (articles, acronym, long form):`);
for (const group of kept) console.log(show(group));
console.log(`\nseeded sample of ${Math.min(sampleSize, sample.length)} (seed ${values.seed}):`);
for (const group of sample.slice(0, sampleSize)) console.log(show(group));
