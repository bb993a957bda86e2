// E2E: maestro_tenancy (resource and data source) through the real terraform, the installed provider, the engine
// daemon and two EOS leaf simulators: VLANs named on both leaves, a clean re-plan, an in-place description update, a
// clash failing at plan with no device command, lookup by name, import by name, and destroy clearing every leaf.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';
import { EngineProcess, PROVIDER, tempDir, TerraformWorkspace } from './harness';

jest.setTimeout(120_000);


const sims: Record<string, SwitchSimulator> = {};
const leaves = () => Object.values(sims);
const commands = () => leaves().reduce((n, s) => n + s.commandLog.length, 0);
let engine: EngineProcess;
let ws: TerraformWorkspace;

beforeAll(async () => {
  for (const id of ['leaf1', 'leaf2']) {
    sims[id] = await startSwitchSimulator({ dialect: 'eos', hostname: id, ports: ['Ethernet1', 'Ethernet2'], username: 'admin', password: 'lab-secret', quarantineVlan: 999 });
  }
  const sw = (id: string, rack: string) =>
    `  - { id: ${id}, dialect: eos, endpoint: "127.0.0.1:${sims[id].port}", credentials: leaf-admin, host_key: "${sims[id].hostKeyFingerprint}", rack: ${rack}, role: leaf, ports: [Ethernet1-2] }`;
  const dir = tempDir('e2e-tenancy');
  writeFileSync(join(dir, 'inventory.yaml'), [
    'credentials:',
    '  leaf-admin: { username: admin, password: lab-secret }',
    'sites: [{ id: lab1, racks: [r01, r02] }]',
    'segments:',
    '  quarantine: { vlan: 999 }',
    '  pools: [{ name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]',
    'switches:',
    sw('leaf1', 'r01'),
    sw('leaf2', 'r02'),
    '',
  ].join('\n'));
  engine = await EngineProcess.start(join(dir, 'data'), join(dir, 'inventory.yaml'));
  ws = await TerraformWorkspace.create(engine.env());
  ws.write(PROVIDER);
  await ws.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  await engine?.stop();
  for (const sim of leaves()) await sim.close();
});

const tenancies = (webDescription: string) => `${PROVIDER}
resource "maestro_tenancy" "web" {
  name        = "web"
  description = "${webDescription}"
  vlan_id     = 150
  cidr        = "10.64.20.0/24"
}
resource "maestro_tenancy" "db" {
  name = "db"
}
data "maestro_tenancy" "web" {
  name       = maestro_tenancy.web.name
  depends_on = [maestro_tenancy.web]
}
output "web" { value = maestro_tenancy.web }
output "db" { value = maestro_tenancy.db }
output "found" { value = data.maestro_tenancy.web }
`;

