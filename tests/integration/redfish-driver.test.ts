// The Redfish driver against the Redfish BMC simulator: the exact requests of every operation, async power and tasks, auth, ETags, faults, TLS.

import { BmcError, type BmcConnectionOptions, type BmcDriver } from '../../engine/src/drivers/bmc/bmc';
import { createRedfishDriver } from '../../engine/src/drivers/bmc/redfish';
import { type LoggedRequest, type RedfishSimulator, type RedfishSimulatorOptions, startRedfishSimulator } from '../../lab/src/redfish-bmc/server';

const SYSTEM = '/redfish/v1/Systems/1';
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;
const SESSIONS = '/redfish/v1/SessionService/Sessions';
const MANAGER_CD = '/redfish/v1/Managers/1/VirtualMedia/Cd';
const SYSTEM_CD = `${SYSTEM}/VirtualMedia/Cd`;
const DRIVES = `${SYSTEM}/Storage/1/Drives`;
const VOLUMES = `${SYSTEM}/Storage/1/Volumes`;

interface Rig {
  sim: RedfishSimulator;
  driver: BmcDriver;
  warnings: string[];
}

const open: Rig[] = [];

afterEach(async () => {
  for (const { sim, driver } of open.splice(0)) {
    await driver.close();
    await sim.close();
  }
});

async function rig(simOpts: RedfishSimulatorOptions = {}, driverOpts: Partial<BmcConnectionOptions> = {}): Promise<Rig> {
  const sim = await startRedfishSimulator({ powerDelayMs: 60, secureEraseMs: 150, volumeInitializeMs: 150, ...simOpts });
  const warnings: string[] = [];
  const driver = createRedfishDriver({
    endpoint: sim.endpoint,
    username: 'admin',
    password: 'password',
    tls: { fingerprintSha256: sim.fingerprintSha256 },
    pollIntervalMs: 20,
    powerTimeoutMs: 2000,
    gracefulShutdownTimeoutMs: 250,
    taskTimeoutMs: 3000,
    requestTimeoutMs: 1000,
    warn: (m) => warnings.push(m),
    ...driverOpts,
  });
  const r = { sim, driver, warnings };
  open.push(r);
  return r;
}

/** Runs `fn` and returns the requests it caused. */
async function during(sim: RedfishSimulator, fn: () => Promise<unknown>): Promise<LoggedRequest[]> {
  const from = sim.requestLog.length;
  await fn();
  return sim.requestLog.slice(from);
}

const lines = (log: LoggedRequest[]) => log.map((r) => `${r.method} ${r.path} ${r.status}`);
const writes = (log: LoggedRequest[]) => log.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }));

async function rejection(promise: Promise<unknown>): Promise<BmcError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BmcError);
  return err as BmcError;
}

