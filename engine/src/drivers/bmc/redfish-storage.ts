// Storage under the System (Storage -> Drives, Volumes) and the cleaning actions on it: Drive.SecureErase, Volume.Initialize.

import type { CleaningInterface, VolumeInitializeType } from './bmc';
import { linkOf, type RedfishResource } from './redfish-client';
import type { RedfishService } from './redfish-service';
import { runAction } from './redfish-task';

/** One Storage resource (a controller) with its drives and volumes, as the BMC returned them. */
export interface StorageContents {
  storageId: string;
  drives: RedfishResource[];
  volumes: RedfishResource[];
}

/** Walks System.Storage: every Storage member, each drive it links, each member of its Volumes collection. */
export async function readStorage(service: RedfishService, system: RedfishResource): Promise<StorageContents[]> {
  const contents: StorageContents[] = [];
  for (const storage of await service.memberResources(system.Storage)) {
    const drives: RedfishResource[] = [];
    for (const link of Array.isArray(storage.Drives) ? storage.Drives : []) {
      const uri = linkOf(link);
      if (uri) drives.push((await service.client.get(uri)).body);
    }
    contents.push({ storageId: String(storage.Id), drives, volumes: await service.memberResources(storage.Volumes) });
  }
  return contents;
}

export class RedfishCleaning implements CleaningInterface {
  constructor(private readonly service: RedfishService) {}

  async secureEraseDrive(driveId: string): Promise<void> {
    const drive = await this.find('drives', driveId);
    await runAction(this.service, this.service.action(drive, 'Drive.SecureErase').target, {});
  }

  async initializeVolume(volumeId: string, type: VolumeInitializeType): Promise<void> {
    const volume = await this.find('volumes', volumeId);
    const initialize = this.service.action(volume, 'Volume.Initialize');
    this.service.requireAllowed(initialize, 'InitializeType', type);
    await runAction(this.service, initialize.target, { InitializeType: type });
  }

  private async find(kind: 'drives' | 'volumes', id: string): Promise<RedfishResource> {
    const storage = await readStorage(this.service, (await this.service.system()).body);
    const all = storage.flatMap((s) => s[kind]);
    const found = all.find((r) => r.Id === id);
    if (found) return found;
    throw this.service.error(`no ${kind.slice(0, -1)} with Id "${id}" (${kind}: ${all.map((r) => r.Id).join(', ') || 'none'})`);
  }
}
