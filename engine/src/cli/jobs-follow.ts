// `maestro jobs follow`: every job's step changes as they happen, one line each, until interrupted (what the engine is doing now).

import type { JobInfo } from '../api/types';
import { parseFlags, UsageError, type Command, type CliIo } from './command';
import { CLIENT_HELP, dataDirFlag, withClient } from './engine-client';
import { changeLines } from './jobs-progress';

/** How many of the newest jobs each poll reads: more than one apply starts at once. */
const WINDOW = 200;

/** The lines for one poll: jobs newer than `since` (or already known) that changed, prefixed with their kind. */
export function followLines(known: Map<string, JobInfo>, jobs: JobInfo[], since: string): string[] {
  const lines: string[] = [];
  for (const job of [...jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const prev = known.get(job.id);
    if (!prev && job.createdAt < since) continue;
    for (const line of changeLines(prev, job)) lines.push(line.startsWith('  ') ? `${job.kind} ${job.id.slice(0, 12)}${line.slice(1)}` : line);
    known.set(job.id, job);
  }
  return lines;
}

export const jobsFollow: Command = {
  words: ['jobs', 'follow'],
  summary: 'print every job\'s step changes as they happen, until interrupted',
  usage: `maestro jobs follow [--data-dir DIR] [--interval-ms 500] [--all] [--until-idle-ms N]

Polls the engine's jobs and prints one line per change: a job starting or ending, and each
step starting, retrying, finishing, failing or being undone (with its device and detail).
Only jobs created after the command started, unless --all. Runs until SIGINT/SIGTERM, or
with --until-idle-ms until no job has run for that long after at least one was seen.
${CLIENT_HELP}`,

  async run(args, io: CliIo) {
    const { values } = parseFlags(args, { ...dataDirFlag, 'interval-ms': { type: 'string' }, all: { type: 'boolean' }, 'until-idle-ms': { type: 'string' } });
    const ms = (flag: 'interval-ms' | 'until-idle-ms', fallback: number | undefined) => {
      const raw = values[flag];
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer, not ${raw}`);
      return n;
    };
    const interval = ms('interval-ms', 500)!;
    const untilIdle = ms('until-idle-ms', undefined);
    const since = values.all ? '' : new Date().toISOString();
    let stop = false;
    const onSignal = () => { stop = true; };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await withClient(values['data-dir'], io, async (client) => {
        const known = new Map<string, JobInfo>();
        let lastBusy = Date.now();
        while (!stop) {
          const jobs = await client.listJobs({ limit: WINDOW });
          for (const line of followLines(known, jobs, since)) io.stdout.write(`${line}\n`);
          const busy = jobs.some((j) => (j.state === 'running' || j.state === 'pending') && known.has(j.id));
          if (busy) lastBusy = Date.now();
          if (untilIdle !== undefined && known.size > 0 && !busy && Date.now() - lastBusy >= untilIdle) break;
          await new Promise((r) => setTimeout(r, interval));
        }
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};
