/** What every command shares: the `Command` shape, usage errors and argument and option parsing. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how a command was called: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a command needs to run: its arguments and where to write. */
export interface CommandContext {
  args: string[];
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A command of the `arshif` command line. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Runs the command; resolves to its exit status. Throws UsageError for bad arguments. */
  run(context: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values of parsed options, typed by their declaration (named, so declarations can be emitted). */
export type OptionValues<T extends Options> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' }
    ? boolean
    : T[K] extends { multiple: true }
      ? string[]
      : string;
} & { help?: boolean };

/** Parses a command's arguments, turning Node's parse errors into usage errors. */
export function parseCommandArgs<const T extends Options>(
  args: string[],
  options: T,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues<T>; positionals: string[] };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses an integer option within bounds, or throws a usage error naming it. */
export function integerOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/u.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** Parses an option that is a number from 0 to 1 (a share), or throws a usage error naming it. */
export function ratioOption(name: string, value: string): number {
  const ratio = Number(value);
  if (value.trim() === '' || !(ratio >= 0 && ratio <= 1)) {
    throw new UsageError(`--${name} must be a number from 0 to 1, got "${value}"`);
  }
  return ratio;
}
