// The durable executor: journal before/after each device call, retries, compensation, cancellation, deadlines,
// recovery of unfinished jobs by a fresh executor (a restarted engine), locks and pool limits.

import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { WorkflowExecutor } from '../../engine/src/workflow/executor';
import { JobFailedError } from '../../engine/src/workflow/job-errors';
import { JobKindRegistry, type JobKind, type RecoveryPolicy, type StepDef } from '../../engine/src/workflow/job-kind';

type Services = { log: string[] };
type Step = StepDef<{ n: number }, Services>;

let store: SqliteStore;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(() => store.close());

function executor(kinds: JobKind<any, Services>[], services: Services = { log: [] }, limits: Record<string, number> = {}) {
  return new WorkflowExecutor(store.journal, new JobKindRegistry(kinds), services, {
    defaultTimeoutMs: 10_000, log: quiet, limits, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, random: () => 0.5,
  });
}

const kind = (steps: Step[], recovery: RecoveryPolicy = 'resume', onUndoFailure?: JobKind<{ n: number }, Services>['onUndoFailure']): JobKind<{ n: number }, Services> => ({
  kind: 'test', recovery, parse: (raw) => raw as { n: number }, steps: () => steps, onUndoFailure,
});

/** A step that records do/undo in services.log. */
const recorded = (name: string, extra: Partial<Step> = {}): Step => ({
  name,
  device: () => 'dev1',
  do: async (ctx) => {
    ctx.services.log.push(`do ${name}`);
    return { detail: `${name} ok`, output: { from: name, n: ctx.input.n } };
  },
  undo: async (ctx) => void ctx.services.log.push(`undo ${name}`),
  ...extra,
});

