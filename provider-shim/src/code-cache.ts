// Runs the provider bundle as `node main.js` would, compiled with a V8 code cache kept in the user's cache directory.
//
// Why: terraform starts the provider 3 times per plan, and each process spent
// ~17 ms compiling the 820 KB bundle before the handshake, then more compiling
// functions lazily on the first RPCs. Node 20 has no module.enableCompileCache,
// so the installed launcher runs this loader (bundled as provider/start.js),
// which compiles main.js through vm.Script with the cache V8 serialised at the
// exit of an earlier process (createCachedData then includes the functions
// compiled lazily so far).
//
// The cache is code: it is read only from a file of this user that nobody else
// may write, with a checksum of ours (V8 checks the format and the source length,
// but not the payload: a flipped byte crashes the process in V8's deserializer).
// It never lives in the installed package, which terraform hashes against
// .terraform.lock.hcl. Anything that goes wrong here (no HOME, read-only
// directory, bad file) costs only the cache: the provider runs as without it,
// and nothing is printed on stdout, which belongs to the go-plugin handshake.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { levelFromEnv, Logger } from './plugin/logger';

/** Environment variable that turns the cache off when set to "off" (the launcher then runs main.js directly). */
export const CODE_CACHE_SWITCH = 'MAESTRO_PROVIDER_CODE_CACHE';

/** What this process found; logged at debug level as "code cache <status>". */
export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent' | 'unavailable';

/** A decoded cache file. */
export interface CodeCacheEntry {
  /**
   * Distinct modules the bundle required in the process that wrote the cache:
   * how far into the bundle that process ran (a schema-only process asks for a
   * handful of builtins; ConfigureProvider brings the engine client and its gRPC
   * stack, which ask for many more). A process that asked for more rewrites the cache.
   */
  modules: number;
  /** V8's cached data for the wrapped bundle. */
  data: Buffer;
}

const MAGIC = Buffer.from('MCCACHE1');
/** Magic, modules (uint32 LE), payload length (uint32 LE), sha256 of the bundle key and payload. */
const HEADER_BYTES = MAGIC.length + 4 + 4 + 32;
/** Cache files kept per directory: one per bundle the user ran lately (each build of the provider makes a new one). */
const KEEP_FILES = 8;
const FILE_PATTERN = /^provider-.+\.v8cache$/;
/** node's CommonJS wrapper, with the opening on a line of its own (compiled with lineOffset -1) so positions in main.js stay exact. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_END = '\n});';

/**
 * The directory holding code caches: $XDG_CACHE_HOME/maestro (an absolute path,
 * as the XDG spec requires) or $HOME/.cache/maestro; undefined when neither is usable.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'maestro');
  if (env.HOME && isAbsolute(env.HOME)) return join(env.HOME, '.cache', 'maestro');
  return undefined;
}

/** The cache file for the bundle whose contents hash to `bundleKey`, under this node version and architecture (V8's format depends on both). */
export function codeCacheFile(dir: string, bundleKey: string): string {
  return join(dir, `provider-${bundleKey}-${process.version}-${process.arch}.v8cache`);
}

const checksum = (bundleKey: string, data: Buffer): Buffer => createHash('sha256').update(bundleKey).update(data).digest();

/** The file's bytes for `entry`; the checksum binds the payload to `bundleKey`. */
export function encodeCodeCache(bundleKey: string, entry: CodeCacheEntry): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(entry.modules, MAGIC.length);
  header.writeUInt32LE(entry.data.length, MAGIC.length + 4);
  checksum(bundleKey, entry.data).copy(header, MAGIC.length + 8);
  return Buffer.concat([header, entry.data]);
}

