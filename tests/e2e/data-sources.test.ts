// E2E: maestro_servers, maestro_profiles and maestro_switch through the real terraform and engine daemon, touching no switch.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient } from '../../engine/src/api/client';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';
import { EngineProcess, PROVIDER, tempDir, TerraformWorkspace } from './harness';

jest.setTimeout(120_000);


const sims: Record<string, SwitchSimulator> = {};
let engine: EngineProcess;
let ws: TerraformWorkspace;

/** Sessions and commands every simulator has seen so far. */
const deviceTraffic = () => Object.values(sims).map((s) => ({ sessions: s.stats.sessions, commands: s.commandLog.length }));

/**
 * Two racks, a leaf each, four servers of two profiles. The BMC endpoints point
 * at a loopback port nothing listens on: importing and reading inventory never
 * contacts a BMC.
 */
function inventory(): string {
  const sw = (id: string, rack: string) =>
    `  - { id: ${id}, dialect: eos, endpoint: "127.0.0.1:${sims[id].port}", credentials: leaf-admin, host_key: "${sims[id].hostKeyFingerprint}", rack: ${rack}, role: leaf, ports: [Ethernet1-8] }`;
  const server = (id: string, profile: string, rack: string, nics: string[]) => [
    `  - id: ${id}`,
    `    serial: SN-${id}`,
    `    profile: ${profile}`,
    `    rack: ${rack}`,
    `    bmc: { driver: redfish, endpoint: "https://127.0.0.1:9", credentials: bmc-admin }`,
    '    nics:',
    ...nics,
    `    disks: [{ id: ${profile === 'general' ? 'sda, size_gb: 960, type: ssd' : 'nvme0, size_gb: 3840, type: nvme'} }]`,
  ];
  const nic = (name: string, mac: string, switchId: string, port: string) => `      - { name: ${name}, mac: "${mac}", switch: ${switchId}, port: ${port} }`;
  return [
    'credentials:',
    '  leaf-admin: { username: admin, password: lab-secret }',
    '  bmc-admin: { username: root, password: bmc-secret }',
    'sites:',
    '  - { id: lab1, racks: [r01, r02] }',
    'profiles:',
    '  general: { cpu_cores: 32, memory_gib: 128, nics: 1, disks: [{ size_gb: 960, type: ssd }] }',
    '  gpu-large: { cpu_cores: 64, memory_gib: 512, nics: 2, disks: [{ size_gb: 3840, type: nvme }] }',
    'segments:',
    '  quarantine: { vlan: 999 }',
    '  provisioning: { vlan: 998 }',
    'switches:',
    sw('leaf1', 'r01'),
    sw('leaf2', 'r02'),
    'servers:',
    ...server('r01-gen-01', 'general', 'r01', [nic('eth0', '52:54:00:00:01:01', 'leaf1', 'Ethernet1')]),
    ...server('r01-gpu-01', 'gpu-large', 'r01', [nic('eth0', '52:54:00:00:01:02', 'leaf1', 'Ethernet2'), nic('eth1', '52:54:00:00:01:03', 'leaf1', 'Ethernet3')]),
    ...server('r02-gen-01', 'general', 'r02', [nic('eth0', '52:54:00:00:02:01', 'leaf2', 'Ethernet1')]),
    ...server('r02-gen-02', 'general', 'r02', [nic('eth0', '52:54:00:00:02:02', 'leaf2', 'Ethernet2')]),
    '',
  ].join('\n');
}

beforeAll(async () => {
  for (const id of ['leaf1', 'leaf2']) {
    sims[id] = await startSwitchSimulator({ dialect: 'eos', hostname: id, ports: Array.from({ length: 8 }, (_, i) => `Ethernet${i + 1}`), username: 'admin', password: 'lab-secret', quarantineVlan: 999 });
  }
  const dir = tempDir('e2e-data');
  writeFileSync(join(dir, 'inventory.yaml'), inventory());
  engine = await EngineProcess.start(join(dir, 'data'), join(dir, 'inventory.yaml'));
  // Give the servers different lifecycle states (store only, no device involved).
  const client = EngineClient.fromDataDir(engine.dataDir);
  try {
    await client.allocateServer({ profile: 'general', owner: 'e2e-team', serverId: 'r02-gen-01' });
    await client.setServerState({ serverId: 'r01-gpu-01', state: 'maintenance', reason: 'fan failure' });
  } finally {
    client.close();
  }
  ws = await TerraformWorkspace.create(engine.env());
  ws.write(PROVIDER);
  await ws.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  await engine?.stop();
  for (const sim of Object.values(sims)) await sim.close();
});

