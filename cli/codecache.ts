/*
 * Loading refscope's bundle with a V8 code cache.
 *
 * Start-up is a large part of a short `refscope run`, and parsing the
 * 1.3 MB bundle is a large part of start-up. Node 20 offers no code cache for ES modules, so the build
 * (scripts/bundle.mjs) also writes the CLI as a classic script,
 * `dist/cli.script.js`: one function expression taking CommonJS's
 * parameters, run by `vm.Script`, and V8's code cache for it, made right
 * after compiling (`dist/cli.script.cache`): loading then skips parsing the
 * bundle. A cache made after a training run would also hold the functions
 * compiled lazily during it, but measured slower: the interpreter loop ran
 * about a quarter slower when its code came from such a cache.
 *
 * The cache starts with the SHA-256 of the script it belongs to (also on the
 * script's first line): V8 itself only checks the source length, so a cache
 * left over from another build could otherwise be taken for this one. A
 * cache that does not match, or that V8 rejects (another Node version or
 * V8 flags), is ignored: the script is compiled as usual, just slower.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** First line of the script: `// refscope-script <sha256 hex>`. */
const HEADER = '// refscope-script ';
const HASH_LENGTH = 64;

/** The module's exports once run, and the compiled script. */
export interface LoadedScript {
  exports: Record<string, unknown>;
  script: vm.Script;
  /** Whether V8 took the cache. */
  cached: boolean;
}

/** The cache file of a script bundle. */
export function cachePath(scriptFile: string): string {
  return scriptFile.replace(/\.js$/, '.cache');
}

/** The build hash on the script's first line, or null. */
function scriptHash(source: string): string | null {
  if (!source.startsWith(HEADER)) return null;
  return source.slice(HEADER.length, HEADER.length + HASH_LENGTH);
}

/** The V8 data of the cache file when it belongs to `hash`; undefined otherwise. */
function readCache(file: string, hash: string | null): Buffer | undefined {
  if (hash === null) return undefined;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= HASH_LENGTH + 1 || data.toString('latin1', 0, HASH_LENGTH) !== hash) return undefined;
  return data.subarray(HASH_LENGTH + 1);
}

/**
 * Compiles and runs the script bundle `scriptFile` (with its code cache when
 * it matches) and returns what it exported.
 */
export function loadScriptBundle(scriptFile: string, importPackage: (specifier: string) => Promise<unknown>, useCache = true): LoadedScript {
  const source = readFileSync(scriptFile, 'utf8');
  const cachedData = useCache ? readCache(cachePath(scriptFile), scriptHash(source)) : undefined;
  const script = new vm.Script(source, { filename: scriptFile, cachedData });
  const wrapper = script.runInThisContext() as ScriptWrapper;
  const module = { exports: {} as Record<string, unknown> };
  wrapper(module.exports, createRequire(scriptFile), module, scriptFile, path.dirname(scriptFile), pathToFileURL(scriptFile).href, importPackage);
  return { exports: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** Compiles a script bundle (without running it) and writes its code cache. */
export function writeCodeCache(scriptFile: string): void {
  const source = readFileSync(scriptFile, 'utf8');
  const hash = scriptHash(source);
  if (hash === null) throw new Error(`${scriptFile}: not a script bundle (no ${HEADER.trim()} line)`);
  const script = new vm.Script(source, { filename: scriptFile });
  writeFileSync(cachePath(scriptFile), Buffer.concat([Buffer.from(`${hash}\n`, 'latin1'), script.createCachedData()]));
}

/**
 * What a script bundle evaluates to: CommonJS's module function, plus
 * import.meta.url and an import() for the packages the library loads lazily
 * (a classic script has neither; scripts/bundle.mjs rewrites those import()s).
 */
type ScriptWrapper = (exports: object, require: NodeRequire, module: object, filename: string, dirname: string, importMetaUrl: string, importPackage: (specifier: string) => Promise<unknown>) => void;

/** Wraps a CommonJS bundle as a script bundle (see the top of this file). */
export function scriptBundleSource(commonJs: string, hash: string): string {
  return `${HEADER}${hash}\n(function (exports, require, module, __filename, __dirname, __importMetaUrl, __importPackage) {"use strict";\n${commonJs}\n})`;
}
