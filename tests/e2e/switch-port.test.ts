// E2E: maestro_switch_port through the real terraform, the installed provider,
// the engine daemon and an EOS switch simulator.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { EngineProcess, PROVIDER, tempDir, TerraformWorkspace } from './harness';

jest.setTimeout(600_000);

const QUARANTINE: PortConfig = { mode: 'access', accessVlan: 999, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };

let sim: SwitchSimulator;
let engine: EngineProcess;


function portOn(name: string): PortConfig {
  return sim.state.port(name);
}

beforeAll(async () => {
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: Array.from({ length: 8 }, (_, i) => `Ethernet${i + 1}`), username: 'admin', password: 'lab-secret', quarantineVlan: 999 });
  const dir = tempDir('e2e-engine');
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(
    inventory,
    [
      'credentials:',
      '  leaf-admin: { username: admin, password: lab-secret }',
      'segments:',
      '  quarantine: { vlan: 999 }',
      '  provisioning: { vlan: 998 }',
      'switches:',
      '  - id: leaf1',
      '    dialect: eos',
      `    endpoint: 127.0.0.1:${sim.port}`,
      '    credentials: leaf-admin',
      `    host_key: "${sim.hostKeyFingerprint}"`,
      '    ports: [Ethernet1-8]',
      '',
    ].join('\n'),
  );
  engine = await EngineProcess.start(join(dir, 'data'), inventory);
});

afterAll(async () => {
  await engine?.stop();
  await sim?.close();
});

const BASE = `${PROVIDER}
resource "maestro_switch_port" "web" {
  switch      = "leaf1"
  port        = "Ethernet1"
  access_vlan = 110
  description = "web-01 eth0"
}
resource "maestro_switch_port" "uplink" {
  switch        = "leaf1"
  port          = "Ethernet2"
  mode          = "trunk"
  allowed_vlans = [120, 110]
  native_vlan   = 110
  mtu           = 9000
  description   = "uplink"
}
resource "maestro_switch_port" "spare" {
  switch      = "leaf1"
  port        = "Ethernet3"
  access_vlan = 120
  admin_state = "down"
}
`;

test('init, validate, plan, apply, no-op plan, update, drift, import, destroy', async () => {
  const ws = await TerraformWorkspace.create(engine.env());
  ws.write(BASE);
  await ws.ok(['init', '-input=false', '-no-color']);
  await ws.ok(['validate', '-no-color']);
  const commandsBeforePlan = sim.commandLog.length;
  const plan = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(plan.stdout).toMatch(/Plan: 3 to add, 0 to change, 0 to destroy/);
  expect(sim.commandLog.length).toBe(commandsBeforePlan); // planning new ports touches no device

  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(portOn('Ethernet1')).toEqual({ ...QUARANTINE, accessVlan: 110, description: 'web-01 eth0' });
  expect(portOn('Ethernet2')).toEqual({ mode: 'trunk', accessVlan: null, allowedVlans: [110, 120], nativeVlan: 110, mtu: 9000, description: 'uplink', adminState: 'up' });
  expect(portOn('Ethernet3')).toEqual({ ...QUARANTINE, accessVlan: 120, adminState: 'down' });
  expect(sim.state.vlans()).toEqual(expect.arrayContaining([110, 120]));
  expect(sim.state.savedMatchesRunning()).toBe(true);

  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // In-place update.
  ws.write(BASE.replace('"web-01 eth0"', '"web-01 eth0 (rack 4)"'));
  const update = await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(update.stdout).toMatch(/0 added, 1 changed, 0 destroyed/);
  expect(portOn('Ethernet1').description).toBe('web-01 eth0 (rack 4)');

  // Drift: someone moves the uplink's native VLAN and shuts it on the switch itself.
  await sim.runCommands(['configure', 'interface Ethernet2', 'switchport trunk native vlan 120', 'shutdown', 'end']);
  const drift = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(drift.stdout).toMatch(/native_vlan\s+= 120 -> 110/);
  expect(drift.stdout).toMatch(/admin_state\s+= "down" -> "up"/);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(portOn('Ethernet2')).toMatchObject({ nativeVlan: 110, adminState: 'up' });
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // Import: a port configured by hand is adopted.
  await sim.runCommands(['configure', 'vlan 130', 'exit', 'interface Ethernet5', 'switchport access vlan 130', 'description legacy db', 'end']);
  const withImport = `${BASE.replace('"web-01 eth0"', '"web-01 eth0 (rack 4)"')}
import {
  to = maestro_switch_port.legacy
  id = "leaf1/Ethernet5"
}
resource "maestro_switch_port" "legacy" {
  switch      = "leaf1"
  port        = "Ethernet5"
  access_vlan = 130
  description = "legacy db"
}
`;
  ws.write(withImport);
  const importPlan = await ws.ok(['plan', '-input=false', '-no-color'], 0);
  expect(importPlan.stdout).toMatch(/Plan: 1 to import, 0 to add, 0 to change, 0 to destroy/);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  const state = await ws.ok(['state', 'show', '-no-color', 'maestro_switch_port.legacy']);
  expect(state.stdout).toMatch(/id\s+= "leaf1\/Ethernet5"/);
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  // Destroy returns every port to quarantine.
  const destroy = await ws.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 4 destroyed/);
  for (const port of ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet5']) expect(portOn(port)).toEqual(QUARANTINE);
});

