// kill -9 recovery: the engine runs as a child process; an instance.create job is killed at each step in turn, the
// engine restarts on the same data dir, and the job completes (or, when cancelled, compensates) with the doctor
// reporting no orphans and the simulated switch and BMC consistent with the server's state.

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient, type JobInfo } from '../../engine/src/api/client';
import { runDoctor } from '../../engine/src/doctor';
import { quarantineConfig } from '../../engine/src/domain/port-config';
import { allocateTenancyNetwork } from '../../engine/src/ipam';
import type { InstanceRecord } from '../../engine/src/store/instance-store';
import { openSqliteStore } from '../../engine/src/store/sqlite';
import type { InstanceCreateInput } from '../../engine/src/workflow/instance-create';
import { startRedfishSimulator, type RedfishSimulator } from '../../lab/src/redfish-bmc/server';
import { simEstateInventory } from '../../lab/src/sim-estate-inventory';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';
import { cleanEnv, spawnTs } from '../unit/plugin-child-process';

jest.setTimeout(90_000);

const STEPS = ['allocate-server', 'allocate-ip', 'ports-provisioning', 'install', 'ports-tenancy', 'disk-boot', 'os-configure', 'power-state', 'mark-active'];
/** Steps that only touch the store finish within a millisecond: the kill lands as soon as they are journaled (os-configure: no `os` in this inventory). */
const STORE_ONLY = new Set(['allocate-server', 'allocate-ip', 'os-configure', 'mark-active']);
const IMAGE = { name: 'debian-12', url: 'https://images.example/debian-12.iso', installTimeoutS: 60 };
const QUARANTINE = 999;
const PROVISIONING = 998;

interface Lab {
  dir: string;
  leaf: SwitchSimulator;
  bmc: RedfishSimulator;
}

async function startLab(): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-recovery-'));
  const leaf = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sw-pass', quarantineVlan: QUARANTINE, commandDelayMs: 25 });
  const bmc = await startRedfishSimulator({ username: 'root', password: 'bmc-pass', powerDelayMs: 250, secureEraseMs: 150, installMs: 400 });
  bmc.setFaults({ delayMs: 60 });
  writeFileSync(join(dir, 'inventory.yaml'), simEstateInventory({
    quarantineVlan: QUARANTINE, provisioningVlan: PROVISIONING,
    leaves: [{ id: 'leaf1', port: leaf.port, hostKeyFingerprint: leaf.hostKeyFingerprint, ports: 4 }],
    servers: [{
      id: 'srv-1', serial: 'SIM0001', bmc,
      nics: [{ name: 'eth0', mac: '52:54:00:aa:00:01', switch: 'leaf1', port: 'Ethernet1' }, { name: 'eth1', mac: '52:54:00:aa:00:02', switch: 'leaf1', port: 'Ethernet2' }],
    }],
  }));
  return { dir, leaf, bmc };
}

