/*
 * Ctrl-C (SIGINT) for refscope's commands.
 *
 * The simulated interpreter is synchronous: while a script runs, the thread
 * that runs it never returns to Node's event loop, so a `process.on('SIGINT')`
 * handler on that thread could only run after the script ended. Node delivers
 * signals to the main thread's event loop only, so the one way to react to
 * SIGINT *inside* a running script is to run the script on another thread:
 *
 *   main thread (supervisor, cli/main.ts)     script worker (cli/cli.ts, `run`)
 *   ─────────────────────────────────────     ─────────────────────────────────
 *   SIGINT ──► shared[PENDING] += 1, notify   interpreter poll (backward jumps,
 *                                             time.sleep) sees PENDING, clears
 *                                             it, raises KeyboardInterrupt
 *
 * `shared` is an Int32Array on a SharedArrayBuffer, so the flag is visible
 * to the worker at once without a message (the worker never reads messages
 * while it runs). The worker writes the script's output with synchronous
 * writes to fds 1 and 2, as the main thread did: stdout and stderr keep their
 * exact order, and nothing is buffered in the worker's forwarded
 * process.stdout when it ends.
 *
 * Only `run` uses a worker: it is the command where a script may run for
 * long and may want to catch KeyboardInterrupt. The worker costs a thread
 * start (measured: see README), not a second load of refscope's code: the
 * main thread of a `run` loads only this module. Pipes get the worker too,
 * since Ctrl-C reaches a piped run just as well (`refscope run x.py | less`).
 *
 * Commands that run scripts on the main thread (`report`, `audit`) stop at
 * once on Ctrl-C with one line on stderr (cli/cli.ts `interruptible`): the
 * synchronous part runs under `vm`'s breakOnSigint, which aborts JavaScript
 * from a watchdog thread; their state is then unusable, so they only report
 * and end.
 *
 * Ending after an interrupt follows CPython 3: it ends by SIGINT itself
 * (restoring the default action and killing itself), not with exit(130), so
 * that a shell script that ran it stops too; a shell reports status 130.
 */
import { writeSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { EXIT_INTERNAL_ERROR } from './errors.js';

/** Cells of the shared Int32Array. PENDING must stay cell 0: lib/python/run.ts INTERRUPT_PENDING. */
const enum Cell {
  /** SIGINTs received and not yet taken by the interpreter (it resets the cell when it raises KeyboardInterrupt). */
  Pending = 0,
  /** 1 while the interpreter runs the script and turns Ctrl-C into KeyboardInterrupt; 0 before and after. */
  Accepting = 1,
  /** Set by the worker when the script ended by an uncaught KeyboardInterrupt: the process must end by SIGINT. */
  EndBySigint = 2,
  Count = 3,
}

/**
 * A Ctrl-C not taken by the script for this long means the interpreter is
 * stuck in one long operation (a huge `10**10**8`, a bug): the next Ctrl-C
 * ends refscope instead of queueing another KeyboardInterrupt. CPython has
 * no such escape (it waits for the C call to return); a simulator should not
 * need `kill -9`.
 */
const UNRESPONSIVE_MS = 2000;

/** Marks the worker's workerData so cli/cli.ts knows it runs as the script worker. */
const WORKER_TAG = 'refscope-script-worker';

interface WorkerData {
  tag: typeof WORKER_TAG;
  argv: string[];
  shared: Int32Array;
}

interface WorkerResult {
  exitCode: number;
}

/** Exit status after an interrupt when ending by SIGINT is not possible (SIGINT ignored): 128 + SIGINT, as CPython. */
const EXIT_INTERRUPTED = 130;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `s` to `fd` synchronously. A descriptor shared with another
 * process may have been left non-blocking (EAGAIN): wait a moment and retry.
 */
export function writeFdSync(fd: number, s: string): void {
  const buf = Buffer.from(s, 'utf8');
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }
}

/**
 * Ends the process as CPython 3 does after Ctrl-C: by SIGINT (a shell shows
 * 130). `message` (one line) goes to stderr first.
 */
export function endBySigint(message?: string): void {
  if (message) writeFdSync(2, `${message}\n`);
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
  // Still here: SIGINT is ignored (a background job) or not delivered yet.
  setTimeout(() => process.exit(EXIT_INTERRUPTED), 100);
}

/** Whether `argv` asks for a command that runs in the script worker: `run`, unless only its help is wanted. */
export function wantsScriptWorker(argv: string[]): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  return command === 'run' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
}

/**
 * Main-thread side: runs the worker entry `workerUrl` (cli/worker.ts) with
 * `argv`, turns SIGINT into a pending KeyboardInterrupt while the script
 * runs (and into an immediate end otherwise), and sets the exit status.
 */
export function superviseScriptWorker(workerUrl: URL, argv: string[]): void {
  const shared = new Int32Array(new SharedArrayBuffer(Cell.Count * 4));
  let pendingSince = 0;
  const onSigint = () => {
    if (Atomics.load(shared, Cell.Accepting) !== 1) return endBySigint('refscope: interrupted');
    const now = performance.now();
    if (Atomics.load(shared, Cell.Pending) === 0) pendingSince = now;
    else if (now - pendingSince > UNRESPONSIVE_MS) return endBySigint('refscope: interrupted (the script did not take the earlier Ctrl-C)');
    Atomics.add(shared, Cell.Pending, 1);
    Atomics.notify(shared, Cell.Pending);
  };
  process.on('SIGINT', onSigint);
  const data: WorkerData = { tag: WORKER_TAG, argv, shared };
  const worker = new Worker(workerUrl, { workerData: data });
  let exitCode: number | null = null;
  worker.on('message', (m: WorkerResult) => {
    exitCode = m.exitCode;
  });
  worker.on('error', (err) => {
    // An error the CLI's own handler did not catch (it reports internal errors itself): one line, no stack.
    writeFdSync(2, `refscope: internal error: ${err instanceof Error ? err.message : String(err)}\nThis is a bug in refscope. Run again with --verbose for details and report it.\n`);
    exitCode = EXIT_INTERNAL_ERROR;
  });
  worker.on('exit', () => {
    if (Atomics.load(shared, Cell.EndBySigint) === 1) return endBySigint();
    process.off('SIGINT', onSigint);
    process.exitCode = exitCode ?? EXIT_INTERNAL_ERROR;
  });
}

/** Worker side: the channel of a script worker, or null on the main thread. */
export interface ScriptWorker {
  argv: string[];
  /** The cell array for RunOptions.interrupt (PENDING is cell 0). */
  interrupt: Int32Array;
  /** Ctrl-C becomes KeyboardInterrupt while `on` (the script runs); otherwise it ends refscope. */
  accept(on: boolean): void;
  /** The script ended by an uncaught KeyboardInterrupt: end the process by SIGINT, as CPython 3. */
  endBySigint(): void;
  /** Reports the CLI's exit status to the supervisor. */
  finish(exitCode: number): void;
}

export function scriptWorker(): ScriptWorker | null {
  if (isMainThread || (workerData as WorkerData | null)?.tag !== WORKER_TAG) return null;
  const { argv, shared } = workerData as WorkerData;
  return {
    argv,
    interrupt: shared,
    accept: (on) => {
      Atomics.store(shared, Cell.Accepting, on ? 1 : 0);
      if (on) Atomics.store(shared, Cell.Pending, 0);
    },
    endBySigint: () => void Atomics.store(shared, Cell.EndBySigint, 1),
    finish: (exitCode) => parentPort!.postMessage({ exitCode } satisfies WorkerResult),
  };
}
