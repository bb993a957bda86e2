// The provider benchmarks in one run: cold start vs `node -e 0`, plan overhead vs terraform_data, provider RSS.
//
// node dist/bench/provider-run.js [--start-runs 15] [--plan-runs 3] [--sizes 1,100,1000]
// (bench/run.sh builds first and runs every benchmark.) Prints ratios of medians
// measured side by side in this run, and the raw medians.

import { parseArgs } from 'node:util';
import { benchColdStart, type ColdStartResult } from './provider-cold-start';
import { benchPlan, type PlanResult } from './provider-plan';
import { fmtMs, fmtRatio } from './provider-stats';

const COLD_START_TARGET = 2;
const PLAN_TARGET = 1.5;

const log = (line: string) => process.stdout.write(`${line}\n`);

function printColdStart(r: ColdStartResult): void {
  log(`cold start: exec of the installed launcher -> handshake line (median of ${r.runs}, interleaved with node -e 0)`);
  log(`  provider            ${fmtMs(r.handshake)}`);
  log(`  node -e 0           ${fmtMs(r.nodeBaseline)}`);
  log(`  ratio               ${fmtRatio(r.ratio, COLD_START_TARGET)}`);
  log(`  then, per process: first GetProviderSchema ${fmtMs(r.firstSchema)}; Shutdown -> exit ${fmtMs(r.shutdownExit)}`);
  log(`  served by a warm provider host instead (median of ${r.runs}): handshake ${fmtMs(r.host.handshake)}; first GetProviderSchema ${fmtMs(r.host.firstSchema)}; Shutdown -> exit ${fmtMs(r.host.shutdownExit)}`);
}

function printPlan(r: PlanResult): void {
  log(`plan overhead: no-change terraform plan (with refresh), median of ${r.runs}, maestro_switch_port on ${r.switches} simulated switches vs terraform_data`);
  log('  N        maestro   terraform_data   ratio    (host cold   ratio)   (host off   ratio)   (-refresh=false   ratio)   (floor, host off   ratio)');
  const vs = (ms: number, data: number) => `${fmtMs(ms).padStart(11)}   ${(ms / data).toFixed(2)}x`;
  for (const s of r.sizes) {
    const context = [s.coldHost, s.direct, s.maestroNoRefresh, s.floor].map((ms) => `(${vs(ms, s.terraformData)})`).join('   ');
    log(`  ${String(s.n).padEnd(6)} ${fmtMs(s.maestro).padStart(11)} ${fmtMs(s.terraformData).padStart(16)}   ${s.ratio.toFixed(2)}x    ${context}`);
  }
  log('  maestro: provider starts served by the warm provider host (the default); host cold: the first plan after the host went away;');
  log('  host off: MAESTRO_PROVIDER_HOST=off, a node process per start; floor: the provider with its per-resource calls answered without work (bench/provider-floor.ts)');
  const n = r.sizes[r.sizes.length - 1].n;
  log(`provider RSS during a ${n}-resource plan: host off, max ${(r.rss.maxKb / 1024).toFixed(1)} MiB over ${r.rss.processes} provider processes; the provider host ${(r.hostRss.maxKb / 1024).toFixed(1)} MiB`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'start-runs': { type: 'string', default: '15' }, 'plan-runs': { type: 'string', default: '3' }, sizes: { type: 'string', default: '1,100,1000' } } });
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes positive integers separated by commas, got "${values.sizes}"`);
  const coldStart = await benchColdStart(Number(values['start-runs']));
  printColdStart(coldStart);
  log('');
  const plan = await benchPlan(sizes, Number(values['plan-runs']), log);
  printPlan(plan);
  const largest = plan.sizes[plan.sizes.length - 1];
  log('');
  log('summary (ratios of medians measured side by side in this run):');
  log(`  cold start / node -e 0               ${fmtRatio(coldStart.ratio, COLD_START_TARGET)}`);
  log(`  plan of ${largest.n} / terraform_data   ${fmtRatio(largest.ratio, PLAN_TARGET)}`);
  log(`  (the same plan, host cold             ${(largest.coldHost / largest.terraformData).toFixed(2)}x; host off ${(largest.direct / largest.terraformData).toFixed(2)}x; floor provider, host off ${(largest.floor / largest.terraformData).toFixed(2)}x)`);
  log(`  provider peak RSS (${largest.n} resources)   ${(plan.rss.maxKb / 1024).toFixed(1)} MiB per process, host off; ${(plan.hostRss.maxKb / 1024).toFixed(1)} MiB the provider host`);
}

// Ctrl-C: exit through process 'exit', where the bench lab stops its background processes.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
