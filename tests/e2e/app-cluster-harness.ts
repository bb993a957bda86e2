// E2E set-up for the app-team examples: the simulated demo lab (lab/topologies/demo.yaml) in this process, an engine
// daemon on its inventory, the installed provider and a terraform workspace; plus what the tests check after destroy.

import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient, type ServerInfo } from '../../engine/src/api/client';
import { startLab, type Lab } from '../../lab/src/lab';
import { loadTopology } from '../../lab/src/topology';
import { EngineProcess, REPO, run, tempDir, TERRAFORM, TerraformWorkspace, type RunResult } from './harness';
import type { NetnsE2e } from './netns-e2e-harness';

export const DEMO_TOPOLOGY = join(REPO, 'lab/topologies/demo.yaml');

/** A cabled switch port of the lab and the VLAN it is in now (read from the simulator, not the engine). */
export interface PortVlan {
  port: string;
  server: string;
  vlan: number | null;
}

/**
 * Synthesizes examples/cdktf the way `cdktn synth` runs it: the compiled program (dist/examples/cdktf/main.js) with
 * CDKTF_OUTDIR set to a fresh temp directory. Resolves with the path of the stack's cdk.tf.json.
 */
export async function synthesizeCdktfExample(): Promise<string> {
  const outdir = join(tempDir('cdktf-example'), 'cdktf.out');
  const res = await run('node', [join(REPO, 'dist/examples/cdktf/main.js')], { cwd: REPO, env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (res.code !== 0) throw new Error(`synth of examples/cdktf failed:\n${res.stdout}${res.stderr}`);
  return join(outdir, 'stacks/apps/cdk.tf.json');
}

/** Leftovers on the netns lab after destroy (as AppLab.leftovers), plus any file left on the drives of `erased` servers. */
export async function netnsLeftovers(e2e: NetnsE2e, erased: string[]): Promise<string[]> {
  const ports = (await e2e.lab.portsOutOfQuarantine()).map((p) => `port ${p}, not quarantine`);
  const servers = (await e2e.servers()).filter((s) => s.state !== 'available' || s.needsCleaning).map((s) => `server ${s.id} is ${s.state}${s.needsCleaning ? ' (not cleaned)' : ''}`);
  const doctor = (await e2e.doctor()).findings.map((f) => `doctor: ${JSON.stringify(f)}`);
  const disks = erased.flatMap((id) => e2e.lab.diskFiles(id).map((f) => `server ${id} disk file ${f}`));
  return [...ports, ...servers, ...doctor, ...disks];
}

export class AppLab {
  private constructor(
    readonly dir: string,
    readonly lab: Lab,
    readonly engine: EngineProcess,
    readonly ws: TerraformWorkspace,
    readonly client: EngineClient,
  ) {}

  /** Starts the demo lab's simulators, the engine and a workspace using the provider from dist/. */
  static async start(prefix: string): Promise<AppLab> {
    const dir = tempDir(prefix);
    const lab = await startLab(loadTopology(DEMO_TOPOLOGY), join(dir, 'lab'));
    let engine: EngineProcess | undefined;
    try {
      // Fast BMC polls: every power change and install wait is seen within 100 ms instead of 1 s.
      engine = await EngineProcess.start(join(dir, 'engine'), lab.manifest.inventory_file, ['--bmc-poll-ms', '100']);
      const ws = await TerraformWorkspace.create(engine.env());
      return new AppLab(dir, lab, engine, ws, EngineClient.fromDataDir(engine.dataDir));
    } catch (err) {
      await engine?.stop();
      await lab.close();
      throw err;
    }
  }

  /** Copies examples/<name>'s .tf files into the workspace, and examples/modules next to it (so `../modules/...` resolves). */
  useExample(name: string): void {
    const src = join(REPO, 'examples', name);
    for (const f of readdirSync(src).filter((x) => x.endsWith('.tf'))) cpSync(join(src, f), join(this.ws.dir, f));
    const modules = join(REPO, 'examples/modules');
    if (existsSync(modules)) cpSync(modules, join(this.ws.dir, '..', 'modules'), { recursive: true });
  }

  /** Copies one file (e.g. a synthesized cdk.tf.json) into the workspace. */
  useFile(file: string, as: string): void {
    mkdirSync(this.ws.dir, { recursive: true });
    cpSync(file, join(this.ws.dir, as));
  }

  /**
   * Runs terraform in the workspace (killed after `timeoutMs`, so a hang fails the test with output instead of a jest
   * timeout) and fails unless it exits with `expected`, showing its output, the engine's jobs and its log's tail.
   */
  async ok(args: string[], expected = 0, timeoutMs = 90_000): Promise<RunResult> {
    const res = await run(TERRAFORM, args, { cwd: this.ws.dir, env: this.ws.env, timeoutMs });
    if (res.code === expected) return res;
    const jobs = await this.client.listJobs().then((js) => js.map((j) => `${j.id} ${j.kind} ${j.state}${j.error ? `: ${j.error}` : ''} [${j.steps.map((st) => `${st.name}:${st.state}`).join(' ')}]`).join('\n'), (err: Error) => err.message);
    const bmcs = [...this.lab.bmcs].map(([id, b]) => `${id}: power ${b.state.powerState}, installs ${JSON.stringify(b.state.installs.map((i) => i.outcome))}, last requests ${b.requestLog.slice(-4).map((r) => `${r.method} ${r.path} ${r.status}`).join('; ')}`);
    throw new Error(`terraform ${args.join(' ')} exited ${res.code} (expected ${expected}):\n${res.stdout}\n${res.stderr}\n-- engine jobs:\n${jobs}\n-- BMCs:\n${bmcs.join('\n')}\n-- engine log (tail):\n${this.engine.log().slice(-4000)}`);
  }

  /** `terraform output -json`, values only. */
  async outputs(): Promise<Record<string, any>> {
    const raw = JSON.parse((await this.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
  }

  get quarantineVlan(): number {
    return 999;
  }

  /** Every cabled port (`switch/port`) with the access VLAN the simulator holds for it (null: not an access port). */
  cabledPorts(): PortVlan[] {
    return this.lab.manifest.servers.flatMap((s) =>
      s.nics.map((n) => {
        const cfg = this.lab.switches.get(n.switch)!.state.port(n.port);
        return { port: `${n.switch}/${n.port}`, server: s.id, vlan: cfg.mode === 'access' ? cfg.accessVlan : null };
      }),
    );
  }

  /** The switches that hold a VLAN now. */
  switchesWithVlan(vlan: number): string[] {
    return [...this.lab.switches].filter(([, sim]) => sim.state.vlans().includes(vlan)).map(([id]) => id);
  }

  /** Every switch's saved configuration is its running one. */
  allSaved(): boolean {
    return [...this.lab.switches.values()].every((sim) => sim.state.savedMatchesRunning());
  }

  async servers(): Promise<ServerInfo[]> {
    return this.client.listServers();
  }

  /**
   * What destroy must leave: every cabled port back in quarantine, every server `available` and cleaned, no finding of
   * `maestro doctor`. Returns the problems (empty when clean), so a failure shows all of them.
   */
  async leftovers(): Promise<string[]> {
    const ports = this.cabledPorts().filter((p) => p.vlan !== this.quarantineVlan).map((p) => `port ${p.port} (${p.server}) in VLAN ${p.vlan}, not quarantine`);
    const servers = (await this.servers())
      .filter((s) => s.state !== 'available' || s.needsCleaning)
      .map((s) => `server ${s.id} is ${s.state}${s.needsCleaning ? ' (not cleaned)' : ''}${s.stateReason ? `: ${s.stateReason}` : ''}`);
    const doctor = (await this.client.runDoctor()).findings.map((f) => `doctor: ${JSON.stringify(f)}`);
    return [...ports, ...servers, ...doctor];
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.engine.stop();
    await this.lab.close();
  }
}
