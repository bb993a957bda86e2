// Plan cost per resource: maestro_switch_port asks the engine to validate only ports whose configuration changes.

import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import type { MaestroClient, PortRequest } from '../../provider-shim/src/resources/engine';
import { switchPort } from '../../provider-shim/src/resources/switch-port';

/** Counts validations; every other engine call is a test failure. */
class CountingEngine implements MaestroClient {
  validations: PortRequest[] = [];
  async validatePortConfig(req: PortRequest) {
    this.validations.push(req);
    return { violations: [] };
  }
  getPort(): never {
    throw new Error('planning must not read the device');
  }
  applyPortConfig(): never {
    throw new Error('planning must not apply');
  }
  releasePort(): never {
    throw new Error('planning must not release');
  }
}

const port = (v: Partial<ObjectValue> = {}): ObjectValue => ({
  id: 'leaf1/Ethernet1', switch: 'leaf1', port: 'Ethernet1', mode: 'access', access_vlan: 10, allowed_vlans: null,
  native_vlan: null, mtu: 1500, description: 'web', admin_state: 'up', timeouts: null, ...v,
});
const trunk = (allowed: number[]) => port({ mode: 'trunk', access_vlan: null, allowed_vlans: allowed, native_vlan: 20 });

test.each<[string, ObjectValue | null, ObjectValue, number]>([
  ['unchanged port (a refresh-only plan)', port(), port(), 0],
  ['unchanged trunk whose VLAN set is listed in another order', trunk([30, 20]), trunk([20, 30]), 0],
  ['only the timeouts block differs', port(), port({ timeouts: { create: '1m', update: null, delete: null } }), 0],
  ['new port', null, port(), 1],
  ['description changed', port(), port({ description: 'db' }), 1],
  ['VLAN changed', port(), port({ access_vlan: 11 }), 1],
  ['moved to another port', port(), port({ port: 'Ethernet2' }), 1],
  ['moved to another switch', port(), port({ switch: 'leaf2' }), 1],
])('%s: %i engine validation(s)', async (_name, prior, planned, expected) => {
  const engine = new CountingEngine();
  const diags = new Diagnostics();
  await switchPort.modifyPlan({ client: engine, diags, signal: new AbortController().signal, prior, config: planned, planned });
  expect(engine.validations).toHaveLength(expected);
  expect(diags.items).toEqual([]);
});
