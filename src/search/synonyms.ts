/** Synonym groups (shipped, from a file, learned) that expand query words at query time. */
import type { AnalysisOptions } from '../analysis/analyze.js';
import { normalize } from '../analysis/normalize.js';
import { type PhraseVariant, type QueryWord, queryWords, type WordVariant } from './query.js';
import DEFAULT_FORMS from './default-synonyms.json' with { type: 'json' };

/** Where a synonym group comes from. */
export type SynonymSource = 'default' | 'file' | 'learned';

/** Words and phrases that mean the same thing in news: `["قسد", "قوات سوريا الديمقراطية"]`. */
export interface SynonymGroup {
  forms: readonly string[];
  source: SynonymSource;
  /** For a learned group: how many articles define the acronym in place. */
  evidence?: number;
}

/**
 * The shipped list: news acronyms and their long forms, names and brands transliterated several ways,
 * words written joined or split. Every form occurs in the corpora of ../shared/data
 * (`bench/tools/check-synonyms.ts` counts them).
 */
export const DEFAULT_SYNONYM_GROUPS: readonly SynonymGroup[] = (DEFAULT_FORMS as string[][]).map(
  (forms): SynonymGroup => ({ forms, source: 'default' }),
);

interface AnalysedGroup {
  group: SynonymGroup;
  /** Each form's words as a query has them; forms that analyse to no word are left out. */
  forms: QueryWord[][];
}

/**
 * The synonym groups a search expands its words with, at query time (changing them needs no
 * re-index). A query word, or a run of query words, that is a form of a group (compared by stem, so
 * `لترامب` is `ترامب`) gets the group's other forms as variants: a one-word form as a word, a longer one
 * as a phrase that must occur word after word.
 *
 * - A run of several query words that is a form gives its first word the other forms, standing for the
 *   whole run: a paragraph with `قسد` matches every word of `قوات سوريا الديمقراطية`, once.
 */
export class Synonyms {
  static readonly NONE = new Synonyms([]);

  readonly groups: readonly SynonymGroup[];
  private readonly byFirstStem = new Map<string, { group: AnalysedGroup; form: number }[]>();

  constructor(groups: readonly SynonymGroup[], analysis?: AnalysisOptions) {
    this.groups = groups;
    for (const group of groups) {
      const analysed: AnalysedGroup = {
        group,
        forms: group.forms.map((form) => queryWords(form, analysis)).filter((words) => words.length > 0),
      };
      if (analysed.forms.length < 2) continue;
      analysed.forms.forEach((words, form) => {
        const first = words[0]!.stem;
        this.byFirstStem.set(first, [...(this.byFirstStem.get(first) ?? []), { group: analysed, form }]);
      });
    }
  }

  get size(): number {
    return this.groups.length;
  }

  /** The words with the variants their synonyms give, at `weight` (0: the words as they are). */
  expand(words: readonly QueryWord[], weight: number): QueryWord[] {
    if (weight <= 0 || this.byFirstStem.size === 0) return [...words];
    const variants = words.map(() => ({ words: [] as WordVariant[], phrases: [] as PhraseVariant[] }));
    words.forEach((word, start) => {
      for (const { group, form } of this.byFirstStem.get(word.stem) ?? []) {
        const matched = group.forms[form]!;
        const end = start + matched.length;
        if (end > words.length || matched.some((part, at) => words[start + at]!.stem !== part.stem)) continue;
        // The other forms stand for the whole run, from its first word: matched once, covering all.
        const span = matched.length > 1 ? { span: matched.length } : {};
        for (const [other, otherWords] of group.forms.entries()) {
          if (other === form) continue;
          if (otherWords.length === 1) {
            const [only] = otherWords;
            variants[start]!.words.push({
              exact: only!.exact,
              stem: only!.stem,
              ...(only!.alternative === undefined ? {} : { alternative: only!.alternative }),
              weight,
              kind: 'synonym',
              ...span,
            });
          } else {
            variants[start]!.phrases.push({ words: otherWords, weight, ...span });
          }
        }
      }
    });
    return words.map((word, at) => {
      const { words: single, phrases } = variants[at]!;
      const own = new Set([word.stem]);
      const distinct = single.filter((variant) => !own.has(variant.stem) && own.add(variant.stem));
      if (distinct.length === 0 && phrases.length === 0) return word;
      return {
        ...word,
        ...(distinct.length > 0 ? { variants: [...(word.variants ?? []), ...distinct] } : {}),
        ...(phrases.length > 0 ? { phraseVariants: [...(word.phraseVariants ?? []), ...phrases] } : {}),
      };
    });
  }
}

/** What a synonyms file says: groups to add, and forms whose shipped or learned groups to leave out. */
export interface SynonymsFile {
  groups: readonly (readonly string[])[];
  remove: readonly string[];
}

/**
 * Reads a synonyms file: `{"groups": [["form", "form", …], …], "remove": ["form", …]}`. Throws an
 * `Error` saying what is wrong.
 */
export function parseSynonymsFile(text: string, where: string): SynonymsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const record = value as { groups?: unknown; remove?: unknown } | null;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new Error(`${where}: expected {"groups": [["form", "form"], …], "remove": ["form", …]}`);
  }
  const isForms = (forms: unknown): forms is string[] =>
    Array.isArray(forms) && forms.every((form) => typeof form === 'string' && form.trim() !== '');
  const groups = record.groups ?? [];
  if (!Array.isArray(groups) || !groups.every((group) => isForms(group) && group.length >= 2)) {
    throw new Error(`${where}: "groups" must be an array of groups of two or more non-empty strings`);
  }
  const remove = record.remove ?? [];
  if (!isForms(remove)) throw new Error(`${where}: "remove" must be an array of non-empty strings`);
  return { groups: groups as string[][], remove };
}

/**
 * The groups in effect: the shipped and learned ones, less those holding a form the file removes, then
 * the file's own. Forms are compared normalised.
 */
export function mergeSynonymGroups(builtIn: readonly SynonymGroup[], file: SynonymsFile): SynonymGroup[] {
  const removed = new Set(file.remove.map((form) => normalize(form).trim()));
  return [
    ...builtIn.filter((group) => !group.forms.some((form) => removed.has(normalize(form).trim()))),
    ...file.groups.map((forms): SynonymGroup => ({ forms, source: 'file' })),
  ];
}
