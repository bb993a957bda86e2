// E2E (root): examples/app-cluster on the real-network lab (leaves and servers as network namespaces, the OS
// configured over SSH): the three cluster hosts carry their tenancy addresses and reach each other across both
// leaves, the server left out (quarantined) reaches none of them; destroy erases their disks, puts every leaf port
// back in quarantine and every server back to `available`, with doctor clean.
// Needs `npx tsc -p tsconfig.json` first (the provider and the engine run from dist/).

import { netnsLeftovers } from './app-cluster-harness';
import { addresses, describeAsRoot, inNetns, NEEDS_ROOT, NetnsE2e, pings, reaches } from './netns-e2e-harness';

jest.setTimeout(180_000);

interface InstanceOut {
  server_id: string;
  ip_address: string;
  hostname: string;
  switch_ports: string[];
}

describeAsRoot(`examples/app-cluster on the netns lab${NEEDS_ROOT}`, () => {
  let e2e: NetnsE2e;

  beforeAll(async () => {
    e2e = await NetnsE2e.start();
    e2e.useExample('app-cluster');
    await e2e.ok(['init', '-input=false', '-no-color']);
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
    await e2e?.lab.close();
  });

  test('apply: hosts up on their addresses and reachable across leaves; destroy leaves nothing', async () => {
    await e2e.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
    const out = await e2e.outputs();
    const hosts = Object.values(out.instances as Record<string, InstanceOut>);
    expect(hosts.map((h) => h.hostname).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(new Set(hosts.flatMap((h) => h.switch_ports.map((p) => p.split('/')[0])))).toEqual(new Set(['leaf1', 'leaf2']));
    const netnsOf = (serverId: string) => e2e.lab.server(serverId).netns;
    const prefix = String(out.tenancy.cidr).split('/')[1];

    for (const h of hosts) expect([h.server_id, await addresses(netnsOf(h.server_id), 'eth0')]).toEqual([h.server_id, [`${h.ip_address}/${prefix}`]]);
    for (const from of hosts) {
      for (const to of hosts.filter((h) => h !== from)) {
        expect([from.hostname, to.hostname, await reaches(netnsOf(from.server_id), to.ip_address)]).toEqual([from.hostname, to.hostname, true]);
      }
    }
    // The lab has four servers; the one left out stays in quarantine: even with an address in the cluster's subnet it
    // reaches no cluster host (the segments are apart at layer 2).
    const outsider = e2e.lab.manifest.servers.find((s) => !hosts.some((h) => h.server_id === s.id))!;
    const intruder = `${hosts[0].ip_address.replace(/\.\d+$/, '.250')}/${prefix}`;
    expect((await inNetns(outsider.netns, 'ip', 'addr', 'add', intruder, 'dev', 'eth0')).code).toBe(0);
    for (const h of hosts) expect([outsider.id, h.ip_address, await pings(outsider.netns, h.ip_address)]).toEqual([outsider.id, h.ip_address, false]);
    await inNetns(outsider.netns, 'ip', 'addr', 'del', intruder, 'dev', 'eth0');

    await e2e.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);

    await e2e.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
    expect(await netnsLeftovers(e2e, hosts.map((h) => h.server_id))).toEqual([]);
  });
});
