/**
 * How often each form of the default synonym list occurs in the real news corpora, so that every form
 * we ship is one that news actually writes.
 *
 *   npm run tool:check-synonyms -- [--min 1] [--examples FORM]... [--limit 5] [--list FILE] [--data DIR]
 *
 * - Reads `src/search/default-synonyms.json` and the articles of ../shared/data (ANT v2.1, ANT v1.1
 *   Jawhara FM, SaudiNewsNet, XQuAD-ar); exits 1 with a message when the data is absent.
 * - Counts, for every form, the paragraphs it occurs in as whole words, on text normalised by the
 *   project's `normalize` (paragraph and form alike). The first word may carry one proclitic
 *   `و ف ب ل ك`, and the article `ال وال فال بال كال لل` when the form has none (`والناتو`, `لترامب`,
 *   `للاتحاد` for `الاتحاد`); the following words must match exactly.
 * - Prints one block per group, each form with its total and per-corpus counts, and flags the groups
 *   where a form occurs in fewer than `--min` paragraphs (default 1); exits 1 when any group is flagged
 *   or the list is malformed.
 * - `--examples FORM` (repeatable): up to `--limit` sampled contexts of that form, in normalised words,
 *   to judge whether it is mostly used in an unrelated sense.
 * - `--list FILE`: check another list of the same shape instead, e.g. candidate groups before they
 *   join the shipped one; `--data DIR`: the corpora elsewhere than ../shared/data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { normalize } from '../../src/analysis/normalize.js';
import { splitWords } from '../../src/analysis/tokenize.js';
import { seededRandom } from '../../src/evaluation/typos.js';
import { readArticleLines } from '../../src/article/read-articles.js';

const CORPORA = [
  { name: 'ant', file: 'ant-corpus-v2.1-multisource/articles.jsonl.gz' },
  { name: 'jawhara', file: 'ant-corpus-v1.1-jawharafm/articles.jsonl.gz' },
  { name: 'snn', file: 'saudinewsnet/articles.jsonl.gz' },
  { name: 'xquad', file: 'xquad-ar/articles.jsonl' },
] as const;

/** One-letter proclitics that may precede a form's first word. */
const PROCLITICS = ['و', 'ف', 'ب', 'ل', 'ك'];
/** The article, alone or after a proclitic; `لل` is `ل` + `ال` with the alef dropped. */
const ARTICLE = 'ال';
const ARTICLE_PREFIXES = ['ال', 'وال', 'فال', 'بال', 'كال', 'لل'];
/** Letters a word must keep once a prefix is taken off, so that `وا` never reads as `ا`. */
const MIN_STEM = 2;
/** Words of context either side of an example. */
const CONTEXT_WORDS = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

function integerOption(name: string, text: string, least: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) {
    log(`${name} must be an integer ≥ ${least}, got "${text}"`);
    process.exit(1);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    min: { type: 'string', default: '1' },
    examples: { type: 'string', multiple: true, default: [] },
    limit: { type: 'string', default: '5' },
    list: { type: 'string' },
    data: { type: 'string' },
  },
});
const min = integerOption('--min', values.min!, 0);
const limit = integerOption('--limit', values.limit!, 1);
const LIST_FILE =
  values.list ?? fileURLToPath(new URL('../../src/search/default-synonyms.json', import.meta.url));
/** `../shared/data` beside the repository, wherever the script is run from. */
const DATA_DIR = values.data ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A form of a group, as written in the list and as the words it is matched on. */
interface Form {
  /** Position in the list of all forms, where its counts are kept. */
  index: number;
  /** Position of its group among the well-formed groups. */
  group: number;
  text: string;
  words: string[];
}

/** The normalised words of a text, as the paragraphs and the forms are both compared. */
function wordsOf(text: string): string[] {
  return splitWords(normalize(text)).map((span) => span.text);
}

/** A group of the list, numbered from 1 as it stands in the file. */
interface Group {
  number: number;
  texts: string[];
}

