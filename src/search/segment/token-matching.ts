/** Which tokens of a paragraph match which query words, and where a phrase occurs among them. */
import type { QueryWord } from '../query.js';
import type { TokenTerms } from './segment.js';

/**
 * Whether a token of a paragraph matches a query word: exact form, stem, or alternative stem, its own
 * or a variant's.
 */
export function tokenMatches(token: TokenTerms, word: QueryWord): boolean {
  if (formMatches(token, word)) return true;
  // A loop, not `some` with a closure: this runs for every token of every hit and query word.
  for (const variant of word.variants ?? []) if (formMatches(token, variant)) return true;
  return false;
}

function formMatches(token: TokenTerms, form: Pick<QueryWord, 'exact' | 'stem' | 'alternative'>): boolean {
  return (
    token.term === form.stem ||
    token.exact === form.exact ||
    (token.alternative !== undefined && token.alternative === form.stem) ||
    (form.alternative !== undefined && token.term === form.alternative)
  );
}

/**
 * What a token that matches no query word matches: one array shared by all of them, as most tokens of
 * a paragraph match nothing and an array each was most of what matching a page's hits allocated.
 */
export const NO_WORDS: readonly number[] = Object.freeze([]);

/**
 * For each token of a paragraph, the indexes of the query words it matches, in order (a token of an
 * occurrence of a word's phrase variant matches the word); {@link NO_WORDS} for a token matching none.
 */
export function matchWords(
  tokens: readonly TokenTerms[],
  words: readonly QueryWord[],
): (readonly number[])[] {
  const matches: (readonly number[])[] = [];
  for (const token of tokens) {
    let matched: number[] | undefined;
    for (let index = 0; index < words.length; index += 1) {
      if (tokenMatches(token, words[index]!)) (matched ??= []).push(index);
    }
    matches.push(matched ?? NO_WORDS);
  }
  words.forEach((word, index) => {
    for (const { words: phrase } of word.phraseVariants ?? []) {
      for (const start of phraseStarts(tokens, phrase)) {
        for (let at = start; at < start + phrase.length; at += 1) {
          if (!matches[at]!.includes(index)) matches[at] = [...matches[at]!, index].sort((a, b) => a - b);
        }
      }
    }
  });
  return matches;
}

/** Where the phrase's occurrences start among the tokens: the first `limit` of them. */
function phraseStarts(
  tokens: readonly TokenTerms[],
  phrase: readonly QueryWord[],
  limit = Number.POSITIVE_INFINITY,
): number[] {
  const starts: number[] = [];
  if (phrase.length === 0) return starts;
  outer: for (let start = 0; start + phrase.length <= tokens.length && starts.length < limit; start += 1) {
    for (let offset = 0; offset < phrase.length; offset += 1) {
      if (!tokenMatches(tokens[start + offset]!, phrase[offset]!)) continue outer;
    }
    starts.push(start);
  }
  return starts;
}

/** How many times the phrase occurs among the tokens. */
export function phraseOccurrences(tokens: readonly TokenTerms[], phrase: readonly QueryWord[]): number {
  return phraseStarts(tokens, phrase).length;
}

/**
 * Tells whether the phrase's words occur one after the other in the paragraph (stop words skipped,
 * as the index skips them).
 */
export function containsPhrase(tokens: readonly TokenTerms[], phrase: readonly QueryWord[]): boolean {
  return phraseStarts(tokens, phrase, 1).length > 0;
}
