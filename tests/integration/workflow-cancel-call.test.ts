// Cancelling the gRPC call that runs a port job (terraform's Ctrl-C reaching the provider) against a real engine and a
// slow EOS simulator: the device call in flight finishes, no new forward device work starts (simulator command log,
// by time and session), the job compensates, the port is back as it was, and the doctor finds nothing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient, type JobInfo } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { CALL_CANCELLED } from '../../engine/src/api/port-handlers';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type CommandLogEntry, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const QUARANTINE = 999;
/** Per command: a port job's read session takes ~0.2 s, its apply session ~1.3 s, so a cancel lands mid-step. */
const SLOW_MS = 60;
const access = (vlan: number, description: string, mtu = 9000): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu, description, adminState: 'up' });

let dir: string;
let sim: SwitchSimulator;
let daemon: Daemon;
let client: EngineClient;
let tenancyVlan: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-cancel-call-'));
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE });
  writeFileSync(join(dir, 'inventory.yaml'), `
credentials:
  leaf-admin: { username: admin, password: sim-pass }
segments:
  quarantine: { vlan: ${QUARANTINE} }
  pools: [{ name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]
switches:
  - { id: leaf1, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: leaf-admin, host_key: "${sim.hostKeyFingerprint}", ports: [Ethernet1-4] }
`);
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
  });
  client = EngineClient.fromDataDir(join(dir, 'engine'));
  // The ports join a tenancy's VLAN, so the VLAN an undone job leaves on the switch is accounted for.
  tenancyVlan = (await client.allocateTenancyNetwork({ tenancyId: 't1' })).vlan;
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => sim.setFaults({ commandDelayMs: SLOW_MS }));

/** Resolves when `pred` holds, polling. */
async function until(pred: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The newest port.configure job (other than `not`) once it has finished. */
async function finishedJob(not?: string): Promise<JobInfo> {
  let job: JobInfo | undefined;
  await until(async () => {
    [job] = await client.listJobs({ kind: 'port.configure', limit: 1 });
    return job !== undefined && job.id !== not && job.state !== 'running';
  });
  return job!;
}

const commandsOf = (session: number) => sim.commandLog.filter((c) => c.session === session).map((c) => c.command);
const sessionsAfter = (at: string) => [...new Set(sim.commandLog.filter((c: CommandLogEntry) => c.at >= at).map((c) => c.session))];
const stepStates = (job: JobInfo) => job.steps.map((s) => `${s.name}:${s.state}`);

/**
 * Starts ApplyPortConfig with an AbortSignal, aborts it once the simulator has
 * received the first command of the `step`th session the job opens (1 = the
 * read-current step, 2 = the apply step), and waits for the job to end.
 */
async function applyCancelledInSession(port: string, config: PortConfig, step: 1 | 2) {
  const base = sim.stats.sessions;
  const ctrl = new AbortController();
  const call = client.applyPortConfig({ switchId: 'leaf1', port, config, owner: 'tf:web' }, { signal: ctrl.signal }).then(() => null, (e) => e);
  await until(() => sim.commandLog.some((c) => c.session === base + step));
  const cancelledAt = new Date().toISOString();
  ctrl.abort(new Error('terraform was interrupted'));
  const err: unknown = await call;
  const job = await finishedJob();
  return { err, job, base, cancelledAt };
}

const portNow = async (port: string) => ({
  config: sim.state.port(port),
  owner: (await client.getSwitch('leaf1')).ports.find((p) => p.name === port)!.owner,
});

test('cancelled while the port is read: the read finishes, nothing is applied, and the port is untouched', async () => {
  const { err, job, base, cancelledAt } = await applyCancelledInSession('Ethernet1', access(tenancyVlan, 'web'), 1);

  expect(err).toBeInstanceOf(EngineApiError);
  expect(err).toMatchObject({ code: 'aborted', message: expect.stringContaining('ApplyPortConfig was cancelled (terraform was interrupted)') });
  expect(job).toMatchObject({ state: 'failed', phase: 'compensating', cancelRequested: CALL_CANCELLED });
  expect(job.error).toBe(`step "apply" failed: cancelled: ${CALL_CANCELLED}`);
  expect(stepStates(job)).toEqual(['validate:done', 'read-current:done']);
  // The read in flight ran to its end; after the cancel the switch saw only that session, and no session since.
  expect(commandsOf(base + 1).at(-1)).toBe('show running-config interfaces Ethernet1');
  expect(sessionsAfter(cancelledAt)).toEqual([base + 1]);
  expect(sim.stats.sessions).toBe(base + 1);
  expect(await portNow('Ethernet1')).toEqual({ config: quarantineConfig(QUARANTINE), owner: '' });
  sim.setFaults({});
  expect((await client.runDoctor()).findings).toEqual([]);
});

const applyCases: [string, string, (() => Promise<unknown>) | null, { config: PortConfig; owner: string }][] = [
  ['a port in quarantine goes back to quarantine, unowned', 'Ethernet2', null, { config: quarantineConfig(QUARANTINE), owner: '' }],
  ['an owned port gets its previous config and owner back', 'Ethernet3',
    () => client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: access(100, 'web v1', 1500), owner: 'tf:web' }),
    { config: access(100, 'web v1', 1500), owner: 'tf:web' }],
];

