/** Highlights of a hit: the ranges of the words that match the query and an HTML snippet around the best. */
import { type AnalysisOptions, analyzeForIndex, type IndexToken } from '../analysis/analyze.js';
import { type FormMasks, formMasks, mayHoldAny } from '../analysis/letter-mask.js';
import { matchWords } from '../search/engine.js';
import type { QueryWord } from '../search/engine.js';

/** Longest snippet, in UTF-16 code units of the original text (before HTML escaping). */
export const SNIPPET_LENGTH = 240;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (char) => HTML_ESCAPES[char]!);
}

/**
 * Highlights per hit, at most: a 50,000-character paragraph of a word searched for could otherwise
 * answer with some 10,000 of them (0.2 MB of JSON a hit). News paragraphs rarely hold more than a few
 * dozen words in all.
 */
export const MAX_HIGHLIGHTS = 1_000;

/**
 * Offsets `[start, end]` of the words of `text` that match the query words, in text order: the first
 * {@link MAX_HIGHLIGHTS} of them.
 *
 * - They slice the original text: diacritics, tatweel and clitics of a matched word are included.
 */
export function highlightRanges(
  tokens: readonly IndexToken[],
  words: readonly QueryWord[],
): [number, number][] {
  const ranges: [number, number][] = [];
  const matches = matchWords(tokens, words);
  for (let index = 0; index < tokens.length && ranges.length < MAX_HIGHLIGHTS; index += 1) {
    if (matches[index]!.length === 0) continue;
    const token = tokens[index]!;
    const last = ranges.at(-1);
    // Tokens of one written word (a ligature, a joined name), or a name written apart and its second
    // word, overlap: one range covers them.
    if (last && token.start < last[1]) {
      last[1] = Math.max(last[1], token.end);
      continue;
    }
    ranges.push([token.start, token.end]);
  }
  return ranges;
}

/**
 * {@link highlightRanges} of a text, analysing only its words that may match: a word that lacks a letter
 * or a pair of neighbouring letters of every form of every query word (exact, stem, alternative, their
 * variants', their phrase variants' words') is not normalised or stemmed. The ranges are those of
 * analysing every word: when a query word has a phrase variant, whose matches need to know which tokens
 * are next to each other, a word skipped leaves a token without terms in its place.
 */
export function highlightText(
  text: string,
  words: readonly QueryWord[],
  analysis: AnalysisOptions,
): [number, number][] {
  if (words.length === 0) return [];
  const { forms, phrases } = queryForms(words);
  const keep = (start: number, end: number) => mayHoldAny(text, start, end, forms);
  return highlightRanges(analyzeForIndex(text, analysis, keep, phrases ? 'gap' : 'drop'), words);
}

/** The masks of each form a token may match a query's words by, and whether they have phrase variants. */
interface QueryForms {
  forms: readonly FormMasks[];
  phrases: boolean;
}

/** {@link QueryForms} by query, computed once for the hits of a page. */
const queryFormsOf = new WeakMap<readonly QueryWord[], QueryForms>();

function queryForms(words: readonly QueryWord[]): QueryForms {
  let known = queryFormsOf.get(words);
  if (known !== undefined) return known;
  const forms: FormMasks[] = [];
  let phrases = false;
  const addForms = (word: QueryWord) => {
    for (const form of [word, ...(word.variants ?? [])]) {
      forms.push(formMasks(form.stem), formMasks(form.exact));
      if (form.alternative !== undefined) forms.push(formMasks(form.alternative));
    }
    for (const phrase of word.phraseVariants ?? []) {
      phrases = true;
      phrase.words.forEach(addForms);
    }
  };
  words.forEach(addForms);
  known = { forms, phrases };
  queryFormsOf.set(words, known);
  return known;
}

/**
 * An HTML-escaped excerpt of `text` around its best match, matched words wrapped in `<mark>…</mark>`.
 *
 * - The excerpt is the window of at most {@link SNIPPET_LENGTH} characters holding the most
 *   highlights, widened to whole words; `…` marks text cut on either side.
 * - Without highlights it is the start of the text.
 */
export function buildSnippet(text: string, ranges: readonly [number, number][]): string {
  const [from, to] = snippetWindow(text, ranges);
  let html = from > 0 ? '…' : '';
  let cursor = from;
  for (const [start, end] of ranges) {
    if (start < from || end > to) continue;
    html += `${escapeHtml(text.slice(cursor, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    cursor = end;
  }
  html += escapeHtml(text.slice(cursor, to));
  return to < text.length ? `${html}…` : html;
}

function snippetWindow(text: string, ranges: readonly [number, number][]): [number, number] {
  if (text.length <= SNIPPET_LENGTH) return [0, text.length];
  let best = { start: 0, count: 0 };
  let last = 0;
  for (let first = 0; first < ranges.length; first += 1) {
    const start = ranges[first]![0];
    while (last < ranges.length && ranges[last]![1] - start <= SNIPPET_LENGTH) last += 1;
    if (last - first > best.count) best = { start, count: last - first };
  }
  if (best.count === 0) return [0, wordBoundaryBefore(text, SNIPPET_LENGTH)];
  const matchedEnd = ranges.findLast(([, end]) => end - best.start <= SNIPPET_LENGTH)![1];
  // Centre the matches: share the spare room between the text before and after them.
  const spare = SNIPPET_LENGTH - (matchedEnd - best.start);
  let from = Math.max(0, best.start - Math.floor(spare / 3));
  const to = Math.min(text.length, wordBoundaryBefore(text, from + SNIPPET_LENGTH));
  from = wordBoundaryAfter(text, from, best.start);
  return [from, Math.max(to, matchedEnd)];
}

/** The last word boundary at or before `limit` (never cutting a word in two). */
function wordBoundaryBefore(text: string, limit: number): number {
  if (limit >= text.length) return text.length;
  const space = text.lastIndexOf(' ', limit);
  return space > 0 ? space : limit;
}

/** The first word boundary at or after `from`, but no later than `latest`. */
function wordBoundaryAfter(text: string, from: number, latest: number): number {
  if (from === 0) return 0;
  const space = text.indexOf(' ', from);
  return space === -1 || space + 1 > latest ? from : space + 1;
}
