// Switch batching and read coalescing: port writes and reads for one switch that arrive together share one SSH
// session, one configurePorts, one save and one read-back; each caller gets its own result or error. A switch's
// session may stay open for a short idle period so the next batch (the next wave of a refresh) reuses it, and one
// client's reads (one terraform run's refresh) may be answered from one whole-switch read made for that client.

import { samePortConfig, type PortConfig } from '../domain/port-config';
import { DeviceError, type SwitchDriver } from '../drivers/switch/driver';
import { Semaphore } from './limiter';

export interface SwitchGatewayOptions {
  /**
   * How long the first request of a batch waits for company before a new
   * session opens (default 30 ms). A switch with a kept session starts at
   * once instead, and so does a read that takes a snapshot (it reads every
   * port): requests that arrive while a batch runs form the next batch,
   * served as soon as that one ends.
   */
  windowMs: number;
  /** A batch this large is served at once (default 256). */
  maxBatch: number;
  /** Switch sessions open at once across all switches, kept ones included (default 8); one switch never has two. */
  maxSessions: number;
  /**
   * How long a switch's session stays open after its last batch, so that the
   * next batch reuses it instead of logging in again (terraform refreshes in
   * waves of 10 ports, each wave after the previous one answered). 0 (the
   * default here; `maestro engine serve` keeps 2 s) closes every session
   * right after its batch.
   */
  idleMs: number;
  /**
   * How long a whole-switch read made for one client answers that client's
   * later reads of the switch (default 1000 ms; 0 reads the device for every
   * batch). Only reads that pass a SnapshotRead use it; see readPort.
   */
  snapshotMs: number;
}

export const DEFAULT_GATEWAY: SwitchGatewayOptions = { windowMs: 30, maxBatch: 256, maxSessions: 8, idleMs: 0, snapshotMs: 1000 };

/** What lets a read be answered from, or fill, a snapshot of the whole switch (see SwitchGateway.readPort). */
export interface SnapshotRead {
  /**
   * Whose snapshot: one API client (one EngineClient, so one provider process,
   * so one terraform run). A snapshot is never shared between clients.
   */
  client: string;
  /** Every port of the switch (its inventory), read together when a snapshot is taken. Called once per snapshot. */
  switchPorts(): Promise<string[]>;
}

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
type Item = (Waiter & { kind: 'read'; snapshot?: SnapshotRead }) | (Waiter & { kind: 'write'; config: PortConfig });

/** What the gateway counted: sessions opened, batches served and ports written/read (benchmarks and tests print it). */
export interface GatewayStats {
  sessions: number;
  batches: number;
  writes: number;
  /** Reads answered, from the device or from a snapshot. */
  reads: number;
  /** Of those, the reads a snapshot answered. */
  snapshotReads: number;
}

/**
 * Serves port reads and writes per switch through batches. The contract per
 * call: `writePort` resolves with the port as read back after the change was
 * saved, or rejects with the error of that port alone (a bad port in a batch
 * fails only its caller); `readPort` resolves with the running config.
 */
export class SwitchGateway {
  readonly stats: GatewayStats = { sessions: 0, batches: 0, writes: 0, reads: 0, snapshotReads: 0 };
  private readonly queues = new Map<string, Item[]>();
  /** Switches whose next batch waits for its window (or the next turn of the event loop), with how to cancel that wait. */
  private readonly timers = new Map<string, () => void>();
  /** Switches with a batch scheduled or being served: one at a time per switch; requests meanwhile queue for the next. */
  private readonly busy = new Set<string>();
  private readonly sessions: Semaphore;
  private readonly opts: SwitchGatewayOptions;
  private readonly idle: KeptSessions;
  private readonly snapshots: Snapshots;
  /** Batches being served right now; each holds at most one session. */
  private serving = 0;
  private closed = false;

