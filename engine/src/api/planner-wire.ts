// PlanTenancyChanges values and their converters to and from the wire.

import type { DeviceOperation, OperationKind, TenancyProposal } from '../planner';
import { portConfigFromWire, portConfigToWire, type WirePortConfig } from './wire';

export type { DeviceOperation, OperationKind, ProposedMember, TenancyProposal } from '../planner';

/** proto-loader objects (camelCase; "" for unset strings, undefined for unset optionals). */
export interface WirePlanMember { switchId: string; port: string; serverId: string; description: string }
export interface WirePlanRequest { tenancyId: string; members: WirePlanMember[]; vlan?: number; vni?: number; mtu?: number }
export interface WirePlannedOperation { device: string; kind: string; vlan?: number; vni?: number; port: string; config?: WirePortConfig | null; reason: string }

export const planRequestToWire = (r: TenancyProposal): WirePlanRequest => ({
  tenancyId: r.tenancyId, vlan: r.vlan, vni: r.vni, mtu: r.mtu,
  members: r.members.map((m) => ({ switchId: '', port: '', serverId: '', description: '', ...m })),
});

export const operationToWire = (op: DeviceOperation): WirePlannedOperation => ({
  device: op.device, kind: op.kind, vlan: op.vlan, vni: op.vni, port: op.port ?? '', config: op.config && portConfigToWire(op.config), reason: op.reason,
});

export const operationFromWire = (w: WirePlannedOperation): DeviceOperation => ({
  device: w.device, kind: w.kind as OperationKind, reason: w.reason,
  ...(w.vlan === undefined ? {} : { vlan: w.vlan }),
  ...(w.vni === undefined ? {} : { vni: w.vni }),
  ...(w.port === '' ? {} : { port: w.port }),
  ...(w.config ? { config: portConfigFromWire(w.config) } : {}),
});
