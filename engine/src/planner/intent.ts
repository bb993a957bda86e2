// What the planner plans from: the intent (tenancies, their member ports, explicit port configs, the fabric) and
// what the switches were observed to hold.

import type { PortConfig } from '../domain/port-config';
import type { FabricLinkRecord } from '../store/allocation-store';
import type { Stretch } from './stretch';

/** A port that belongs to a tenancy: it becomes an access port in the tenancy's VLAN. */
export interface TenancyMember {
  switchId: string;
  port: string;
  /** The port description, e.g. `r01-gpu-01 eth0 inst-1`; also names the member in reasons. */
  description: string;
}

/** One tenancy's network and the ports that must be in it. */
export interface TenancyIntent {
  tenancyId: string;
  vlan: number;
  vni: number;
  mtu: number;
  members: TenancyMember[];
}

/**
 * A port whose complete configuration is given (a `maestro_switch_port` claim,
 * an owned port as last applied, a port returning to quarantine). Its VLANs
 * count like a member's: a tenancy VLAN it carries is stretched to its switch.
 */
export interface PortIntent {
  switchId: string;
  port: string;
  config: PortConfig;
  /** Why the port must look like this, e.g. `owned by inst-1`; starts every reason about this port. */
  why: string;
}

/** A switch as the fabric sees it. */
export interface FabricSwitch {
  id: string;
  role: 'leaf' | 'spine' | null;
  /** How this switch's dialect stretches a segment to other switches (stretch.ts). */
  stretch: Stretch;
}

export interface Fabric {
  switches: FabricSwitch[];
  links: FabricLinkRecord[];
}

/** One switch as read from the device: its VLANs and (at least) the ports the plan touches. */
export interface ObservedSwitch {
  vlans: number[];
  ports: Map<string, PortConfig>;
}

export interface PlanInput {
  /** Every tenancy with a network: their VLANs are the ones the planner adds and removes. */
  tenancies: TenancyIntent[];
  ports: PortIntent[];
  fabric: Fabric;
  /** Quarantine and provisioning VLANs: never removed. */
  infrastructureVlans: number[];
  /** By switch id; every switch the plan reads or changes must be here. */
  observed: Map<string, ObservedSwitch>;
  /**
   * When set, only the operations that concern this tenancy's VLAN are
   * returned (its VLAN on switches, its members and leavers, fabric ports
   * whose allowed VLANs change for it), so one tenancy's plan does not show
   * another's drift.
   */
  focusTenancyId?: string;
}

/** The configuration of a tenancy member's port: access in the tenancy VLAN at the tenancy MTU, up. */
export function memberConfig(t: Pick<TenancyIntent, 'vlan' | 'mtu'>, description: string): PortConfig {
  return { mode: 'access', accessVlan: t.vlan, allowedVlans: null, nativeVlan: null, mtu: t.mtu, description, adminState: 'up' };
}
