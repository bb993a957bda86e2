// Server instances over the engine API against an EOS leaf simulator and Redfish BMC simulators (no `os:` blocks, so
// OS configuration is skipped): every refusal as a field violation with no device touched, a create -> get -> list ->
// delete round trip, drift seen by GetInstance(observe) after a BMC power-off and a port moved out of band, tenancy
// delete naming the instance, and a failed install leaving no instance behind.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient, type InstanceInfo } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { main } from '../../engine/src/cli/main';
import { quarantineConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startRedfishSimulator, type RedfishSimulator } from '../../lab/src/redfish-bmc/server';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

jest.setTimeout(120_000);

const QUARANTINE = 999;
const PROVISIONING = 998;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example';
const IMAGE_URL = 'https://images.example/debian-12.iso';

let dir: string;
let daemon: Daemon;
let client: EngineClient;
let leaf: SwitchSimulator;
const bmcs: Record<string, RedfishSimulator> = {};
let tenancyId: string;
let otherTenancyId: string;

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e) => e as EngineApiError);

/** Servers: s1, s2 of profile small on Ethernet1/2 and Ethernet3; big1 of profile big on Ethernet4. */
const SERVERS = [
  { id: 's1', profile: 'small', nics: [['eth0', '52:54:00:00:01:00', 'Ethernet1'], ['eth1', '52:54:00:00:01:01', 'Ethernet2']] },
  { id: 's2', profile: 'small', nics: [['eth0', '52:54:00:00:02:00', 'Ethernet3']] },
  { id: 'big1', profile: 'big', nics: [['eth0', '52:54:00:00:03:00', 'Ethernet4']] },
] as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-instance-api-'));
  leaf = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE });
  for (const s of SERVERS) {
    bmcs[s.id] = await startRedfishSimulator({
      username: 'root', password: 'bmc-pass', serialNumber: `SN-${s.id}`, macs: s.nics.map((n) => n[1]),
      powerDelayMs: 30, installMs: 150, secureEraseMs: 50, volumeInitializeMs: 50,
    });
  }
  const server = (s: typeof SERVERS[number]) => [
    `  - id: ${s.id}`,
    `    serial: SN-${s.id}`,
    `    profile: ${s.profile}`,
    '    rack: r1',
    `    bmc: { driver: redfish, endpoint: "${bmcs[s.id].endpoint}", credentials: bmc-admin, tls_pin: "${bmcs[s.id].fingerprintSha256}" }`,
    '    nics:',
    ...s.nics.map(([name, mac, port]) => `      - { name: ${name}, mac: "${mac}", switch: leaf1, port: ${port} }`),
    '    disks: [{ id: Disk.0, size_gb: 480, type: ssd }]',
  ];
  writeFileSync(join(dir, 'inventory.yaml'), [
    'credentials:',
    '  leaf-admin: { username: admin, password: sim-pass }',
    '  bmc-admin: { username: root, password: bmc-pass }',
    'sites: [{ id: dc1, racks: [r1] }]',
    'profiles:',
    '  small: { cpu_cores: 4, memory_gib: 16, nics: 1, disks: [{ size_gb: 480, type: ssd }] }',
    '  big: { cpu_cores: 64, memory_gib: 512, nics: 1 }',
    '  empty: { cpu_cores: 1, memory_gib: 1, nics: 1 }',
    'segments:',
    `  quarantine: { vlan: ${QUARANTINE} }`,
    `  provisioning: { vlan: ${PROVISIONING} }`,
    '  pools: [{ name: tenants, vlan_range: [100, 109], vni_range: [10100, 10199], supernet: 198.19.0.0/16, tenancy_prefix: 24 }]',
    'switches:',
    `  - { id: leaf1, dialect: eos, endpoint: "127.0.0.1:${leaf.port}", credentials: leaf-admin, host_key: "${leaf.hostKeyFingerprint}", rack: r1, role: leaf, ports: [Ethernet1-4] }`,
    'images:',
    `  debian-12: { url: "${IMAGE_URL}", install_timeout_s: 60 }`,
    '  quick-fail: { url: "https://images.example/hang.iso", install_timeout_s: 2 }',
    'servers:',
    ...SERVERS.flatMap(server),
    '',
  ].join('\n'));
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
    workflow: { retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 }, bmcTiming: { pollIntervalMs: 25 } },
  });
  client = EngineClient.fromDataDir(join(dir, 'engine'));
  tenancyId = (await client.createTenancy({ name: 'web' })).tenancy.id;
  otherTenancyId = (await client.createTenancy({ name: 'db' })).tenancy.id;
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  await leaf?.close();
  for (const b of Object.values(bmcs)) await b.close();
  rmSync(dir, { recursive: true, force: true });
});