describe('discovery and authentication', () => {
  test('logs in with a session from Links.Sessions, sends X-Auth-Token, and deletes the session on close', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    expect(lines(sim.requestLog)).toEqual(['GET /redfish/v1/ 200', `POST ${SESSIONS} 201`, 'GET /redfish/v1/Systems 200', `GET ${SYSTEM} 200`]);
    expect(sim.requestLog[1].body).toEqual({ UserName: 'admin', Password: 'password' });
    const [session] = [...sim.state.sessions.values()];
    for (const r of sim.requestLog.slice(2)) {
      expect(r.headers['x-auth-token']).toBe(session.token);
      expect(r.headers.authorization).toBeUndefined();
    }
    const closing = await during(sim, () => driver.close());
    expect(lines(closing)).toEqual([`DELETE ${SESSIONS}/${session.id} 204`]);
    expect(closing[0].headers['x-auth-token']).toBe(session.token);
    expect(sim.state.sessions.size).toBe(0);
  });

  test('falls back to HTTP Basic when the service has no SessionService', async () => {
    const { sim, driver } = await rig({ sessionService: false });
    await driver.validate();
    expect(lines(sim.requestLog)).toEqual(['GET /redfish/v1/ 200', 'GET /redfish/v1/Systems 200', `GET ${SYSTEM} 200`]);
    const basic = `Basic ${Buffer.from('admin:password').toString('base64')}`;
    expect(sim.requestLog.slice(1).map((r) => r.headers.authorization)).toEqual([basic, basic]);
    expect(await during(sim, () => driver.close())).toEqual([]);
  });

  test.each([404, 405])('falls back to HTTP Basic when creating a session answers %i', async (status) => {
    const { sim, driver } = await rig();
    sim.setFaults({ failPath: SESSIONS, errorStatus: status });
    await driver.validate();
    expect(lines(sim.requestLog)).toEqual(['GET /redfish/v1/ 200', `POST ${SESSIONS} ${status}`, 'GET /redfish/v1/Systems 200', `GET ${SYSTEM} 200`]);
    expect(sim.requestLog[3].headers.authorization).toBe(`Basic ${Buffer.from('admin:password').toString('base64')}`);
    expect(sim.requestLog[3].headers['x-auth-token']).toBeUndefined();
  });

  test('logs in again once when the session expired, and repeats the request', async () => {
    const { sim, driver } = await rig({ sessionIdleTimeoutMs: 100 });
    await driver.validate();
    const firstToken = sim.requestLog[2].headers['x-auth-token'];
    await new Promise((r) => setTimeout(r, 200));
    const log = await during(sim, () => driver.power.getPowerState());
    expect(lines(log)).toEqual([`GET ${SYSTEM} 401`, `POST ${SESSIONS} 201`, `GET ${SYSTEM} 200`]);
    expect(log[0].headers['x-auth-token']).toBe(firstToken);
    expect(log[2].headers['x-auth-token']).not.toBe(firstToken);
    expect(log[2].headers['x-auth-token']).toBe([...sim.state.sessions.values()][0].token);
  });

  test('wrong credentials: a non-retryable 401 with the BMC message and without the password', async () => {
    const { driver } = await rig({}, { password: 'not-the-password' });
    const err = await rejection(driver.validate());
    expect(err.status).toBe(401);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`POST ${SESSIONS} (login as admin) failed with HTTP 401: There is no valid session`);
    expect(err.message).not.toContain('not-the-password');
  });

  test.each([
    ['the system with the given Id', '1', undefined],
    ['an unknown Id is refused with the Ids the BMC has', 'nope', 'no system with Id "nope" (systems: 1)'],
  ])('systemId: %s', async (_name, systemId, error) => {
    const { driver } = await rig({}, { systemId });
    if (error) expect((await rejection(driver.validate())).message).toContain(error);
    else await expect(driver.validate()).resolves.toBeUndefined();
  });
});

describe('inventory', () => {
  test('reads summaries, lowercase MACs, drives and volumes by following links', async () => {
    const { sim, driver } = await rig({ macs: ['52:54:00:AB:CD:01', '52-54-00-AB-CD-02'] });
    const inventory = await driver.inventory.getInventory();
    expect(inventory).toEqual({
      systemId: '1',
      serialNumber: 'SIM0001',
      powerState: 'Off',
      processors: { count: 2, model: 'Simulated Xeon 16-core' },
      memoryGiB: 64,
      nics: [
        { id: 'NIC.1', mac: '52:54:00:ab:cd:01' },
        { id: 'NIC.2', mac: '52:54:00:ab:cd:02' },
      ],
      drives: [
        { id: 'Disk.0', storageId: '1', capacityBytes: 480 * 1024 ** 3, mediaType: 'SSD', serialNumber: 'SIMSSD0' },
        { id: 'Disk.1', storageId: '1', capacityBytes: 1920 * 1024 ** 3, mediaType: 'HDD', serialNumber: 'SIMHDD1' },
      ],
      volumes: [{ id: 'Volume.0', storageId: '1', capacityBytes: 480 * 1024 ** 3 }],
    });
    expect(sim.requestLog.filter((r) => r.method !== 'GET')).toHaveLength(1); // the login only
  });
});

