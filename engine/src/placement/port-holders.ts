// Servers whose cabled switch ports someone else holds (a maestro_switch_port, another instance): placement skips them.

import type { PortRef, ServerRecord } from '../store/allocation-store';

interface PortOwner {
  switchId: string;
  name: string;
  owner: string | null;
}

/**
 * What port-holder lookups read. The Store answers listOwnedPorts, which asks
 * only for the ports the servers are cabled to; a source without it (a test
 * double) is read whole, every port of every switch.
 */
export interface PortOwnerSource {
  listSwitches(): Promise<Array<{ id: string }>>;
  listPorts(switchId: string): Promise<Array<{ name: string; owner: string | null }>>;
  /** The owned ones among `ports`; ports not in inventory are left out. */
  listOwnedPorts?(ports: readonly PortRef[]): Promise<PortOwner[]>;
}

const keyOf = (switchId: string, port: string) => `${switchId}/${port}`;

/** Every port of every switch, for sources without listOwnedPorts. */
async function everyPort(store: PortOwnerSource): Promise<PortOwner[]> {
  const perSwitch = await Promise.all((await store.listSwitches()).map(async (sw) =>
    (await store.listPorts(sw.id)).map((p) => ({ switchId: sw.id, name: p.name, owner: p.owner }))));
  return perSwitch.flat();
}

/** Owner per `switch/port` key, for the owned ones among `ports`. */
async function ownersOf(store: PortOwnerSource, ports: PortRef[]): Promise<Map<string, string>> {
  const listed = store.listOwnedPorts ? await store.listOwnedPorts(ports) : await everyPort(store);
  return new Map(listed.flatMap((p): Array<[string, string]> => (p.owner ? [[keyOf(p.switchId, p.name), p.owner]] : [])));
}

/**
 * Per server id, why it cannot be given to `owner`: a port its NICs are
 * cabled to is held by another owner (`leaf1/swp3 is held by "terraform:maestro_switch_port"`).
 * Servers with every cabled port unowned or owned by `owner` are absent.
 */
export async function foreignPortHolders(store: PortOwnerSource, servers: readonly ServerRecord[], owner: string | undefined): Promise<Map<string, string>> {
  const cabled = servers.flatMap((s) => s.nics.flatMap((n) => (n.cabledTo ? [n.cabledTo] : [])));
  const owners = await ownersOf(store, cabled);
  const out = new Map<string, string>();
  for (const s of servers) {
    const held = s.nics.flatMap((n) => {
      if (!n.cabledTo) return [];
      const key = keyOf(n.cabledTo.switchId, n.cabledTo.port);
      const holder = owners.get(key);
      return holder && holder !== owner ? [`${key} (NIC ${n.name}) is held by "${holder}"`] : [];
    });
    if (held.length > 0) out.set(s.id, held.join(', '));
  }
  return out;
}
