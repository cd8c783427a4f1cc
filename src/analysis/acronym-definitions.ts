/** The acronyms a paragraph defines in place, `قوات سوريا الديمقراطية (قسد)` or the reverse. */
import { normalize } from './normalize.js';
import { removeDiacritics } from './normalizers/remove-diacritics.js';
import { removeInvisibles } from './normalizers/remove-invisibles.js';
import { removeTatweel } from './normalizers/remove-tatweel.js';
import { isStopWord } from './stop-words.js';
import { forEachWord } from './word-scanner.js';

/** An acronym and the words it stands for, as one paragraph defines them. */
export interface AcronymDefinition {
  /** The acronym as written, without its parentheses, diacritics, tatweel and invisibles: `قسد`, `WTO`. */
  short: string;
  /**
   * The words it stands for, sliced from the text as written (a leading article or proclitic
   * included), diacritics, tatweel and invisibles removed: `وقوات سوريا الديمقراطية`.
   */
  long: string;
}

/**
 * Arabic acronyms in news have three to seven letters (`قسد`, `حماس`, `داعش`); longer words are names.
 * Two-letter ones are so rare that in the ANT corpus the only two-letter "definition" was chance:
 * `الفاء واللام (فل)`.
 */
const MIN_ARABIC_SHORT = 3;
/** Characters before a parenthesis whose words are read: a long form's eight words fit with room. */
const WINDOW = 400;
const MAX_ARABIC_SHORT = 7;
/** Latin acronyms are all capitals, two to eight of them (`UN`, `UNESCO`); `iPhone`, `Brexit` are not. */
const LATIN_SHORT = /^[A-Z]{2,8}$/u;
/** A long form has two to eight words: one word is a gloss or a synonym, not an expansion. */
const MIN_LONG_WORDS = 2;
const MAX_LONG_WORDS = 8;
/**
 * How many initial letters one word may give an Arabic acronym. Two, because `حماس` takes `اس` from
 * `الإسلامية`; three would let a single long word spell most of a short acronym by chance.
 */
const MAX_LETTERS_PER_WORD = 2;
/** Latin acronyms are not spell-checked, so a long form's word count may differ from the letters by this much. */
const LATIN_COUNT_SLACK = 2;
/**
 * A parenthesis, bounded in length so that an unclosed `(` costs a bounded scan, which keeps the
 * whole search linear in the text. Eight words with their marks fit comfortably.
 */
