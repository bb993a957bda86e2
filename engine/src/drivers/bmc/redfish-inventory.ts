// Hardware inventory from the ComputerSystem: summaries, EthernetInterfaces (MACs) and storage drives/volumes.

import type { DriveInventory, HardwareInventory, InventoryInterface, NicInventory, VolumeInventory } from './bmc';
import type { RedfishResource } from './redfish-client';
import { powerStateOf } from './redfish-power';
import type { RedfishService } from './redfish-service';
import { readStorage } from './redfish-storage';

/** `52:54:00:ab:cd:01` from any common MAC spelling (colons, dashes, dots, none); undefined when not a MAC. */
export function normalizeMac(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.replace(/[:\-.\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex) || hex === '000000000000') return undefined;
  return hex.match(/../g)!.join(':');
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function nicOf(nic: RedfishResource): NicInventory {
  const mac = normalizeMac(nic.MACAddress) ?? normalizeMac(nic.PermanentMACAddress);
  return { id: String(nic.Id), ...(mac ? { mac } : {}) };
}

function driveOf(storageId: string, drive: RedfishResource): DriveInventory {
  const mediaType = str(drive.MediaType);
  const serialNumber = str(drive.SerialNumber);
  return { id: String(drive.Id), storageId, capacityBytes: num(drive.CapacityBytes), ...(mediaType ? { mediaType } : {}), ...(serialNumber ? { serialNumber } : {}) };
}

function volumeOf(storageId: string, volume: RedfishResource): VolumeInventory {
  return { id: String(volume.Id), storageId, capacityBytes: num(volume.CapacityBytes) };
}

export class RedfishInventory implements InventoryInterface {
  constructor(private readonly service: RedfishService) {}

  async getInventory(): Promise<HardwareInventory> {
    const system = (await this.service.system()).body;
    const storage = await readStorage(this.service, system);
    const model = str(system.ProcessorSummary?.Model);
    const serialNumber = str(system.SerialNumber);
    return {
      systemId: String(system.Id),
      ...(serialNumber ? { serialNumber } : {}),
      powerState: powerStateOf(system),
      processors: { count: num(system.ProcessorSummary?.Count), ...(model ? { model } : {}) },
      memoryGiB: num(system.MemorySummary?.TotalSystemMemoryGiB),
      nics: (await this.service.memberResources(system.EthernetInterfaces)).map(nicOf),
      drives: storage.flatMap((s) => s.drives.map((d) => driveOf(s.storageId, d))),
      volumes: storage.flatMap((s) => s.volumes.map((v) => volumeOf(s.storageId, v))),
    };
  }
}
