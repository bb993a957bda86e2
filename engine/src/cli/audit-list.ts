// `maestro audit list`: every device operation the engine made (who, what, device, result), newest first.

import { parseFlags, UsageError, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

export const auditList: Command = {
  words: ['audit', 'list'],
  summary: 'list device operations, newest first',
  usage: `maestro audit list [--limit N] [--device D] [--job ID] [--who TOKEN] [--data-dir DIR] [--json]

--json adds the state before and after each operation.
${CLIENT_HELP}`,

  async run(args, io) {
    const flags = { ...dataDirFlag, limit: { type: 'string' }, device: { type: 'string' }, job: { type: 'string' }, who: { type: 'string' }, json: { type: 'boolean' } } as const;
    const { values } = parseFlags(args, flags);
    const limit = Number(values.limit ?? 0);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a positive integer, not ${values.limit}`);
    const entries = await withClient(values['data-dir'], io, (c) => c.listAudit({ limit, device: values.device, jobId: values.job, who: values.who }));
    if (values.json) printJson(io, entries);
    else table(io, ['AT', 'WHO', 'DEVICE', 'WHAT', 'RESULT', 'JOB'], entries.map((a) => [a.at, a.who, a.device, a.what, a.result, a.jobId ?? '']));
    return 0;
  },
};
