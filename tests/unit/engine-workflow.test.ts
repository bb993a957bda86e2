// Workflow: the executor journals each step before running it, fails jobs naming the step, undoes newest first; port jobs; locks.

import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { ViolationsError } from '../../engine/src/domain/violations-error';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { JobDeadlineError, JobFailedError, runJob, type Step } from '../../engine/src/workflow/executor';
import { KeyedLock } from '../../engine/src/workflow/keyed-lock';
import { portJob, vlansOf, type PortJobContext } from '../../engine/src/workflow/port-configure';
import { SwitchSession } from '../../engine/src/workflow/switch-session';
import { FakeSwitch } from './engine-fake-switch';

let store: SqliteStore;
beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(() => store.close());

const stepSummary = async (jobId: string) => (await store.getJob(jobId))!.steps.map((s) => `${s.name}:${s.state}`);

async function failure(run: Promise<unknown>): Promise<JobFailedError> {
  const err = await run.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(JobFailedError);
  return err as JobFailedError;
}

describe('runJob', () => {
  test('each step is journaled as running before it does its work', async () => {
    const seenStates: string[] = [];
    const step = (name: string): Step<null> => ({
      name,
      device: 'leaf1',
      do: async () => {
        const job = await store.listJobs(1);
        seenStates.push(job[0].steps.map((s) => `${s.name}:${s.state}`).join(' '));
        return `${name} ok`;
      },
    });
    const id = await runJob(store, { kind: 'test', input: { a: 1 }, timeoutMs: 1000, steps: [step('one'), step('two')] }, null);
    expect(seenStates).toEqual(['one:running', 'one:done two:running']);
    const job = (await store.getJob(id))!;
    expect(job).toMatchObject({ kind: 'test', state: 'succeeded', error: null, input: { a: 1 } });
    expect(job.steps.map((s) => s.detail)).toEqual(['one ok', 'two ok']);
    expect(job.finishedAt).not.toBeNull();
  });

  test('a failing step leaves a failed job naming the step and device; later steps never run', async () => {
    const ran: string[] = [];
    const steps: Step<null>[] = [
      { name: 'connect', device: 'leaf1', do: async () => void ran.push('connect') },
      { name: 'configure', device: 'leaf1', do: async () => { throw new DeviceError('% Invalid input', 'leaf1', false); } },
      { name: 'save', device: 'leaf1', do: async () => void ran.push('save') },
    ];
    const err = await failure(runJob(store, { kind: 'test', input: null, timeoutMs: 1000, steps }, null));
    expect(ran).toEqual(['connect']);
    expect(err.step).toBe('configure');
    expect(err.cause).toBeInstanceOf(DeviceError);
    const job = (await store.getJob(err.jobId))!;
    expect(job.state).toBe('failed');
    expect(job.error).toBe('step "configure" on leaf1 failed: % Invalid input');
    expect(await stepSummary(err.jobId)).toEqual(['connect:done', 'configure:failed']);
    expect(job.steps[1].detail).toBe('% Invalid input');
  });

  test('completed steps are undone newest first, each undo journaled', async () => {
    const undone: string[] = [];
    const undoable = (name: string): Step<null> => ({ name, device: null, do: async () => {}, undo: async () => void undone.push(name) });
    const steps: Step<null>[] = [
      undoable('a'),
      { name: 'no-undo', device: null, do: async () => {} },
      undoable('b'),
      { name: 'boom', device: null, do: async () => { throw new Error('nope'); } },
    ];
    const err = await failure(runJob(store, { kind: 'test', input: null, timeoutMs: 1000, steps }, null));
    expect(undone).toEqual(['b', 'a']);
    expect(err.message).toBe('step "boom" failed: nope (undone: b, a)');
    expect(await stepSummary(err.jobId)).toEqual(['a:undone', 'no-undo:done', 'b:undone', 'boom:failed', 'undo b:done', 'undo a:done']);
  });

  test('a failing undo is journaled and the other undos still run', async () => {
    const steps: Step<null>[] = [
      { name: 'a', device: null, do: async () => {}, undo: async () => 'a back' },
      { name: 'b', device: null, do: async () => {}, undo: async () => { throw new Error('undo broke'); } },
      { name: 'c', device: null, do: async () => { throw new Error('c broke'); } },
    ];
    const err = await failure(runJob(store, { kind: 'test', input: null, timeoutMs: 1000, steps }, null));
    expect(err.undone).toEqual(['a']);
    expect(await stepSummary(err.jobId)).toEqual(['a:undone', 'b:done', 'c:failed', 'undo b:failed', 'undo a:done']);
  });

  test('a step that outlives the job deadline fails the job', async () => {
    const steps: Step<null>[] = [{ name: 'slow', device: 'leaf1', do: () => new Promise((r) => setTimeout(r, 500)) }];
    const err = await failure(runJob(store, { kind: 'test', input: null, timeoutMs: 20, steps }, null));
    expect(err.cause).toBeInstanceOf(JobDeadlineError);
    expect(err.message).toContain('did not finish within the job\'s 0.02s deadline');
  });
});