test.each(applyCases)('cancelled while the change is applied: the apply finishes, then is undone — %s', async (_name, port, setup, previous) => {
  sim.setFaults({});
  await setup?.();
  sim.setFaults({ commandDelayMs: SLOW_MS });
  const { err, job, base, cancelledAt } = await applyCancelledInSession(port, access(tenancyVlan, 'web v2'), 2);

  expect(err).toMatchObject({ code: 'aborted' });
  expect(job).toMatchObject({ state: 'failed', phase: 'compensating', cancelRequested: CALL_CANCELLED });
  expect(job.error).toBe(`step "finish" failed: cancelled: ${CALL_CANCELLED} (undone: apply)`);
  expect(stepStates(job)).toEqual(['validate:done', 'read-current:done', 'apply:undone', 'undo apply:done']);
  const [apply, undo] = job.steps.slice(2);
  expect(undo.startedAt >= apply.finishedAt!).toBe(true);
  // The apply in flight was saved and read back in full; the only session opened after the cancel is the undo,
  // which puts the previous config back; nothing else reached the switch.
  const applied = commandsOf(base + 2);
  expect(applied.slice(-2)).toEqual(['copy running-config startup-config', `show running-config interfaces ${port}`]);
  expect(sessionsAfter(cancelledAt)).toEqual([base + 2, base + 3]);
  expect(sim.stats.sessions).toBe(base + 3);
  expect(commandsOf(base + 3)).toEqual(expect.arrayContaining([`interface ${port}`, `switchport access vlan ${previous.config.accessVlan}`, 'copy running-config startup-config']));
  expect(await portNow(port)).toEqual(previous);
  expect(sim.state.savedMatchesRunning()).toBe(true);
  sim.setFaults({});
  expect((await client.runDoctor()).findings).toEqual([]);
});

test('cancelled while waiting for the port (another job holds it): the job is cancelled before any device work', async () => {
  const first = client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet4', config: access(tenancyVlan, 'first'), owner: 'tf:web' });
  const base = sim.stats.sessions;
  await until(() => sim.commandLog.some((c) => c.session === base + 1));
  const ctrl = new AbortController();
  const second = client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet4', config: access(tenancyVlan, 'second'), owner: 'tf:web' }, { signal: ctrl.signal })
    .then(() => null, (e) => e);
  await new Promise((r) => setTimeout(r, 100));
  ctrl.abort(new Error('terraform was interrupted'));
  expect(await second).toMatchObject({ code: 'aborted' });
  const { jobId: firstJob } = await first;
  const sessionsAfterFirst = sim.stats.sessions;

  const job = await finishedJob(firstJob);
  expect(job).toMatchObject({ state: 'failed', cancelRequested: CALL_CANCELLED });
  expect(stepStates(job)).toEqual(['validate:done']);
  expect(sim.stats.sessions).toBe(sessionsAfterFirst);
  expect(await portNow('Ethernet4')).toEqual({ config: access(tenancyVlan, 'first'), owner: 'tf:web' });
  sim.setFaults({});
  expect((await client.runDoctor()).findings).toEqual([]);
});