const good = () => ({ tenancyId, profile: 'small', image: 'debian-12' });
const bmcRequests = () => Object.values(bmcs).reduce((n, b) => n + b.requestLog.length, 0);

describe('validation', () => {
  test('a good request has no violations', async () => {
    expect(await client.validateInstance({ ...good(), hostname: 'web-1', sshAuthorizedKeys: [KEY], powerState: 'off', userData: '#!/bin/sh\necho hi\n' })).toEqual({ violations: [] });
    expect(await client.validateInstance({ ...good(), serverId: 's2' })).toEqual({ violations: [] });
    expect(await client.validateInstance({})).toEqual({ violations: [] });
  });

  test.each<[string, object, string, string | RegExp]>([
    ['an unknown tenancy', { tenancyId: 'tn-000000000000' }, 'tenancy_id', 'no tenancy with id "tn-000000000000"'],
    ['an unknown profile', { profile: 'huge' }, 'profile', 'unknown profile "huge"; known: big, empty, small'],
    ['a profile without servers', { profile: 'empty' }, 'profile', 'no available cleaned server of profile "empty": inventory has no server of this profile'],
    ['an unknown image', { image: 'windows' }, 'image', 'unknown image "windows"; known: debian-12, quick-fail'],
    ['an unknown pinned server', { serverId: 's9' }, 'server_id', 'no server "s9" in inventory'],
    ['a pinned server of another profile', { serverId: 'big1' }, 'server_id', 'server "big1" is of profile "big", not "small"'],
    ['a bad hostname', { hostname: 'web_1' }, 'hostname', 'label "web_1" must be 1..63 letters, digits or inner hyphens (RFC 1123)'],
    ['a hostname over 64 characters', { hostname: `${'a'.repeat(60)}.bcdef` }, 'hostname', 'it must be 1..64 characters long'],
    ['a bad ssh key', { sshAuthorizedKeys: [KEY, 'ssh-rsa not-base64!'] }, 'ssh_authorized_keys', /^key 2: not a valid SSH public key/],
    ['an ssh key with options', { sshAuthorizedKeys: [`command="sh" ${KEY}`] }, 'ssh_authorized_keys', /authorized_keys options are not accepted/],
    ['a power state that is neither on nor off', { powerState: 'standby' }, 'power_state', 'power_state must be "on" or "off", not "standby"'],
    ['user data over 64 KiB', { userData: 'x'.repeat(64 * 1024 + 1) }, 'user_data', 'user_data is 65537 bytes; at most 65536 (64 KiB) are accepted'],
    ['user data with a NUL', { userData: 'echo a\u0000b' }, 'user_data', 'user_data must not contain NUL characters'],
  ])('%s is a violation on its attribute', async (_what, change, field, reason) => {
    const { violations } = await client.validateInstance({ ...good(), ...change });
    expect(violations).toHaveLength(1);
    expect(violations[0].field).toBe(field);
    if (typeof reason === 'string') expect(violations[0].reason).toContain(reason);
    else expect(violations[0].reason).toMatch(reason);
  });

  test('a pinned server that is allocated, and a profile with no free server, are refused naming the states', async () => {
    await client.allocateServer({ profile: 'small', owner: 'test:holder', serverId: 's1' });
    await client.allocateServer({ profile: 'small', owner: 'test:holder2', serverId: 's2' });
    try {
      const pinned = await client.validateInstance({ ...good(), serverId: 's1' });
      expect(pinned.violations).toEqual([{ field: 'server_id', reason: 'server "s1" is allocated (owner "test:holder"); an instance needs an available, cleaned server' }]);
      const capacity = await client.validateInstance(good());
      expect(capacity.violations).toEqual([{ field: 'profile', reason: 'no available cleaned server of profile "small": 2 exist (2 allocated)' }]);
      const err = await failure(client.createInstance(good()));
      expect(err.code).toBe('failed_precondition');
      expect(err.violations).toEqual(capacity.violations);
    } finally {
      await client.releaseServer({ serverId: 's1', cleaned: true });
      await client.releaseServer({ serverId: 's2', cleaned: true });
    }
  });

  test('a switch_port claim of a port cabled to an allocated server is refused before its job moves the port, naming the owner', async () => {
    const config = { mode: 'access' as const, accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: 'x', adminState: 'up' as const };
    await client.allocateServer({ profile: 'small', owner: 'instance:in-000000000042', serverId: 's2' });
    try {
      const { violations } = await client.validatePortConfig({ switchId: 'leaf1', port: 'Ethernet3', config, owner: 'terraform:maestro_switch_port' });
      expect(violations).toEqual([{ field: 'port', reason: 'port leaf1/Ethernet3 is cabled to NIC eth0 of server "s2", which is allocated to "instance:in-000000000042"; its ports belong to that owner' }]);
    } finally {
      await client.releaseServer({ serverId: 's2', cleaned: true });
    }
    expect(await client.validatePortConfig({ switchId: 'leaf1', port: 'Ethernet3', config, owner: 'terraform:maestro_switch_port' })).toEqual({ violations: [] });
  });

  test('CreateInstance refuses bad values (invalid_argument) and bad references (failed_precondition) before any device or record', async () => {
    const [commands, requests] = [leaf.commandLog.length, bmcRequests()];
    const bad = await failure(client.createInstance({ ...good(), hostname: '-x', powerState: 'standby' as never }));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.violations.map((v) => v.field)).toEqual(['hostname', 'power_state']);
    const missing = await failure(client.createInstance({ tenancyId: '', profile: '', image: '' }));
    expect(missing.code).toBe('invalid_argument');
    expect(missing.violations.map((v) => v.field)).toEqual(['tenancy_id', 'profile', 'image']);
    const refused = await failure(client.createInstance({ ...good(), image: 'nope', serverId: 'big1' }));
    expect(refused.code).toBe('failed_precondition');
    expect(refused.violations.map((v) => v.field)).toEqual(['server_id', 'image']);
    expect(await client.listInstances()).toEqual([]);
    expect([leaf.commandLog.length, bmcRequests()]).toEqual([commands, requests]);
  });

  test('unknown instance ids are not_found for get, update and delete', async () => {
    for (const call of [client.getInstance('in-000000000000'), client.deleteInstance('in-000000000000'), client.updateInstance({ id: 'in-000000000000', powerState: 'off' })]) {
      const err = await failure(call);
      expect(err.code).toBe('not_found');
      expect(err.message).toContain('no instance with id "in-000000000000"');
    }
  });
});

