// The list of commands, in the order --help shows them. Add new commands here.
import type { Command } from './command.js';
import { runCommand } from './run.js';
import { top } from './top.js';
import { diffCommand } from './diff.js';
import { chain } from './chain.js';
import { backrefs } from './backrefs.js';
import { refs } from './refs.js';
import { reportCommand } from './report.js';
import { auditCommand } from './audit.js';

export const commands: Command<any>[] = [
  runCommand,
  top,
  diffCommand,
  chain,
  backrefs,
  refs,
  reportCommand,
  auditCommand,
];
