// The simulated lab (no root): topology validation, switches and BMCs reachable
// with the credentials and pins the manifest records, a complete inventory, the
// BMCs' installer, and lab up/down as processes.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { createRedfishDriver } from '../../engine/src/drivers/bmc/redfish';
import { startLab, type Lab } from '../../lab/src/lab';
import { loadTopology } from '../../lab/src/topology';
import { REPO, run } from '../e2e/harness';

const TOPOLOGY = `
segments: { quarantine: { vlan: 999 }, provisioning: { vlan: 998 } }
switches:
  - { id: leaf1, dialect: eos, ports: [Ethernet1-4] }
  - { id: leaf2, dialect: nxos, ports: [Ethernet1/1-4] }
servers:
  - id: web1
    nics: [{ name: eth0, switch: leaf1, port: Ethernet1 }, { name: eth1, switch: leaf2, port: Ethernet1/1 }]
    disks: [{ id: Disk.0, size_gib: 100 }, { id: Disk.1, size_gib: 200 }]
`;

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `maestro-lab-${name}-`));

function topologyFile(text: string): string {
  const file = join(tmp('topo'), 'topology.yaml');
  writeFileSync(file, text);
  return file;
}

test('topology problems are all reported with their paths', () => {
  const bad = TOPOLOGY.replace('port: Ethernet1 }', 'port: Ethernet9 }').replace('switch: leaf2', 'switch: spine1').replace('dialect: nxos', 'dialect: junos');
  expect(() => loadTopology(topologyFile(bad))).toThrow(/switches\.1\.dialect: no simulator for this dialect/);
  const crossRefs = TOPOLOGY.replace('port: Ethernet1 }', 'port: Ethernet9 }').replace('switch: leaf2', 'switch: spine1');
  let message = '';
  try {
    loadTopology(topologyFile(crossRefs));
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toContain('servers.0.nics.0.port: switch leaf1 has no port "Ethernet9"');
  expect(message).toContain('servers.0.nics.1.switch: no switch "spine1"');
});

describe('a running simulated lab', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    dir = tmp('run');
    lab = await startLab(loadTopology(topologyFile(TOPOLOGY)), dir);
  });
  afterAll(() => lab?.close());

  test('every switch answers with the credentials and host key of the inventory', async () => {
    const inventory = parse(readFileSync(lab.manifest.inventory_file, 'utf8'));
    const creds = inventory.credentials['lab-switch'];
    for (const entry of inventory.switches) {
      const [host, port] = entry.endpoint.split(':');
      const driver = await connectSwitch({ id: entry.id, dialect: entry.dialect, host, port: Number(port), username: creds.username, password: creds.password, hostKeyFingerprint: entry.host_key });
      const first = entry.id === 'leaf1' ? 'Ethernet1' : 'Ethernet1/1';
      const ports = await driver.readPorts([first]);
      await driver.close();
      expect(ports.get(first)).toMatchObject({ mode: 'access', accessVlan: 999 });
    }
  });

  test('the written inventory imports into an engine data dir, servers included', async () => {
    const res = await run(join(REPO, 'bin/maestro'), ['inventory', 'import', lab.manifest.inventory_file, '--data-dir', tmp('engine')]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/imported 2 switch\(es\).*1 server\(s\)/);
    const inventory = parse(readFileSync(lab.manifest.inventory_file, 'utf8'));
    expect(inventory.servers[0]).toMatchObject({ id: 'web1', profile: 'lab', rack: 'rack1', bmc: { driver: 'redfish', tls_pin: lab.manifest.servers[0].bmc.fingerprint_sha256 } });
    expect(inventory.servers[0].nics.map((n: { mac: string }) => n.mac)).toEqual(lab.manifest.servers[0].nics.map((n) => n.mac));
    // Complete for instances: an image, a tenancy pool (the default one, as the topology lists none), no OS access in simulator mode.
    expect(inventory.images).toEqual({ 'debian-12': { url: 'https://127.0.0.1/images/debian-12.iso', install_timeout_s: 120 } });
    expect(inventory.segments.pools).toEqual([{ name: 'tenants', vlan_range: [100, 199], vni_range: [10100, 10199], supernet: '198.19.0.0/16', tenancy_prefix: 24 }]);
    expect(inventory.servers[0].os).toBeUndefined();
  });

  test('a power on from the inserted image runs the installer, which powers the server off; the one-time boot override is used up', async () => {
    const [server] = lab.manifest.servers;
    const bmc = createRedfishDriver({ endpoint: server.bmc.endpoint, username: server.bmc.username, password: server.bmc.password, tls: { fingerprintSha256: server.bmc.fingerprint_sha256 }, pollIntervalMs: 50 });
    const image = parse(readFileSync(lab.manifest.inventory_file, 'utf8')).images['debian-12'].url;
    try {
      await bmc.virtualMedia.insertMedia(image);
      await bmc.boot.setBootOverride('Cd', 'Once');
      await bmc.power.setPower('On');
      expect(await bmc.boot.getBootOverride()).toMatchObject({ device: 'Cd', persistence: 'Disabled' });
      for (let waited = 0; waited < 5000 && (await bmc.power.getPowerState()) !== 'Off'; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(await bmc.power.getPowerState()).toBe('Off');
      expect(lab.bmcs.get('web1')!.state.installs).toEqual([expect.objectContaining({ image, outcome: 'installed' })]);
      await bmc.virtualMedia.ejectMedia();
    } finally {
      await bmc.close();
    }
  });

  test('every server has a BMC, pinned by fingerprint, reporting the manifest MACs and disks, powered off', async () => {
    const [server] = lab.manifest.servers;
    const bmc = createRedfishDriver({ endpoint: server.bmc.endpoint, username: server.bmc.username, password: server.bmc.password, tls: { fingerprintSha256: server.bmc.fingerprint_sha256 } });
    const inventory = await bmc.inventory.getInventory();
    await bmc.close();
    expect(inventory.powerState).toBe('Off');
    expect(inventory.nics.map((n) => n.mac)).toEqual(server.nics.map((n) => n.mac));
    expect(inventory.drives.map((d) => d.id)).toEqual(['Disk.0', 'Disk.1']);
    expect(new Set(server.nics.map((n) => n.mac)).size).toBe(2);
  });
});

test('maestro lab up starts a background lab; lab down stops it and leaves no process', async () => {
  const dir = tmp('cli');
  // bin/maestro runs the compiled CLI: the test command builds dist/ first.
  const up = await run(join(REPO, 'bin/maestro'), ['lab', 'up', '--dir', dir, '--topology', topologyFile(TOPOLOGY)]);
  expect(up.code).toBe(0);
  const manifest = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
  expect(up.stdout).toContain(`server web1 BMC ${manifest.servers[0].bmc.endpoint}`);
  expect(() => process.kill(manifest.pid, 0)).not.toThrow();
  expect((await run(join(REPO, 'bin/maestro'), ['lab', 'down', '--dir', dir])).code).toBe(0);
  expect(() => process.kill(manifest.pid, 0)).toThrow();
  expect(existsSync(join(dir, 'lab.json'))).toBe(false);
});
