// What the planner produces: device operations, and the error it throws when intent cannot be planned.

import type { PortConfig } from '../domain/port-config';

export type OperationKind = 'ensure_vlan' | 'remove_vlan' | 'configure_port';

/**
 * One idempotent change on one switch. `ensure_vlan` and `remove_vlan` carry
 * `vlan` (and `vni` for VXLAN-stretched switches); `configure_port` carries
 * `port` and the complete `config` the port must end with. `reason` says in
 * words which tenancy, member or fabric link needs it.
 */
export interface DeviceOperation {
  device: string;
  kind: OperationKind;
  vlan?: number;
  vni?: number;
  port?: string;
  config?: PortConfig;
  reason: string;
}

/** Intent the planner cannot turn into operations (a conflict, a switch with no fabric path); the message says what to fix. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
