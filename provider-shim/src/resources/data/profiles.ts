// maestro_profiles: the server profiles in the engine's inventory, with how many servers each has and how many are available.

import type { DataSource, ObjectValue } from '../../framework/resource';
import { reportEngineError, type InventoryClient, type ProfileInfo, type ServerInfo } from '../engine';
import { computed, computedList } from './attributes';

function profileObject(p: ProfileInfo, servers: ServerInfo[]): ObjectValue {
  const mine = servers.filter((s) => s.profile === p.name);
  return {
    name: p.name,
    cpu_cores: p.cpuCores,
    memory_gib: p.memoryGib,
    nics: p.nics,
    disks: p.disks.map((d) => ({ size_gb: d.sizeGb, type: d.type })),
    servers_total: mine.length,
    servers_available: mine.filter((s) => s.state === 'available').length,
  };
}

export const profiles = {
  typeName: 'maestro_profiles',
  schema: {
    version: 0,
    description: 'The server profiles (server classes) in the Maestro engine\'s inventory, with their server counts. Reads the engine\'s store only.',
    attributes: {
      names: computed({ list: 'string' }, 'Profile names, sorted.'),
      profiles: computedList('Every profile, sorted by name.', {
        name: computed('string', 'Profile name, e.g. `gpu-large`.'),
        cpu_cores: computed('number', 'CPU cores.'),
        memory_gib: computed('number', 'Memory in GiB.'),
        nics: computed('number', 'Number of network interfaces.'),
        disks: computedList('Disks every server of the profile has.', {
          size_gb: computed('number', 'Size in GB.'),
          type: computed('string', '`ssd`, `hdd` or `nvme`.'),
        }),
        servers_total: computed('number', 'Servers of this profile in inventory, in any state.'),
        servers_available: computed('number', 'Servers of this profile in the `available` state (cleaned and ready to allocate).'),
      }),
    },
  },

  async read({ client, diags }) {
    try {
      const [found, servers] = await Promise.all([client.listProfiles(), client.listServers()]);
      const sorted = [...found].sort((a, b) => (a.name < b.name ? -1 : 1));
      return { names: sorted.map((p) => p.name), profiles: sorted.map((p) => profileObject(p, servers)) };
    } catch (err) {
      reportEngineError(err, 'listing profiles', diags);
      return null;
    }
  },
} satisfies DataSource<InventoryClient>;