describe('power', () => {
  test('On sends ComputerSystem.Reset to the advertised target and polls PowerState until On', async () => {
    const changes: string[] = [];
    const { sim, driver } = await rig({ powerDelayMs: 150, onPowerChange: (s) => void changes.push(s) });
    await driver.validate();
    const log = await during(sim, () => driver.power.setPower('On'));
    expect(writes(log)).toEqual([{ method: 'POST', path: RESET, body: { ResetType: 'On' } }]);
    const pollsAfter = log.slice(log.findIndex((r) => r.method === 'POST') + 1).filter((r) => r.path === SYSTEM);
    expect(pollsAfter.length).toBeGreaterThan(1);
    expect(sim.state.powerState).toBe('On');
    expect(changes).toEqual(['On']);
  });

  test.each([
    ['On', 'On'],
    ['ForceOff', 'Off'],
    ['GracefulShutdown', 'Off'],
  ] as const)('%s when already %s sends nothing', async (action, state) => {
    const { sim, driver } = await rig({ initialPowerState: state });
    const log = await during(sim, () => driver.power.setPower(action));
    expect(writes(log).filter((w) => w.path === RESET)).toEqual([]);
  });

  test('GracefulShutdown that the OS honours sends only GracefulShutdown', async () => {
    const { sim, driver } = await rig({ initialPowerState: 'On' });
    await driver.validate();
    const log = await during(sim, () => driver.power.setPower('GracefulShutdown'));
    expect(writes(log)).toEqual([{ method: 'POST', path: RESET, body: { ResetType: 'GracefulShutdown' } }]);
    expect(sim.state.powerState).toBe('Off');
  });

  test('GracefulShutdown that is ignored falls back to ForceOff after the graceful timeout', async () => {
    const { sim, driver, warnings } = await rig({ initialPowerState: 'On', ignoreGracefulShutdown: true });
    await driver.validate();
    const log = await during(sim, () => driver.power.setPower('GracefulShutdown'));
    expect(writes(log).map((w) => w.body)).toEqual([{ ResetType: 'GracefulShutdown' }, { ResetType: 'ForceOff' }]);
    expect(sim.state.powerState).toBe('Off');
    expect(sim.state.resets).toEqual(['GracefulShutdown', 'ForceOff']);
    expect(warnings.join('\n')).toContain('GracefulShutdown did not power the host off in time; forcing it off');
  });

  test.each([
    ['a running host is restarted with ForceRestart', 'On', 'ForceRestart'],
    ['a powered-off host is powered on instead', 'Off', 'On'],
  ] as const)('ForceRestart: %s', async (_name, initial, sent) => {
    const { sim, driver } = await rig({ initialPowerState: initial });
    const log = await during(sim, () => driver.power.setPower('ForceRestart'));
    expect(writes(log).filter((w) => w.path === RESET).map((w) => w.body)).toEqual([{ ResetType: sent }]);
    expect(sim.state.powerState).toBe('On');
  });

  test('a ResetType the BMC does not allow is refused before anything is sent', async () => {
    const { sim, driver } = await rig({ initialPowerState: 'On', resetTypes: ['On', 'ForceOff'] });
    const err = await rejection(driver.power.setPower('GracefulShutdown'));
    expect(err.message).toContain('#ComputerSystem.Reset does not allow ResetType "GracefulShutdown" on this BMC (allowed: On, ForceOff)');
    expect(err.retryable).toBe(false);
    expect(sim.requestLog.some((r) => r.path === RESET)).toBe(false);
  });

  test('a power change the BMC never reports fails retryably after the power timeout', async () => {
    const { driver } = await rig({ powerDelayMs: 5000 }, { powerTimeoutMs: 200 });
    const err = await rejection(driver.power.setPower('On'));
    expect(err.message).toContain('PowerState did not become On within 200 ms after ResetType On');
    expect(err.retryable).toBe(true);
  });
});

describe('boot override', () => {
  test('PATCHes Boot with If-Match set to the ETag just read', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    const log = await during(sim, () => driver.boot.setBootOverride('Pxe', 'Once', 'UEFI'));
    expect(lines(log)).toEqual([`GET ${SYSTEM} 200`, `PATCH ${SYSTEM} 204`]);
    expect(log[1].body).toEqual({ Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'UEFI' } });
    expect(log[1].headers['if-match']).toBe('"system-1"');
    expect(await driver.boot.getBootOverride()).toEqual({ device: 'Pxe', persistence: 'Once', mode: 'UEFI' });
    expect(writes(await during(sim, () => driver.boot.setBootOverride('Pxe', 'Once', 'UEFI')))).toEqual([]);
  });

  test('on 412 it re-reads the resource and retries once with the new ETag', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    sim.setFaults({ concurrentWrites: 1 });
    const log = await during(sim, () => driver.boot.setBootOverride('Cd', 'Continuous'));
    expect(lines(log)).toEqual([`GET ${SYSTEM} 200`, `PATCH ${SYSTEM} 412`, `GET ${SYSTEM} 200`, `PATCH ${SYSTEM} 204`]);
    expect(log[1].headers['if-match']).toBe('"system-1"');
    expect(log[3].headers['if-match']).toBe('"system-2"');
    expect(sim.state.boot).toEqual({ target: 'Cd', enabled: 'Continuous', mode: 'UEFI' });
  });

  test('a second 412 is reported with the BMC message', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    sim.setFaults({ concurrentWrites: 2 });
    const err = await rejection(driver.boot.setBootOverride('Hdd', 'Once'));
    expect(err.status).toBe(412);
    expect(err.message).toContain(`PATCH ${SYSTEM} failed with HTTP 412: The ETag in If-Match does not match`);
  });

  test('a device outside BootSourceOverrideTarget@Redfish.AllowableValues is refused without a PATCH', async () => {
    const { sim, driver } = await rig({ bootTargets: ['None', 'Pxe', 'Hdd'] });
    const err = await rejection(driver.boot.setBootOverride('Cd', 'Once'));
    expect(err.message).toContain('Boot.BootSourceOverrideTarget "Cd" is not supported by this BMC (allowed: None, Pxe, Hdd)');
    expect(sim.requestLog.some((r) => r.method === 'PATCH')).toBe(false);
  });
});

