// Installer: the installed package (bundled by default) starts and handshakes; runtime dependency closure, platform naming, launcher script.
// The package tests install from the repository's dist/: build first (npx tsc -p tsconfig.json).

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BUNDLE_FILE, dependencyClosure, installProvider, launcherScript, terraformPlatform } from '../../provider-shim/src/install';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../provider-shim/src/plugin/handshake';
import { cleanEnv, REPO } from './plugin-child-process';

/** Starts `executable` as terraform does and resolves with its first stdout line (then kills it). */
async function handshakeOf(executable: string): Promise<string> {
  const env = cleanEnv({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] }).certPem });
  const child = spawn(executable, [], { env, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    while (!stdout.includes('\n')) {
      const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])) as [Buffer | number];
      if (!Buffer.isBuffer(chunk)) throw new Error(`the provider exited (${chunk}) before its handshake:\n${stderr}`);
      stdout += chunk.toString();
    }
    return stdout.split('\n')[0];
  } finally {
    child.kill('SIGKILL');
  }
}

describe.each([
  ['bundled (the default)', false, ['provider', 'terraform-provider-maestro_v9.9.9']],
  ['unbundled', true, ['dist', 'node_modules', 'terraform-provider-maestro_v9.9.9']],
])('installProvider, %s', (_name, unbundled, layout) => {
  const root = mkdtempSync(join(tmpdir(), 'maestro-install-pkg-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const installed = installProvider({ pluginDir: join(root, 'mirror'), version: '9.9.9', distDir: join(REPO, 'dist'), repoDir: REPO, unbundled });

  test('writes the launcher and the package in terraform\'s mirror layout', () => {
    expect(installed.packageDir).toBe(join(root, 'mirror/registry.terraform.io/maestro/maestro/9.9.9', terraformPlatform()));
    expect(readdirSync(installed.packageDir).sort()).toEqual(layout);
    if (!unbundled) expect(existsSync(join(installed.packageDir, BUNDLE_FILE))).toBe(true);
  });

  test('the package, moved elsewhere, starts and prints a go-plugin handshake line', async () => {
    const moved = join(root, 'moved');
    cpSync(installed.packageDir, moved, { recursive: true });
    expect(await handshakeOf(join(moved, basename(installed.executable)))).toMatch(/^1\|6\|unix\|\/.+\/plugin\.sock\|grpc\|[A-Za-z0-9+/=]+$/);
  }, 30_000);
});

describe('dependencyClosure', () => {
  const root = mkdtempSync(join(tmpdir(), 'maestro-install-'));
  const nm = join(root, 'node_modules');
  const pkg = (dir: string, dependencies: Record<string, string> = {}) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: dir, dependencies }));
  };
  pkg(join(nm, 'app-a'), { shared: '1', '@types/node': '*' });
  pkg(join(nm, '@scope/b'), { shared: '2', leaf: '1' });
  pkg(join(nm, 'shared'));
  pkg(join(nm, '@scope/b/node_modules/shared'), { deep: '1' }); // nested copy travels with @scope/b
  pkg(join(nm, 'deep'));
  pkg(join(nm, 'leaf'));
  pkg(join(nm, 'unused'));
  pkg(join(nm, 'broken'), { missing: '1' });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('lists the roots and every top-level package they need, nearest copy first, skipping @types', () => {
    expect(dependencyClosure(nm, ['app-a', '@scope/b'])).toEqual(['@scope/b', 'app-a', 'deep', 'leaf', 'shared']);
  });

  test('names a missing dependency and who needs it', () => {
    expect(() => dependencyClosure(nm, ['broken'])).toThrow(/runtime dependency missing \(needed from .*broken\) is not installed/);
  });
});

test.each([
  ['linux', 'x64', 'linux_amd64'],
  ['darwin', 'arm64', 'darwin_arm64'],
  ['linux', 'ia32', 'linux_386'],
])('terraformPlatform(%s, %s) is %s', (platform, arch, expected) => {
  expect(terraformPlatform(platform, arch)).toBe(expected);
});

test('the launcher runs main relative to itself, passing arguments, printing nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-launcher-'));
  try {
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib/main.js'), 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
    writeFileSync(join(dir, 'run'), launcherScript('lib/main.js'));
    chmodSync(join(dir, 'run'), 0o755);
    expect(execFileSync(join(dir, 'run'), ['a b', '--debug'], { cwd: tmpdir() }).toString()).toBe('["a b","--debug"]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
