import { followLines } from '../../engine/src/cli/jobs-follow';
import type { JobInfo, JobStepInfo } from '../../engine/src/api/types';

const step = (name: string, state: JobStepInfo['state'], detail = ''): JobStepInfo =>
  ({ name, state, device: 'leaf1', detail, attempt: 1, phase: 'do', startedAt: null, finishedAt: null } as unknown as JobStepInfo);

const job = (id: string, createdAt: string, state: JobInfo['state'], steps: JobStepInfo[]): JobInfo =>
  ({ id, kind: 'instance.create', state, phase: 'forward', error: null, who: 'admin', cancelRequested: null, createdAt, finishedAt: null, deadline: '', steps } as JobInfo);

describe('maestro jobs follow', () => {
  it('skips jobs older than the start, then prints each change once with the job kind', () => {
    const known = new Map<string, JobInfo>();
    const since = '2026-11-27T10:00:00.000Z';
    const old = job('job-old', '2026-11-27T09:00:00.000Z', 'running', [step('allocate-server', 'running')]);
    const first = followLines(known, [old, job('job-new', '2026-11-27T10:00:01.000Z', 'running', [step('allocate-server', 'running')])], since);
    expect(first).toEqual(['job job-new instance.create running', 'instance.create job-new step allocate-server on leaf1: running']);

    const second = followLines(known, [job('job-new', '2026-11-27T10:00:01.000Z', 'running', [step('allocate-server', 'done', 'allocated s1'), step('allocate-ip', 'running')])], since);
    expect(second).toEqual([
      'instance.create job-new step allocate-server on leaf1: done - allocated s1',
      'instance.create job-new step allocate-ip on leaf1: running',
    ]);
    // Nothing changed: nothing printed.
    expect(followLines(known, [job('job-new', '2026-11-27T10:00:01.000Z', 'running', [step('allocate-server', 'done', 'allocated s1'), step('allocate-ip', 'running')])], since)).toEqual([]);
  });
});
