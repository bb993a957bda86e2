// Integration (root): the netns lab's inventory is complete (an engine serving it lists its servers, images and OS access), and its BMCs' installer writes the image marker onto the server's first disk, which secure erase removes.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { BmcDriver } from '../../engine/src/drivers/bmc/bmc';
import { openSqliteStore } from '../../engine/src/store/sqlite';
import type { NetnsLabManifest } from '../../lab/src/netns/netns-lab';
import { netnsPids } from '../../lab/src/netns/processes';
import { describeAsRoot, inNetns, labBmc, maestro, NEEDS_ROOT, netnsLabDown, netnsLabUp, REPO } from './netns-harness';

const IMAGE = 'https://198.18.40.1/images/debian-12.iso';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeAsRoot(`netns lab: a complete inventory, the BMC installer${NEEDS_ROOT}`, () => {
  let dir: string;
  let lab: NetnsLabManifest;
  let inventory: any;
  const bmcs: BmcDriver[] = [];
  const server = (id: string) => lab.servers.find((s) => s.id === id)!;

  const bmc = (id: string) => {
    const driver = labBmc(lab, id);
    bmcs.push(driver);
    return driver;
  };

  beforeAll(async () => {
    ({ dir, lab } = await netnsLabUp('netns-inventory', 40));
    inventory = parse(readFileSync(lab.inventory_file, 'utf8'));
  });

  afterAll(async () => {
    await Promise.allSettled(bmcs.map((d) => d.close()));
    await netnsLabDown(dir);
  });

  test('the inventory describes every server completely: site and racks, profile, image, pool, BMC, cabling, disks, OS access', () => {
    expect(inventory.sites).toEqual([{ id: 'lab', racks: ['rack1', 'rack2'] }]);
    expect(Object.keys(inventory.profiles)).toEqual(['lab']);
    expect(inventory.images).toEqual({ 'debian-12': { url: IMAGE, install_timeout_s: 120 } });
    expect(inventory.segments.pools).toEqual([{ name: 'tenants', vlan_range: [100, 199], vni_range: [10100, 10199], supernet: '198.19.0.0/16', tenancy_prefix: 24 }]);
    expect(inventory.credentials['lab-server']).toEqual({ username: 'root', password: lab.servers[0].ssh.password, private_key: readFileSync(lab.servers[0].ssh.private_key_file, 'utf8') });
    const db1 = server('db1');
    expect(inventory.servers.find((s: { id: string }) => s.id === 'db1')).toEqual({
      id: 'db1', serial: 'LAB-DB1', profile: 'lab', rack: 'rack1',
      bmc: { driver: 'redfish', endpoint: db1.bmc.endpoint, credentials: 'lab-bmc', tls_pin: db1.bmc.fingerprint_sha256 },
      nics: [{ name: 'eth0', mac: db1.nics[0].mac, switch: 'leaf1', port: 'swp2' }],
      disks: [{ id: 'Disk.0', size_gb: 515, type: 'ssd' }, { id: 'Disk.1', size_gb: 2062, type: 'ssd' }],
      os: { endpoint: db1.ssh.endpoint, credentials: 'lab-server', host_key: db1.ssh.host_key, interface: 'eth0', root_dir: db1.disks[0].dir },
    });
  });

  test('maestro engine serve --inventory imports it: servers listed with their cabling, images and OS access stored', async () => {
    const dataDir = join(dir, 'engine');
    const serve: ChildProcess = spawn(process.execPath, [join(REPO, 'dist/engine/src/cli/main.js'), 'engine', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--inventory', lab.inventory_file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    serve.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    try {
      for (let waited = 0; waited < 30_000 && !existsSync(join(dataDir, 'engine.json')) && serve.exitCode === null; waited += 100) await sleep(100);
      if (!existsSync(join(dataDir, 'engine.json'))) throw new Error(`the engine did not start serving; its log:\n${log}`);
      const list = await maestro(['servers', 'list', '--data-dir', dataDir, '--json']);
      expect(list).toMatchObject({ code: 0, stderr: '' });
      const servers = JSON.parse(list.stdout) as Array<{ id: string; profile: string; rack: string; state: string; nics: Array<{ name: string; cabledTo?: { switchId: string; port: string } }> }>;
      expect(servers.map((s) => s.id).sort()).toEqual(['db1', 'db2', 'web1', 'web2']);
      for (const s of servers) {
        const cabled = server(s.id).nics[0];
        expect(s).toMatchObject({ profile: 'lab', state: 'available', nics: [{ name: 'eth0', cabledTo: { switchId: cabled.leaf, port: cabled.port } }] });
      }
    } finally {
      serve.kill('SIGTERM');
      await exited;
    }
    const store = openSqliteStore(join(dataDir, 'maestro.db'));
    try {
      expect(await store.listImages()).toEqual([{ name: 'debian-12', url: IMAGE, installTimeoutS: 120 }]);
      const web2 = server('web2');
      expect((await store.allocation.getServer('web2'))?.os).toEqual({ endpoint: web2.ssh.endpoint, credentialsRef: 'lab-server', hostKey: web2.ssh.host_key, interface: 'eth0', rootDir: web2.disks[0].dir });
    } finally {
      await store.close();
    }
  });

  test('an install through the BMC: no sshd while the installer runs, the marker on the first disk, sshd off after the installer powers off; a secure erase removes the marker', async () => {
    const db1 = server('db1');
    const [disk0, disk1] = db1.disks;
    const driver = bmc('db1');
    writeFileSync(join(disk0.dir, 'old-os'), 'replaced by the install');
    writeFileSync(join(disk1.dir, 'data'), 'kept: the installer formats only the first disk');
    await driver.power.setPower('ForceOff');
    await driver.virtualMedia.insertMedia(IMAGE);
    await driver.boot.setBootOverride('Cd', 'Once');
    await driver.power.setPower('On');
    // The installer runs: links up, nothing listening, the one-time override used up.
    expect(await netnsPids(db1.netns)).toEqual([]);
    expect(inNetns(db1.netns, 'ip', '-o', 'link', 'show', 'up').stdout).toMatch(/eth0/);
    expect(await driver.boot.getBootOverride()).toMatchObject({ device: 'Cd', persistence: 'Disabled' });

    for (let waited = 0; waited < 10_000 && (await driver.power.getPowerState()) !== 'Off'; waited += 50) await sleep(50);
    expect(await driver.power.getPowerState()).toBe('Off');
    expect(readFileSync(join(disk0.dir, 'etc/maestro/image'), 'utf8')).toBe(`${IMAGE}\n`);
    expect(readdirSync(disk0.dir)).toEqual(['etc']);
    expect(readdirSync(disk1.dir)).toEqual(['data']);
    expect(await netnsPids(db1.netns)).toEqual([]);
    expect(inNetns(db1.netns, 'ip', '-o', 'link', 'show', 'up').stdout).not.toMatch(/eth0|mgmt0/);

    // Booting the disk starts the installed OS's sshd; the media stays until ejected.
    await driver.virtualMedia.ejectMedia();
    await driver.boot.setBootOverride('Hdd', 'Continuous');
    await driver.power.setPower('On');
    expect(inNetns(db1.netns, 'ss', '-Hltn', 'sport', '=', ':22').stdout).toContain(db1.ssh.endpoint);
    expect(readFileSync(join(disk0.dir, 'etc/maestro/image'), 'utf8')).toBe(`${IMAGE}\n`);

    await driver.power.setPower('ForceOff');
    await driver.cleaning.secureEraseDrive(disk0.id);
    expect(readdirSync(disk0.dir)).toEqual([]);
  });
});