describe('virtual media', () => {
  const IMAGE = 'http://127.0.0.1:8080/images/installer.iso';

  test('found via the Manager: InsertMedia and EjectMedia actions on the CD member, idempotent', async () => {
    const { sim, driver } = await rig();
    const inserting = await during(sim, () => driver.virtualMedia.insertMedia(IMAGE));
    expect(inserting.map((r) => r.path)).toContain('/redfish/v1/Managers/1');
    expect(writes(inserting).slice(1)).toEqual([{ method: 'POST', path: `${MANAGER_CD}/Actions/VirtualMedia.InsertMedia`, body: { Image: IMAGE, Inserted: true, WriteProtected: true } }]);
    expect(sim.state.media).toEqual({ image: IMAGE, inserted: true, writeProtected: true });
    expect(await driver.virtualMedia.getVirtualMedia()).toEqual({ image: IMAGE, inserted: true });
    expect(writes(await during(sim, () => driver.virtualMedia.insertMedia(IMAGE)))).toEqual([]);
    const ejecting = await during(sim, () => driver.virtualMedia.ejectMedia());
    expect(writes(ejecting)).toEqual([{ method: 'POST', path: `${MANAGER_CD}/Actions/VirtualMedia.EjectMedia`, body: {} }]);
    expect(sim.state.media.inserted).toBe(false);
    expect(writes(await during(sim, () => driver.virtualMedia.ejectMedia()))).toEqual([]);
  });

  test('found via the System when it links VirtualMedia, without reading Managers', async () => {
    const { sim, driver } = await rig({ virtualMediaUnder: 'system' });
    await driver.validate();
    const log = await during(sim, () => driver.virtualMedia.insertMedia(IMAGE));
    expect(writes(log)).toEqual([{ method: 'POST', path: `${SYSTEM_CD}/Actions/VirtualMedia.InsertMedia`, body: { Image: IMAGE, Inserted: true, WriteProtected: true } }]);
    expect(log.some((r) => r.path.startsWith('/redfish/v1/Managers'))).toBe(false);
  });

  test('another image is ejected before the new one is inserted', async () => {
    const { sim, driver } = await rig();
    await driver.virtualMedia.insertMedia(IMAGE);
    const log = await during(sim, () => driver.virtualMedia.insertMedia(`${IMAGE}.v2`));
    expect(writes(log).map((w) => w.path)).toEqual([`${MANAGER_CD}/Actions/VirtualMedia.EjectMedia`, `${MANAGER_CD}/Actions/VirtualMedia.InsertMedia`]);
    expect(sim.state.media.image).toBe(`${IMAGE}.v2`);
  });

  test('an older BMC without the actions gets PATCH Image/Inserted', async () => {
    const { sim, driver } = await rig({ virtualMediaActions: false });
    await driver.validate();
    const inserting = await during(sim, () => driver.virtualMedia.insertMedia(IMAGE));
    expect(writes(inserting)).toEqual([{ method: 'PATCH', path: MANAGER_CD, body: { Image: IMAGE, Inserted: true, WriteProtected: true } }]);
    const ejecting = await during(sim, () => driver.virtualMedia.ejectMedia());
    expect(writes(ejecting)).toEqual([{ method: 'PATCH', path: MANAGER_CD, body: { Image: null, Inserted: false } }]);
    expect(sim.state.media).toEqual({ image: null, inserted: false, writeProtected: true });
  });
});

