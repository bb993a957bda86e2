// Renders a watched job: a block of progress bars (one per step) for terminals, or one line per change for logs.

import type { JobInfo, JobStepInfo } from '../api/types';

const BAR_WIDTH = 20;

/** How far along a step is, for its bar: running shows half, a finished step full. */
const FILL: Record<JobStepInfo['state'], number> = { pending: 0, running: 0.5, done: 1, failed: 1, undone: 1 };

function bar(step: JobStepInfo): string {
  const filled = Math.round(FILL[step.state] * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

const attemptNote = (s: JobStepInfo) => (s.attempt > 1 ? ` (attempt ${s.attempt})` : '');

/** The job's header line. */
function header(job: JobInfo): string {
  const phase = job.phase === 'compensating' && job.state === 'running' ? ', compensating' : '';
  const error = job.error ? `: ${job.error}` : '';
  return `job ${job.id} ${job.kind} ${job.state}${phase}${error}`;
}

/** The whole block a terminal shows: header, then one bar per journaled step. */
export function renderJob(job: JobInfo): string[] {
  const width = Math.max(0, ...job.steps.map((s) => s.name.length));
  return [
    header(job),
    ...job.steps.map((s) => `  ${s.name.padEnd(width)} ${bar(s)} ${s.state}${attemptNote(s)}${s.detail ? `  ${s.detail}` : ''}`),
  ];
}

/** ANSI: move the cursor up `lines` lines and clear to the end of the screen, so the next block overwrites the last. */
export const redraw = (lines: number) => (lines > 0 ? `\x1b[${lines}A\x1b[J` : '');

const stepKey = (s: JobStepInfo) => `${s.state}|${s.attempt}|${s.detail}`;

/** The lines a log shows for the change from `prev` (undefined at first) to `next`: the job's state and each changed step. */
export function changeLines(prev: JobInfo | undefined, next: JobInfo): string[] {
  const lines: string[] = [];
  if (!prev || prev.state !== next.state || prev.phase !== next.phase) lines.push(header(next));
  next.steps.forEach((s, i) => {
    const before = prev?.steps.find((p, j) => p.name === s.name && j === i);
    if (before && stepKey(before) === stepKey(s)) return;
    lines.push(`  step ${s.name}${s.device ? ` on ${s.device}` : ''}: ${s.state}${attemptNote(s)}${s.detail ? ` - ${s.detail}` : ''}`);
  });
  return lines;
}
