// `maestro jobs list`, `maestro jobs get <id>` and `maestro jobs cancel <id>`: the job journal.

import type { JobState } from '../api/types';
import { parseFlags, UsageError, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

export const jobsList: Command = {
  words: ['jobs', 'list'],
  summary: 'list recent jobs, newest first',
  usage: `maestro jobs list [--limit N] [--kind K] [--state S] [--who TOKEN] [--data-dir DIR] [--json]

  --kind K       only jobs of this kind (port.configure, port.release, instance.create)
  --state S      only jobs in this state (pending, running, succeeded, failed)
  --who TOKEN    only jobs started with this API token name
${CLIENT_HELP}`,

  async run(args, io) {
    const flags = { ...dataDirFlag, limit: { type: 'string' }, json: { type: 'boolean' }, kind: { type: 'string' }, state: { type: 'string' }, who: { type: 'string' } } as const;
    const { values } = parseFlags(args, flags);
    const limit = Number(values.limit ?? 0);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a positive integer, not ${values.limit}`);
    const query = { limit, kind: values.kind, state: values.state as JobState | undefined, who: values.who };
    const jobs = await withClient(values['data-dir'], io, (c) => c.listJobs(query));
    if (values.json) printJson(io, jobs);
    else table(io, ['ID', 'KIND', 'STATE', 'WHO', 'CREATED', 'ERROR'], jobs.map((j) => [j.id, j.kind, j.state, j.who, j.createdAt, j.error ?? '']));
    return 0;
  },
};

export const jobsGet: Command = {
  words: ['jobs', 'get'],
  summary: 'show one job with its steps',
  usage: `maestro jobs get <id> [--data-dir DIR]\n\nPrints the job and every journaled step as JSON.\n${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, dataDirFlag, ['id']);
    printJson(io, await withClient(values['data-dir'], io, (c) => c.getJob(positionals[0])));
    return 0;
  },
};

export const jobsCancel: Command = {
  words: ['jobs', 'cancel'],
  summary: 'stop a job and undo what it did',
  usage: `maestro jobs cancel <id> [--reason TEXT] [--data-dir DIR]

No further step starts; the device call in flight finishes, then the completed steps
are undone (follow it with \`maestro jobs watch <id>\`).
${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, { ...dataDirFlag, reason: { type: 'string' } }, ['id']);
    const job = await withClient(values['data-dir'], io, (c) => c.cancelJob(positionals[0], values.reason));
    io.stdout.write(job.cancelRequested ? `cancellation of job ${job.id} requested: ${job.cancelRequested}\n` : `job ${job.id} had already ${job.state}\n`);
    return 0;
  },
};
