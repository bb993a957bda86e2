// The jobs and audit API over gRPC: WatchJob streams progress until the end, CancelJob compensates, ListJobs and
// ListAudit filter, StartJob is admin-only and checks its input.

import { sha256Hex } from '../../engine/src/api/auth';
import { EngineApiError, EngineClient, type JobInfo } from '../../engine/src/api/client';
import { startEngineServer, type RunningServer } from '../../engine/src/api/server';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { engineFixture, QUARANTINE, type Fixture } from '../unit/engine-fixture';

const tls = createSelfSignedCertificate({ commonName: 'maestro-engine', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
const web: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'web', adminState: 'up' };
const portJob = (port: string) => ({ switchId: 'leaf1', port, config: web, owner: 'tf:web', descriptionMax: 240 });

let fx: Fixture;
let server: RunningServer;
let client: EngineClient;
const connect = (token: string) => EngineClient.connect({ endpoint: `127.0.0.1:${server.port}`, token, caCertPem: tls.certPem, timeoutMs: 5000 });

beforeEach(async () => {
  fx = await engineFixture();
  await fx.store.putApiToken({ name: 'ci', sha256: sha256Hex('admin-token'), scope: 'admin' });
  await fx.store.putApiToken({ name: 'team-a', sha256: sha256Hex('team-token'), scope: 'tenancy:a' });
  server = await startEngineServer(fx.ctx, '127.0.0.1:0', tls);
  client = connect('admin-token');
});
afterEach(async () => {
  client.close();
  await server.close();
  await fx.ctx.workflow.executor.shutdown();
  await fx.store.close();
});

test('WatchJob sends the job as each step starts and ends, and ends with the finished job', async () => {
  fx.switches.get('leaf1')!.delayMs = 20;
  const job = await client.startJob('port.configure', portJob('Ethernet1'));
  const seen: JobInfo[] = [];
  const final = await client.watchJob(job.id, (j) => seen.push(j));
  expect(final).toMatchObject({ id: job.id, state: 'succeeded', who: 'ci', kind: 'port.configure' });
  const applyStates = seen.map((j) => j.steps.find((s) => s.name === 'apply')?.state).filter(Boolean);
  expect(applyStates[0]).toBe('running');
  expect(applyStates[applyStates.length - 1]).toBe('done');
  expect(seen[seen.length - 1]).toEqual(final);
  expect(new Set(seen.map((j) => JSON.stringify(j))).size).toBe(seen.length);
});

test('WatchJob of a finished job sends it once; of an unknown job is NOT_FOUND', async () => {
  const job = await client.startJob('port.configure', portJob('Ethernet2'));
  await client.watchJob(job.id, () => undefined);
  const seen: JobInfo[] = [];
  await client.watchJob(job.id, (j) => seen.push(j));
  expect(seen.map((j) => j.state)).toEqual(['succeeded']);
  await expect(client.watchJob('nope', () => undefined)).rejects.toMatchObject({ code: 'not_found' });
});

test('CancelJob lets the device call in flight finish, then puts the port back as it was', async () => {
  const leaf1 = fx.switches.get('leaf1')!;
  leaf1.delayMs = 40;
  const job = await client.startJob('port.configure', portJob('Ethernet3'));
  const cancelled = await client.cancelJob(job.id, 'changed my mind');
  expect(cancelled.cancelRequested).toBe('changed my mind');
  const final = await client.watchJob(job.id, () => undefined);
  expect(final.state).toBe('failed');
  expect(final.error).toContain('cancelled: changed my mind');
  expect(leaf1.ports.get('Ethernet3')).toEqual(quarantineConfig(QUARANTINE));
  expect((await client.getSwitch('leaf1')).ports.find((p) => p.name === 'Ethernet3')!.owner).toBe('');
});

test('ListJobs filters by kind, state and caller; ListAudit by device, job and caller', async () => {
  const applied = await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet1', config: web, owner: 'tf:web' });
  await client.releasePort({ switchId: 'leaf1', port: 'Ethernet1' });
  expect((await client.listJobs({ kind: 'port.release' })).map((j) => j.kind)).toEqual(['port.release']);
  expect((await client.listJobs({ state: 'succeeded', who: 'ci' })).length).toBe(2);
  expect(await client.listJobs({ who: 'someone-else' })).toEqual([]);
  await expect(client.listJobs({ state: 'exploded' as never })).rejects.toMatchObject({ code: 'invalid_argument' });

  const [entry] = await client.listAudit({ jobId: applied.jobId });
  expect(entry).toMatchObject({ who: 'ci', device: 'leaf1', what: 'port.configure leaf1/Ethernet1', before: quarantineConfig(QUARANTINE), after: web, result: 'succeeded' });
  expect((await client.listAudit({ device: 'leaf1' })).map((a) => a.what)).toEqual(['port.release leaf1/Ethernet1', 'port.configure leaf1/Ethernet1']);
  expect(await client.listAudit({ device: 'leaf2' })).toEqual([]);
});

test.each([
  ['a non-admin token', 'team-token', 'port.configure', portJob('Ethernet1'), 'permission_denied', 'StartJob needs an admin token'],
  ['an unknown kind', 'admin-token', 'server.explode', {}, 'invalid_argument', 'unknown job kind "server.explode"'],
  ['input the kind refuses', 'admin-token', 'instance.create', { profile: 'x' }, 'invalid_argument', 'invalid input for a "instance.create" job'],
])('StartJob with %s is refused without journaling a job', async (_name, token, kind, input, code, message) => {
  const other = connect(token);
  const err: EngineApiError = await other.startJob(kind, input).then(() => null as never, (e) => e);
  other.close();
  expect(err).toBeInstanceOf(EngineApiError);
  expect([err.code, err.message]).toEqual([code, expect.stringContaining(message)]);
  expect(await client.listJobs()).toEqual([]);
});
