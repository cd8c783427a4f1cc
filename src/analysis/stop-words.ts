/** The Arabic stop words, as written and normalised, and the test for one behind a one-letter clitic. */
import { normalize } from './normalize.js';

/**
 * Function words that carry no topic: prepositions, conjunctions, pronouns, demonstratives,
 * relatives, auxiliaries, particles and question words, some with the clitics they most often
 * carry (`وفي`, `وقد`). Written as people write them; {@link STOP_WORDS} holds them normalised.
 *
 * - Question words are stop words on purpose: in `كم عدد اللاعبين؟` only `عدد اللاعبين` says what
 *   the answer is about, and no paragraph is relevant for containing `كم`.
 */
const STOP_WORDS_AS_WRITTEN = `
في فى من إلى الى على عن مع عند لدى لدي حتى منذ مذ خلال بين ضد نحو حول دون عبر
و أو او ثم بل لكن لكنّ لكن ولكن أم إما إمّا ف
هو هي هم هما هن أنا نحن أنت أنتم أنتما أنتن إياه إياها إياهم
هذا هذه هذان هاتان هؤلاء ذلك تلك ذلكم أولئك هنا هناك هنالك
الذي التي اللذان اللتان الذين اللاتي اللواتي
ما ماذا من متى أين أينما كيف كيفما لماذا لم لن هل أي أيّ أية كم إذ إذا إذن
قد لقد وقد فقد كان كانت كانوا يكون تكون ليس ليست لا لما سوف سيكون
أن إن أنّ إنّ أنه إنه أنها إنها كأن لأن لان وأن وإن بأن بان
بعد قبل كل كلا بعض غير أيضا أيضاً فقط حيث عندما بينما كما مثل ذات
وفي وعلى ومن وإلى وعن ومع وهو وهي وهم وكان وكانت ولا ولم وما وهذا وهذه وذلك وتلك
فيه فيها فيهم عليه عليها عليهم منه منها منهم إليه إليها به بها لها له لهم عنه عنها
يا أما إلا الا سوى
تم يتم تمت يمكن يجب
`;

/** The stop words, normalised as the analysis compares them. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  STOP_WORDS_AS_WRITTEN.split(/\s+/u)
    .filter((word) => word !== '')
    .map(normalize),
);

/**
 * Tells whether a normalised word is a stop word.
 *
 * @example isStopWord('الي') // → true
 */
export function isStopWord(normalizedWord: string): boolean {
  if (STOP_WORDS.has(normalizedWord)) return true;
  // A function word keeps being one behind a one-letter clitic: `لهذا`, `بما`, `فهو`, `وهذه`.
  return CLITICS.has(normalizedWord.charAt(0)) && STOP_WORDS.has(normalizedWord.slice(1));
}

/** One-letter proclitics: the conjunctions `و ف` and the prepositions `ب ل ك`. */
export const CLITICS: ReadonlySet<string> = new Set(['و', 'ف', 'ب', 'ل', 'ك']);
