// A fake engine client for the maestro_switch_port unit tests: ports and tenancies in maps, the requests it got in order.

import type { FieldViolation } from '../../engine/src/api/types';
import type { PortConfig } from '../../engine/src/domain/port-config';
import type { EnginePort, PortRequest, TenancyInfo } from '../../provider-shim/src/resources/engine';
import type { SwitchPortClient } from '../../provider-shim/src/resources/switch-port';

export const access10: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };

/** `violations`: what validatePortConfig answers (default none); `recordGets: false` leaves getPort out of `requests`,
 *  for tests that assert a read makes no other engine call; `tenancies`: what getTenancy finds (default none). */
export interface FakePortEngineOptions {
  violations?: (req: PortRequest) => FieldViolation[];
  recordGets?: boolean;
  tenancies?: TenancyInfo[];
}

/** Starts with leaf1/Ethernet1 as an access port on VLAN 10; a release puts a port in quarantine VLAN 999. */
export class FakePortEngine implements SwitchPortClient {
  requests: Array<[string, unknown]> = [];
  ports = new Map<string, PortConfig>([['leaf1/Ethernet1', access10]]);
  tenancies: Map<string, TenancyInfo>;

  constructor(private readonly options: FakePortEngineOptions = {}) {
    this.tenancies = new Map((options.tenancies ?? []).map((t) => [t.id, t]));
  }

  async validatePortConfig(req: PortRequest) {
    this.requests.push(['validate', req]);
    return { violations: this.options.violations?.(req) ?? [] };
  }
  async getPort(req: { switchId: string; port: string }): Promise<EnginePort> {
    if (this.options.recordGets ?? true) this.requests.push(['get', req]);
    const config = this.ports.get(`${req.switchId}/${req.port}`);
    if (!config) throw notFound(`no port ${req.port}`);
    return { ...req, config, owner: '' };
  }
  async applyPortConfig(req: PortRequest) {
    this.requests.push(['apply', req]);
    this.ports.set(`${req.switchId}/${req.port}`, req.config);
    return { jobId: 'j1', port: { switchId: req.switchId, port: req.port, config: req.config, owner: req.owner } };
  }
  async releasePort(req: { switchId: string; port: string }) {
    this.requests.push(['release', req]);
    return this.applyPortConfig({ ...req, config: { ...access10, accessVlan: 999 }, owner: '' });
  }
  async getTenancy(id: string): Promise<TenancyInfo> {
    this.requests.push(['tenancy', id]);
    const t = this.tenancies.get(id);
    if (!t) throw notFound(`no tenancy ${id}`);
    return t;
  }
}

/** An error as the engine client throws it for a missing object. */
function notFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'not_found', violations: [] });
}
