// The shape every CLI command module exports.
import type { Argv } from 'yargs';

export interface Command<A = Record<string, unknown>> {
  /** yargs command string, e.g. 'top <snapshot>' */
  command: string;
  describe: string;
  builder: (y: Argv) => Argv | void;
  /** [command line, what it does] pairs shown in --help */
  examples: Array<[string, string]>;
  /** Does the work and returns the exit status (never calls process.exit). */
  run: (args: A) => Promise<number>;
}
