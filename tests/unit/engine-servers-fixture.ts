// Test support for ownership across cabling: servers with cabled NICs and port owners, written into any store.

import type { ServerSpec } from '../../engine/src/store/allocation-store';
import type { Store } from '../../engine/src/store/store';

/** Server `id` (number `n`, for unique MACs) with NICs eth0, eth1, ... cabled to `[switch, port]`, or uncabled (null). */
export const cabledServer = (id: string, profile: string, n: number, nics: Array<[string, string] | null>, credentialsRef = 'leaf-admin'): ServerSpec => ({
  id, serial: `SN-${id}`, profile, rack: 'r1', bmc: { driver: 'redfish', endpoint: `https://bmc-${id}`, credentialsRef, tlsPin: null },
  nics: nics.map((to, i) => ({ name: `eth${i}`, mac: `52:54:00:00:${n.toString(16).padStart(2, '0')}:0${i}`, cabledTo: to && { switchId: to[0], port: to[1] } })),
  disks: [],
});

/** Adds rack r1, `profiles` and `servers` to a store whose switches and credentials are already imported. */
export async function importServers(store: Store, profiles: string[], servers: ServerSpec[]): Promise<void> {
  await store.importInventory({
    credentials: [], segments: [], switches: [],
    topology: {
      racks: [{ id: 'r1', site: 'dc1' }], switchPlacement: [], fabricLinks: [], pools: [], servers,
      profiles: profiles.map((name) => ({ name, cpuCores: 1, memoryGib: 1, disks: [], nics: 2 })),
    },
  });
}

/** Records `owner` as the port's owner, as a successful port job does. */
export const claimPort = (store: Store, switchId: string, port: string, owner: string | null): Promise<void> => store.recordChange(
  { at: 'now', who: 'admin', what: 'claim', device: switchId, before: null, after: null, result: 'succeeded', jobId: null },
  { switchId, port, owner, desired: null },
);
