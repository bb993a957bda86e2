// The Redfish BMC simulator on the wire: what any Redfish client sees (auth, errors with Base messages, ETags, async power, tasks, faults).

import axios, { type AxiosResponse } from 'axios';
import { Agent } from 'node:https';
import { type RedfishSimulator, type RedfishSimulatorOptions, startRedfishSimulator } from '../../lab/src/redfish-bmc/server';

const SYSTEM = '/redfish/v1/Systems/1';
const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;
const sims: RedfishSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function start(opts: RedfishSimulatorOptions = {}): Promise<RedfishSimulator> {
  const sim = await startRedfishSimulator({ powerDelayMs: 80, secureEraseMs: 120, ...opts });
  sims.push(sim);
  return sim;
}

/** One request trusting the simulator's certificate; Basic auth unless headers say otherwise. */
function call(sim: RedfishSimulator, method: string, path: string, data?: unknown, headers: Record<string, string> = { Authorization: BASIC }): Promise<AxiosResponse> {
  const httpsAgent = new Agent({ ca: sim.certPem });
  return axios.request({ baseURL: sim.endpoint, url: path, method, data, headers, httpsAgent, proxy: false, validateStatus: () => true });
}

const messageIds = (res: AxiosResponse) => res.data.error['@Message.ExtendedInfo'].map((m: { MessageId: string }) => m.MessageId);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the service root needs no credentials and links every service, with and without the trailing slash', async () => {
  const sim = await start();
  for (const path of ['/redfish/v1/', '/redfish/v1']) {
    const res = await call(sim, 'GET', path, undefined, {});
    expect(res.status).toBe(200);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.data).toMatchObject({
      Systems: { '@odata.id': '/redfish/v1/Systems' },
      Managers: { '@odata.id': '/redfish/v1/Managers' },
      Chassis: { '@odata.id': '/redfish/v1/Chassis' },
      TaskService: { '@odata.id': '/redfish/v1/TaskService' },
      SessionService: { '@odata.id': '/redfish/v1/SessionService' },
      Links: { Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } },
    });
  }
});

test.each([
  ['no credentials', {}, 401, 'Base.1.16.NoValidSession'],
  ['wrong Basic password', { Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }, 401, 'Base.1.16.NoValidSession'],
  ['an unknown token', { 'X-Auth-Token': 'deadbeef' }, 401, 'Base.1.16.NoValidSession'],
])('%s gets %i with an ExtendedInfo message', async (_name, headers, status, id) => {
  const sim = await start();
  const res = await call(sim, 'GET', SYSTEM, undefined, headers);
  expect(res.status).toBe(status);
  expect(messageIds(res)).toEqual([id]);
});

test('sessions: 201 with X-Auth-Token and Location; the token works until idle for too long', async () => {
  const sim = await start({ sessionIdleTimeoutMs: 100 });
  const login = await call(sim, 'POST', '/redfish/v1/SessionService/Sessions', { UserName: 'admin', Password: 'password' }, {});
  expect(login.status).toBe(201);
  expect(login.headers.location).toBe('/redfish/v1/SessionService/Sessions/1');
  const token = { 'X-Auth-Token': login.headers['x-auth-token'] };
  expect((await call(sim, 'GET', SYSTEM, undefined, token)).status).toBe(200);
  await wait(150);
  expect((await call(sim, 'GET', SYSTEM, undefined, token)).status).toBe(401);
});

test('without a SessionService, sessions are 404 and Basic auth works', async () => {
  const sim = await start({ sessionService: false });
  expect((await call(sim, 'GET', '/redfish/v1/')).data.SessionService).toBeUndefined();
  expect((await call(sim, 'POST', '/redfish/v1/SessionService/Sessions', { UserName: 'admin', Password: 'password' }, {})).status).toBe(404);
  expect((await call(sim, 'GET', SYSTEM)).status).toBe(200);
});

test('ETags on the system: a stale If-Match gets 412, the current one is applied and changes the ETag', async () => {
  const sim = await start();
  const read = await call(sim, 'GET', SYSTEM);
  expect(read.headers.etag).toBe(read.data['@odata.etag']);
  const boot = { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' } };
  const stale = await call(sim, 'PATCH', SYSTEM, boot, { Authorization: BASIC, 'If-Match': '"system-0"' });
  expect(stale.status).toBe(412);
  expect(messageIds(stale)).toEqual(['Base.1.16.PreconditionFailed']);
  expect((await call(sim, 'PATCH', SYSTEM, boot, { Authorization: BASIC, 'If-Match': read.headers.etag })).status).toBe(204);
  expect((await call(sim, 'GET', SYSTEM)).headers.etag).not.toBe(read.headers.etag);
  expect(sim.state.boot).toEqual({ target: 'Pxe', enabled: 'Once', mode: 'UEFI' });
});

test.each([
  ['a boot target not in the list', 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Floppy' } }, 400, 'PropertyValueNotInList', ['Floppy', 'Boot/BootSourceOverrideTarget']],
  ['a read-only property', 'PATCH', SYSTEM, { PowerState: 'On' }, 400, 'PropertyNotWritable', ['PowerState']],
  ['an unknown Reset parameter', 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'On', Force: true }, 400, 'ActionParameterNotSupported', ['Force', 'ComputerSystem.Reset']],
  ['a ResetType not allowed', 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'Nmi' }, 400, 'ActionParameterValueNotInList', ['Nmi', 'ResetType', 'ComputerSystem.Reset']],
  ['an unknown resource', 'GET', `${SYSTEM}/Storage/9`, undefined, 404, 'ResourceNotFound', ['resource', `${SYSTEM}/Storage/9`]],
  ['a method the resource does not support', 'DELETE', SYSTEM, undefined, 405, 'ActionNotSupported', [`DELETE ${SYSTEM}`]],
])('%s: %s %s gets a Base registry error', async (_name, method, path, body, status, key, args) => {
  const sim = await start();
  const res = await call(sim, method, path, body);
  expect(res.status).toBe(status);
  expect(res.data.error['@Message.ExtendedInfo']).toEqual([expect.objectContaining({ MessageId: `Base.1.16.${key}`, MessageArgs: args, Message: expect.any(String) })]);
});

