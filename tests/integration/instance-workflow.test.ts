// Integration: the instance jobs end to end against simulators (EOS leaf over SSH, Redfish BMCs with their installer)
// and real sshds as the servers' OS (one running its commands in a network namespace, where the address is really set): create (install from virtual media, ports, disk boot, OS configured, user_data
// run once), update (tenancy move, hostname, keys, power off; a failed update puts everything back), delete (power off,
// every drive securely erased through a polled task, ports to quarantine, server available; without erase: maintenance).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalJob } from '../../engine/src/store/job-journal';
import type { InstanceCreateInput } from '../../engine/src/workflow/instance-create';
import type { InstanceDeleteInput } from '../../engine/src/workflow/instance-delete';
import type { InstanceUpdateInput } from '../../engine/src/workflow/instance-update';
import { generateSshKey } from '../../lab/src/sshd/ssh-keygen';
import { IMAGE_URL, PROVISIONING, QUARANTINE, startInstanceLab, type InstanceLab } from './instance-workflow-lab';

jest.setTimeout(120_000);

const isRoot = process.getuid?.() === 0;
// sshd needs root (privilege separation): without root nothing is started.
const describeAsRoot = isRoot ? describe : describe.skip;

let lab: InstanceLab;
const USER_DATA = 'echo "hello from user_data"\necho "to stderr" >&2';

beforeAll(async () => {
  if (isRoot) lab = await startInstanceLab();
});

afterAll(async () => {
  await lab?.close();
});

const doneSteps = (job: JournalJob) => job.steps.filter((s) => s.phase === 'do' && s.state === 'done').map((s) => s.name);
const detailOf = (job: JournalJob, step: string) => job.steps.find((s) => s.name === step)!.detail;
const rootFile = (server: string, rel: string) => readFileSync(join(lab.roots.get(server)!, rel), 'utf8');
const portOwners = async (ports: string[]) => Promise.all(ports.map(async (p) => (await lab.store.getPort('leaf1', p))!.owner));