  constructor(
    private readonly open: OpenSwitch,
    opts: Partial<SwitchGatewayOptions> = {},
  ) {
    this.opts = { ...DEFAULT_GATEWAY, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
    this.sessions = new Semaphore(this.opts.maxSessions);
    this.idle = new KeptSessions(this.opts.idleMs);
    this.snapshots = new Snapshots(this.opts.snapshotMs);
  }

  /**
   * Closes every kept session and keeps none from now on (engine shutdown).
   * Requests already queued are still served, each on a session of its own.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.snapshots.clear();
    await this.idle.closeAll();
  }

  /**
   * The port's running config, read in a batch with every other request for
   * this switch. With `snapshot`, a batch of reads only reads every port of
   * the switch (`switchPorts`; one command on dialects with a whole-switch
   * show) and keeps what it saw for `snapshot.client`: that client's reads of
   * the switch in the next snapshotMs are answered from it. So a terraform
   * refresh reads each switch about once, and still sees every change made
   * before it started: its snapshots are taken after its first read arrived.
   * Any write to the switch drops its snapshots (every client's) before it
   * starts, so a read that follows a finished write sees it.
   */
  readPort(switchId: string, port: string, snapshot?: SnapshotRead): Promise<PortConfig> {
    const seen = this.fromSnapshot(switchId, port, snapshot);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => this.enqueue(switchId, { kind: 'read', port, snapshot, resolve, reject }));
  }

  /** The port from the client's fresh snapshot of the switch, counted as a read; undefined when there is none. */
  private fromSnapshot(switchId: string, port: string, snapshot: SnapshotRead | undefined): PortConfig | undefined {
    const seen = snapshot && this.snapshots.get(switchId, snapshot.client, port);
    if (seen) {
      this.stats.reads++;
      this.stats.snapshotReads++;
    }
    return seen;
  }

  /** Every port in `client`'s fresh snapshot of the switch (see readPort), or undefined when it has none. */
  snapshot(switchId: string, client: string): ReadonlyMap<string, PortConfig> | undefined {
    return this.snapshots.all(switchId, client);
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
    const full = queue.length >= this.opts.maxBatch;
    if (!this.busy.has(switchId)) {
      this.busy.add(switchId);
      // A kept session costs nothing to use: what arrived in this turn of the event loop is the batch. A read that
      // takes a snapshot reads every port anyway: nothing to wait for.
      const now = full || this.idle.has(switchId) || (item.kind === 'read' && item.snapshot !== undefined && this.snapshots.mayTake(switchId));
      this.schedule(switchId, now ? 0 : this.opts.windowMs);
    } else if (full && this.timers.has(switchId)) {
      this.schedule(switchId, 0);
    }
  }

  /** Serves the switch's next batch after `delayMs` (0: after this turn of the event loop), then each batch queued meanwhile. */
  private schedule(switchId: string, delayMs: number): void {
    this.timers.get(switchId)?.();
    const start = () => {
      this.timers.delete(switchId);
      // The batch is taken once a session may open, so requests arriving while it waits for one join it.
      void this.sessions.run(() => this.serve(switchId, this.take(switchId))).finally(() => {
        if ((this.queues.get(switchId) ?? []).length > 0) this.schedule(switchId, 0);
        else this.busy.delete(switchId);
      });
    };
    if (delayMs > 0) {
      const timer = setTimeout(start, delayMs);
      this.timers.set(switchId, () => clearTimeout(timer));
    } else {
      const immediate = setImmediate(start);
      this.timers.set(switchId, () => clearImmediate(immediate));
    }
  }

  /**
   * Everything queued, except a second write to a port already written in this
   * batch (it waits for the next) and reads a snapshot taken meanwhile answers
   * (answered now).
   */
  private take(switchId: string): Item[] {
    const queue = this.queues.get(switchId) ?? [];
    const written = new Set<string>();
    const batch: Item[] = [];
    const later: Item[] = [];
    for (const item of queue) {
      const seen = item.kind === 'read' && this.fromSnapshot(switchId, item.port, item.snapshot);
      if (seen) item.resolve(seen);
      else if (item.kind === 'write' && written.has(item.port)) later.push(item);
      else batch.push(item);
      if (item.kind === 'write') written.add(item.port);
    }
    this.queues.set(switchId, later);
    return batch;
  }

