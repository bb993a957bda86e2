// Boot device override through the ComputerSystem's Boot property (PATCH, ETag-guarded).

import type { BootDevice, BootInterface, BootMode, BootOverride, BootPersistence } from './bmc';
import type { RedfishResource } from './redfish-client';
import type { RedfishService } from './redfish-service';

export class RedfishBoot implements BootInterface {
  constructor(private readonly service: RedfishService) {}

  async getBootOverride(): Promise<BootOverride> {
    const boot = (await this.service.system()).body.Boot ?? {};
    const mode = boot.BootSourceOverrideMode;
    return {
      device: typeof boot.BootSourceOverrideTarget === 'string' ? boot.BootSourceOverrideTarget : 'None',
      persistence: boot.BootSourceOverrideEnabled === 'Once' || boot.BootSourceOverrideEnabled === 'Continuous' ? boot.BootSourceOverrideEnabled : 'Disabled',
      ...(mode === 'UEFI' || mode === 'Legacy' ? { mode } : {}),
    };
  }

  async setBootOverride(device: BootDevice, persistence: BootPersistence, mode?: BootMode): Promise<void> {
    const change = (system: RedfishResource) => {
      this.checkAllowed(system.Boot ?? {}, 'BootSourceOverrideTarget', device);
      this.checkAllowed(system.Boot ?? {}, 'BootSourceOverrideMode', mode);
      const boot: RedfishResource = { BootSourceOverrideTarget: device, BootSourceOverrideEnabled: persistence, ...(mode ? { BootSourceOverrideMode: mode } : {}) };
      const unchanged = Object.entries(boot).every(([key, value]) => system.Boot?.[key] === value);
      return unchanged ? undefined : { Boot: boot };
    };
    await this.service.client.update(await this.service.systemUri(), change);
  }

  private checkAllowed(boot: RedfishResource, property: string, value: string | undefined): void {
    const allowed = boot[`${property}@Redfish.AllowableValues`];
    if (value === undefined || !Array.isArray(allowed) || allowed.includes(value)) return;
    throw this.service.error(`Boot.${property} "${value}" is not supported by this BMC (allowed: ${allowed.join(', ')})`);
  }
}
