// The Redfish BMC driver: one RedfishService shared by the power, boot, virtual media, cleaning and inventory capabilities.

import type { BmcConnectionOptions, BmcDriver } from './bmc';
import { createBmcAgent } from './bmc-tls';
import { RedfishBoot } from './redfish-boot';
import { RedfishClient } from './redfish-client';
import { RedfishInventory } from './redfish-inventory';
import { RedfishPower } from './redfish-power';
import { RedfishService, type RedfishSettings } from './redfish-service';
import { RedfishCleaning } from './redfish-storage';
import { RedfishVirtualMedia } from './redfish-virtual-media';

const DEFAULTS = {
  pollIntervalMs: 1000,
  powerTimeoutMs: 120_000,
  gracefulShutdownTimeoutMs: 60_000,
  taskTimeoutMs: 2 * 3600_000,
  requestTimeoutMs: 30_000,
};

const defaultWarn = (message: string): void => process.emitWarning(message, 'MaestroBmcWarning');

/**
 * Creates a Redfish driver. Nothing is sent until the first operation (or
 * validate()), which reads the service root, logs in and finds the system.
 * Throws (synchronously) only for invalid options, such as a malformed fingerprint.
 */
export function createRedfishDriver(options: BmcConnectionOptions): BmcDriver {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const settings: RedfishSettings = {
    endpoint,
    systemId: options.systemId,
    warn: options.warn ?? defaultWarn,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    powerTimeoutMs: options.powerTimeoutMs ?? DEFAULTS.powerTimeoutMs,
    gracefulShutdownTimeoutMs: options.gracefulShutdownTimeoutMs ?? DEFAULTS.gracefulShutdownTimeoutMs,
    taskTimeoutMs: options.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs,
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const agent = createBmcAgent(options.tls ?? {}, settings.warn, endpoint);
  const client = new RedfishClient({ endpoint, username: options.username, password: options.password, agent, requestTimeoutMs });
  const service = new RedfishService(client, settings);
  return {
    endpoint,
    power: new RedfishPower(service),
    boot: new RedfishBoot(service),
    virtualMedia: new RedfishVirtualMedia(service),
    cleaning: new RedfishCleaning(service),
    inventory: new RedfishInventory(service),
    validate: async () => {
      await service.system();
    },
    close: () => client.close(),
  };
}

