// The explicit list of BMC drivers the engine can use, by the name inventory files give (`bmc.driver`).

import type { BmcDriverFactory } from './bmc';
import { createRedfishDriver } from './redfish';

/** Every supported BMC driver. Adding one: its files, one line here. */
export const bmcDrivers: Readonly<Record<string, BmcDriverFactory>> = {
  redfish: createRedfishDriver,
};

/** The driver factory called `name`, or undefined when Maestro does not know it. */
export function getBmcDriver(name: string): BmcDriverFactory | undefined {
  return Object.hasOwn(bmcDrivers, name) ? bmcDrivers[name] : undefined;
}

/** Names of every supported BMC driver, for error messages and docs. */
export function bmcDriverNames(): string[] {
  return Object.keys(bmcDrivers);
}
