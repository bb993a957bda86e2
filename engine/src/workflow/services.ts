// What the engine injects into every step: the store, the batched switch gateway and BMC access.

import type { BmcAccess } from './bmc-access';
import type { PortServices } from './port-configure';

export interface WorkflowServices extends PortServices {
  bmc: BmcAccess;
}