test('apply, no-op plan, update in place, clash at plan, import by name, destroy', async () => {
  ws.write(tenancies('web tier'));
  const plan = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(plan.stdout).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy/);
  expect(plan.stdout).toMatch(/vlan_id\s+= 150/);
  expect(plan.stdout).toMatch(/gateway\s+= "10\.64\.20\.1"/);
  expect(plan.stdout).toMatch(/vni\s+= \(known after apply\)/);

  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  const out = JSON.parse((await ws.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: any }>;
  expect(out.web.value).toMatchObject({ name: 'web', description: 'web tier', vlan_id: 150, cidr: '10.64.20.0/24', gateway: '10.64.20.1', mtu: 1500, id: expect.stringMatching(/^tn-/) });
  expect(out.db.value).toMatchObject({ name: 'db', description: '', vlan_id: 100, vni: expect.any(Number), cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500 });
  expect(out.found.value).toEqual({ name: 'web', id: out.web.value.id, description: 'web tier', vlan_id: 150, vni: out.web.value.vni, cidr: '10.64.20.0/24', gateway: '10.64.20.1', mtu: 1500 });
  for (const sim of leaves()) {
    expect(sim.state.vlanName(150)).toBe('tenancy-web');
    expect(sim.state.vlanName(100)).toBe('tenancy-db');
    expect(sim.state.savedMatchesRunning()).toBe(true);
  }
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // A description change is an in-place update that touches no switch.
  let before = commands();
  ws.write(tenancies('web tier v2'));
  const update = await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(update.stdout).toMatch(/0 added, 1 changed, 0 destroyed/);
  expect(commands()).toBe(before);
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // A VLAN another tenancy holds fails at plan, on vlan_id, with no device command.
  before = commands();
  ws.write(`${tenancies('web tier v2')}
resource "maestro_tenancy" "clash" {
  name    = "clash"
  vlan_id = 150
}
`);
  const clash = await ws.tf('plan', '-input=false', '-no-color');
  expect(clash.code).toBe(1);
  const stderr = clash.stderr.replace(/\s+/g, ' ');
  expect(stderr).toMatch(/Invalid vlan_id .*vlan_id = 150 .*150 from VLAN pool tenants 100-199 is already allocated to tenancy "web"/);
  expect(stderr).toMatch(/with maestro_tenancy\.clash/);
  expect(commands()).toBe(before);

  // Import by name: the state is dropped, then adopted again.
  ws.write(tenancies('web tier v2'));
  await ws.ok(['state', 'rm', '-no-color', 'maestro_tenancy.db']);
  ws.write(`${tenancies('web tier v2')}
import {
  to = maestro_tenancy.db
  id = "name:db"
}
`);
  const imported = await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(imported.stdout).toMatch(/1 imported, 0 added, 0 changed, 0 destroyed/);
  expect((await ws.ok(['state', 'show', '-no-color', 'maestro_tenancy.db'])).stdout).toMatch(new RegExp(`id\\s+= "${out.db.value.id}"`));
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  const destroy = await ws.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 2 destroyed/);
  for (const sim of leaves()) {
    expect(sim.state.vlans()).not.toContain(150);
    expect(sim.state.vlans()).not.toContain(100);
    expect(sim.state.savedMatchesRunning()).toBe(true);
  }
});

test('a trunk switch_port carries a tenancy by tenancy_ids: VLAN on the port, clean re-plan, destroy port then tenancy', async () => {
  ws.write(`${PROVIDER}
resource "maestro_tenancy" "app" {
  name    = "app"
  vlan_id = 170
}
resource "maestro_switch_port" "uplink" {
  switch        = "leaf1"
  port          = "Ethernet2"
  mode          = "trunk"
  allowed_vlans = [120]
  tenancy_ids   = [maestro_tenancy.app.id]
}
`);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(sims.leaf1.state.port('Ethernet2')).toMatchObject({ mode: 'trunk', allowedVlans: [120, 170] });
  const shown = (await ws.ok(['state', 'show', '-no-color', 'maestro_switch_port.uplink'])).stdout;
  expect(shown).toMatch(/tenancy_ids\s+= \[\s*"tn-[0-9a-f]{12}",?\s*\]/);
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // The tenancy's VLAN removed by hand: its id drops out of the state, the plan shows it, apply puts it back.
  sims.leaf1.state.setPort('Ethernet2', { ...sims.leaf1.state.port('Ethernet2'), allowedVlans: [120] });
  const drift = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(drift.stdout).toMatch(/maestro_switch_port\.uplink will be updated in-place/);
  expect(drift.stdout).toMatch(/\+ "tn-[0-9a-f]{12}"/);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(sims.leaf1.state.port('Ethernet2').allowedVlans).toEqual([120, 170]);
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  const destroy = await ws.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 2 destroyed/);
  expect(destroy.stdout.indexOf('maestro_switch_port.uplink: Destruction complete')).toBeLessThan(destroy.stdout.indexOf('maestro_tenancy.app: Destruction complete'));
  expect(sims.leaf1.state.port('Ethernet2')).toMatchObject({ mode: 'access', accessVlan: 999 });
  for (const sim of leaves()) expect(sim.state.vlans()).not.toContain(170);
});
