// The installed provider with its V8 code cache: written at the first exit, accepted after, rejected and rewritten
// when bad, never written with MAESTRO_PROVIDER_CODE_CACHE=off, harmless when it cannot be written, never inside the package.
// Installs from the repository's dist/: build first (npx tsc -p tsconfig.json).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pluginEnv, providerSample } from '../../bench/provider-cold-start';
import { codeCacheFile, decodeCodeCache, encodeCodeCache, type CodeCacheEntry } from '../../provider-shim/src/code-cache';
import { BUNDLE_FILE, installProvider, LOADER_FILE } from '../../provider-shim/src/install';
import { REPO } from '../unit/plugin-child-process';

const root = mkdtempSync(join(tmpdir(), 'maestro-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const installed = installProvider({ pluginDir: join(root, 'mirror'), version: '9.9.7', distDir: join(REPO, 'dist'), repoDir: REPO });
const bundleKey = createHash('sha256').update(readFileSync(join(installed.packageDir, BUNDLE_FILE))).digest('hex').slice(0, 32);

/** Every file under `dir` with its size and modification time. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((f) => `${relative(dir, f)} ${statSync(f).size} ${statSync(f).mtimeMs}`)
    .sort();
}
const packageBefore = listing(installed.packageDir);

/** The launcher, with its stderr kept in a file (providerSample leaves stderr to the parent). */
const stderrFile = join(root, 'stderr');
const wrapper = join(root, 'provider');
writeFileSync(wrapper, `#!/bin/sh\nexec '${installed.executable}' "$@" 2>'${stderrFile}'\n`);
chmodSync(wrapper, 0o755);

interface Run {
  /** The debug lines about the cache, as "<message>" or "<message>: <reason>". */
  events: string[];
  stderr: string;
}

/** One provider life as terraform drives it (handshake, GetProviderSchema, Shutdown) at TF_LOG=debug; throws if any step fails. */
async function runProvider(env: NodeJS.ProcessEnv): Promise<Run> {
  await providerSample(wrapper, { ...pluginEnv(), TF_LOG: 'debug', ...env });
  const stderr = readFileSync(stderrFile, 'utf8');
  const events = stderr
    .split('\n')
    .filter((line) => line.includes('"code cache'))
    .map((line) => JSON.parse(line) as { '@message': string; reason?: string })
    .map((e) => (e.reason && e.reason !== 'ENOENT' ? `${e['@message']}: ${e.reason}` : e['@message']));
  return { events, stderr };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('with a cache directory', () => {
  const cacheHome = join(root, 'xdg');
  const dir = join(cacheHome, 'maestro');
  const file = codeCacheFile(dir, bundleKey);
  const env = { XDG_CACHE_HOME: cacheHome };
  const entry = (): CodeCacheEntry => {
    const decoded = decodeCodeCache(bundleKey, readFileSync(file));
    if ('rejected' in decoded) throw new Error(`the cache file is not valid: ${decoded.rejected}`);
    return decoded;
  };
  const rewrite = (edit: (e: CodeCacheEntry) => CodeCacheEntry) => writeFileSync(file, encodeCodeCache(bundleKey, edit(entry())), { mode: 0o600 });

  test('the first run finds no cache and writes one, keyed by the bundle contents, readable by the user alone', async () => {
    expect((await runProvider(env)).events).toEqual(['code cache absent', 'code cache written']);
    expect(readdirSync(dir)).toEqual([codeCacheFile('', bundleKey)]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(entry().modules).toBeGreaterThan(0);
    expect(entry().data.length).toBeGreaterThan(100_000);
  });

  test('the next run accepts it and leaves it as it was', async () => {
    const before = statSync(file);
    expect((await runProvider(env)).events).toEqual(['code cache accepted']);
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  test('a run that asked for more modules than the process that wrote the cache rewrites it', async () => {
    const { modules } = entry();
    rewrite((e) => ({ ...e, modules: 1 }));
    expect((await runProvider(env)).events).toEqual(['code cache accepted', 'code cache written']);
    expect(entry().modules).toBe(modules);
  });

  test('a run that asked for no more keeps the cache, even when it is smaller', async () => {
    rewrite((e) => ({ ...e, modules: 1000 }));
    const before = statSync(file);
    expect((await runProvider(env)).events).toEqual(['code cache accepted']);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  test('a corrupted file is rejected by its checksum (V8 would crash on it); the provider still serves and rewrites it', async () => {
    const bytes = readFileSync(file);
    for (let i = bytes.length / 2; i < bytes.length / 2 + 64; i++) bytes[i] ^= 0x5a;
    writeFileSync(file, bytes);
    expect((await runProvider(env)).events).toEqual(['code cache rejected: checksum mismatch', 'code cache written']);
    expect((await runProvider(env)).events).toEqual(['code cache accepted']);
  });

  test('a well-formed file whose payload V8 rejects is rewritten', async () => {
    rewrite(() => ({ modules: 1000, data: Buffer.from('not V8 cached data') }));
    expect((await runProvider(env)).events).toEqual(['code cache rejected: V8 rejected it', 'code cache written']);
    expect((await runProvider(env)).events).toEqual(['code cache accepted']);
  });

  test('a file that others may write is not trusted, and is replaced by a private one', async () => {
    chmodSync(file, 0o666);
    expect((await runProvider(env)).events).toEqual(['code cache rejected: not a private file of this user', 'code cache written']);
    expect(mode(file)).toBe(0o600);
  });

  test('two providers writing at once leave one whole file and no temporary files', async () => {
    rmSync(file);
    const writer = join(root, 'provider-2');
    const stderr2 = join(root, 'stderr-2');
    writeFileSync(writer, `#!/bin/sh\nexec '${installed.executable}' "$@" 2>'${stderr2}'\n`);
    chmodSync(writer, 0o755);
    const e = { ...pluginEnv(), TF_LOG: 'debug', ...env };
    await Promise.all([providerSample(wrapper, e), providerSample(writer, e)]);
    expect(readFileSync(stderrFile, 'utf8') + readFileSync(stderr2, 'utf8')).toMatch(/code cache written/);
    expect(readdirSync(dir)).toEqual([codeCacheFile('', bundleKey)]);
    expect((await runProvider(env)).events).toEqual(['code cache accepted']);
  });
});

test('MAESTRO_PROVIDER_CODE_CACHE=off runs the bundle alone and writes nothing', async () => {
  const cacheHome = join(root, 'xdg-off');
  const run = await runProvider({ XDG_CACHE_HOME: cacheHome, MAESTRO_PROVIDER_CODE_CACHE: 'off' });
  expect(run.events).toEqual([]);
  expect(run.stderr).toMatch(/plugin server listening/); // the debug log is on: the loader said nothing because it did not run
  expect(existsSync(cacheHome)).toBe(false);
});

test('a cache directory that cannot be created costs only the cache', async () => {
  const notADir = join(root, 'a-file');
  writeFileSync(notADir, '');
  const run = await runProvider({ XDG_CACHE_HOME: notADir });
  expect(run.events).toEqual(['code cache absent: ENOTDIR', 'code cache not written']);
  expect(readFileSync(notADir, 'utf8')).toBe('');
});

test('with neither XDG_CACHE_HOME nor HOME the provider runs without a cache', async () => {
  const env: NodeJS.ProcessEnv = { ...pluginEnv(), TF_LOG: 'debug' };
  delete env.HOME;
  delete env.XDG_CACHE_HOME;
  await providerSample(wrapper, env);
  expect(readFileSync(stderrFile, 'utf8')).toMatch(/"@message":"code cache unavailable","@module":"maestro","@timestamp":"[^"]+","reason":"neither XDG_CACHE_HOME nor HOME is set"/);
});

test('the loader runs a bundle as `node bundle` does: module, require.main, paths, argv, stack positions', () => {
  const dir = join(root, 'stand-in');
  mkdirSync(dir);
  writeFileSync(join(dir, 'dep.js'), 'module.exports = { mainIsParentMain: require.main.filename };');
  writeFileSync(
    join(dir, 'main.js'),
    [
      '"use strict"; function fail() { throw new Error("boom"); }', // on the line the CommonJS wrapper opens
      'const seen = { isMain: require.main === module, id: module.id, filename: __filename, dirname: __dirname, argv: process.argv.slice(1),',
      '  thisIsExports: this === module.exports, cached: require.cache[__filename] === module, dep: require("./dep"), resolved: require.resolve("./dep") };',
      'try { fail(); } catch (err) { seen.frame = err.stack.split("\\n")[1].trim(); }',
      'process.stdout.write(JSON.stringify(seen));',
    ].join('\n'),
  );
  const env = { ...process.env, XDG_CACHE_HOME: join(root, 'xdg-stand-in') };
  const plain = execFileSync(process.execPath, ['main.js', 'a b', '--debug'], { cwd: dir, env }).toString();
  const loaded = execFileSync(process.execPath, [join(installed.packageDir, LOADER_FILE), 'main.js', 'a b', '--debug'], { cwd: dir, env }).toString();
  expect(JSON.parse(loaded)).toEqual(JSON.parse(plain));
  expect(JSON.parse(plain)).toMatchObject({ isMain: true, id: '.', frame: `at fail (${join(dir, 'main.js')}:1:39)` });
});

test('runs leave the installed package as it was installed', () => {
  expect(listing(installed.packageDir)).toEqual(packageBefore);
});
