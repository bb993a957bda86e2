// A running netns lab: leaves and servers as network namespaces with real sshd, a VXLAN underlay, BMC simulators coupled to the servers; its manifest and inventory.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labInventory, labSerial, writeLabInventory } from '../lab-inventory';
import { startRedfishSimulator, type RedfishSimulator } from '../redfish-bmc/server';
import { bare, blockOf, planAddresses, routeCollisions, type AddressPlan } from './address-plan';
import { buildFabric, type CabledNic } from './fabric';
import { netnsDir, StateRecorder } from './lab-state';
import { generateKey, prepareSshd, SSHD, startSshd, type NetnsSshdSpec } from './netns-sshd';
import { ServerHost } from './server-host';
import { ip } from './run';
import { netnsLabPresent, teardownNetnsLab } from './teardown';
import { leafPorts, type NetnsServer, type NetnsTopology } from './topology';

const GiB = 1024 ** 3;

/** How to log in somewhere: endpoint `host:port`, pinned SSH host key. */
interface SshAccess {
  endpoint: string;
  username: string;
  password: string;
  host_key: string;
}

/** What `lab.json` records in netns mode, for `maestro lab down`, tests and tools. */
export interface NetnsLabManifest {
  mode: 'netns';
  pid: number;
  /** Every namespace and root-namespace link of the lab starts with `<prefix>-`. */
  prefix: string;
  inventory_file: string;
  addressing: NetnsTopology['addressing'];
  segments: NetnsTopology['segments'];
  switches: Array<{ id: string; dialect: 'linux'; netns: string; endpoint: string; host_key: string; underlay_address: string; ports: string[] }>;
  servers: Array<{
    id: string;
    netns: string;
    /** root's sshd on the management network; `private_key_file` is also authorized. */
    ssh: SshAccess & { private_key_file: string };
    nics: CabledNic[];
    bmc: { endpoint: string; fingerprint_sha256: string; username: string; password: string };
    disks: Array<{ id: string; dir: string }>;
  }>;
}

export interface NetnsLab {
  manifest: NetnsLabManifest;
  bmcs: Map<string, RedfishSimulator>;
  /** Stops the BMC simulators and removes everything the lab created. */
  close(): Promise<void>;
}

const secret = () => randomBytes(12).toString('base64url');

/** Refuses to start without root, sshd, a clean slate for this directory, or with ranges the host already routes. */
async function preflight(t: NetnsTopology, dir: string): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the netns lab needs root (it creates network namespaces and links and runs sshd)');
  if (!existsSync(SSHD)) throw new Error(`${SSHD} not found; install openssh-server`);
  if (await netnsLabPresent(dir)) throw new Error(`a netns lab of ${dir} is still there; run \`maestro lab down --dir ${dir}\` first`);
  const routes = JSON.parse(await ip(null, '-j', '-4', 'route', 'show', 'table', 'all')) as Array<{ dst: string }>;
  const collisions = routeCollisions(t, routes.map((r) => r.dst));
  if (collisions.length > 0) throw new Error(`the lab's address plan collides with this host's networks; change \`addressing\` in the topology:\n  ${collisions.join('\n  ')}`);
}

/**
 * Builds the lab of topology `t` (root only; see docs/lab.md) and writes into
 * `dir`: `inventory.yaml` (the leaves as `linux` switches, pinned host keys,
 * fresh credentials), `lab.json` (NetnsLabManifest) and the state file. On any
 * failure everything created so far is removed before the error is thrown.
 */
