// The SQLite job journal on its own: steps numbered in start order and re-used across attempts, final states,
// compensation and cancellation flags, unfinished jobs, and the filtered, newest-first job and audit lists.

import type { JobJournal } from '../../engine/src/store/job-journal';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import type { AuditRecord } from '../../engine/src/store/store';

let store: SqliteStore;
let journal: JobJournal;
beforeEach(() => {
  store = openSqliteStore(':memory:');
  journal = store.journal;
});
afterEach(() => store.close());

const newJob = (id: string, kind = 'k', who = 'alice') => journal.createJob({ id, kind, input: { id }, who, deadline: '2099-01-01T00:00:00.000Z' });
const doStep = (index: number, name: string, device: string | null = null, attempt = 1) => ({ index, phase: 'do' as const, name, device, attempt });
const rows = async (id: string) => (await journal.getJob(id))!.steps.map((s) => [s.seq, s.phase, s.name, s.state, s.device, s.attempt, s.detail, s.output]);

test('a new job is running, forward, with its input and caller, and no steps', async () => {
  await journal.createJob({ id: 'j1', kind: 'port.configure', input: { x: 1 }, who: 'ci', deadline: 'd' });
  expect(await journal.getJob('j1')).toMatchObject({
    id: 'j1', kind: 'port.configure', state: 'running', phase: 'forward', error: null, input: { x: 1 }, who: 'ci',
    cancelRequested: null, finishedAt: null, deadline: 'd', steps: [],
  });
  expect(await journal.getJob('nope')).toBeUndefined();
});

test('creating a job with an id that exists rejects and changes nothing', async () => {
  await newJob('j1', 'first');
  await expect(newJob('j1', 'second')).rejects.toMatchObject({ message: expect.stringContaining('UNIQUE constraint failed') });
  expect((await journal.getJob('j1'))!.kind).toBe('first');
});

test('steps are numbered in start order; a running step has no detail until it finishes', async () => {
  await newJob('j1');
  expect(await journal.startStep('j1', doStep(0, 'first'))).toBe(1);
  expect(await journal.startStep('j1', doStep(1, 'second', 'leaf1'))).toBe(2);
  await journal.finishStep('j1', 1, 'done', 'ok', { port: 'Ethernet1' });
  expect(await rows('j1')).toEqual([
    [1, 'do', 'first', 'done', null, 1, 'ok', { port: 'Ethernet1' }],
    [2, 'do', 'second', 'running', 'leaf1', 1, '', null],
  ]);
  const [first, second] = (await journal.getJob('j1'))!.steps;
  expect(first.finishedAt).not.toBeNull();
  expect(second.finishedAt).toBeNull();
});

test('restarting a step (a retry, or a resume after a crash) re-uses its row with the new attempt and clears its outcome', async () => {
  await newJob('j1');
  const seq = await journal.startStep('j1', doStep(0, 'apply', 'leaf1'));
  await journal.noteStep('j1', seq, 'attempt 1 failed: connection reset; retrying');
  expect((await rows('j1'))[0]).toEqual([1, 'do', 'apply', 'running', 'leaf1', 1, 'attempt 1 failed: connection reset; retrying', null]);
  await journal.finishStep('j1', seq, 'failed', 'connection reset');
  expect(await journal.startStep('j1', doStep(0, 'apply', 'leaf1', 2))).toBe(seq);
  expect(await rows('j1')).toEqual([[1, 'do', 'apply', 'running', 'leaf1', 2, '', null]]);
  expect((await journal.getJob('j1'))!.steps[0].finishedAt).toBeNull();
});

test('compensation: undo rows are separate rows, markUndone flags the do row, the first reason is kept', async () => {
  await newJob('j1');
  await journal.finishStep('j1', await journal.startStep('j1', doStep(0, 'apply')), 'done', 'applied');
  await journal.beginCompensation('j1', 'step "b" failed: boom');
  await journal.beginCompensation('j1', 'a later reason');
  const undo = await journal.startStep('j1', { index: 0, phase: 'undo', name: 'undo apply', device: 'leaf1', attempt: 1 });
  await journal.finishStep('j1', undo, 'done', 'restored');
  await journal.markUndone('j1', 0);
  expect(await rows('j1')).toEqual([
    [1, 'do', 'apply', 'undone', null, 1, 'applied', null],
    [2, 'undo', 'undo apply', 'done', 'leaf1', 1, 'restored', null],
  ]);
  expect(await journal.getJob('j1')).toMatchObject({ phase: 'compensating', error: 'step "b" failed: boom' });
});

