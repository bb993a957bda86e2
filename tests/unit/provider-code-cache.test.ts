// The provider's V8 code cache: where it lives, its file format and checks, and the launcher that runs the loader or, when off, the bundle alone.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheDir, codeCacheFile, decodeCodeCache, encodeCodeCache } from '../../provider-shim/src/code-cache';
import { launcherScript } from '../../provider-shim/src/install';

test.each([
  ['XDG_CACHE_HOME first', { XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, '/x/cache/maestro'],
  ['HOME/.cache without XDG_CACHE_HOME', { HOME: '/home/u' }, '/home/u/.cache/maestro'],
  ['a relative XDG_CACHE_HOME is ignored, as the XDG spec says', { XDG_CACHE_HOME: 'cache', HOME: '/home/u' }, '/home/u/.cache/maestro'],
  ['an empty XDG_CACHE_HOME is ignored', { XDG_CACHE_HOME: '', HOME: '/home/u' }, '/home/u/.cache/maestro'],
  ['no cache without either', {}, undefined],
  ['no cache with a relative HOME only', { HOME: 'u' }, undefined],
])('codeCacheDir: %s', (_name, env, expected) => {
  expect(codeCacheDir(env)).toBe(expected);
});

test('codeCacheFile names the bundle key, the node version and the architecture', () => {
  expect(codeCacheFile('/c/maestro', 'abc123')).toBe(`/c/maestro/provider-abc123-${process.version}-${process.arch}.v8cache`);
});

describe('cache file format', () => {
  const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
  const file = encodeCodeCache('key-a', { modules: 21, data });
  const edited = (edit: (b: Buffer) => void): Buffer => {
    const copy = Buffer.from(file);
    edit(copy);
    return copy;
  };

  test('round-trips the module count and the payload', () => {
    expect(decodeCodeCache('key-a', file)).toEqual({ modules: 21, data });
  });

  test.each([
    ['a flipped payload byte', edited((b) => (b[b.length - 100] ^= 1)), 'checksum mismatch'],
    ['a flipped checksum byte', edited((b) => (b[20] ^= 1)), 'checksum mismatch'],
    ['a truncated file', file.subarray(0, file.length - 1), 'truncated'],
    ['only part of the header', file.subarray(0, 10), 'not a maestro code cache'],
    ['another format', Buffer.from('garbage that is long enough to hold a header, but is not one'), 'not a maestro code cache'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(decodeCodeCache('key-a', bytes)).toEqual({ rejected: reason });
  });

  test("rejects another bundle's cache renamed to this bundle's file", () => {
    expect(decodeCodeCache('key-b', file)).toEqual({ rejected: 'checksum mismatch' });
  });
});

describe('launcher with the code-cache loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-launcher-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'lib'));
  // Each stand-in prints which file node ran and the arguments it got.
  writeFileSync(join(dir, 'lib/main.js'), 'process.stdout.write(JSON.stringify(["main", ...process.argv.slice(2)]))');
  writeFileSync(join(dir, 'lib/start.js'), 'process.stdout.write(JSON.stringify(["start", ...process.argv.slice(2)]))');
  writeFileSync(join(dir, 'run'), launcherScript('lib/main.js', 'lib/start.js'));
  chmodSync(join(dir, 'run'), 0o755);
  const run = (env: Record<string, string>) => JSON.parse(execFileSync(join(dir, 'run'), ['a b', '--debug'], { cwd: tmpdir(), env: { ...process.env, ...env } }).toString()) as string[];

  test('runs the loader with the bundle path first, then the arguments', () => {
    expect(run({})).toEqual(['start', join(dir, 'lib/main.js'), 'a b', '--debug']);
  });

  test('MAESTRO_PROVIDER_CODE_CACHE=off runs the bundle alone', () => {
    expect(run({ MAESTRO_PROVIDER_CODE_CACHE: 'off' })).toEqual(['main', 'a b', '--debug']);
  });

  test('any other value keeps the loader', () => {
    expect(run({ MAESTRO_PROVIDER_CODE_CACHE: 'on' })[0]).toBe('start');
  });
});
