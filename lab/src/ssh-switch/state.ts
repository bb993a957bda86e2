// A simulated switch's configuration: ports, VLANs, running vs startup config. Shared by every dialect's CLI.

import type { PortConfig } from '../../../engine/src/domain/port-config';
import { ALL_VLANS } from '../../../engine/src/drivers/switch/vlan-list';

/**
 * What a layer-2 port holds, like a real switch: the settings of both modes
 * at once (an access VLAN survives a move to trunk mode); the mode picks
 * which ones are active.
 */
export interface InterfaceSettings {
  mode: 'access' | 'trunk';
  accessVlan: number;
  trunkAllowed: number[];
  trunkNative: number;
  mtu: number;
  description: string;
  shutdown: boolean;
}

interface Config {
  interfaces: Map<string, InterfaceSettings>;
  vlans: Map<number, string>;
}

export const DEFAULT_MTU = 1500;

/** The name a switch gives a VLAN created without one: `VLAN0010`. */
export function defaultVlanName(vlan: number): string {
  return vlan === 1 ? 'default' : `VLAN${String(vlan).padStart(4, '0')}`;
}

/**
 * A switch's configuration. CLIs mutate `running` through the methods below;
 * tests may call them directly to change the switch "behind the engine's
 * back" (or do it over SSH with `SwitchSimulator.runCommands`).
 */
export class SwitchState {
  private running: Config;
  private startup: Config;

  /** Every port starts in access mode in `quarantineVlan`, admin up, MTU 1500, no description. */
  constructor(
    readonly hostname: string,
    ports: string[],
    quarantineVlan: number,
  ) {
    const vlans = new Map([[1, defaultVlanName(1)], [quarantineVlan, 'quarantine']]);
    const interfaces = new Map(ports.map((p) => [p, { mode: 'access', accessVlan: quarantineVlan, trunkAllowed: [...ALL_VLANS], trunkNative: 1, mtu: DEFAULT_MTU, description: '', shutdown: false } as InterfaceSettings]));
    this.running = { interfaces, vlans };
    this.startup = structuredClone(this.running);
  }

  portNames(): string[] {
    return [...this.running.interfaces.keys()];
  }

  /** The running settings of a port, for a CLI to read and change in place. Throws for an unknown port. */
  settings(port: string): InterfaceSettings {
    const s = this.running.interfaces.get(port);
    if (!s) throw new Error(`switch ${this.hostname} has no port ${port}`);
    return s;
  }

  /** The port's active configuration, as the engine models it. */
  port(port: string): PortConfig {
    const s = this.settings(port);
    const common = { mode: s.mode, mtu: s.mtu, description: s.description, adminState: s.shutdown ? 'down' : 'up' } as const;
    if (s.mode === 'access') return { ...common, accessVlan: s.accessVlan, allowedVlans: null, nativeVlan: null };
    return { ...common, accessVlan: null, allowedVlans: [...s.trunkAllowed], nativeVlan: s.trunkNative === 1 ? null : s.trunkNative };
  }

  /** Sets a port's active configuration (leaving the other mode's settings as they were, like a CLI would). */
  setPort(port: string, cfg: PortConfig): void {
    const s = this.settings(port);
    Object.assign(s, { mode: cfg.mode, mtu: cfg.mtu, description: cfg.description, shutdown: cfg.adminState === 'down' });
    if (cfg.mode === 'access') s.accessVlan = cfg.accessVlan ?? 1;
    else Object.assign(s, { trunkAllowed: [...(cfg.allowedVlans ?? [])], trunkNative: cfg.nativeVlan ?? 1 });
  }

  /** Configured VLAN ids, sorted. */
  vlans(): number[] {
    return [...this.running.vlans.keys()].sort((a, b) => a - b);
  }

  vlanName(vlan: number): string | undefined {
    return this.running.vlans.get(vlan);
  }

  /** Creates the VLAN if missing; renames it when `name` is given. */
  ensureVlan(vlan: number, name?: string): void {
    this.running.vlans.set(vlan, name ?? this.running.vlans.get(vlan) ?? defaultVlanName(vlan));
  }

  /** Deletes a VLAN (a no-op when absent). Ports keep referring to it, as on a real switch. */
  deleteVlan(vlan: number): void {
    this.running.vlans.delete(vlan);
  }

  /** `copy running-config startup-config`. */
  save(): void {
    this.startup = structuredClone(this.running);
  }

  savedMatchesRunning(): boolean {
    return serialize(this.startup) === serialize(this.running);
  }
}

function serialize(c: Config): string {
  return JSON.stringify({ interfaces: [...c.interfaces], vlans: [...c.vlans].sort((a, b) => a[0] - b[0]) });
}
