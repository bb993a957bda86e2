// Switch batching and read coalescing: port writes and reads for one switch that arrive within a short window
// share one SSH session, one configurePorts, one save and one read-back; each caller gets its own result or error.

import { samePortConfig, type PortConfig } from '../domain/port-config';
import { DeviceError, type SwitchDriver } from '../drivers/switch/driver';
import { KeyedLock } from './keyed-lock';
import { Semaphore } from './limiter';

export interface SwitchGatewayOptions {
  /** How long the first request of a batch waits for company before the session opens (default 30 ms). */
  windowMs: number;
  /** A batch this large is served at once (default 256). */
  maxBatch: number;
  /** Switch sessions open at once across all switches (default 8); one switch never has two. */
  maxSessions: number;
}

export const DEFAULT_GATEWAY: SwitchGatewayOptions = { windowMs: 30, maxBatch: 256, maxSessions: 8 };

/** Opens a session to the switch with this inventory id (credentials, host key, dialect from the store). */
export type OpenSwitch = (switchId: string) => Promise<SwitchDriver>;

/** Every VLAN a config needs to exist on the switch. */
export function vlansOf(cfg: PortConfig): number[] {
  const all = cfg.mode === 'access' ? [cfg.accessVlan] : [...(cfg.allowedVlans ?? []), cfg.nativeVlan];
  return [...new Set(all.filter((v): v is number => v !== null))].sort((a, b) => a - b);
}

interface Waiter {
  port: string;
  resolve(cfg: PortConfig): void;
  reject(err: unknown): void;
}
type Item = (Waiter & { kind: 'read' }) | (Waiter & { kind: 'write'; config: PortConfig });

/** What one batch counted: sessions opened and ports written/read (benchmarks and tests print it). */
export interface GatewayStats {
  sessions: number;
  batches: number;
  writes: number;
  reads: number;
}

/**
 * Serves port reads and writes per switch through batches. The contract per
 * call: `writePort` resolves with the port as read back after the change was
 * saved, or rejects with the error of that port alone (a bad port in a batch
 * fails only its caller); `readPort` resolves with the running config.
 */
