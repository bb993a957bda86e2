// One Redfish service as the driver sees it: discovery from the service root, the managed system, links and actions.

import { BmcError } from './bmc';
import { linkOf, type RedfishClient, type RedfishResource, type RedfishResponse } from './redfish-client';

/** Timing and logging shared by every capability of one driver. */
export interface RedfishSettings {
  endpoint: string;
  systemId?: string;
  pollIntervalMs: number;
  powerTimeoutMs: number;
  gracefulShutdownTimeoutMs: number;
  taskTimeoutMs: number;
  warn: (message: string) => void;
}

/** An action of a resource (`Actions['#ComputerSystem.Reset']`): its target and what it says it accepts. */
export interface RedfishAction {
  /** `#ComputerSystem.Reset`. */
  name: string;
  target: string;
  /** `<param>@Redfish.AllowableValues`, or undefined when the BMC does not say. */
  allowableValues(param: string): string[] | undefined;
}

interface Discovery {
  root: RedfishResource;
  systemUri: string;
}

/**
 * Discovery is lazy and done once (a failed attempt is retried by the next
 * call). Only the service root path is known in advance; systems, managers
 * and everything below them are found by following `@odata.id` links.
 */
export class RedfishService {
  private discovery?: Promise<Discovery>;

  constructor(
    readonly client: RedfishClient,
    readonly settings: RedfishSettings,
  ) {}

  /** A BmcError naming this BMC. */
  error(message: string, retryable = false, status?: number, bmcMessages: string[] = []): BmcError {
    return new BmcError(`BMC ${this.settings.endpoint}: ${message}`, this.settings.endpoint, retryable, status, bmcMessages);
  }

  discover(): Promise<Discovery> {
    this.discovery ??= this.runDiscovery().catch((err) => {
      this.discovery = undefined;
      throw err;
    });
    return this.discovery;
  }

  async system(): Promise<RedfishResponse> {
    return this.client.get((await this.discover()).systemUri);
  }

  async systemUri(): Promise<string> {
    return (await this.discover()).systemUri;
  }

  /** Member URIs of a collection, following `Members@odata.nextLink` pages. */
  async members(collectionUri: string): Promise<string[]> {
    const uris: string[] = [];
    for (let page: string | undefined = collectionUri; page; ) {
      const body: RedfishResource = (await this.client.get(page)).body;
      for (const member of Array.isArray(body.Members) ? body.Members : []) {
        const uri = linkOf(member);
        if (uri) uris.push(uri);
      }
      page = typeof body['Members@odata.nextLink'] === 'string' ? body['Members@odata.nextLink'] : undefined;
    }
    return uris;
  }

  /** Every member resource of the collection `link` points to (none when the link is absent). */
  async memberResources(link: unknown): Promise<RedfishResource[]> {
    const uri = linkOf(link);
    if (!uri) return [];
    const resources: RedfishResource[] = [];
    for (const member of await this.members(uri)) resources.push((await this.client.get(member)).body);
    return resources;
  }

  /** Managers of the system (`Links.ManagedBy`), else every manager of the service. */
  async managerUris(system: RedfishResource): Promise<string[]> {
    const managedBy = (Array.isArray(system.Links?.ManagedBy) ? system.Links.ManagedBy : []).map(linkOf).filter(Boolean) as string[];
    if (managedBy.length > 0) return managedBy;
    const collection = linkOf((await this.discover()).root.Managers);
    return collection ? this.members(collection) : [];
  }

  /** The action `name` (e.g. `ComputerSystem.Reset`) of `resource`, or a BmcError saying the BMC lacks it. */
  action(resource: RedfishResource, name: string): RedfishAction {
    const found = this.optionalAction(resource, name);
    if (!found) throw this.error(`${resource['@odata.id'] ?? 'the resource'} has no #${name} action`);
    return found;
  }

  optionalAction(resource: RedfishResource, name: string): RedfishAction | undefined {
    const entry = resource.Actions?.[`#${name}`];
    if (typeof entry?.target !== 'string') return undefined;
    return {
      name: `#${name}`,
      target: entry.target,
      allowableValues: (param) => {
        const values = entry[`${param}@Redfish.AllowableValues`];
        return Array.isArray(values) ? values : undefined;
      },
    };
  }

  /** Throws, before anything is sent, when the action lists what `param` accepts and `value` is not in it. */
  requireAllowed(action: RedfishAction, param: string, value: string): void {
    const allowed = action.allowableValues(param);
    if (allowed && !allowed.includes(value)) {
      throw this.error(`${action.name} does not allow ${param} "${value}" on this BMC (allowed: ${allowed.join(', ')})`);
    }
  }

  private async runDiscovery(): Promise<Discovery> {
    const root = await this.client.open();
    const systems = linkOf(root.Systems);
    if (!systems) throw this.error('the service root has no Systems collection');
    return { root, systemUri: await this.pickSystem(await this.members(systems)) };
  }

  /** The system whose Id is `systemId`, else the only one. */
  private async pickSystem(uris: string[]): Promise<string> {
    const wanted = this.settings.systemId;
    if (wanted === undefined) {
      if (uris.length === 1) return uris[0];
      throw this.error(`the BMC has ${uris.length} systems (${uris.join(', ')}); set systemId to choose one`);
    }
    const ids: string[] = [];
    for (const uri of uris) {
      const id = String((await this.client.get(uri)).body.Id);
      if (id === wanted) return uri;
      ids.push(id);
    }
    throw this.error(`no system with Id "${wanted}" (systems: ${ids.join(', ') || 'none'})`);
  }
}
