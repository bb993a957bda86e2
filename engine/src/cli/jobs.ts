// `maestro jobs list` and `maestro jobs get <id>`: the job journal.

import { parseFlags, UsageError, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

export const jobsList: Command = {
  words: ['jobs', 'list'],
  summary: 'list recent jobs, newest first',
  usage: `maestro jobs list [--limit N] [--data-dir DIR] [--json]\n\n${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { ...dataDirFlag, limit: { type: 'string' }, json: { type: 'boolean' } });
    const limit = Number(values.limit ?? 0);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a positive integer, not ${values.limit}`);
    const jobs = await withClient(values['data-dir'], io, (c) => c.listJobs(limit));
    if (values.json) printJson(io, jobs);
    else table(io, ['ID', 'KIND', 'STATE', 'CREATED', 'ERROR'], jobs.map((j) => [j.id, j.kind, j.state, j.createdAt, j.error ?? '']));
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
