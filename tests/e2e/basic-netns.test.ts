// E2E (root) of issue 5 on the real-network lab: the real terraform applies examples/basic (tenancy "web" with three
// instances over both leaves, tenancy "db" with one) to the netns lab: leaves and servers are network namespaces,
// the BMC simulators run in this process. Checks: the web hosts ping each other across leaves on their tenancy
// addresses and cannot reach db's host; a clean re-plan; the bootstrap's file on the host's disk. Destroy: BMCs off
// with SecureErase completed on every drive, the disks empty, every leaf port back in quarantine, servers available,
// doctor clean. Then a failure at each device step of instance.create (BMC 500, switch disconnect, OS unreachable)
// leaves no orphan, names the step and the device, and the next apply converges; a too short create timeout and a
// SIGINT to terraform during create leave nothing behind either.
// Needs `npx tsc -p tsconfig.json` first (the provider and the engine run from dist/).

import type { RedfishSimulator } from '../../lab/src/redfish-bmc/server';
import {
  clearFaults, describeAsRoot, NEEDS_ROOT, NetnsE2e, oneLine, onBmcRequest, reaches, pings, inNetns, addresses, resetType, sleep,
} from './netns-e2e-harness';

jest.setTimeout(300_000);

/** The bootstrap writes this into root's home, which is the lab server's first disk (and its os root_dir). */
const BOOTSTRAP_FILE = 'bootstrap-done';
const bootstrap = (name: string) => `#!/bin/sh\necho "${name} bootstrapped"\necho "${name}" > "$HOME/${BOOTSTRAP_FILE}"\n`;

const apply = ['apply', '-input=false', '-no-color', '-auto-approve'];
const plan0 = ['plan', '-input=false', '-no-color', '-detailed-exitcode'];

interface InstanceOut {
  ip_address: string;
  server_id: string;
  switch_ports: string[];
}