describeAsRoot('an instance through its life: create, update, delete', () => {
  let input: InstanceCreateInput;
  let createJob: JournalJob;

  test('create installs the image, moves the NICs into the tenancy, boots from disk, configures the OS and runs user_data', async () => {
    input = await lab.newInstance({
      serverId: 'srv-1', hostname: 'web-01', sshAuthorizedKeys: [lab.clientKey.publicKey],
      userData: USER_DATA,
    });
    createJob = await lab.runJob('instance.create', input);
    expect(createJob.error).toBeNull();
    expect(createJob.state).toBe('succeeded');
    expect(doneSteps(createJob)).toEqual(['allocate-server', 'allocate-ip', 'ports-provisioning', 'install', 'ports-tenancy', 'disk-boot', 'os-configure', 'power-state', 'mark-active']);
    const web = lab.tenancies.web;
    const ip = web.cidr.replace(/\.0\/24$/, '.2');

    expect(await lab.store.instances.getInstance(input.instanceId)).toMatchObject({
      state: 'active', stateReason: null, serverId: 'srv-1', ipAddress: ip, hostname: 'web-01', jobId: createJob.id,
    });
    expect(await lab.store.allocation.getServer('srv-1')).toMatchObject({ state: 'active', owner: `instance:${input.instanceId}`, tenancyId: web.tenancyId });
    expect(await lab.store.allocation.listIps(web.tenancyId)).toEqual([{ tenancyId: web.tenancyId, address: ip, owner: `instance:${input.instanceId}` }]);

    for (const port of ['Ethernet1', 'Ethernet2']) expect(lab.leaf.state.port(port)).toMatchObject({ mode: 'access', accessVlan: web.vlan });
    expect(await portOwners(['Ethernet1', 'Ethernet2', 'Ethernet3'])).toEqual([`instance:${input.instanceId}`, `instance:${input.instanceId}`, null]);
    expect(lab.leaf.state.savedMatchesRunning()).toBe(true);
    expect(lab.leaf.commandLog.some((c) => c.command === `switchport access vlan ${PROVISIONING}`)).toBe(true);

    const bmc = lab.bmcs.get('srv-1')!.state;
    expect(bmc.installs).toEqual([expect.objectContaining({ image: IMAGE_URL, outcome: 'installed' })]);
    expect([bmc.powerState, bmc.boot.target, bmc.boot.enabled, bmc.media.inserted]).toEqual(['On', 'Hdd', 'Continuous', false]);

    expect(rootFile('srv-1', 'etc/maestro/image')).toBe(`${IMAGE_URL}\n`);
    expect(rootFile('srv-1', 'etc/hostname')).toBe('web-01\n');
    expect(rootFile('srv-1', 'root/.ssh/authorized_keys')).toBe(`${lab.clientKey.publicKey}\n`);
    expect(rootFile('srv-1', 'var/lib/maestro/user-data.done')).toBe(`${createJob.id}\n`);
    expect(lab.addresses).toEqual([{ server: 'srv-1', interface: 'eth0', address: `${ip}/24`, gateway: web.gateway }]);
    expect(detailOf(createJob, 'os-configure')).toContain('user_data exited 0; output:\nhello from user_data\n! to stderr');
    expect(detailOf(createJob, 'install')).toMatch(/^installed image debian-12 \(https:\/\/images\.example\/debian-12\.iso\): the installer powered the host off after \d+ s; media ejected$/);
    expect(await lab.doctor()).toEqual([]);
  });

  test('every device change is audited with the job, and user_data itself never is', async () => {
    const audit = await lab.store.journal.listAudit({ limit: 1000, jobId: createJob.id });
    const what = audit.map((a) => `${a.device} ${a.what}`);
    expect(what).toEqual(expect.arrayContaining([
      `bmc:srv-1 insert virtual media ${IMAGE_URL}`, 'bmc:srv-1 boot override Cd once', 'bmc:srv-1 power On (installer)', 'bmc:srv-1 eject virtual media',
      'bmc:srv-1 boot override Hdd continuous', 'os:srv-1 hostname web-01', 'os:srv-1 authorized keys of root (1)', `os:srv-1 user_data (${USER_DATA.length} bytes)`,
    ]));
    expect(JSON.stringify(audit)).not.toContain('hello from user_data');
  });

  test('update moves the instance to another tenancy, changes hostname and keys, and powers it off', async () => {
    const { web, db } = lab.tenancies;
    const record = (await lab.store.instances.getInstance(input.instanceId))!;
    const second = await generateSshKey(join(lab.dir, 'second_key'), 'ops@laptop');
    const from = { tenancyId: web.tenancyId, tenancyVlan: web.vlan, powerState: 'on' as const, hostname: 'web-01', sshAuthorizedKeys: [lab.clientKey.publicKey], secureEraseOnDelete: true };
    const update: InstanceUpdateInput = {
      instanceId: input.instanceId, serverId: 'srv-1', from: { ...from, ipAddress: record.ipAddress },
      to: { ...from, tenancyId: db.tenancyId, tenancyVlan: db.vlan, powerState: 'off', hostname: 'db-01', sshAuthorizedKeys: [second.publicKey] },
    };
    const job = await lab.runJob('instance.update', update);
    expect(job.error).toBeNull();
    expect(doneSteps(job)).toEqual(['mark-updating', 'power-on', 'allocate-ip', 'ports-tenancy', 'os-readdress', 'release-old-ip', 'os-configure', 'power-state', 'record']);
    const ip = db.cidr.replace(/\.0\/24$/, '.2');
    expect(await lab.store.instances.getInstance(input.instanceId)).toMatchObject({
      state: 'active', tenancyId: db.tenancyId, ipAddress: ip, powerState: 'off', hostname: 'db-01', sshAuthorizedKeys: [second.publicKey], jobId: job.id,
    });
    expect((await lab.store.allocation.getServer('srv-1'))!.tenancyId).toBe(db.tenancyId);
    expect(await lab.store.allocation.listIps(web.tenancyId)).toEqual([]);
    expect((await lab.store.allocation.listIps(db.tenancyId)).map((i) => i.address)).toEqual([ip]);
    for (const port of ['Ethernet1', 'Ethernet2']) expect(lab.leaf.state.port(port).accessVlan).toBe(db.vlan);
    expect(lab.addresses.at(-1)).toEqual({ server: 'srv-1', interface: 'eth0', address: `${ip}/24`, gateway: db.gateway });
    expect(rootFile('srv-1', 'etc/hostname')).toBe('db-01\n');
    expect(rootFile('srv-1', 'root/.ssh/authorized_keys')).toBe(`${second.publicKey}\n`);
    expect(lab.bmcs.get('srv-1')!.state.powerState).toBe('Off');
    expect(lab.bmcs.get('srv-1')!.state.resets.at(-1)).toBe('GracefulShutdown');
    expect(await lab.doctor()).toEqual([]);
  });

  test('an update that fails at a switch puts the ports, the address and the power back as they were', async () => {
    const { web, db } = lab.tenancies;
    const before = (await lab.store.instances.getInstance(input.instanceId))!;
    const values = { tenancyId: db.tenancyId, tenancyVlan: db.vlan, powerState: 'off' as const, hostname: 'db-01', sshAuthorizedKeys: before.sshAuthorizedKeys, secureEraseOnDelete: true };
    const update: InstanceUpdateInput = {
      instanceId: input.instanceId, serverId: 'srv-1', from: { ...values, ipAddress: before.ipAddress },
      to: { ...values, tenancyId: web.tenancyId, tenancyVlan: web.vlan, powerState: 'on' },
    };
    const addressesBefore = lab.addresses.length;
    lab.leaf.setFaults({ disconnectOnCommand: new RegExp(`^switchport access vlan ${web.vlan}$`) });
    try {
      const job = await lab.runJob('instance.update', update);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/^step "ports-tenancy" on leaf1 failed: port leaf1\/Ethernet[12] \(NIC eth[01]\): /);
      expect(job.error).toContain('(undone: ports-tenancy, allocate-ip, power-on, mark-updating)');
    } finally {
      lab.leaf.setFaults({});
    }
    expect(await lab.store.instances.getInstance(input.instanceId)).toMatchObject({ state: 'active', tenancyId: db.tenancyId, ipAddress: before.ipAddress, powerState: 'off' });
    for (const port of ['Ethernet1', 'Ethernet2']) expect(lab.leaf.state.port(port).accessVlan).toBe(db.vlan);
    expect(await portOwners(['Ethernet1', 'Ethernet2'])).toEqual([`instance:${input.instanceId}`, `instance:${input.instanceId}`]);
    expect(await lab.store.allocation.listIps(web.tenancyId)).toEqual([]);
    expect(lab.addresses.length).toBe(addressesBefore);
    expect(lab.bmcs.get('srv-1')!.state.powerState).toBe('Off');
    expect(await lab.doctor()).toEqual([]);
  });

  test('delete powers off, erases every drive through a polled task, quarantines the ports and makes the server available', async () => {
    lab.bmcs.get('srv-1')!.state.reset('On');
    const sim = lab.bmcs.get('srv-1')!;
    sim.requestLog.length = 0;
    const del: InstanceDeleteInput = { instanceId: input.instanceId, serverId: 'srv-1', secureEraseOnDelete: true };
    const job = await lab.runJob('instance.delete', del);
    expect(job.error).toBeNull();
    expect(doneSteps(job)).toEqual(['mark-deleting', 'power-off', 'secure-erase', 'eject-media', 'ports-quarantine', 'release-ip', 'release-server', 'delete-record']);
    expect(sim.state.powerState).toBe('Off');
    expect([...sim.state.drives.values()].map((d) => [d.id, d.erased])).toEqual([['Disk.0', true], ['Disk.1', true]]);
    const erasePosts = sim.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/Actions/Drive.SecureErase'));
    expect(erasePosts).toHaveLength(2);
    expect(sim.requestLog.some((r) => r.method === 'GET' && /\/TaskService\/Tasks\/\d+\/Monitor$/.test(r.path))).toBe(true);
    expect(readdirSync(lab.roots.get('srv-1')!)).toEqual([]);
    for (const port of ['Ethernet1', 'Ethernet2']) expect(lab.leaf.state.port(port)).toMatchObject({ mode: 'access', accessVlan: QUARANTINE });
    expect(await portOwners(['Ethernet1', 'Ethernet2'])).toEqual([null, null]);
    expect(await lab.store.allocation.listIps()).toEqual([]);
    expect(await lab.store.allocation.getServer('srv-1')).toMatchObject({ state: 'available', owner: null, needsCleaning: false });
    expect(await lab.store.instances.getInstance(input.instanceId)).toBeUndefined();
    expect(await lab.doctor()).toEqual([]);

    const again = await lab.runJob('instance.delete', del);
    expect(again.state).toBe('succeeded');
    expect(detailOf(again, 'power-off')).toBe(`srv-1 is no longer held by instance:${input.instanceId}`);
  });
});

