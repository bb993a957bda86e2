// maestro_tenancy (data source): one tenancy looked up by name, with its network.

import type { DataSource } from '../../framework/resource';
import { matches } from '../../framework/validators';
import { TENANCY_NAME } from '../../../../engine/src/domain/tenancy';
import { isNotFound, reportEngineError, type TenancyClient } from '../engine';
import { computed } from './attributes';

export const tenancyData = {
  typeName: 'maestro_tenancy',
  schema: {
    version: 0,
    description: 'One tenancy the Maestro engine knows, looked up by name: its id and network. Reads the engine\'s store only: no switch is contacted.',
    attributes: {
      name: { type: 'string', required: true, description: 'Name of the tenancy, e.g. `web`.', validators: [matches(TENANCY_NAME, '1-63 lowercase letters, digits and dashes, starting with a letter or digit')] },
      id: computed('string', 'The tenancy\'s id in the engine (`tn-` and 12 hex digits); what `maestro_tenancy` imports.'),
      description: computed('string', 'The tenancy\'s description.'),
      vlan_id: computed('number', 'VLAN id of the segment; null while the tenancy is being created.'),
      vni: computed('number', 'VXLAN network identifier of the segment; null while the tenancy is being created.'),
      cidr: computed('string', 'IPv4 subnet; null while the tenancy is being created.'),
      gateway: computed('string', 'Gateway address: the subnet\'s first host; null while the tenancy is being created.'),
      mtu: computed('number', 'MTU of the ports configured into the tenancy; null while the tenancy is being created.'),
    },
  },

  async read({ client, config, diags }) {
    const name = config.name as string;
    try {
      const t = await client.findTenancy(name);
      const n = t.network;
      return { name: t.name, id: t.id, description: t.description, vlan_id: n?.vlan ?? null, vni: n?.vni ?? null, cidr: n?.cidr ?? null, gateway: n?.gateway ?? null, mtu: n?.mtu ?? null };
    } catch (err) {
      if (isNotFound(err)) diags.error('Unknown tenancy', `name: the Maestro engine has no tenancy named "${name}".`, ['name']);
      else reportEngineError(err, 'reading the tenancy', diags);
      return null;
    }
  },
} satisfies DataSource<TenancyClient>;