describe('lifecycle', () => {
  let created: InstanceInfo;

  test('create installs the image through the BMC and puts the ports into the tenancy', async () => {
    const { jobId, instance } = await client.createInstance({ ...good(), serverId: 's1', sshAuthorizedKeys: [KEY], userData: '#!/bin/sh\n' });
    created = instance;
    expect(jobId).toMatch(/-/);
    expect(instance).toMatchObject({
      id: expect.stringMatching(/^in-[0-9a-f]{12}$/), tenancyId, profile: 'small', serverId: 's1', image: 'debian-12', hostname: 's1',
      sshAuthorizedKeys: [KEY], powerState: 'on', secureEraseOnDelete: true, ipAddress: expect.stringMatching(/^198\.19\.0\.\d+$/),
      prefixLength: 24, gateway: '198.19.0.1', macAddresses: ['52:54:00:00:01:00', '52:54:00:00:01:01'],
      switchPorts: [{ switchId: 'leaf1', port: 'Ethernet1', nic: 'eth0', mac: '52:54:00:00:01:00' }, { switchId: 'leaf1', port: 'Ethernet2', nic: 'eth1', mac: '52:54:00:00:01:01' }],
      bmcEndpoint: bmcs.s1.endpoint, state: 'active', stateReason: null, jobId,
    });
    expect(bmcs.s1.state.installs.map((i) => [i.image, i.outcome])).toEqual([[IMAGE_URL, 'installed']]);
    expect(bmcs.s1.state.powerState).toBe('On');
    const tenancy = await client.getTenancy(tenancyId);
    for (const port of ['Ethernet1', 'Ethernet2']) expect(leaf.state.port(port)).toMatchObject({ mode: 'access', accessVlan: tenancy.network!.vlan });
    const server = await client.getServer('s1');
    expect(server).toMatchObject({ state: 'active', owner: `instance:${instance.id}` });
  });

  test('get and list show it; list filters by tenancy', async () => {
    expect(await client.getInstance(created.id)).toEqual(created);
    expect(await client.listInstances()).toEqual([created]);
    expect(await client.listInstances({ tenancyId })).toEqual([created]);
    expect(await client.listInstances({ tenancyId: otherTenancyId })).toEqual([]);
  });

  test('observe reads the BMC and the ports: no drift while they match', async () => {
    const seen = await client.getInstance(created.id, { observe: true });
    expect(seen).toMatchObject({ observedPowerState: 'on', observedTenancyId: tenancyId, drift: [] });
  });

  test('the maestro CLI lists and shows it', async () => {
    const run = async (words: string[]) => {
      let out = '';
      const code = await main([...words, '--data-dir', join(dir, 'engine')], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, env: {} });
      return { code, out };
    };
    const list = await run(['instances', 'list', '--tenancy', tenancyId]);
    expect(list.code).toBe(0);
    expect(list.out).toContain(created.id);
    expect(list.out).toMatch(/198\.19\.0\.\d+\/24/);
    const get = await run(['instances', 'get', created.id, '--observe']);
    expect(get.code).toBe(0);
    expect(get.out).toMatch(/drift\s+none/);
  });

  test('a BMC power-off and a port moved out of band show as drift', async () => {
    const vlan = (await client.getTenancy(tenancyId)).network!.vlan;
    bmcs.s1.state.powerState = 'Off';
    leaf.state.setPort('Ethernet2', quarantineConfig(QUARANTINE));
    const seen = await client.getInstance(created.id, { observe: true });
    expect(seen.observedPowerState).toBe('off');
    expect(seen.observedTenancyId).toBe('');
    expect(seen.drift).toEqual([
      'bmc:s1 is powered off, intended on',
      `leaf1/Ethernet2 is in VLAN ${QUARANTINE} (quarantine), not ${vlan} (tenancy "web")`,
    ]);
    // Every port moved to another tenancy's VLAN: that tenancy is observed.
    const other = (await client.getTenancy(otherTenancyId)).network!.vlan;
    for (const port of ['Ethernet1', 'Ethernet2']) leaf.state.setPort(port, { ...leaf.state.port(port), mode: 'access', accessVlan: other, allowedVlans: null, nativeVlan: null });
    expect((await client.getInstance(created.id, { observe: true })).observedTenancyId).toBe(otherTenancyId);
  });

  test('update repairs the power drift it is given', async () => {
    const { jobId, instance } = await client.updateInstance({ id: created.id, powerState: 'on' });
    expect(jobId).not.toBe('');
    expect(instance).toMatchObject({ state: 'active', tenancyId, powerState: 'on' });
    expect((await client.getInstance(created.id, { observe: true })).observedPowerState).toBe('on');
  });

  // The proto's contract: UpdateInstance "also repairs drift of the fields it is given", so the unchanged tenancy_id
  // puts ports moved out of band back into the tenancy's VLAN.
  test('update with the unchanged tenancy puts ports moved out of band back', async () => {
    const { instance } = await client.updateInstance({ id: created.id, tenancyId });
    expect(instance).toMatchObject({ state: 'active', tenancyId });
    const seen = await client.getInstance(created.id, { observe: true });
    expect(seen).toMatchObject({ observedPowerState: 'on', observedTenancyId: tenancyId, drift: [] });
  });

  test('secure_erase_on_delete alone is stored without a job', async () => {
    const { jobId, instance } = await client.updateInstance({ id: created.id, secureEraseOnDelete: true });
    expect(jobId).toBe('');
    expect(instance.secureEraseOnDelete).toBe(true);
  });

  test('a switch_port claim of a port cabled to the instance\'s NIC is refused at validation, naming the instance', async () => {
    const config = { mode: 'access' as const, accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: 'x', adminState: 'up' as const };
    const { violations } = await client.validatePortConfig({ switchId: 'leaf1', port: 'Ethernet1', config, owner: 'terraform:maestro_switch_port' });
    expect(violations).toEqual([{ field: 'port', reason: expect.stringContaining(`port leaf1/Ethernet1 is owned by "instance:${created.id}"`) }]);
    const err = await failure(client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet2', config, owner: 'terraform:maestro_switch_port' }));
    expect(err.code).toBe('failed_precondition');
  });

  test('the tenancy cannot be deleted while the instance is in it, and the refusal names it', async () => {
    const err = await failure(client.deleteTenancy(tenancyId));
    expect(err.code).toBe('failed_precondition');
    expect(err.message).toContain(`instance ${created.id}`);
  });

  test('delete powers off, erases, quarantines the ports and releases the server; the instance is gone', async () => {
    const { jobId } = await client.deleteInstance(created.id);
    expect(jobId).toMatch(/-/);
    expect((await failure(client.getInstance(created.id))).code).toBe('not_found');
    expect(await client.listInstances()).toEqual([]);
    expect(bmcs.s1.state.powerState).toBe('Off');
    for (const port of ['Ethernet1', 'Ethernet2']) expect(leaf.state.port(port)).toMatchObject({ mode: 'access', accessVlan: QUARANTINE });
    expect(await client.getServer('s1')).toMatchObject({ state: 'available', owner: null });
  });
});

