// E2E on the real-network lab (root): the netns lab built in this process (so tests reach its BMC simulators), an
// engine daemon on the lab's inventory, the installed provider with the real terraform, and ways to look into and
// disturb the lab: pings between server namespaces, leaf port bridges, BMC request faults, a leaf's sshd stopped and
// started again, a server's SSH port blackholed.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { EngineClient, type DoctorReport, type JobInfo, type ServerInfo } from '../../engine/src/api/client';
import type { LoggedRequest, RedfishFaults, RedfishSimulator } from '../../lab/src/redfish-bmc/server';
import type { StateRecorder } from '../../lab/src/netns/lab-state';
import { netnsDir } from '../../lab/src/netns/lab-state';
import { startNetnsLab, type NetnsLab, type NetnsLabManifest } from '../../lab/src/netns/netns-lab';
import { startSshd } from '../../lab/src/netns/netns-sshd';
import { netnsPids, terminate } from '../../lab/src/netns/processes';
import { pings, reaches } from '../../lab/src/netns/reachability';
import { loadNetnsTopology } from '../../lab/src/netns/topology';
import { EngineProcess, PROVIDER, REPO, tempDir, TERRAFORM, TerraformWorkspace, type RunResult } from './harness';

export { PROVIDER, REPO };

export const IS_ROOT = process.getuid?.() === 0;
/** `describe` as root; otherwise the block is skipped, its title saying why. */
export const describeAsRoot = IS_ROOT ? describe : describe.skip;
export const NEEDS_ROOT = IS_ROOT ? '' : ' [SKIPPED: needs root to create network namespaces]';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type LabServer = NetnsLabManifest['servers'][number];

