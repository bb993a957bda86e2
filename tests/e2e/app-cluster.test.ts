// E2E: examples/app-cluster (the app-cluster module, one block) applied and destroyed with the real terraform through
// the installed provider and the engine, on the simulated demo lab (2 EOS leaves, 3 servers; no OS configuration
// there): a tenancy on both leaves, three instances on every server with their ports in the tenancy's VLAN, a clean
// re-plan, then destroy puts every port back in quarantine and every server back to `available`.
// Needs `npx tsc -p tsconfig.json` first (the provider and the engine run from dist/).

import { AppLab } from './app-cluster-harness';

jest.setTimeout(120_000);

let lab: AppLab;

beforeAll(async () => {
  lab = await AppLab.start('e2e-app-cluster');
  lab.useExample('app-cluster');
  await lab.ok(['init', '-input=false', '-no-color']);
});

afterAll(async () => {
  await lab?.stop();
});

/** The numeric value of a dotted IPv4 address. */
const ipNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

test('module "web" (size 3): apply, outputs, ports and servers, clean re-plan, destroy leaves nothing', async () => {
  const apply = await lab.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  expect(apply.stdout).toMatch(/Apply complete! Resources: 4 added, 0 changed, 0 destroyed/);

  const out = await lab.outputs();
  expect(out.tenancy).toEqual({ id: expect.stringMatching(/^tn-/), name: 'web', cidr: expect.any(String), vlan_id: expect.any(Number), gateway: expect.any(String) });
  const { cidr, vlan_id: vlan, gateway } = out.tenancy;

  const addresses = out.addresses as string[];
  expect(addresses).toHaveLength(3);
  expect(new Set(addresses).size).toBe(3);
  for (const ip of addresses) {
    expect(inCidr(ip, cidr)).toBe(true);
    expect(ip).not.toBe(gateway);
  }

  const instances = Object.entries(out.instances as Record<string, { server_id: string; ip_address: string; hostname: string; switch_ports: string[] }>);
  expect(instances.map(([id]) => id)).toEqual(instances.map(() => expect.stringMatching(/^in-[0-9a-f]{12}$/)));
  expect(instances.map(([, i]) => i.hostname).sort()).toEqual(['web-1', 'web-2', 'web-3']);
  expect(instances.map(([, i]) => i.ip_address).sort()).toEqual([...addresses].sort());
  // The demo lab has exactly three servers; placement spreads the cluster over both leaves.
  expect(instances.map(([, i]) => i.server_id).sort()).toEqual(['db1', 'web1', 'web2']);
  const reportedPorts = instances.flatMap(([, i]) => i.switch_ports).sort();
  expect(reportedPorts).toEqual(lab.cabledPorts().map((p) => p.port).sort());
  expect(new Set(reportedPorts.map((p) => p.split('/')[0]))).toEqual(new Set(['leaf1', 'leaf2']));

  // What the switches hold, read from the simulators: every cabled port in the tenancy's VLAN, the VLAN on both leaves.
  expect(lab.cabledPorts().filter((p) => p.vlan !== vlan)).toEqual([]);
  expect(lab.switchesWithVlan(vlan)).toEqual(['leaf1', 'leaf2']);
  expect(lab.allSaved()).toBe(true);
  const owners = Object.fromEntries(instances.map(([id, i]) => [i.server_id, `instance:${id}`]));
  expect((await lab.servers()).map((s) => [s.id, s.state, s.owner]).sort()).toEqual(Object.entries(owners).map(([s, o]) => [s, 'active', o]).sort());

  await lab.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

  const destroy = await lab.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
  expect(destroy.stdout).toMatch(/Destroy complete! Resources: 4 destroyed/);
  expect(await lab.leftovers()).toEqual([]);
  expect(lab.switchesWithVlan(vlan)).toEqual([]);
  expect(lab.allSaved()).toBe(true);
});
