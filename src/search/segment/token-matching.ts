/** Which tokens of a paragraph match which query words, and where a phrase occurs among them. */
import type { QueryWord } from '../query.js';
import type { TokenTerms } from './segment.js';

/**
 * Whether a token of a paragraph matches a query word: exact form, stem, or alternative stem, its own
 * or a variant's.
 */
export function tokenMatches(token: TokenTerms, word: QueryWord): boolean {
  return formMatches(token, word) || (word.variants?.some((variant) => formMatches(token, variant)) ?? false);
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
 * For each token of a paragraph, the indexes of the query words it matches (a token of an occurrence
 * of a word's phrase variant matches the word).
 */
export function matchWords(tokens: readonly TokenTerms[], words: readonly QueryWord[]): number[][] {
  const matches: number[][] = [];
  for (const token of tokens) {
    const matched: number[] = [];
    for (let index = 0; index < words.length; index += 1) {
      if (tokenMatches(token, words[index]!)) matched.push(index);
    }
    matches.push(matched);
  }
  words.forEach((word, index) => {
    for (const { words: phrase } of word.phraseVariants ?? []) {
      for (const start of phraseStarts(tokens, phrase)) {
        for (let at = start; at < start + phrase.length; at += 1) {
          if (!matches[at]!.includes(index)) matches[at]!.push(index);
        }
      }
    }
  });
  for (const matched of matches) if (matched.length > 1) matched.sort((a, b) => a - b);
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
