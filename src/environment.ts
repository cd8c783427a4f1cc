/** Reading settings from environment variables, refused with an error that names the bad value. */
import { ArshifError } from './errors.js';

/**
 * A whole number from an environment variable: `fallback` when it is unset or empty; otherwise its
 * digits, from `min` to `max`, or `ArshifError('BAD_PARAMETER')` naming the variable, what it must be
 * and the value given.
 *
 * @example wholeNumberFromEnvironment('PORT', process.env.PORT, { max: 65535, fallback: 3000, what: 'a port number 0–65535' })
 */
export function wholeNumberFromEnvironment<T>(
  name: string,
  value: string | undefined,
  {
    min = 0,
    max = Number.MAX_SAFE_INTEGER,
    fallback,
    what,
  }: { min?: number; max?: number; fallback: T; what: string },
): number | T {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/u.test(value) || Number(value) < min || Number(value) > max) {
    throw new ArshifError('BAD_PARAMETER', `${name} must be ${what}, got "${value}"`);
  }
  return Number(value);
}