/** The entry in `file`, or why it cannot be used. */
export function decodeCodeCache(bundleKey: string, file: Buffer): CodeCacheEntry | { rejected: string } {
  if (file.length < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return { rejected: 'not a maestro code cache' };
  const data = file.subarray(HEADER_BYTES);
  if (file.readUInt32LE(MAGIC.length + 4) !== data.length) return { rejected: 'truncated' };
  if (!checksum(bundleKey, data).equals(file.subarray(MAGIC.length + 8, HEADER_BYTES))) return { rejected: 'checksum mismatch' };
  return { modules: file.readUInt32LE(MAGIC.length), data };
}

type Loaded = { status: 'absent' | 'unavailable'; reason?: string } | { status: 'rejected'; reason: string } | { status: 'loaded'; entry: CodeCacheEntry };

/** Reads the cache, trusting only a regular file of this user that group and others cannot write. */
function readCodeCache(file: string, bundleKey: string): Loaded {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    return { status: 'absent', reason: (err as NodeJS.ErrnoException).code };
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return { status: 'rejected', reason: 'not a private file of this user' };
    const decoded = decodeCodeCache(bundleKey, readFileSync(fd));
    return 'rejected' in decoded ? { status: 'rejected', reason: decoded.rejected } : { status: 'loaded', entry: decoded };
  } catch (err) {
    return { status: 'rejected', reason: (err as Error).message };
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the cache atomically (a temporary file of this process, then rename),
 * so a parallel provider reads the old file or the new one, never a torn one.
 * The temporary file is opened before V8 serialises anything, so an unwritable
 * directory costs no serialisation. Throws on any failure, leaving no temporary file.
 */
function writeCodeCache(file: string, bundleKey: string, serialise: () => CodeCacheEntry): number {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let bytes: Buffer;
    try {
      bytes = encodeCodeCache(bundleKey, serialise());
      writeFileSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return bytes.length;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Deletes all but the KEEP_FILES most recently written caches (never `current`); a parallel provider may be doing the same. */
function pruneCodeCaches(dir: string, current: string): void {
  const files = readdirSync(dir)
    .filter((name) => FILE_PATTERN.test(name))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of files.slice(KEEP_FILES)) if (path !== current) rmSync(path, { force: true });
}

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

type Wrapper = (exports: unknown, require: NodeJS.Require, module: CompilingModule, filename: string, dirname: string) => unknown;

/** Has `compile` compile the module at `filename` (node's CommonJS loader still reads and registers it); node's own compiler does the rest. */
function onceCompiling(filename: string, compile: (module: CompilingModule, content: string) => unknown): void {
  const proto = Module.prototype as unknown as CompilingModule;
  const nodeCompile = proto._compile;
  proto._compile = function (this: CompilingModule, content: string, name: string): unknown {
    if (name !== filename) return nodeCompile.call(this, content, name);
    proto._compile = nodeCompile;
    return compile(this, content);
  };
}

/** node's require for a module at `filename`, also noting each id asked for in `required`. */
function countingRequire(filename: string, required: Set<string>): NodeJS.Require {
  const base = Module.createRequire(filename);
  return Object.assign((id: string): unknown => {
    required.add(id);
    return base(id);
  }, base);
}

/**
 * Runs the bundle named by process.argv[2] as node's main module, compiled with
 * the code cache of `bundleKey` (the installer's hash of the bundle) when one is
 * usable; argv becomes [node, bundle, ...arguments], as `node bundle` would see it.
 * Module, require (require.main too), __filename and __dirname are node's own;
 * stack traces name the bundle with its own positions. At a clean exit (code 0)
 * the cache is written when none was usable, or when this process required more
 * distinct modules than the one that wrote it.
 */
export function runWithCodeCache(bundleKey: string, env: NodeJS.ProcessEnv = process.env): void {
  const log = new Logger(levelFromEnv(env));
  process.argv.splice(1, 2, resolve(process.argv[2])); // node makes its main script's path absolute too
  const bundle = realpathSync(process.argv[1]);
  const dir = codeCacheDir(env);
  const file = dir && codeCacheFile(dir, bundleKey);
  const loaded: Loaded = file ? readCodeCache(file, bundleKey) : { status: 'unavailable', reason: 'neither XDG_CACHE_HOME nor HOME is set' };
  const cached = loaded.status === 'loaded' ? loaded.entry : undefined;
  const required = new Set<string>();
  let script: Script | undefined;

  onceCompiling(bundle, (module, content) => {
    script = new Script(WRAPPER_START + content + WRAPPER_END, { filename: bundle, lineOffset: -1, cachedData: cached?.data, importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    if (log.enabled('debug')) {
      const v8Rejected = cached !== undefined && script.cachedDataRejected === true;
      const status: CodeCacheStatus = loaded.status === 'loaded' ? (v8Rejected ? 'rejected' : 'accepted') : loaded.status;
      log.debug(`code cache ${status}`, { file, reason: v8Rejected ? 'V8 rejected it' : 'reason' in loaded ? loaded.reason : undefined, bytes: cached?.data.length });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as Wrapper;
    return wrapper.call(module.exports, module.exports, countingRequire(bundle, required), module, bundle, dirname(bundle));
  });

  if (file) {
    process.on('exit', (code) => {
      const compiled = script;
      const usable = cached !== undefined && compiled?.cachedDataRejected === false;
      if (code !== 0 || !compiled || (usable && required.size <= cached.modules)) return;
      try {
        const bytes = writeCodeCache(file, bundleKey, () => ({ modules: required.size, data: compiled.createCachedData() }));
        log.debug('code cache written', { file, bytes, modules: required.size });
        pruneCodeCaches(dirname(file), file);
      } catch (err) {
        log.debug('code cache not written', { file, error: (err as Error).message });
      }
    });
  }
  Module.runMain();
}
