// maestro_servers: the servers in the engine's inventory, filtered by profile, state and rack.

import { createHash } from 'node:crypto';
import { SERVER_STATES } from '../../../../engine/src/domain/server-lifecycle';
import type { DataSource, ObjectValue } from '../../framework/resource';
import { oneOf } from '../../framework/validators';
import { reportEngineError, type InventoryClient, type ServerInfo, type ServerState } from '../engine';
import { computed, computedList, inventoryId } from './attributes';

/** The same filters always give the same id, so plans stay quiet. */
function filterDigest(profile: string | null, state: string | null, rack: string | null): string {
  return createHash('sha256').update(JSON.stringify({ profile, state, rack })).digest('hex').slice(0, 16);
}

function serverObject(s: ServerInfo): ObjectValue {
  return {
    id: s.id,
    serial: s.serial,
    profile: s.profile,
    rack: s.rack,
    state: s.state,
    state_reason: s.stateReason,
    owner: s.owner,
    tenancy_id: s.tenancyId,
    needs_cleaning: s.needsCleaning,
    bmc_driver: s.bmc.driver,
    bmc_endpoint: s.bmc.endpoint,
    nics: s.nics.map((n) => ({ name: n.name, mac: n.mac, switch: n.cabledTo?.switchId ?? null, port: n.cabledTo?.port ?? null })),
    disks: s.disks.map((d) => ({ id: d.id, size_gb: d.sizeGb, type: d.type })),
  };
}

export const servers = {
  typeName: 'maestro_servers',
  schema: {
    version: 0,
    description: 'The servers in the Maestro engine\'s inventory with their lifecycle state, optionally filtered by profile, state and rack. Reads the engine\'s store only: no BMC or switch is contacted.',
    attributes: {
      profile: { type: 'string', optional: true, description: 'Only servers of this profile, e.g. `gpu-large`.', validators: [inventoryId('a profile name')] },
      state: { type: 'string', optional: true, description: `Only servers in this lifecycle state: ${SERVER_STATES.map((s) => `\`${s}\``).join(', ')}.`, validators: [oneOf(...SERVER_STATES)] },
      rack: { type: 'string', optional: true, description: 'Only servers in this rack, e.g. `r01`.', validators: [inventoryId('a rack id')] },
      id: computed('string', 'A digest of the filters: the same filters give the same id.'),
      ids: computed({ list: 'string' }, 'Ids of the matching servers, sorted.'),
      servers: computedList('The matching servers, sorted by id.', {
        id: computed('string', 'Server id.'),
        serial: computed('string', 'Serial number.'),
        profile: computed('string', 'Profile (server class).'),
        rack: computed('string', 'Rack the server is in.'),
        state: computed('string', 'Lifecycle state.'),
        state_reason: computed('string', 'Why the server entered its state (e.g. why cleaning failed); null when none was recorded.'),
        owner: computed('string', 'Who the server is allocated to; null when it is not allocated.'),
        tenancy_id: computed('string', 'Tenancy the server is allocated to; null when none.'),
        needs_cleaning: computed('bool', 'Whether the server was allocated since its last successful clean.'),
        bmc_driver: computed('string', 'BMC driver, e.g. `redfish`.'),
        bmc_endpoint: computed('string', 'BMC address (URL). BMC credentials never leave the engine.'),
        nics: computedList('Network interfaces in inventory order.', {
          name: computed('string', 'Interface name, e.g. `eth0`.'),
          mac: computed('string', 'MAC address, lowercase and colon separated.'),
          switch: computed('string', 'Switch the NIC is cabled to; null when not cabled to an inventory switch.'),
          port: computed('string', 'Switch port the NIC is cabled to; null when not cabled.'),
        }),
        disks: computedList('Disks in inventory order.', {
          id: computed('string', 'Disk id, e.g. `nvme0`.'),
          size_gb: computed('number', 'Size in GB.'),
          type: computed('string', '`ssd`, `hdd` or `nvme`.'),
        }),
      }),
    },
  },

  async read({ client, config, diags }) {
    const profile = config.profile as string | null;
    const state = config.state as ServerState | null;
    const rack = config.rack as string | null;
    let found: ServerInfo[];
    try {
      found = await client.listServers({ profile: profile ?? undefined, state: state ?? undefined });
    } catch (err) {
      reportEngineError(err, 'listing servers', diags);
      return null;
    }
    // The engine API filters by profile and state; rack is filtered here.
    const matching = found.filter((s) => rack === null || s.rack === rack).sort((a, b) => (a.id < b.id ? -1 : 1));
    return { profile, state, rack, id: filterDigest(profile, state, rack), ids: matching.map((s) => s.id), servers: matching.map(serverObject) };
  },
} satisfies DataSource<InventoryClient>;
