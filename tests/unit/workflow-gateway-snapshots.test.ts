// SwitchGateway over in-memory switches: batches start at once on a kept session and requests arriving meanwhile form
// the next batch; one client's reads share a whole-switch read (its snapshot), which no other client sees and any
// write drops.

import type { PortConfig } from '../../engine/src/domain/port-config';
import type { SwitchEndpoint } from '../../engine/src/drivers/switch/driver';
import { SwitchGateway, type SnapshotRead, type SwitchGatewayOptions } from '../../engine/src/workflow/switch-gateway';
import { FakeSwitch } from './engine-fake-switch';

const PORTS = Array.from({ length: 8 }, (_, i) => `Ethernet${i + 1}`);
const access = (vlan: number, description: string): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 1500, description, adminState: 'up' });

let leaf: FakeSwitch;
let gateway: SwitchGateway;

function start(opts: Partial<SwitchGatewayOptions>): void {
  leaf = new FakeSwitch('leaf1', PORTS, 999);
  const endpoint: SwitchEndpoint = { id: 'leaf1', dialect: 'eos', host: '127.0.0.1', port: 22, username: 'admin', password: 'pass' };
  gateway = new SwitchGateway(() => leaf.connect(endpoint), { windowMs: 1, idleMs: 10_000, snapshotMs: 10_000, ...opts });
}
afterEach(() => gateway.close());

/** What the gateway asked the device to read, one entry per readPorts call. */
const deviceReads = () => leaf.calls.filter((c) => c.startsWith('readPorts'));
/** A client whose whole switch is `ports`. */
const client = (name: string, ports = PORTS): SnapshotRead => ({ client: name, switchPorts: async () => ports });
const read = (port: string, by?: SnapshotRead) => gateway.readPort('leaf1', port, by);
const drift = (port: string, description: string) => leaf.ports.set(port, { ...leaf.ports.get(port)!, description });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('batching', () => {
  test('on a kept session a batch starts at once instead of waiting for the window', async () => {
    start({ windowMs: 300 });
    await read('Ethernet1'); // a new session: waits for the window, then is kept
    const halfWindow = sleep(150).then(() => 'half the window passed');
    expect(await Promise.race([read('Ethernet2').then(() => 'read'), halfWindow])).toBe('read');
  });

  test('requests arriving while a batch runs are served together in the next batch, as soon as it ends', async () => {
    start({});
    await read('Ethernet1'); // opens the session that is then kept
    leaf.delayMs = 30;
    const first = read('Ethernet1');
    await sleep(5); // the first batch is running now
    const later = [read('Ethernet2'), sleep(5).then(() => read('Ethernet3')), sleep(10).then(() => read('Ethernet4'))];
    await Promise.all([first, ...later]);
    expect(deviceReads().slice(1)).toEqual(['readPorts Ethernet1', 'readPorts Ethernet2,Ethernet3,Ethernet4']);
    expect(gateway.stats).toMatchObject({ sessions: 1, batches: 3 });
  });
});

describe('snapshots', () => {
  test("one client's reads of a switch are answered from one whole-switch read", async () => {
    start({});
    const plan = client('plan-1');
    const first = await Promise.all(PORTS.slice(0, 3).map((p) => read(p, plan)));
    const rest = await Promise.all(PORTS.slice(3).map((p) => read(p, plan)));
    expect([...first, ...rest]).toEqual(PORTS.map((p) => leaf.ports.get(p)));
    expect(deviceReads()).toEqual([`readPorts ${['Ethernet1', 'Ethernet2', 'Ethernet3', ...PORTS.slice(3)].join(',')}`]);
    expect(gateway.stats).toMatchObject({ reads: 8, snapshotReads: 5, sessions: 1 });
  });

  test('a read that takes a snapshot does not wait for the window, even on a new session', async () => {
    start({ windowMs: 600 });
    const halfWindow = sleep(300).then(() => 'half the window passed');
    expect(await Promise.race([read('Ethernet1', client('plan-1')).then(() => 'read'), halfWindow])).toBe('read');
  });

  test('reads queued behind the batch that takes the snapshot are answered from it', async () => {
    start({});
    leaf.delayMs = 20;
    const plan = client('plan-1');
    const first = read('Ethernet1', plan);
    await sleep(5);
    await Promise.all([first, read('Ethernet2', plan), read('Ethernet3', plan)]);
    expect(deviceReads()).toHaveLength(1);
    expect(gateway.stats).toMatchObject({ batches: 1, snapshotReads: 2 });
  });

  test("another client never gets the snapshot: a change made after it was taken shows in the other client's read", async () => {
    start({});
    await read('Ethernet1', client('plan-1'));
    drift('Ethernet5', 'changed by hand between two plans');
    expect((await read('Ethernet5', client('plan-2'))).description).toBe('changed by hand between two plans');
    expect((await read('Ethernet5', client('plan-1'))).description).toBe(''); // plan-1 saw the switch before the change
    expect(deviceReads()).toHaveLength(2);
  });

  test('reads without a client read the device every batch', async () => {
    start({});
    await read('Ethernet1');
    drift('Ethernet1', 'changed by hand');
    expect((await read('Ethernet1')).description).toBe('changed by hand');
    expect(deviceReads()).toEqual(['readPorts Ethernet1', 'readPorts Ethernet1']);
  });

  test("a write drops every client's snapshot of the switch: the next read sees the write and the drift next to it", async () => {
    start({});
    const plan = client('plan-1');
    await read('Ethernet1', plan);
    drift('Ethernet3', 'changed by hand');
    await gateway.writePort('leaf1', 'Ethernet2', access(20, 'web'));
    expect(await read('Ethernet2', plan)).toEqual(access(20, 'web'));
    expect((await read('Ethernet3', plan)).description).toBe('changed by hand');
  });

  test('a snapshot older than snapshotMs is not used', async () => {
    start({ snapshotMs: 20 });
    const plan = client('plan-1');
    await read('Ethernet1', plan);
    drift('Ethernet2', 'changed by hand');
    await sleep(40);
    expect((await read('Ethernet2', plan)).description).toBe('changed by hand');
    expect(deviceReads()).toHaveLength(2);
  });

  test('snapshotMs 0 turns snapshots off: only the requested ports are read', async () => {
    start({ snapshotMs: 0 });
    const plan = client('plan-1');
    await read('Ethernet1', plan);
    await read('Ethernet2', plan);
    expect(deviceReads()).toEqual(['readPorts Ethernet1', 'readPorts Ethernet2']);
  });

  test('when the whole-switch read fails (an inventory port the switch lacks), the requested ports are read alone, and the whole switch is not tried again within snapshotMs', async () => {
    start({});
    const plan = client('plan-1', [...PORTS, 'Ethernet99']);
    expect(await read('Ethernet1', plan)).toEqual(leaf.ports.get('Ethernet1'));
    expect(await read('Ethernet2', plan)).toEqual(leaf.ports.get('Ethernet2'));
    expect(deviceReads()).toEqual([`readPorts ${[...PORTS, 'Ethernet99'].join(',')}`, 'readPorts Ethernet1', 'readPorts Ethernet2']);
    expect(gateway.stats.snapshotReads).toBe(0);
  });
});