const summary = async (id: string) => (await store.journal.getJob(id))!.steps.map((s) => `${s.name}:${s.state}${s.attempt > 1 ? `#${s.attempt}` : ''}`);

/** Resolves when `pred` holds, polling. */
async function until(pred: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('each step is journaled as running (with its attempt) before its device call, and done with its output after', async () => {
  const seen: string[] = [];
  const peek: Step = { name: 'peek', device: () => 'dev1', do: async (ctx) => void seen.push((await summary(ctx.jobId)).join(' ')) };
  const ex = executor([kind([recorded('one'), peek])]);
  const { jobId, outputs } = await ex.run('test', { n: 7 }, { who: 'alice' });
  expect(seen).toEqual(['one:done peek:running']);
  expect(outputs.one).toEqual({ from: 'one', n: 7 });
  const job = (await store.journal.getJob(jobId))!;
  expect(job).toMatchObject({ state: 'succeeded', who: 'alice', phase: 'forward', input: { n: 7 } });
  expect(job.steps[0]).toMatchObject({ name: 'one', state: 'done', attempt: 1, detail: 'one ok', device: 'dev1', output: { from: 'one', n: 7 } });
});

test('retryable errors are retried with backoff, each attempt journaled; others fail at once', async () => {
  let calls = 0;
  const flaky: Step = { name: 'flaky', device: () => 'leaf1', do: async () => {
    if (++calls < 3) throw new DeviceError('connection reset', 'leaf1', true);
    return 'third time lucky';
  } };
  const ex = executor([kind([flaky])]);
  const { jobId } = await ex.run('test', { n: 1 }, { who: 'a' });
  expect(calls).toBe(3);
  expect(await summary(jobId)).toEqual(['flaky:done#3']);

  const rejected: Step = { name: 'rejected', device: () => 'leaf1', do: async () => { calls++; throw new DeviceError('% Invalid input', 'leaf1', false); } };
  calls = 0;
  const err = await executor([kind([rejected])]).run('test', { n: 1 }, { who: 'a' }).catch((e) => e);
  expect(calls).toBe(1);
  expect(err).toBeInstanceOf(JobFailedError);
  expect(err.message).toBe('step "rejected" on leaf1 failed: % Invalid input');
});

test('a retryable error that persists fails after maxAttempts', async () => {
  let calls = 0;
  const down: Step = { name: 'down', device: () => 'bmc', do: async () => { calls++; throw Object.assign(new Error('503'), { retryable: true }); } };
  const err = await executor([kind([down])]).run('test', { n: 1 }, { who: 'a' }).catch((e) => e);
  expect(calls).toBe(3);
  expect((await store.journal.getJob(err.jobId))!.steps[0]).toMatchObject({ state: 'failed', attempt: 3, detail: '503' });
});

test('a failure undoes every started step newest first (the failed one too), each undo journaled', async () => {
  const services = { log: [] as string[] };
  const boom: Step = recorded('boom', { do: async (ctx) => { ctx.services.log.push('do boom'); throw new Error('nope'); } });
  const noUndo: Step = { name: 'no-undo', device: () => null, do: async () => undefined };
  const err = await executor([kind([recorded('a'), noUndo, recorded('b'), boom, recorded('never')])], services).run('test', { n: 1 }, { who: 'a' }).catch((e) => e);
  expect(services.log).toEqual(['do a', 'do b', 'do boom', 'undo boom', 'undo b', 'undo a']);
  expect(err.message).toBe('step "boom" on dev1 failed: nope (undone: boom, b, a)');
  expect(await summary(err.jobId)).toEqual(['a:undone', 'no-undo:done', 'b:undone', 'boom:undone', 'undo boom:done', 'undo b:done', 'undo a:done']);
  expect((await store.journal.getJob(err.jobId))!).toMatchObject({ state: 'failed', phase: 'compensating' });
});

test('an undo that fails for good is journaled, reported to the kind, and the other undos still run', async () => {
  const services = { log: [] as string[] };
  const stuck = recorded('stuck', { undo: async () => { throw new DeviceError('port is gone', 'leaf1', false); } });
  const failing: Step = { name: 'fail', device: () => null, do: async () => { throw new Error('later failure'); } };
  const k = kind([recorded('a'), stuck, failing], 'resume', async (ctx, step, error) => void ctx.services.log.push(`maintenance after ${step}: ${(error as Error).message}`));
  const err = await executor([k], services).run('test', { n: 1 }, { who: 'a' }).catch((e) => e);
  expect(services.log).toEqual(['do a', 'do stuck', 'maintenance after stuck: port is gone', 'undo a']);
  expect(await summary(err.jobId)).toEqual(['a:undone', 'stuck:done', 'fail:failed', 'undo stuck:failed', 'undo a:done']);
});

describe('recovery by a restarted engine', () => {
  /** Starts a job whose `blocked` step never returns (the engine "dies" there), and returns its id. */
  async function crashDuring(blockedIndex: number, names: string[]): Promise<string> {
    const steps = names.map((n, i) => (i === blockedIndex ? recorded(n, { do: () => new Promise(() => undefined) }) : recorded(n)));
    const { jobId } = await executor([kind(steps)]).start('test', { n: 3 }, { who: 'a' });
    await until(async () => (await summary(jobId)).includes(`${names[blockedIndex]}:running`));
    return jobId;
  }

  test('resume re-runs the step that was in flight (next attempt), then the rest', async () => {
    const jobId = await crashDuring(1, ['a', 'b', 'c']);
    const services = { log: [] as string[] };
    const fresh = executor([kind([recorded('a'), recorded('b'), recorded('c')])], services);
    expect(await fresh.recover()).toEqual([jobId]);
    await until(async () => (await store.journal.getJob(jobId))!.state === 'succeeded');
    expect(services.log).toEqual(['do b', 'do c']);
    expect(await summary(jobId)).toEqual(['a:done', 'b:done#2', 'c:done']);
  });

  test('a kind whose policy is compensate undoes the in-flight step and the done ones, newest first', async () => {
    const jobId = await crashDuring(1, ['a', 'b', 'c']);
    const services = { log: [] as string[] };
    await executor([kind([recorded('a'), recorded('b'), recorded('c')], 'compensate')], services).recover();
    await until(async () => (await store.journal.getJob(jobId))!.state === 'failed');
    expect(services.log).toEqual(['undo b', 'undo a']);
    const job = (await store.journal.getJob(jobId))!;
    expect(job.error).toMatch(/^the engine restarted while the job ran; "test" jobs are compensated on restart \(undone: b, a\)$/);
  });

  test('a job cancelled before the crash compensates even when its kind resumes', async () => {
    const jobId = await crashDuring(2, ['a', 'b', 'c']);
    await store.journal.requestCancel(jobId, 'operator said so');
    const services = { log: [] as string[] };
    await executor([kind([recorded('a'), recorded('b'), recorded('c')])], services).recover();
    await until(async () => (await store.journal.getJob(jobId))!.state === 'failed');
    expect(services.log).toEqual(['undo c', 'undo b', 'undo a']);
    expect((await store.journal.getJob(jobId))!.error).toContain('cancelled: operator said so');
  });

  test('a compensation interrupted by the crash continues where it stopped', async () => {
    const steps = [recorded('a'), recorded('b', { undo: () => new Promise(() => undefined) }), { name: 'x', device: () => null, do: async () => { throw new Error('x'); } } as Step];
    const { jobId } = await executor([kind(steps)]).start('test', { n: 1 }, { who: 'a' });
    await until(async () => (await summary(jobId)).includes('undo b:running'));
    const services = { log: [] as string[] };
    await executor([kind([recorded('a'), recorded('b'), steps[2]])], services).recover();
    await until(async () => (await store.journal.getJob(jobId))!.state === 'failed');
    expect(services.log).toEqual(['undo b', 'undo a']);
  });
});

test('cancel stops before the next step: the step in flight finishes, then everything is undone', async () => {
  const services = { log: [] as string[] };
  let release!: () => void;
  const slow = recorded('slow', { do: async (ctx) => { await new Promise<void>((r) => (release = r)); ctx.services.log.push('do slow'); } });
  const ex = executor([kind([recorded('a'), slow, recorded('c')])], services);
  const { jobId, outcome } = await ex.start('test', { n: 1 }, { who: 'a' });
  await until(async () => (await summary(jobId)).includes('slow:running'));
  await ex.cancel(jobId, 'terraform was interrupted');
  release();
  const end = await outcome;
  expect(end.state).toBe('failed');
  expect(services.log).toEqual(['do a', 'do slow', 'undo slow', 'undo a']);
  expect((await store.journal.getJob(jobId))!.error).toBe('step "c" failed: cancelled: terraform was interrupted (undone: slow, a)');
});

test('a cancel that arrives while the last step is in flight still undoes the job once that step finishes', async () => {
  const services = { log: [] as string[] };
  let release!: () => void;
  const last = recorded('last', { do: async (ctx) => { await new Promise<void>((r) => (release = r)); ctx.services.log.push('do last'); } });
  const ex = executor([kind([recorded('a'), last])], services);
  const { jobId, outcome } = await ex.start('test', { n: 1 }, { who: 'a' });
  await until(async () => (await summary(jobId)).includes('last:running'));
  await ex.cancel(jobId, 'terraform was interrupted');
  release();
  expect((await outcome).state).toBe('failed');
  expect(services.log).toEqual(['do a', 'do last', 'undo last', 'undo a']);
  expect(await summary(jobId)).toEqual(['a:undone', 'last:undone', 'undo last:done', 'undo a:done']);
  expect((await store.journal.getJob(jobId))!.error).toBe('step "finish" failed: cancelled: terraform was interrupted (undone: last, a)');
});

test('the deadline also ends a running step\'s wait on its signal, and the job compensates', async () => {
  const services = { log: [] as string[] };
  const waiting = recorded('waiting', {
    do: (ctx) => new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })),
  });
  const err = await executor([kind([recorded('a'), waiting, recorded('late')])], services).run('test', { n: 1 }, { who: 'a', timeoutMs: 50 }).catch((e) => e);
  expect(err.message).toMatch(/^step "waiting" on dev1 failed: step "waiting" was stopped: the job's deadline .* passed while it ran \(undone: (waiting, )?a\)$/);
  expect(services.log).toContain('undo a');
  expect(services.log).not.toContain('do late');
});

