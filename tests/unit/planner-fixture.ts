// A small leaf-spine fabric for planner tests, and a switch model that applies planned operations (to check convergence).

import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import type { DeviceOperation, Fabric, ObservedSwitch, PlanInput, TenancyIntent } from '../../engine/src/planner';

export const QUARANTINE = 999;
export const PROVISIONING = 998;
export const EDGE_PORTS = ['Ethernet1', 'Ethernet2', 'Ethernet3'];
export const UPLINK = 'Ethernet49';

/** spine1 Ethernet<n> is cabled to leaf<n> Ethernet49; trunked (eos-like) unless `stretch` says otherwise. */
export function leafSpine(leaves: number, stretch: 'trunk' | 'vxlan' = 'trunk'): Fabric {
  const ids = Array.from({ length: leaves }, (_, i) => `leaf${i + 1}`);
  return {
    switches: [{ id: 'spine1', role: 'spine', stretch }, ...ids.map((id) => ({ id, role: 'leaf' as const, stretch }))],
    links: ids.map((id, i) => ({ a: { switchId: id, port: UPLINK }, b: { switchId: 'spine1', port: `Ethernet${i + 1}` } })),
  };
}

export const trunk = (allowedVlans: number[], mtu = 9216): PortConfig =>
  ({ mode: 'trunk', accessVlan: null, allowedVlans, nativeVlan: null, mtu, description: 'fabric', adminState: 'up' });

/** Fresh switches: VLAN 1 and the infrastructure VLANs, edge ports in quarantine, fabric ports trunks carrying provisioning. */
export function freshObserved(fabric: Fabric): Map<string, ObservedSwitch> {
  const observed = new Map<string, ObservedSwitch>();
  for (const sw of fabric.switches) {
    const ports = new Map<string, PortConfig>(sw.role === 'leaf' ? EDGE_PORTS.map((p) => [p, quarantineConfig(QUARANTINE)]) : []);
    observed.set(sw.id, { vlans: [1, PROVISIONING, QUARANTINE], ports });
  }
  for (const end of fabric.links.flatMap((l) => [l.a, l.b])) observed.get(end.switchId)!.ports.set(end.port, trunk([PROVISIONING]));
  return observed;
}

/** What the switches hold after `ops` ran (each operation as its driver call would leave the device). */
export function applyOps(observed: Map<string, ObservedSwitch>, ops: DeviceOperation[]): Map<string, ObservedSwitch> {
  const next = new Map([...observed].map(([id, sw]) => [id, { vlans: [...sw.vlans], ports: new Map(sw.ports) }]));
  for (const op of ops) {
    const sw = next.get(op.device)!;
    if (op.kind === 'ensure_vlan') sw.vlans.push(op.vlan!);
    if (op.kind === 'remove_vlan') sw.vlans = sw.vlans.filter((v) => v !== op.vlan);
    if (op.kind === 'configure_port') sw.ports.set(op.port!, op.config!);
  }
  return next;
}

export const tenancy = (tenancyId: string, vlan: number, members: [switchId: string, port: string][]): TenancyIntent => ({
  tenancyId, vlan, vni: 10000 + vlan, mtu: 9000, members: members.map(([switchId, port]) => ({ switchId, port, description: `${tenancyId} ${switchId} ${port}` })),
});

export const input = (fabric: Fabric, observed: Map<string, ObservedSwitch>, tenancies: TenancyIntent[], extra: Partial<PlanInput> = {}): PlanInput =>
  ({ tenancies, ports: [], fabric, infrastructureVlans: [QUARANTINE, PROVISIONING], observed, ...extra });

/** One line per operation, e.g. `ensure_vlan leaf2 100`, `configure_port leaf2/Ethernet49 [100,998]`. */
export function summary(op: DeviceOperation): string {
  if (op.kind !== 'configure_port') return `${op.kind} ${op.device} ${op.vlan}${op.vni === undefined ? '' : ` vni ${op.vni}`}`;
  const c = op.config!;
  return `${op.kind} ${op.device}/${op.port} ${c.mode === 'access' ? c.accessVlan : `[${c.allowedVlans!.join(',')}]`}`;
}