describe('a failed create', () => {
  test('an installer that never finishes fails the create naming the step and the BMC; nothing remains', async () => {
    bmcs.s2.state.installFault = 'hang';
    try {
      const err = await failure(client.createInstance({ ...good(), image: 'quick-fail', serverId: 's2' }));
      expect(['failed_precondition', 'deadline_exceeded', 'unavailable']).toContain(err.code);
      expect(err.message).toContain('step "install"');
      expect(err.message).toContain('bmc:s2');
      expect(await client.listInstances()).toEqual([]);
      expect(await client.getServer('s2')).toMatchObject({ owner: null });
      expect(leaf.state.port('Ethernet3')).toMatchObject({ mode: 'access', accessVlan: QUARANTINE });
    } finally {
      bmcs.s2.state.installFault = undefined;
    }
  });
});

describe('jobs', () => {
  test('timeout_seconds becomes the job deadline', async () => {
    const { jobId, instance } = await client.createInstance({ ...good(), serverId: 's2' }, { timeoutSeconds: 600 });
    try {
      const job = await client.getJob(jobId);
      const seconds = (Date.parse(job.deadline) - Date.parse(job.createdAt)) / 1000;
      expect(seconds).toBeGreaterThan(595);
      expect(seconds).toBeLessThanOrEqual(601);
      expect(job.kind).toBe('instance.create');
    } finally {
      await client.deleteInstance(instance.id);
    }
  });

  test('a cancelled create call cancels its job, which undoes everything: no instance remains', async () => {
    const ctrl = new AbortController();
    bmcs.s2.state.installFault = 'hang';
    const call = client.createInstance({ ...good(), serverId: 's2' }, { signal: ctrl.signal });
    try {
      // Abort once the installer is running (the job is in its install step).
      for (let i = 0; i < 400 && !bmcs.s2.state.installs.some((x) => x.outcome === 'running'); i++) await new Promise((r) => setTimeout(r, 10));
      ctrl.abort(new Error('terraform interrupted'));
      const err = await failure(call);
      expect(err.code).toBe('aborted');
      // The engine compensates after the call is gone: wait for the job to end.
      const [job] = await client.listJobs({ kind: 'instance.create', limit: 1 });
      await client.watchJob(job.id, () => undefined);
      expect((await client.getJob(job.id)).state).toBe('failed');
      for (let i = 0; i < 100 && (await client.listInstances()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await client.listInstances()).toEqual([]);
      expect(await client.getServer('s2')).toMatchObject({ owner: null });
      expect(leaf.state.port('Ethernet3')).toMatchObject({ mode: 'access', accessVlan: QUARANTINE });
    } finally {
      bmcs.s2.state.installFault = undefined;
    }
  });

  test('a delete that fails leaves the instance failed with the reason; deleting again finishes it', async () => {
    const { instance } = await client.createInstance({ ...good(), serverId: 's2' });
    bmcs.s2.setFaults({ failPath: /Drive\.SecureErase$/, errorStatus: 500 });
    try {
      const err = await failure(client.deleteInstance(instance.id));
      expect(err.message).toContain('bmc:s2');
      const failed = await client.getInstance(instance.id);
      expect(failed.state).toBe('failed');
      expect(failed.stateReason).toMatch(/delete/);
    } finally {
      bmcs.s2.setFaults({});
    }
    await client.deleteInstance(instance.id);
    expect((await failure(client.getInstance(instance.id))).code).toBe('not_found');
    expect(await client.getServer('s2')).toMatchObject({ state: 'available', owner: null });
  });
});

