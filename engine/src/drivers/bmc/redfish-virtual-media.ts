// The CD/DVD virtual drive: found under the System or its Managers; InsertMedia/EjectMedia actions, PATCH on older BMCs.

import type { VirtualMediaInterface, VirtualMediaState } from './bmc';
import { linkOf, type RedfishResource } from './redfish-client';
import type { RedfishService } from './redfish-service';

const OPTICAL = new Set(['CD', 'DVD']);

function stateOf(media: RedfishResource): VirtualMediaState {
  const image = typeof media.Image === 'string' && media.Image !== '' ? media.Image : undefined;
  return { inserted: media.Inserted === true, ...(image ? { image } : {}) };
}

export class RedfishVirtualMedia implements VirtualMediaInterface {
  constructor(private readonly service: RedfishService) {}

  async getVirtualMedia(): Promise<VirtualMediaState> {
    return stateOf(await this.cd());
  }

  async insertMedia(imageUrl: string): Promise<void> {
    const media = await this.cd();
    const current = stateOf(media);
    if (current.inserted && current.image === imageUrl) return;
    if (current.inserted) await this.eject(media);
    const insert = this.service.optionalAction(media, 'VirtualMedia.InsertMedia');
    const body = { Image: imageUrl, Inserted: true, WriteProtected: true };
    if (insert) await this.service.client.post(insert.target, body);
    else await this.service.client.update(media['@odata.id'], () => body);
  }

  async ejectMedia(): Promise<void> {
    const media = await this.cd();
    if (stateOf(media).inserted) await this.eject(media);
  }

  private async eject(media: RedfishResource): Promise<void> {
    const eject = this.service.optionalAction(media, 'VirtualMedia.EjectMedia');
    if (eject) await this.service.client.post(eject.target, {});
    else await this.service.client.update(media['@odata.id'], () => ({ Image: null, Inserted: false }));
  }

  /** The first virtual media whose MediaTypes include CD or DVD: under the System (newer BMCs), else under its Managers. */
  private async cd(): Promise<RedfishResource> {
    const system = (await this.service.system()).body;
    const collections = linkOf(system.VirtualMedia) ? [system.VirtualMedia] : await this.managerCollections(system);
    for (const collection of collections) {
      const found = (await this.service.memberResources(collection)).find((m) => Array.isArray(m.MediaTypes) && m.MediaTypes.some((t: string) => OPTICAL.has(t)));
      if (found) return found;
    }
    throw this.service.error('no CD/DVD virtual media found under the system or its managers');
  }

  private async managerCollections(system: RedfishResource): Promise<unknown[]> {
    const collections: unknown[] = [];
    for (const uri of await this.service.managerUris(system)) {
      const manager = (await this.service.client.get(uri)).body;
      if (linkOf(manager.VirtualMedia)) collections.push(manager.VirtualMedia);
    }
    return collections;
  }
}
