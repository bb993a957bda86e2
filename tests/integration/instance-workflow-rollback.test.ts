// Integration: instance.create failing at each step (BMC answering HTTP 500, a switch dropping the session, the OS
// unreachable, the installer hanging or installing nothing) or cancelled mid-install is rolled back: the error names
// the step and the device, the server is available again (its drives erased once the install started), the ports are
// back in quarantine and unowned, the address is free, the instance is `failed` saying why, and the doctor finds nothing.

import { quarantineConfig } from '../../engine/src/domain/port-config';
import type { JournalJob } from '../../engine/src/store/job-journal';
import type { InstanceCreateInput } from '../../engine/src/workflow/instance-create';
import { PROVISIONING, QUARANTINE, startInstanceLab, type InstanceLab } from './instance-workflow-lab';

jest.setTimeout(120_000);

const isRoot = process.getuid?.() === 0;
const describeAsRoot = isRoot ? describe : describe.skip;

let lab: InstanceLab;

beforeAll(async () => {
  if (isRoot) lab = await startInstanceLab();
});

afterAll(async () => {
  await lab?.close();
});

beforeEach(() => lab?.resetDevices());

const HTTP_500 = { failNext: 1, errorStatus: 500 };

interface Case {
  /** The step that fails. */
  step: string;
  /** The device the error names (none for store-only steps). */
  device: string | null;
  /** What the error says after the step and device. */
  says: RegExp;
  /** Whether the install started, so the drives must have been erased. */
  installed: boolean;
  input?: Partial<InstanceCreateInput>;
  arrange?(lab: InstanceLab): void | Promise<void>;
  restore?(lab: InstanceLab): void | Promise<void>;
}

const cases: Array<[string, Case]> = [
  ['a pinned server that does not exist', { step: 'allocate-server', device: null, says: /no server "srv-9" in inventory/, installed: false, input: { serverId: 'srv-9' } }],
  ['a tenancy without a network', { step: 'allocate-ip', device: null, says: /^tenancy tn-none has no network$/, installed: false, input: { tenancyId: 'tn-none' } }],
  ['the switch drops the session while the ports go to provisioning', {
    step: 'ports-provisioning', device: 'leaf1', says: /^port leaf1\/Ethernet[12] \(NIC eth[01]\): /, installed: false,
    arrange: (l) => l.leaf.setFaults({ disconnectOnCommand: new RegExp(`^switchport access vlan ${PROVISIONING}$`) }),
  }],
  ['the BMC answers HTTP 500 to the virtual media insert', {
    step: 'install', device: 'bmc:srv-1', says: /HTTP 500/, installed: true, arrange: (l) => l.armBmc('srv-1', 'insert', HTTP_500),
  }],
  ['the installer never powers the server off', {
    step: 'install', device: 'bmc:srv-1', says: /^the installer of image "debian-12" did not power srv-1 off within 1 s \(install_timeout_s\); power is On$/, installed: true,
    arrange: (l) => void (l.bmcs.get('srv-1')!.state.installFault = 'hang'),
    input: { image: { name: 'debian-12', url: 'https://images.example/debian-12.iso', installTimeoutS: 1 } },
  }],
  ['the switch drops the session while the ports go to the tenancy', {
    step: 'ports-tenancy', device: 'leaf1', says: /^port leaf1\/Ethernet[12] \(NIC eth[01]\): /, installed: true,
    arrange: (l) => l.leaf.setFaults({ disconnectOnCommand: new RegExp(`^switchport access vlan ${l.tenancies.web.vlan}$`) }),
  }],
  ['the BMC answers HTTP 500 to the disk boot override', {
    step: 'disk-boot', device: 'bmc:srv-1', says: /HTTP 500/, installed: true, arrange: (l) => l.armBmc('srv-1', 'boot Hdd', HTTP_500),
  }],
  ['the OS does not answer SSH', {
    step: 'os-configure', device: 'os:srv-1', says: /^srv-1: not reachable over SSH within \d+ s \(1 slice of the reachability wait\); the last try: 127\.0\.0\.1:\d+ was not reachable/, installed: true,
    arrange: async (l) => {
      l.reachability.timeoutMs = 1_000;
      await l.stopOs();
    },
    restore: async (l) => {
      l.reachability.timeoutMs = 10_000;
      await l.startOs();
    },
  }],
  ['the installer powered off without installing the image', {
    step: 'os-configure', device: 'os:srv-1', says: /^srv-1: \/.*\/etc\/maestro\/image is missing or empty: the installer of image "debian-12" did not record an install$/, installed: true,
    arrange: (l) => void (l.bmcs.get('srv-1')!.state.installFault = 'fail'),
  }],
  ['the BMC answers HTTP 500 to the shutdown', {
    step: 'power-state', device: 'bmc:srv-1', says: /HTTP 500/, installed: true, input: { powerState: 'off' },
    arrange: (l) => l.armBmc('srv-1', 'power GracefulShutdown', HTTP_500),
  }],
];

