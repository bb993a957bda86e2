// Servers whose cabled switch ports someone else holds (a maestro_switch_port, another instance): placement skips them.

import type { ServerRecord } from '../store/allocation-store';

/** What port-holder lookups read: every switch's ports with their owners. */
export interface PortOwnerSource {
  listSwitches(): Promise<Array<{ id: string }>>;
  listPorts(switchId: string): Promise<Array<{ name: string; owner: string | null }>>;
}

/**
 * Per server id, why it cannot be given to `owner`: a port its NICs are
 * cabled to is held by another owner (`leaf1/swp3 is held by "terraform:maestro_switch_port"`).
 * Servers with every cabled port unowned or owned by `owner` are absent.
 */
export async function foreignPortHolders(store: PortOwnerSource, servers: readonly ServerRecord[], owner: string | undefined): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const sw of await store.listSwitches()) {
    for (const p of await store.listPorts(sw.id)) if (p.owner) owners.set(`${sw.id}/${p.name}`, p.owner);
  }
  const out = new Map<string, string>();
  for (const s of servers) {
    const held = s.nics.flatMap((n) => {
      if (!n.cabledTo) return [];
      const key = `${n.cabledTo.switchId}/${n.cabledTo.port}`;
      const holder = owners.get(key);
      return holder && holder !== owner ? [`${key} (NIC ${n.name}) is held by "${holder}"`] : [];
    });
    if (held.length > 0) out.set(s.id, held.join(', '));
  }
  return out;
}
