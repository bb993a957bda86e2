// A fake engine inventory and the real provider definition served over it, for the data source unit tests.

import { decodeMsgpack, encodeMsgpack } from '../../provider-shim/src/cty/msgpack';
import type { Diagnostic } from '../../provider-shim/src/tfplugin6/protocol';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import { schemaType } from '../../provider-shim/src/framework/schema';
import { FrameworkServer } from '../../provider-shim/src/framework/server';
import { provider } from '../../provider-shim/src/provider';
import type { ProfileInfo, ProviderClient, ServerInfo, ServerState, SwitchInfo, TenancyInfo } from '../../provider-shim/src/resources/engine';

export function server(id: string, v: Partial<ServerInfo> = {}): ServerInfo {
  return {
    id, serial: `SN-${id}`, profile: 'general', rack: 'r01', bmc: { driver: 'redfish', endpoint: `https://127.0.0.1:9${id.length}` },
    nics: [{ name: 'eth0', mac: '52:54:00:00:00:01', cabledTo: { switchId: 'leaf1', port: 'Ethernet1' } }],
    disks: [{ id: 'sda', sizeGb: 960, type: 'ssd' }],
    state: 'available', stateReason: null, owner: null, tenancyId: null, needsCleaning: false, cleanedAt: null, ...v,
  };
}

export const PROFILES: ProfileInfo[] = [
  { name: 'general', cpuCores: 32, memoryGib: 128, disks: [{ sizeGb: 960, type: 'ssd' }], nics: 2 },
  { name: 'gpu-large', cpuCores: 64, memoryGib: 512, disks: [{ sizeGb: 3840, type: 'nvme' }, { sizeGb: 480, type: 'ssd' }], nics: 2 },
  { name: 'edge', cpuCores: 8, memoryGib: 32, disks: [], nics: 1 },
];

/** Deliberately not in id order: the data source sorts. */
export const SERVERS: ServerInfo[] = [
  server('r02-gen-01', { rack: 'r02', state: 'active', owner: 'terraform:web', tenancyId: 'web' }),
  server('r01-gpu-02', { profile: 'gpu-large', state: 'maintenance', stateReason: 'cleaning failed: disk erase timed out', needsCleaning: true }),
  server('r01-gen-01'),
  server('r01-gpu-01', { profile: 'gpu-large' }),
  server('r02-gen-02', { rack: 'r02', nics: [{ name: 'eth0', mac: '52:54:00:00:02:02', cabledTo: null }] }),
];

export const SWITCHES: SwitchInfo[] = [
  { id: 'spine1', dialect: 'eos', host: '127.0.0.1', sshPort: 2202, descriptionMax: 240, quarantineVlan: 999, ports: [{ name: 'Ethernet1', owner: '' }] },
  {
    id: 'leaf1', dialect: 'eos', host: '127.0.0.1', sshPort: 2201, descriptionMax: 240, quarantineVlan: 999,
    ports: [{ name: 'Ethernet2', owner: '' }, { name: 'Ethernet10', owner: 'terraform:maestro_switch_port' }, { name: 'Ethernet1', owner: 'instance:web-01' }],
  },
];

export const TENANCIES: TenancyInfo[] = [
  { id: 'tn-00000000000a', name: 'web', description: 'web tier', state: 'active', createdAt: '2025-01-01T00:00:00.000Z', network: { pool: 'tenants', vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500 } },
  { id: 'tn-00000000000b', name: 'new', description: '', state: 'creating', createdAt: '2025-01-01T00:00:00.000Z', network: null },
];

export const engineError = (code: string, message: string, field?: string) => Object.assign(new Error(message), { code, violations: field ? [{ field, reason: message }] : [] });

/** Inventory reads answered from the arrays above; every port operation fails the test (data sources never touch devices). */
export class FakeEngine implements ProviderClient {
  calls: Array<[string, unknown?]> = [];
  /** When set, every inventory read throws it. */
  failure: Error | null = null;
  /** When set, only listSwitches throws it. */
  listSwitchesFailure: Error | null = null;
  servers: ServerInfo[] = SERVERS;