  /**
   * Serves one batch on the switch's kept session, or on a new one. A kept
   * session the switch dropped while it idled (or broke in its last batch)
   * fails with a retryable error: the batch then runs once more on a fresh
   * session, which is safe because every write sets the port's whole config.
   * A fresh session's failure is the device's and goes to the callers (the
   * executor's retry policy decides what happens next).
   */
  private async serve(switchId: string, batch: Item[]): Promise<void> {
    if (batch.length === 0) return;
    this.serving++;
    try {
      this.stats.batches++;
      if (batch.some((item) => item.kind === 'write')) this.snapshots.drop(switchId);
      const kept = this.idle.take(switchId);
      let results = await this.attempt(switchId, batch, kept);
      if (kept && results.broken) results = await this.attempt(switchId, batch);
      this.settle(switchId, batch, results.seen);
    } finally {
      this.serving--;
    }
  }

  /** What the device gave for each item (a config or an error), on `driver` or a new session; keeps a usable session. */
  private async attempt(switchId: string, batch: Item[], driver?: SwitchDriver): Promise<{ seen: Map<Item, unknown>; broken: boolean }> {
    const everyone = (err: unknown) => new Map(batch.map((item) => [item, err]));
    try {
      driver ??= await this.connect(switchId);
    } catch (err) {
      return { seen: everyone(err), broken: true };
    }
    const seen = await this.answer(switchId, driver, batch).catch(everyone);
    const broken = [...seen.values()].some(breaksSession);
    await (broken || this.closed ? quietClose(driver) : this.idle.keep(switchId, driver));
    return { seen, broken };
  }

  /** Opens a session, first closing the least recently used kept session of another switch when at maxSessions. */
  private async connect(switchId: string): Promise<SwitchDriver> {
    // Every batch being served holds at most one session (this one's is about to open).
    while (this.idle.size > 0 && this.idle.size + this.serving > this.opts.maxSessions) await this.idle.closeOldest();
    await this.idle.closedFor(switchId);
    const driver = await this.open(switchId);
    this.stats.sessions++;
    return driver;
  }

  private async answer(switchId: string, driver: SwitchDriver, batch: Item[]): Promise<Map<Item, unknown>> {
    const failed = new Map<Item, unknown>();
    const writes = batch.filter((i): i is Extract<Item, { kind: 'write' }> => i.kind === 'write');
    if (writes.length > 0) await this.applyWrites(driver, writes, failed);
    const ports = [...new Set(batch.filter((i) => !failed.has(i)).map((i) => i.port))];
    const clients = writes.length > 0 ? [] : batch.flatMap((i) => (i.kind === 'read' && i.snapshot ? [i.snapshot] : []));
    const wide = clients.length > 0 ? await this.readSwitch(switchId, driver, ports, clients) : undefined;
    const observed = wide ?? (await readEach(driver, ports));
    return new Map(batch.map((item) => [item, failed.get(item) ?? observed.get(item.port)]));
  }

  /**
   * Reads every port of the switch and keeps the result as each client's
   * snapshot; undefined when that failed (a port of the inventory the switch
   * lacks, say), and then no whole-switch read is tried for snapshotMs.
   */
  private async readSwitch(switchId: string, driver: SwitchDriver, ports: string[], clients: SnapshotRead[]): Promise<Map<string, unknown> | undefined> {
    if (!this.snapshots.mayTake(switchId)) return undefined;
    const takenAt = performance.now();
    try {
      const all = await driver.readPorts([...new Set([...ports, ...(await clients[0].switchPorts())])]);
      for (const { client } of clients) this.snapshots.keep(switchId, client, takenAt, all);
      return all;
    } catch {
      this.snapshots.failed(switchId, takenAt);
      return undefined;
    }
  }