const CONFIG = `${PROVIDER}
data "maestro_servers" "all" {}
data "maestro_servers" "general_available" {
  profile = "general"
  state   = "available"
}
data "maestro_servers" "rack2" {
  rack = "r02"
}
data "maestro_profiles" "all" {}
data "maestro_switch" "leaf1" {
  id = "leaf1"
}
output "all" { value = data.maestro_servers.all }
output "general_available" { value = data.maestro_servers.general_available.ids }
output "rack2" { value = data.maestro_servers.rack2.ids }
output "profiles" { value = data.maestro_profiles.all }
output "leaf1" { value = data.maestro_switch.leaf1 }
`;

test('plan and apply read the inventory into outputs, touching no switch', async () => {
  const before = deviceTraffic();
  ws.write(CONFIG);
  const plan = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  expect(plan.stdout).toMatch(/Changes to Outputs/);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  const out = JSON.parse((await ws.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: any }>;

  const all = out.all.value;
  expect(all.ids).toEqual(['r01-gen-01', 'r01-gpu-01', 'r02-gen-01', 'r02-gen-02']);
  expect(all.servers.map((s: any) => s.id)).toEqual(all.ids);
  expect(all.servers[1]).toEqual({
    id: 'r01-gpu-01', serial: 'SN-r01-gpu-01', profile: 'gpu-large', rack: 'r01', state: 'maintenance', state_reason: 'fan failure',
    owner: null, tenancy_id: null, needs_cleaning: false, bmc_driver: 'redfish', bmc_endpoint: 'https://127.0.0.1:9',
    nics: [{ name: 'eth0', mac: '52:54:00:00:01:02', switch: 'leaf1', port: 'Ethernet2' }, { name: 'eth1', mac: '52:54:00:00:01:03', switch: 'leaf1', port: 'Ethernet3' }],
    disks: [{ id: 'nvme0', size_gb: 3840, type: 'nvme' }],
  });
  expect(all.servers[2]).toMatchObject({ id: 'r02-gen-01', state: 'allocated', owner: 'e2e-team', needs_cleaning: true });
  expect(JSON.stringify(out)).not.toMatch(/bmc-secret|lab-secret|bmc-admin/);

  expect(out.general_available.value).toEqual(['r01-gen-01', 'r02-gen-02']);
  expect(out.rack2.value).toEqual(['r02-gen-01', 'r02-gen-02']);

  expect(out.profiles.value).toEqual({
    names: ['general', 'gpu-large'],
    profiles: [
      { name: 'general', cpu_cores: 32, memory_gib: 128, nics: 1, disks: [{ size_gb: 960, type: 'ssd' }], servers_total: 3, servers_available: 2 },
      { name: 'gpu-large', cpu_cores: 64, memory_gib: 512, nics: 2, disks: [{ size_gb: 3840, type: 'nvme' }], servers_total: 1, servers_available: 0 },
    ],
  });

  expect(out.leaf1.value).toEqual({
    id: 'leaf1', dialect: 'eos', description_max: 240, quarantine_vlan: 999,
    ports: Array.from({ length: 8 }, (_, i) => ({ name: `Ethernet${i + 1}`, owner: '' })),
  });

  // Nothing changes between reads: the next plan is empty.
  await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);
  expect(deviceTraffic()).toEqual(before);
});

describe('bad arguments fail at plan, naming the attribute, touching no switch', () => {
  // [case, config, expected error, where, whether `terraform validate` (no engine call) already refuses it]
  test.each([
    ['an unknown lifecycle state', 'data "maestro_servers" "bad" {\n  state = "running"\n}', /Invalid state[\s\S]*state = "running"[\s\S]*must be one of "available", "allocated", "provisioning", "active", "cleaning", "failed", "maintenance"/, /in data "maestro_servers" "bad"/, true],
    ['an unknown switch', 'data "maestro_switch" "bad" {\n  id = "spine9"\n}', /Unknown switch[\s\S]*id = "spine9"[\s\S]*no switch "spine9"[\s\S]*Known switches: leaf1, leaf2/, /in data "maestro_switch" "bad"/, false],
    ['a malformed switch id', 'data "maestro_switch" "bad" {\n  id = "Leaf1"\n}', /Invalid id[\s\S]*id = "Leaf1"[\s\S]*lowercase letters, digits and dashes/, /in data "maestro_switch" "bad"/, true],
  ])('%s', async (_name, body, expected, where, atValidate) => {
    const before = deviceTraffic();
    ws.write(`${PROVIDER}\n${body}\n`);
    expect((await ws.tf('validate', '-no-color')).code).toBe(atValidate ? 1 : 0);
    const res = await ws.tf('plan', '-input=false', '-no-color');
    expect(res.code).toBe(1);
    const stderr = res.stderr.replace(/\s+/g, ' '); // terraform wraps long details
    expect(stderr).toMatch(expected);
    expect(stderr).toMatch(where);
    expect(deviceTraffic()).toEqual(before);
  });
});