describe('bad input fails at plan, naming the attribute, with no device command', () => {
  let ws: TerraformWorkspace;
  beforeAll(async () => {
    ws = await TerraformWorkspace.create(engine.env());
    ws.write(PROVIDER);
    await ws.ok(['init', '-input=false', '-no-color']);
  });

  const cases: Array<[string, string, RegExp]> = [
    ['VLAN above 4094', 'access_vlan = 5000', /Invalid access_vlan[\s\S]*access_vlan = 5000/],
    ['VLAN 0', 'access_vlan = 0', /Invalid access_vlan/],
    ['trunk VLAN out of range', 'mode = "trunk"\n  allowed_vlans = [10, 4095]', /Invalid allowed_vlans[\s\S]*4095/],
    ['trunk field on an access port', 'access_vlan = 10\n  allowed_vlans = [10, 20]', /Invalid allowed_vlans[\s\S]*trunk ports only/],
    ['native VLAN on an access port', 'access_vlan = 10\n  native_vlan = 10', /Invalid native_vlan/],
    ['access VLAN on a trunk', 'mode = "trunk"\n  allowed_vlans = [10]\n  access_vlan = 10', /Invalid access_vlan[\s\S]*access ports only/],
    ['newline in description', 'access_vlan = 10\n  description = "a\\nb"', /Invalid description[\s\S]*control characters/],
    ['description over the EOS limit', `access_vlan = 10\n  description = "${'x'.repeat(241)}"`, /Invalid description[\s\S]*at most 240/],
    ['unknown switch', 'access_vlan = 10', /Invalid switch[\s\S]*spine9/],
    ['unknown port', 'access_vlan = 10', /Invalid port[\s\S]*Ethernet99/],
    ['bad mode', 'mode = "hybrid"\n  access_vlan = 10', /Invalid mode[\s\S]*"access", "trunk"/],
  ];

  test.each(cases)('%s', async (name, body, expected) => {
    const switchId = name === 'unknown switch' ? 'spine9' : 'leaf1';
    const port = name === 'unknown port' ? 'Ethernet99' : 'Ethernet4';
    ws.write(`${PROVIDER}\nresource "maestro_switch_port" "bad" {\n  switch = "${switchId}"\n  port   = "${port}"\n  ${body}\n}\n`);
    const before = sim.commandLog.length;
    const res = await ws.tf('plan', '-input=false', '-no-color');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(expected);
    expect(res.stderr).toMatch(/in resource "maestro_switch_port" "bad"/);
    expect(sim.commandLog.length).toBe(before);
  });
});
