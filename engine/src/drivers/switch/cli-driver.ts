// The generic switch driver: runs a dialect's commands over one CLI session (the algorithm; the dialect is data).

import { type PortConfig, samePortConfig } from '../../domain/port-config';
import { type Dialect, DeviceError, type PortChange, type SwitchDriver, type SwitchEndpoint, type VlanOptions } from './driver';
import { describeViolations, portChangeViolations, portNameViolation, vlanIdViolation, vlanNameViolation, vniViolation } from './cli-grammar';
import { CliSession } from './cli-session';
import { dialectNames, getDialect } from './registry';

/** Reads of more distinct ports than this use the dialect's whole-switch show (one command instead of one per port). */
const ALL_PORTS_THRESHOLD = 4;

export interface ConnectOptions {
  /** Connect + login limit, and again for the first prompt (default 15 s). */
  connectTimeoutMs?: number;
  /** Per-command limit (default 60 s). */
  commandTimeoutMs?: number;
}

/** The part of a CliSession the driver uses (a fake in unit tests). */
export interface CommandChannel {
  /** Output of one command; rejects with DeviceError (see CliSession.run). */
  run(command: string, options?: { checkErrors?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A SwitchDriver over one CLI session. Calls are serialized (one command at a
 * time on the wire); every value is checked against the CLI grammar before
 * any command is sent, and a rejected input sends nothing.
 */
export class CliSwitchDriver implements SwitchDriver {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: CommandChannel,
    private readonly dialect: Dialect,
    private readonly device: string,
  ) {}

  /**
   * Enters config mode once, sends every change's commands, leaves config
   * mode, then reads every changed port back and fails (not retryable) when
   * one does not match what was asked.
   */
  configurePorts(changes: PortChange[]): Promise<void> {
    const violations = changes.flatMap((c) => portChangeViolations(c, this.dialect).map((v) => ({ ...v, field: `${c.port}.${v.field}` })));
    if (violations.length > 0) return Promise.reject(this.invalid(describeViolations(violations)));
    if (changes.length === 0) return Promise.resolve();
    return this.exclusive(async () => {
      const ports = changes.map((c) => c.port);
      const current = this.dialect.needsCurrentState ? await this.read(ports) : new Map<string, PortConfig>();
      await this.inConfig(changes.flatMap((c) => this.dialect.configurePort(c.port, c.config, current.get(c.port))));
      const observed = await this.read(ports);
      for (const { port, config } of changes) this.verify(port, config, observed.get(port)!);
    });
  }

  /** Reads each port's running configuration; a port the switch does not have fails (not retryable). */
  readPorts(ports: string[]): Promise<Map<string, PortConfig>> {
    const violations = ports.map((p) => portNameViolation(p)).filter((v) => v !== null);
    if (violations.length > 0) return Promise.reject(this.invalid(describeViolations(violations)));
    return this.exclusive(() => this.read(ports));
  }

  ensureVlan(vlan: number, name: string, options: VlanOptions = {}): Promise<void> {
    const violations = [vlanIdViolation(vlan), vlanNameViolation(name), vniViolation(options.vni)].filter((v) => v !== null);
    if (violations.length > 0) return Promise.reject(this.invalid(describeViolations(violations)));
    return this.exclusive(async () => this.inConfig(this.dialect.ensureVlan(vlan, name, await this.presentVlans(), options)));
  }

  removeVlan(vlan: number): Promise<void> {
    const violation = vlanIdViolation(vlan);
    if (violation) return Promise.reject(this.invalid(describeViolations([violation])));
    return this.exclusive(async () => this.inConfig(this.dialect.removeVlan(vlan, await this.presentVlans())));
  }

  listVlans(): Promise<number[]> {
    return this.exclusive(() => this.vlans());
  }

  save(): Promise<void> {
    return this.exclusive(() => this.runAll(this.dialect.save));
  }

  close(): Promise<void> {
    return this.exclusive(() => this.session.close());
  }

  /** Runs `fn` after every earlier call finished, whatever their outcome. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runAll(commands: string[]): Promise<void> {
    for (const command of commands) await this.session.run(command);
  }

  /**
   * Runs commands inside config mode. When one fails, tries to leave config
   * mode so the session stays usable; if even that fails the session is
   * closed (later calls fail as retryable). The first error is what is thrown.
   */
  private async inConfig(commands: string[]): Promise<void> {
    await this.runAll(this.dialect.enterConfig);
    try {
      await this.runAll(commands);
    } catch (error) {
      await this.runAll(this.dialect.exitConfig).catch(() => this.session.close());
      throw error;
    }
    await this.runAll(this.dialect.exitConfig);
  }

  private async vlans(): Promise<number[]> {
    return this.dialect.parseVlans(await this.session.run(this.dialect.showVlans));
  }

  /** The VLANs on the switch, for dialects that generate commands from the current state. */
  private async presentVlans(): Promise<number[] | undefined> {
    return this.dialect.needsCurrentState ? this.vlans() : undefined;
  }

  /**
   * Reads ports: many at once through the dialect's whole-switch show when it
   * has one, the rest (or all) with showPort, running a show command shared by
   * several ports (a whole-config dump) once.
   */
  private async read(ports: string[]): Promise<Map<string, PortConfig>> {
    const sections = await this.allPortSections(ports);
    const out = new Map<string, PortConfig>();
    const outputs = new Map<string, string>();
    for (const port of ports) {
      const section = sections.get(port);
      if (section !== undefined) {
        out.set(port, this.parsePort(port, this.dialect.showAllPorts!, section));
        continue;
      }
      const command = this.dialect.showPort(port);
      if (!outputs.has(command)) outputs.set(command, await this.session.run(command, { checkErrors: false }));
      out.set(port, this.parsePort(port, command, outputs.get(command)!));
    }
    return out;
  }

  /** Each port's text from one run of the dialect's whole-switch show, when it has one and enough ports are read; else nothing. */
  private async allPortSections(ports: string[]): Promise<Map<string, string>> {
    const command = this.dialect.showAllPorts;
    if (command === undefined || !this.dialect.splitAllPorts || new Set(ports).size <= ALL_PORTS_THRESHOLD) return new Map();
    const output = await this.session.run(command, { checkErrors: false });
    try {
      return this.dialect.splitAllPorts(output);
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      throw new DeviceError(`${this.device}: ${error.message}`, this.device, false, command, output);
    }
  }

  /** The dialect's parser, with its errors completed with the switch, port and command. */
  private parsePort(port: string, command: string, output: string): PortConfig {
    try {
      return this.dialect.parsePort(output, port);
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      throw new DeviceError(`${this.device}: port ${port}: ${error.message}`, this.device, false, command, output);
    }
  }

  /** Compares as sets: a caller's `[120, 110]` is what the switch shows as `110,120`. */
  private verify(port: string, wanted: PortConfig, observed: PortConfig): void {
    const allowedVlans = wanted.allowedVlans && [...new Set(wanted.allowedVlans)].sort((a, b) => a - b);
    if (samePortConfig({ ...wanted, allowedVlans }, observed)) return;
    const message = `${this.device}: port ${port} reads back as ${JSON.stringify(observed)} after configuring ${JSON.stringify(wanted)}`;
    throw new DeviceError(message, this.device, false, this.dialect.showPort(port));
  }

  private invalid(details: string): DeviceError {
    return new DeviceError(`${this.device}: refusing to send invalid values to the switch: ${details}`, this.device, false);
  }
}

/**
 * Opens a CLI session to the switch with its registered dialect and runs the
 * dialect's session setup. Throws DeviceError for an unknown dialect (not
 * retryable) and for everything CliSession.open throws.
 */
export async function connectSwitch(endpoint: SwitchEndpoint, opts: ConnectOptions = {}): Promise<SwitchDriver> {
  const dialect = getDialect(endpoint.dialect);
  if (!dialect) {
    throw new DeviceError(`${endpoint.id}: unknown switch dialect "${endpoint.dialect}"; supported: ${dialectNames().join(', ')}`, endpoint.id, false);
  }
  const session = await CliSession.open({ ...endpoint, device: endpoint.id, prompt: dialect.prompt, errorPatterns: dialect.errorPatterns, ...opts });
  try {
    for (const command of dialect.sessionSetup) await session.run(command);
  } catch (error) {
    await session.close();
    throw error;
  }
  return new CliSwitchDriver(session, dialect, endpoint.id);
}
