// The workflow runtime the engine runs: the registered job kinds, the executor and the switch gateway, wired together.

import type { CredentialCipher } from '../store/credential-cipher';
import type { Store } from '../store/store';
import { inventoryBmcAccess, type BmcAccess, type BmcTiming } from './bmc-access';
import { WorkflowExecutor, type WorkflowLog } from './executor';
import { instanceCreateKind } from './instance-create';
import { instanceDeleteKind } from './instance-delete';
import { instanceUpdateKind } from './instance-update';
import { JobKindRegistry } from './job-kind';
import { inventoryOsAccess, type OsAccess, type OsTiming } from './os-access';
import { portConfigureKind, portReleaseKind } from './port-configure';
import type { RetryPolicy } from './retry';
import type { WorkflowServices } from './services';
import { SwitchGateway, type OpenSwitch, type SwitchGatewayOptions } from './switch-gateway';
import { tenancyCreateKind } from './tenancy-create';
import { tenancyDeleteKind } from './tenancy-delete';

/** Every job kind the engine can run and recover. Adding one: its file, one entry here. */
export const jobKinds = [portConfigureKind, portReleaseKind, instanceCreateKind, instanceUpdateKind, instanceDeleteKind, tenancyCreateKind, tenancyDeleteKind];

export interface WorkflowConfig {
  /** Batching window, batch size, switch session limit and how long an idle session stays open. */
  gateway?: Partial<SwitchGatewayOptions>;
  /** Concurrent steps per pool; default `{ bmc: 16 }`. */
  limits?: Record<string, number>;
  retry?: RetryPolicy;
  /** Deadline of jobs started without one. */
  defaultTimeoutMs: number;
  bmcTiming?: BmcTiming;
  /** How long instance steps wait for SSH on a booted server, and the SSH timeouts. */
  osTiming?: OsTiming;
}

export const DEFAULT_LIMITS = { bmc: 16 };

export interface Workflow {
  executor: WorkflowExecutor<WorkflowServices>;
  switches: SwitchGateway;
}

export interface WorkflowDeps {
  store: Store;
  cipher: CredentialCipher;
  openSwitch: OpenSwitch;
  log: WorkflowLog;
  /** Default: drivers from the BMC registry with inventory credentials. */
  bmc?: BmcAccess;
  /** Default: SSH to the inventory `os:` endpoint with inventory credentials. */
  os?: OsAccess;
}

export function createWorkflow(deps: WorkflowDeps, config: WorkflowConfig): Workflow {
  const switches = new SwitchGateway(deps.openSwitch, config.gateway);
  const services: WorkflowServices = {
    store: deps.store, switches, openSwitch: deps.openSwitch,
    bmc: deps.bmc ?? inventoryBmcAccess(deps.store, deps.cipher, config.bmcTiming),
    os: deps.os ?? inventoryOsAccess(deps.store, deps.cipher, config.osTiming),
  };
  const executor = new WorkflowExecutor(deps.store.journal, new JobKindRegistry<WorkflowServices>(jobKinds), services, {
    limits: config.limits ?? DEFAULT_LIMITS, retry: config.retry, defaultTimeoutMs: config.defaultTimeoutMs, log: deps.log,
  });
  return { executor, switches };
}
