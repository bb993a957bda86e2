// E2E: examples/cdktf synthesized the way `cdktn synth` runs it (the compiled main.js with CDKTF_OUTDIR), then the
// Terraform JSON validated, applied and destroyed with the real terraform through the installed provider and the
// engine on the simulated demo lab (2 EOS leaves, 3 servers): AppCluster "web" (2 instances) and a "db" tenancy with
// one instance from the bindings; a clean re-plan; destroy puts every port back in quarantine and every server back
// to `available`. Needs `npx tsc -p tsconfig.json` first (the stack, the provider and the engine run from dist/).

import { existsSync } from 'node:fs';
import { AppLab, synthesizeCdktfExample } from './app-cluster-harness';

jest.setTimeout(120_000);

let lab: AppLab;
let stackJson: string;

beforeAll(async () => {
  stackJson = await synthesizeCdktfExample();
  lab = await AppLab.start('e2e-cdktf-example');
  lab.useFile(stackJson, 'cdk.tf.json');
  await lab.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  await lab?.stop();
});

test('synth writes the stack where cdktn expects it', async () => {
  expect(stackJson).toMatch(/cdktf\.out\/stacks\/apps\/cdk\.tf\.json$/);
  expect(existsSync(stackJson)).toBe(true);
  expect((await lab.ok(['validate', '-no-color'])).stdout).toMatch(/The configuration is valid/);
});

test('apply: web (AppCluster, 2) and db (bindings, 1); clean re-plan; destroy leaves nothing', async () => {
  const apply = await lab.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(apply.stdout).toMatch(/Apply complete! Resources: 5 added, 0 changed, 0 destroyed/);

  const out = await lab.outputs();
  expect(Object.keys(out).sort()).toEqual(['db', 'web_addresses', 'web_instances', 'web_tenancy']);
  expect(out.web_tenancy).toMatchObject({ id: expect.stringMatching(/^tn-/), name: 'web' });
  const web = Object.values(out.web_instances as Record<string, { server_id: string; ip_address: string; hostname: string; switch_ports: string[] }>);
  expect(web.map((i) => i.hostname).sort()).toEqual(['web-1', 'web-2']);
  expect(web.map((i) => i.ip_address).sort()).toEqual([...(out.web_addresses as string[])].sort());
  expect(out.db).toMatchObject({ ip_address: expect.any(String), server_id: expect.any(String), gateway: expect.any(String) });
  expect([...web.map((i) => i.server_id), out.db.server_id].sort()).toEqual(['db1', 'web1', 'web2']);

  // Each server's cabled ports are in its tenancy's VLAN (read from the switch simulators).
  const vlanOf = { web: out.web_tenancy.vlan_id as number, db: -1 };
  const dbServer = out.db.server_id as string;
  const dbPorts = lab.cabledPorts().filter((p) => p.server === dbServer);
  expect(dbPorts.map((p) => p.port).sort()).toEqual([...out.db.switch_ports].sort());
  vlanOf.db = dbPorts[0].vlan!;
  expect(vlanOf.db).not.toBe(vlanOf.web);
  expect(vlanOf.db).not.toBe(lab.quarantineVlan);
  for (const p of lab.cabledPorts()) expect({ port: p.port, vlan: p.vlan }).toEqual({ port: p.port, vlan: p.server === dbServer ? vlanOf.db : vlanOf.web });
  expect((await lab.servers()).map((s) => s.state)).toEqual(['active', 'active', 'active']);

  await lab.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  const destroy = await lab.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 5 destroyed/);
  expect(await lab.leftovers()).toEqual([]);
  expect(lab.switchesWithVlan(vlanOf.web)).toEqual([]);
  expect(lab.switchesWithVlan(vlanOf.db)).toEqual([]);
});
