// `maestro jobs watch` rendering: progress bars per step for terminals, one line per change for logs.

import type { JobInfo, JobStepInfo } from '../../engine/src/api/types';
import { changeLines, redraw, renderJob } from '../../engine/src/cli/jobs-progress';

const step = (name: string, state: JobStepInfo['state'], extra: Partial<JobStepInfo> = {}): JobStepInfo => ({
  name, state, device: 'leaf1', detail: '', attempt: 1, phase: 'do', startedAt: 't', finishedAt: null, ...extra,
});
const job = (steps: JobStepInfo[], extra: Partial<JobInfo> = {}): JobInfo => ({
  id: 'j1', kind: 'port.configure', state: 'running', phase: 'forward', error: null, who: 'ci', cancelRequested: null,
  createdAt: 't', finishedAt: null, deadline: 't', steps, ...extra,
});

test('renderJob draws one bar per step: empty pending, half running, full when finished, with attempt and detail', () => {
  expect(renderJob(job([step('validate', 'done'), step('apply', 'running', { attempt: 2, detail: 'retrying' })]))).toEqual([
    'job j1 port.configure running',
    '  validate [####################] done',
    '  apply    [##########..........] running (attempt 2)  retrying',
  ]);
});

test('redraw moves up over the previous block and clears it; nothing before the first block', () => {
  expect(redraw(3)).toBe('\x1b[3A\x1b[J');
  expect(redraw(0)).toBe('');
});

test.each([
  ['the first sight prints the header and every step', undefined, job([step('validate', 'done')]), ['job j1 port.configure running', '  step validate on leaf1: done']],
  ['an unchanged step prints nothing', job([step('validate', 'done')]), job([step('validate', 'done')]), []],
  ['a new attempt prints the step again', job([step('apply', 'running')]), job([step('apply', 'running', { attempt: 2, detail: 'reset' })]), ['  step apply on leaf1: running (attempt 2) - reset']],
  ['compensation prints the header with the error', job([step('apply', 'failed')]), job([step('apply', 'failed')], { phase: 'compensating', error: 'boom' }), ['job j1 port.configure running, compensating: boom']],
])('changeLines: %s', (_name, prev, next, lines) => {
  expect(changeLines(prev, next)).toEqual(lines);
});
