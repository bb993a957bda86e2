// Turns what the store knows (topology, tenancy networks, owned ports) plus one tenancy's proposed members into the
// planner's intent. Pure: the caller reads the store.

import { quarantineConfig, type PortConfig } from '../domain/port-config';
import type { ServerRecord, SwitchPlacementRecord, FabricLinkRecord, TenancyNetworkRecord } from '../store/allocation-store';
import type { SwitchPortRecord, SwitchRecord } from '../store/store';
import type { Fabric, PortIntent, TenancyIntent, TenancyMember } from './intent';
import { PlanError } from './operation';
import { stretchOf } from './stretch';

/** Everything the store holds that planning needs. */
export interface InventorySnapshot {
  switches: SwitchRecord[];
  placement: SwitchPlacementRecord[];
  links: FabricLinkRecord[];
  /** Every port of every switch, with owner and last applied config. */
  ports: SwitchPortRecord[];
  networks: TenancyNetworkRecord[];
  servers: ServerRecord[];
  quarantineVlan: number;
}

/** A port to put in the tenancy: one switch port, or every cabled NIC of a server. */
export type ProposedMember = { switchId: string; port: string; description?: string } | { serverId: string; description?: string };

/** The members a tenancy should have; vlan/vni/mtu stand in for (or override) its allocated network. */
export interface TenancyProposal {
  tenancyId: string;
  members: ProposedMember[];
  vlan?: number;
  vni?: number;
  mtu?: number;
}

export interface InventoryIntent {
  tenancies: TenancyIntent[];
  ports: PortIntent[];
  fabric: Fabric;
}

const DEFAULT_MTU = 1500;
const keyOf = (r: { switchId: string; port: string }) => `${r.switchId}/${r.port}`;
const inTenancy = (c: PortConfig | null, vlan: number) => c?.mode === 'access' && c.accessVlan === vlan;

function proposedNetwork(snap: InventorySnapshot, p: TenancyProposal): Omit<TenancyIntent, 'members'> {
  const net = snap.networks.find((n) => n.tenancyId === p.tenancyId);
  const vlan = p.vlan ?? net?.vlan;
  const vni = p.vni ?? net?.vni;
  if (vlan === undefined || vni === undefined) {
    throw new PlanError(`tenancy "${p.tenancyId}" has no network yet: allocate one (AllocateTenancyNetwork) or give the vlan and vni to plan with`);
  }
  const holder = snap.networks.find((n) => n.tenancyId !== p.tenancyId && (n.vlan === vlan || n.vni === vni));
  if (holder) throw new PlanError(`VLAN ${vlan} / VNI ${vni} of tenancy "${p.tenancyId}" collides with tenancy "${holder.tenancyId}" (VLAN ${holder.vlan}, VNI ${holder.vni})`);
  return { tenancyId: p.tenancyId, vlan, vni, mtu: p.mtu ?? net?.mtu ?? DEFAULT_MTU };
}

/** The proposal's members as switch ports; a server member is each of its NICs cabled to an inventory switch. */
function memberPorts(snap: InventorySnapshot, p: TenancyProposal): (TenancyMember & { given: boolean })[] {
  return p.members.flatMap((m) => {
    if ('switchId' in m) return [{ switchId: m.switchId, port: m.port, description: m.description ?? '', given: m.description !== undefined }];
    const server = snap.servers.find((s) => s.id === m.serverId);
    if (!server) throw new PlanError(`unknown server "${m.serverId}"; \`maestro servers list\` shows the inventory`);
    const cabled = server.nics.flatMap((n) => (n.cabledTo ? [{ ...n.cabledTo, description: m.description ?? `${server.id} ${n.name}`, given: m.description !== undefined }] : []));
    if (cabled.length === 0) throw new PlanError(`server "${server.id}" has no NIC cabled to an inventory switch`);
    return cabled;
  });
}

/**
 * A member port must be in inventory and free, or already in this tenancy;
 * keeps the description it was given, else the one it has, else `tenancy <id>`.
 */
function checkedMember(byKey: Map<string, SwitchPortRecord>, t: Omit<TenancyIntent, 'members'>, m: TenancyMember & { given: boolean }): TenancyMember {
  const rec = byKey.get(keyOf(m));
  if (!rec) throw new PlanError(`switch "${m.switchId}" has no port "${m.port}" in inventory`);
  const ours = inTenancy(rec.desired, t.vlan);
  if (rec.owner !== null && !ours) throw new PlanError(`${keyOf(m)} is owned by "${rec.owner}" for something else; release it before it joins tenancy ${t.tenancyId}`);
  const description = m.given ? m.description : ours ? rec.desired!.description : m.description || `tenancy ${t.tenancyId}`;
  return { switchId: m.switchId, port: m.port, description };
}

/**
 * Intent for planning `proposal`: every tenancy network (members none: their
 * ports come as owned-port configs), the proposed tenancy with its members,
 * every owned port as last applied, and the proposed tenancy's current access
 * ports that are not proposed returning to quarantine. Throws PlanError for an
 * unknown server or port, a port owned for something else, or a tenancy with
 * no network and no vlan/vni given.
 */
export function inventoryIntent(snap: InventorySnapshot, proposal: TenancyProposal): InventoryIntent {
  const network = proposedNetwork(snap, proposal);
  const byKey = new Map(snap.ports.map((p) => [keyOf({ switchId: p.switchId, port: p.name }), p]));
  const members = memberPorts(snap, proposal).map((m) => checkedMember(byKey, network, m));
  const proposed = new Set(members.map(keyOf));
  const ports = snap.ports.flatMap((p): PortIntent[] => {
    const key = keyOf({ switchId: p.switchId, port: p.name });
    if (p.owner === null || p.desired === null || proposed.has(key)) return [];
    if (inTenancy(p.desired, network.vlan)) {
      return [{ switchId: p.switchId, port: p.name, config: quarantineConfig(snap.quarantineVlan), why: `owned by "${p.owner}", leaving tenancy ${proposal.tenancyId}` }];
    }
    return [{ switchId: p.switchId, port: p.name, config: p.desired, why: `owned by "${p.owner}"` }];
  });
  const others = snap.networks.filter((n) => n.tenancyId !== proposal.tenancyId).map((n) => ({ tenancyId: n.tenancyId, vlan: n.vlan, vni: n.vni, mtu: n.mtu, members: [] }));
  const roleOf = new Map(snap.placement.map((p) => [p.switchId, p.role]));
  return {
    tenancies: [...others, { ...network, members }],
    ports,
    fabric: { switches: snap.switches.map((s) => ({ id: s.id, role: roleOf.get(s.id) ?? null, stretch: stretchOf(s.dialect) })), links: snap.links },
  };
}
