// The engine gRPC API over TLS on 127.0.0.1, through EngineClient, with fake switches behind it.

import * as net from 'node:net';
import { sha256Hex } from '../../engine/src/api/auth';
import { EngineApiError, EngineClient } from '../../engine/src/api/client';
import { startEngineServer, type RunningServer } from '../../engine/src/api/server';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { engineFixture, QUARANTINE, type Fixture } from '../unit/engine-fixture';

const TOKEN = 'test-token-0123456789';
const tls = createSelfSignedCertificate({ commonName: 'maestro-engine', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
const web: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'web-1 eth0', adminState: 'up' };

let fx: Fixture;
let server: RunningServer;
let client: EngineClient;
const connectWith = (token: string, port = server.port) => EngineClient.connect({ endpoint: `127.0.0.1:${port}`, token, caCertPem: tls.certPem, timeoutMs: 5000 });

beforeEach(async () => {
  fx = await engineFixture();
  await fx.store.putApiToken({ name: 'ci', sha256: sha256Hex(TOKEN), scope: 'admin' });
  server = await startEngineServer(fx.ctx, '127.0.0.1:0', tls);
  client = connectWith(TOKEN);
});
afterEach(async () => {
  client.close();
  await server.close();
  await fx.store.close();
});

async function apiError(call: Promise<unknown>): Promise<EngineApiError> {
  const err = await call.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(EngineApiError);
  return err as EngineApiError;
}

describe('authentication', () => {
  test.each([
    ['no token', '', 'missing "authorization: Bearer <token>" metadata'],
    ['a wrong token', 'not-the-token', 'the bearer token is not valid for this engine'],
  ])('%s is unauthenticated', async (_name, token, message) => {
    const other = connectWith(token);
    const err = await apiError(other.listSwitches());
    other.close();
    expect(err.code).toBe('unauthenticated');
    expect(err.message).toContain(message);
  });
});

describe('inventory reads', () => {
  test('ListSwitches and GetSwitch report dialect limits, quarantine VLAN and ports', async () => {
    const switches = await client.listSwitches();
    expect(switches.map((s) => [s.id, s.descriptionMax, s.quarantineVlan, s.ports.length])).toEqual([['leaf1', 240, QUARANTINE, 5], ['leaf2', 10, QUARANTINE, 2]]);
    expect(await client.getSwitch('leaf2')).toEqual({
      id: 'leaf2', dialect: 'tiny', host: '127.0.0.1', sshPort: 2202, descriptionMax: 10, quarantineVlan: QUARANTINE,
      ports: [{ name: 'Ethernet1', owner: '' }, { name: 'Ethernet2', owner: '' }],
    });
  });

  test.each([
    ['an unknown switch', () => client.getSwitch('spine9'), 'switch', 'unknown switch "spine9"'],
    ['GetPort on an unknown switch', () => client.getPort({ switchId: 'spine9', port: 'Ethernet1' }), 'switch', 'unknown switch "spine9"'],
    ['GetPort on an unknown port', () => client.getPort({ switchId: 'leaf1', port: 'Ethernet99' }), 'port', 'switch "leaf1" has no port "Ethernet99" in inventory'],
    ['Apply to an unknown port', () => client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet99', config: web, owner: 'me' }), 'port', 'no port "Ethernet99"'],
    ['an unknown job', () => client.getJob('nope'), 'id', 'no job "nope"'],
  ])('%s is NOT_FOUND with a field violation', async (_name, call, field, message) => {
    const err = await apiError(call());
    expect(err.code).toBe('not_found');
    expect(err.message).toContain(message);
    expect(err.violations.map((v) => v.field)).toEqual([field]);
  });
});

describe('ports', () => {
  test('ApplyPortConfig then GetPort round-trips through the device, with owner, job and audit', async () => {
    const applied = await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
    expect(applied.port).toEqual({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
    expect(fx.switches.get('leaf1')!.ports.get('Ethernet3')).toEqual(web);
    expect(await client.getPort({ switchId: 'leaf1', port: 'Ethernet3' })).toEqual(applied.port);

    const job = await client.getJob(applied.jobId);
    expect(job).toMatchObject({ kind: 'port.configure', state: 'succeeded', error: null });
    expect(job.steps.map((s) => `${s.name}:${s.state}`)).toEqual(['validate:done', 'read-current:done', 'apply:done']);
    expect((await client.listJobs()).map((j) => j.id)).toEqual([applied.jobId]);
    expect((await client.getSwitch('leaf1')).ports.find((p) => p.name === 'Ethernet3')!.owner).toBe('terraform:web');

    const [audit] = await fx.store.journal.listAudit({ limit: 1 });
    expect(audit).toMatchObject({ who: 'ci', what: 'port.configure leaf1/Ethernet3', device: 'leaf1', before: quarantineConfig(QUARANTINE), after: web, result: 'succeeded', jobId: applied.jobId });
  });

  test('the device logs in with the decrypted credentials and the pinned host key', async () => {
    await client.getPort({ switchId: 'leaf1', port: 'Ethernet1' });
    expect(fx.switches.get('leaf1')!.endpoints).toEqual([{
      id: 'leaf1', dialect: 'eos', host: '127.0.0.1', port: 2201, username: 'admin', password: 's3cret-leaf-pass',
      hostKeyFingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ', enablePassword: undefined,
    }]);
  });

  test('a change made on the device shows in GetPort (drift)', async () => {
    await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
    fx.switches.get('leaf1')!.ports.set('Ethernet3', { ...web, adminState: 'down' });
    expect((await client.getPort({ switchId: 'leaf1', port: 'Ethernet3' })).config.adminState).toBe('down');
  });

  test('a port owned by someone else is FAILED_PRECONDITION naming the owner, and the device is untouched', async () => {
    await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
    const callsBefore = fx.switches.get('leaf1')!.calls.length;
    const err = await apiError(client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: { ...web, accessVlan: 20 }, owner: 'terraform:db' }));
    expect(err.code).toBe('failed_precondition');
    expect(err.message).toContain('owned by "terraform:web"');
    expect(err.violations.map((v) => v.field)).toEqual(['port']);
    expect(fx.switches.get('leaf1')!.calls.length).toBe(callsBefore);
  });

  test('ReleasePort returns the port to quarantine and drops the owner; then anyone may claim it', async () => {
    await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
    const released = await client.releasePort({ switchId: 'leaf1', port: 'Ethernet3' });
    expect(released.port).toEqual({ switchId: 'leaf1', port: 'Ethernet3', config: quarantineConfig(QUARANTINE), owner: '' });
    expect((await client.getJob(released.jobId)).kind).toBe('port.release');
    await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:db' });
  });

  test('an invalid config is INVALID_ARGUMENT with every violation, recorded as a failed job', async () => {
    const bad = { ...web, mode: 'trunk' as const, mtu: 20, description: 'way past ten chars' };
    const err = await apiError(client.applyPortConfig({ switchId: 'leaf2', port: 'Ethernet1', config: bad, owner: 'me' }));
    expect(err.code).toBe('invalid_argument');
    expect(err.violations.map((v) => v.field)).toEqual(['access_vlan', 'allowed_vlans', 'mtu', 'description']);
    expect((await client.listJobs())[0]).toMatchObject({ state: 'failed', kind: 'port.configure' });
    expect(fx.switches.get('leaf2')!.calls).toEqual([]);
  });

  test('ApplyPortConfig without an owner is INVALID_ARGUMENT on owner', async () => {
    const err = await apiError(client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: '' }));
    expect([err.code, err.violations.map((v) => v.field)]).toEqual(['invalid_argument', ['owner']]);
  });

  test('ValidatePortConfig answers with violations instead of failing', async () => {
    const res = await client.validatePortConfig({ switchId: 'leaf1', port: 'Ethernet99', config: { ...web, accessVlan: 5000 }, owner: 'me' });
    expect(res.violations.map((v) => v.field)).toEqual(['port', 'access_vlan']);
    expect(await client.validatePortConfig({ switchId: 'leaf1', port: 'Ethernet1', config: web, owner: 'me' })).toEqual({ violations: [] });
  });

  test('device failures name the job and step; a retryable one is UNAVAILABLE, the owner is unchanged', async () => {
    fx.switches.get('leaf1')!.failOn = { method: 'save', error: new DeviceError('leaf1: connection reset', 'leaf1', true) };
    const err = await apiError(client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^job [0-9a-f-]+ failed: step "apply" on leaf1 failed: leaf1: connection reset/);
    expect((await client.getSwitch('leaf1')).ports.find((p) => p.name === 'Ethernet3')!.owner).toBe('');
    // Each attempt is audited (the fixture allows 2), then each attempt of the undo that tries to restore the port.
    const audit = (await fx.store.journal.listAudit({ limit: 10 })).reverse().map((a) => `${a.what}: ${a.result}`);
    expect(audit).toEqual([
      ...Array(2).fill('port.configure leaf1/Ethernet3: failed: leaf1: connection reset'),
      ...Array(2).fill('port.configure undo leaf1/Ethernet3: failed: leaf1: connection reset'),
    ]);
  });

  test('calls to one switch never overlap device sessions', async () => {
    const leaf1 = fx.switches.get('leaf1')!;
    leaf1.delayMs = 5;
    await Promise.all(['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'].map((port) =>
      client.applyPortConfig({ switchId: 'leaf1', port, config: web, owner: `o-${port}` })));
    expect(leaf1.maxOpenSessions).toBe(1);
    expect(leaf1.openSessions).toBe(0);
  });
});