test('power changes show a transitional state first and the result after the delay, calling the hook', async () => {
  const changes: string[] = [];
  const sim = await start({ onPowerChange: (s) => void changes.push(s) });
  expect((await call(sim, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'On' })).status).toBe(204);
  expect((await call(sim, 'GET', SYSTEM)).data.PowerState).toBe('PoweringOn');
  await wait(150);
  expect((await call(sim, 'GET', SYSTEM)).data.PowerState).toBe('On');
  expect(changes).toEqual(['On']);
});

test('an ignored GracefulShutdown leaves the host on', async () => {
  const sim = await start({ initialPowerState: 'On', ignoreGracefulShutdown: true });
  await call(sim, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'GracefulShutdown' });
  await wait(150);
  expect(sim.state.powerState).toBe('On');
  expect(sim.state.resets).toEqual(['GracefulShutdown']);
});

test('SecureErase is a task: 202 with Location, the monitor answers 202 while running, then the Completed Task', async () => {
  const sim = await start();
  const erase = await call(sim, 'POST', `${SYSTEM}/Storage/1/Drives/Disk.0/Actions/Drive.SecureErase`, {});
  expect(erase.status).toBe(202);
  expect(erase.headers.location).toBe('/redfish/v1/TaskService/Tasks/1/Monitor');
  expect(erase.data).toMatchObject({ TaskState: 'Running', TaskMonitor: erase.headers.location });
  expect((await call(sim, 'GET', erase.headers.location)).status).toBe(202);
  expect((await call(sim, 'GET', '/redfish/v1/TaskService/Tasks/1')).data.TaskState).toBe('Running');
  await wait(200);
  const done = await call(sim, 'GET', erase.headers.location);
  expect(done.status).toBe(200);
  expect(done.data).toMatchObject({ TaskState: 'Completed', TaskStatus: 'OK' });
  expect(sim.state.drives.get('Disk.0')!.erased).toBe(true);
});

test('virtual media with actions: PATCHing Image is refused, a second InsertMedia is 409 until ejected', async () => {
  const sim = await start();
  const cd = '/redfish/v1/Managers/1/VirtualMedia/Cd';
  expect(messageIds(await call(sim, 'PATCH', cd, { Image: 'http://x/a.iso' }))).toEqual(['Base.1.16.PropertyNotWritable']);
  expect((await call(sim, 'POST', `${cd}/Actions/VirtualMedia.InsertMedia`, { Image: 'http://x/a.iso' })).status).toBe(204);
  expect((await call(sim, 'POST', `${cd}/Actions/VirtualMedia.InsertMedia`, { Image: 'http://x/b.iso' })).status).toBe(409);
  expect((await call(sim, 'GET', cd)).data).toMatchObject({ Image: 'http://x/a.iso', Inserted: true, MediaTypes: ['CD', 'DVD'] });
});

describe('faults', () => {
  test('failNext answers the next N requests with the error status, then recovers', async () => {
    const sim = await start();
    sim.setFaults({ failNext: 2, errorStatus: 500 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(sim, 'GET', '/redfish/v1/')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  test('failPath fails only matching paths', async () => {
    const sim = await start();
    sim.setFaults({ failPath: /\/Managers/ });
    expect((await call(sim, 'GET', '/redfish/v1/Managers/1')).status).toBe(503);
    expect((await call(sim, 'GET', SYSTEM)).status).toBe(200);
  });

  test('dropNext destroys the connection without an answer and logs status 0', async () => {
    const sim = await start();
    sim.setFaults({ dropNext: 1 });
    await expect(call(sim, 'GET', SYSTEM)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sim.requestLog[sim.requestLog.length - 1]).toMatchObject({ path: SYSTEM, status: 0 });
    expect((await call(sim, 'GET', SYSTEM)).status).toBe(200);
  });

  test('delayMs holds every answer', async () => {
    const sim = await start();
    sim.setFaults({ delayMs: 200 });
    const began = Date.now();
    await call(sim, 'GET', '/redfish/v1/');
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
  });
});
