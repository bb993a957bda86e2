// The README's demo line (`npm run demo` = scripts/demo.sh) as a user runs it, in both lab modes: it must apply its
// example, print what was built, leave a plan with no changes, and tear down cleanly with demo-down.sh.
// Needs the compiled tree (`npm test` compiles first); the netns case needs root.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, NEEDS_ROOT, netnsTopology, REPO, tempDir } from '../integration/netns-harness';

jest.setTimeout(300_000);

interface Run { code: number | null; out: string }

/** Runs `command` in bash from the repository with `env` added; output is stdout and stderr interleaved. */
function bash(command: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd: REPO, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** The environment of one demo run: its own directory, HOME (so the provider installs into a private plugin dir), no rebuild. */
function demoEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir(name);
  const home = join(dir, 'home');
  mkdirSync(home);
  return { MAESTRO_DEMO_DIR: join(dir, 'demo'), MAESTRO_DEMO_SKIP_BUILD: '1', HOME: home, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '', ...extra };
}

/** Destroys what the demo applied (as its closing hint says), then stops it; returns the destroy output. */
async function destroyAndStop(env: Record<string, string>, example: string): Promise<string> {
  const destroy = await bash(`. "$MAESTRO_DEMO_DIR/env.sh" && terraform -chdir="$MAESTRO_DEMO_DIR/examples/${example}" destroy -auto-approve -input=false -no-color && bin/maestro doctor --data-dir "$MAESTRO_DEMO_DIR/engine"`, env);
  const down = await bash('scripts/demo-down.sh', env);
  expect(down.code).toBe(0);
  expect(destroy.code).toBe(0);
  return destroy.out;
}

test('the demo in simulator mode applies the app-cluster module, prints what was built, and tears down', async () => {
  const env = demoEnv('demo-sim', { MAESTRO_DEMO_MODE: 'simulator' });
  const demo = await bash('scripts/demo.sh', env);
  try {
    expect(demo.out).toContain('Apply complete! Resources: 4 added');
    expect(demo.out).toMatch(/engine \| job \S+ instance\.create succeeded/);
    expect(demo.out).toMatch(/ID\s+TENANCY\s+PROFILE\s+SERVER/);
    expect(demo.out).toMatch(/leaf\d\s+Ethernet\d+\s+access 1\d\d/);
    expect(demo.code).toBe(0);
    const plan = await bash(`. "$MAESTRO_DEMO_DIR/env.sh" && terraform -chdir="$MAESTRO_DEMO_DIR/examples/app-cluster" plan -detailed-exitcode -input=false`, env);
    expect(plan.code).toBe(0);
  } finally {
    const out = await destroyAndStop(env, 'app-cluster');
    expect(out).toContain('Destroy complete! Resources: 4 destroyed.');
    expect(out).toContain('0 finding(s)');
  }
  expect(existsSync(join(env.MAESTRO_DEMO_DIR, 'lab', 'lab.json'))).toBe(false);
});

(IS_ROOT ? test : test.skip)(`the demo in netns mode applies examples/basic and proves isolation on the wire${NEEDS_ROOT}`, async () => {
  const env = demoEnv('demo-netns', { MAESTRO_DEMO_MODE: 'netns' });
  mkdirSync(env.MAESTRO_DEMO_DIR, { recursive: true });
  env.MAESTRO_DEMO_TOPOLOGY = netnsTopology(env.MAESTRO_DEMO_DIR, 50);
  const demo = await bash('scripts/demo.sh', env);
  try {
    expect(demo.out).toContain('Apply complete! Resources: 6 added');
    const reach = demo.out.split('\n').filter((l) => / -> .*\((\d+\.){3}\d+\): /.test(l));
    // 4 instances: 12 ordered pairs; web's 6 answer, the 6 across tenancies do not.
    expect(reach).toHaveLength(12);
    expect(reach.filter((l) => l.includes('reached, as expected'))).toHaveLength(6);
    expect(reach.filter((l) => l.includes('no answer, as expected'))).toHaveLength(6);
    expect(demo.code).toBe(0);
  } finally {
    const out = await destroyAndStop(env, 'basic');
    expect(out).toContain('Destroy complete! Resources: 6 destroyed.');
    expect(out).toContain('0 finding(s)');
  }
  const manifest = join(env.MAESTRO_DEMO_DIR, 'lab', 'lab.json');
  expect(existsSync(manifest) ? readFileSync(manifest, 'utf8') : 'gone').toBe('gone');
});
