// E2E: maestro_server_instance through the real terraform, the installed provider (dist/), the engine daemon and the
// simulated lab (two EOS leaves, three Redfish BMCs with the installer model; no OS access, so OS configuration is
// skipped). A tenancy and two instances in one apply, a clean re-plan, a bad image failing at plan on its attribute, a
// server powered off out of band planned as an in-place power_state change that the apply repairs, a port moved to
// quarantine on the switch planned as a tenancy_id change that the apply repairs, destroy returning
// the servers to `available` and their ports to quarantine; then Ctrl-C during an install, which the engine undoes
// (no instance in state or engine, server available). Needs `npx tsc -p tsconfig.json` first.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { EngineClient } from '../../engine/src/api/client';
import { createRedfishDriver } from '../../engine/src/drivers/bmc/redfish';
import { startLab, type Lab } from '../../lab/src/lab';
import { loadTopology } from '../../lab/src/topology';
import { EngineProcess, PROVIDER, REPO, tempDir, TERRAFORM, TerraformWorkspace } from './harness';

jest.setTimeout(300_000);

const QUARANTINE = 999;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILp951dLiajMKxuL1k/G7mUxn6kOmxBYAREaL3GL/uAN alice@laptop';

let lab: Lab;
let engine: EngineProcess;
let ws: TerraformWorkspace;
let client: EngineClient;

beforeAll(async () => {
  const dir = tempDir('e2e-instance');
  lab = await startLab(loadTopology(join(REPO, 'lab/topologies/demo.yaml')), join(dir, 'lab'));
  // Lab-speed BMC polling: the simulated installer finishes in 300 ms.
  engine = await EngineProcess.start(join(dir, 'engine'), lab.manifest.inventory_file, ['--bmc-poll-ms', '100']);
  client = EngineClient.fromDataDir(engine.dataDir);
  ws = await TerraformWorkspace.create(engine.env());
  ws.write(PROVIDER);
  await ws.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  await engine?.stop();
  await lab?.close();
});

const config = (extra = '') => `${PROVIDER}
resource "maestro_tenancy" "web" {
  name = "web"
}
resource "maestro_server_instance" "web" {
  count               = 2
  tenancy_id          = maestro_tenancy.web.id
  profile             = "lab"
  image               = "debian-12"
  hostname            = "web-\${count.index + 1}"
  ssh_authorized_keys = ["${KEY}"]
}
output "web" { value = maestro_server_instance.web }
output "tenancy" { value = maestro_tenancy.web }
${extra}`;

function bmcOf(serverId: string) {
  const { bmc } = lab.manifest.servers.find((s) => s.id === serverId)!;
  return createRedfishDriver({ endpoint: bmc.endpoint, username: bmc.username, password: bmc.password, tls: { fingerprintSha256: bmc.fingerprint_sha256 } });
}

const plan = (expected: number) => ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], expected);
const apply = () => ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);

