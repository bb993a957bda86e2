// Installer pieces: runtime dependency closure, platform naming, launcher script.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dependencyClosure, launcherScript, terraformPlatform } from '../../provider-shim/src/install';

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
