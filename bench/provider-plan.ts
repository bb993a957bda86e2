// Plan overhead: a no-change `terraform plan` (with refresh) of N maestro_switch_port resources against the lab,
// against the same plan of N terraform_data resources, and the provider's peak RSS during the largest plan.

import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FILE } from '../provider-shim/src/install';
import { watchProviderRss, watchRss, type RssPeak } from './provider-rss';
import { benchDir, startLab, Workspace, type Lab } from './provider-lab';
import { median, rounds } from './provider-stats';

export interface PlanSize {
  n: number;
  /** Medians in ms. maestro: as users run it, provider starts served by a warm provider host. */
  maestro: number;
  terraformData: number;
  ratio: number;
  /** With the provider host off: every provider start a node process of its own. */
  direct: number;
  /** The first plan after the provider host went away (it starts one). */
  coldHost: number;
  /** `plan -refresh=false` of the maestro resources: the provider's share without the engine's device reads (context). */
  maestroNoRefresh: number;
  /** The same plan through the floor provider (provider-floor.ts), timed in the same rounds: what a provider pays before doing any work. */
  floor: number;
  /** The apply that created the resources (one run; context, not a target). */
  maestroApply: number;
}

export interface PlanResult {
  runs: number;
  switches: number;
  sizes: PlanSize[];
  /** Provider processes during one extra (untimed) plan of the largest N, the host off. */
  rss: RssPeak;
  /** The provider host during one extra (untimed) plan of the largest N. */
  hostRss: RssPeak;
}

const SWITCHES = 4;

/** Resource i lives on switch i mod SWITCHES, so every switch carries a share of any N. */
function maestroConfig(n: number): string {
  return `terraform {
  required_providers {
    maestro = { source = "maestro/maestro" }
  }
}
provider "maestro" {}
resource "maestro_switch_port" "bench" {
  count       = ${n}
  switch      = "leaf\${count.index % ${SWITCHES} + 1}"
  port        = "Ethernet\${floor(count.index / ${SWITCHES}) + 1}"
  access_vlan = 100 + count.index % 10
  description = "bench \${count.index}"
}
`;
}

/** The same shape of configuration with terraform's built-in resource: terraform's own cost for N resources. */
function terraformDataConfig(n: number): string {
  return `resource "terraform_data" "bench" {
  count = ${n}
  input = { switch = "leaf\${count.index % ${SWITCHES} + 1}", port = "Ethernet\${floor(count.index / ${SWITCHES}) + 1}", vlan = 100 + count.index % 10 }
}
`;
}

const PLAN = ['plan', '-input=false', '-detailed-exitcode'];
const PLAN_NO_REFRESH = [...PLAN, '-refresh=false'];
const APPLY = ['apply', '-input=false', '-auto-approve'];

async function measureSize(n: number, runs: number, ws: Workspaces, lab: Lab, log: (line: string) => void): Promise<PlanSize> {
  for (const w of [ws.maestro, ws.direct, ws.floor]) w.write(maestroConfig(n));
  ws.data.write(terraformDataConfig(n));
  const applied = await ws.maestro.tf(APPLY);
  await ws.data.tf(APPLY);
  // The others plan the same resources: same provider address, so the maestro state serves as is.
  for (const w of [ws.direct, ws.floor]) copyFileSync(join(ws.maestro.dir, 'terraform.tfstate'), join(w.dir, 'terraform.tfstate'));
  log(`  N=${n}: applied (${(applied.ms / 1000).toFixed(1)} s); timing ${runs} no-change plans of each`);
  // Exit code 0 with -detailed-exitcode: refreshed, and nothing to change.
  const plan = (w: Workspace) => async () => (await w.tf(PLAN)).ms;
  const coldHost = async () => {
    await lab.stopHosts();
    return plan(ws.maestro)();
  };
  // The cold-host plan leaves a host that is warm for the next round's first plan.
  const [maestro, cold, direct, floor, data] = await rounds(runs, [plan(ws.maestro), coldHost, plan(ws.direct), plan(ws.floor), plan(ws.data)]);
  const noRefresh: number[] = [];
  for (let i = 0; i < runs; i++) noRefresh.push((await ws.maestro.tf(PLAN_NO_REFRESH)).ms);
  const m = median(maestro);
  const d = median(data);
  return {
    n,
    maestro: m,
    terraformData: d,
    ratio: m / d,
    direct: median(direct),
    coldHost: median(cold),
    maestroNoRefresh: median(noRefresh),
    floor: median(floor),
    maestroApply: applied.ms,
  };
}

interface Workspaces {
  maestro: Workspace;
  direct: Workspace;
  floor: Workspace;
  data: Workspace;
}

/** One more no-change plan of the current configuration, host off, watching the provider processes' memory. */
async function measureRss(direct: Workspace): Promise<RssPeak> {
  let watcher: ReturnType<typeof watchProviderRss> | undefined;
  // The installed launcher execs node on the bundle, so the provider's command line names BUNDLE_FILE.
  await direct.tf(PLAN, 0, (child) => (watcher = watchProviderRss(child.pid!, BUNDLE_FILE)));
  return watcher!.stop();
}

/** One more no-change plan through the provider host, watching the host's memory. */
async function measureHostRss(maestro: Workspace, lab: Lab): Promise<RssPeak> {
  const watcher = watchRss(() => lab.hostPids());
  await maestro.tf(PLAN);
  return watcher.stop();
}

/** Runs the plan benchmark for `sizes` (ascending), each timed `runs` times, in a lab sized for the largest. */
export async function benchPlan(sizes: number[], runs: number, log: (line: string) => void): Promise<PlanResult> {
  const largest = Math.max(...sizes);
  log(`starting the lab: ${SWITCHES} simulated EOS switches x ${Math.ceil(largest / SWITCHES)} ports, an engine daemon`);
  const lab: Lab = await startLab(SWITCHES, Math.ceil(largest / SWITCHES));
  const root = benchDir('plan');
  try {
    const ws: Workspaces = {
      maestro: new Workspace(`${root}/maestro`, lab.terraformEnv),
      direct: new Workspace(`${root}/direct`, lab.directEnv),
      floor: new Workspace(`${root}/floor`, lab.floorEnv),
      data: new Workspace(`${root}/terraform-data`, lab.terraformEnv),
    };
    for (const w of [ws.maestro, ws.direct, ws.floor]) w.write(maestroConfig(0));
    ws.data.write(terraformDataConfig(0));
    for (const w of Object.values(ws)) await w.tf(['init', '-input=false']);
    const results: PlanSize[] = [];
    for (const n of [...sizes].sort((a, b) => a - b)) results.push(await measureSize(n, runs, ws, lab, log));
    log(`  N=${largest}: two more plans, sampling provider memory (host off, then the host)`);
    const rss = await measureRss(ws.direct);
    const hostRss = await measureHostRss(ws.maestro, lab);
    return { runs, switches: SWITCHES, sizes: results, rss, hostRss };
  } finally {
    await lab.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
