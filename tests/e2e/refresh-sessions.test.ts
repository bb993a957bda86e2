// E2E: refreshing many maestro_switch_port resources reads each switch once per plan, not once per port
// (the engine coalesces concurrent GetPort calls for one switch into one SSH session).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../../lab/src/lab';
import { loadTopology } from '../../lab/src/topology';
import { EngineProcess, PROVIDER, tempDir, TerraformWorkspace } from './harness';

jest.setTimeout(600_000);

const SWITCHES = ['leaf1', 'leaf2'];
const RESOURCES = 100;
const PORTS_PER_SWITCH = RESOURCES / SWITCHES.length;

let lab: Lab;
let engine: EngineProcess;
let ws: TerraformWorkspace;

/** Port i on switch i mod 2, so each switch carries half of the resources. */
const CONFIG = `${PROVIDER}
resource "maestro_switch_port" "p" {
  count       = ${RESOURCES}
  switch      = "leaf\${count.index % ${SWITCHES.length} + 1}"
  port        = "Ethernet\${floor(count.index / ${SWITCHES.length}) + 1}"
  access_vlan = 100 + count.index % 5
  description = "port \${count.index}"
}
`;

beforeAll(async () => {
  const dir = tempDir('refresh-sessions');
  const topology = join(dir, 'topology.yaml');
  writeFileSync(
    topology,
    ['segments: { quarantine: { vlan: 999 }, provisioning: { vlan: 998 } }', 'switches:', ...SWITCHES.map((id) => `  - { id: ${id}, dialect: eos, ports: [Ethernet1-${PORTS_PER_SWITCH}] }`), ''].join('\n'),
  );
  lab = await startLab(loadTopology(topology), join(dir, 'lab'));
  engine = await EngineProcess.start(join(dir, 'engine'), lab.manifest.inventory_file);
  ws = await TerraformWorkspace.create(engine.env());
  ws.write(CONFIG);
  await ws.ok(['init', '-input=false', '-no-color']);
  await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
});

afterAll(async () => {
  await engine?.stop();
  await lab?.close();
});

const sessions = () => Object.fromEntries(SWITCHES.map((id) => [id, lab.switches.get(id)!.stats.sessions]));

test(`a plan refreshing ${RESOURCES} ports opens at most one SSH session per switch, and still sees drift on the device`, async () => {
  // Drift made on the switch itself: the refresh must really read the device.
  await lab.switches.get('leaf2')!.runCommands(['configure', 'interface Ethernet7', 'description changed by hand', 'end']);
  const before = sessions();
  const plan = await ws.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
  const after = sessions();

  expect(plan.stdout).toMatch(/maestro_switch_port\.p\[13\] will be updated in-place/); // leaf2/Ethernet7 is resource 2*6+1
  expect(plan.stdout).toMatch(/description\s+= "changed by hand" -> "port 13"/);
  expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  const opened = Object.fromEntries(SWITCHES.map((id) => [id, after[id] - before[id]]));
  expect(opened).toEqual(Object.fromEntries(SWITCHES.map((id) => [id, Math.min(opened[id], 1)]))); // at most 1 each; the map shows which switch did not coalesce
});