describe('cleaning tasks', () => {
  test('SecureErase: 202 + Location, monitor polled while 202, Completed task; the drive is erased', async () => {
    const erased: string[] = [];
    const { sim, driver } = await rig({ secureEraseMs: 200, onSecureErase: (id) => void erased.push(id) });
    await driver.validate();
    const log = await during(sim, () => driver.cleaning.secureEraseDrive('Disk.1'));
    expect(writes(log)).toEqual([{ method: 'POST', path: `${DRIVES}/Disk.1/Actions/Drive.SecureErase`, body: {} }]);
    const monitor = log.filter((r) => r.path.endsWith('/Monitor'));
    expect(monitor.length).toBeGreaterThan(2);
    expect(monitor.map((r) => r.status).slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(monitor[monitor.length - 1].status).toBe(200);
    expect(monitor[0].path).toBe('/redfish/v1/TaskService/Tasks/1/Monitor');
    expect(sim.state.drives.get('Disk.1')!.erased).toBe(true);
    expect(sim.state.drives.get('Disk.0')!.erased).toBe(false);
    expect(erased).toEqual(['Disk.1']);
  });

  test('a task ending in Exception fails with the Task messages', async () => {
    const { driver } = await rig({
      onSecureErase: () => {
        throw new Error('drive is write protected');
      },
    });
    const err = await rejection(driver.cleaning.secureEraseDrive('Disk.0'));
    expect(err.message).toContain(`POST ${DRIVES}/Disk.0/Actions/Drive.SecureErase: task 1 ended Exception: Secure erase of drive Disk.0 failed: drive is write protected`);
    expect(err.bmcMessages).toEqual(['Secure erase of drive Disk.0 failed: drive is write protected']);
    expect(err.retryable).toBe(false);
  });

  test.each([
    ['completes on 204', undefined, undefined],
    ['fails with the error response of the monitor', 'media failure', 'failed with HTTP 500: Secure erase of drive Disk.0 failed: media failure'],
  ])('monitor answering the operation response: %s', async (_name, failure, expected) => {
    const onSecureErase = () => {
      if (failure) throw new Error(failure);
    };
    const { sim, driver } = await rig({ taskMonitorAnswer: 'response', onSecureErase });
    const run = driver.cleaning.secureEraseDrive('Disk.0');
    if (expected) expect((await rejection(run)).message).toContain(expected);
    else await run;
    expect(sim.requestLog[sim.requestLog.length - 1].status).toBe(failure ? 500 : 204);
  });

  test('Volume.Initialize Fast completes at once (204), Slow runs as a task', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    const fast = await during(sim, () => driver.cleaning.initializeVolume('Volume.0', 'Fast'));
    expect(writes(fast)).toEqual([{ method: 'POST', path: `${VOLUMES}/Volume.0/Actions/Volume.Initialize`, body: { InitializeType: 'Fast' } }]);
    expect(fast.some((r) => r.path.endsWith('/Monitor'))).toBe(false);
    const slow = await during(sim, () => driver.cleaning.initializeVolume('Volume.0', 'Slow'));
    expect(writes(slow).map((w) => w.body)).toEqual([{ InitializeType: 'Slow' }]);
    expect(slow.filter((r) => r.path.endsWith('/Monitor')).length).toBeGreaterThan(1);
    expect(sim.state.volumes.get('Volume.0')!.initializations).toEqual(['Fast', 'Slow']);
  });

  test('an InitializeType outside the allowable values is refused before anything is sent', async () => {
    const { sim, driver } = await rig();
    const err = await rejection(driver.cleaning.initializeVolume('Volume.0', 'Quick' as 'Fast'));
    expect(err.message).toContain('#Volume.Initialize does not allow InitializeType "Quick"');
    expect(sim.requestLog.some((r) => r.path.includes('Volume.Initialize'))).toBe(false);
  });

  test('an unknown drive is named with the drives the BMC has', async () => {
    const { driver } = await rig();
    expect((await rejection(driver.cleaning.secureEraseDrive('Disk.9'))).message).toContain('no drive with Id "Disk.9" (drives: Disk.0, Disk.1)');
  });

  test('a task still running after the task timeout fails retryably', async () => {
    const { driver } = await rig({ secureEraseMs: 5000 }, { taskTimeoutMs: 200 });
    const err = await rejection(driver.cleaning.secureEraseDrive('Disk.0'));
    expect(err.message).toContain('task /redfish/v1/TaskService/Tasks/1/Monitor still Running after 200 ms (taskTimeoutMs)');
    expect(err.retryable).toBe(true);
  });
});