describe('connection errors', () => {
  test.each([
    ['a certificate from another CA', ['127.0.0.1'], false, 'self-signed certificate'],
    ['a trusted certificate not issued for 127.0.0.1 (SNI is "localhost", the check is still against the IP)', [], true, "IP: 127.0.0.1 is not in the cert's list"],
  ])('the client refuses %s', async (_name, ipAddresses, trustIt, reason) => {
    const other = createSelfSignedCertificate({ commonName: 'other', dnsNames: ['localhost'], ipAddresses });
    const impostor = await startEngineServer(fx.ctx, '127.0.0.1:0', other);
    const caCertPem = trustIt ? other.certPem : tls.certPem;
    const trusting = EngineClient.connect({ endpoint: `127.0.0.1:${impostor.port}`, token: TOKEN, caCertPem, timeoutMs: 5000 });
    const err = await apiError(trusting.listSwitches());
    trusting.close();
    await impostor.close();
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(reason);
  });

  test('warmUp connects before the first call; against an engine that is not there it throws nothing, the call reports it', async () => {
    const accepted: number[] = [];
    const proxy = net.createServer((socket) => {
      accepted.push(Date.now());
      const upstream = net.connect(server.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as net.AddressInfo).port;
    const warm = connectWith(TOKEN, port);
    warm.warmUp();
    for (let i = 0; i < 100 && accepted.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(accepted).toHaveLength(1); // connected, and no call made yet
    expect((await warm.listSwitches()).length).toBeGreaterThan(0);
    expect(accepted).toHaveLength(1); // the call used that connection
    warm.close();
    await new Promise((r) => proxy.close(r));

    const nowhere = connectWith(TOKEN, port);
    expect(() => nowhere.warmUp()).not.toThrow();
    const err = await apiError(nowhere.listSwitches());
    nowhere.close();
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(`cannot reach the Maestro engine at 127.0.0.1:${port}`);
  });

  test('an engine that is not there is UNAVAILABLE, naming the endpoint', async () => {
    const port = server.port;
    await server.close();
    const other = connectWith(TOKEN, port);
    const err = await apiError(other.listSwitches());
    other.close();
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(`cannot reach the Maestro engine at 127.0.0.1:${port}`);
  });
});
