// The doctor's rules: given what the store holds and what the switches report, every orphan. Pure.

import type { PortConfig } from '../domain/port-config';
import type { FabricLinkRecord, IpAllocationRecord, ServerRecord, TenancyNetworkRecord } from '../store/allocation-store';
import type { SwitchPortRecord } from '../store/store';
import type { Finding } from './finding';

/** One switch as read from the device, or the error that kept it from being read. */
export type ObservedSwitch =
  | { id: string; vlans: number[]; ports: Map<string, PortConfig>; inventory: SwitchPortRecord[] }
  | { id: string; error: string };

export interface DoctorSnapshot {
  switches: ObservedSwitch[];
  /** Quarantine and provisioning VLANs: infrastructure, never orphans. */
  infrastructureVlans: number[];
  tenancies: TenancyNetworkRecord[];
  ips: IpAllocationRecord[];
  servers: ServerRecord[];
  fabricLinks: FabricLinkRecord[];
}

/** VLAN 1 exists on every switch and cannot be deleted. */
const DEFAULT_VLAN = 1;

const HELD_STATES = new Set(['allocated', 'provisioning', 'active']);

/** Every VLAN a port config carries. */
const vlansOf = (c: PortConfig | null): number[] =>
  c === null ? [] : c.mode === 'access' ? (c.accessVlan === null ? [] : [c.accessVlan]) : [...(c.allowedVlans ?? []), ...(c.nativeVlan === null ? [] : [c.nativeVlan])];

function switchFindings(sw: Extract<ObservedSwitch, { vlans: number[] }>, snap: DoctorSnapshot, fabricPorts: Set<string>): Finding[] {
  const tenancyOf = new Map(snap.tenancies.map((t) => [t.vlan, t.tenancyId]));
  const ownedUse = new Set(sw.inventory.filter((p) => p.owner !== null).flatMap((p) => vlansOf(p.desired)));
  const accounted = new Set([DEFAULT_VLAN, ...snap.infrastructureVlans, ...tenancyOf.keys(), ...ownedUse]);
  const vlans: Finding[] = sw.vlans.filter((v) => !accounted.has(v)).map((v) => ({
    kind: 'orphan_vlan', object: `${sw.id} VLAN ${v}`, why: `VLAN ${v} is configured on ${sw.id} but no tenancy holds it and no owned port uses it`,
  }));
  const ports: Finding[] = sw.inventory.filter((p) => p.owner === null && !fabricPorts.has(`${sw.id}/${p.name}`)).flatMap((p) => {
    const held = vlansOf(sw.ports.get(p.name) ?? null).filter((v) => tenancyOf.has(v));
    return held.length === 0 ? [] : [{
      kind: 'orphan_port' as const, object: `${sw.id}/${p.name}`,
      why: `carries ${held.map((v) => `VLAN ${v} of tenancy ${tenancyOf.get(v)}`).join(', ')} but has no owner`,
    }];
  });
  return [...vlans, ...ports];
}

function serverFindings(snap: DoctorSnapshot): Finding[] {
  const tenancies = new Set(snap.tenancies.map((t) => t.tenancyId));
  return snap.servers.flatMap((s): Finding[] => {
    const object = `server ${s.id}`;
    if (HELD_STATES.has(s.state) && !s.owner) return [{ kind: 'orphan_server', object, why: `${s.state} but has no owner` }];
    if (HELD_STATES.has(s.state) && s.tenancyId && !tenancies.has(s.tenancyId)) {
      return [{ kind: 'orphan_server', object, why: `${s.state} for tenancy ${s.tenancyId}, which has no network` }];
    }
    if (s.state === 'available' && s.needsCleaning) return [{ kind: 'uncleaned_server', object, why: 'available but not cleaned since it was last allocated' }];
    return [];
  });
}

function ipFindings(snap: DoctorSnapshot): Finding[] {
  const holders = new Set(snap.servers.filter((s) => HELD_STATES.has(s.state) && s.owner).map((s) => s.owner!));
  return snap.ips.filter((ip) => ip.owner !== ip.tenancyId && !holders.has(ip.owner)).map((ip) => ({
    kind: 'orphan_ip', object: `tenancy ${ip.tenancyId} ${ip.address}`,
    why: ip.owner ? `allocated to "${ip.owner}", which holds no server` : 'allocated without an owner',
  }));
}

/** Every finding, switches first (in snapshot order), then servers, then IPs. */
export function findOrphans(snap: DoctorSnapshot): Finding[] {
  const fabricPorts = new Set(snap.fabricLinks.flatMap((l) => [`${l.a.switchId}/${l.a.port}`, `${l.b.switchId}/${l.b.port}`]));
  const switches = snap.switches.flatMap((sw): Finding[] => ('error' in sw
    ? [{ kind: 'switch_unreachable', object: sw.id, why: `could not read VLANs and ports: ${sw.error}` }]
    : switchFindings(sw, snap, fabricPorts)));
  return [...switches, ...serverFindings(snap), ...ipFindings(snap)];
}
