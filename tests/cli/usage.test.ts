import { describe, expect, it } from 'vitest';
import { integerOption, parseCommandArgs, ratioOption, UsageError } from '../../src/cli/usage.js';

/** The error `run` throws, checked to be a usage error (exit status 2, printed with the usage). */
function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).name).toBe('UsageError');
    return error as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

const OPTIONS = {
  limit: { type: 'string' },
  json: { type: 'boolean' },
  articles: { type: 'string', multiple: true },
} as const;

describe('parseCommandArgs', () => {
  it.each([
    ['no arguments', [], {}, []],
    ['a query alone, as written', ['أسعار النفط'], {}, ['أسعار النفط']],
    [
      'options around positionals',
      ['--limit', '5', 'النفط', '--json'],
      { limit: '5', json: true },
      ['النفط'],
    ],
    ['the --opt=value form', ['--limit=20', 'الذهب'], { limit: '20' }, ['الذهب']],
    [
      'a multiple option, every value in order',
      ['--articles', 'أخبار.jsonl', '--articles', 'رياضة.jsonl'],
      { articles: ['أخبار.jsonl', 'رياضة.jsonl'] },
      [],
    ],
    ['--help, added to every command', ['--help'], { help: true }, []],
    ['-h, its short form', ['-h'], { help: true }, []],
    ['after --, an option-like word is a positional', ['--', '--json'], {}, ['--json']],
  ])('%s', (_rule, args, values, positionals) => {
    const parsed = parseCommandArgs(args, OPTIONS);
    expect({ ...parsed.values }).toEqual(values);
    expect(parsed.positionals).toEqual(positionals);
  });

  it('does not change the arguments it is given', () => {
    const args = ['--limit', '5', 'النفط'];
    parseCommandArgs(args, OPTIONS);
    expect(args).toEqual(['--limit', '5', 'النفط']);
  });

  it.each([
    ['an unknown option', ['--colour'], /'--colour'/u],
    ['an unknown short option', ['-x'], /'-x'/u],
    ['a string option without its value', ['--limit'], /'--limit <value>' argument missing/u],
    ['a value given to a boolean option', ['--json=نعم'], /'--json' does not take an argument/u],
  ])('refuses %s with a usage error naming it', (_rule, args, message) => {
    expect(usageErrorOf(() => parseCommandArgs(args, OPTIONS)).message).toMatch(message);
  });
});

describe('integerOption', () => {
  it.each([
    ['absent: the fallback', undefined, 10],
    ['the minimum', '1', 1],
    ['the maximum', '100', 100],
    ['a value between', '42', 42],
    ['leading zeros', '007', 7],
  ])('accepts %s', (_rule, value, expected) => {
    expect(integerOption('limit', value, 10, 1, 100)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['below the minimum', '0'],
    ['above the maximum', '101'],
    ['negative', '-5'],
    ['a fraction', '2.5'],
    ['an exponent', '1e2'],
    ['hexadecimal', '0x10'],
    ['padded with spaces', ' 5'],
    ['a word', 'عشرة'],
    ['Arabic-Indic digits', '٥'],
  ])('refuses %s, naming the option, its bounds and the value', (_rule, value) => {
    expect(usageErrorOf(() => integerOption('limit', value, 10, 1, 100)).message).toBe(
      `--limit must be an integer from 1 to 100, got "${value}"`,
    );
  });

  it('refuses a value past the largest safe integer when that is the maximum', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(integerOption('offset', String(max), 0, 0, max)).toBe(max);
    expect(usageErrorOf(() => integerOption('offset', '9007199254740993', 0, 0, max)).message).toBe(
      `--offset must be an integer from 0 to ${max}, got "9007199254740993"`,
    );
  });
});

describe('ratioOption', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['0.5', 0.5],
    ['.25', 0.25],
    ['1.0', 1],
  ])('accepts %s', (value, expected) => {
    expect(ratioOption('semantic-ratio', value)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['below 0', '-0.1'],
    ['above 1', '1.5'],
    ['a percentage', '50%'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['a word', 'نصف'],
  ])('refuses %s, naming the option and the value', (_rule, value) => {
    expect(usageErrorOf(() => ratioOption('semantic-ratio', value)).message).toBe(
      `--semantic-ratio must be a number from 0 to 1, got "${value}"`,
    );
  });
});
