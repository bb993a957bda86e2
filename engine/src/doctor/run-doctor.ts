// Runs the doctor: reads the store and every switch (through the injected switch reader), then applies the rules.

import type { PortConfig } from '../domain/port-config';
import type { Store, SwitchRecord } from '../store/store';
import type { DoctorReport } from './finding';
import { findOrphans, type ObservedSwitch } from './orphan-rules';

/** Reads a switch's VLANs and the given ports from the device; throws when the switch cannot be read. */
export type ReadSwitch = (sw: SwitchRecord, ports: string[]) => Promise<{ vlans: number[]; ports: Map<string, PortConfig> }>;

async function observe(store: Store, sw: SwitchRecord, read: ReadSwitch): Promise<ObservedSwitch> {
  const inventory = await store.listPorts(sw.id);
  try {
    return { id: sw.id, inventory, ...(await read(sw, inventory.map((p) => p.name))) };
  } catch (err) {
    return { id: sw.id, error: (err as Error).message ?? String(err) };
  }
}

/**
 * Every orphan the store and the switches show. Switches are read in
 * parallel; one that cannot be read becomes a `switch_unreachable` finding
 * rather than failing the run. Throws only when the store cannot be read.
 */
export async function runDoctor(store: Store, read: ReadSwitch): Promise<DoctorReport> {
  const a = store.allocation;
  const [switches, tenancies, ips, servers, fabricLinks, segments] = await Promise.all([
    store.listSwitches().then((list) => Promise.all(list.map((sw) => observe(store, sw, read)))),
    a.listTenancyNetworks(), a.listIps(), a.listServers(), a.listFabricLinks(),
    Promise.all(['quarantine', 'provisioning'].map((name) => store.getSegment(name))),
  ]);
  const infrastructureVlans = segments.flatMap((s) => (s ? [s.vlan] : []));
  const findings = findOrphans({ switches, infrastructureVlans, tenancies, ips, servers, fabricLinks });
  const ports = switches.reduce((n, sw) => n + ('inventory' in sw ? sw.inventory.length : 0), 0);
  return { findings, checked: { switches: switches.length, ports, servers: servers.length, tenancies: tenancies.length, ips: ips.length } };
}