export async function startNetnsLab(t: NetnsTopology, dir: string): Promise<NetnsLab> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await preflight(t, dir);
  const state = new StateRecorder(dir);
  const bmcs = new Map<string, RedfishSimulator>();
  const close = async () => {
    await Promise.all([...bmcs.values()].map((b) => b.close()));
    await teardownNetnsLab(dir);
  };
  try {
    const manifest = await build(t, dir, state, bmcs);
    return { manifest, bmcs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function build(t: NetnsTopology, dir: string, state: StateRecorder, bmcs: Map<string, RedfishSimulator>): Promise<NetnsLabManifest> {
  const root = state.path(netnsDir(dir));
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const plan = planAddresses(t);
  const fabric = await buildFabric(t, plan, state);
  const creds = { switch: secret(), server: secret(), bmc: secret() };
  const manifest: NetnsLabManifest = {
    mode: 'netns', pid: process.pid, prefix: state.prefix, inventory_file: state.path(join(dir, 'inventory.yaml')),
    addressing: t.addressing, segments: t.segments, switches: [], servers: [],
  };

  const underlays = t.leaves.map((l) => bare(plan.leaves.get(l.id)!.underlay));
  for (const [i, leaf] of t.leaves.entries()) {
    const sshdDir = join(root, 'leaves', leaf.id);
    mkdirSync(sshdDir, { recursive: true, mode: 0o700 });
    const address = plan.leaves.get(leaf.id)!;
    const env = { MAESTRO_VTEP_LOCAL: underlays[i], MAESTRO_VTEP_PEERS: underlays.filter((_, j) => j !== i).join(',') };
    const spec: NetnsSshdSpec = { name: leaf.id, netns: fabric.namespaces.get(leaf.id)!, dir: sshdDir, listen: bare(address.management), home: sshdDir, env };
    const hostKey = await prepareSshd(spec, creds.switch);
    await startSshd(spec, state);
    manifest.switches.push({ id: leaf.id, dialect: 'linux', netns: spec.netns, endpoint: `${spec.listen}:22`, host_key: hostKey, underlay_address: underlays[i], ports: leafPorts(leaf) });
  }

  const clientKey = join(root, 'lab-client-key');
  await generateKey(clientKey, 'maestro-lab-client');
  for (const server of t.servers) manifest.servers.push(await startServer(server, root, fabric.namespaces.get(server.id)!, fabric.nics.get(server.id)!, plan.servers.get(server.id)!.management, { ...creds, clientKey }, state, bmcs));

  writeInventory(t, plan, manifest, { switch: creds.switch, bmc: creds.bmc, server: creds.server, clientKey: readFileSync(clientKey, 'utf8') });
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
  return manifest;
}

/**
 * One server: its drives' directories, its sshd (root's home is its first
 * drive) and its BMC simulator, powered on. The BMC's installer (a power on
 * from the inserted CD) writes the image marker onto the first drive and
 * powers the server off; while it runs, the server's sshd is not started.
 */
async function startServer(
  server: NetnsServer, root: string, netns: string, nics: CabledNic[], management: string,
  creds: { server: string; bmc: string; clientKey: string }, state: StateRecorder, bmcs: Map<string, RedfishSimulator>,
): Promise<NetnsLabManifest['servers'][number]> {
  const base = join(root, 'servers', server.id);
  const disks = server.disks.map((d) => ({ id: d.id, dir: join(base, 'disks', d.id) }));
  for (const d of disks) mkdirSync(d.dir, { recursive: true, mode: 0o700 });
  mkdirSync(join(base, 'sshd'), { mode: 0o700 });
  const authorizedKeys = [readFileSync(`${creds.clientKey}.pub`, 'utf8').trim()];
  const spec: NetnsSshdSpec = { name: server.id, netns, dir: join(base, 'sshd'), listen: bare(management), home: disks[0].dir, authorizedKeys };
  const hostKey = await prepareSshd(spec, creds.server);
  const host = new ServerHost(spec, [...nics.map((n) => n.name), 'mgmt0'], new Map(disks.map((d) => [d.id, d.dir])), state);
  await startSshd(spec, state);
  const bmc = await startRedfishSimulator({
    username: 'admin', password: creds.bmc, serialNumber: labSerial(server.id), initialPowerState: 'On',
    macs: nics.map((n) => n.mac.toUpperCase()),
    drives: server.disks.map((d) => ({ id: d.id, capacityBytes: d.size_gib * GiB, mediaType: 'SSD' as const, serialNumber: `LAB-${server.id}-${d.id}` })),
    powerDelayMs: 200, secureEraseMs: 200, installMs: 300,
    onPowerChange: (power, boot) => host.setPower(power, boot),
    onSecureErase: (drive) => host.eraseDrive(drive),
    onInstall: (imageUrl) => host.install(imageUrl),
  });
  bmcs.set(server.id, bmc);
  return {
    id: server.id, netns, nics, disks,
    ssh: { endpoint: `${spec.listen}:22`, username: 'root', password: creds.server, host_key: hostKey, private_key_file: creds.clientKey },
    bmc: { endpoint: bmc.endpoint, fingerprint_sha256: bmc.fingerprintSha256, username: 'admin', password: creds.bmc },
  };
}

/**
 * The engine inventory (the same format as the simulator lab's): the leaves
 * as `linux` switches; the servers with their pinned BMCs, cabled NICs, drives
 * and `os` (root over SSH with the lab's client key, pinned host key, the
 * first NIC for tenancy addresses, the first drive's directory as `/`); the
 * `debian-12` image on the root namespace's management address; a tenancy
 * pool over the tenant range.
 */
function writeInventory(t: NetnsTopology, plan: AddressPlan, manifest: NetnsLabManifest, creds: { switch: string; bmc: string; server: string; clientKey: string }): void {
  const inventory = labInventory({
    credentials: {
      'lab-switch': { username: 'root', password: creds.switch },
      ...(t.servers.length > 0 && {
        'lab-bmc': { username: 'admin', password: creds.bmc },
        'lab-server': { username: 'root', password: creds.server, private_key: creds.clientKey },
      }),
    },
    segments: t.segments,
    switches: manifest.switches.map((s, i) => ({ id: s.id, dialect: s.dialect, endpoint: s.endpoint, credentials: 'lab-switch', host_key: s.host_key, ports: t.leaves[i].ports })),
    servers: t.servers.map((server, i) => {
      const m = manifest.servers[i];
      return {
        id: server.id, profile: server.profile, rack: server.rack, bmc: m.bmc, disks: server.disks,
        nics: m.nics.map((n) => ({ name: n.name, mac: n.mac, switch: n.leaf, port: n.port })),
        os: { endpoint: m.ssh.endpoint, credentials: 'lab-server', host_key: m.ssh.host_key, interface: m.nics[0].name, root_dir: resolve(m.disks[0].dir) },
      };
    }),
    bmcCredentials: 'lab-bmc',
    imageBase: `https://${bare(plan.root)}/images`,
    tenantSupernet: blockOf(t.addressing.tenant),
  });
  writeLabInventory(manifest.inventory_file, 'Written by maestro lab up --netns; describes the netns lab.', inventory);
}
