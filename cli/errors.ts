// The CLI's error channels: usage errors (exit 2) and internal errors (exit 70).
// Python-level errors never reach here: the run command prints them as CPython
// tracebacks and returns the script's own exit status.

/**
 * refscope's own failures use statuses that scripts rarely exit with
 * (`sys.exit(3)` is common), so a caller can tell them apart: 70 is
 * sysexits.h's EX_SOFTWARE, and the heap check's failure, also a refscope
 * bug, comes right after it.
 */
export const EXIT_INTERNAL_ERROR = 70;
/** `run --check` found the simulated heap inconsistent. */
export const EXIT_HEAP_INCONSISTENT = 71;

/** Bad arguments or a bad input file: one clear line, exit status 2. */
export class UsageError extends Error {}

/** Prints a short bug report (the stack only with --verbose) and returns EXIT_INTERNAL_ERROR. */
export function reportInternalError(err: unknown, verbose: boolean): number {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`refscope: internal error: ${e.message}\n`);
  if (verbose) process.stderr.write(`${e.stack ?? ''}\n`);
  else process.stderr.write('This is a bug in refscope. Run again with --verbose for details and report it.\n');
  return EXIT_INTERNAL_ERROR;
}
