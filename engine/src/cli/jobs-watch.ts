// `maestro jobs watch <id>`: live progress of a job until it ends (bars redrawn in place on a terminal, one line per change otherwise).

import type { JobInfo } from '../api/types';
import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, withClient } from './engine-client';
import { changeLines, redraw, renderJob } from './jobs-progress';

export const jobsWatch: Command = {
  words: ['jobs', 'watch'],
  summary: 'follow a job live until it ends',
  usage: `maestro jobs watch <id> [--data-dir DIR] [--plain]

On a terminal, redraws one progress bar per step in place; otherwise (or with --plain)
prints one line per change. Exit status 0 when the job succeeded, 1 when it failed.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, { ...dataDirFlag, plain: { type: 'boolean' } }, ['id']);
    const tty = !values.plain && (io.stdout as { isTTY?: boolean }).isTTY === true;
    let shown = 0;
    let prev: JobInfo | undefined;
    const show = (job: JobInfo) => {
      if (tty) {
        const block = renderJob(job);
        io.stdout.write(`${redraw(shown)}${block.join('\n')}\n`);
        shown = block.length;
      } else {
        for (const line of changeLines(prev, job)) io.stdout.write(`${line}\n`);
      }
      prev = job;
    };
    const final = await withClient(values['data-dir'], io, (c) => c.watchJob(positionals[0], show));
    return final.state === 'succeeded' ? 0 : 1;
  },
};
