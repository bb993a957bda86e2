// An in-memory switch for engine tests: implements SwitchDriver over a port map and records every call.

import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { DeviceError, type PortChange, type SwitchDriver, type SwitchEndpoint } from '../../engine/src/drivers/switch/driver';

type Method = 'configurePorts' | 'readPorts' | 'ensureVlan' | 'listVlans' | 'save';

/**
 * One fake switch. `connect` is a ConnectSwitch. Tests change `ports` directly
 * to simulate drift, set `failOn` to make a method throw, and set `mangle` to
 * make the device store something other than what it was told (verify fails).
 */
export class FakeSwitch {
  readonly ports = new Map<string, PortConfig>();
  readonly vlans = new Set<number>([1]);
  readonly calls: string[] = [];
  readonly endpoints: SwitchEndpoint[] = [];
  failOn: { method: Method; error: Error } | null = null;
  mangle: ((cfg: PortConfig) => PortConfig) | null = null;
  saves = 0;
  openSessions = 0;
  maxOpenSessions = 0;
  /** Delay of every driver call, to let concurrent callers overlap. */
  delayMs = 0;

  constructor(readonly id: string, portNames: string[], quarantineVlan: number) {
    for (const p of portNames) this.ports.set(p, quarantineConfig(quarantineVlan));
    this.vlans.add(quarantineVlan);
  }

  readonly connect = async (endpoint: SwitchEndpoint): Promise<SwitchDriver> => {
    this.endpoints.push(endpoint);
    this.openSessions++;
    this.maxOpenSessions = Math.max(this.maxOpenSessions, this.openSessions);
    const step = async <T>(method: Method, detail: string, fn: () => T): Promise<T> => {
      this.calls.push(`${method} ${detail}`.trim());
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.failOn?.method === method) throw this.failOn.error;
      return fn();
    };
    return {
      configurePorts: (changes: PortChange[]) =>
        step('configurePorts', changes.map((c) => c.port).join(','), () => {
          for (const c of changes) this.ports.set(c.port, this.mangle ? this.mangle(c.config) : structuredClone(c.config));
        }),
      readPorts: (names: string[]) =>
        step('readPorts', names.join(','), () => new Map(names.map((n) => [n, structuredClone(this.portOrThrow(n))]))),
      ensureVlan: (vlan: number) => step('ensureVlan', String(vlan), () => void this.vlans.add(vlan)),
      removeVlan: async (vlan: number) => void this.vlans.delete(vlan),
      listVlans: () => step('listVlans', '', () => [...this.vlans].sort((a, b) => a - b)),
      save: () => step('save', '', () => void this.saves++),
      close: async () => void this.openSessions--,
    };
  };

  private portOrThrow(name: string): PortConfig {
    const cfg = this.ports.get(name);
    if (!cfg) throw new DeviceError(`interface ${name} does not exist`, this.id, false);
    return cfg;
  }
}