  private read<T>(call: string, arg: unknown, value: () => T): Promise<T> {
    this.calls.push(arg === undefined ? [call] : [call, arg]);
    return this.failure ? Promise.reject(this.failure) : Promise.resolve(value());
  }

  listServers(filter: { state?: ServerState; profile?: string } = {}) {
    return this.read('listServers', filter, () => this.servers.filter((s) => (!filter.state || s.state === filter.state) && (!filter.profile || s.profile === filter.profile)));
  }
  listProfiles() {
    return this.read('listProfiles', undefined, () => PROFILES);
  }
  listSwitches() {
    if (this.listSwitchesFailure) return Promise.reject(this.listSwitchesFailure);
    return this.read('listSwitches', undefined, () => SWITCHES);
  }
  getSwitch(id: string) {
    return this.read('getSwitch', id, () => {
      const sw = SWITCHES.find((s) => s.id === id);
      if (!sw) throw engineError('not_found', `unknown switch "${id}"`, 'switch');
      return sw;
    });
  }
  validatePortConfig(): never {
    throw new Error('a data source validated a port');
  }
  getPort(): never {
    throw new Error('a data source read a device port');
  }
  applyPortConfig(): never {
    throw new Error('a data source applied a port');
  }
  releasePort(): never {
    throw new Error('a data source released a port');
  }
  findTenancy(name: string) {
    return this.read('findTenancy', name, () => {
      const t = TENANCIES.find((x) => x.name === name);
      if (!t) throw engineError('not_found', `no tenancy named "${name}"`, 'name');
      return t;
    });
  }
  getTenancy(): never {
    throw new Error('a data source read a tenancy by id');
  }
  createTenancy(): never {
    throw new Error('a data source created a tenancy');
  }
  updateTenancy(): never {
    throw new Error('a data source updated a tenancy');
  }
  deleteTenancy(): never {
    throw new Error('a data source deleted a tenancy');
  }
  validateTenancy(): never {
    throw new Error('a data source validated a tenancy');
  }
  createInstance(): never {
    throw new Error('a data source created an instance');
  }
  getInstance(): never {
    throw new Error('a data source read an instance');
  }
  listInstances(): never {
    throw new Error('a data source listed instances');
  }
  updateInstance(): never {
    throw new Error('a data source updated an instance');
  }
  deleteInstance(): never {
    throw new Error('a data source deleted an instance');
  }
  validateInstance(): never {
    throw new Error('a data source validated an instance');
  }
}

/** The provider as terraform sees it, configured with `engine`. */
export async function providerWith(engine: FakeEngine) {
  const s = new FrameworkServer({ ...provider, configure: async () => engine });
  await s.configureProvider({ terraformVersion: '1.11.4', config: {} });
  const typeOf = (typeName: string) => schemaType(provider.dataSources.find((d) => d.typeName === typeName)!.schema);
  return {
    s,
    /** ReadDataSource: the decoded state (null on error) and the diagnostics. */
    async read(typeName: string, config: ObjectValue): Promise<{ state: ObjectValue | null; diagnostics: Diagnostic[] }> {
      const type = typeOf(typeName);
      const res = await s.readDataSource({ typeName, config: { msgpack: encodeMsgpack(config, type) } });
      return { state: res.state?.msgpack ? (decodeMsgpack(res.state.msgpack, type) as ObjectValue) : null, diagnostics: res.diagnostics };
    },
    /** ValidateDataResourceConfig: the diagnostics. */
    async validate(typeName: string, config: ObjectValue): Promise<Diagnostic[]> {
      return (await s.validateDataResourceConfig({ typeName, config: { msgpack: encodeMsgpack(config, typeOf(typeName)) } })).diagnostics;
    },
  };
}
