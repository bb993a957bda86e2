// maestro_switch: one switch from the engine's inventory, with its ports and who owns each.

import type { Diagnostics } from '../../framework/diagnostics';
import type { DataSource, ObjectValue } from '../../framework/resource';
import { isNotFound, reportEngineError, type InventoryClient, type SwitchInfo } from '../engine';
import { computed, computedList, inventoryId } from './attributes';

/** How many known ids a not-found error lists before "and N more". */
const LISTED_IDS = 20;

function switchObject(sw: SwitchInfo): ObjectValue {
  return {
    id: sw.id,
    dialect: sw.dialect,
    description_max: sw.descriptionMax,
    quarantine_vlan: sw.quarantineVlan,
    ports: sw.ports.map((p) => ({ name: p.name, owner: p.owner })),
  };
}

/** Names the switches the engine does know, when it can say cheaply. */
async function reportUnknownSwitch(client: InventoryClient, id: string, diags: Diagnostics): Promise<void> {
  let known = '';
  try {
    const ids = (await client.listSwitches()).map((sw) => sw.id).sort();
    const more = ids.length > LISTED_IDS ? ` and ${ids.length - LISTED_IDS} more` : '';
    known = ids.length === 0 ? ' The inventory has no switches.' : ` Known switches: ${ids.slice(0, LISTED_IDS).join(', ')}${more}.`;
  } catch {
    // The list only helps the message; the diagnostic below stands without it.
  }
  diags.error('Unknown switch', `id: no switch "${id}" in the Maestro engine's inventory.${known}`, ['id']);
}

export const switchData = {
  typeName: 'maestro_switch',
  schema: {
    version: 0,
    description: 'One switch from the Maestro engine\'s inventory: its dialect and its ports with their owners. Reads the engine\'s store only: the switch itself is not contacted.',
    attributes: {
      id: { type: 'string', required: true, description: 'Id of the switch in the engine\'s inventory, e.g. `leaf1`.', validators: [inventoryId('a switch id')] },
      dialect: computed('string', 'CLI dialect the engine speaks to the switch: `eos`, `nxos`, `ios`, `sonic` or `linux`.'),
      description_max: computed('number', 'Longest port description the switch\'s dialect accepts.'),
      quarantine_vlan: computed('number', 'VLAN of the quarantine segment, where unowned ports live.'),
      ports: computedList('The switch\'s ports in inventory order.', {
        name: computed('string', 'Port name as the switch calls it, e.g. `Ethernet1`.'),
        owner: computed('string', 'Who owns the port (e.g. `terraform:maestro_switch_port`); "" when unowned.'),
      }),
    },
  },

  async read({ client, config, diags }) {
    const id = config.id as string;
    try {
      return switchObject(await client.getSwitch(id));
    } catch (err) {
      if (isNotFound(err)) await reportUnknownSwitch(client, id, diags);
      else reportEngineError(err, 'reading the switch', diags);
      return null;
    }
  },
} satisfies DataSource<InventoryClient>;