test('finishJob sets the final state and error; finished jobs are no longer unfinished', async () => {
  await newJob('j1');
  await newJob('j2');
  await newJob('j3');
  await journal.finishJob('j1', 'failed', 'boom');
  await journal.finishJob('j3', 'succeeded', null);
  expect(await journal.getJob('j1')).toMatchObject({ state: 'failed', error: 'boom', finishedAt: expect.any(String) });
  expect((await journal.listUnfinished()).map((j) => j.id)).toEqual(['j2']);
});

test('a cancellation request is recorded once on an unfinished job, ignored on a finished one, undefined for an unknown one', async () => {
  await newJob('j1');
  await newJob('j2');
  await journal.finishJob('j2', 'succeeded', null);
  expect((await journal.requestCancel('j1', 'first'))!.cancelRequested).toBe('first');
  expect((await journal.requestCancel('j1', 'second'))!.cancelRequested).toBe('first');
  expect((await journal.requestCancel('j2', 'too late'))!.cancelRequested).toBeNull();
  expect(await journal.requestCancel('nope', 'x')).toBeUndefined();
});

describe('listJobs', () => {
  beforeEach(async () => {
    await newJob('j1', 'port.configure', 'alice');
    await newJob('j2', 'port.release', 'bob');
    await newJob('j3', 'port.configure', 'bob');
    await journal.finishJob('j3', 'succeeded', null);
  });

  test.each([
    ['everything, newest first', { limit: 10 }, ['j3', 'j2', 'j1']],
    ['at most `limit` jobs', { limit: 1 }, ['j3']],
    ['by kind', { limit: 10, kind: 'port.configure' }, ['j3', 'j1']],
    ['by state', { limit: 10, state: 'running' as const }, ['j2', 'j1']],
    ['by caller', { limit: 10, who: 'bob' }, ['j3', 'j2']],
    ['by every filter at once', { limit: 10, kind: 'port.configure', state: 'succeeded' as const, who: 'bob' }, ['j3']],
    ['an empty filter value as unset', { limit: 10, kind: '' }, ['j3', 'j2', 'j1']],
  ])('%s', async (_name, filter, ids) => {
    expect((await journal.listJobs(filter)).map((j) => j.id)).toEqual(ids);
  });
});

describe('audit log', () => {
  const entry = (what: string, device: string, who: string, jobId: string | null): AuditRecord => ({
    at: '2024-01-01T00:00:00.000Z', who, what, device, before: { vlan: 999 }, after: null, result: 'succeeded', jobId,
  });
  const entries = [entry('a', 'leaf1', 'alice', 'j1'), entry('b', 'leaf2', 'bob', 'j1'), entry('c', 'leaf1', 'bob', null)];
  beforeEach(async () => {
    await newJob('j1');
    for (const e of entries) await journal.appendAudit(e);
  });

  test('records come back as written (JSON before/after), newest first', async () => {
    expect(await journal.listAudit({ limit: 10 })).toEqual([...entries].reverse());
  });

  test.each([
    ['at most `limit` records', { limit: 2 }, ['c', 'b']],
    ['by device', { limit: 10, device: 'leaf1' }, ['c', 'a']],
    ['by job', { limit: 10, jobId: 'j1' }, ['b', 'a']],
    ['by caller', { limit: 10, who: 'bob' }, ['c', 'b']],
    ['by device and caller', { limit: 10, device: 'leaf1', who: 'bob' }, ['c']],
  ])('%s', async (_name, filter, whats) => {
    expect((await journal.listAudit(filter)).map((a) => a.what)).toEqual(whats);
  });
});
