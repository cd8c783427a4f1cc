import { describe, expect, it } from 'vitest';
import { wholeNumberFromEnvironment } from '../src/environment.js';
import { ArshifError } from '../src/errors.js';

const PORT = { max: 65535, fallback: 3000, what: 'a port number 0–65535' };

describe('wholeNumberFromEnvironment', () => {
  it.each([
    ['unset: the fallback', undefined, 3000],
    ['empty: the fallback', '', 3000],
    ['a whole number', '8080', 8080],
    ['0, the default minimum', '0', 0],
    ['the maximum', '65535', 65535],
    ['leading zeros', '0080', 80],
  ])('%s', (_rule, value, expected) => {
    expect(wholeNumberFromEnvironment('PORT', value, PORT)).toBe(expected);
  });

  it('returns a fallback of any type as it is', () => {
    expect(
      wholeNumberFromEnvironment('ARSHIF_WORKERS', undefined, { fallback: undefined, what: 'a count' }),
    ).toBeUndefined();
    expect(wholeNumberFromEnvironment('ARSHIF_WORKERS', '', { fallback: 'auto', what: 'a count' })).toBe(
      'auto',
    );
  });

  it('accepts up to the largest safe integer when no maximum is given', () => {
    const options = { fallback: 0, what: 'a whole number' };
    expect(wholeNumberFromEnvironment('LIMIT', String(Number.MAX_SAFE_INTEGER), options)).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(() => wholeNumberFromEnvironment('LIMIT', '9007199254740993', options)).toThrow(
      'LIMIT must be a whole number, got "9007199254740993"',
    );
  });

  it.each([
    ['above the maximum', '65536'],
    ['negative', '-1'],
    ['a fraction', '80.5'],
    ['an exponent', '8e3'],
    ['hexadecimal', '0x50'],
    ['padded with spaces', ' 8080'],
    ['a word', 'ثمانون'],
    ['Arabic-Indic digits', '٨٠٨٠'],
  ])('refuses %s with BAD_PARAMETER naming the variable, what it must be and the value', (_rule, value) => {
    let thrown: unknown;
    try {
      wholeNumberFromEnvironment('PORT', value, PORT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ArshifError);
    expect(thrown).toMatchObject({
      code: 'BAD_PARAMETER',
      message: `PORT must be a port number 0–65535, got "${value}"`,
    });
  });

  it('refuses a number below a given minimum', () => {
    const options = { min: 1, max: 64, fallback: 4, what: 'a thread count 1–64' };
    expect(wholeNumberFromEnvironment('ARSHIF_THREADS', '1', options)).toBe(1);
    expect(() => wholeNumberFromEnvironment('ARSHIF_THREADS', '0', options)).toThrow(
      'ARSHIF_THREADS must be a thread count 1–64, got "0"',
    );
  });
});
