/** The `arshif analyze TEXT` command: the analysis of a text as JSON. */
import { analyze } from '../analysis/analyze.js';
import { normalize } from '../analysis/normalize.js';
import { type Command, parseCommandArgs, UsageError } from './usage.js';

/** `arshif analyze TEXT`: the analysis of a text as JSON. */
export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'show how a text is normalised and tokenised',
  help: `Usage: arshif analyze TEXT

Prints the analysis of TEXT as JSON:
  {"normalized": string, "tokens": [{"text", "term", "start", "end"}]}
text is the word as written, term what the index stores, start/end UTF-16 offsets into TEXT.

Example: arshif analyze 'الأمريكيَّة'`,
  async run({ args, stdout }) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length === 0) throw new UsageError('analyze needs a TEXT argument');
    const text = positionals.join(' ');
    stdout.write(`${JSON.stringify({ normalized: normalize(text), tokens: analyze(text) })}\n`);
    return 0;
  },
};