describe('errors and faults', () => {
  test('a 5xx is retryable and carries the @Message.ExtendedInfo text; the next request succeeds', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    sim.setFaults({ failNext: 1 });
    const err = await rejection(driver.power.getPowerState());
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`BMC ${sim.endpoint}: GET ${SYSTEM} failed with HTTP 503: The service is temporarily unavailable; retry in 1 seconds.`);
    expect(err.bmcMessages).toEqual(['The service is temporarily unavailable; retry in 1 seconds.']);
    await expect(driver.power.getPowerState()).resolves.toBe('Off');
  });

  test('a 4xx is not retryable', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    sim.setFaults({ failPath: RESET, errorStatus: 400 });
    const err = await rejection(driver.power.setPower('On'));
    expect(err.status).toBe(400);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`POST ${RESET} failed with HTTP 400`);
  });

  test('a response slower than requestTimeoutMs is a retryable timeout', async () => {
    const { sim, driver } = await rig({}, { requestTimeoutMs: 150 });
    await driver.validate();
    sim.setFaults({ delayMs: 400 });
    const err = await rejection(driver.power.getPowerState());
    expect(err.message).toBe(`BMC ${sim.endpoint}: GET ${SYSTEM} got no answer within 150 ms (requestTimeoutMs)`);
    expect(err.retryable).toBe(true);
  });

  test('a dropped connection is retryable', async () => {
    const { sim, driver } = await rig();
    await driver.validate();
    sim.setFaults({ dropNext: 1 });
    const err = await rejection(driver.power.getPowerState());
    expect(err.retryable).toBe(true);
    expect(err.status).toBeUndefined();
    expect(err.message).toMatch(/GET \/redfish\/v1\/Systems\/1 failed: ECONNRESET/);
  });

  test('a refused connection is retryable', async () => {
    const { sim, driver } = await rig();
    await sim.close();
    open.splice(0);
    const err = await rejection(driver.validate());
    expect(err.message).toContain('GET /redfish/v1/ failed: ECONNREFUSED');
    expect(err.retryable).toBe(true);
    await driver.close();
  });
});

describe('TLS', () => {
  test('verification is on by default: the self-signed certificate is refused before any request', async () => {
    const { sim, driver } = await rig({}, { tls: undefined });
    const err = await rejection(driver.validate());
    expect(err.message).toMatch(/TLS certificate refused for GET \/redfish\/v1\/ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
    expect(err.message).toContain('trust it with tls.caCertPem or pin it with tls.fingerprintSha256');
    expect(err.retryable).toBe(false);
    expect(sim.requestLog).toEqual([]);
  });

  test.each([
    ['trusting the certificate as a CA', (sim: RedfishSimulator) => ({ caCertPem: sim.certPem })],
    ['pinning its fingerprint, colons and case as in the option', (sim: RedfishSimulator) => ({ fingerprintSha256: sim.fingerprintSha256 })],
    ['pinning its fingerprint spelled as bare lowercase hex', (sim: RedfishSimulator) => ({ fingerprintSha256: sim.fingerprintSha256.replace(/:/g, '').toLowerCase() })],
  ])('%s works', async (_name, tls) => {
    const { sim } = await rig();
    const driver = createRedfishDriver({ endpoint: sim.endpoint, username: 'admin', password: 'password', tls: tls(sim) });
    try {
      await expect(driver.power.getPowerState()).resolves.toBe('Off');
    } finally {
      await driver.close();
    }
  });

  test('a wrong fingerprint is refused and no request bytes reach the server', async () => {
    const wrong = 'AA:'.repeat(31) + 'AA';
    const { sim, driver } = await rig({}, { tls: { fingerprintSha256: wrong } });
    const err = await rejection(driver.validate());
    expect(err.message).toContain(`ERR_TLS_CERT_FINGERPRINT_MISMATCH: certificate fingerprint ${sim.fingerprintSha256} does not match the pinned ${wrong}`);
    expect(err.retryable).toBe(false);
    expect(sim.requestLog).toEqual([]);
  });

  test('insecure is explicit and logged', async () => {
    const { driver, warnings } = await rig({}, { tls: { insecure: true } });
    await expect(driver.power.getPowerState()).resolves.toBe('Off');
    expect(warnings[0]).toContain('TLS verification is disabled for BMC');
  });
});
