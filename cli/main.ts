// refscope's command line. Each command lives in its own module under
// cli/commands/ and declares its name, description, options and examples;
// this file only lists them, parses argv and maps outcomes to exit codes.
//
// Exit statuses: 0 success; 1 the script failed (uncaught exception, as
// CPython) or a --fail-on finding; 2 bad arguments or bad input files;
// 3 internal error (a refscope bug); 4 `run --check` found the simulated heap
// inconsistent (also a refscope bug; the problems are printed on stderr);
// 124 --timeout reached; 130 interrupted.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { reportInternalError, UsageError } from './errors.js';

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('refscope')
    .usage('$0 <command> [options]\n\nHunt memory leaks in Python programs on a simulated CPython memory manager.')
    .strict()
    .demandCommand(1, 'Name a command: see the list above.')
    .recommendCommands()
    .option('verbose', { type: 'boolean', global: true, describe: 'print stack traces of internal errors' })
    .help()
    .alias('h', 'help')
    .version()
    .wrap(process.stdout.isTTY ? Math.min(100, process.stdout.columns || 100) : null)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  for (const command of commands) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: (y) => {
        command.builder(y);
        for (const [example, text] of command.examples) y.example(example, text);
        return y;
      },
      handler: async (args) => {
        exitCode = await command.run(args as never);
      },
    });
  }
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`refscope: ${err.message}\nRun 'refscope --help' for usage.\n`);
      return 2;
    }
    return reportInternalError(err, argv.includes('--verbose'));
  }
  return exitCode;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportInternalError(err, process.argv.includes('--verbose'));
  },
);
