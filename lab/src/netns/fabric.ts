// Builds the netns lab's network: a fabric namespace with the management and underlay bridges, one namespace per leaf and per server, and their cables.
//
//   root ns: <prefix>-mgmt ──┐
//   <prefix>-fabric:   bridge mgmt ─── every leaf's and server's mgmt0
//                      bridge underlay ─── every leaf's underlay0 (VXLAN)
//                      x<leaf>-<n>: the far ends of uncabled leaf ports (down)
//   <prefix>-<leaf>:   mgmt0, underlay0, swp* (in br<quarantine>)
//   <prefix>-<server>: mgmt0, its NICs (veth peers of leaf ports)

import { createHash } from 'node:crypto';
import { type AddressPlan } from './address-plan';
import type { StateRecorder } from './lab-state';
import { ip } from './run';
import { FABRIC_ID, leafPorts, type NetnsTopology } from './topology';

/** A server NIC as cabled. */
export interface CabledNic {
  name: string;
  mac: string;
  leaf: string;
  port: string;
}

export interface Fabric {
  rootLink: string;
  /** Namespace of each leaf and server, by id. */
  namespaces: Map<string, string>;
  /** Each server's NICs, by server id. */
  nics: Map<string, CabledNic[]>;
}

/** Underlay links carry VXLAN (50 bytes of headers) around 1500-byte and jumbo tenant frames. */
const UNDERLAY_MTU = '9100';

/** Locally administered, unique per lab (2 bytes of the prefix's hash), then server and NIC index. */
function nicMac(prefix: string, server: number, nic: number): string {
  const h = createHash('sha256').update(prefix).digest();
  return ['02', '6d', h[0], h[1], server, nic].map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0'))).join(':');
}

async function addNamespace(state: StateRecorder, name: string): Promise<string> {
  await ip(null, 'netns', 'add', state.namespace(name));
  await ip(name, 'link', 'set', 'dev', 'lo', 'up');
  return name;
}

/** A veth from `ns` (named `name`) to the fabric namespace (named `far`), the far end in `bridge` (or left down when null). */
async function cable(ns: string | null, name: string, fabric: string, far: string, bridge: string | null, mtu = '1500'): Promise<void> {
  await ip(ns, 'link', 'add', name, 'mtu', mtu, 'type', 'veth', 'peer', 'name', far, 'mtu', mtu, 'netns', fabric);
  if (bridge) await ip(fabric, 'link', 'set', 'dev', far, 'master', bridge, 'up');
}

async function address(ns: string | null, dev: string, cidr: string): Promise<void> {
  await ip(ns, 'addr', 'add', cidr, 'dev', dev);
  await ip(ns, 'link', 'set', 'dev', dev, 'up');
}

/**
 * Creates every namespace and link of the topology, recording each namespace
 * and root link in the state file before creating it. Every leaf port ends up
 * in the quarantine bridge, up; server NICs and management links up.
 */
export async function buildFabric(t: NetnsTopology, plan: AddressPlan, state: StateRecorder): Promise<Fabric> {
  const p = state.prefix;
  const fabric = await addNamespace(state, `${p}-${FABRIC_ID}`);
  for (const bridge of ['mgmt', 'underlay']) {
    await ip(fabric, 'link', 'add', bridge, 'type', 'bridge');
    await ip(fabric, 'link', 'set', 'dev', bridge, 'up');
  }
  const rootLink = state.rootLink(`${p}-mgmt`);
  await cable(null, rootLink, fabric, 'root', 'mgmt');
  await address(null, rootLink, plan.root);

  const namespaces = new Map<string, string>();
  const quarantine = `br${t.segments.quarantine.vlan}`;
  const cabled = new Set(t.servers.flatMap((s) => s.nics.map((n) => `${n.leaf}/${n.port}`)));
  for (const [i, leaf] of t.leaves.entries()) {
    const ns = await addNamespace(state, `${p}-${leaf.id}`);
    namespaces.set(leaf.id, ns);
    await cable(ns, 'mgmt0', fabric, `ml${i}`, 'mgmt');
    await address(ns, 'mgmt0', plan.leaves.get(leaf.id)!.management);
    await cable(ns, 'underlay0', fabric, `ul${i}`, 'underlay', UNDERLAY_MTU);
    await address(ns, 'underlay0', plan.leaves.get(leaf.id)!.underlay);
    await ip(ns, 'link', 'add', quarantine, 'type', 'bridge');
    await ip(ns, 'link', 'set', 'dev', quarantine, 'alias', 'quarantine', 'up');
    for (const [j, port] of leafPorts(leaf).entries()) {
      if (cabled.has(`${leaf.id}/${port}`)) continue;
      await cable(ns, port, fabric, `x${i}-${j}`, null);
      await ip(ns, 'link', 'set', 'dev', port, 'master', quarantine, 'up');
    }
  }

  const nics = new Map<string, CabledNic[]>();
  for (const [k, server] of t.servers.entries()) {
    const ns = await addNamespace(state, `${p}-${server.id}`);
    namespaces.set(server.id, ns);
    await cable(ns, 'mgmt0', fabric, `ms${k}`, 'mgmt');
    await address(ns, 'mgmt0', plan.servers.get(server.id)!.management);
    const list: CabledNic[] = [];
    for (const [n, nic] of server.nics.entries()) {
      const leafNs = namespaces.get(nic.leaf)!;
      const mac = nicMac(p, k, n);
      await ip(leafNs, 'link', 'add', nic.port, 'type', 'veth', 'peer', 'name', nic.name, 'address', mac, 'netns', ns);
      await ip(leafNs, 'link', 'set', 'dev', nic.port, 'master', quarantine, 'up');
      await ip(ns, 'link', 'set', 'dev', nic.name, 'up');
      list.push({ name: nic.name, mac, leaf: nic.leaf, port: nic.port });
    }
    nics.set(server.id, list);
  }
  return { rootLink, namespaces, nics };
}