describe('KeyedLock', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('runs work for one key one at a time, in call order, even when one fails', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (name: string, fail = false) => lock.run('leaf1', async () => {
      events.push(`start ${name}`);
      await sleep(10);
      events.push(`end ${name}`);
      if (fail) throw new Error(name);
    });
    const results = await Promise.allSettled([work('a', true), work('b'), work('c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  test('different keys run concurrently', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (key: string) => lock.run(key, async () => {
      events.push(`start ${key}`);
      await sleep(10);
      events.push(`end ${key}`);
    });
    await Promise.all([work('leaf1'), work('leaf2')]);
    expect(events.slice(0, 2)).toEqual(['start leaf1', 'start leaf2']);
  });
});

describe('portJob', () => {
  const access10: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'web-1 eth0', adminState: 'up' };
  const trunk: PortConfig = { mode: 'trunk', accessVlan: null, allowedVlans: [20, 30], nativeVlan: 30, mtu: 9000, description: '', adminState: 'up' };

  function setup() {
    const sw = new FakeSwitch('leaf1', ['Ethernet1'], 999);
    const ctx: PortJobContext = { session: new SwitchSession(() => sw.connect({ id: 'leaf1', dialect: 'eos', host: 'h', port: 22, username: 'u', password: 'p' })) };
    const run = (config: PortConfig, descriptionMax = 240) =>
      runJob(store, portJob({ kind: 'port.configure', switchId: 'leaf1', port: 'Ethernet1', config, descriptionMax, timeoutMs: 1000 }), ctx);
    return { sw, ctx, run };
  }

  test.each([
    ['access', access10, [10]],
    ['trunk with native', trunk, [20, 30]],
    ['quarantine', quarantineConfig(999), [999]],
  ])('vlansOf %s', (_name, cfg, vlans) => {
    expect(vlansOf(cfg)).toEqual(vlans);
  });

  test('reads, creates missing VLANs, configures, saves and verifies, in that order, in one session', async () => {
    const { sw, ctx, run } = setup();
    const id = await run(access10);
    expect(sw.calls).toEqual(['readPorts Ethernet1', 'listVlans', 'ensureVlan 10', 'configurePorts Ethernet1', 'save', 'readPorts Ethernet1']);
    expect(sw.endpoints).toHaveLength(1);
    expect(sw.ports.get('Ethernet1')).toEqual(access10);
    expect(ctx.before).toEqual(quarantineConfig(999));
    expect(ctx.after).toEqual(access10);
    expect(await stepSummary(id)).toEqual(['validate:done', 'read-current:done', 'ensure-vlans:done', 'configure:done', 'save:done', 'verify:done']);
  });

  test('an invalid config fails at validate without touching the device', async () => {
    const { sw, run } = setup();
    const err = await failure(run({ ...access10, description: 'far too long' }, 5));
    expect(err.cause).toBeInstanceOf(ViolationsError);
    expect((err.cause as ViolationsError).violations).toEqual([{ field: 'description', reason: 'description is 12 characters; this switch allows at most 5' }]);
    expect(sw.calls).toEqual([]);
  });

  test('a read-back mismatch fails verify with both configs, restores the previous config and saves it', async () => {
    const { sw, run } = setup();
    sw.mangle = (cfg) => ({ ...cfg, description: cfg.description.slice(0, 3) });
    const err = await failure(run(access10));
    expect(err.step).toBe('verify');
    expect(err.message).toContain('applied {"mode":"access","accessVlan":10,"allowedVlans":null,"nativeVlan":null,"mtu":9000,"description":"web-1 eth0","adminState":"up"}');
    expect(err.message).toContain('device has {"mode":"access","accessVlan":10,"allowedVlans":null,"nativeVlan":null,"mtu":9000,"description":"web","adminState":"up"}');
    expect(err.undone).toEqual(['configure']);
    expect(sw.ports.get('Ethernet1')).toEqual(quarantineConfig(999));
    expect(sw.saves).toBe(2);
    expect(await stepSummary(err.jobId)).toEqual([
      'validate:done', 'read-current:done', 'ensure-vlans:done', 'configure:undone', 'save:done', 'verify:failed', 'undo configure:done',
    ]);
  });

  test('a connection failure is journaled against the first device step', async () => {
    const ctx: PortJobContext = { session: new SwitchSession(() => Promise.reject(new DeviceError('leaf1: connection refused', 'leaf1', true))) };
    const err = await failure(runJob(store, portJob({ kind: 'port.configure', switchId: 'leaf1', port: 'Ethernet1', config: access10, descriptionMax: 240, timeoutMs: 1000 }), ctx));
    expect(err.step).toBe('read-current');
    expect(err.message).toBe('step "read-current" on leaf1 failed: leaf1: connection refused');
  });
});
