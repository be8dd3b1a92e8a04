// refscope's entry point. It stays small on purpose: for `refscope run` this
// thread only supervises Ctrl-C while cli/cli.ts runs in a worker thread
// (see cli/interrupt.ts for why); every other command loads cli/cli.ts here.
//
// Exit statuses: 0 success; 1 the script failed (uncaught exception, as
// CPython) or a --fail-on finding; 2 bad arguments or bad input files;
// 70 internal error (a refscope bug); 71 `run --check` found the simulated heap
// inconsistent (also a refscope bug; the problems are printed on stderr);
// 124 --timeout reached; 130 interrupted by Ctrl-C (refscope then ends by
// SIGINT as CPython 3 does, which a shell reports as 130).
import { superviseScriptWorker, wantsScriptWorker } from './interrupt.js';

const argv = process.argv.slice(2);
// './cli.js' is cli/cli.ts and './worker.js' cli/worker.ts: dist/cli/*.js next
// to dist/cli/main.js, and the bundles dist/*.js next to the bundled entry
// dist/refscope.js.
const cliUrl = new URL('./cli.js', import.meta.url);
if (wantsScriptWorker(argv)) {
  superviseScriptWorker(new URL('./worker.js', import.meta.url), argv);
} else {
  const { runCli } = (await import(cliUrl.href)) as typeof import('./cli.js');
  process.exitCode = await runCli(argv);
}