/** The list's well-formed groups, and the reasons the others are malformed. */
function readGroups(file: string): { groups: Group[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { groups: [], problems: [`${file}: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  if (!Array.isArray(value)) return { groups: [], problems: [`${file}: not a JSON array`] };
  const groups: Group[] = [];
  value.forEach((group: unknown, index) => {
    if (!Array.isArray(group) || group.length < 2 || !group.every((form) => typeof form === 'string')) {
      problems.push(`group ${index + 1}: not an array of 2 or more strings: ${JSON.stringify(group)}`);
    } else {
      groups.push({ number: index + 1, texts: group as string[] });
    }
  });
  return { groups, problems };
}

/** Forms indexed by their first word, and the groups' problems: empty forms, duplicates. */
function indexForms(groups: readonly Group[]) {
  const forms: Form[] = [];
  const byFirstWord = new Map<string, Form[]>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const groupOf = new Map<string, number>();
  groups.forEach(({ number, texts }, index) => {
    const seen = new Set<string>();
    for (const text of texts) {
      const words = wordsOf(text);
      const key = words.join(' ');
      if (words.length === 0) {
        problems.push(`group ${number}: "${text}" has no words`);
        continue;
      }
      if (seen.has(key)) {
        warnings.push(`group ${number}: "${text}" is the same as another form once normalised (${key})`);
        continue;
      }
      seen.add(key);
      const other = groupOf.get(key);
      if (other !== undefined) problems.push(`group ${number}: "${text}" is also in group ${other}`);
      groupOf.set(key, number);
      const form: Form = { index: forms.length, group: index, text, words };
      forms.push(form);
      const first = words[0]!;
      byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), form]);
    }
    // Forms that normalise alike expand to nothing new: such a group is not a group of synonyms.
    if (seen.size < 2) problems.push(`group ${number}: fewer than 2 different forms once normalised`);
  });
  return { forms, byFirstWord, problems, warnings };
}

/**
 * The readings a paragraph word may match a form's first word as: itself, without one proclitic,
 * and without an article (both bare and with `ال`, since `للناتو` is `الناتو` after `ل`).
 *
 * - A bare word never reads as one with the article, so a form written with it (`الناتو`) needs it.
 */
function readingsOf(word: string): string[] {
  const readings = [word];
  for (const proclitic of PROCLITICS) {
    if (word.length - 1 >= MIN_STEM && word.startsWith(proclitic)) readings.push(word.slice(1));
  }
  for (const prefix of ARTICLE_PREFIXES) {
    if (word.length - prefix.length >= MIN_STEM && word.startsWith(prefix)) {
      const stem = word.slice(prefix.length);
      readings.push(stem, ARTICLE + stem);
    }
  }
  return readings;
}

/** Whether the words after `words[at]` are the rest of `form` (its first word already matched). */
function restMatches(form: Form, words: readonly string[], at: number): boolean {
  for (let offset = 1; offset < form.words.length; offset += 1) {
    if (words[at + offset] !== form.words[offset]) return false;
  }
  return true;
}

if (!existsSync(DATA_DIR)) {
  log(`${DATA_DIR} is missing: this check counts the forms in the real corpora and cannot run without them.`);
  process.exit(1);
}
const absent = CORPORA.filter((corpus) => !existsSync(join(DATA_DIR, corpus.file)));
if (absent.length > 0) {
  log(`missing under ${DATA_DIR}: ${absent.map((corpus) => corpus.file).join(', ')}`);
  process.exit(1);
}

const { groups, problems: listProblems } = readGroups(LIST_FILE);
const { forms, byFirstWord, problems, warnings } = indexForms(groups);
problems.unshift(...listProblems);

const exampleKeys = new Set(values.examples!.map((text) => wordsOf(text).join(' ')));
const exampleForms = forms.filter((form) => exampleKeys.has(form.words.join(' ')));
const unknownExamples = values.examples!.filter(
  (text) => !forms.some((form) => form.words.join(' ') === wordsOf(text).join(' ')),
);
for (const text of unknownExamples) log(`--examples "${text}" is not a form of the list: skipped`);
/** Contexts sampled for the `--examples` forms: a reservoir of `limit` over all their occurrences. */
interface Sample {
  seen: number;
  contexts: string[];
}
const samples = new Map<Form, Sample>(exampleForms.map((form) => [form, { seen: 0, contexts: [] }]));
const random = seededRandom(20240601);

function sampleContext(sample: Sample, context: string): void {
  sample.seen += 1;
  if (sample.contexts.length < limit) sample.contexts.push(context);
  else {
    const slot = Math.floor(random() * sample.seen);
    if (slot < limit) sample.contexts[slot] = context;
  }
}

/** counts[form][corpus]: paragraphs the form occurs in. */
const counts = forms.map(() => CORPORA.map(() => 0));
/** The paragraph a form was last counted in, so that a form is counted once per paragraph. */
const lastParagraph = new Int32Array(forms.length).fill(-1);
let paragraphSerial = 0;

for (const [corpusIndex, corpus] of CORPORA.entries()) {
  const started = performance.now();
  let paragraphs = 0;
  let rejected = 0;
  for await (const line of readArticleLines(join(DATA_DIR, corpus.file))) {
    if (!line.ok) {
      rejected += 1;
      continue;
    }
    for (const paragraph of line.article.paragraphs) {
      paragraphs += 1;
      paragraphSerial += 1;
      const words = wordsOf(paragraph);
      for (let at = 0; at < words.length; at += 1) {
        for (const reading of readingsOf(words[at]!)) {
          const candidates = byFirstWord.get(reading);
          if (candidates === undefined) continue;
          for (const form of candidates) {
            if (lastParagraph[form.index] === paragraphSerial || !restMatches(form, words, at)) continue;
            lastParagraph[form.index] = paragraphSerial;
            counts[form.index]![corpusIndex]! += 1;
            const sample = samples.get(form);
            if (sample === undefined) continue;
            const around = words.slice(
              Math.max(0, at - CONTEXT_WORDS),
              at + form.words.length + CONTEXT_WORDS,
            );
            sampleContext(sample, `[${corpus.name}] ${around.join(' ')}`);
          }
        }
      }
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(
    `${corpus.name}: ${paragraphs} paragraphs in ${seconds} s${rejected > 0 ? `, ${rejected} lines rejected` : ''}`,
  );
}

const totalOf = (index: number) => counts[index]!.reduce((sum, count) => sum + count, 0);
const formsOfGroup = groups.map(() => [] as number[]);
for (const form of forms) formsOfGroup[form.group]!.push(form.index);

const flagged: number[] = [];
const lines: string[] = [];
formsOfGroup.forEach((members, group) => {
  const rare = members.filter((index) => totalOf(index) < min);
  if (rare.length > 0) flagged.push(group);
  lines.push(`${rare.length > 0 ? '!' : ' '} group ${groups[group]!.number}`);
  for (const index of members) {
    const perCorpus = CORPORA.map((corpus, corpusIndex) => `${corpus.name} ${counts[index]![corpusIndex]}`);
    const mark = totalOf(index) < min ? '  ← rare' : '';
    lines.push(
      `    ${String(totalOf(index)).padStart(7)}  (${perCorpus.join(' · ')})  ${forms[index]!.text}${mark}`,
    );
  }
});
console.log(lines.join('\n'));

const byTotal = forms.map((_, index) => index).sort((a, b) => totalOf(b) - totalOf(a));
const describe = (index: number) => `${forms[index]!.text} ${totalOf(index)}`;
console.log(`\n${groups.length} groups, ${forms.length} forms, --min ${min}`);
console.log(`most frequent:  ${byTotal.slice(0, 10).map(describe).join(' · ')}`);
console.log(`least frequent: ${byTotal.slice(-10).reverse().map(describe).join(' · ')}`);
const rareForms = forms.filter((_, index) => totalOf(index) < min);
console.log(
  flagged.length === 0
    ? `no group flagged: every form occurs in ${min} or more paragraphs`
    : `${flagged.length} groups flagged, ${rareForms.length} forms under ${min}: ${rareForms.map((form) => form.text).join(' · ')}`,
);
for (const warning of warnings) console.log(`warning: ${warning}`);
for (const problem of problems) console.log(`problem: ${problem}`);

for (const [form, sample] of samples) {
  console.log(`\nexamples of "${form.text}" (${sample.contexts.length} of ${sample.seen}):`);
  for (const context of sample.contexts) console.log(`  ${context}`);
}

if (flagged.length > 0 || problems.length > 0) process.exitCode = 1;
