// What the engine injects into every step: the store, the batched switch gateway, BMC and OS access, and switch sessions.

import type { BmcAccess } from './bmc-access';
import type { OsAccess } from './os-access';
import type { PortServices } from './port-configure';
import type { OpenSwitch } from './switch-gateway';

export interface WorkflowServices extends PortServices {
  bmc: BmcAccess;
  /** SSH to installed servers (instance steps); tests inject a fake. */
  os: OsAccess;
  /**
   * A session of its own to one switch, for VLAN-level changes (tenancy
   * segments) that the port gateway does not batch. Callers close it; steps
   * using it hold the `switch-vlans:<id>` lock.
   */
  openSwitch: OpenSwitch;
}