test('apply a tenancy and two instances, no-op plan, plan-time refusal, power and port drift repaired, destroy', async () => {
  ws.write(config());
  const first = await plan(2);
  expect(first.stdout).toMatch(/Plan: 3 to add, 0 to change, 0 to destroy/);
  expect(first.stdout).toMatch(/power_state\s+= "on"/);
  expect(first.stdout).toMatch(/hostname\s+= "web-1"/);
  expect(first.stdout).toMatch(/ip_address\s+= \(known after apply\)/);

  await apply();
  const out = JSON.parse((await ws.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: any }>;
  const web = out.web.value as Array<Record<string, any>>;
  const tenancy = out.tenancy.value;
  expect(web).toHaveLength(2);
  const servers = web.map((i) => i.server_id as string);
  expect(new Set(servers).size).toBe(2);
  const subnet = (tenancy.cidr as string).split('.').slice(0, 3).join('.');
  for (const [n, i] of web.entries()) {
    expect(i).toMatchObject({
      id: expect.stringMatching(/^in-[0-9a-f]{12}$/), tenancy_id: tenancy.id, profile: 'lab', image: 'debian-12', hostname: `web-${n + 1}`,
      ssh_authorized_keys: [KEY], power_state: 'on', secure_erase_on_delete: true, state: 'active', user_data: null,
      ip_address: expect.stringMatching(new RegExp(`^${subnet.replace(/\./g, '\\.')}\\.\\d+$`)),
      bmc_endpoint: lab.manifest.servers.find((s) => s.id === i.server_id)!.bmc.endpoint,
    });
    const cabled = lab.manifest.servers.find((s) => s.id === i.server_id)!.nics;
    expect(i.switch_ports).toEqual(cabled.map((c) => `${c.switch}/${c.port}`));
    expect(i.mac_addresses.map((m: string) => m.toLowerCase())).toEqual(cabled.map((c) => c.mac.toLowerCase()));
    // Installed from the image, booted from disk, on, and every cabled port in the tenancy VLAN.
    const sim = lab.bmcs.get(i.server_id)!;
    expect(sim.state.installs).toEqual([expect.objectContaining({ image: expect.stringContaining('debian-12'), outcome: 'installed' })]);
    expect(sim.state.powerState).toBe('On');
    for (const c of cabled) expect(lab.switches.get(c.switch)!.state.port(c.port)).toMatchObject({ mode: 'access', accessVlan: tenancy.vlan_id });
  }
  expect(new Set(web.map((i) => i.ip_address)).size).toBe(2);
  await plan(0);

  // An image the inventory lacks fails at plan, on image, and no BMC is asked anything (no refresh: it observes BMCs).
  const requests = () => [...lab.bmcs.values()].reduce((n, b) => n + b.requestLog.length, 0);
  const before = requests();
  ws.write(config(`
resource "maestro_server_instance" "bad" {
  tenancy_id = maestro_tenancy.web.id
  profile    = "lab"
  image      = "debian-13"
}
`));
  const bad = await ws.tf('plan', '-input=false', '-no-color', '-refresh=false');
  expect(bad.code).toBe(1);
  const stderr = bad.stderr.replace(/\s+/g, ' ');
  expect(stderr).toMatch(/Invalid image .*debian-13/);
  expect(stderr).toMatch(/with maestro_server_instance\.bad/);
  expect(requests()).toBe(before);
  ws.write(config());

  // Power one server off behind terraform's back, through its BMC.
  const victim = servers[0];
  const bmc = bmcOf(victim);
  try {
    await bmc.power.setPower('ForceOff');
  } finally {
    await bmc.close();
  }
  expect(lab.bmcs.get(victim)!.state.powerState).toBe('Off');
  const drift = await plan(2);
  expect(drift.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  expect(drift.stdout).toMatch(/~ power_state\s+= "off" -> "on"/);
  expect(drift.stdout).toMatch(/maestro_server_instance\.web\[0\] will be updated in-place/);
  const repaired = await apply();
  expect(repaired.stdout).toMatch(/0 added, 1 changed, 0 destroyed/);
  expect(lab.bmcs.get(victim)!.state.powerState).toBe('On');
  await plan(0);

  // Move the other instance's port back to quarantine on the switch: a tenancy_id change, repaired in place.
  const moved = lab.manifest.servers.find((s) => s.id === servers[1])!.nics[0];
  const leaf = lab.switches.get(moved.switch)!.state;
  leaf.setPort(moved.port, { ...leaf.port(moved.port), accessVlan: QUARANTINE });
  const portDrift = await plan(2);
  // Terraform renders the change from "" (ports in no tenancy) like an addition.
  expect(portDrift.stdout).toMatch(new RegExp(`[~+] tenancy_id\\s+= (?:"" -> )?"${tenancy.id}"`));
  expect(portDrift.stdout).toMatch(/maestro_server_instance\.web\[1\] will be updated in-place/);
  expect(portDrift.stdout.replace(/\s+/g, ' ')).toMatch(new RegExp(`${moved.switch}/${moved.port}.*VLAN ${QUARANTINE}`));
  await apply();
  expect(leaf.port(moved.port).accessVlan).toBe(tenancy.vlan_id);
  await plan(0);

  const destroy = await ws.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 3 destroyed/);
  const inventory = await client.listServers();
  for (const id of servers) {
    expect(inventory.find((s) => s.id === id)).toMatchObject({ state: 'available' });
    expect(lab.bmcs.get(id)!.state.powerState).toBe('Off');
    for (const nic of lab.manifest.servers.find((s) => s.id === id)!.nics) {
      expect(lab.switches.get(nic.switch)!.state.port(nic.port)).toMatchObject({ mode: 'access', accessVlan: QUARANTINE });
    }
  }
  expect(await client.listInstances()).toEqual([]);
});

/** Polls `probe` until it returns true (engine compensation runs after terraform has exited). */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('Ctrl-C while the image installs cancels the create: the engine undoes it and nothing is left', async () => {
  const sim = lab.bmcs.get('db1')!;
  sim.state.installFault = 'hang';
  ws.write(`${PROVIDER}
resource "maestro_tenancy" "web" {
  name = "web"
}
resource "maestro_server_instance" "db" {
  tenancy_id = maestro_tenancy.web.id
  profile    = "lab"
  server_id  = "db1"
  image      = "debian-12"
}
`);
  const child = spawn(TERRAFORM, ['apply', '-input=false', '-no-color', '-auto-approve'], { cwd: ws.dir, env: ws.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  try {
    await eventually('installing', async () => sim.state.installs.some((i) => i.outcome === 'running'));
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(1);
  const text = output.replace(/\s+/g, ' ');
  expect(text).toMatch(/Error: Instance create cancelled/);
  expect(text).toMatch(/Terraform asked the provider to stop \(Ctrl-C\)\. The engine cancels its instance\.create job, which undoes every step it completed/);
  expect((await ws.ok(['state', 'list', '-no-color'])).stdout.trim().split('\n')).toEqual(['maestro_tenancy.web']);

  await eventually('undone', async () => (await client.listInstances()).length === 0);
  await eventually('available', async () => (await client.listServers()).find((s) => s.id === 'db1')?.state === 'available');
  expect(sim.state.installs.at(-1)!.outcome).toBe('interrupted');
  expect(sim.state.powerState).toBe('Off');
  for (const nic of lab.manifest.servers.find((s) => s.id === 'db1')!.nics) {
    expect(lab.switches.get(nic.switch)!.state.port(nic.port)).toMatchObject({ accessVlan: QUARANTINE });
  }
  sim.state.installFault = undefined;
  await ws.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
});