const PARENTHESISED = /\(([^()]{1,200})\)/gu;
/** A run of words inside a long form is separated by spaces only: punctuation ends a phrase. */
const SPACES = /^\s*$/u;
/** Between a long form and its `(`, spaces and a closing quote: `"حركة المقاومة الإسلامية" (حماس)`. */
const SPACES_OR_CLOSING_QUOTE = /^[\s"'”’»]*$/u;
/** A dash after the parenthesis marks a dateline's source credit, `(CNN) --`, not a definition. */
const DATELINE_DASH = /^\s*[-–—]/u;
/**
 * What comes before a dateline's place (`أتلانتا، الولايات المتحدة الأمريكية (CNN)`): a city and a
 * comma at the start of the text (invisibles included: copied datelines often start with U+200B). The
 * words after it name a country, not the acronym.
 */
const DATELINE_PLACE = /^[\s\p{Cf}]*[\p{L}\p{M}\p{Cf}\s-]{1,40}[،,]\s*$/u;
/** A word of Arabic letters only (marks already removed): long forms and Arabic acronyms. */
const ARABIC_WORD = /^(?:(?=\p{L})\p{scx=Arabic})+$/u;
/**
 * The article with the proclitics that may stand before it, as written (bare or wasla alef: the
 * article never carries a hamza, so `أل…` is not one): `ال وال بال فبال لل ولل`.
 */
const ARTICLE = /^[وف]?(?:[بك]?[اٱ]ل|لل)/u;
/** One-letter proclitics that the first word of a long form may carry without an article: `وحركة`. */
const PROCLITICS: ReadonlySet<string> = new Set(['و', 'ف', 'ب', 'ل', 'ك']);
/** The fewest letters of a content word in a long form: `أو`, `ب` and letter names are not names. */
const MIN_LONG_WORD_LETTERS = 2;
/** The fewest letters left after removing an article: `الى` is not `ال` + `ى`. */
const MIN_LETTERS_AFTER_ARTICLE = 2;
/** The fewest letters left after removing a proclitic: `وضع` is a word, not `و` + `ضع`. */
const MIN_LETTERS_AFTER_PROCLITIC = 3;

/**
 * Short function words that sit between the content words of a long form and give the acronym no
 * letter: `الدولة الإسلامية في العراق والشام` is `داعش`, not `داعفش`. Normalised.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ['في', 'من', 'و', 'عن', 'على', 'إلى', 'ل', 'لل'].map(normalize),
);

/**
 * Nouns that head the name of an organisation, a treaty or a programme. A Latin acronym cannot be
 * spell-checked against Arabic words, so its long form must start with one of them (or be exactly
 * as long as the acronym and start a phrase). Normalised, without article.
 */
const HEAD_NOUNS: ReadonlySet<string> = new Set(
  `منظمة حركة اتحاد هيئة وكالة مجلس صندوق برنامج جبهة حزب شركة بنك مصرف مكتب مؤسسة اتفاقية اتفاق
  معاهدة تنظيم قوات قوة جيش مركز معهد لجنة جمعية رابطة مجموعة تحالف حلف محكمة إدارة وزارة جامعة
  مفوضية مبادرة شبكة منتدى مؤتمر جهاز سلطة بعثة قيادة مصلحة دائرة مرصد نقابة مشروع مجمع هيئات
  منظومة نظام مختبر مؤشر بورصة سوق مراكز وحدات خطة قانون فيروس تقنية محطة`
    .split(/\s+/u)
    .filter((word) => word !== '')
    .map(normalize),
);

/** A word of the text, with its forms worked out when a parenthesis first needs them. */
interface Word {
  start: number;
  end: number;
  /** The word exactly as written. */
  written: string;
  forms?: WordForms;
}

/** How the search reads a word: computed once per word, as a word is looked at by several runs. */
interface WordForms {
  /** The word as written, diacritics, tatweel and invisibles removed. */
  clean: string;
  /** The word normalised as a whole. */
  normalized: string;
  isArabic: boolean;
  /** One of {@link FUNCTION_WORDS}: may sit inside a long form, gives no letter. */
  isFunctionWord: boolean;
  /** May stand in a long form: see {@link formsOfWritten}. */
  isLongFormWord: boolean;
  /** The forms it may give letters from inside a long form, and as its first word. */
  readings: readonly string[];
  firstReadings: readonly string[];
}

/**
 * Finds the acronyms a paragraph defines in place, each `(short, long)` pair once, in text order.
 *
 * - A candidate is a single word in parentheses right after a run of words (`قوات سوريا الديمقراطية
 *   (قسد)`), or two to eight words in parentheses right after a single word (`قسد (قوات سوريا
 *   الديمقراطية)`); a closing quote may stand before the `(`.
 * - A long form is made of Arabic words of two letters or more, separated by spaces only: it never
 *   crosses punctuation or a stop word (`بعد`, `أن`, `ما`), except the function words listed below.
 * - An Arabic acronym (3–7 letters, not a stop word) must be spelled, in order, by the initial
 *   letters of the words of the long form, compared after {@link normalize}: each word loses its
 *   article and the proclitic before it (`والشام` gives `ش`), the first word may lose a lone
 *   proclitic (`وحركة` gives `ح`), each content word gives one or two initial letters (`الإسلامية`
 *   gives `ا` or `اس`), and the function words `في من و عن على إلى` give none. The long form is the
 *   shortest such run, of two to eight words, at least two of them content words.
 * - A Latin acronym (2–8 capitals) is taken with the shortest run of Arabic words, within two words of
 *   its letter count, that starts with the head noun of an organisation (`منظمة`, `صندوق`, `وكالة`…);
 *   failing that, with exactly as many words as letters when they start a phrase (after punctuation,
 *   the start of the text or a function word). A Latin acronym followed by a dash or right after a
 *   dateline's `city،` is the dateline's source credit (`أتلانتا، الولايات المتحدة (CNN) --`) and is
 *   skipped. Latin acronyms in Arabic letters (`يونيسف`, `ناتو`) spell nothing and are not found.
 * - Dates, numbers, place names and news agencies in parentheses are left out because they spell
 *   nothing: `(2018)`, `(رويترز)`, `(أ ف ب)`.
 * - Never throws; the work per parenthesis is bounded, so the time is linear in the text's length.
 *
 * @example acronymDefinitions('أعلنت قوات سوريا الديمقراطية (قسد) سيطرتها على البلدة')
 * // → [{ short: 'قسد', long: 'قوات سوريا الديمقراطية' }]
 */
export function acronymDefinitions(text: string): AcronymDefinition[] {
  const definitions: AcronymDefinition[] = [];
  if (typeof text !== 'string' || !text.includes('(')) return definitions;
  const seen = new Set<string>();
  for (const match of text.matchAll(PARENTHESISED)) {
    const open = match.index;
    const close = open + match[0].length - 1;
    // Only the words near the parenthesis can take part (a long form has at most eight): those of a
    // window starting at a space are cut out of the text, not the whole paragraph's.
    const space = open > WINDOW ? text.lastIndexOf(' ', open - WINDOW) : -1;
    const from = space < 0 ? 0 : space + 1;
    const words: Word[] = [];
    forEachWord(text.slice(from, close + 1), (start, end) =>
      words.push({ start: from + start, end: from + end, written: text.slice(from + start, from + end) }),
    );
    let firstInside = 0;
    while (firstInside < words.length && words[firstInside]!.start < open) firstInside += 1;
    let pastInside = firstInside;
    while (pastInside < words.length && words[pastInside]!.end <= close) pastInside += 1;
    const inside = words.slice(firstInside, pastInside);
    if (!onlySpacesBetween(text, inside, open + 1, close)) continue;
    const definition =
      inside.length === 1
        ? definitionBefore(text, words, firstInside, open, close, from === 0)
        : definitionInside(text, words, firstInside, pastInside, open);
    if (definition === undefined) continue;
    const key = `${definition.short}\u0000${definition.long}`;
    if (seen.has(key)) continue;
    seen.add(key);
    definitions.push(definition);
  }
  return definitions;
}

/** `قوات سوريا الديمقراطية (قسد)`: the acronym in parentheses, its long form before them. */
function definitionBefore(
  text: string,
  words: readonly Word[],
  shortIndex: number,
  open: number,
  close: number,
  wordsStartText: boolean,
): AcronymDefinition | undefined {
  const short = formsOf(words[shortIndex]!).clean;
  const last = shortIndex - 1;
  if (last < 0 || !formsOf(words[last]!).isLongFormWord) return undefined;
  if (!SPACES_OR_CLOSING_QUOTE.test(text.slice(words[last]!.end, open))) return undefined;
  // The run of words a long form may take, back to the first punctuation mark, stop word or
  // non-Arabic word: a long form never crosses them (`بعد إطلاق الحرس الثوري`).
  let first = last;
  while (
    first > 0 &&
    last - first + 1 < MAX_LONG_WORDS &&
    formsOf(words[first - 1]!).isLongFormWord &&
    SPACES.test(text.slice(words[first - 1]!.end, words[first]!.start))
  ) {
    first -= 1;
  }
  const run = words.slice(first, last + 1);
  let longStart: number | undefined;
  if (isArabicShort(short)) {
    longStart = shortestSpellingRun(normalize(short), run);
  } else if (LATIN_SHORT.test(short) && !DATELINE_DASH.test(text.slice(close + 1))) {
    // Only punctuation or the start of the text makes a phrase start: not a stop word, not the limit.
    const startsPhrase =
      (first === 0 && wordsStartText) ||
      !SPACES.test(text.slice(words[first - 1]!.end, words[first]!.start)) ||
      !formsOf(words[first - 1]!).isArabic;
    longStart = latinRun(short.length, run, startsPhrase);
    if (longStart !== undefined && DATELINE_PLACE.test(text.slice(0, run[longStart]!.start))) {
      longStart = undefined;
    }
  }
  if (longStart === undefined) return undefined;
  return { short, long: cleanText(text.slice(run[longStart]!.start, words[last]!.end)) };
}

/** `قسد (قوات سوريا الديمقراطية)`: the acronym before the parentheses, its long form inside them. */
function definitionInside(
  text: string,
  words: readonly Word[],
  firstInside: number,
  pastInside: number,
  open: number,
): AcronymDefinition | undefined {
  const count = pastInside - firstInside;
  const shortIndex = firstInside - 1;
  if (count < MIN_LONG_WORDS || count > MAX_LONG_WORDS || shortIndex < 0) return undefined;
  if (!SPACES.test(text.slice(words[shortIndex]!.end, open))) return undefined;
  const inside = words.slice(firstInside, pastInside);
  if (!inside.every((word) => formsOf(word).isLongFormWord)) return undefined;
  const short = formsOf(words[shortIndex]!).clean;
  // The parenthesis is the whole long form: a shorter run would leave words of it unexplained.
  const spelled = isArabicShort(short)
    ? spells(normalize(short), inside)
    : LATIN_SHORT.test(short) && latinRun(short.length, inside, true) === 0;
  if (!spelled) return undefined;
  return { short, long: cleanText(text.slice(inside[0]!.start, inside[count - 1]!.end)) };
}

function isArabicShort(short: string): boolean {
  return (
    short.length >= MIN_ARABIC_SHORT &&
    short.length <= MAX_ARABIC_SHORT &&
    ARABIC_WORD.test(short) &&
    !isStopWord(normalize(short))
  );
}

/**
 * The index in `run` where the shortest run ending at its last word that spells `short` starts, or
 * `undefined`. Shortest, because the words before a definition are often a verb or a title
 * (`أعلنت قوات سوريا الديمقراطية`), which the acronym does not stand for.
 */
function shortestSpellingRun(short: string, run: readonly Word[]): number | undefined {
  for (let start = run.length - MIN_LONG_WORDS; start >= 0; start -= 1) {
    if (spells(short, run.slice(start))) return start;
  }
  return undefined;
}

/**
 * Whether the initial letters of `words` spell `short` (normalised), each content word giving one or
 * two letters, function words none; the first and last words must give letters.
 */
function spells(short: string, words: readonly Word[]): boolean {
  const readings = words.map((word, index) =>
    index === 0 ? formsOf(word).firstReadings : formsOf(word).readings,
  );
  if (readings[0]!.length === 0 || readings[readings.length - 1]!.length === 0) return false;
  if (readings.filter((reading) => reading.length > 0).length < MIN_LONG_WORDS) return false;
  const spellFrom = (word: number, letter: number): boolean => {
    if (word === readings.length) return letter === short.length;
    const wordReadings = readings[word]!;
    if (wordReadings.length === 0) return spellFrom(word + 1, letter);
    for (const reading of wordReadings) {
      for (let taken = 1; taken <= MAX_LETTERS_PER_WORD && letter + taken <= short.length; taken += 1) {
        if (reading.charAt(taken - 1) !== short.charAt(letter + taken - 1)) break;
        if (spellFrom(word + 1, letter + taken)) return true;
      }
    }
    return false;
  };
  return spellFrom(0, 0);
}

/**
 * The index in `run` (Arabic words ending just before a Latin acronym of `letters` capitals) where
 * its long form starts, or `undefined`: the shortest run, within {@link LATIN_COUNT_SLACK} words of
 * the letter count, that starts with a head noun; else the run of exactly `letters` words when it
 * starts a phrase: after punctuation or at the text's start (`startsPhrase`, for the whole run), or
 * after a function word (`من الجماعة الوطنية الاشتراكية (NSU)`).
 */
function latinRun(letters: number, run: readonly Word[], startsPhrase: boolean): number | undefined {
  const fewest = Math.max(MIN_LONG_WORDS, letters - LATIN_COUNT_SLACK);
  const most = Math.min(MAX_LONG_WORDS, letters + LATIN_COUNT_SLACK, run.length);
  if (isFunctionWord(run[run.length - 1]!)) return undefined;
  for (let count = fewest; count <= most; count += 1) {
    if (isHeadNoun(run[run.length - count]!)) return run.length - count;
  }
  // Without a head noun only a phrase of exactly one word per letter is taken (`العلاج السلوكي المعرفي
  // (CBT)`), and only after punctuation or a preposition: after a verb or an adverb the words before
  // the acronym are usually an action (`بعد إطلاق الحرس الثوري (IRGC)`).
  const start = run.length - letters;
  if (start < 0 || isFunctionWord(run[start]!)) return undefined;
  const startsHere = start === 0 ? startsPhrase : isFunctionWord(run[start - 1]!);
  return startsHere ? start : undefined;
}

function isFunctionWord(word: Word): boolean {
  return formsOf(word).isFunctionWord;
}

function isHeadNoun(word: Word): boolean {
  return formsOf(word).firstReadings.some((reading) => HEAD_NOUNS.has(reading));
}

function formsOf(word: Word): WordForms {
  word.forms ??= formsOfWritten(word.written);
  return word.forms;
}

/**
 * The forms of a word as written. A long form may hold Arabic words of two letters or more that are
 * not stop words, and the {@link FUNCTION_WORDS} that join the content words of a name. A word gives
 * letters from its normalised form without the article (`والشام` → `شام`), or none if it is a function
 * word; as the first word of a long form, also from its form without a lone proclitic (`وحركة` gives
 * `حركه`, and `وحركه` for `واس` = `وكالة الأنباء السعودية`).
 */
function formsOfWritten(written: string): WordForms {
  const clean = cleanText(written);
  const normalized = normalize(clean);
  const isArabic = ARABIC_WORD.test(clean);
  const isFunctionWord = isArabic && FUNCTION_WORDS.has(normalized);
  const isLongFormWord =
    isArabic && (isFunctionWord || (normalized.length >= MIN_LONG_WORD_LETTERS && !isStopWord(normalized)));
  if (isFunctionWord || !isArabic) {
    return { clean, normalized, isArabic, isFunctionWord, isLongFormWord, readings: [], firstReadings: [] };
  }
  const article = ARTICLE.exec(clean);
  if (article !== null && clean.length - article[0].length >= MIN_LETTERS_AFTER_ARTICLE) {
    const readings = [normalize(clean.slice(article[0].length))];
    return { clean, normalized, isArabic, isFunctionWord, isLongFormWord, readings, firstReadings: readings };
  }
  const readings = [normalized];
  const firstReadings =
    PROCLITICS.has(clean.charAt(0)) && clean.length - 1 >= MIN_LETTERS_AFTER_PROCLITIC
      ? [normalized, normalize(clean.slice(1))]
      : readings;
  return { clean, normalized, isArabic, isFunctionWord, isLongFormWord, readings, firstReadings };
}

/** Whether the words fill `[from, to)` with nothing but spaces around and between them. */
function onlySpacesBetween(text: string, words: readonly Word[], from: number, to: number): boolean {
  if (words.length === 0) return false;
  let at = from;
  for (const word of words) {
    if (!SPACES.test(text.slice(at, word.start))) return false;
    at = word.end;
  }
  return SPACES.test(text.slice(at, to));
}

/** Text as written minus what does not change its letters: diacritics, tatweel and invisibles. */
function cleanText(text: string): string {
  return removeInvisibles(removeTatweel(removeDiacritics(text)));
}