/** Runs `cmd` without blocking the event loop (the BMC simulators live in this process); never throws. */
export function exec(cmd: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `ip netns exec <ns> <command...>`. */
export const inNetns = (ns: string, ...command: string[]) => exec('ip', ['netns', 'exec', ns, ...command]);

/** One echo; with tries (ARP and the VXLAN FDB learn on the first packets). */
export { pings, reaches };

/** `ip -j -d link show dev <dev>` in namespace `ns`, parsed; undefined when there is no such link. */
export async function link(ns: string, dev: string): Promise<Record<string, any> | undefined> {
  const r = await exec('ip', ['-n', ns, '-j', '-d', 'link', 'show', 'dev', dev]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Array<Record<string, any>>)[0] : undefined;
}

/** The IPv4 addresses (`a.b.c.d/len`) on `dev` in `ns`. */
export async function addresses(ns: string, dev: string): Promise<string[]> {
  const r = await exec('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', dev]);
  if (r.code !== 0) return [];
  const [entry] = JSON.parse(r.stdout) as Array<{ addr_info?: Array<{ local: string; prefixlen: number }> }>;
  return (entry?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

/** Management ranges other netns tests use (netns-linux-dialect 20/21, netns-isolation 30/31, netns-inventory 40/41, the demo test 50/51, the default lab 0/1). */
const TAKEN = new Set([0, 1, 20, 21, 30, 31, 40, 41, 50, 51]);

/** A `198.18.<n>.0/24` + `198.18.<n+1>.0/24` pair no route of this host touches yet (another lab running now holds one). */
async function freeRange(): Promise<number> {
  const routes = JSON.parse((await exec('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as Array<{ dst: string }>;
  const used = new Set(routes.map((r) => /^198\.18\.(\d+)\./.exec(r.dst)?.[1]).filter((x): x is string => x !== undefined).map(Number));
  for (let n = 60; n < 250; n += 2) if (!TAKEN.has(n) && !used.has(n) && !used.has(n + 1)) return n;
  throw new Error('no free 198.18.n.0/24 management range for the netns lab');
}

/** The netns lab, built in this process so the test holds its BMC simulators. */
export class E2eLab {
  private constructor(
    readonly dir: string,
    readonly lab: NetnsLab,
    /** The inventory the engine imports (the lab's, completed where the lab leaves something out: see `completeInventory`). */
    readonly inventoryFile: string,
    /** What `completeInventory` had to add, for the findings file. */
    readonly added: string[],
  ) {}

  /**
   * Builds lab/topologies/netns.yaml (2 leaves, 4 servers) with free management/underlay ranges in a new temp dir.
   * `edit` may change the parsed topology first.
   */
  static async start(edit: (t: Record<string, any>) => void = () => undefined): Promise<E2eLab> {
    const dir = tempDir('e2e-netns');
    const t = parse(readFileSync(join(REPO, 'lab/topologies/netns.yaml'), 'utf8')) as Record<string, any>;
    const n = await freeRange();
    t.addressing = { management: `198.18.${n}.0/24`, underlay: `198.18.${n + 1}.0/24`, tenant: '198.19.0.0/16' };
    edit(t);
    const topologyFile = join(dir, 'topology.yaml');
    writeFileSync(topologyFile, stringify(t));
    const labDir = join(dir, 'lab');
    const lab = await startNetnsLab(loadNetnsTopology(topologyFile), labDir);
    try {
      const inventoryFile = join(dir, 'inventory.yaml');
      const added = completeInventory(lab.manifest, inventoryFile);
      return new E2eLab(dir, lab, inventoryFile, added);
    } catch (err) {
      await lab.close();
      throw err;
    }
  }

  get manifest(): NetnsLabManifest {
    return this.lab.manifest;
  }

  server(id: string): LabServer {
    const s = this.manifest.servers.find((x) => x.id === id);
    if (!s) throw new Error(`the lab has no server ${id}`);
    return s;
  }

  leafNetns(id: string): string {
    const s = this.manifest.switches.find((x) => x.id === id);
    if (!s) throw new Error(`the lab has no leaf ${id}`);
    return s.netns;
  }

  bmc(serverId: string): RedfishSimulator {
    const b = this.lab.bmcs.get(serverId);
    if (!b) throw new Error(`the lab has no BMC for ${serverId}`);
    return b;
  }

  /** The bridge a leaf port is in (`br999` = quarantine), or null. */
  async portBridge(leaf: string, port: string): Promise<string | null> {
    return (await link(this.leafNetns(leaf), port))?.master ?? null;
  }

  /** Leaf ports not in the quarantine bridge, as `leaf/port -> bridge`. */
  async portsOutOfQuarantine(): Promise<string[]> {
    const quarantine = `br${this.manifest.segments.quarantine.vlan}`;
    const out: string[] = [];
    for (const sw of this.manifest.switches) {
      for (const port of sw.ports) {
        const bridge = await this.portBridge(sw.id, port);
        if (bridge !== quarantine) out.push(`${sw.id}/${port} -> ${bridge ?? '(none)'}`);
      }
    }
    return out;
  }

  /** Files on a server's drives, as `<drive>/<relative path>` (recursive). */
  diskFiles(serverId: string): string[] {
    const walk = (dir: string, rel: string): string[] =>
      !existsSync(dir) ? [] : readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]));
    return this.server(serverId).disks.flatMap((d) => walk(d.dir, `${d.id}/`));
  }

  /**
   * Stops a leaf's sshd (and every session: nothing else runs in a leaf namespace), so the engine's next
   * connection is refused and an open session breaks. Resolves with a function that starts it again.
   */
  async stopLeafSshd(leaf: string): Promise<() => Promise<void>> {
    const ns = this.leafNetns(leaf);
    await terminate(await netnsPids(ns), 500);
    const sw = this.manifest.switches.find((s) => s.id === leaf)!;
    const dir = join(netnsDir(join(this.dir, 'lab')), 'leaves', leaf);
    return async () => {
      if ((await netnsPids(ns)).length > 0) return;
      // The sshd_config written at lab start holds everything; the restarted pid is found again by `lab down` through its namespace.
      const untracked = { process: () => ({ started: () => undefined }) } as unknown as StateRecorder;
      await startSshd({ name: leaf, netns: ns, dir, listen: sw.endpoint.split(':')[0], home: dir }, untracked);
    };
  }

  /**
   * Makes the server's OS unreachable from the engine while its BMC keeps working: a blackhole route in the
   * server's namespace for the root namespace's management address (where the engine's connections come from), so
   * no answer gets back. Routes without a device survive the links going down and up with BMC power.
   * Resolves with a function that removes the route.
   */
  async blackholeServer(serverId: string): Promise<() => Promise<void>> {
    const ns = this.server(serverId).netns;
    const route = ['route', 'add', 'blackhole', `${this.rootAddress()}/32`];
    const add = await exec('ip', ['-n', ns, ...route]);
    if (add.code !== 0) throw new Error(`ip -n ${ns} ${route.join(' ')}: ${add.stderr}`);
    return async () => void (await exec('ip', ['-n', ns, 'route', 'del', 'blackhole', `${this.rootAddress()}/32`]));
  }

  /** The root namespace's management address (the first host of the management range). */
  rootAddress(): string {
    const [a, b, c, d] = this.manifest.addressing.management.split('/')[0].split('.').map(Number);
    return [a, b, c, d + 1].join('.');
  }

  async close(): Promise<void> {
    await this.lab.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The engine inventory for the lab: the lab's own inventory.yaml, plus whatever of a complete one it lacks (sites,
 * profile `lab`, servers with BMC/NICs/disks/os, a tenancy pool in the tenant range, image `debian-12`). Returns
 * what it added (nothing once the lab writes a complete inventory).
 */
function completeInventory(manifest: NetnsLabManifest, file: string): string[] {
  const inv = parse(readFileSync(manifest.inventory_file, 'utf8')) as Record<string, any>;
  const added: string[] = [];
  const credentials = (inv.credentials ??= {});
  if (!Array.isArray(inv.servers) || inv.servers.length === 0) {
    added.push('servers', 'sites', 'profiles', 'credentials.lab-bmc');
    const racks = manifest.switches.map((s) => `rack-${s.id}`);
    inv.sites = [{ id: 'lab', racks }];
    inv.profiles = { lab: { cpu_cores: 32, memory_gib: 64, nics: 1 } };
    credentials['lab-bmc'] = { username: manifest.servers[0]?.bmc.username ?? 'admin', password: manifest.servers[0]?.bmc.password ?? 'x' };
    for (const s of manifest.servers) {
      if (s.bmc.password !== credentials['lab-bmc'].password) throw new Error('the lab BMCs do not share one password');
    }
    inv.servers = manifest.servers.map((s) => ({
      id: s.id,
      serial: `LAB-${s.id.toUpperCase()}`,
      profile: 'lab',
      rack: `rack-${s.nics[0].leaf}`,
      bmc: { driver: 'redfish', endpoint: s.bmc.endpoint, credentials: 'lab-bmc', tls_pin: s.bmc.fingerprint_sha256 },
      nics: s.nics.map((n) => ({ name: n.name, mac: n.mac, switch: n.leaf, port: n.port })),
      disks: s.disks.map((d) => ({ id: d.id, size_gb: 480, type: 'ssd' })),
    }));
    inv.switches = (inv.switches as Array<Record<string, any>>).map((sw) => ({ ...sw, rack: `rack-${sw.id}`, role: 'leaf' }));
  }
  const segments = (inv.segments ??= {});
  if (!Array.isArray(segments.pools) || segments.pools.length === 0) {
    added.push('segments.pools');
    segments.pools = [{ name: 'tenants', vlan_range: [100, 199], vni_range: [10100, 10199], supernet: manifest.addressing.tenant, tenancy_prefix: 24 }];
  }
  writeFileSync(file, `# The netns lab's inventory for the e2e test (completed by tests/e2e/netns-e2e-harness.ts where the lab left parts out).\n${stringify(inv)}`, { mode: 0o600 });
  return added;
}

/** A BMC request the test reacts to as it arrives (before the simulator answers it). */
export type RequestHook = (req: LoggedRequest, bmc: RedfishSimulator) => void;

/**
 * Calls `hook` for every request the BMC receives, before the simulator decides on faults and answers, so a hook
 * may `setFaults({ failNext: 1, errorStatus: 500 })` to fail exactly that request. Returns the function removing it.
 */
export function onBmcRequest(bmc: RedfishSimulator, hook: RequestHook): () => void {
  const log = bmc.requestLog;
  const push = Array.prototype.push;
  log.push = function (this: LoggedRequest[], ...items: LoggedRequest[]) {
    for (const item of items) hook(item, bmc);
    return push.apply(this, items);
  };
  return () => {
    Reflect.deleteProperty(log, 'push');
  };
}

/** The ResetType of a logged `ComputerSystem.Reset` request, if it is one. */
export function resetType(req: LoggedRequest): string | undefined {
  if (req.method !== 'POST' || !/ComputerSystem\.Reset$/.test(req.path)) return undefined;
  return (req.body as { ResetType?: string } | undefined)?.ResetType;
}

export function clearFaults(bmc: RedfishSimulator): void {
  bmc.setFaults({} as RedfishFaults);
}

/**
 * Engine flags for the lab: fast BMC polls, and a short wait for a booted server's SSH (the lab's sshd answers
 * ~0.2 s after power on; the OS-unreachable case would otherwise wait the default 10 minutes).
 */
const ENGINE_FLAGS = ['--bmc-poll-ms', '100', '--os-reachable-timeout-ms', '6000', '--os-reachable-interval-ms', '250'];

/** A terraform run that the test can interrupt. */
export interface TerraformRun {
  child: ChildProcess;
  done: Promise<RunResult>;
}

/** Lab + engine + terraform workspace, shared by the cases of one test file. */
export class NetnsE2e {
  private constructor(
    readonly lab: E2eLab,
    readonly engine: EngineProcess,
    readonly ws: TerraformWorkspace,
    readonly client: EngineClient,
  ) {}

  static async start(): Promise<NetnsE2e> {
    const lab = await E2eLab.start();
    let engine: EngineProcess | undefined;
    try {
      engine = await EngineProcess.start(join(lab.dir, 'engine'), lab.inventoryFile, ENGINE_FLAGS);
      const ws = await TerraformWorkspace.create(engine.env());
      const client = EngineClient.fromDataDir(engine.dataDir);
      return new NetnsE2e(lab, engine, ws, client);
    } catch (err) {
      await engine?.stop();
      await lab.close();
      throw err;
    }
  }

  /** Replaces every .tf file of the workspace with `hcl` as main.tf (PROVIDER prepended). */
  write(hcl: string): void {
    for (const f of readdirSync(this.ws.dir).filter((x) => x.endsWith('.tf'))) rmSync(join(this.ws.dir, f));
    this.ws.write(`${PROVIDER}\n${hcl}`);
  }

  /** Copies the .tf files of `examples/<name>` into the workspace (replacing its .tf files), and examples/modules next to it. */
  useExample(name: string): void {
    for (const f of readdirSync(this.ws.dir).filter((x) => x.endsWith('.tf'))) rmSync(join(this.ws.dir, f));
    const src = join(REPO, 'examples', name);
    for (const f of readdirSync(src).filter((x) => x.endsWith('.tf'))) cpSync(join(src, f), join(this.ws.dir, f));
    const modules = join(REPO, 'examples', 'modules');
    if (existsSync(modules)) cpSync(modules, join(this.ws.dir, '..', 'modules'), { recursive: true });
  }

  /** Adds a file (e.g. a `*_override.tf`) to the workspace. */
  addFile(name: string, text: string): void {
    writeFileSync(join(this.ws.dir, name), text);
  }

  tf(...args: string[]): Promise<RunResult> {
    return this.ws.tf(...args);
  }

  ok(args: string[], expected = 0): Promise<RunResult> {
    return this.ws.ok(args, expected);
  }

  apply(...extra: string[]): Promise<RunResult> {
    return this.tf('apply', '-input=false', '-no-color', '-auto-approve', ...extra);
  }

  /** Starts terraform without waiting for it, so the test can signal it. */
  spawnTf(...args: string[]): TerraformRun {
    const child = spawn(TERRAFORM, args, { cwd: this.ws.dir, env: this.ws.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<RunResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })));
    return { child, done };
  }

  /** Addresses in the terraform state, with `(tainted)` marks from `terraform show`. */
  async stateList(): Promise<string[]> {
    const r = await this.tf('state', 'list', '-no-color');
    return r.code === 0 ? r.stdout.split('\n').filter((l) => l !== '') : [];
  }

  async outputs(): Promise<Record<string, any>> {
    const out = JSON.parse((await this.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
  }

  async doctor(): Promise<DoctorReport> {
    return this.client.runDoctor();
  }

  /** `bin/maestro <args> --data-dir <the engine's>`. */
  maestro(...args: string[]): Promise<RunResult> {
    return exec(join(REPO, 'bin/maestro'), [...args, '--data-dir', this.engine.dataDir], 60_000);
  }

  async servers(): Promise<ServerInfo[]> {
    return this.client.listServers();
  }

  /** The newest jobs of `kind`, with their steps. */
  async jobs(kind: string, limit = 5): Promise<JobInfo[]> {
    return this.client.listJobs({ kind, limit });
  }

  /**
   * Polls the engine until a job of `kind` started from now on has step `step` failed (its `do`), then runs `then` once. Resolves
   * (with whether it fired) when it fired or `stop()` was called.
   */
  whenStepFails(kind: string, step: string, then: () => Promise<void>): { stop(): void; fired: Promise<boolean> } {
    let stopped = false;
    const since = Date.now() - 1000;
    const fired = (async () => {
      while (!stopped) {
        const jobs = await this.client.listJobs({ kind, limit: 3 }).catch(() => [] as JobInfo[]);
        for (const job of jobs.filter((j) => Date.parse(j.createdAt) >= since)) {
          const steps = job.steps.length > 0 ? job.steps : (await this.client.getJob(job.id).catch(() => job)).steps;
          if (steps.some((s) => s.name === step && s.phase === 'do' && s.state === 'failed')) {
            await then();
            return true;
          }
        }
        await sleep(50);
      }
      return false;
    })();
    return { stop: () => void (stopped = true), fired };
  }

  /**
   * Waits until no job of `kind` is pending or running (a cancelled create still compensates after terraform got
   * its answer) and resolves with the newest one.
   */
  async settled(kind: string, timeoutMs = 60_000): Promise<JobInfo | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await this.client.listJobs({ kind, limit: 10 });
      if (!jobs.some((j) => j.state === 'pending' || j.state === 'running')) return jobs[0];
      if (Date.now() > deadline) throw new Error(`${kind} jobs still running after ${timeoutMs} ms: ${jobs.filter((j) => j.state === 'running').map((j) => j.id).join(', ')}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.engine.stop();
  }
}

/** Terraform's error output on one line (it wraps long diagnostics). */
export const oneLine = (s: string) => s.replace(/│/g, ' ').replace(/\s+/g, ' ');
