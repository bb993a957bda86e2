// E2E (root): the synthesized examples/cdktf stack on the real-network lab (namespaces, OS configured over SSH):
// AppCluster "web" (2 hosts) and the "db" host built with the bindings carry their tenancy addresses; web's hosts reach
// each other, web and db do not reach each other; destroy erases the disks and leaves every port in quarantine.
// Needs `npx tsc -p tsconfig.json` first (the stack program, the provider and the engine run from dist/).

import { readFileSync } from 'node:fs';
import { netnsLeftovers, synthesizeCdktfExample } from './app-cluster-harness';
import { addresses, describeAsRoot, NEEDS_ROOT, NetnsE2e, pings, reaches } from './netns-e2e-harness';

jest.setTimeout(180_000);

interface Host {
  server_id: string;
  ip_address: string;
}

describeAsRoot(`examples/cdktf on the netns lab${NEEDS_ROOT}`, () => {
  let e2e: NetnsE2e;

  beforeAll(async () => {
    const stackJson = await synthesizeCdktfExample();
    e2e = await NetnsE2e.start();
    e2e.addFile('cdk.tf.json', readFileSync(stackJson, 'utf8'));
    await e2e.ok(['init', '-input=false', '-no-color']);
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
    await e2e?.lab.close();
  });

  test('apply: web hosts reach each other, not db; destroy leaves nothing', async () => {
    await e2e.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
    const out = await e2e.outputs();
    const web = Object.values(out.web_instances as Record<string, Host>);
    const db = out.db as Host;
    expect(web).toHaveLength(2);
    const netnsOf = (h: Host) => e2e.lab.server(h.server_id).netns;
    for (const h of [...web, db]) expect([h.server_id, (await addresses(netnsOf(h), 'eth0')).map((a) => a.split('/')[0])]).toEqual([h.server_id, [h.ip_address]]);

    expect(await reaches(netnsOf(web[0]), web[1].ip_address)).toBe(true);
    expect(await reaches(netnsOf(web[1]), web[0].ip_address)).toBe(true);
    for (const w of web) {
      expect([w.server_id, db.ip_address, await pings(netnsOf(w), db.ip_address)]).toEqual([w.server_id, db.ip_address, false]);
      expect([db.server_id, w.ip_address, await pings(netnsOf(db), w.ip_address)]).toEqual([db.server_id, w.ip_address, false]);
    }

    await e2e.ok(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);
    await e2e.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
    expect(await netnsLeftovers(e2e, [...web, db].map((h) => h.server_id))).toEqual([]);
  });
});