/** Everything the failed create must have left behind: nothing but a `failed` instance saying why. */
async function expectRolledBack(job: JournalJob, input: InstanceCreateInput, c: Case): Promise<void> {
  const where = c.device ? ` on ${c.device}` : '';
  expect(job.state).toBe('failed');
  expect(job.error!.startsWith(`step "${c.step}"${where} failed: `)).toBe(true);
  expect(job.error!.slice(`step "${c.step}"${where} failed: `.length).replace(/ \(undone: [^)]*\)$/, '')).toMatch(c.says);
  expect(await lab.store.instances.getInstance(input.instanceId)).toMatchObject({
    state: 'failed', serverId: null, ipAddress: null, stateReason: expect.stringContaining(`step "${c.step}"`),
  });
  expect(await lab.store.allocation.getServer('srv-1')).toMatchObject({ state: 'available', owner: null, tenancyId: null, needsCleaning: false });
  expect(await lab.store.allocation.listIps()).toEqual([]);
  for (const port of ['Ethernet1', 'Ethernet2']) {
    expect(lab.leaf.state.port(port)).toEqual(quarantineConfig(QUARANTINE));
    expect((await lab.store.getPort('leaf1', port))!.owner).toBeNull();
  }
  const bmc = lab.bmcs.get('srv-1')!.state;
  expect(bmc.powerState).toBe('Off');
  expect(bmc.media.inserted).toBe(false);
  expect([...bmc.drives.values()].map((d) => d.erased)).toEqual(c.installed ? [true, true] : [false, false]);
  expect(await lab.doctor()).toEqual([]);
}

describeAsRoot('instance.create failing at each step is rolled back, leaving no orphans', () => {
  test.each(cases)('%s', async (_name, c) => {
    const input = await lab.newInstance({ serverId: 'srv-1', sshAuthorizedKeys: [lab.clientKey.publicKey], ...c.input });
    await c.arrange?.(lab);
    let job: JournalJob;
    try {
      job = await lab.runJob('instance.create', input);
    } finally {
      await c.restore?.(lab);
      lab.leaf.setFaults({});
    }
    await expectRolledBack(job, input, c);
  });
});

describeAsRoot('cancel and undo failures', () => {
  test('a cancel while the installer runs stops waiting, interrupts it and rolls everything back', async () => {
    const sim = lab.bmcs.get('srv-1')!;
    sim.state.installFault = 'hang';
    const input = await lab.newInstance({ serverId: 'srv-1' });
    const { jobId, outcome } = await lab.workflow.executor.start('instance.create', input, { who: 'test' });
    await until(() => sim.state.installs.some((i) => i.outcome === 'running'));
    await lab.workflow.executor.cancel(jobId, 'user pressed Ctrl-C');
    const end = await outcome;
    expect(end.state).toBe('failed');
    const job = (await lab.store.journal.getJob(jobId))!;
    expect(job.error).toMatch(/^step "install" on bmc:srv-1 failed: cancelled: user pressed Ctrl-C \(undone: install, ports-provisioning, allocate-ip, allocate-server\)$/);
    expect(sim.state.installs.map((i) => i.outcome)).toEqual(['interrupted']);
    await expectRolledBack(job, input, { step: 'install', device: 'bmc:srv-1', says: /^cancelled: user pressed Ctrl-C$/, installed: true });
  });

  test('an undo that fails for good puts the server into maintenance and the instance says why', async () => {
    const sim = lab.bmcs.get('srv-1')!;
    // The disk boot fails; from then on every secure erase too (only the undo of install erases).
    lab.armBmc('srv-1', 'boot Hdd', { ...HTTP_500, failPath: /\/Actions\/Drive\.SecureErase$/ });
    const input = await lab.newInstance({ serverId: 'srv-1' });
    const job = await lab.runJob('instance.create', input);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^step "disk-boot" on bmc:srv-1 failed: .*HTTP 500/);
    const server = (await lab.store.allocation.getServer('srv-1'))!;
    expect(server).toMatchObject({ state: 'maintenance', owner: null, needsCleaning: true, stateReason: expect.stringMatching(/^undo of "install" failed: .*HTTP 500/) });
    expect(await lab.store.instances.getInstance(input.instanceId)).toMatchObject({
      state: 'failed', serverId: null, stateReason: expect.stringMatching(/^step "disk-boot" on bmc:srv-1 failed: .*; released srv-1 \(not erased: maintenance \(undo of "install" failed: /),
    });
    for (const port of ['Ethernet1', 'Ethernet2']) expect((await lab.store.getPort('leaf1', port))!.owner).toBeNull();
    expect(await lab.doctor()).toEqual([]);
  });
});

async function until(probe: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
