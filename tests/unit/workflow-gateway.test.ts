// SwitchGateway's kept sessions over in-memory switches: which errors end a session, the one reconnect, the session
// limit across switches (least recently used kept session closes first), idleMs 0 and close().

import { DeviceError, type SwitchEndpoint } from '../../engine/src/drivers/switch/driver';
import { SwitchGateway, type SwitchGatewayOptions } from '../../engine/src/workflow/switch-gateway';
import { FakeSwitch } from './engine-fake-switch';

const PORTS = ['Ethernet1', 'Ethernet2'];
const dropped = () => new DeviceError('leaf: the SSH connection closed', 'leaf', true);

let fakes: Map<string, FakeSwitch>;
let gateway: SwitchGateway;

function start(ids: string[], opts: Partial<SwitchGatewayOptions>): void {
  fakes = new Map(ids.map((id) => [id, new FakeSwitch(id, PORTS, 999)]));
  const endpoint = (id: string): SwitchEndpoint => ({ id, dialect: 'eos', host: '127.0.0.1', port: 22, username: 'admin', password: 'pass' });
  gateway = new SwitchGateway((id) => fakes.get(id)!.connect(endpoint(id)), { windowMs: 1, ...opts });
}
afterEach(() => gateway.close());

const fake = (id: string) => fakes.get(id)!;
/** Sessions each switch has open right now. */
const open = () => Object.fromEntries([...fakes].map(([id, f]) => [id, f.openSessions]));
const logins = (id: string) => fake(id).endpoints.length;
const read = (id: string, port = 'Ethernet1') => gateway.readPort(id, port);
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

test('with idleMs 0 (the library default) every batch closes its session', async () => {
  start(['leaf1'], {});
  for (let i = 0; i < 3; i++) await read('leaf1');
  expect(logins('leaf1')).toBe(3);
  expect(open()).toEqual({ leaf1: 0 });
});

test('a refusal by the device (unknown port) fails its caller only and keeps the session', async () => {
  start(['leaf1'], { idleMs: 10_000 });
  const [bad, good] = await Promise.all([failure(read('leaf1', 'Ethernet99')), read('leaf1', 'Ethernet2')]);
  expect(bad).toMatchObject({ name: 'DeviceError', retryable: false, message: 'interface Ethernet99 does not exist' });
  expect(good).toEqual(fake('leaf1').ports.get('Ethernet2'));
  await read('leaf1');
  expect(logins('leaf1')).toBe(1);
  expect(open()).toEqual({ leaf1: 1 });
});

test('a fresh session that fails retryably is closed, not retried: the executor decides', async () => {
  start(['leaf1'], { idleMs: 10_000 });
  fake('leaf1').failOn = { method: 'readPorts', error: dropped() };
  expect(await failure(read('leaf1'))).toMatchObject({ retryable: true });
  expect(logins('leaf1')).toBe(1);
  expect(open()).toEqual({ leaf1: 0 });
});

test.each([
  ['a read', (): Promise<unknown> => read('leaf1'), 'readPorts' as const],
  ['a write', (): Promise<unknown> => gateway.writePort('leaf1', 'Ethernet1', { ...fake('leaf1').ports.get('Ethernet1')!, description: 'web' }), 'listVlans' as const],
])('%s on a kept session that broke runs once more on a new session, and no more', async (_name, call, method) => {
  start(['leaf1'], { idleMs: 10_000 });
  await read('leaf1');
  fake('leaf1').failOn = { method, error: dropped() };
  expect(await failure(call())).toMatchObject({ retryable: true });
  expect(logins('leaf1')).toBe(2);
  expect(open()).toEqual({ leaf1: 0 });
  fake('leaf1').failOn = null;
  await call();
  expect(logins('leaf1')).toBe(3);
});

test('kept sessions count against maxSessions: a switch that needs one closes the least recently used', async () => {
  start(['leaf1', 'leaf2', 'leaf3'], { idleMs: 10_000, maxSessions: 2 });
  await read('leaf1');
  await read('leaf2');
  await read('leaf3');
  expect(open()).toEqual({ leaf1: 0, leaf2: 1, leaf3: 1 });
  await read('leaf2'); // reused: leaf3's session is now the least recently used
  await read('leaf1');
  expect(open()).toEqual({ leaf1: 1, leaf2: 1, leaf3: 0 });
  expect(gateway.stats.sessions).toBe(4);
});

test('close() closes every kept session, and later batches keep none', async () => {
  start(['leaf1', 'leaf2'], { idleMs: 10_000 });
  await Promise.all([read('leaf1'), read('leaf2')]);
  expect(open()).toEqual({ leaf1: 1, leaf2: 1 });
  await gateway.close();
  expect(open()).toEqual({ leaf1: 0, leaf2: 0 });
  await read('leaf1');
  expect(open()).toEqual({ leaf1: 0, leaf2: 0 });
});