export class SwitchGateway {
  readonly stats: GatewayStats = { sessions: 0, batches: 0, writes: 0, reads: 0 };
  private readonly queues = new Map<string, Item[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly locks = new KeyedLock();
  private readonly sessions: Semaphore;
  private readonly opts: SwitchGatewayOptions;

  constructor(
    private readonly open: OpenSwitch,
    opts: Partial<SwitchGatewayOptions> = {},
  ) {
    this.opts = { ...DEFAULT_GATEWAY, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
    this.sessions = new Semaphore(this.opts.maxSessions);
  }

  /** The port's running config, read in a batch with every other request for this switch. */
  readPort(switchId: string, port: string): Promise<PortConfig> {
    return new Promise((resolve, reject) => this.enqueue(switchId, { kind: 'read', port, resolve, reject }));
  }

  /**
   * Makes the port match `config` (creating missing VLANs), saves, reads it
   * back and checks it; resolves with the read-back config. Rejects with
   * DeviceError (retryable when the session failed) for this port only.
   */
  writePort(switchId: string, port: string, config: PortConfig): Promise<PortConfig> {
    return new Promise((resolve, reject) => this.enqueue(switchId, { kind: 'write', port, config, resolve, reject }));
  }

  private enqueue(switchId: string, item: Item): void {
    const queue = this.queues.get(switchId) ?? [];
    queue.push(item);
    this.queues.set(switchId, queue);
    if (queue.length >= this.opts.maxBatch) this.schedule(switchId, 0);
    else if (!this.timers.has(switchId)) this.schedule(switchId, this.opts.windowMs);
  }

  private schedule(switchId: string, delayMs: number): void {
    clearTimeout(this.timers.get(switchId));
    this.timers.set(switchId, setTimeout(() => {
      this.timers.delete(switchId);
      // The batch is taken once the switch is free, so requests arriving during the previous session join it.
      void this.locks.run(switchId, () => this.sessions.run(() => this.serve(switchId, this.take(switchId))));
    }, delayMs));
  }

  /** Everything queued, except a second write to a port already written in this batch (it waits for the next). */
  private take(switchId: string): Item[] {
    const queue = this.queues.get(switchId) ?? [];
    const written = new Set<string>();
    const batch: Item[] = [];
    const later: Item[] = [];
    for (const item of queue) {
      if (item.kind === 'write' && written.has(item.port)) later.push(item);
      else batch.push(item);
      if (item.kind === 'write') written.add(item.port);
    }
    this.queues.set(switchId, later);
    if (later.length > 0 && !this.timers.has(switchId)) this.schedule(switchId, this.opts.windowMs);
    return batch;
  }

  private async serve(switchId: string, batch: Item[]): Promise<void> {
    if (batch.length === 0) return;
    let driver: SwitchDriver;
    try {
      driver = await this.open(switchId);
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    this.stats.sessions++;
    this.stats.batches++;
    try {
      await this.answer(switchId, driver, batch);
    } catch (err) {
      for (const item of batch) item.reject(err);
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  private async answer(switchId: string, driver: SwitchDriver, batch: Item[]): Promise<void> {
    const failed = new Map<Item, unknown>();
    const writes = batch.filter((i): i is Extract<Item, { kind: 'write' }> => i.kind === 'write');
    if (writes.length > 0) await this.applyWrites(driver, writes, failed);
    const ports = [...new Set(batch.filter((i) => !failed.has(i)).map((i) => i.port))];
    const observed = await readEach(driver, ports);
    this.stats.writes += writes.length;
    this.stats.reads += batch.length - writes.length;
    for (const item of batch) {
      const seen = failed.get(item) ?? observed.get(item.port);
      if (seen === undefined || !isConfig(seen)) item.reject(seen ?? new DeviceError(`port ${item.port} was not in the device's answer`, switchId, false));
      else if (item.kind === 'write' && !samePortConfig(seen, item.config)) item.reject(mismatch(switchId, item.port, item.config, seen));
      else item.resolve(seen);
    }
  }

  /**
   * Creates missing VLANs, configures every port in one configurePorts, and
   * saves once. When the device rejects the batch, applies the changes one by
   * one in the same session so the failure lands on the port that caused it.
   */
  private async applyWrites(driver: SwitchDriver, writes: Extract<Item, { kind: 'write' }>[], failed: Map<Item, unknown>): Promise<void> {
    const present = new Set(await driver.listVlans());
    const needed = [...new Set(writes.flatMap((w) => vlansOf(w.config)))].filter((v) => !present.has(v));
    for (const vlan of needed) {
      await driver.ensureVlan(vlan, `maestro-${vlan}`).catch((err) => {
        for (const w of writes) if (vlansOf(w.config).includes(vlan)) failed.set(w, err);
      });
    }
    const ok = () => writes.filter((w) => !failed.has(w));
    const batch = ok();
    await driver.configurePorts(batch.map((w) => ({ port: w.port, config: w.config }))).catch(async (err) => {
      if (batch.length === 1) return void failed.set(batch[0], err);
      for (const w of batch) await driver.configurePorts([{ port: w.port, config: w.config }]).catch((one) => failed.set(w, one));
    });
    if (ok().length === 0) return;
    await driver.save().catch((err) => {
      for (const w of ok()) failed.set(w, err);
    });
  }
}

const isConfig = (v: unknown): v is PortConfig => typeof v === 'object' && v !== null && 'mode' in v;

/** Reads all ports at once; when that fails, one by one, so a bad port only fails its own callers. */
async function readEach(driver: SwitchDriver, ports: string[]): Promise<Map<string, PortConfig | unknown>> {
  if (ports.length === 0) return new Map();
  try {
    return await driver.readPorts(ports);
  } catch (err) {
    if (ports.length === 1) return new Map([[ports[0], err]]);
    const out = new Map<string, PortConfig | unknown>();
    for (const port of ports) out.set(port, await driver.readPorts([port]).then((m) => m.get(port), (e) => e));
    return out;
  }
}

function mismatch(device: string, port: string, wanted: PortConfig, seen: PortConfig): DeviceError {
  return new DeviceError(`port ${port} reads back differently: applied ${JSON.stringify(wanted)}, device has ${JSON.stringify(seen)}`, device, false);
}
