// The `maestro` command: finds the subcommand in one table and runs it.

import { EngineApiError } from '../api/client';
import { UsageError, type CliIo, type Command } from './command';
import { labDown, labReach, labUp } from './lab';
import { engineServe } from './engine-serve';
import { inventoryImport } from './inventory-import';
import { auditList } from './audit-list';
import { doctor } from './doctor';
import { jobsCancel, jobsGet, jobsList } from './jobs';
import { jobsFollow } from './jobs-follow';
import { jobsWatch } from './jobs-watch';
import { instancesGet, instancesList } from './instances';
import { portsGet } from './ports-get';
import { serversList } from './servers-list';
import { switchesList } from './switches-list';

/** Every subcommand. Adding one: its file, one entry here. */
export const commands: Command[] = [engineServe, inventoryImport, switchesList, serversList, instancesList, instancesGet, portsGet, jobsList, jobsGet, jobsWatch, jobsFollow, jobsCancel, auditList, doctor, labUp, labDown, labReach];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.words.join(' ').length));
  const lines = commands.map((c) => `  maestro ${c.words.join(' ').padEnd(width)}  ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n\nRun \`maestro <command> --help\` for a command's flags.\n`;
}

const selects = (c: Command, argv: string[]) => c.words.every((w, i) => argv[i] === w);

/** Runs the command line `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout).write(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const command = commands.find((c) => selects(c, argv));
  if (!command) {
    io.stderr.write(`maestro: unknown command "${argv.join(' ')}"\n${usage()}`);
    return 2;
  }
  const args = argv.slice(command.words.length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    return reportError(err, command, io);
  }
}

function reportError(err: unknown, command: Command, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr.write(`maestro ${command.words.join(' ')}: ${err.message}\nusage: ${command.usage}\n`);
    return 2;
  }
  io.stderr.write(`maestro ${command.words.join(' ')}: ${(err as Error).message ?? String(err)}\n`);
  if (err instanceof EngineApiError) for (const v of err.violations) io.stderr.write(`  ${v.field}: ${v.reason}\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
