// The engine API's server, profile, tenancy network, IP and doctor values, and their converters to and from the wire.

import type { DoctorReport, Finding, FindingKind } from '../doctor';
import type { ServerState } from '../domain/server-lifecycle';
import type { IpAllocationRecord, ProfileRecord, ServerRecord, TenancyNetworkRecord } from '../store/allocation-store';

/** A server as the API shows it: BMC driver and endpoint only, never its credentials. */
export type ServerInfo = Omit<ServerRecord, 'bmc'> & { bmc: { driver: string; endpoint: string } };
export type ProfileInfo = ProfileRecord;
export type TenancyNetworkInfo = TenancyNetworkRecord;
export type IpAllocationInfo = IpAllocationRecord;
export type { DoctorReport, Finding, FindingKind, ServerState };

/** proto-loader objects (camelCase; "" and 0 for unset scalars). */
export interface WireServer {
  id: string; serial: string; profile: string; rack: string; bmcDriver: string; bmcEndpoint: string;
  nics: { name: string; mac: string; switchId: string; port: string }[];
  disks: { id: string; sizeGb: number; type: string }[];
  state: string; stateReason: string; owner: string; tenancyId: string; needsCleaning: boolean; cleanedAt: string;
}
export interface WireProfile { name: string; cpuCores: number; memoryGib: number; disks: { sizeGb: number; type: string }[]; nics: number }
export interface WireDoctorReport { findings: Finding[]; checked: DoctorReport['checked'] }

const emptyToNull = (s: string) => (s === '' ? null : s);

export function serverToWire(s: ServerRecord): WireServer {
  return {
    id: s.id, serial: s.serial, profile: s.profile, rack: s.rack, bmcDriver: s.bmc.driver, bmcEndpoint: s.bmc.endpoint,
    nics: s.nics.map((n) => ({ name: n.name, mac: n.mac, switchId: n.cabledTo?.switchId ?? '', port: n.cabledTo?.port ?? '' })),
    disks: s.disks, state: s.state, stateReason: s.stateReason ?? '', owner: s.owner ?? '', tenancyId: s.tenancyId ?? '',
    needsCleaning: s.needsCleaning, cleanedAt: s.cleanedAt ?? '',
  };
}

export function serverFromWire(w: WireServer): ServerInfo {
  return {
    id: w.id, serial: w.serial, profile: w.profile, rack: w.rack, bmc: { driver: w.bmcDriver, endpoint: w.bmcEndpoint },
    nics: w.nics.map((n) => ({ name: n.name, mac: n.mac, cabledTo: n.switchId === '' ? null : { switchId: n.switchId, port: n.port } })),
    disks: w.disks.map((d) => ({ id: d.id, sizeGb: d.sizeGb, type: d.type })),
    state: w.state as ServerState, stateReason: emptyToNull(w.stateReason), owner: emptyToNull(w.owner), tenancyId: emptyToNull(w.tenancyId),
    needsCleaning: w.needsCleaning, cleanedAt: emptyToNull(w.cleanedAt),
  };
}

export const profileFromWire = (w: WireProfile): ProfileInfo => ({
  name: w.name, cpuCores: w.cpuCores, memoryGib: w.memoryGib, disks: w.disks.map((d) => ({ sizeGb: d.sizeGb, type: d.type })), nics: w.nics,
});

export const networkFromWire = (w: TenancyNetworkRecord): TenancyNetworkInfo => ({
  tenancyId: w.tenancyId, pool: w.pool, vlan: w.vlan, vni: w.vni, cidr: w.cidr, gateway: w.gateway, mtu: w.mtu,
});

export const ipFromWire = (w: IpAllocationRecord): IpAllocationInfo => ({ tenancyId: w.tenancyId, address: w.address, owner: w.owner });

export const doctorFromWire = (w: WireDoctorReport): DoctorReport => ({
  findings: w.findings.map((f) => ({ kind: f.kind as FindingKind, object: f.object, why: f.why })),
  checked: { switches: w.checked.switches, ports: w.checked.ports, servers: w.checked.servers, tenancies: w.checked.tenancies, ips: w.checked.ips },
});
