// The CLI's error channels: usage errors (exit 2) and internal errors (exit 3).
// Python-level errors never reach here: the run command prints them as CPython
// tracebacks and returns the script's own exit status.

/** Bad arguments or a bad input file: one clear line, exit status 2. */
export class UsageError extends Error {}

/** Prints a short bug report (the stack only with --verbose) and returns exit status 3. */
export function reportInternalError(err: unknown, verbose: boolean): number {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`refscope: internal error: ${e.message}\n`);
  if (verbose) process.stderr.write(`${e.stack ?? ''}\n`);
  else process.stderr.write('This is a bug in refscope. Run again with --verbose for details and report it.\n');
  return 3;
}