  /** Gives every caller its port as the device showed it, or its own error. */
  private settle(switchId: string, batch: Item[], seen: Map<Item, unknown>): void {
    const writes = batch.filter((i) => i.kind === 'write').length;
    this.stats.writes += writes;
    this.stats.reads += batch.length - writes;
    for (const item of batch) {
      const got = seen.get(item);
      if (!isConfig(got)) item.reject(got ?? new DeviceError(`port ${item.port} was not in the device's answer`, switchId, false));
      else if (item.kind === 'write' && !samePortConfig(got, item.config)) item.reject(mismatch(switchId, item.port, item.config, got));
      else item.resolve(got);
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

/** A device answer that means the session can no longer be trusted: anything but a config or a refusal by the device. */
const breaksSession = (v: unknown) => !isConfig(v) && v !== undefined && !(v instanceof DeviceError && !v.retryable);

/**
 * Sessions kept open between batches, at most one per switch, least recently
 * used first. A kept session belongs to nobody: `take` hands it to a batch
 * (the switch's lock makes that batch its only user), `keep` gives it back.
 */
class KeptSessions {
  private readonly kept = new Map<string, { driver: SwitchDriver; timer: NodeJS.Timeout }>();
  /** Sessions being closed (idle, evicted, shut down), so the switch's next session waits for them. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(private readonly idleMs: number) {}

  get size(): number {
    return this.kept.size;
  }

  has(switchId: string): boolean {
    return this.kept.has(switchId);
  }

  /** The switch's kept session, now the caller's, or undefined. */
  take(switchId: string): SwitchDriver | undefined {
    const entry = this.kept.get(switchId);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.kept.delete(switchId);
    return entry.driver;
  }

  /** Keeps the session for idleMs, then closes it; with idleMs 0 closes it now. */
  async keep(switchId: string, driver: SwitchDriver): Promise<void> {
    if (this.idleMs <= 0) return quietClose(driver);
    // Unref'd: a kept session never holds the process open by its timer alone.
    const timer = setTimeout(() => void this.close(switchId), this.idleMs).unref();
    this.kept.set(switchId, { driver, timer });
  }

  /** Resolves once no session of this switch is still closing (one switch never has two). */
  closedFor(switchId: string): Promise<void> {
    return this.closing.get(switchId) ?? Promise.resolve();
  }

  closeOldest(): Promise<void> {
    const [oldest] = this.kept.keys();
    return this.close(oldest);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.kept.keys()].map((switchId) => this.close(switchId)));
  }

  private close(switchId: string): Promise<void> {
    const driver = this.take(switchId);
    if (!driver) return this.closedFor(switchId);
    const done = quietClose(driver).finally(() => this.closing.delete(switchId));
    this.closing.set(switchId, done);
    return done;
  }
}

/**
 * Whole-switch reads kept per switch and client for snapshotMs. Entries are
 * replaced or dropped as the switch is read or written; expired ones go when
 * the switch's next snapshot is kept.
 */
class Snapshots {
  private readonly bySwitch = new Map<string, Map<string, { takenAt: number; ports: Map<string, PortConfig> }>>();
  /** When a whole-switch read last failed, per switch. */
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  private fresh(takenAt: number | undefined): boolean {
    return takenAt !== undefined && performance.now() - takenAt < this.ttlMs;
  }

  /** Every port `client`'s fresh snapshot of the switch saw, or undefined. */
  all(switchId: string, client: string): ReadonlyMap<string, PortConfig> | undefined {
    const snapshot = this.bySwitch.get(switchId)?.get(client);
    return snapshot && this.fresh(snapshot.takenAt) ? snapshot.ports : undefined;
  }

  /** The port as `client`'s fresh snapshot of the switch saw it, or undefined. */
  get(switchId: string, client: string, port: string): PortConfig | undefined {
    return this.all(switchId, client)?.get(port);
  }

  /** Whether a whole-switch read is worth trying: snapshots are on, and the last one did not fail within snapshotMs. */
  mayTake(switchId: string): boolean {
    return this.ttlMs > 0 && !this.fresh(this.failedAt.get(switchId));
  }

  keep(switchId: string, client: string, takenAt: number, seen: Map<string, unknown>): void {
    const ports = new Map([...seen].filter((e): e is [string, PortConfig] => isConfig(e[1])));
    const clients = this.bySwitch.get(switchId) ?? new Map();
    for (const [other, s] of clients) if (!this.fresh(s.takenAt)) clients.delete(other);
    this.bySwitch.set(switchId, clients.set(client, { takenAt, ports }));
  }

  failed(switchId: string, at: number): void {
    this.failedAt.set(switchId, at);
  }

  /** Forgets every client's snapshot of the switch (before a write). */
  drop(switchId: string): void {
    this.bySwitch.delete(switchId);
  }

  clear(): void {
    this.bySwitch.clear();
  }
}

/** Closing a session that already broke or dropped has nothing left to report. */
const quietClose = (driver: SwitchDriver) => driver.close().catch(() => undefined);

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
