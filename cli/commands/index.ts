// The list of commands, in the order --help shows them. Add new commands here.
import type { Command } from './command.js';

export const commands: Command<any>[] = [];