async function stopLab(lab: Lab): Promise<void> {
  await Promise.all([lab.leaf.close(), lab.bmc.close()]);
  rmSync(lab.dir, { recursive: true, force: true });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `maestro engine serve` in a child process (TypeScript through the swc hook); resolves once engine.json names it. */
async function startEngine(dataDir: string, inventory?: string): Promise<ChildProcess> {
  const args = ['engine/src/cli/main.ts', 'engine', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--bmc-poll-ms', '40', '--batch-window-ms', '10'];
  const child = spawnTs(inventory ? [...args, '--inventory', inventory] : args, cleanEnv());
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const engineFile = join(dataDir, 'engine.json');
  await until(`the engine to serve (stderr: ${stderr.slice(-500)})`, () => {
    if (child.exitCode !== null) throw new Error(`engine exited with ${child.exitCode}: ${stderr}`);
    return existsSync(engineFile) && servedBy(engineFile) === child.pid ? true : undefined;
  });
  return child;
}

/** The pid engine.json names; undefined while the file is being written (it is not written atomically). */
function servedBy(engineFile: string): number | undefined {
  try {
    return JSON.parse(readFileSync(engineFile, 'utf8')).pid;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** The journal as another process sees it (SQLite WAL readers do not block the engine). */
function journalRows(dataDir: string, jobId: string): { name: string; state: string }[] {
  const db = openSqliteStore(join(dataDir, 'maestro.db'));
  try {
    return db.db.prepare("SELECT name, state FROM job_steps WHERE job_id = ? AND step_phase = 'do' ORDER BY seq").all(jobId) as { name: string; state: string }[];
  } finally {
    void db.close();
  }
}

/** The record the API would write before starting the job. */
function instanceRecord(): InstanceRecord {
  return {
    id: 'web-1', tenancyId: 't1', profile: 'general', serverId: null, image: IMAGE.name, hostname: '', sshAuthorizedKeys: [], userData: '', powerState: 'on',
    secureEraseOnDelete: true, ipAddress: null, state: 'creating', stateReason: null, createdAt: new Date().toISOString(), jobId: null,
  };
}

interface Run {
  job: JobInfo;
  lab: Lab;
  dataDir: string;
}

/**
 * Starts instance.create, kills the engine with SIGKILL once step `kill` is journaled as running (the simulators
 * are slow enough for device steps to be caught in flight), restarts it, waits for the job's end.
 */
async function crashAt(kill: string, beforeRestart?: (dataDir: string, jobId: string) => Promise<void>): Promise<Run> {
  const lab = await startLab();
  const dataDir = join(lab.dir, 'engine');
  const first = await startEngine(dataDir, join(lab.dir, 'inventory.yaml'));
  const store = openSqliteStore(join(dataDir, 'maestro.db'));
  const tenancy = await allocateTenancyNetwork(store, { tenancyId: 't1' });
  await store.instances.insertInstance(instanceRecord());
  await store.close();
  const client = EngineClient.fromDataDir(dataDir);
  const input: InstanceCreateInput = {
    instanceId: 'web-1', profile: 'general', tenancyId: 't1', tenancyVlan: tenancy.vlan, image: IMAGE, sshAuthorizedKeys: [], userData: '', powerState: 'on',
  };
  const { id } = await client.startJob('instance.create', input);
  client.close();
  const reached = (r: { name: string; state: string }) => r.name === kill && (r.state === 'running' || STORE_ONLY.has(kill));
  await until(`step ${kill} to run`, () => (journalRows(dataDir, id).some(reached) ? true : undefined));
  first.kill('SIGKILL');
  await exited(first);
  await beforeRestart?.(dataDir, id);
  const second = await startEngine(dataDir);
  const after = EngineClient.fromDataDir(dataDir);
  const job = await until('the job to end', async () => {
    const j = await after.getJob(id);
    return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
  });
  after.close();
  second.kill('SIGTERM');
  await exited(second);
  return { job, lab, dataDir };
}

/** The doctor over the engine's store, reading the switch from the simulator itself. */
async function doctorFindings(run: Run) {
  const store = openSqliteStore(join(run.dataDir, 'maestro.db'));
  try {
    const report = await runDoctor(store, async (_sw, ports) => ({ vlans: run.lab.leaf.state.vlans(), ports: new Map(ports.map((p) => [p, run.lab.leaf.state.port(p)])) }));
    const server = await store.allocation.getServer('srv-1');
    const owners = (await store.listPorts('leaf1')).map((p) => p.owner);
    const instance = await store.instances.getInstance('web-1');
    return { findings: report.findings, server: server!, owners, instance: instance! };
  } finally {
    await store.close();
  }
}

describe.each(STEPS)('kill -9 while "%s" runs', (step) => {
  let run: Run;
  afterAll(async () => run && stopLab(run.lab));

  test('the restarted engine resumes the job to the end; no orphans, devices and server agree', async () => {
    run = await crashAt(step);
    expect(run.job.state).toBe('succeeded');
    const resumed = run.job.steps.find((s) => s.name === step)!;
    expect(resumed.state).toBe('done');
    const { findings, server, owners, instance } = await doctorFindings(run);
    expect(findings).toEqual([]);
    expect([server.state, server.owner]).toEqual(['active', 'instance:web-1']);
    expect(instance).toMatchObject({ state: 'active', serverId: 'srv-1', hostname: 'srv-1', ipAddress: expect.stringMatching(/^10\.64\./), jobId: run.job.id });
    expect(owners.slice(0, 2)).toEqual(['instance:web-1', 'instance:web-1']);
    for (const port of ['Ethernet1', 'Ethernet2']) expect(run.lab.leaf.state.port(port).accessVlan).toBeGreaterThanOrEqual(100);
    expect(run.lab.leaf.state.savedMatchesRunning()).toBe(true);
    expect(run.lab.bmc.state.powerState).toBe('On');
    expect(run.lab.bmc.state.boot.target).toBe('Hdd');
    expect(run.lab.bmc.state.media.inserted).toBe(false);
    expect(run.lab.bmc.state.installs.at(-1)?.outcome).toBe('installed');
  });
});

test('a job cancelled while the engine was down compensates on restart: quarantine, power off, disks erased, server available', async () => {
  const run = await crashAt('ports-tenancy', async (dataDir, jobId) => {
    const store = openSqliteStore(join(dataDir, 'maestro.db'));
    await store.journal.requestCancel(jobId, 'terraform destroy during the outage');
    await store.close();
  });
  try {
    expect(run.job.state).toBe('failed');
    expect(run.job.error).toContain('cancelled: terraform destroy during the outage');
    const { findings, server, owners, instance } = await doctorFindings(run);
    expect(findings).toEqual([]);
    expect(server.state).toBe('available');
    expect(instance).toMatchObject({ state: 'failed', serverId: null, ipAddress: null, stateReason: expect.stringContaining('terraform destroy during the outage') });
    expect(owners).toEqual([null, null, null, null]);
    for (const port of ['Ethernet1', 'Ethernet2']) expect(run.lab.leaf.state.port(port)).toEqual(quarantineConfig(QUARANTINE));
    expect(run.lab.bmc.state.powerState).toBe('Off');
    expect([...run.lab.bmc.state.drives.values()].every((d) => d.erased)).toBe(true);
  } finally {
    await stopLab(run.lab);
  }
});
