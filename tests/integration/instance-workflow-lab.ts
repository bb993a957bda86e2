// A lab for the instance jobs, run in-process: an EOS leaf simulator, one Redfish BMC simulator per server (its
// installer writes <root>/etc/maestro/image, its secure erase of Disk.0 empties <root>), real sshds on 127.0.0.1 as
// the servers' OS (files under a per-server root dir), an SQLite store with the inventory, and the workflow runtime.
// srv-2's sshd runs its sessions inside a network namespace of its own with an `eth0`, so every OS call really runs;
// srv-1's sessions run on the host, where configureAddress would change the host's interfaces: it is recorded instead.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctor, type Finding } from '../../engine/src/doctor';
import type { BmcDriver } from '../../engine/src/drivers/bmc/bmc';
import type { AddressConfig, OsDriver } from '../../engine/src/drivers/os/os-driver';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { importInventory } from '../../engine/src/inventory/import';
import type { TenancyNetworkRecord } from '../../engine/src/store/allocation-store';
import { CredentialCipher } from '../../engine/src/store/credential-cipher';
import { newInstanceId, type InstanceRecord } from '../../engine/src/store/instance-store';
import type { JournalJob } from '../../engine/src/store/job-journal';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { inventoryBmcAccess, type BmcAccess } from '../../engine/src/workflow/bmc-access';
import type { InstanceCreateInput } from '../../engine/src/workflow/instance-create';
import { inventoryOsAccess, type OsAccess, type OsReachability } from '../../engine/src/workflow/os-access';
import { createWorkflow, type Workflow } from '../../engine/src/workflow/runtime';
import { startRedfishSimulator, type RedfishFaults, type RedfishSimulator } from '../../lab/src/redfish-bmc/server';
import { simEstateInventory } from '../../lab/src/sim-estate-inventory';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';
import { generateSshKey, type SshKeyPair } from '../../lab/src/sshd/ssh-keygen';
import { startSshd, type RunningSshd } from '../../lab/src/sshd/sshd';

export const QUARANTINE = 999;
export const PROVISIONING = 998;
export const IMAGE_URL = 'https://images.example/debian-12.iso';
export const SERVERS = ['srv-1', 'srv-2'];

/** A BMC operation the lab can arm a fault before: `power <action>`, `boot <device>`, `insert`. */
export type BmcOp = `power ${string}` | `boot ${string}` | 'insert';

export interface InstanceLab {
  dir: string;
  store: SqliteStore;
  leaf: SwitchSimulator;
  bmcs: Map<string, RedfishSimulator>;
  clientKey: SshKeyPair;
  workflow: Workflow;
  /** Each server's root dir (its "disk"). */
  roots: Map<string, string>;
  /** srv-1's configureAddress calls, in order (srv-2's run in `netns`). */
  addresses: Array<AddressConfig & { server: string }>;
  /** The network namespace srv-2's OS commands run in (it has `eth0`). */
  netns: string;
  /** How long the OS steps wait for SSH; tests shorten it. */
  reachability: OsReachability;
  tenancies: { web: TenancyNetworkRecord; db: TenancyNetworkRecord };
  /** Sets `faults` on the server's BMC simulator right before the next `op` reaches it (once). */
  armBmc(serverId: string, op: BmcOp, faults: RedfishFaults): void;
  /** Writes an instance record (as the API does before starting a create) and returns the job input. */
  newInstance(over?: Partial<InstanceCreateInput>): Promise<InstanceCreateInput>;
  /** Starts a job and waits for its end; resolves with the journaled job. */
  runJob(kind: string, input: unknown): Promise<JournalJob>;
  doctor(): Promise<Finding[]>;
  /** Stops srv-1's OS (its sshd) / starts it again on the same port with the same host key. */
  stopOs(): Promise<void>;
  startOs(): Promise<void>;
  /** Simulators back to normal: no faults, drives not erased, no installs recorded. */
  resetDevices(): void;
  close(): Promise<void>;
}