describeAsRoot(`issue 5 on the netns lab: examples/basic, destroy, failures at each create step${NEEDS_ROOT}`, () => {
  let e2e: NetnsE2e;
  const started = Date.now();

  beforeAll(async () => {
    e2e = await NetnsE2e.start();
    e2e.useExample('basic');
    // Same example, with a bootstrap that leaves a file on db's disk (the example's only echoes).
    e2e.addFile('bootstrap_override.tf', `resource "maestro_server_instance" "db" {\n  user_data = <<-EOT\n${bootstrap('db-1')}EOT\n}\n`);
    await e2e.ok(['init', '-input=false', '-no-color']);
  }, 120_000);

  afterAll(async () => {
    if (e2e) {
      const log = e2e.engine.log();
      await e2e.stop();
      await e2e.lab.close();
      if (process.env.E2E_ENGINE_LOG) require('node:fs').writeFileSync(process.env.E2E_ENGINE_LOG, log);
    }
    // eslint-disable-next-line no-console
    console.log(`basic-netns: ${Math.round((Date.now() - started) / 1000)} s`);
  });

  /** What examples/basic built, from its outputs. */
  let web: Record<string, InstanceOut>;
  let db: Record<string, InstanceOut>;
  const netnsOf = (serverId: string) => e2e.lab.server(serverId).netns;

  test('examples/basic: apply; web hosts reach each other across leaves and not db; clean re-plan; bootstrap wrote to the disk', async () => {
    await e2e.ok(apply);
    const out = await e2e.outputs();
    web = out.web;
    db = out.db;
    expect(Object.keys(web)).toHaveLength(3);
    expect(Object.keys(db)).toHaveLength(1);
    const leaves = new Set(Object.values(web).flatMap((i) => i.switch_ports.map((p) => p.split('/')[0])));
    expect([...leaves].sort()).toEqual(['leaf1', 'leaf2']);

    // Each web host has its address on eth0 and reaches every other web host; none reaches db's.
    const webHosts = Object.values(web);
    const dbHost = Object.values(db)[0];
    for (const h of [...webHosts, dbHost]) expect((await addresses(netnsOf(h.server_id), 'eth0')).map((a) => a.split('/')[0])).toContain(h.ip_address);
    for (const from of webHosts) {
      for (const to of webHosts.filter((h) => h !== from)) expect([from.server_id, to.ip_address, await reaches(netnsOf(from.server_id), to.ip_address)]).toEqual([from.server_id, to.ip_address, true]);
      expect(await pings(netnsOf(from.server_id), dbHost.ip_address)).toBe(false);
      expect(await pings(netnsOf(dbHost.server_id), from.ip_address)).toBe(false);
    }
    // Not even an address in web's own subnet on db's NIC gets through: the segments are apart at layer 2.
    const intruder = webHosts[0].ip_address.replace(/\.\d+$/, '.250');
    const prefix = (await addresses(netnsOf(webHosts[0].server_id), 'eth0'))[0].split('/')[1];
    expect((await inNetns(netnsOf(dbHost.server_id), 'ip', 'addr', 'add', `${intruder}/${prefix}`, 'dev', 'eth0')).code).toBe(0);
    for (const from of webHosts) expect(await pings(netnsOf(from.server_id), intruder)).toBe(false);
    await inNetns(netnsOf(dbHost.server_id), 'ip', 'addr', 'del', `${intruder}/${prefix}`, 'dev', 'eth0');

    await e2e.ok(plan0, 0);
    // The installer's record and the bootstrap's file are on db's first disk (its os root_dir).
    const files = e2e.lab.diskFiles(dbHost.server_id);
    expect(files).toEqual(expect.arrayContaining([`Disk.0/${BOOTSTRAP_FILE}`, 'Disk.0/etc/maestro/image']));
  });

  test('destroy: BMCs off with SecureErase completed on every drive, disks empty, ports in quarantine, servers available, doctor clean', async () => {
    expect(web).toBeDefined();
    const used = [...Object.values(web), ...Object.values(db)].map((h) => h.server_id);
    const mark = new Map(used.map((id) => [id, e2e.lab.bmc(id).requestLog.length]));
    await e2e.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
    for (const id of used) {
      const bmc = e2e.lab.bmc(id);
      expect([id, bmc.state.powerState]).toEqual([id, 'Off']);
      const erased = bmc.requestLog.slice(mark.get(id)).filter((r) => r.method === 'POST' && /Drive\.SecureErase$/.test(r.path) && r.status < 300);
      const drives = e2e.lab.server(id).disks.map((d) => d.id).sort();
      expect([id, [...new Set(erased.map((r) => r.path.split('/').slice(-3)[0]))].sort()]).toEqual([id, drives]);
      const tasks = [...bmc.state.tasks.values()].filter((t) => t.name.startsWith('Secure erase'));
      for (const d of drives) expect([id, d, tasks.filter((t) => t.name.endsWith(` ${d}`)).map((t) => t.state).pop()]).toEqual([id, d, 'Completed']);
      expect([id, e2e.lab.diskFiles(id)]).toEqual([id, []]);
    }
    expect(await e2e.lab.portsOutOfQuarantine()).toEqual([]);
    expect((await e2e.servers()).map((s) => [s.id, s.state])).toEqual(used.concat(e2e.lab.manifest.servers.map((s) => s.id).filter((id) => !used.includes(id))).sort().map((id) => [id, 'available']));
    expect((await e2e.doctor()).findings).toEqual([]);
    expect(await e2e.stateList()).toEqual([]);
    // The same through the CLI.
    const doctor = await e2e.maestro('doctor');
    expect([doctor.code, doctor.stdout, doctor.stderr]).toEqual([0, '', expect.stringMatching(/^0 finding\(s\)/)]);
    const listed = JSON.parse((await e2e.maestro('servers', 'list', '--json')).stdout) as Array<{ id: string; state: string }>;
    expect(listed.map((s) => s.state)).toEqual(e2e.lab.manifest.servers.map(() => 'available'));
  });

  // --- failures at each create step, on one instance pinned to web1 (leaf1/swp1) ---

  const SERVER = 'web1';
  const LEAF = 'leaf1';
  const instanceConfig = (powerState: 'on' | 'off', timeouts = '') => `
resource "maestro_tenancy" "chaos" { name = "chaos" }
resource "maestro_server_instance" "x" {
  tenancy_id  = maestro_tenancy.chaos.id
  profile     = "lab"
  server_id   = "${SERVER}"
  image       = "debian-12"
  hostname    = "chaos-1"
  power_state = "${powerState}"
  user_data   = <<-EOT
${bootstrap('chaos-1')}EOT
${timeouts}
}
`;

  /** Nothing of the failed instance is left: not in state (or tainted), doctor clean, its ports quarantined, its server available. */
  async function expectNothingLeft(): Promise<void> {
    const state = await e2e.stateList();
    if (state.includes('maestro_server_instance.x')) {
      expect((await e2e.tf('state', 'show', '-no-color', 'maestro_server_instance.x')).stdout).toMatch(/tainted/);
    }
    expect((await e2e.doctor()).findings).toEqual([]);
    expect(await e2e.lab.portsOutOfQuarantine()).toEqual([]);
    const server = (await e2e.servers()).find((s) => s.id === SERVER)!;
    expect([server.state, server.stateReason, server.owner]).toEqual(['available', null, null]);
    expect((await e2e.client.listInstances()).filter((i) => i.state !== 'failed')).toEqual([]);
  }

  /** The converged instance is there: state, address on eth0, bootstrap file; then it is removed again for the next case. */
  async function convergeAndRemove(powerState: 'on' | 'off'): Promise<void> {
    const res = await e2e.ok(apply);
    expect(res.stdout).toMatch(/Apply complete!/);
    await e2e.ok(plan0, 0);
    if (powerState === 'on') expect(e2e.lab.diskFiles(SERVER)).toContain(`Disk.0/${BOOTSTRAP_FILE}`);
    await e2e.ok(['destroy', '-input=false', '-no-color', '-auto-approve', '-target=maestro_server_instance.x']);
    expect(e2e.lab.diskFiles(SERVER)).toEqual([]);
  }

  test('the tenancy for the failure cases', async () => {
    e2e.write(instanceConfig('on').replace(/resource "maestro_server_instance"[\s\S]*$/, ''));
    await e2e.ok(apply);
  });

  type Disarm = () => Promise<void>;
  interface FailureCase {
    step: string;
    how: string;
    device: string;
    power: 'on' | 'off';
    /** Arms the fault; the returned function disarms it after the failed apply. */
    arm: () => Promise<Disarm>;
  }

  /** Fails (HTTP 500) every request of web1's BMC that `matches` while armed. */
  function bmc500(matches: (req: Parameters<Parameters<typeof onBmcRequest>[1]>[0], bmc: RedfishSimulator) => boolean): () => Promise<Disarm> {
    return async () => {
      const bmc = e2e.lab.bmc(SERVER);
      const off = onBmcRequest(bmc, (req, b) => {
        if (matches(req, b)) b.setFaults({ failNext: 1, errorStatus: 500 });
      });
      return async () => {
        off();
        clearFaults(bmc);
      };
    };
  }

  /**
   * Stops leaf1's sshd now, or (`during: 'install'`) when web1's BMC gets the installer's power on, and starts it
   * again as soon as the engine journals the step failed, so the undo (ports back to quarantine) reaches the
   * switch on one of its retries.
   */
  function switchDown(step: string, during?: 'install'): () => Promise<Disarm> {
    return async () => {
      let restart: (() => Promise<void>) | undefined;
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= e2e.lab.stopLeafSshd(LEAF).then((r) => void (restart = r)));
      let unhook = (): void => undefined;
      if (during === 'install') {
        const bmc = e2e.lab.bmc(SERVER);
        unhook = onBmcRequest(bmc, (req) => {
          if (resetType(req) === 'On' && bmc.state.boot.target === 'Cd') void stop();
        });
      } else {
        await stop();
      }
      const watch = e2e.whenStepFails('instance.create', step, async () => {
        await stopping;
        await restart?.();
      });
      return async () => {
        unhook();
        watch.stop();
        await watch.fired;
        await stopping;
        await restart?.();
      };
    };
  }

  const cases: FailureCase[] = [
    { step: 'ports-provisioning', how: 'switch disconnect', device: LEAF, power: 'on', arm: switchDown('ports-provisioning') },
    { step: 'install', how: 'BMC 500 on InsertMedia', device: `bmc:${SERVER}`, power: 'on', arm: bmc500((r) => r.method === 'POST' && /InsertMedia$/.test(r.path)) },
    { step: 'ports-tenancy', how: 'switch disconnect during the install', device: LEAF, power: 'on', arm: switchDown('ports-tenancy', 'install') },
    {
      step: 'disk-boot', how: 'BMC 500 on the Hdd boot override', device: `bmc:${SERVER}`, power: 'on',
      arm: bmc500((r) => r.method === 'PATCH' && (r.body as { Boot?: { BootSourceOverrideTarget?: string } } | undefined)?.Boot?.BootSourceOverrideTarget === 'Hdd'),
    },
    {
      step: 'os-configure', how: 'OS unreachable (blackholed)', device: `os:${SERVER}`, power: 'on',
      arm: async () => e2e.lab.blackholeServer(SERVER),
    },
    { step: 'power-state', how: 'BMC 500 on GracefulShutdown', device: `bmc:${SERVER}`, power: 'off', arm: bmc500((r) => resetType(r) === 'GracefulShutdown') },
  ];

  test.each(cases.map((c) => [c.step, c.how, c] as const))('failure at %s (%s): no orphan, step and device named, re-apply converges', async (_step, _how, c) => {
    e2e.write(instanceConfig(c.power));
    const disarm = await c.arm();
    let res;
    try {
      res = await e2e.tf(...apply);
    } finally {
      await disarm();
    }
    expect(res.code).toBe(1);
    const err = oneLine(res.stderr);
    expect(err).toContain(`step "${c.step}"`);
    expect(err).toContain(c.device);
    await expectNothingLeft();
    await convergeAndRemove(c.power);
  });

  /** Makes web1's installer hang (never powers off) until the returned function is called. */
  function hangInstaller(): () => void {
    const bmc = e2e.lab.bmc(SERVER);
    bmc.state.installFault = 'hang';
    return () => void (bmc.state.installFault = undefined);
  }

  /** The cancelled create's job finished compensating, named as cancelled; nothing is left. */
  async function expectCompensated(): Promise<void> {
    const job = await e2e.settled('instance.create');
    expect([job?.state, job?.cancelRequested ?? job?.error]).toEqual(['failed', expect.stringMatching(/cancel|deadline/i)]);
    await expectNothingLeft();
  }

  test('timeouts { create } too short (installer hangs): terraform fails naming the timeout, nothing is left, the next apply converges', async () => {
    e2e.write(instanceConfig('on', '  timeouts { create = "3s" }'));
    const release = hangInstaller();
    let res;
    try {
      res = await e2e.tf(...apply);
      await expectCompensated();
    } finally {
      release();
    }
    expect(res.code).toBe(1);
    expect(oneLine(res.stderr)).toMatch(/Instance create cancelled.*create timeout \(3s\) passed/);
    e2e.write(instanceConfig('on'));
    await convergeAndRemove('on');
  });

  test('SIGINT to terraform during the install: terraform exits, the instance is absent or tainted, doctor clean, next apply converges', async () => {
    e2e.write(instanceConfig('on'));
    const bmc = e2e.lab.bmc(SERVER);
    const release = hangInstaller();
    let res;
    try {
      const installsBefore = bmc.state.installs.length;
      const run = e2e.spawnTf(...apply);
      while (bmc.state.installs.length === installsBefore && run.child.exitCode === null) await sleep(50);
      run.child.kill('SIGINT');
      res = await run.done;
      await expectCompensated();
    } finally {
      release();
    }
    expect(res.code).toBe(1);
    expect(oneLine(res.stdout + res.stderr)).toMatch(/Interrupt received.*Instance create cancelled/);
    await convergeAndRemove('on');
  });

  test('clean up: destroy everything, doctor clean', async () => {
    await e2e.ok(['destroy', '-input=false', '-no-color', '-auto-approve']);
    expect((await e2e.doctor()).findings).toEqual([]);
    expect(await e2e.lab.portsOutOfQuarantine()).toEqual([]);
  });
});
