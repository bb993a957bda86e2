// E2E: terraform's provider starts served by the provider host (provider-shim/src/plugin/host.ts):
// one warm host across commands, every step a session of its own that sees the device as it is
// now, parallel commands, and the host turned off.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../../lab/src/lab';
import { loadTopology } from '../../lab/src/topology';
import { EngineProcess, PROVIDER, run as runCommand, tempDir, TERRAFORM, TerraformWorkspace } from './harness';

jest.setTimeout(300_000);

let lab: Lab;
let engine: EngineProcess;
let ws: TerraformWorkspace;
/** The workspace's own XDG_RUNTIME_DIR, so its own provider host. */
let runtimeDir: string;

const CONFIG = `${PROVIDER}
resource "maestro_switch_port" "p" {
  count       = 2
  switch      = "leaf1"
  port        = "Ethernet\${count.index + 1}"
  access_vlan = 100
  description = "port \${count.index}"
}
`;

beforeAll(async () => {
  const dir = tempDir('provider-host');
  runtimeDir = join(dir, 'run');
  const topology = join(dir, 'topology.yaml');
  writeFileSync(topology, ['segments: { quarantine: { vlan: 999 }, provisioning: { vlan: 998 } }', 'switches:', '  - { id: leaf1, dialect: eos, ports: [Ethernet1-4] }', ''].join('\n'));
  lab = await startLab(loadTopology(topology), join(dir, 'lab'));
  engine = await EngineProcess.start(join(dir, 'engine'), lab.manifest.inventory_file);
  ws = await TerraformWorkspace.create({ ...engine.env(), XDG_RUNTIME_DIR: runtimeDir });
  ws.write(CONFIG);
  await ws.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  const pid = hostPid();
  if (pid !== null) process.kill(pid, 'SIGTERM');
  await engine?.stop();
  await lab?.close();
});

function hostPid(): number | null {
  const base = join(runtimeDir, 'maestro');
  const hosts = readdirSync(base).filter((n) => n.startsWith('host-'));
  try {
    return Number(readFileSync(join(base, hosts[0], 'pid'), 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** Provider log lines terraform relays under TF_LOG=debug that only a host session writes. */
const hostSessions = (log: string) => log.split('\n').filter((line) => line.includes('plugin session ended')).length;

test('apply and plan: every provider start of both commands is a session of one warm host', async () => {
  const apply = await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(apply.stdout).toMatch(/Apply complete! Resources: 2 added/);
  const host = hostPid();
  expect(host).not.toBeNull();
  const plan = await ws.tf('plan', '-input=false', '-no-color', '-detailed-exitcode');
  expect(plan.code).toBe(0);
  expect(hostPid()).toBe(host);
  const debug = await run({ TF_LOG: 'debug' }, 'plan', '-input=false', '-no-color', '-detailed-exitcode');
  expect(debug.code).toBe(0);
  // Terraform starts the provider three times for a plan: schema, validate, plan.
  expect(hostSessions(debug.stderr)).toBe(3);
  expect(debug.stderr).not.toMatch(/failed to exit gracefully/);
});

test('a session sees the device as it is now: drift made by hand right after a command shows in the next', async () => {
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  await lab.switches.get('leaf1')!.runCommands(['configure', 'interface Ethernet2', 'description changed by hand', 'end']);
  const plan = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(plan.stdout).toMatch(/description\s+= "changed by hand" -> "port 1"/);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);
});

test('two plans at once both succeed (one is served by the host, the other runs node itself), and so does a plan with the host off', async () => {
  const [a, b] = await Promise.all([
    run({ TF_LOG: 'debug' }, 'plan', '-input=false', '-no-color', '-detailed-exitcode', '-lock=false'),
    run({ TF_LOG: 'debug' }, 'plan', '-input=false', '-no-color', '-detailed-exitcode', '-lock=false'),
  ]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(hostSessions(a.stderr) + hostSessions(b.stderr)).toBeGreaterThanOrEqual(1); // the host was idle when both started
  const off = await run({ TF_LOG: 'debug', MAESTRO_PROVIDER_HOST: 'off' }, 'plan', '-input=false', '-no-color', '-detailed-exitcode');
  expect(off.code).toBe(0);
  expect(hostSessions(off.stderr)).toBe(0);
});

/** terraform in the workspace with `env` added to its environment. */
function run(env: Record<string, string>, ...args: string[]) {
  return runCommand(TERRAFORM, args, { cwd: ws.dir, env: { ...ws.env, ...env } });
}
