// The contract between the engine and a switch: what a dialect is, and what a
// connected switch driver can do.

import type { FieldViolation, PortConfig } from '../../domain/port-config';

/** How to reach one switch. Credentials are already decrypted by the engine. */
export interface SwitchEndpoint {
  id: string;
  dialect: string;
  host: string;
  port: number;
  username: string;
  password: string;
  /** Enable secret for dialects with a privileged mode (ios); optional. */
  enablePassword?: string;
  /**
   * Pinned SSH host key as `SHA256:<base64>` (OpenSSH fingerprint form). When set,
   * a different key is refused with an error naming both fingerprints.
   */
  hostKeyFingerprint?: string;
}

/** What a VLAN needs beyond its id and name. */
export interface VlanOptions {
  /**
   * The VXLAN network identifier that stretches the VLAN across leaves (the
   * tenancy's VNI, 1..16777215). Dialects that stretch segments themselves
   * (linux) use it, defaulting to a function of the VLAN they document; the
   * others ignore it.
   */
  vni?: number;
}

/** A port change: which port, and the complete configuration it must end with. */
export interface PortChange {
  port: string;
  config: PortConfig;
}

/**
 * A dialect is data plus parsers (networking-generic-switch style): command
 * templates, prompt and error patterns, and parsers of `show` output. The
 * generic CLI session owns SSH, prompts, paging and error detection.
 */
export interface Dialect {
  /** Registry name: `eos`, `nxos`, `ios`, `sonic`, `linux`. */
  readonly name: string;
  /** Longest port description the platform accepts. */
  readonly descriptionMax: number;
  /** Matches the end of output: the CLI prompt in any mode. */
  readonly prompt: RegExp;
  /** Output matching any of these means the last command failed. */
  readonly errorPatterns: RegExp[];
  /** Sent once after login (e.g. `terminal length 0`). */
  readonly sessionSetup: string[];
  /** Enter and leave configuration mode. */
  readonly enterConfig: string[];
  readonly exitConfig: string[];
  /**
   * Optional platform limits beyond the domain rules (an MTU the platform
   * cannot set, a VLAN it reserves). Checked before anything is sent; each
   * violation names the field as users write it.
   */
  portViolations?(config: PortConfig): FieldViolation[];
  /**
   * Set by dialects whose commands are not idempotent (SONiC's `config vlan
   * member add` fails for an existing member): the driver then reads the
   * current state first (the ports through showPort/parsePort, the VLANs
   * through showVlans/parseVlans) and passes it to configurePort, ensureVlan
   * and removeVlan. Without it those arguments are undefined.
   */
  readonly needsCurrentState?: boolean;
  /**
   * Commands (inside config mode) that make `port` match `config` exactly,
   * whatever it had before (`current`, when needsCurrentState is set).
   */
  configurePort(port: string, config: PortConfig, current?: PortConfig): string[];
  /** Commands (inside config mode) that create the VLAN if missing and name it (`present`: the VLANs the switch has, when needsCurrentState is set). */
  ensureVlan(vlan: number, name: string, present?: readonly number[], options?: VlanOptions): string[];
  /** Commands (inside config mode) that delete the VLAN (`present` as for ensureVlan). */
  removeVlan(vlan: number, present?: readonly number[]): string[];
  /** Commands (outside config mode) that persist the running config. */
  readonly save: string[];
  /**
   * Command (outside config mode) that shows one port's configuration. Ports
   * that share a command (a whole-config dump) are read with one run of it.
   */
  showPort(port: string): string;
  /** Parses `showPort` output for `port`; throws a DeviceError when the port does not exist. */
  parsePort(output: string, port: string): PortConfig;
  /**
   * Optional: a command (outside config mode) that shows every port at once,
   * used instead of showPort when many ports are read together. Set only with
   * splitAllPorts.
   */
  readonly showAllPorts?: string;
  /**
   * Splits `showAllPorts` output into each port's text, keyed by the port name
   * exactly as the switch prints it; each text is what parsePort accepts for
   * that port. A port absent from the map is not assumed to have defaults: the
   * driver reads it alone with showPort (so an unknown port fails as it would
   * alone). Throws a DeviceError when the output is an error.
   */
  splitAllPorts?(output: string): Map<string, string>;
  /** Command that lists the VLANs configured on the switch and its parser. */
  readonly showVlans: string;
  parseVlans(output: string): number[];
}

/** A connected switch. One instance = one SSH session; callers close it. */
export interface SwitchDriver {
  /** Applies every change in one configuration session; returns after the commands succeed. */
  configurePorts(changes: PortChange[]): Promise<void>;
  /** Reads the ports back from the device (running config). */
  readPorts(ports: string[]): Promise<Map<string, PortConfig>>;
  /** Creates the VLAN if missing and names it; `options.vni` as in VlanOptions. */
  ensureVlan(vlan: number, name: string, options?: VlanOptions): Promise<void>;
  removeVlan(vlan: number): Promise<void>;
  listVlans(): Promise<number[]>;
  /** Persists the running configuration (copy running-config startup-config, ...). */
  save(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Errors at the driver edge. `retryable` tells the workflow executor whether
 * trying again may help (a dropped connection) or not (the CLI rejected a command).
 */
export class DeviceError extends Error {
  constructor(
    message: string,
    readonly device: string,
    readonly retryable: boolean,
    /** The command that failed and what the device answered, when known. */
    readonly sent?: string,
    readonly received?: string,
  ) {
    super(message);
    this.name = 'DeviceError';
  }
}
