// The script worker's entry (cli/interrupt.ts): runs cli/cli.ts's
// serveScriptWorker. Next to the bundle, cli/cli.ts is loaded from the
// script bundle with its code cache (cli/codecache.ts); elsewhere (the
// unbundled build) as the ES module next to this one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScriptBundle } from './codecache.js';

type Cli = typeof import('./cli.js');

const scriptFile = fileURLToPath(new URL('./cli.script.js', import.meta.url));
const cli: Cli = existsSync(scriptFile)
  ? (loadScriptBundle(scriptFile, (specifier) => import(specifier)).exports as unknown as Cli)
  : ((await import(new URL('./cli.js', import.meta.url).href)) as Cli);
await cli.serveScriptWorker();
