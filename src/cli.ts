/** The command line's entry: `arshif <command>` dispatched to the commands of `cli/`. */
import { ArshifError } from './errors.js';
import { analyzeCommand } from './cli/analyze-command.js';
import { evalCommand } from './cli/eval-command.js';
import { followCommand } from './cli/follow-command.js';
import { indexCommand } from './cli/index-command.js';
import { searchCommand } from './cli/search-command.js';
import { serveCommand } from './cli/serve-command.js';
import { type Command, type CommandContext, UsageError } from './cli/usage.js';

const COMMANDS: readonly Command[] = [
  analyzeCommand,
  indexCommand,
  searchCommand,
  serveCommand,
  evalCommand,
  followCommand,
];

const USAGE = `Usage: arshif <command> [options]   (in the repository: npx tsx src/cli.ts <command>)

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(9)}${command.summary}`).join('\n')}

Run "arshif <command> --help" for a command's options.`;

/**
 * Runs the command line and resolves to the exit status: 0 success, 1 failure, 2 usage error.
 * Errors are written to stderr as one line.
 */
export async function runCommandLine(
  argv: string[],
  io: Omit<CommandContext, 'args'> = process,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`arshif: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run({ args, ...io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`arshif ${name}: ${error.message} (see "arshif ${name} --help")\n`);
      return 2;
    }
    const message = error instanceof ArshifError ? error.message : String((error as Error)?.message ?? error);
    io.stderr.write(`arshif ${name}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/gu, '/'));
if (invokedDirectly || process.env.ARSHIF_CLI === '1') {
  runCommandLine(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
