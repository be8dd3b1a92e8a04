// refscope's command line. Each command lives in its own module under
// cli/commands/ and declares its name, description, options and examples;
// this file only lists them, parses argv and maps outcomes to exit codes
// (listed in cli/main.ts, the entry point). It runs on the main thread, or in
// the script worker for `refscope run` (cli/interrupt.ts, cli/worker.ts).
import vm from 'node:vm';
import yargs from 'yargs';
import { commands } from './commands/index.js';
import { reportInternalError, UsageError } from './errors.js';
import { endBySigint, scriptWorker } from './interrupt.js';

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
        exitCode = await (scriptWorker() ? command.run(args as never) : interruptible(() => command.run(args as never)));
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

/**
 * Runs a command on the main thread so that Ctrl-C ends refscope at once with
 * one line on stderr, never a stack trace. The synchronous part (where
 * `report` and `audit` run the script) runs under vm's breakOnSigint, which
 * aborts it from a watchdog thread: an event-loop handler would only run
 * once the script is over. The asynchronous rest (rendering) is covered by
 * an ordinary handler.
 */
async function interruptible(run: () => Promise<number>): Promise<number> {
  let pending: Promise<number>;
  try {
    pending = vm.runInNewContext('run()', { run }, { breakOnSigint: true }) as Promise<number>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
      endBySigint('refscope: interrupted');
      // The process is ending by SIGINT: nothing is left to resolve.
      return new Promise(() => {});
    }
    throw err;
  }
  const onSigint = () => endBySigint('refscope: interrupted');
  process.on('SIGINT', onSigint);
  try {
    return await pending;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Runs the command line `argv` (without node and the script); never throws. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    return reportInternalError(err, argv.includes('--verbose'));
  }
}

/**
 * The script worker's job (cli/worker.ts starts it): run the command line the
 * supervisor passed and report the exit status back.
 */
export async function serveScriptWorker(): Promise<void> {
  const worker = scriptWorker();
  if (worker) worker.finish(await runCli(worker.argv));
}
