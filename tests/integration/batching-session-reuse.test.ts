// Session reuse in the switch gateway against an EOS simulator: sequential waves of reads (terraform's refresh) share
// one kept SSH session, still read the device each time, and a session the switch dropped is replaced for the next wave.

import { type PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { SwitchGateway } from '../../engine/src/workflow/switch-gateway';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const IDLE_MS = 400;
const PORTS = Array.from({ length: 20 }, (_, i) => `Ethernet${i + 1}`);
const WAVE = 10;
const access = (vlan: number, description: string): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 9000, description, adminState: 'up' });

let sim: SwitchSimulator;
let gateway: SwitchGateway;
/** Gateway sessions closed so far (idle, broken or shut down). */
let closed: number;

beforeAll(async () => {
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: PORTS, username: 'admin', password: 'sim-pass', commandDelayMs: 1 });
});
afterAll(() => sim?.close());

beforeEach(() => {
  sim.setFaults({ commandDelayMs: 1 });
  closed = 0;
  gateway = new SwitchGateway(async (id) => {
    const driver = await connectSwitch({ id, dialect: 'eos', host: sim.host, port: sim.port, username: 'admin', password: 'sim-pass', hostKeyFingerprint: sim.hostKeyFingerprint });
    const close = driver.close.bind(driver);
    driver.close = () => ((closed += 1), close());
    return driver;
  }, { windowMs: 10, idleMs: IDLE_MS });
});
afterEach(() => gateway.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ports wave n reads: WAVE of them, as terraform's refresh reads with -parallelism=10. */
const waveOf = (n: number) => Array.from({ length: WAVE }, (_, i) => PORTS[(n * WAVE + i) % PORTS.length]);

/** Reads wave n's ports at once and checks every answer against the device's state. */
async function wave(n: number): Promise<Map<string, PortConfig>> {
  const ports = waveOf(n);
  const read = await Promise.all(ports.map((port) => gateway.readPort('leaf1', port)));
  ports.forEach((port, i) => expect(read[i]).toEqual(sim.state.port(port)));
  return new Map(ports.map((port, i) => [port, read[i]]));
}

/** Changes the port's description on the switch itself, behind the engine's back. */
function drift(port: string, description: string): void {
  sim.state.setPort(port, { ...sim.state.port(port), description });
}

/** Simulator sessions opened while `work` runs. */
async function sessionsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = sim.stats.sessions;
  await work();
  return sim.stats.sessions - before;
}

/** The simulator's number for the session that received the newest command. */
const lastSession = () => sim.commandLog.at(-1)!.session;

test('sequential waves within the idle period share one session, and each wave reads the device (drift between waves is seen)', async () => {
  const opened = await sessionsDuring(async () => {
    for (let n = 0; n < 6; n++) {
      const [first] = waveOf(n);
      drift(first, `changed by hand before wave ${n}`);
      expect((await wave(n)).get(first)?.description).toBe(`changed by hand before wave ${n}`);
      await sleep(IDLE_MS / 4);
    }
  });
  expect(opened).toBe(1);
  expect(closed).toBe(0);
  expect(gateway.stats).toMatchObject({ sessions: 1, batches: 6, reads: 6 * WAVE });
});

test('after the idle period the session is closed, and the next wave opens a new one', async () => {
  expect(await sessionsDuring(() => wave(0))).toBe(1);
  const kept = lastSession();
  await sleep(IDLE_MS * 2);
  expect(closed).toBe(1);
  expect(await sessionsDuring(() => wave(1))).toBe(1);
  expect(lastSession()).not.toBe(kept);
});

test('writes and reads of consecutive batches share the kept session; writes are still applied, saved and read back', async () => {
  const configs = PORTS.slice(0, 4).map((_, i) => access(200 + i, `web-${i}`));
  const opened = await sessionsDuring(async () => {
    await wave(0);
    const written = await Promise.all(configs.map((config, i) => gateway.writePort('leaf1', PORTS[i], config)));
    expect(written).toEqual(configs);
    await wave(0);
  });
  expect(opened).toBe(1);
  configs.forEach((config, i) => expect(sim.state.port(PORTS[i])).toEqual(config));
  expect(sim.state.savedMatchesRunning()).toBe(true);
});

test('a kept session the switch drops is replaced transparently: the next wave gets its answers on a new session', async () => {
  await wave(0);
  const kept = lastSession();
  // The kept session's next command makes the switch drop it; a new session's first WAVE + setup commands pass.
  const sent = sim.commandLog.filter((c) => c.session === kept).length;
  sim.setFaults({ commandDelayMs: 1, disconnectAfterCommands: sent });
  drift('Ethernet12', 'changed while the session idled');
  let read = new Map<string, PortConfig>();
  expect(await sessionsDuring(async () => (read = await wave(1)))).toBe(1);
  expect(read.get('Ethernet12')?.description).toBe('changed while the session idled');
  expect(lastSession()).not.toBe(kept);
  expect(closed).toBe(1);
  sim.setFaults({ commandDelayMs: 1 });
  // The replacement is kept in turn.
  expect(await sessionsDuring(() => wave(0))).toBe(0);
});

test('when the reconnect fails too, every caller of the wave gets the retryable error (one reconnect, no more)', async () => {
  await wave(0);
  sim.setFaults({ commandDelayMs: 1, disconnectAfterCommands: 0 });
  let errors: unknown[] = [];
  expect(await sessionsDuring(async () => {
    errors = await Promise.all(PORTS.slice(0, WAVE).map((port) => gateway.readPort('leaf1', port).then(() => null, (e) => e)));
  })).toBe(1);
  for (const err of errors) expect(err).toMatchObject({ name: 'DeviceError', retryable: true });
  expect(errors[0]).toBeInstanceOf(DeviceError);
  // A broken session is never kept: once the switch behaves, the next wave logs in afresh.
  sim.setFaults({ commandDelayMs: 1 });
  expect(await sessionsDuring(() => wave(1))).toBe(1);
});

test('close() ends the kept session at once, and batches after it keep none', async () => {
  await wave(0);
  await gateway.close();
  expect(closed).toBe(1);
  expect(await sessionsDuring(() => wave(1))).toBe(1);
  expect(closed).toBe(2);
  expect(await sessionsDuring(() => wave(0))).toBe(1);
});