describeAsRoot('a server whose OS runs in a network namespace: created powered off, deleted without secure erase', () => {
  test('the tenancy address really lands on eth0 with the default route; the instance ends off', async () => {
    lab.resetDevices();
    const input = await lab.newInstance({ serverId: 'srv-2', powerState: 'off' });
    const created = await lab.runJob('instance.create', input);
    expect(created.error).toBeNull();
    expect(lab.bmcs.get('srv-2')!.state.powerState).toBe('Off');
    const record = (await lab.store.instances.getInstance(input.instanceId))!;
    expect(record).toMatchObject({ state: 'active', hostname: 'srv-2', powerState: 'off' });
    expect(rootFile('srv-2', 'etc/hostname')).toBe('srv-2\n');
    const ip = (args: string[]) => execFileSync('ip', ['-n', lab.netns, ...args], { encoding: 'utf8' });
    const inet = JSON.parse(ip(['-j', 'addr', 'show', 'dev', 'eth0']))[0].addr_info.filter((a: { family: string }) => a.family === 'inet');
    expect(inet.map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`)).toEqual([`${record.ipAddress}/24`]);
    expect(ip(['-4', 'route', 'show', 'default'])).toMatch(new RegExp(`^default via ${lab.tenancies.web.gateway.replace(/\./g, '\\.')} dev eth0\\b`));
    expect(detailOf(created, 'os-configure')).toContain(`${record.ipAddress}/24 via ${lab.tenancies.web.gateway} on eth0`);
  });

  test('its delete leaves the server in maintenance, saying it was not erased', async () => {
    const [instance] = await lab.store.instances.listInstances();
    const job = await lab.runJob('instance.delete', { instanceId: instance.id, serverId: 'srv-2', secureEraseOnDelete: false } satisfies InstanceDeleteInput);
    expect(job.error).toBeNull();
    expect(doneSteps(job)).toEqual(['mark-deleting', 'power-off', 'eject-media', 'ports-quarantine', 'release-ip', 'release-server', 'delete-record']);
    expect([...lab.bmcs.get('srv-2')!.state.drives.values()].some((d) => d.erased)).toBe(false);
    expect(await lab.store.allocation.getServer('srv-2')).toMatchObject({ state: 'maintenance', stateReason: 'released without secure erase', owner: null, needsCleaning: true });
    expect(await lab.store.instances.getInstance(instance.id)).toBeUndefined();
    expect(await lab.doctor()).toEqual([]);
  });
});