test('a job past its deadline starts no further step and compensates', async () => {
  const services = { log: [] as string[] };
  const sleepy = recorded('sleepy', { do: async () => void (await new Promise((r) => setTimeout(r, 60))) });
  const err = await executor([kind([sleepy, recorded('late')])], services).run('test', { n: 1 }, { who: 'a', timeoutMs: 20 }).catch((e) => e);
  expect(err.message).toMatch(/^step "late" failed: step "late" was not started: the job's deadline .* has passed \(undone: sleepy\)$/);
  expect(services.log).toEqual(['undo sleepy']);
});

test('steps sharing a lock never overlap; a pool limit bounds concurrent steps', async () => {
  let active = 0;
  let peak = 0;
  const counted = (pool?: string, lock?: string): Step => ({
    name: 'work', device: () => 'bmc', pool, locks: lock ? () => [lock] : undefined,
    do: async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 15));
      active--;
    },
  });
  const run = async (step: Step, jobs: number, limits: Record<string, number> = {}) => {
    peak = 0;
    const ex = executor([kind([step])], { log: [] }, limits);
    await Promise.all(Array.from({ length: jobs }, () => ex.run('test', { n: 1 }, { who: 'a' })));
    return peak;
  };
  expect(await run(counted(undefined, 'server:s1'), 4)).toBe(1);
  expect(await run(counted('bmc'), 8, { bmc: 3 })).toBe(3);
  expect(await run(counted(), 5)).toBe(5);
});

test('shutdown pauses jobs after the step in flight; a later start resumes them', async () => {
  let release!: () => void;
  const ex = executor([kind([recorded('a', { do: async () => void (await new Promise<void>((r) => (release = r))) }), recorded('b')])]);
  const { jobId, outcome } = await ex.start('test', { n: 1 }, { who: 'a' });
  await until(async () => (await summary(jobId)).includes('a:running'));
  const stopped = ex.shutdown();
  release();
  await stopped;
  expect((await outcome).state).toBe('paused');
  expect(await summary(jobId)).toEqual(['a:done']);
  const services = { log: [] as string[] };
  await executor([kind([recorded('a'), recorded('b')])], services).recover();
  await until(async () => (await store.journal.getJob(jobId))!.state === 'succeeded');
  expect(services.log).toEqual(['do b']);
});

test('unknown kinds and input a kind refuses are rejected before anything is journaled', async () => {
  const strict: JobKind<{ n: number }, Services> = { ...kind([recorded('a')]), parse: (raw) => { if (typeof (raw as any)?.n !== 'number') throw new Error('n must be a number'); return raw as { n: number }; } };
  const ex = executor([strict]);
  await expect(ex.start('nope', {}, { who: 'a' })).rejects.toThrow('unknown job kind "nope"; this engine runs: test');
  await expect(ex.start('test', { n: 'x' }, { who: 'a' })).rejects.toThrow('invalid input for a "test" job: n must be a number');
  expect(await store.journal.listJobs({ limit: 10 })).toEqual([]);
});