export async function startInstanceLab(): Promise<InstanceLab> {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-instance-'));
  const clientKey = await generateSshKey(join(dir, 'client_key'), 'engine@instance-test');
  const sshdOptions = { dir: join(dir, 'sshd'), authorizedKeys: [clientKey.publicKey] };
  let sshd: RunningSshd | undefined = await startSshd(sshdOptions);
  const osPort = sshd.port;
  const netns = `maestro-instance-${process.pid}`;
  execFileSync('ip', ['netns', 'add', netns]);
  // Both ends in the namespace: nothing on the host changes.
  execFileSync('ip', ['-n', netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'leaf0']);
  const netnsSshd = await startSshd({ dir: join(dir, 'sshd-netns'), authorizedKeys: [clientKey.publicKey], sessionWrapper: ['ip', 'netns', 'exec', netns] });
  const leaf = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sw-pass', quarantineVlan: QUARANTINE });
  const roots = new Map(SERVERS.map((id) => [id, join(dir, 'disks', id)]));
  const bmcs = new Map<string, RedfishSimulator>();
  for (const id of SERVERS) {
    const root = roots.get(id)!;
    mkdirSync(root, { recursive: true });
    bmcs.set(id, await startRedfishSimulator({
      username: 'root', password: 'bmc-pass', serialNumber: `SIM-${id}`, powerDelayMs: 30, secureEraseMs: 60, installMs: 150,
      onInstall: (url) => {
        mkdirSync(join(root, 'etc/maestro'), { recursive: true });
        writeFileSync(join(root, 'etc/maestro/image'), `${url}\n`);
      },
      onSecureErase: (drive) => {
        if (drive === 'Disk.0') for (const f of readdirSync(root)) rmSync(join(root, f), { recursive: true, force: true });
      },
    }));
  }
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, inventoryYaml(leaf, bmcs, { 'srv-1': sshd, 'srv-2': netnsSshd }, roots, clientKey));
  const store = openSqliteStore(join(dir, 'maestro.db'));
  const cipher = new CredentialCipher(randomBytes(32));
  await importInventory(store, readFileSync(inventory, 'utf8'), { cipher, dialects: ['eos'] });

  const armed = new Map<string, () => void>();
  const fire = (serverId: string, op: string) => {
    const f = armed.get(`${serverId} ${op}`);
    armed.delete(`${serverId} ${op}`);
    f?.();
  };
  const realBmc = inventoryBmcAccess(store, cipher, { pollIntervalMs: 20 });
  const bmc: BmcAccess = { pollIntervalMs: 20, open: async (server) => withFaultPoints(await realBmc.open(server), (op) => fire(server.id, op)) };

  const addresses: InstanceLab['addresses'] = [];
  const reachability: OsReachability = { timeoutMs: 10_000, intervalMs: 100 };
  const realOs = inventoryOsAccess(store, cipher, { connectTimeoutMs: 3_000 });
  const os: OsAccess = {
    reachability,
    open: async (server) => {
      const session = await realOs.open(server);
      if (!session || server.id !== 'srv-1') return session;
      return { ...session, driver: recordingAddresses(session.driver, (c) => addresses.push({ server: server.id, ...c })) };
    },
  };

  const openSwitch = async (id: string) => {
    const sw = (await store.getSwitch(id))!;
    const cred = (await store.getCredential(sw.credentialsRef))!;
    const { username, password } = cipher.open(cred.ref, cred.blob);
    return connectSwitch({ id, dialect: sw.dialect, host: sw.host, port: sw.sshPort, username, password, hostKeyFingerprint: sw.hostKey ?? undefined });
  };
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const workflow = createWorkflow({ store, cipher, openSwitch, log: quiet, bmc, os }, {
    defaultTimeoutMs: 120_000, gateway: { windowMs: 5 }, retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
  });

  const runJob = async (kind: string, input: unknown): Promise<JournalJob> => {
    const { jobId, outcome } = await workflow.executor.start(kind, input, { who: 'test' });
    await outcome;
    return (await store.journal.getJob(jobId))!;
  };
  const tenancy = async (name: string) => {
    const job = await runJob('tenancy.create', { tenancyId: `tn-${name}`, name, description: '', switchIds: ['leaf1'] });
    if (job.state !== 'succeeded') throw new Error(`tenancy ${name}: ${job.error}`);
    return (await store.allocation.listTenancyNetworks()).find((n) => n.tenancyId === `tn-${name}`)!;
  };
  const tenancies = { web: await tenancy('web'), db: await tenancy('db') };

  return {
    dir, store, leaf, bmcs, clientKey, workflow, roots, addresses, netns, reachability, tenancies, runJob,
    armBmc: (serverId, op, faults) => armed.set(`${serverId} ${op}`, () => bmcs.get(serverId)!.setFaults(faults)),
    newInstance: async (over = {}) => {
      const image = (await store.getImage('debian-12'))!;
      const input: InstanceCreateInput = {
        instanceId: newInstanceId(), profile: 'general', tenancyId: tenancies.web.tenancyId, tenancyVlan: tenancies.web.vlan,
        image, sshAuthorizedKeys: [], userData: '', powerState: 'on', ...over,
      };
      await store.instances.insertInstance(recordOf(input));
      return input;
    },
    doctor: async () => (await runDoctor(store, async (_sw, ports) => ({ vlans: leaf.state.vlans(), ports: new Map(ports.map((p) => [p, leaf.state.port(p)])) }))).findings,
    stopOs: async () => {
      await sshd?.stop();
      sshd = undefined;
    },
    startOs: async () => {
      sshd ??= await startSshd({ ...sshdOptions, port: osPort });
    },
    resetDevices: () => {
      leaf.setFaults({});
      armed.clear();
      for (const sim of bmcs.values()) {
        sim.setFaults({});
        sim.state.installFault = undefined;
        sim.state.installs.length = 0;
        for (const d of sim.state.drives.values()) d.erased = false;
      }
    },
    close: async () => {
      await workflow.executor.shutdown();
      await workflow.switches.close();
      await store.close();
      await Promise.all([leaf.close(), sshd?.stop(), netnsSshd.stop(), ...[...bmcs.values()].map((b) => b.close())]);
      execFileSync('ip', ['netns', 'delete', netns]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function recordOf(input: InstanceCreateInput): InstanceRecord {
  return {
    id: input.instanceId, tenancyId: input.tenancyId, profile: input.profile, serverId: input.serverId ?? null, image: input.image.name,
    hostname: input.hostname ?? '', sshAuthorizedKeys: input.sshAuthorizedKeys, userData: input.userData, powerState: input.powerState,
    secureEraseOnDelete: true, ipAddress: null, state: 'creating', stateReason: null, createdAt: new Date().toISOString(), jobId: null,
  };
}

function inventoryYaml(leaf: SwitchSimulator, bmcs: Map<string, RedfishSimulator>, sshds: Record<string, RunningSshd>, roots: Map<string, string>, key: SshKeyPair): string {
  return simEstateInventory({
    quarantineVlan: QUARANTINE, provisioningVlan: PROVISIONING,
    credentials: [`os-root: { username: root, private_key: ${JSON.stringify(key.privateKey)} }`],
    images: [`debian-12: { url: "${IMAGE_URL}", install_timeout_s: 30 }`],
    leaves: [{ id: 'leaf1', port: leaf.port, hostKeyFingerprint: leaf.hostKeyFingerprint, ports: 4 }],
    servers: SERVERS.map((id, i) => ({
      id, serial: `SIM-${id}`, bmc: bmcs.get(id)!,
      nics: [
        { name: 'eth0', mac: `52:54:00:aa:0${i}:01`, switch: 'leaf1', port: `Ethernet${2 * i + 1}` },
        { name: 'eth1', mac: `52:54:00:aa:0${i}:02`, switch: 'leaf1', port: `Ethernet${2 * i + 2}` },
      ],
      os: `{ endpoint: "127.0.0.1:${sshds[id].port}", credentials: os-root, host_key: "${sshds[id].hostKeyFingerprint}", interface: eth0, root_dir: "${roots.get(id)}" }`,
    })),
  });
}

/** The driver, calling `before(op)` right before each power, boot override and media insert request. */
function withFaultPoints(d: BmcDriver, before: (op: BmcOp) => void): BmcDriver {
  return {
    endpoint: d.endpoint, inventory: d.inventory, cleaning: d.cleaning, validate: () => d.validate(), close: () => d.close(),
    power: { getPowerState: () => d.power.getPowerState(), setPower: (a, o) => (before(`power ${a}`), d.power.setPower(a, o)) },
    boot: { getBootOverride: () => d.boot.getBootOverride(), setBootOverride: (dev, p, m) => (before(`boot ${dev}`), d.boot.setBootOverride(dev, p, m)) },
    virtualMedia: {
      getVirtualMedia: () => d.virtualMedia.getVirtualMedia(),
      insertMedia: (url) => (before('insert'), d.virtualMedia.insertMedia(url)),
      ejectMedia: () => d.virtualMedia.ejectMedia(),
    },
  };
}

/** The real driver, except that configureAddress is recorded instead of run (the sshd is the host's own). */
function recordingAddresses(d: OsDriver, record: (c: AddressConfig) => void): OsDriver {
  return {
    get hostKeyFingerprint() {
      return d.hostKeyFingerprint;
    },
    waitUntilReachable: (o) => d.waitUntilReachable(o),
    setHostname: (n) => d.setHostname(n),
    setAuthorizedKeys: (u, k) => d.setAuthorizedKeys(u, k),
    configureAddress: async (c) => record(c),
    runBootstrap: (s, o) => d.runBootstrap(s, o),
    close: () => d.close(),
  };
}
